"""Agglomerative linkage for batch mode, computed from cluster vectors, not stored pairs.

The similarity is a dot product of (weighted, concatenated) word, entity and embedding
vectors, so the average-link similarity of two clusters is exactly the dot product of their
mean vectors (UPGMA), and weighted linkage (WPGMA: a merged cluster is the plain mean of its
two parts) is the dot product of recursively averaged vectors. No pair is ever "missing":
the candidate graph only says which clusters to compare, and every comparison is exact.
Time proximity applies between clusters' time spans, as in the online mode. Two clusters of
snippets (headlines) compare by the cosine of their centroids instead (`_snippets`).

Cluster vectors are sorted numpy arrays (term ids, weights) over one vocabulary whose ids
follow the terms' sort order, so ties among weights still break by term. After a merge the
new cluster is compared with all its neighbours in one gather from a dense scratch row, not
one dictionary walk per neighbour: a story with thousands of members is rescored at C
speed, and the per-merge Python work is only the heap pushes of pairs above the threshold.
Merged vectors equal the former dictionary sums bit for bit; dot products add up in term
order (the dictionary walk added them in string-hash order, which varies between processes),
so scores can differ in the last bits only.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix

from newsprism.grouping import UnionFind
from newsprism.stories.config import ClusterConfig

_REP_TERMS = 2000  # terms kept in a cluster's vector: bounds memory, loses only tiny weights

Array = np.ndarray[Any, Any]


@dataclass(frozen=True, slots=True)
class ArticleReps:
    """Every article as a one-member cluster: the rows whose dot product is the similarity.

    Attributes:
        lexical: CSR rows (sorted column indices): word and entity TF-IDF, each scaled by the
            square root of its share of the similarity; columns in term sort order.
        dense: embedding rows scaled by the square root of their share, or None.
        micros: publication time in microseconds since 1970 (0 when undated).
        dated: whether the article has a publication time.
        words: distinct words per article (what makes it a snippet, see `_snippets`).
    """

    lexical: csr_matrix
    dense: Array | None
    micros: Array
    dated: Array
    words: Array


@dataclass(frozen=True, slots=True)
class _Spans:
    """Time spans of clusters (or articles) by index, in microseconds, for vectorised decay."""

    first: Array
    last: Array
    dated: Array

    @classmethod
    def of(cls, reps: ArticleReps) -> _Spans:
        return cls(reps.micros.copy(), reps.micros.copy(), reps.dated.copy())

    @classmethod
    def of_clusters(cls, clusters: Sequence[_Rep]) -> _Spans:
        first = np.array([c.first or 0 for c in clusters], dtype=np.int64)
        last = np.array([c.last or 0 for c in clusters], dtype=np.int64)
        return cls(first, last, np.array([c.first is not None for c in clusters], dtype=bool))

    def set(self, index: int, rep: _Rep) -> None:
        self.dated[index] = rep.first is not None
        self.first[index] = rep.first or 0
        self.last[index] = rep.last or 0


class _Rep:
    """A cluster: its vector (sorted term ids + weights, optional dense part), size, time span,
    and its members' distinct words in total (None when unknown: then never a snippet)."""

    __slots__ = ("ids", "vals", "dense", "size", "first", "last", "words")

    def __init__(
        self,
        ids: Array,
        vals: Array,
        dense: Any,
        size: int,
        first: int | None,
        last: int | None,
        words: int | None = None,
    ) -> None:
        self.ids = ids
        self.vals = vals
        self.dense = dense
        self.size = size
        self.first = first  # microseconds, None when no member is dated
        self.last = last
        self.words = words

    def snippet(self, config: ClusterConfig) -> bool:
        """Whether its members are snippets on average (fewer than `snippet_words` words)."""
        return self.words is not None and self.words < config.snippet_words * self.size

    def norm(self) -> float:
        """Length of the whole vector (lexical and dense parts)."""
        square = float(self.vals @ self.vals)
        if self.dense is not None:
            square += float(self.dense @ self.dense)
        return math.sqrt(square)


def _singletons(reps: ArticleReps) -> list[_Rep]:
    matrix = reps.lexical
    indptr, indices, data = matrix.indptr.tolist(), matrix.indices, matrix.data
    micros, dated, words = reps.micros.tolist(), reps.dated.tolist(), reps.words.tolist()
    out = []
    for row in range(matrix.shape[0]):
        start, end = indptr[row], indptr[row + 1]
        moment = micros[row] if dated[row] else None
        dense = None if reps.dense is None else reps.dense[row]
        out.append(_Rep(indices[start:end], data[start:end], dense, 1, moment, moment, words[row]))
    return out


def _merge(a: _Rep, b: _Rep, method: str, config: ClusterConfig) -> _Rep:
    """The merged cluster's vector: bit-for-bit the weighted mean a dictionary sum would give;
    two snippet clusters merge into their true centroid (the size-weighted mean)."""
    centroid = a.snippet(config) and b.snippet(config)
    wa, wb = (a.size, b.size) if method == "average" or centroid else (1, 1)
    total = wa + wb
    ids = np.concatenate((a.ids, b.ids))
    vals = np.concatenate((a.vals * wa / total, b.vals * wb / total))
    if len(ids):
        order = np.argsort(ids, kind="stable")  # a's share first, then b's: a + b as in a dict
        ids, vals = ids[order], vals[order]
        starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
        ids, vals = ids[starts], np.add.reduceat(vals, starts)
        if len(ids) > 2 * _REP_TERMS:
            keep = np.sort(np.lexsort((ids, -vals))[:_REP_TERMS])  # heaviest, ties by term
            ids, vals = ids[keep], vals[keep]
    dense = None
    if a.dense is not None and b.dense is not None:
        dense = (a.dense * wa + b.dense * wb) / total
    firsts = [t for t in (a.first, b.first) if t is not None]
    lasts = [t for t in (a.last, b.last) if t is not None]
    return _Rep(
        ids,
        vals,
        dense,
        a.size + b.size,
        min(firsts) if firsts else None,
        max(lasts) if lasts else None,
        None if a.words is None or b.words is None else a.words + b.words,
    )


def decay_factors(gaps: Array, config: ClusterConfig) -> Array:
    """`similarity.time_factor` of gaps in microseconds (bit-identical: same float steps)."""
    days = gaps / 1e6 / 86400.0 - config.time_grace_days
    factors = np.ones(len(gaps))
    late = np.flatnonzero(days > 0)
    decay = config.time_decay_days
    factors[late] = [math.exp(-d / decay) for d in days[late].tolist()]
    return factors


def _span_factors(rep: _Rep, spans: _Spans, where: Array, config: ClusterConfig) -> Array:
    """`_span_factor(rep, other)` for the clusters at *where*: decay over the gap between spans."""
    if rep.first is None or rep.last is None:
        return np.ones(len(where))
    first, last, dated = spans.first[where], spans.last[where], spans.dated[where]
    gaps = np.where(dated & (rep.last < first), first - rep.last, 0)
    gaps = np.where(dated & (last < rep.first), rep.first - last, gaps)
    return decay_factors(gaps.astype(np.float64), config)


def _scores(
    rep: _Rep,
    others: Sequence[_Rep],
    where: Array,
    spans: _Spans,
    scratch: Array,
    config: ClusterConfig,
    *,
    snippets: Array | None = None,
) -> Array:
    """Similarity of *rep* to each of *others* (at *where* in *spans*), all through one gather:
    the dot product, or the cosine for the pairs *snippets* marks (see `_snippets`)."""
    scratch[rep.ids] = rep.vals
    ids = np.concatenate([o.ids for o in others])
    vals = np.concatenate([o.vals for o in others])
    segment = np.repeat(np.arange(len(others)), [len(o.ids) for o in others])
    scores = np.bincount(segment, weights=scratch[ids] * vals, minlength=len(others))
    scratch[rep.ids] = 0.0
    if rep.dense is not None and all(o.dense is not None for o in others):
        scores += np.stack([o.dense for o in others]) @ rep.dense
    if snippets is not None and snippets.any():
        norms = np.array([o.norm() if s else 1.0 for o, s in zip(others, snippets, strict=True)])
        scores = np.where(snippets, scores / np.maximum(rep.norm() * norms, 1e-12), scores)
    return scores * _span_factors(rep, spans, where, config)


def _snippets(rep: _Rep, others: Sequence[_Rep], config: ClusterConfig) -> Array:
    """Which of *others* are, with *rep*, a pair of snippet clusters.

    Such a pair is compared by the cosine of its centroids and linked at `online_threshold`,
    the online mode's centroid bar: a headline shares a name or two with its story, each
    with other names, so any average of pair similarities falls as a story of headlines
    grows, while its centroid keeps the names the story is about.
    """
    if not rep.snippet(config):
        return np.zeros(len(others), dtype=bool)
    return np.array([o.snippet(config) for o in others], dtype=bool)


# The online mode builds its stories and waiting articles as clusters, scores and links them.
ClusterRep = _Rep
ClusterSpans = _Spans
score_clusters = _scores


def link(reps: ArticleReps, pairs: Array, sims: Array, config: ClusterConfig) -> list[int]:
    """Cluster label (the smallest member index) per article after linkage to the threshold.

    *sims* are the candidate pairs' similarities (time factor included), as the vectors give.
    """
    scratch = np.zeros(reps.lexical.shape[1])
    return link_clusters(_singletons(reps), _Spans.of(reps), pairs, sims, scratch, config)


def link_clusters(
    start: list[_Rep],
    spans: _Spans,
    pairs: Array,
    sims: Array,
    scratch: Array,
    config: ClusterConfig,
    *,
    threshold: float | None = None,
    scales: Array | None = None,
    fixed: frozenset[int] = frozenset(),
) -> list[int]:
    """`link` from any starting clusters (the online mode starts from its stories and the
    articles waiting for a decision): best-first merges while a pair reaches the threshold.

    *threshold* defaults to `config.join_threshold`; with *scales*, a pair must reach the
    threshold times the smaller scale of its two clusters (a merged cluster has the larger).
    Two clusters that hold *fixed* starting clusters (the online mode's stories) never merge.
    Returns each starting cluster's label: the smallest index of the clusters it joined.
    """
    anchored = set(fixed)
    threshold = config.join_threshold if threshold is None else threshold
    scale = np.ones(len(start)) if scales is None else np.array(scales, dtype=np.float64)
    clusters: dict[int, _Rep] = dict(enumerate(start))
    neighbours: dict[int, set[int]] = {i: set() for i in clusters}
    _add_pairs(neighbours, pairs)
    version = dict.fromkeys(clusters, 0)
    heap = _first_heap(start, pairs, sims, threshold, scale, config)
    merged_into = UnionFind(range(len(clusters)))
    while heap:
        _, a, b, version_a, version_b = heapq.heappop(heap)
        if a not in clusters or b not in clusters:
            continue
        if version[a] != version_a or version[b] != version_b:
            continue  # scored before one of them changed
        if a in anchored and b in anchored:
            continue
        keep, drop = min(a, b), max(a, b)
        if drop in anchored:
            anchored.add(keep)
        merged = _merge(clusters[keep], clusters.pop(drop), config.linkage, config)
        clusters[keep] = merged
        scale[keep] = max(scale[keep], scale[drop])
        spans.set(keep, merged)
        merged_into.union(keep, drop)
        version[keep] += 1
        others = _rewire(neighbours, keep, drop)
        if not others:
            continue
        where = np.array(others)
        near = [clusters[o] for o in others]
        scores, bars = _scored_with_bars(merged, near, where, spans, scratch, config, threshold)
        bars = bars * np.minimum(scale[keep], scale[where])
        # Heap order is (score, pair, versions): the push order of equal scores is irrelevant.
        for k in np.flatnonzero(scores >= bars).tolist():
            other = others[k]
            low, high = min(keep, other), max(keep, other)
            heapq.heappush(heap, (-float(scores[k]), low, high, version[low], version[high]))
    return [merged_into.find(i) for i in range(len(start))]


def _scored_with_bars(
    merged: _Rep,
    near: list[_Rep],
    where: Array,
    spans: _Spans,
    scratch: Array,
    config: ClusterConfig,
    threshold: float,
) -> tuple[Array, Array]:
    """A merged cluster's scores against its neighbours, and each pair's unscaled bar:
    `online_threshold` for a pair of snippets (compared by cosine), else *threshold*."""
    snippets = _snippets(merged, near, config)
    scores = _scores(merged, near, where, spans, scratch, config, snippets=snippets)
    return scores, np.where(snippets, config.online_threshold, threshold)


def _add_pairs(neighbours: dict[int, set[int]], pairs: Array) -> None:
    for i, j in pairs.tolist():
        neighbours[i].add(j)
        neighbours[j].add(i)


def _rewire(neighbours: dict[int, set[int]], keep: int, drop: int) -> list[int]:
    """Give *keep* the neighbours of both (and theirs *keep* for *drop*); return them."""
    around = neighbours[keep] | neighbours.pop(drop)
    around.discard(keep)
    around.discard(drop)
    neighbours[keep] = around
    for other in around:
        near = neighbours[other]
        near.discard(drop)
        near.add(keep)
    return list(around)


def _first_heap(
    start: list[_Rep],
    pairs: Array,
    sims: Array,
    threshold: float,
    scale: Array,
    config: ClusterConfig,
) -> list[tuple[float, int, int, int, int]]:
    """(-similarity, i, j, versions 0, 0) of the starting pairs that reach their bar, heapified.

    *sims* are dot products; a pair of snippets is scored by its cosine at `online_threshold`
    instead (`_snippets`). A pair's bar is then scaled by the smaller scale of the two.
    """
    if not len(pairs):
        return []
    snippet = np.array([rep.snippet(config) for rep in start], dtype=bool)
    both = snippet[pairs[:, 0]] & snippet[pairs[:, 1]]
    sims = sims.copy()
    for k in np.flatnonzero(both).tolist():
        i, j = pairs[k]
        sims[k] /= max(start[i].norm() * start[j].norm(), 1e-12)
    bars = np.where(both, config.online_threshold, threshold)
    bars = bars * np.minimum(scale[pairs[:, 0]], scale[pairs[:, 1]])
    strong = np.flatnonzero(sims >= bars)
    heap = [
        (-s, i, j, 0, 0)
        for s, (i, j) in zip(sims[strong].tolist(), pairs[strong].tolist(), strict=True)
    ]
    heapq.heapify(heap)
    return heap


def reassign(
    reps: ArticleReps, labels: list[int], pairs: Array, config: ClusterConfig
) -> list[int]:
    """The split pass: an article moves to the story whose members it is on average closer to.

    Averages are exact (member-mean vectors); only stories of the article's candidate
    neighbours are considered, and a move needs the other story to reach the threshold (an
    article alone in its story: `lone_threshold`).
    """
    singles = _singletons(reps)
    means: dict[int, _Rep] = {}
    for index, label in enumerate(labels):
        rep = singles[index]
        means[label] = rep if label not in means else _merge(means[label], rep, "average", config)
    near: list[set[int]] = [set() for _ in labels]
    for i, j in pairs.tolist():
        near[i].add(labels[j])
        near[j].add(labels[i])
    # Every (article, story) comparison needed, grouped by story for one scratch row each.
    asked: dict[int, list[int]] = {}
    for index, own in enumerate(labels):
        asked.setdefault(own, []).append(index)
        for label in near[index] - {own}:
            asked.setdefault(label, []).append(index)
    score: dict[tuple[int, int], float] = {}
    scratch = np.zeros(reps.lexical.shape[1])
    spans = _Spans.of(reps)
    for label, articles in asked.items():
        where = np.array(articles)
        values = _scores(
            means[label], [singles[i] for i in articles], where, spans, scratch, config
        )
        score.update(zip(((i, label) for i in articles), values.tolist(), strict=True))
    selves = _self_similarities(reps)
    moved = list(labels)
    for index, own in enumerate(labels):
        size = means[own].size
        if size > 1 and means[own].snippet(config):
            continue  # linked by centroid: its members' average similarity says nothing
        if size > 1:
            own_score = (size * score[index, own] - float(selves[index])) / (size - 1)
        else:
            own_score = -1.0
        best, best_score = own, own_score
        for label in sorted(near[index] - {own}):
            value = score[index, label]
            bar = config.lone_threshold if size == 1 else config.join_threshold
            if value >= bar and value > best_score:
                best, best_score = label, value
        moved[index] = best
    return moved


def _self_similarities(reps: ArticleReps) -> Array:
    """Each article's similarity with itself (its squared length)."""
    rows = reps.lexical
    selves = np.bincount(
        np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr)),
        weights=rows.data * rows.data,
        minlength=rows.shape[0],
    )
    if reps.dense is not None:
        selves = selves + np.einsum("ij,ij->i", reps.dense, reps.dense)
    return selves

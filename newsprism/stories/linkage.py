"""Agglomerative linkage for batch mode, computed from cluster vectors, not stored pairs.

The similarity is a dot product of (weighted, concatenated) word, entity and embedding
vectors, so the average-link similarity of two clusters is exactly the dot product of their
mean vectors (UPGMA), and weighted linkage (WPGMA: a merged cluster is the plain mean of its
two parts) is the dot product of recursively averaged vectors. No pair is ever "missing":
the candidate graph only says which clusters to compare, and every comparison is exact.
Time proximity applies between clusters' time spans, as in the online mode.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np

from newsprism.stories.config import ClusterConfig
from newsprism.stories.features import SparseVector, cosine, top_terms
from newsprism.stories.similarity import ArticleVector, time_factor

_REP_TERMS = 2000  # terms kept in a cluster's vector: bounds memory, loses only tiny weights


class _Rep:
    """A cluster: its vector (sparse lexical part + optional dense part), size and time span."""

    __slots__ = ("lexical", "dense", "size", "first", "last")

    def __init__(
        self,
        lexical: SparseVector,
        dense: Any,
        size: int,
        first: datetime | None,
        last: datetime | None,
    ) -> None:
        self.lexical = lexical
        self.dense = dense
        self.size = size
        self.first = first
        self.last = last


def article_rep(vector: ArticleVector, config: ClusterConfig) -> _Rep:
    """An article as a one-member cluster whose dot product with another is their similarity."""
    lexical_share = 1.0 - config.embedding_weight if config.use_embeddings else 1.0
    words = math.sqrt((1.0 - config.entity_weight) * lexical_share)
    names = math.sqrt(config.entity_weight * lexical_share)
    lexical = {"w:" + t: words * x for t, x in vector.words.items()}
    lexical.update({"e:" + t: names * x for t, x in vector.entities.items()})
    dense = None
    if config.use_embeddings and vector.embedding is not None:
        dense = np.asarray(vector.embedding, dtype=np.float32) * math.sqrt(config.embedding_weight)
    return _Rep(lexical, dense, 1, vector.published, vector.published)


def _similarity(a: _Rep, b: _Rep, config: ClusterConfig) -> float:
    score = cosine(a.lexical, b.lexical)
    if a.dense is not None and b.dense is not None:
        score += float(a.dense @ b.dense)
    return score * _span_factor(a, b, config)


def _span_factor(a: _Rep, b: _Rep, config: ClusterConfig) -> float:
    if a.first is None or a.last is None or b.first is None or b.last is None:
        return 1.0
    if a.last < b.first:
        return time_factor(a.last, b.first, b.last, config)
    if b.last < a.first:
        return time_factor(b.last, a.first, a.last, config)
    return 1.0


def _merge(a: _Rep, b: _Rep, method: str) -> _Rep:
    wa, wb = (a.size, b.size) if method == "average" else (1, 1)
    total = wa + wb
    lexical = {t: x * wa / total for t, x in a.lexical.items()}
    for term, weight in b.lexical.items():
        lexical[term] = lexical.get(term, 0.0) + weight * wb / total
    if len(lexical) > 2 * _REP_TERMS:
        lexical = {t: lexical[t] for t in top_terms(lexical, _REP_TERMS)}
    dense = None
    if a.dense is not None and b.dense is not None:
        dense = (a.dense * wa + b.dense * wb) / total
    firsts = [t for t in (a.first, b.first) if t is not None]
    lasts = [t for t in (a.last, b.last) if t is not None]
    return _Rep(
        lexical,
        dense,
        a.size + b.size,
        min(firsts) if firsts else None,
        max(lasts) if lasts else None,
    )


def link(reps: Sequence[_Rep], pairs: np.ndarray[Any, Any], config: ClusterConfig) -> list[int]:
    """Cluster label (the smallest member index) per article after linkage to the threshold."""
    threshold = config.join_threshold
    clusters: dict[int, _Rep] = dict(enumerate(reps))
    neighbours: dict[int, set[int]] = {i: set() for i in clusters}
    version = dict.fromkeys(clusters, 0)
    heap: list[tuple[float, int, int, int, int]] = []
    for i, j in pairs.tolist():
        neighbours[i].add(j)
        neighbours[j].add(i)
        score = _similarity(clusters[i], clusters[j], config)
        if score >= threshold:
            heap.append((-score, i, j, 0, 0))
    heapq.heapify(heap)
    parent = list(range(len(reps)))
    while heap:
        _, a, b, version_a, version_b = heapq.heappop(heap)
        if a not in clusters or b not in clusters:
            continue
        if version[a] != version_a or version[b] != version_b:
            continue  # scored before one of them changed
        keep, drop = min(a, b), max(a, b)
        clusters[keep] = _merge(clusters[keep], clusters.pop(drop), config.linkage)
        parent[drop] = keep
        version[keep] += 1
        around = (neighbours[keep] | neighbours.pop(drop)) - {keep, drop}
        neighbours[keep] = around
        for other in sorted(around):
            neighbours[other].discard(drop)
            neighbours[other].add(keep)
            score = _similarity(clusters[keep], clusters[other], config)
            if score >= threshold:
                low, high = min(keep, other), max(keep, other)
                heapq.heappush(heap, (-score, low, high, version[low], version[high]))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    return [root(i) for i in range(len(reps))]


def reassign(
    reps: Sequence[_Rep], labels: list[int], pairs: np.ndarray[Any, Any], config: ClusterConfig
) -> list[int]:
    """The split pass: an article moves to the story whose members it is on average closer to.

    Averages are exact (member-mean vectors); only stories of the article's candidate
    neighbours are considered, and a move needs the other story to reach the threshold.
    """
    means: dict[int, _Rep] = {}
    for index, label in enumerate(labels):
        rep = reps[index]
        means[label] = rep if label not in means else _merge(means[label], rep, "average")
    near: list[set[int]] = [set() for _ in labels]
    for i, j in pairs.tolist():
        near[i].add(labels[j])
        near[j].add(labels[i])
    moved = list(labels)
    for index, own in enumerate(labels):
        rep = reps[index]
        size = means[own].size
        self_score = _similarity(rep, rep, config)
        if size > 1:
            own_score = (size * _similarity(rep, means[own], config) - self_score) / (size - 1)
        else:
            own_score = -1.0
        best, best_score = own, own_score
        for label in sorted(near[index] - {own}):
            score = _similarity(rep, means[label], config)
            if score >= config.join_threshold and score > best_score:
                best, best_score = label, score
        moved[index] = best
    return moved

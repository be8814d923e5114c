"""Batch story clustering of a fixed set: linkage over a sparse candidate graph.

The same similarity as the online mode (word and entity TF-IDF, time proximity), but with
document frequencies of the whole set and a global pass: clusters merge best-first by
weighted linkage until none reaches the threshold (so an early article cannot pull a story
the wrong way; two clusters of snippets, such as headlines, by the cosine of their centroids
instead, see `linkage._snippets`), then a split pass moves an article to the story it is on
average closer to than its own (`stories.linkage`). Pairs are scored only between articles that share
one of their heaviest terms (an inverted index), never all pairs, so the cost grows about
linearly. Articles are processed in publication order then id, so the result does not depend
on input order.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.sparse import csr_matrix, hstack

from newsprism import ids
from newsprism.model import Article, Story
from newsprism.order import publication_order
from newsprism.stages import stage
from newsprism.stories.config import ClusterConfig
from newsprism.stories.features import DocumentFrequencies, extract_features
from newsprism.stories.heaviest import index_terms
from newsprism.stories.linkage import ArticleReps, decay_factors, link, reassign
from newsprism.stories.moves import Merge, Move
from newsprism.stories.similarity import (
    ArticleVector,
    embed_all,
    embedding_text,
    vectorise,
)

if TYPE_CHECKING:
    from newsprism.annotate.embed import Embedder
    from newsprism.annotate.models import Models
    from newsprism.settings import Settings

_MICROSECOND = timedelta(microseconds=1)
_PAIR_CHUNK = 50_000  # candidate pairs scored per sparse-matrix operation
_NO_PAIRS = np.zeros((0, 2), dtype=np.int64)
_ONLINE_CHUNK = 256  # articles embedded together when streaming
_ENTRY_CHUNK = 2_000_000  # posting-window entries counted per numpy pass


def cluster_articles(
    articles: Sequence[Article],
    *,
    config: ClusterConfig | None = None,
    embedder: Embedder | None = None,
) -> tuple[Story, ...]:
    """Group *articles* into stories; articles with `story` set keep that story as given.

    Args:
        articles: cleaned articles, any order (the result does not depend on it).
        config: clustering options; `ClusterConfig()` when None.
        embedder: sentence embedder, needed only with `config.use_embeddings`.

    Returns:
        Stories ordered by their first member's publication order; each story's id is
        "s-" + a hash of its first member's id, or the given `story` value.
    """
    config = config or ClusterConfig()
    unique = sorted(
        {a.id: a for a in articles}.values(), key=lambda a: publication_order(a.published, a.id)
    )
    given: dict[str, list[Article]] = {}
    free: list[Article] = []
    for article in unique:
        if article.story is not None:
            given.setdefault(article.story, []).append(article)
        else:
            free.append(article)
    stories = [_story(name, members, members[0].title) for name, members in given.items()]
    stories.extend(_cluster(free, config, embedder))
    first = {a.id: publication_order(a.published, a.id) for a in unique}
    return tuple(sorted(stories, key=lambda s: (first[s.article_ids[0]], s.id)))


def _story(story_id: str, members: Sequence[Article], headline: str) -> Story:
    return Story(id=story_id, article_ids=tuple(a.id for a in members), headline=headline)


def _cluster(
    articles: list[Article], config: ClusterConfig, embedder: Embedder | None
) -> list[Story]:
    if not articles:
        return []
    vectors = _vectors(articles, config, embedder)
    return stories_from_graph(vectors, _candidate_pairs(vectors, config), config)


def stories_from_graph(
    vectors: Sequence[ArticleVector], pairs: np.ndarray[Any, Any], config: ClusterConfig
) -> list[Story]:
    """The stories of *vectors* (in processing order) linked over the candidate *pairs*.

    The seam the Dask batch reuses: linkage, the split pass and the headline choice only ever
    look along candidate pairs, so each connected component of the candidate graph can be
    given here alone (its vectors in the same relative order, *pairs* renumbered) and yields
    exactly the stories the whole set gives for its articles.
    """
    if not vectors:
        return []
    reps = _article_reps(list(vectors), config)
    sims = _pair_similarities(reps, pairs, config)
    labels = link(reps, pairs, sims, config)
    if config.reassign:
        labels = reassign(reps, labels, pairs, config)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(label, []).append(index)
    central = _centrality(len(vectors), pairs, sims, labels)
    stories = []
    for members in groups.values():
        members.sort()  # processing order: earliest first
        head = max(members, key=lambda i: (central[i], -i))
        stories.append(
            Story(
                id=ids.story_id(vectors[members[0]].article_id),
                article_ids=tuple(vectors[i].article_id for i in members),
                headline=vectors[head].title,
            )
        )
    return stories


def _vectors(
    articles: list[Article], config: ClusterConfig, embedder: Embedder | None
) -> list[ArticleVector]:
    features = [extract_features(a) for a in articles]
    words, entities = DocumentFrequencies(), DocumentFrequencies()
    for feature in features:
        words.add(feature.words)
        entities.add(feature.entities)
    embeddings: Any = [None] * len(articles)
    if config.use_embeddings:
        embeddings = embed_all(
            embedder, [embedding_text(a, f) for a, f in zip(articles, features, strict=True)]
        )
    return [vectorise(f, words, entities, e) for f, e in zip(features, embeddings, strict=True)]


def _matrix(rows: list[dict[str, float]]) -> csr_matrix:
    """Rows as CSR; columns in term sort order (ties between weights then break by term)."""
    vocabulary = {t: k for k, t in enumerate(sorted({t for row in rows for t in row}))}
    indptr, indices, data = [0], list[int](), list[float]()
    for row in rows:
        indices.extend(map(vocabulary.__getitem__, row))
        data.extend(row.values())
        indptr.append(len(indices))
    shape = (len(rows), max(1, len(vocabulary)))
    matrix = csr_matrix(
        (np.array(data, dtype=np.float64), np.array(indices), np.array(indptr)), shape=shape
    )
    matrix.sort_indices()
    return matrix


def _article_reps(vectors: list[ArticleVector], config: ClusterConfig) -> ArticleReps:
    """Each article's row: the parts scaled so that a dot product is the similarity."""
    lexical_share = 1.0 - config.embedding_weight if config.use_embeddings else 1.0
    words = _matrix([v.words for v in vectors]) * math.sqrt(
        (1.0 - config.entity_weight) * lexical_share
    )
    names = _matrix([v.entities for v in vectors]) * math.sqrt(config.entity_weight * lexical_share)
    # Entity columns first: "e:<term>" sorts before "w:<term>", as the terms' keys did.
    lexical = csr_matrix(hstack([names, words], format="csr"))
    lexical.sort_indices()
    dense = None
    if config.use_embeddings:
        rows = np.stack([np.asarray(v.embedding, dtype=np.float32) for v in vectors])
        dense = rows * np.float32(math.sqrt(config.embedding_weight))
    epoch = datetime(1970, 1, 1)
    micros = np.array(
        [0 if v.published is None else (v.published - epoch) // _MICROSECOND for v in vectors],
        dtype=np.int64,
    )
    dated = np.array([v.published is not None for v in vectors], dtype=bool)
    words_seen = np.array([len(v.words) for v in vectors], dtype=np.int64)
    return ArticleReps(lexical=lexical, dense=dense, micros=micros, dated=dated, words=words_seen)


def _candidate_pairs(vectors: list[ArticleVector], config: ClusterConfig) -> np.ndarray[Any, Any]:
    """Pairs (i < j) sharing a heavy term, the best `batch_candidates` per article.

    Articles are in publication order, and so is each posting list; an article looks only at
    the `posting_window` entries on either side of itself in each list (its neighbours in
    time), so the work per article stays bounded however common a term gets. An article's
    partners are those it meets in most windows, ties to the earlier one. The window entries
    of many articles are counted at once in numpy, never one Python step per entry.
    """
    size, window = len(vectors), config.posting_window
    term_ids: dict[str, int] = {}
    terms: list[int] = []  # one entry per (article, index term), articles in order
    owners: list[int] = []
    for index, vector in enumerate(vectors):
        for name in index_terms(vector.words, vector.entities, config.index_terms):
            terms.append(term_ids.setdefault(name, len(term_ids)))
            owners.append(index)
    if not terms:
        return _NO_PAIRS
    term, owner = np.array(terms, dtype=np.int64), np.array(owners, dtype=np.int64)
    by_term = np.argsort(term, kind="stable")  # every posting list, in article order, end to end
    flat = owner[by_term]
    place = np.empty_like(by_term)
    place[by_term] = np.arange(len(by_term))
    counts = np.bincount(term)
    ends = np.cumsum(counts)
    starts = ends - counts
    low = np.maximum(starts[term], place - window)
    high = np.minimum(ends[term], place + window + 1)
    entries = np.cumsum(high - low)
    found = []
    begin = 0
    while begin < len(term):
        # Whole articles, about _ENTRY_CHUNK window entries at a time (bounded memory).
        stop = int(np.searchsorted(entries, entries[begin] + _ENTRY_CHUNK))
        stop = max(stop, begin + 1)
        while stop < len(term) and owner[stop] == owner[stop - 1]:
            stop += 1
        found.append(
            _best_partners(
                flat,
                owner[begin:stop],
                low[begin:stop],
                high[begin:stop],
                size,
                config.batch_candidates,
            )
        )
        begin = stop
    codes = np.sort(np.concatenate(found))
    if not len(codes):
        return _NO_PAIRS
    codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))]
    return np.stack([codes // size, codes % size], axis=1)


def _best_partners(
    flat: np.ndarray[Any, Any],
    owner: np.ndarray[Any, Any],
    low: np.ndarray[Any, Any],
    high: np.ndarray[Any, Any],
    size: int,
    count: int,
) -> np.ndarray[Any, Any]:
    """For each article of a chunk, its *count* partners with most window hits (as i * n + j).

    Pairs are packed into single int64 keys so that plain (SIMD) sorts do the counting and
    the ranking: (article, partner) to count hits, then (article, fewest misses, partner).
    """
    lengths = high - low
    where = np.repeat(low - (np.cumsum(lengths) - lengths), lengths) + np.arange(lengths.sum())
    base = int(owner[0])
    local, other = np.repeat(owner - base, lengths), flat[where]  # article within the chunk
    codes = np.sort((local * size + other)[other != local + base])
    if not len(codes):
        return codes
    edges = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))
    hits = np.diff(np.append(edges, len(codes)))
    codes = codes[edges]
    most = int(hits.max())
    ranked = np.sort(((codes // size) * (most + 1) + (most - hits)) * size + codes % size)
    local, other = ranked // ((most + 1) * size), ranked % size  # most hits first, then earliest
    position = np.arange(len(local))
    first = np.concatenate(([True], local[1:] != local[:-1]))
    keep = position - np.maximum.accumulate(np.where(first, position, 0)) < count
    article, other = local[keep] + base, other[keep]
    pairs: np.ndarray[Any, Any] = np.minimum(article, other) * size + np.maximum(article, other)
    return pairs


def _pair_similarities(
    reps: ArticleReps, pairs: np.ndarray[Any, Any], config: ClusterConfig
) -> np.ndarray[Any, Any]:
    """Similarity of each candidate pair (dot product of the rows, times time proximity)."""
    sims = np.zeros(len(pairs))
    # In chunks: row-gathering copies every term of both articles of each pair, so all pairs
    # of a 50k-article set at once would take gigabytes.
    for begin in range(0, len(pairs), _PAIR_CHUNK):
        left, right = pairs[begin : begin + _PAIR_CHUNK, 0], pairs[begin : begin + _PAIR_CHUNK, 1]
        chunk = np.asarray(reps.lexical[left].multiply(reps.lexical[right]).sum(axis=1)).ravel()
        if reps.dense is not None:
            chunk = chunk + np.einsum("ij,ij->i", reps.dense[left], reps.dense[right])
        sims[begin : begin + len(chunk)] = chunk
    factors = np.ones(len(pairs))
    left, right = pairs[:, 0], pairs[:, 1]
    both = np.flatnonzero(reps.dated[left] & reps.dated[right])
    gaps = np.abs(reps.micros[right[both]] - reps.micros[left[both]]).astype(np.float64)
    factors[both] = decay_factors(gaps, config)
    return sims * factors


def _centrality(
    size: int, pairs: np.ndarray[Any, Any], sims: np.ndarray[Any, Any], labels: list[int]
) -> list[float]:
    """Summed similarity of each article to its story's members among its candidate pairs."""
    if not len(pairs):
        return [0.0] * size
    label = np.array(labels)
    inside = label[pairs[:, 0]] == label[pairs[:, 1]]
    # Interleaved (i, j, i, j, ...): each article's sum adds up in pair order, as a loop would.
    ends = pairs[inside].ravel()
    weights = np.repeat(sims[inside], 2)
    central: list[float] = np.bincount(ends, weights=weights, minlength=size).tolist()
    return central


@stage(
    "cluster",
    scope="corpus",
    requires=("articles",),
    assigns=("stories",),
    uses=("models", "settings"),
)
def cluster_stories(
    articles: Sequence[Article], *, models: Models, settings: Settings
) -> tuple[Story, ...]:
    """The cluster stage: `cluster_articles` with the run's options, or with `settings.online`
    the articles streamed in publication order through `OnlineClusterer`; either way each
    story is named after its member read first, as the store names it (`named_by_arrival`)."""
    config = settings.cluster
    embedder = models.need_embedder() if config.use_embeddings else None
    if not settings.online:
        return named_by_arrival(
            cluster_articles(articles, config=config, embedder=embedder), articles
        )
    return named_by_arrival(_online(articles, config, embedder), articles)


def named_by_arrival(stories: Sequence[Story], articles: Sequence[Article]) -> tuple[Story, ...]:
    """*stories* with each clustered story named after its member that comes first in
    *articles* (the order they were read), the store's rule: a stored story is named after
    the article that started it, the first of its members to be ingested (a merge keeps the
    older story's name). So `brief` and `cluster` give a story the id a fresh store gives it
    for the same inputs. A story a record named (`story`) keeps that name.
    """
    arrival: dict[str, int] = {}
    named: set[str] = set()
    for index, article in enumerate(articles):
        arrival.setdefault(article.id, index)
        if article.story is not None:
            named.add(article.id)
    return tuple(
        story
        if story.article_ids[0] in named
        else dataclasses.replace(
            story, id=ids.story_id(min(story.article_ids, key=arrival.__getitem__))
        )
        for story in stories
    )


def _online(
    articles: Sequence[Article], config: ClusterConfig, embedder: Embedder | None
) -> tuple[Story, ...]:
    from newsprism.stories.online import OnlineClusterer

    clusterer = OnlineClusterer(config, embedder=embedder)
    ordered = sorted(
        {a.id: a for a in articles}.values(), key=lambda a: publication_order(a.published, a.id)
    )
    # Every story's members, kept here and moved as the clusterer merges and splits: the
    # clusterer forgets the stories that retire from its active window.
    members: dict[str, dict[str, None]] = {}
    for start in range(0, len(ordered), _ONLINE_CHUNK):
        chunk = ordered[start : start + _ONLINE_CHUNK]
        for article, story_id in zip(chunk, clusterer.add_many(chunk), strict=True):
            members.setdefault(story_id, {})[article.id] = None
        _follow(members, clusterer.take_moves())
    clusterer.decide()  # the stream ended: no later article will come for those waiting
    _follow(members, clusterer.take_moves())
    by_id = {a.id: a for a in ordered}
    arrival = {a.id: n for n, a in enumerate(ordered)}
    groups = {
        story_id: sorted((by_id[i] for i in ids_), key=lambda a: arrival[a.id])
        for story_id, ids_ in members.items()
        if ids_
    }
    headlines = {story.id: story.headline for story in clusterer.stories()}
    return tuple(
        Story(
            id=story_id,
            article_ids=tuple(a.id for a in group),
            headline=headlines.get(story_id) or group[0].title,
        )
        for story_id, group in groups.items()
    )


def _follow(members: dict[str, dict[str, None]], moves: Sequence[Move]) -> None:
    """Apply the clusterer's merges and splits, in order, to the members of each story."""
    for move in moves:
        if isinstance(move, Merge):
            members.setdefault(move.kept, {}).update(members.pop(move.dropped, {}))
        else:
            source = members.get(move.source, {})
            target = members.setdefault(move.new_id, {})
            for article_id in move.article_ids:
                source.pop(article_id, None)
                target[article_id] = None

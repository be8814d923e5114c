"""Batch story clustering of a fixed set: linkage over a sparse candidate graph.

The same similarity as the online mode (word and entity TF-IDF, time proximity), but with
document frequencies of the whole set and a global pass: clusters merge best-first by
weighted linkage until none reaches the threshold (so an early article cannot pull a story
the wrong way), then a split pass moves an article to the story it is on average closer to
than its own (`stories.linkage`). Pairs are scored only between articles that share
one of their heaviest terms (an inverted index), never all pairs, so the cost grows about
linearly. Articles are processed in publication order then id, so the result does not depend
on input order.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix

from newsprism.model import Article, Story
from newsprism.stories.config import ClusterConfig
from newsprism.stories.features import DocumentFrequencies, extract_features
from newsprism.stories.linkage import article_rep, link, reassign
from newsprism.stories.similarity import (
    ArticleVector,
    embed_all,
    embedding_text,
    order_key,
    story_id_for,
    time_factor,
    vectorise,
)

_PAIR_CHUNK = 50_000  # candidate pairs scored per sparse-matrix operation


def cluster_articles(
    articles: Sequence[Article], *, config: ClusterConfig | None = None
) -> tuple[Story, ...]:
    """Group *articles* into stories; articles with `story` set keep that story as given.

    Args:
        articles: cleaned articles, any order (the result does not depend on it).
        config: clustering options; `ClusterConfig()` when None.

    Returns:
        Stories ordered by their first member's publication order; each story's id is
        "s-" + a hash of its first member's id, or the given `story` value.
    """
    config = config or ClusterConfig()
    unique = sorted(
        {a.id: a for a in articles}.values(), key=lambda a: order_key(a.published, a.id)
    )
    given: dict[str, list[Article]] = {}
    free: list[Article] = []
    for article in unique:
        if article.story is not None:
            given.setdefault(article.story, []).append(article)
        else:
            free.append(article)
    stories = [_story(name, members, members[0].title) for name, members in given.items()]
    stories.extend(_cluster(free, config))
    first = {a.id: order_key(a.published, a.id) for a in unique}
    return tuple(sorted(stories, key=lambda s: (first[s.article_ids[0]], s.id)))


def _story(story_id: str, members: Sequence[Article], headline: str) -> Story:
    return Story(id=story_id, article_ids=tuple(a.id for a in members), headline=headline)


def _cluster(articles: list[Article], config: ClusterConfig) -> list[Story]:
    if not articles:
        return []
    vectors = _vectors(articles, config)
    pairs, sims = _candidate_similarities(vectors, config)
    reps = [article_rep(v, config) for v in vectors]
    labels = link(reps, pairs, config)
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
                id=story_id_for(articles[members[0]].id),
                article_ids=tuple(articles[i].id for i in members),
                headline=vectors[head].title,
            )
        )
    return stories


def _vectors(articles: list[Article], config: ClusterConfig) -> list[ArticleVector]:
    features = [extract_features(a) for a in articles]
    words, entities = DocumentFrequencies(), DocumentFrequencies()
    for feature in features:
        words.add(feature.words)
        entities.add(feature.entities)
    embeddings: Any = [None] * len(articles)
    if config.use_embeddings:
        embeddings = embed_all(
            [embedding_text(a, f) for a, f in zip(articles, features, strict=True)]
        )
    return [vectorise(f, words, entities, e) for f, e in zip(features, embeddings, strict=True)]


def _matrix(rows: list[dict[str, float]]) -> csr_matrix:
    vocabulary: dict[str, int] = {}
    indptr, indices, data = [0], [], []
    for row in rows:
        for term, weight in row.items():
            indices.append(vocabulary.setdefault(term, len(vocabulary)))
            data.append(weight)
        indptr.append(len(indices))
    shape = (len(rows), max(1, len(vocabulary)))
    return csr_matrix((np.array(data), np.array(indices), np.array(indptr)), shape=shape)


def _candidate_similarities(
    vectors: list[ArticleVector], config: ClusterConfig
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Pairs (i < j) sharing a heavy term, best `candidates` per article, and their similarity.

    Articles are in publication order, and so is each posting list; an article looks only at
    the `posting_window` entries on either side of itself in each list (its neighbours in
    time), so the work per article stays bounded however common a term gets.
    """
    postings: dict[str, list[int]] = {}
    terms = [v.index_terms(config.index_terms) for v in vectors]
    for index, row in enumerate(terms):
        for term in row:
            postings.setdefault(term, []).append(index)
    window = config.posting_window
    pair_set: set[tuple[int, int]] = set()
    for index, row in enumerate(terms):
        hits: Counter[int] = Counter()
        for term in row:
            posting = postings[term]
            where = bisect_left(posting, index)
            for other in posting[max(0, where - window) : where + window + 1]:
                if other != index:
                    hits[other] += 1
        best = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[: config.batch_candidates]
        pair_set.update((min(index, o), max(index, o)) for o, _ in best)
    if not pair_set:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0)
    pairs = np.array(sorted(pair_set), dtype=np.int64)
    words = _matrix([v.words for v in vectors])
    entities = _matrix([v.entities for v in vectors])
    matrix = np.stack([v.embedding for v in vectors]) if config.use_embeddings else None
    sims = np.zeros(len(pairs))
    # In chunks: row-gathering copies every term of both articles of each pair, so all pairs
    # of a 50k-article set at once would take gigabytes.
    for begin in range(0, len(pairs), _PAIR_CHUNK):
        left, right = pairs[begin : begin + _PAIR_CHUNK, 0], pairs[begin : begin + _PAIR_CHUNK, 1]
        chunk = (1 - config.entity_weight) * np.asarray(
            words[left].multiply(words[right]).sum(axis=1)
        ).ravel() + config.entity_weight * np.asarray(
            entities[left].multiply(entities[right]).sum(axis=1)
        ).ravel()
        if matrix is not None:
            semantic = np.einsum("ij,ij->i", matrix[left], matrix[right])
            chunk = (1 - config.embedding_weight) * chunk + config.embedding_weight * semantic
        sims[begin : begin + len(chunk)] = chunk
    factors = [
        time_factor(vectors[i].published, vectors[j].published, vectors[j].published, config)
        for i, j in pairs
    ]
    return pairs, sims * np.array(factors)


def _centrality(
    size: int, pairs: np.ndarray[Any, Any], sims: np.ndarray[Any, Any], labels: list[int]
) -> list[float]:
    central = [0.0] * size
    for (i, j), s in zip(pairs.tolist(), sims.tolist(), strict=True):
        if labels[i] == labels[j]:
            central[i] += s
            central[j] += s
    return central

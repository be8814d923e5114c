"""Story clustering in pieces that run on workers, giving `stories.batch.cluster_articles`.

The local clusterer (`stories.batch`) reads the free articles in publication order and
1. extracts features per article, counts document frequencies over all of them, vectorises;
2. finds candidate pairs: each article's posting-list neighbours (`posting_window` either
   side) in the lists of its heaviest terms, keeping its `batch_candidates` partners met in
   most lists (ties to the earlier);
3. links along the candidate pairs, runs the split pass and picks each story's headline.

Here (1) runs per partition, with the frequencies summed by a reduction; (2) is an inverted
index partitioned by term: each term bucket counts the window hits of its posting lists, and
each article bucket sums its articles' hits over all term buckets and keeps the best
partners, which is exactly the local count (a hit is one shared list); (3) never looks beyond
a candidate pair, so the candidate graph is split into connected components (ints only) and
each component is linked alone by `stories.batch.stories_from_graph`, its vectors in the same
relative order. Term ids inside a component follow the terms' sort order as the global ones
do, so every sum adds up in the same order and the scores are bit-identical. Stories are
then named after the member read first (`stories.batch.named_by_arrival`'s rule).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsprism import ids
from newsprism.distributed.catalog import OrderKey, PartitionPlan
from newsprism.model import Article, Story
from newsprism.order import publication_order
from newsprism.stories.batch import stories_from_graph
from newsprism.stories.config import ClusterConfig
from newsprism.stories.features import ArticleFeatures, DocumentFrequencies, extract_features
from newsprism.stories.heaviest import index_terms
from newsprism.stories.similarity import ArticleVector, vectorise

Array = np.ndarray[Any, Any]


@dataclass(frozen=True, slots=True)
class Keyed:
    """A free article on its way through clustering: its place in publication order among
    the free articles, its place in reading order, its order key, and its features/vector."""

    order: int
    arrival: int
    key: OrderKey
    value: Any  # ArticleFeatures, then ArticleVector


@dataclass(frozen=True, slots=True)
class LinkPlan:
    """The candidate graph cut into link tasks: the task of each free article (by order) and
    each task's candidate pairs (global order indices)."""

    group_of: Array
    pairs: tuple[Array, ...]


def bucket(term: str, buckets: int) -> int:
    """The shuffle bucket of *term* (crc32: the same in every process, unlike `hash`)."""
    return zlib.crc32(term.encode("utf-8")) % buckets


def partition_features(
    articles: Sequence[Article], plan: PartitionPlan, config: ClusterConfig
) -> tuple[list[Keyed], DocumentFrequencies, DocumentFrequencies]:
    """Features of the free articles a partition keeps, and their document frequencies."""
    if config.use_embeddings:
        raise ValueError("newsprism batch clusters on words and entities; embeddings are off")
    words, entities = DocumentFrequencies(), DocumentFrequencies()
    keyed = []
    for position, order, arrival in zip(plan.kept, plan.order, plan.arrival, strict=True):
        if order < 0:
            continue  # given a story by its record: not clustered
        article = articles[position]
        features = extract_features(article)
        words.add(features.words)
        entities.add(features.entities)
        key = publication_order(article.published, article.id)
        keyed.append(Keyed(order, arrival, key, features))
    return keyed, words, entities


def add_frequencies(
    parts: Sequence[tuple[DocumentFrequencies, DocumentFrequencies]],
) -> tuple[DocumentFrequencies, DocumentFrequencies]:
    """The word and entity frequencies of several parts summed (a reduction step)."""
    words, entities = DocumentFrequencies(), DocumentFrequencies()
    for part_words, part_entities in parts:
        for total, part in ((words, part_words), (entities, part_entities)):
            total.documents += part.documents
            total.counts.update(part.counts)
    return words, entities


def vectorise_partition(
    keyed: Sequence[Keyed],
    frequencies: tuple[DocumentFrequencies, DocumentFrequencies],
    config: ClusterConfig,
    buckets: int,
) -> tuple[list[Keyed], list[list[tuple[str, int, int]]]]:
    """Vectors of a partition's free articles, and their index-term postings by term bucket
    (term, order, rank of the term among the article's index terms)."""
    words, entities = frequencies
    vectors = []
    postings: list[list[tuple[str, int, int]]] = [[] for _ in range(buckets)]
    for item in keyed:
        features: ArticleFeatures = item.value
        vector = vectorise(features, words, entities)
        vectors.append(Keyed(item.order, item.arrival, item.key, vector))
        for rank, term in enumerate(index_terms(vector.words, vector.entities, config.index_terms)):
            postings[bucket(term, buckets)].append((term, item.order, rank))
    return vectors, postings


def window_hits(
    parts: Sequence[Sequence[tuple[str, int, int]]], size: int, window: int, buckets: int
) -> list[tuple[Array, Array]]:
    """For one term bucket: each (article, partner) pair's hits in its posting lists, as
    (article * size + partner codes, hits), split by the article's bucket."""
    entries = [entry for part in parts for entry in part]
    empty = [(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)) for _ in range(buckets)]
    if not entries:
        return empty
    names, term = np.unique(np.array([e[0] for e in entries], dtype=object), return_inverse=True)
    order = np.array([e[1] for e in entries], dtype=np.int64)
    rank = np.array([e[2] for e in entries], dtype=np.int64)
    sort = np.lexsort((rank, order, term))  # each posting list in article order, end to end
    term, flat = term[sort], order[sort]
    counts = np.bincount(term, minlength=len(names))
    ends = np.cumsum(counts)
    starts = ends - counts
    place = np.arange(len(flat))
    low = np.maximum(starts[term], place - window)
    high = np.minimum(ends[term], place + window + 1)
    lengths = high - low
    where = np.repeat(low - (np.cumsum(lengths) - lengths), lengths) + np.arange(lengths.sum())
    owner, other = np.repeat(flat, lengths), flat[where]
    codes = (owner * size + other)[other != owner]
    codes, hits = np.unique(codes, return_counts=True)
    target = (codes // size) % buckets
    return [(codes[target == b], hits[target == b]) for b in range(buckets)]


def best_partners(parts: Sequence[tuple[Array, Array]], size: int, count: int) -> Array:
    """For one article bucket: the candidate pairs (as low * size + high codes) of its
    articles' *count* partners met in most posting lists, ties to the earlier partner."""
    codes = np.concatenate([c for c, _ in parts]) if parts else np.zeros(0, dtype=np.int64)
    if not len(codes):
        return codes
    hits = np.concatenate([h for _, h in parts])
    codes, inverse = np.unique(codes, return_inverse=True)
    totals = np.bincount(inverse.ravel(), weights=hits).astype(np.int64)
    article, other = codes // size, codes % size
    ranked = np.lexsort((other, -totals, article))
    article, other = article[ranked], other[ranked]
    first = np.concatenate(([True], article[1:] != article[:-1]))
    position = np.arange(len(article))
    keep = position - np.maximum.accumulate(np.where(first, position, 0)) < count
    article, other = article[keep], other[keep]
    return np.unique(np.minimum(article, other) * size + np.maximum(article, other))


def plan_links(pair_parts: Sequence[Array], size: int, batch_articles: int) -> LinkPlan:
    """Connected components of the candidate graph, packed into link tasks of about
    *batch_articles* articles (components whole, in order of their earliest article)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    codes = np.unique(np.concatenate(pair_parts)) if pair_parts else np.zeros(0, dtype=np.int64)
    left, right = codes // size, codes % size
    graph = coo_matrix((np.ones(len(codes)), (left, right)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    # Components in order of their earliest member: labels are renumbered by first sight.
    _, first_seen, renumbered = np.unique(labels, return_index=True, return_inverse=True)
    component = np.argsort(np.argsort(first_seen))[renumbered.ravel()]
    sizes = np.bincount(component)
    group_of_component = np.zeros(len(sizes), dtype=np.int64)
    group, filled = 0, 0
    for index, members in enumerate(sizes.tolist()):
        if filled and filled + members > batch_articles:
            group, filled = group + 1, 0
        group_of_component[index] = group
        filled += members
    group_of = group_of_component[component] if size else np.zeros(0, dtype=np.int64)
    pair_group = group_of[left] if len(codes) else np.zeros(0, dtype=np.int64)
    pairs = np.stack([left, right], axis=1)
    groups = int(group_of.max()) + 1 if size else 0
    return LinkPlan(group_of, tuple(pairs[pair_group == g] for g in range(groups)))


def split_by_group(vectors: Sequence[Keyed], plan: LinkPlan) -> list[list[Keyed]]:
    """A partition's vectors by link task."""
    groups: list[list[Keyed]] = [[] for _ in plan.pairs]
    for item in vectors:
        groups[int(plan.group_of[item.order])].append(item)
    return groups


def link_group(
    parts: Sequence[Sequence[Keyed]], pairs: Array, config: ClusterConfig
) -> list[tuple[OrderKey, Story]]:
    """The stories of one link task's components, each with its first member's order key."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    items = sorted((item for part in parts for item in part), key=lambda item: item.order)
    local = {item.order: index for index, item in enumerate(items)}
    mapped = np.array([[local[i], local[j]] for i, j in pairs.tolist()], dtype=np.int64)
    mapped = mapped.reshape(-1, 2)
    size = len(items)
    graph = coo_matrix((np.ones(len(mapped)), (mapped[:, 0], mapped[:, 1])), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels.tolist()):
        members.setdefault(label, []).append(index)
    edges: dict[int, list[tuple[int, int]]] = {}
    for i, j in mapped.tolist():
        edges.setdefault(int(labels[i]), []).append((i, j))
    stories = []
    for label, component in members.items():
        stories.extend(_link_component(items, component, edges.get(label, []), config))
    return stories


def _link_component(
    items: Sequence[Keyed],
    component: Sequence[int],
    edges: Sequence[tuple[int, int]],
    config: ClusterConfig,
) -> list[tuple[OrderKey, Story]]:
    where = {index: k for k, index in enumerate(component)}  # component is in article order
    pairs = np.array([[where[i], where[j]] for i, j in edges], dtype=np.int64).reshape(-1, 2)
    vectors: list[ArticleVector] = [items[index].value for index in component]
    arrival = {items[index].value.article_id: items[index].arrival for index in component}
    keys = {items[index].value.article_id: items[index].key for index in component}
    named = []
    for story in stories_from_graph(vectors, pairs, config):
        first_read = min(story.article_ids, key=arrival.__getitem__)
        renamed = Story(
            id=ids.story_id(first_read), article_ids=story.article_ids, headline=story.headline
        )
        named.append((keys[story.article_ids[0]], renamed))
    return named


def order_stories(parts: Sequence[Sequence[tuple[OrderKey, Story]]]) -> list[Story]:
    """All stories in the order `cluster_articles` gives them: by their first member's order."""
    keyed = [pair for part in parts for pair in part]
    return [story for _, story in sorted(keyed, key=lambda pair: pair[0])]

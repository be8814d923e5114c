"""Article vectors and the one similarity both clustering modes use.

Similarity of an article to a story is the *average-link* similarity: the mean over the
story's members of the article-member similarity. With unit-length member vectors that is a
dot product with the story's summed vector divided by its size, so a story never needs its
members' vectors, and the batch mode's average linkage and the online mode agree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from newsprism.model import Article
from newsprism.order import without_timezone
from newsprism.stories.config import ClusterConfig
from newsprism.stories.features import (
    ArticleFeatures,
    DocumentFrequencies,
    SparseVector,
    cosine,
    tfidf,
    top_terms,
)

if TYPE_CHECKING:
    from newsprism.annotate.embed import Embedder


@dataclass(frozen=True, slots=True)
class ArticleVector:
    """One article ready to compare: unit-length word and entity TF-IDF (+ optional embedding)."""

    article_id: str
    words: SparseVector
    entities: SparseVector
    published: datetime | None
    title: str
    embedding: Any = None  # float32 unit row, or None when embeddings are off

    def index_terms(self, count: int) -> list[str]:
        """The heaviest terms of both kinds, for the candidate index (entities prefixed)."""
        merged = dict(self.words)
        for term, weight in self.entities.items():
            merged["e:" + term] = weight
        return top_terms(merged, count)


def vectorise(
    features: ArticleFeatures,
    words: DocumentFrequencies,
    entities: DocumentFrequencies,
    embedding: Any = None,
) -> ArticleVector:
    """TF-IDF vectors of *features* against the given document frequencies."""
    return ArticleVector(
        article_id=features.article_id,
        words=tfidf(features.words, words),
        entities=tfidf(features.entities, entities),
        published=features.published,
        title=features.title,
        embedding=embedding,
    )


def embedding_text(article: Article, features: ArticleFeatures) -> str:
    """What the embedder reads: the title and the lead."""
    return f"{features.title}\n{features.lead}"


def time_factor(
    published: datetime | None,
    first: datetime | None,
    last: datetime | None,
    config: ClusterConfig,
) -> float:
    """1.0 near the story's time span, decaying exponentially beyond the grace period."""
    if published is None or first is None or last is None:
        return 1.0
    try:
        if published < first:
            gap = (first - published).total_seconds()
        elif published > last:
            gap = (published - last).total_seconds()
        else:
            return 1.0
    except TypeError:  # naive vs aware datetimes: compare as if both were UTC
        return time_factor(
            without_timezone(published), without_timezone(first), without_timezone(last), config
        )
    days = gap / 86400.0 - config.time_grace_days
    return 1.0 if days <= 0 else math.exp(-days / config.time_decay_days)


def mean_similarity(
    vector: ArticleVector,
    word_sum: Mapping[str, float],
    entity_sum: Mapping[str, float],
    embedding_sum: Any,
    size: int,
    config: ClusterConfig,
) -> float:
    """Average-link similarity of *vector* to a group of *size* members given their sums."""
    lexical = (1.0 - config.entity_weight) * cosine(vector.words, word_sum) + (
        config.entity_weight * cosine(vector.entities, entity_sum)
    )
    score = lexical / size
    if config.use_embeddings and vector.embedding is not None and embedding_sum is not None:
        semantic = float(vector.embedding @ embedding_sum) / size
        score = (1.0 - config.embedding_weight) * score + config.embedding_weight * semantic
    return score


def add_into(total: dict[str, float], vector: Mapping[str, float], scale: float = 1.0) -> None:
    """total += scale * vector, in place."""
    for term, weight in vector.items():
        total[term] = total.get(term, 0.0) + scale * weight


def embed_all(embedder: Embedder | None, texts: Sequence[str]) -> Any:
    """Embeddings of *texts*; clustering with `use_embeddings` needs the embedder passed in."""
    if embedder is None:
        raise ValueError("ClusterConfig(use_embeddings=True) needs an embedder; pass embedder=")
    return embedder.embed(list(texts))


def centroid_similarity(
    vector: ArticleVector,
    word_sum: Mapping[str, float],
    entity_sum: Mapping[str, float],
    norms: tuple[float, float, float],
    embedding_sum: Any,
    config: ClusterConfig,
) -> float:
    """Cosine of *vector* with a story's centroid, word and entity parts each unit length.

    *norms* are the lengths of the word, entity and embedding sums (0.0 when empty).
    """
    word_norm, entity_norm, embedding_norm = norms
    words = cosine(vector.words, word_sum) / word_norm if word_norm else 0.0
    entities = cosine(vector.entities, entity_sum) / entity_norm if entity_norm else 0.0
    score = (1.0 - config.entity_weight) * words + config.entity_weight * entities
    if config.use_embeddings and vector.embedding is not None and embedding_norm:
        semantic = float(vector.embedding @ embedding_sum) / embedding_norm
        score = (1.0 - config.embedding_weight) * score + config.embedding_weight * semantic
    return score


def length_scale(distinct_words: int, config: ClusterConfig) -> float:
    """How much of the online threshold a text of *distinct_words* words must reach."""
    return min(1.0, math.sqrt(distinct_words / config.short_text_words))


def norm(vector: Mapping[str, float]) -> float:
    """Euclidean length of a sparse vector."""
    return math.sqrt(sum(v * v for v in vector.values()))

"""Cheap per-article features for story clustering: weighted word and entity counts.

Entities are capitalised phrases found by a regular expression, not a spaCy parse: clustering
must run at ≥100 articles/s, and names are what tell two similar events apart. Each capitalised
word also counts on its own so "Kassym-Jomart Tokayev", "Mr Tokayev" and "Tokayev" share a
feature. The title (or, without one, the first sentence) counts `TITLE_WEIGHT` times.
TF-IDF weighting happens later, against document frequencies the caller keeps
(`DocumentFrequencies`), so the same code serves a fixed batch and an endless stream.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newsprism.data.clustering import (
    ENTITY_LEAD_CHARS,
    LEAD_CHARS,
    TITLE_WEIGHT,
    WORD_MIN_LENGTH,
)
from newsprism.data.stopwords import CLUSTERING_STOP_WORDS
from newsprism.model import Article
from newsprism.text import stem_term

SparseVector = dict[str, float]

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|\d{4}")
_CAPITALISED = re.compile(r"[A-Z][A-Za-z'’\-]*[A-Za-z]|[A-Z]\.(?:[A-Z]\.)+")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n|``\s*|[\"“]\s*)$")
_CONNECTORS = {"of", "de", "the", "and", "for", "al", "bin", "van", "von", "la", "le", "du"}


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """Raw (not yet IDF-weighted) term counts of one article, plus what clustering needs."""

    article_id: str
    words: Mapping[str, float]
    entities: Mapping[str, float]
    published: datetime | None
    title: str
    lead: str


def _words(text: str) -> Iterable[str]:
    for word in _WORD.findall(text.lower()):
        if len(word) >= WORD_MIN_LENGTH and word not in CLUSTERING_STOP_WORDS:
            yield stem_term(word)


def _entities(text: str) -> Iterable[str]:
    """Capitalised words (not sentence-initial stop words) and the phrases they form."""
    phrase: list[str] = []
    last_end = -1
    for match in _CAPITALISED.finditer(text):
        token = stem_term(match.group().lower())
        start = match.start()
        at_start = start == 0 or _SENTENCE_START.search(text, max(0, start - 4), start) is not None
        if at_start and token in CLUSTERING_STOP_WORDS:
            continue
        gap = text[last_end:start]
        joined = phrase and (gap == " " or (gap.strip() in _CONNECTORS and len(gap) < 6))
        if not joined and phrase:
            if len(phrase) > 1:
                yield " ".join(phrase)
            phrase = []
        if token not in CLUSTERING_STOP_WORDS:
            yield token
        phrase.append(token)
        last_end = match.end()
    if len(phrase) > 1:
        yield " ".join(phrase)


def _utc_naive(moment: datetime | None) -> datetime | None:
    # One time scale for comparisons: aware datetimes become naive UTC, naive ones are kept.
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _lead(article: Article) -> tuple[str, str]:
    """(title, lead): the title, or the first line when the article has none; and the lead."""
    text = article.text.strip()
    title = article.title.strip()
    if not title:
        title = text.split("\n", 1)[0][:300]
    return title, text[:LEAD_CHARS]


def extract_features(article: Article) -> ArticleFeatures:
    """Word and entity counts of *article*, with the title weighted up."""
    title, lead = _lead(article)
    words: Counter[str] = Counter(_words(article.text))
    for word in _words(article.title):
        words[word] += TITLE_WEIGHT
    for word in _words(title if not article.title else ""):
        words[word] += TITLE_WEIGHT - 1
    entities: Counter[str] = Counter(_entities(article.text[:ENTITY_LEAD_CHARS]))
    for entity in _entities(title):
        entities[entity] += TITLE_WEIGHT - (0 if article.title else 1)
    return ArticleFeatures(
        article_id=article.id,
        words=dict(words),
        entities=dict(entities),
        published=_utc_naive(article.published),
        title=title,
        lead=lead,
    )


class DocumentFrequencies:
    """Document frequencies of terms, counted as articles arrive, giving smooth IDF weights."""

    def __init__(self) -> None:
        self.documents = 0
        self.counts: Counter[str] = Counter()

    def add(self, terms: Iterable[str]) -> None:
        """Count one more document holding *terms*."""
        self.documents += 1
        self.counts.update(set(terms))

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency (sklearn's ``smooth_idf`` formula)."""
        return math.log((1 + self.documents) / (1 + self.counts.get(term, 0))) + 1.0

    def prune(self, max_terms: int) -> None:
        """Forget the rarest terms when the vocabulary outgrows *max_terms* (bounded memory).

        A forgotten term counts as unseen: the highest IDF, which is what a term seen once has.
        """
        if len(self.counts) > max_terms:
            keep = self.counts.most_common(max_terms // 2)
            self.counts = Counter(dict(keep))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready state."""
        return {"documents": self.documents, "counts": dict(self.counts)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DocumentFrequencies:
        """The inverse of `as_dict`."""
        frequencies = cls()
        frequencies.documents = int(data["documents"])
        frequencies.counts = Counter({str(k): int(v) for k, v in data["counts"].items()})
        return frequencies


def tfidf(counts: Mapping[str, float], frequencies: DocumentFrequencies) -> SparseVector:
    """Sublinear TF-IDF of *counts*, L2-normalised (an empty input gives an empty vector)."""
    # `DocumentFrequencies.idf` inlined: this runs for every term of every article.
    total, seen, log = 1 + frequencies.documents, frequencies.counts.get, math.log
    vector = {
        t: (1.0 + log(c)) * (log(total / (1 + seen(t, 0))) + 1.0)
        for t, c in counts.items()
        if c > 0
    }
    return normalise(vector)


def normalise(vector: Mapping[str, float]) -> SparseVector:
    """*vector* scaled to unit length."""
    norm = math.sqrt(sum(v * v for v in vector.values()))
    if norm == 0.0:
        return {}
    return {t: v / norm for t, v in vector.items()}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two sparse vectors (cosine when both are unit length)."""
    # The key intersection runs in C; only shared terms are multiplied in Python.
    return sum([a[t] * b[t] for t in a.keys() & b.keys()])


def top_terms(vector: Mapping[str, float], count: int) -> list[str]:
    """The *count* heaviest terms, ties broken by the term for determinism."""
    return [t for t, _ in sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:count]]

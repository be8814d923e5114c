"""Shared passages: sentences reused verbatim or near-verbatim across different articles.

Wire copy shows up as sentences that two outlets print with at most a few words changed
("despatch peacekeepers" / "dispatch troops"). Each long-enough sentence gets a MinHash of its
word 3-shingles; LSH proposes pairs from different origins and the exact containment of the shorter
sentence's shingles in the other decides.
Matched sentences are grouped (union-find) into one `SharedPassage` per reused passage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from newsprism.data.clustering import (
    PASSAGE_CONTAINMENT,
    PASSAGE_LSH_THRESHOLD,
    PASSAGE_MIN_SHARED,
    PASSAGE_MIN_WORDS,
    PASSAGE_NUM_PERM,
    PASSAGE_SHINGLE_WORDS,
)
from newsprism.dedup.minhash import candidate_pairs, containment, shingles
from newsprism.grouping import UnionFind
from newsprism.model import Article, SharedPassage, Span
from newsprism.text import words_of

try:  # the annotate stage's splitter (pysbd on paragraphs), shared with every other stage
    from newsprism.annotate.sentences import split_sentences
except ImportError:  # pragma: no cover - only while that module is missing
    split_sentences = None  # type: ignore[assignment]


def sentence_spans(article: Article) -> list[Span]:
    """Spans of the sentences of *article* (pysbd per paragraph)."""
    if split_sentences is not None:
        return [sentence.span for sentence in split_sentences(article)]
    return _line_spans(article)  # pragma: no cover


def _line_spans(article: Article) -> list[Span]:  # pragma: no cover - fallback only
    spans, cursor = [], 0
    for line in article.text.split("\n"):
        if line.strip():
            spans.append(Span(article_id=article.id, start=cursor, end=cursor + len(line)))
        cursor += len(line) + 1
    return spans


def find_passages(
    articles: Sequence[Article], article_origin: Mapping[str, str]
) -> tuple[SharedPassage, ...]:
    """Sentences shared by articles of different origins, grouped into passages.

    Args:
        articles: the articles to compare (any order; the result does not depend on it).
        article_origin: article id -> origin id; sentences of one origin never pair up.

    Returns:
        One SharedPassage per reused sentence, its spans sorted, passages sorted by first span.
    """
    spans: list[Span] = []
    sets: list[set[int]] = []
    for article in sorted(articles, key=lambda a: a.id):
        for span in sentence_spans(article):
            words = words_of(span.text_of(article.text))
            if len(words) >= PASSAGE_MIN_WORDS:
                spans.append(span)
                sets.append(shingles(words, PASSAGE_SHINGLE_WORDS))
    keys = [(s.article_id, s.start, s.end) for s in spans]
    same = UnionFind(range(len(spans)))
    best: dict[int, float] = {}  # set name -> the lowest containment that joined it
    pairs = candidate_pairs(keys, sets, threshold=PASSAGE_LSH_THRESHOLD, num_perm=PASSAGE_NUM_PERM)
    for i, j in pairs:
        a, b = spans[i].article_id, spans[j].article_id
        if article_origin.get(a, a) == article_origin.get(b, b):
            continue
        similarity = containment(sets[i], sets[j])
        if similarity < PASSAGE_CONTAINMENT or len(sets[i] & sets[j]) < PASSAGE_MIN_SHARED:
            continue
        ri, rj = same.find(i), same.find(j)
        low = min(best.get(ri, 1.0), best.get(rj, 1.0), similarity)
        best[same.union(ri, rj)] = low
    groups = {r: [spans[i] for i in members] for r, members in same.groups().items()}
    passages = [
        SharedPassage(spans=tuple(sorted(members)), similarity=round(best.get(r, 1.0), 4))
        for r, members in groups.items()
        if len({article_origin.get(s.article_id, s.article_id) for s in members}) > 1
    ]
    return tuple(sorted(passages, key=lambda p: p.spans[0]))

"""The story's timeline: every resolved date with the sentence around it, and date conflicts.

Entries are sorted by date (then end date, article order, position) and deduplicated: one entry
per sentence and date, and one entry for the same date stated in the same words by several
articles (wire copy). Unresolved dates ("unknown") are left out.

Anchoring rule: an article without a publication date borrows one from the story when the
story's dated articles were all published within `ANCHOR_SPREAD_DAYS` of each other; the anchor
is the lower median of their publication dates. Its relative expressions ("yesterday", "on
Thursday") are then resolved against that anchor, with the tense read lexically from the
sentence (no parse at this stage).

Two articles date the same event differently when sentences with exactly one resolved date each
say the same thing (sentence embeddings at least `SAME_EVENT_SIMILARITY`, or, without vectors,
word overlap at least `SAME_EVENT_JACCARD`) and the dates are disjoint (`incompatible`) or
overlap without one containing the other (`differing`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from newsprism.annotate.dates import points_forward, resolve_date
from newsprism.model import (
    AnnotatedArticle,
    DateMention,
    Disagreement,
    DisagreementClaim,
    DisagreementKind,
    Precision,
    TimelineEntry,
)

ANCHOR_SPREAD_DAYS = 3
SAME_EVENT_SIMILARITY = 0.80
SAME_EVENT_JACCARD = 0.5
# "as of August 2016, 50 cases": the date a count was taken, not when something happened; it
# stays on the timeline but conflicts with no event date ("tracking began in 2014").
_AS_OF = re.compile(r"\b(?:as of|as at)\s+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Dated:
    article: AnnotatedArticle
    order: int
    mention: DateMention
    value: str
    end: str
    precision: Precision


def build_timeline(
    articles: Sequence[AnnotatedArticle],
) -> tuple[tuple[TimelineEntry, ...], tuple[Disagreement, ...]]:
    """The dated events of a story, sorted and cited, and the dates outlets disagree on.

    Args:
        articles: the annotated articles of one story, in story order.

    Returns:
        (timeline entries, date disagreements with ``field="date"``).
    """
    anchor = story_anchor(articles)
    dated: list[_Dated] = []
    for order, article in enumerate(articles):
        for mention in article.dates:
            item = _resolved(article, order, mention, anchor)
            if item is not None:
                dated.append(item)
    dated.sort(key=lambda d: (d.value, d.end, d.order, d.mention.span.start))
    entries: list[TimelineEntry] = []
    seen: set[tuple[object, ...]] = set()
    for item in dated:
        sentence = item.article.sentences[item.mention.sentence]
        keys = (
            ("sentence", sentence.span.article_id, sentence.index, item.value, item.end),
            ("words", " ".join(sentence.text.lower().split()), item.value, item.end),
        )
        if any(key in seen for key in keys):
            continue
        seen.update(keys)
        entries.append(
            TimelineEntry(
                date=item.value,
                precision=item.precision,
                text=sentence.text,
                span=sentence.span,
                end=item.end if item.end != item.value else None,
            )
        )
    return tuple(entries), _date_disagreements(dated)


def story_anchor(articles: Sequence[AnnotatedArticle]) -> date | None:
    """The date undated articles of the story are read against (see the module docstring)."""
    published = sorted(
        a.article.published.date() for a in articles if isinstance(a.article.published, datetime)
    )
    if not published or (published[-1] - published[0]).days > ANCHOR_SPREAD_DAYS:
        return None
    return published[(len(published) - 1) // 2]


def _resolved(
    article: AnnotatedArticle, order: int, mention: DateMention, anchor: date | None
) -> _Dated | None:
    value, end, precision = mention.value, mention.end, mention.precision
    if value is None and article.article.published is None and anchor is not None:
        sentence = article.sentences[mention.sentence].text
        value, end, precision = resolve_date(mention.text, anchor, forward=points_forward(sentence))
    if value is None:
        return None
    return _Dated(
        article=article,
        order=order,
        mention=mention,
        value=value,
        end=end or value,
        precision=precision,
    )


def _date_disagreements(dated: list[_Dated]) -> tuple[Disagreement, ...]:
    per_sentence: dict[tuple[int, int], list[_Dated]] = {}
    for item in dated:
        per_sentence.setdefault((item.order, item.mention.sentence), []).append(item)
    single = [
        items[0]
        for items in per_sentence.values()
        if len(items) == 1 and not _reference_time(items[0])
    ]
    found: list[Disagreement] = []
    for i, a in enumerate(single):
        for b in single[i + 1 :]:
            if a.order == b.order or not _same_event(a, b):
                continue
            kind = _judge_dates(a, b)
            if kind is not None:
                found.append(_disagreement(kind, a, b))
    return tuple(found)


def _reference_time(item: _Dated) -> bool:
    """The date a figure was taken at ("as of August 2016")."""
    start = item.mention.span.start
    return bool(_AS_OF.search(item.article.article.text[max(0, start - 12) : start]))


def _judge_dates(a: _Dated, b: _Dated) -> DisagreementKind | None:
    if a.end < b.value or b.end < a.value:
        return "incompatible"
    a_in_b = b.value <= a.value and a.end <= b.end
    b_in_a = a.value <= b.value and b.end <= a.end
    return None if a_in_b or b_in_a else "differing"


def _same_event(a: _Dated, b: _Dated) -> bool:
    va, vb = _vector(a), _vector(b)
    if va is not None and vb is not None:
        return float(va @ vb) >= SAME_EVENT_SIMILARITY
    words_a = _words(a.article.sentences[a.mention.sentence].text)
    words_b = _words(b.article.sentences[b.mention.sentence].text)
    union = words_a | words_b
    return bool(union) and len(words_a & words_b) / len(union) >= SAME_EVENT_JACCARD


def _vector(item: _Dated) -> np.ndarray | None:
    vectors = item.article.sentence_vectors
    if vectors is None or item.mention.sentence >= len(vectors):
        return None
    return np.asarray(vectors[item.mention.sentence])


def _words(text: str) -> set[str]:
    return {w.strip(".,;:\"'()").lower() for w in text.split() if len(w) > 3}


def _disagreement(kind: DisagreementKind, a: _Dated, b: _Dated) -> Disagreement:
    claims = tuple(
        DisagreementClaim(
            value=f"{d.mention.text} ({d.value}{'' if d.end == d.value else '/' + d.end})",
            low=None,
            high=None,
            qualifier=d.precision,
            unit=None,
            text=d.article.sentences[d.mention.sentence].text,
            span=d.mention.span,
        )
        for d in (a, b)
    )
    subject = " ".join(claims[0].text.split()[:12])
    return Disagreement(subject=f"date: {subject}", kind=kind, field="date", claims=claims)

"""The brief as JSON: the public contract (SPEC "The brief as JSON"). Field names are fixed.

Offsets are Python string indices into the cleaned `text` of the article they name.
Infinite interval bounds ("at least 12,000" has no upper bound) are written as null.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import datetime

from newsprism.contract import (
    BRIEF_SCHEMA,
    AddedDict,
    ArticleDict,
    BriefDict,
    CitationDict,
    CoverageDict,
    DisagreementClaimDict,
    DisagreementDict,
    EntityDict,
    FactDict,
    QuoteCitationDict,
    QuoteDict,
    QuoteVariantDict,
    StoryDict,
    SummaryItemDict,
    TimelineDict,
)
from newsprism.model import (
    Article,
    Brief,
    ClaimGroup,
    Coverage,
    Disagreement,
    Entity,
    QuoteGroup,
    QuoteVariant,
    Span,
    StoryBrief,
    SummaryItem,
    TimelineEntry,
)

SCHEMA = BRIEF_SCHEMA


def iso_date(value: datetime | None) -> str | None:
    """A date as ISO text: the day alone unless a time of day is known."""
    if value is None:
        return None
    if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
        return value.date().isoformat()
    return value.isoformat()


def citation(span: Span) -> CitationDict:
    return {"article_id": span.article_id, "start": span.start, "end": span.end}


def span_of(data: CitationDict | DisagreementClaimDict | TimelineDict | AddedDict) -> Span:
    """The Span a contract citation (or an object carrying one) points at."""
    return Span(article_id=data["article_id"], start=data["start"], end=data["end"])


def _bound(value: float | None) -> float | None:
    # JSON has no infinity or NaN: an open bound (or an unknown value) is written as null.
    if value is None or math.isinf(value) or math.isnan(value):
        return None
    return value


def article_to_dict(article: Article) -> ArticleDict:
    return {
        "id": article.id,
        "source": article.source,
        "outlet": article.outlet,
        "title": article.title,
        "published": iso_date(article.published),
        "url": article.url,
        "byline": article.byline,
        "text": article.text,
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
        "story": article.story,
        "raw_ref": article.raw_ref,
    }


def summary_item_to_dict(item: SummaryItem) -> SummaryItemDict:
    return {"text": item.text, "citations": [citation(s) for s in item.citations]}


def fact_to_dict(fact: ClaimGroup) -> FactDict:
    return {
        "id": fact.id,
        "text": fact.text,
        "status": fact.status,
        "independent_sources": fact.independent_sources,
        "article_ids": sorted({m.article_id for m in fact.members}),
        "citations": [citation(s) for s in fact.members],
        "added": [{"text": a.text, **citation(a.span)} for a in fact.added],
    }


def disagreement_to_dict(disagreement: Disagreement) -> DisagreementDict:
    return {
        "subject": disagreement.subject,
        "kind": disagreement.kind,
        "field": disagreement.field,
        "claims": [
            {
                "value": claim.value,
                "low": _bound(claim.low),
                "high": _bound(claim.high),
                "qualifier": claim.qualifier,
                "unit": claim.unit,
                "text": claim.text,
                **citation(claim.span),
            }
            for claim in disagreement.claims
        ],
        "note": disagreement.note,
    }


def quote_to_dict(quote: QuoteGroup) -> QuoteDict:
    citations: list[QuoteCitationDict] = []
    for cited in quote.citations:
        entry: QuoteCitationDict = {**citation(cited.span)}  # type: ignore[typeddict-item]
        if cited.speaker_span is not None:
            entry["speaker_start"] = cited.speaker_span.start
            entry["speaker_end"] = cited.speaker_span.end
        citations.append(entry)
    return {
        "speaker": quote.speaker,
        "speaker_entity_id": quote.speaker_entity_id,
        "kind": quote.kind,
        "text": quote.text,
        "citations": citations,
        "variants": [_variant(v) for v in quote.variants],
    }


def _variant(variant: QuoteVariant) -> QuoteVariantDict:
    entry: QuoteVariantDict = {
        "text": variant.text,
        "article_id": variant.article_id,
        "altered": variant.altered,
    }
    if variant.span is not None:
        entry["start"], entry["end"] = variant.span.start, variant.span.end
    return entry


def entity_to_dict(entity: Entity) -> EntityDict:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "article_ids": list(entity.article_ids),
        "mentions": len(entity.mentions),
        "mention_citations": [citation(m) for m in entity.mentions],
    }


def timeline_to_dict(entry: TimelineEntry) -> TimelineDict:
    return {
        "date": entry.date,
        "end_date": entry.end,
        "precision": entry.precision,
        "text": entry.text,
        **citation(entry.span),
    }


def coverage_to_dict(coverage: Coverage) -> CoverageDict:
    return {
        "article_id": coverage.article_id,
        "outlet": coverage.outlet,
        "unique_facts": list(coverage.unique_facts),
        "omits": list(coverage.omits),
    }


def story_to_dict(story: StoryBrief) -> StoryDict:
    """One story of the contract's `stories` list."""
    return {
        "id": story.id,
        "headline": story.headline,
        "article_ids": list(story.article_ids),
        "summary": [summary_item_to_dict(i) for i in story.summary],
        "facts": [fact_to_dict(f) for f in story.facts],
        "disagreements": [disagreement_to_dict(d) for d in story.disagreements],
        "quotes": [quote_to_dict(q) for q in story.quotes],
        "entities": [entity_to_dict(e) for e in story.entities],
        "timeline": [timeline_to_dict(t) for t in story.timeline],
        "coverage": [coverage_to_dict(c) for c in story.coverage],
        "duplicates": [
            {"article_ids": list(g.article_ids), "kind": g.kind, "similarity": _bound(g.similarity)}
            for g in story.duplicates
        ],
    }


def brief_to_dict(brief: Brief) -> BriefDict:
    """The whole brief as the contract's JSON object."""
    return {
        "schema": SCHEMA,
        "articles": [article_to_dict(a) for a in brief.articles],
        "stories": [story_to_dict(s) for s in brief.stories],
        "rejections": [
            {"source": r.source, "reason": r.reason, "code": r.code} for r in brief.rejections
        ],
    }


def stories_to_dict(articles: Sequence[Article], stories: Sequence[StoryBrief]) -> BriefDict:
    """A contract object for some stories and exactly the articles they cite."""
    wanted = {i for s in stories for i in s.article_ids}
    return brief_to_dict(
        Brief(articles=tuple(a for a in articles if a.id in wanted), stories=tuple(stories))
    )


def render_json(brief: Brief) -> str:
    return json.dumps(brief_to_dict(brief), ensure_ascii=False, indent=2) + "\n"

"""The brief as JSON: the public contract (SPEC "The brief as JSON"). Field names are fixed.

Offsets are Python string indices into the cleaned `text` of the article they name.
Infinite interval bounds ("at least 12,000" has no upper bound) are written as null.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from newsprism.model import (
    Article,
    Brief,
    ClaimGroup,
    Coverage,
    Disagreement,
    Entity,
    QuoteGroup,
    Span,
    StoryBrief,
    SummaryItem,
    TimelineEntry,
)

SCHEMA = "newsprism/brief@1"


def iso_date(value: datetime | None) -> str | None:
    """A date as ISO text: the day alone unless a time of day is known."""
    if value is None:
        return None
    if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
        return value.date().isoformat()
    return value.isoformat()


def citation(span: Span) -> dict[str, Any]:
    return {"article_id": span.article_id, "start": span.start, "end": span.end}


def _bound(value: float | None) -> float | None:
    if value is None or math.isinf(value) or math.isnan(value):
        return None
    return value


def article_to_dict(article: Article) -> dict[str, Any]:
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
    }


def summary_item_to_dict(item: SummaryItem) -> dict[str, Any]:
    return {"text": item.text, "citations": [citation(s) for s in item.citations]}


def fact_to_dict(fact: ClaimGroup) -> dict[str, Any]:
    return {
        "id": fact.id,
        "text": fact.text,
        "status": fact.status,
        "independent_sources": fact.independent_sources,
        "article_ids": sorted({m.article_id for m in fact.members}),
        "citations": [citation(s) for s in fact.members],
    }


def disagreement_to_dict(disagreement: Disagreement) -> dict[str, Any]:
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


def quote_to_dict(quote: QuoteGroup) -> dict[str, Any]:
    citations = []
    for cited in quote.citations:
        entry = citation(cited.span)
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
        "variants": [
            {"text": v.text, "article_id": v.article_id, "altered": v.altered}
            for v in quote.variants
        ],
    }


def entity_to_dict(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "article_ids": list(entity.article_ids),
        "mentions": len(entity.mentions),
    }


def timeline_to_dict(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "date": entry.date,
        "end": entry.end,
        "precision": entry.precision,
        "text": entry.text,
        **citation(entry.span),
    }


def coverage_to_dict(coverage: Coverage) -> dict[str, Any]:
    return {
        "article_id": coverage.article_id,
        "outlet": coverage.outlet,
        "unique_facts": list(coverage.unique_facts),
        "omits": list(coverage.omits),
    }


def story_to_dict(story: StoryBrief) -> dict[str, Any]:
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
            {"article_ids": list(g.article_ids), "kind": g.kind, "similarity": g.similarity}
            for g in story.duplicates
        ],
    }


def brief_to_dict(brief: Brief) -> dict[str, Any]:
    """The whole brief as the contract's JSON object."""
    return {
        "schema": SCHEMA,
        "articles": [article_to_dict(a) for a in brief.articles],
        "stories": [story_to_dict(s) for s in brief.stories],
        "rejections": [
            {"source": r.source, "reason": r.reason, "code": r.code} for r in brief.rejections
        ],
    }


def stories_to_dict(articles: Sequence[Article], stories: Sequence[StoryBrief]) -> dict[str, Any]:
    """A contract object for some stories and exactly the articles they cite."""
    wanted = {i for s in stories for i in s.article_ids}
    return brief_to_dict(
        Brief(articles=tuple(a for a in articles if a.id in wanted), stories=tuple(stories))
    )


def render_json(brief: Brief) -> str:
    return json.dumps(brief_to_dict(brief), ensure_ascii=False, indent=2) + "\n"

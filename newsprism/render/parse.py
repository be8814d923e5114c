"""The contract read back: a `newsprism/brief@1` object as the data model (`Brief`).

`brief_to_dict(brief_from_dict(data)) == data` for every object `brief_to_dict` writes, so a
stored or posted brief can be handled with the same types as a fresh one.
"""

from __future__ import annotations

from datetime import datetime

from newsprism.contract import (
    ArticleDict,
    BriefDict,
    DisagreementDict,
    EntityDict,
    QuoteDict,
    StoryDict,
)
from newsprism.model import (
    AddedDetail,
    Article,
    Brief,
    ClaimGroup,
    Coverage,
    Disagreement,
    DisagreementClaim,
    DuplicateGroup,
    Entity,
    QuoteCitation,
    QuoteGroup,
    QuoteVariant,
    Rejection,
    Removal,
    Span,
    StoryBrief,
    SummaryItem,
    TimelineEntry,
)
from newsprism.render.json import SCHEMA, span_of


def brief_from_dict(data: BriefDict) -> Brief:
    """The Brief a contract object describes (ValueError for another schema)."""
    if data.get("schema") != SCHEMA:
        raise ValueError(f"not a {SCHEMA} object (schema {data.get('schema')!r})")
    return Brief(
        articles=tuple(_article(a) for a in data["articles"]),
        stories=tuple(_story(s) for s in data["stories"]),
        rejections=tuple(
            Rejection(source=r["source"], reason=r["reason"], code=r["code"])
            for r in data.get("rejections", [])
        ),
    )


def _article(data: ArticleDict) -> Article:
    published = data["published"]
    return Article(
        id=data["id"],
        source=data["source"],
        outlet=data["outlet"],
        title=data["title"],
        text=data["text"],
        published=datetime.fromisoformat(published) if published else None,
        url=data["url"],
        byline=data["byline"],
        story=data.get("story"),
        removed=tuple(Removal(text=r["text"], reason=r["reason"]) for r in data["removed"]),
        raw_ref=data.get("raw_ref", ""),
    )


def _story(data: StoryDict) -> StoryBrief:
    return StoryBrief(
        id=data["id"],
        headline=data["headline"],
        article_ids=tuple(data["article_ids"]),
        summary=tuple(
            SummaryItem(text=i["text"], citations=tuple(span_of(c) for c in i["citations"]))
            for i in data["summary"]
        ),
        facts=tuple(
            ClaimGroup(
                id=f["id"],
                text=f["text"],
                members=tuple(span_of(c) for c in f["citations"]),
                status=f["status"],
                independent_sources=f["independent_sources"],
                added=tuple(
                    AddedDetail(text=a["text"], span=span_of(a)) for a in f.get("added", [])
                ),
            )
            for f in data["facts"]
        ),
        disagreements=tuple(_disagreement(d) for d in data["disagreements"]),
        quotes=tuple(_quote(q) for q in data["quotes"]),
        entities=tuple(_entity(e) for e in data["entities"]),
        timeline=tuple(
            TimelineEntry(
                date=t["date"],
                precision=t["precision"],
                text=t["text"],
                span=span_of(t),
                end=t["end_date"],
            )
            for t in data["timeline"]
        ),
        coverage=tuple(
            Coverage(
                article_id=c["article_id"],
                outlet=c["outlet"],
                unique_facts=tuple(c["unique_facts"]),
                omits=tuple(c["omits"]),
            )
            for c in data["coverage"]
        ),
        duplicates=tuple(
            DuplicateGroup(
                article_ids=tuple(g["article_ids"]),
                kind=g["kind"],
                similarity=_number(g["similarity"]),
            )
            for g in data["duplicates"]
        ),
    )


def _disagreement(data: DisagreementDict) -> Disagreement:
    return Disagreement(
        subject=data["subject"],
        kind=data["kind"],
        field=data["field"],
        claims=tuple(
            DisagreementClaim(
                value=c["value"],
                low=c["low"],
                high=c["high"],
                qualifier=c["qualifier"],
                unit=c["unit"],
                text=c["text"],
                span=span_of(c),
            )
            for c in data["claims"]
        ),
        note=data["note"],
    )


def _quote(data: QuoteDict) -> QuoteGroup:
    citations = []
    for cited in data["citations"]:
        speaker = None
        if "speaker_start" in cited and "speaker_end" in cited:
            speaker = Span(
                article_id=cited["article_id"],
                start=cited["speaker_start"],
                end=cited["speaker_end"],
            )
        citations.append(QuoteCitation(span=span_of(cited), speaker_span=speaker))
    variants = []
    for variant in data["variants"]:
        span = None
        if "start" in variant and "end" in variant:
            span = Span(
                article_id=variant["article_id"], start=variant["start"], end=variant["end"]
            )
        variants.append(
            QuoteVariant(
                text=variant["text"],
                article_id=variant["article_id"],
                altered=variant["altered"],
                span=span,
            )
        )
    return QuoteGroup(
        speaker=data["speaker"],
        speaker_entity_id=data["speaker_entity_id"],
        kind=data["kind"],
        text=data["text"],
        citations=tuple(citations),
        variants=tuple(variants),
    )


def _entity(data: EntityDict) -> Entity:
    return Entity(
        id=data["id"],
        name=data["name"],
        type=data["type"],
        aliases=tuple(data["aliases"]),
        article_ids=tuple(data["article_ids"]),
        mentions=tuple(span_of(c) for c in data.get("mention_citations", [])),
    )


def _number(value: float | None) -> float:
    return float("nan") if value is None else value  # null stands for a value JSON cannot hold

"""A small hand-built brief (our own invented text) for renderer and contract tests."""

from __future__ import annotations

import math
from datetime import datetime

from newsprism.model import (
    Article,
    Brief,
    ClaimGroup,
    Coverage,
    Disagreement,
    DisagreementClaim,
    Entity,
    QuoteCitation,
    QuoteGroup,
    QuoteVariant,
    Span,
    StoryBrief,
    SummaryItem,
    TimelineEntry,
)

TEXT_A = (
    "The harbour bridge in Vellmar reopened on Monday after a month of repairs.\n\n"
    'Mayor Ilse Varga said: "The bridge is safe again." About 300 workers took part.'
)
TEXT_B = (
    "Vellmar's harbour bridge is open again, the city said.\n\n"
    'At least 500 workers repaired it. "The bridge is safe," Varga told reporters. <script>alert(1)</script>'
)


def span_of(article: Article, words: str) -> Span:
    start = article.text.index(words)
    return Span(article_id=article.id, start=start, end=start + len(words))


def small_brief() -> Brief:
    a = Article(
        id="aaaa",
        source="a.txt",
        outlet="Vellmar Post",
        title="Bridge reopens",
        text=TEXT_A,
        published=datetime(2024, 3, 4),
    )
    b = Article(
        id="bbbb", source="b.txt", outlet="Coast <b>Radio</b>", title="Bridge open", text=TEXT_B
    )
    s_a1 = span_of(a, "The harbour bridge in Vellmar reopened on Monday after a month of repairs.")
    s_b1 = span_of(b, "Vellmar's harbour bridge is open again, the city said.")
    f1 = ClaimGroup(
        id="f1",
        text=s_a1.text_of(a.text),
        members=(s_a1, s_b1),
        status="disputed",
        independent_sources=2,
    )
    s_b2 = span_of(b, "At least 500 workers repaired it.")
    f2 = ClaimGroup(
        id="f2",
        text=s_b2.text_of(b.text),
        members=(s_b2,),
        status="single_source",
        independent_sources=1,
    )
    story = StoryBrief(
        id="s-test",
        headline="Bridge reopens",
        article_ids=(a.id, b.id),
        summary=(SummaryItem(text=f1.text, citations=(s_a1, s_b1)),),
        facts=(f1, f2),
        disagreements=(
            Disagreement(
                subject="workers",
                kind="incompatible",
                field="number",
                claims=(
                    DisagreementClaim(
                        value="About 300",
                        low=270.0,
                        high=330.0,
                        qualifier="about",
                        unit="workers",
                        text="About 300 workers took part.",
                        span=span_of(a, "About 300"),
                    ),
                    DisagreementClaim(
                        value="At least 500",
                        low=500.0,
                        high=math.inf,
                        qualifier="at least",
                        unit="workers",
                        text="At least 500 workers repaired it.",
                        span=span_of(b, "At least 500"),
                    ),
                ),
            ),
        ),
        quotes=(
            QuoteGroup(
                speaker="Ilse Varga",
                speaker_entity_id="e1",
                kind="direct",
                text="The bridge is safe again.",
                citations=(
                    QuoteCitation(
                        span=span_of(a, "The bridge is safe again."),
                        speaker_span=span_of(a, "Mayor Ilse Varga"),
                    ),
                    QuoteCitation(
                        span=span_of(b, "The bridge is safe,"), speaker_span=span_of(b, "Varga")
                    ),
                ),
                variants=(
                    QuoteVariant(text="The bridge is safe,", article_id=b.id, altered=False),
                ),
            ),
        ),
        entities=(
            Entity(
                id="e1",
                name="Ilse Varga",
                type="PERSON",
                aliases=("Ilse Varga", "Varga"),
                article_ids=(a.id, b.id),
                mentions=(span_of(a, "Ilse Varga"), span_of(b, "Varga")),
            ),
        ),
        timeline=(
            TimelineEntry(date="2024-03-04", precision="day", text=s_a1.text_of(a.text), span=s_a1),
        ),
        coverage=(
            Coverage(article_id=a.id, outlet=a.outlet, unique_facts=(), omits=()),
            Coverage(article_id=b.id, outlet=b.outlet, unique_facts=("f2",), omits=()),
        ),
    )
    return Brief(articles=(a, b), stories=(story,))

"""Compose one story's brief from its annotated articles: the compare stages, then the summary.

Duplicates (exact or near reprints) are analysed once: the first article of each duplicate
group stands for the group and the others are listed in `StoryBrief.duplicates`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from newsprism.annotate.embed import Embedder
from newsprism.brief.headline import choose_headline
from newsprism.brief.summary import summarize
from newsprism.compare.align import align_claims
from newsprism.compare.coverage import compute_coverage
from newsprism.compare.disagreements import find_disagreements
from newsprism.compare.entities import resolve_entities
from newsprism.compare.quotes import group_quotes
from newsprism.compare.timeline import build_timeline
from newsprism.model import (
    AnnotatedArticle,
    ClaimGroup,
    Disagreement,
    DuplicateGroup,
    Origins,
    StoryBrief,
)


def compose_story(
    story_id: str,
    articles: Sequence[AnnotatedArticle],
    origins: Origins,
    *,
    embedder: Embedder | None = None,
    summary_words: int | None = None,
) -> StoryBrief:
    """The cross-source brief of one story (articles in a deterministic order)."""
    ids = {a.id for a in articles}
    duplicates = tuple(
        DuplicateGroup(
            article_ids=tuple(i for i in group.article_ids if i in ids),
            kind=group.kind,
            similarity=group.similarity,
        )
        for group in origins.duplicates
        if sum(1 for i in group.article_ids if i in ids) > 1
    )
    reprints = {i for group in duplicates for i in group.article_ids[1:]}
    primary = [a for a in articles if a.id not in reprints]

    facts = align_claims(primary, origins)
    disagreements = list(find_disagreements(primary, embedder))
    timeline, date_disagreements = build_timeline(primary)
    entities = resolve_entities(primary)
    quotes, speaker_disagreements = group_quotes(primary, entities)
    disagreements += [*date_disagreements, *speaker_disagreements]
    facts = mark_disputed(representative_first(facts, primary), disagreements)
    return StoryBrief(
        id=story_id,
        headline=choose_headline(primary, facts),
        article_ids=tuple(a.id for a in articles),
        summary=summarize(primary, facts, max_words=summary_words),
        facts=facts,
        disagreements=tuple(disagreements),
        quotes=quotes,
        entities=entities,
        timeline=timeline,
        coverage=compute_coverage(primary, facts),
        duplicates=duplicates,
    )


def representative_first(
    facts: Sequence[ClaimGroup], articles: Sequence[AnnotatedArticle]
) -> tuple[ClaimGroup, ...]:
    """Put the member whose words are the fact's text first, so the first citation is exact."""
    texts = {a.id: a.article.text for a in articles}
    ordered = []
    for fact in facts:
        members = sorted(
            fact.members, key=lambda m: m.text_of(texts.get(m.article_id, "")) != fact.text
        )
        ordered.append(replace(fact, members=tuple(members)))
    return tuple(ordered)


def mark_disputed(
    facts: Sequence[ClaimGroup], disagreements: Sequence[Disagreement]
) -> tuple[ClaimGroup, ...]:
    """Facts holding a sentence that takes a side in a disagreement become `disputed`."""
    sides = [claim.span for d in disagreements for claim in d.claims]
    marked = []
    for fact in facts:
        touched = any(
            member.article_id == side.article_id
            and member.start < side.end
            and side.start < member.end
            for member in fact.members
            for side in sides
        )
        marked.append(replace(fact, status="disputed") if touched else fact)
    return tuple(marked)

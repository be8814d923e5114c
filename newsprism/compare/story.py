"""The compare stage: everything one story's articles say in common or in conflict.

Duplicates (exact or near reprints) are analysed once: the first article of each duplicate
group stands for the group. Facts that take a side in a disagreement become `disputed`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from newsprism.compare.align import align_claims
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
    StoryAnalysis,
)
from newsprism.stages import stage

if TYPE_CHECKING:
    from newsprism.annotate.models import Models


@stage(
    "compare",
    scope="story",
    requires=("members", "origins"),
    assigns=("analysis",),
    uses=("models",),
)
def compare_story(
    members: Sequence[AnnotatedArticle], origins: Origins, *, models: Models
) -> StoryAnalysis:
    """Facts, disagreements, quotes, entities and timeline of one story's *members*."""
    duplicates = story_duplicates(members, origins)
    reprints = {i for group in duplicates for i in group.article_ids[1:]}
    primary = [a for a in members if a.id not in reprints]
    facts = align_claims(primary, origins, models.cross_encoder)
    disagreements = list(find_disagreements(primary, models.embedder))
    timeline, date_disagreements = build_timeline(primary)
    entities = resolve_entities(primary)
    quotes, speaker_disagreements = group_quotes(primary, entities)
    disagreements += [*date_disagreements, *speaker_disagreements]
    facts = mark_disputed(representative_first(facts, primary), disagreements)
    return StoryAnalysis(
        primary=tuple(a.id for a in primary),
        duplicates=duplicates,
        facts=facts,
        disagreements=tuple(disagreements),
        quotes=quotes,
        entities=entities,
        timeline=timeline,
    )


def story_duplicates(
    members: Sequence[AnnotatedArticle], origins: Origins
) -> tuple[DuplicateGroup, ...]:
    """The duplicate groups of *origins* restricted to this story's members."""
    ids = {a.id for a in members}
    return tuple(
        DuplicateGroup(
            article_ids=tuple(i for i in group.article_ids if i in ids),
            kind=group.kind,
            similarity=group.similarity,
        )
        for group in origins.duplicates
        if sum(1 for i in group.article_ids if i in ids) > 1
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

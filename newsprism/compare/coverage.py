"""Per-outlet coverage: which facts only one article carries, which corroborated ones it lacks."""

from __future__ import annotations

from collections.abc import Sequence

from newsprism.model import AnnotatedArticle, ClaimGroup, Coverage

__all__ = ["compute_coverage"]


def compute_coverage(
    articles: Sequence[AnnotatedArticle], facts: Sequence[ClaimGroup]
) -> tuple[Coverage, ...]:
    """What each article adds and omits, in the order the articles are given.

    Args:
        articles: the story's annotated articles.
        facts: the story's claim groups (from `align_claims`, statuses possibly updated).

    Returns:
        One Coverage per article: `unique_facts` are ids of facts only that article carries;
        `omits` are ids of corroborated facts (carried by two or more articles, including
        disputed ones) that it does not carry. Both follow the order of *facts*.
    """
    carriers = {fact.id: {span.article_id for span in fact.members} for fact in facts}
    coverage = []
    for item in articles:
        unique = tuple(fact.id for fact in facts if carriers[fact.id] == {item.id})
        omits = tuple(
            fact.id
            for fact in facts
            if len(carriers[fact.id]) >= 2 and item.id not in carriers[fact.id]
        )
        coverage.append(
            Coverage(
                article_id=item.id, outlet=item.article.outlet, unique_facts=unique, omits=omits
            )
        )
    return tuple(coverage)

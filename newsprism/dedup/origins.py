"""Duplicate articles and origins: five outlets printing one wire story are one source.

Duplicate groups come from `dedup.duplicates`, shared wire passages from `dedup.passages`;
every article's origin is the earliest article of its duplicate group, or the wire agency its
dateline names.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsprism.dedup.duplicates import duplicate_similarity, find_duplicates
from newsprism.dedup.passages import find_passages
from newsprism.model import AnnotatedArticle, Article, Origins
from newsprism.outlets import dateline_agency
from newsprism.stages import stage

__all__ = ["duplicate_similarity", "find_duplicates", "find_origins", "story_origins"]


def find_origins(articles: Sequence[Article]) -> Origins:
    """Duplicate groups, shared passages and the origin of every article.

    Args:
        articles: cleaned articles (any order; the result does not depend on it).

    Returns:
        Origins whose `article_origin` maps each article id to the id of the earliest article
        of its duplicate group (its own id when it has no duplicate), or to "wire:AGENCY" when
        the article, or the origin of its group, opens with that agency's dateline ("CAIRO
        (Reuters) -"): outlets running one agency's story are one source.
    """
    duplicates = find_duplicates(articles)
    article_origin = {a.id: a.id for a in articles}
    for group in duplicates:
        for article_id in group.article_ids:
            article_origin[article_id] = group.article_ids[0]
    wire = {a.id: f"wire:{agency}" for a in articles if (agency := dateline_agency(a.text))}
    for article_id, origin in article_origin.items():
        article_origin[article_id] = wire.get(article_id) or wire.get(origin) or origin
    passages = find_passages(articles, article_origin)
    return Origins(article_origin=article_origin, duplicates=duplicates, passages=passages)


@stage("dedup", scope="story", requires=("members",), assigns=("origins",))
def story_origins(members: Sequence[AnnotatedArticle]) -> Origins:
    """The dedup stage: `find_origins` over one story's articles."""
    return find_origins([member.article for member in members])

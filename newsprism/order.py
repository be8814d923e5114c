"""Publication order: the sort keys that make every stage independent of input order.

There are two keys, and they differ on purpose (until the pipeline decides otherwise):

- `publication_order` (undated articles last, ties by id) is the order clustering reads
  articles in and dedup picks a copy's origin by. The earliest copy is the origin, and an
  article with no date must not win over one that has a date. (A story is named after its
  member read first, not by this key: `stories.batch.named_by_arrival`.)
- `brief_order` (undated articles first, ties by source, then id) is the order a story's
  members are briefed in (`pipeline.story_states`). Making it `publication_order` would move
  undated articles to the end of their story, which changes summaries and headlines: a change
  to measure, not to slip in here.

Articles carry naive UTC datetimes (ingest and clean convert), so neither key meets a time zone
in the product; `publication_order` drops one if it is given one.
"""

from __future__ import annotations

from datetime import datetime

from newsprism.model import Article


def without_timezone(moment: datetime) -> datetime:
    """*moment* with its time zone dropped (clock time kept): comparable with naive datetimes."""
    return moment.replace(tzinfo=None) if moment.tzinfo else moment


def publication_order(published: datetime | None, article_id: str) -> tuple[int, str, str]:
    """Dated articles first, earliest first, then undated ones; ties by id."""
    stamp = without_timezone(published).isoformat() if published else ""
    return (0 if stamp else 1, stamp, article_id)


def brief_order(article: Article) -> tuple[datetime, str, str]:
    """Undated articles first, then by time, source, id: never by input order."""
    return (article.published or datetime.min, article.source, article.id)

"""The corpus-wide bookkeeping of a batch: which copy of each article is kept, in what order.

`pipeline.load_articles` keeps one copy of each article id (the first in brief order), lists
the articles in the order they were read, and rejects a repeat that names another story
(`pipeline.story_conflicts`); clustering reads the free articles in publication order. Here
the same decisions are made from each partition's small metadata (ids, dates, sources,
story names, titles; never texts), by one task on a worker, and handed back to each
partition as its `PartitionPlan`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from newsprism.model import Article, Rejection, Story
from newsprism.order import brief_order, publication_order
from newsprism.pipeline import story_conflict

OrderKey = tuple[int, str, str]  # `order.publication_order`


@dataclass(frozen=True, slots=True)
class Meta:
    """What the catalog needs of one article read by a partition."""

    id: str
    published: datetime | None
    source: str
    story: str | None
    title: str


@dataclass(frozen=True, slots=True)
class PartitionPlan:
    """For one partition: the positions of the copies it keeps, and for each kept article its
    place in publication order among the free articles (-1 for an article given a story) and
    its place in reading order."""

    kept: tuple[int, ...]
    order: tuple[int, ...]
    arrival: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Catalog:
    """The corpus decisions: one plan per partition, the stories records named, the story
    conflicts rejected, and the counts."""

    plans: tuple[PartitionPlan, ...]
    given: tuple[tuple[OrderKey, Story], ...]  # each with its first member's order key
    conflicts: tuple[Rejection, ...]
    free: int
    unique: int


def meta_of(article: Article) -> Meta:
    """The catalog's view of *article*."""
    return Meta(article.id, article.published, article.source, article.story, article.title)


def _brief_key(meta: Meta) -> tuple[datetime, str, str]:
    # `order.brief_order` on the fields it reads.
    probe = Article(
        id=meta.id, source=meta.source, outlet="", title="", text="", published=meta.published
    )
    return brief_order(probe)


def build_catalog(metas: Sequence[Sequence[Meta]]) -> Catalog:
    """The decisions for partitions whose articles are *metas* (partitions in reading order)."""
    kept: dict[str, tuple[tuple[datetime, str, str], int, int]] = {}
    first_read: dict[str, tuple[int, int]] = {}
    for p, rows in enumerate(metas):
        for position, meta in enumerate(rows):
            first_read.setdefault(meta.id, (p, position))
            candidate = (_brief_key(meta), p, position)
            if meta.id not in kept or candidate < kept[meta.id]:
                kept[meta.id] = candidate  # the first copy in brief order (`unique_articles`)
    keeper = {i: metas[p][pos] for i, (_, p, pos) in kept.items()}
    reading = sorted(first_read, key=first_read.__getitem__)
    arrival = {article_id: rank for rank, article_id in enumerate(reading)}
    by_time = sorted(keeper.values(), key=lambda m: publication_order(m.published, m.id))
    free = [m.id for m in by_time if m.story is None]
    order = {article_id: rank for rank, article_id in enumerate(free)}
    plans = []
    for p, rows in enumerate(metas):
        positions = tuple(sorted(pos for _, q, pos in kept.values() if q == p))
        ids = [rows[pos].id for pos in positions]
        plans.append(
            PartitionPlan(
                kept=positions,
                order=tuple(order.get(i, -1) for i in ids),
                arrival=tuple(arrival[i] for i in ids),
            )
        )
    return Catalog(
        plans=tuple(plans),
        given=_given_stories(by_time),
        conflicts=_conflicts(metas, keeper),
        free=len(free),
        unique=len(keeper),
    )


def _given_stories(by_time: Sequence[Meta]) -> tuple[tuple[OrderKey, Story], ...]:
    """Stories records named, members in publication order, headed by the first one's title
    (as `stories.batch.cluster_articles` makes them)."""
    given: dict[str, list[Meta]] = {}
    for meta in by_time:
        if meta.story is not None:
            given.setdefault(meta.story, []).append(meta)
    return tuple(
        (
            publication_order(members[0].published, members[0].id),
            Story(id=name, article_ids=tuple(m.id for m in members), headline=members[0].title),
        )
        for name, members in given.items()
    )


def _conflicts(metas: Sequence[Sequence[Meta]], keeper: dict[str, Meta]) -> tuple[Rejection, ...]:
    """`pipeline.story_conflicts` from metadata: a repeat naming another story than the kept
    copy is rejected, in reading order."""
    stories_left = {meta.story for meta in keeper.values()}
    rejections = []
    for rows in metas:
        for meta in rows:
            kept = keeper[meta.id]
            if meta is not kept and meta.story not in (None, kept.story):
                repeat = Article(
                    id=meta.id, source=meta.source, outlet="", title="", text="", story=meta.story
                )
                rejections.append(story_conflict(repeat, kept.source, kept.story, stories_left))
    return tuple(rejections)

"""Scale-out on Dask: the same stage functions mapped over partitions of stories.

Nothing in the core imports Dask; this module only schedules `pipeline.brief_stories` (annotate,
dedup, compare, compose) over partitions, builds the whole graph and calls `compute` once. Each
worker loads the models once (they are cached per process). Results equal a local run.

    from dask.distributed import Client, LocalCluster
    with Client(LocalCluster(n_workers=2, threads_per_worker=1)) as client:
        brief = brief_on_dask(["articles.jsonl"], client=client)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsprism.errors import NoArticles
from newsprism.model import Article, Brief, Story, StoryBrief
from newsprism.pipeline import (
    BriefSettings,
    brief_stories,
    group_stories,
    load_articles,
    unique_articles,
)


def _partitions(stories: Sequence[Story], count: int) -> list[list[Story]]:
    # Round-robin over stories sorted by size keeps partitions balanced.
    ordered = sorted(stories, key=lambda s: (-len(s.article_ids), s.id))
    parts: list[list[Story]] = [[] for _ in range(max(1, min(count, len(ordered))))]
    for number, story in enumerate(ordered):
        parts[number % len(parts)].append(story)
    return parts


def _brief_partition(
    articles: Sequence[Article], stories: Sequence[Story], settings: BriefSettings
) -> tuple[StoryBrief, ...]:
    return brief_stories(articles, stories, settings=settings)


def brief_stories_dask(
    articles: Sequence[Article],
    stories: Sequence[Story],
    *,
    client: Any,
    settings: BriefSettings | None = None,
    partitions: int | None = None,
) -> tuple[StoryBrief, ...]:
    """`pipeline.brief_stories` over partitions on a dask.distributed Client (order kept)."""
    from dask.base import compute
    from dask.delayed import delayed

    settings = settings or BriefSettings()
    workers = len(client.scheduler_info().get("workers", {})) or 1
    parts = _partitions(stories, partitions or 2 * workers)
    by_id = {a.id: a for a in articles}
    tasks = [
        delayed(_brief_partition)(
            [by_id[i] for story in part for i in story.article_ids], part, settings
        )
        for part in parts
    ]
    results = compute(*tasks, scheduler=client.get)  # type: ignore[no-untyped-call]
    by_story = {brief.id: brief for result in results for brief in result}
    return tuple(by_story[story.id] for story in stories)


def brief_on_dask(
    inputs: Sequence[str], *, client: Any, settings: BriefSettings | None = None
) -> Brief:
    """`pipeline.run_pipeline` with the per-story work spread over a Dask cluster."""
    loaded, rejections = load_articles(inputs)
    articles = unique_articles(loaded)
    if not articles:
        raise NoArticles(f"no article could be read from {list(inputs)}")
    stories = group_stories(articles)
    briefs = brief_stories_dask(articles, stories, client=client, settings=settings)
    return Brief(articles=tuple(articles), stories=briefs, rejections=rejections)

"""The work of one task of a batch, on a worker: plain functions of plain values.

Reading and cleaning a partition, and annotating and briefing a batch of stories, call the same
functions as `newsprism brief` (`ingest.read_inputs`, `pipeline.clean_documents`,
`annotate_articles`, `pipeline.brief_story`) with the worker's own models
(`executors.worker_models`, loaded once per worker process). The costly results are
checkpointed in OUT/_work (`manifest.checkpointed`, or a marker once a story batch's files
are written), so a rerun skips them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from newsprism.distributed import datasets
from newsprism.distributed.catalog import Meta, PartitionPlan, meta_of
from newsprism.distributed.manifest import WORK, checkpointed, write_atomic
from newsprism.distributed.partitions import Partition, read_partition
from newsprism.model import Article, Rejection, Story
from newsprism.order import without_timezone
from newsprism.settings import Settings


@dataclass(frozen=True, slots=True)
class Loaded:
    """A partition read and cleaned: its articles (in reading order) and its rejections."""

    articles: tuple[Article, ...]
    read_rejections: tuple[Rejection, ...]
    clean_rejections: tuple[Rejection, ...]
    outside: int  # articles left out by --since/--until
    reused: bool = False


@dataclass(frozen=True, slots=True)
class Window:
    """--since/--until: articles published in [since, until) (naive UTC); None: unbounded."""

    since: datetime | None = None
    until: datetime | None = None

    def holds(self, article: Article) -> bool:
        """Whether *article* is inside (an undated article is outside any bound)."""
        if self.since is None and self.until is None:
            return True
        if article.published is None:
            return False
        moment = without_timezone(article.published)
        after = self.since is None or moment >= without_timezone(self.since)
        return after and (self.until is None or moment < without_timezone(self.until))


def load_partition(partition: Partition, out: Path, window: Window) -> Loaded:
    """Read and clean *partition* (or take its checkpoint)."""
    from newsprism.pipeline import clean_documents

    def compute() -> Loaded:
        result = read_partition(partition)
        articles, rejections = clean_documents(result.documents)
        inside = tuple(a for a in articles if window.holds(a))
        return Loaded(inside, result.rejections, rejections, len(articles) - len(inside))

    path = out / WORK / f"loaded-{partition.key()}-{_digest([str(window)])}.pkl"
    loaded, reused = checkpointed(path, compute)
    return replace(loaded, reused=reused)


def metas(loaded: Loaded) -> list[Meta]:
    """The catalog's view of a partition's articles."""
    return [meta_of(article) for article in loaded.articles]


def split_articles(
    loaded: Loaded, plan: PartitionPlan, batch_of: dict[str, int], batches: int
) -> list[list[Article]]:
    """The articles a partition keeps, by the story batch that annotates and briefs them."""
    parts: list[list[Article]] = [[] for _ in range(batches)]
    for position in plan.kept:
        article = loaded.articles[position]
        parts[batch_of[article.id]].append(article)
    return parts


def batch_name(stories: Sequence[Story]) -> str:
    """A story batch's file name part: a hash of its stories and their members."""
    return _digest([s.id + ":" + ",".join(s.article_ids) + ":" + s.headline for s in stories])


def brief_batch(
    stories: Sequence[Story],
    parts: Sequence[Sequence[Article]],
    out: Path,
    settings: Settings,
) -> tuple[str, int, bool]:
    """Annotate and brief *stories* and write their files; returns (the batch's name, its
    number of stories, whether it was already written).

    Annotation happens here, per story batch, not per partition: the pipeline annotates
    after clustering anyway, and so a worker never holds more annotations than one batch
    (they are several times the text's size), however large the corpus.
    """
    name = batch_name(stories)
    marker = out / WORK / f"briefed-{name}.json"
    if marker.exists():
        return name, len(stories), True
    from newsprism.annotate.annotator import annotate_articles
    from newsprism.executors import worker_models
    from newsprism.pipeline import brief_story, story_states
    from newsprism.render.json import article_to_dict, story_to_dict

    models = worker_models()
    articles = [article for part in parts for article in part]
    states = story_states(stories, annotate_articles(articles, models=models, settings=settings))
    briefs = [story_to_dict(brief_story(s, models=models, settings=settings)) for s in states]
    lines = "".join(json.dumps(b, ensure_ascii=False) + "\n" for b in briefs)
    write_atomic(
        out / "briefs" / f"part-{name}.jsonl",
        lambda path: path.write_text(lines, encoding="utf-8"),
    )
    for table, rows in datasets.story_rows(briefs).items():
        datasets.write_table(out, table, name, rows)
    rows = [
        {**article_to_dict(member.article), "story_id": state.story.id}
        for state in states
        for member in state.members
    ]
    datasets.write_table(out, "articles", name, datasets.rows_of("articles", rows))
    write_atomic(marker, lambda path: path.write_text("{}\n", encoding="utf-8"))
    return name, len(stories), False


def _digest(values: Sequence[str]) -> str:
    hasher = hashlib.sha1()
    for value in values:
        hasher.update(value.encode("utf-8", "backslashreplace") + b"\x00")
    return hasher.hexdigest()[:16]

"""The batch as a Dask graph: every stage on workers, the driver holding only futures.

    plan (driver: list, stat, split)        partitions P
    read + clean           x P              load_partition        (checkpointed)
    catalog                x 1              kept copies, orders   (metadata only)
    features, frequencies  x P, reduce      clustering.partition_features / add_frequencies
    vectors + postings     x P              clustering.vectorise_partition
    window hits            x term buckets   clustering.window_hits
    best partners          x article buckets clustering.best_partners
    components             x 1              clustering.plan_links (ints only)
    linkage                x link groups    clustering.link_group (stories_from_graph)
    story batches          x 1              order and cut the stories
    annotate, brief, write x story batches  tasks.brief_batch     (checkpointed)
    duplicates             x band buckets   dedup (MinHash LSH, bands shuffled by key)
    finish                 x 1              briefs.jsonl, rejections, manifest

The graph is submitted as far as the driver knows its shape (the number of link tasks and
of story batches are decided by tasks: the driver waits for those two ints), and Dask runs
each task when its inputs exist. Articles are annotated in their story batch, after
clustering, as `pipeline.CORPUS_STAGES` orders it, so no worker holds more annotations than
one batch's. A task that raises is retried (`TASK_RETRIES`); a worker that dies has
its tasks and the results it held recomputed from their inputs, which only ever rewrites
the same files (every write is atomic and named by what it holds).
"""

from __future__ import annotations

import operator
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsprism.data.batch import (
    BATCHES_PER_THREAD,
    LINK_BATCH_ARTICLES,
    PARTITION_BYTES,
    PARTITION_FILES,
    SHUFFLE_BUCKETS,
    STORY_BATCH_ARTICLES,
    TASK_RETRIES,
)
from newsprism.distributed import clustering, dedup, finish, tasks
from newsprism.distributed.catalog import build_catalog
from newsprism.distributed.partitions import (
    Partition,
    count_newlines,
    number_lines,
    plan_partitions,
    renumber,
)
from newsprism.model import Story
from newsprism.settings import Settings


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchOptions:
    """How a batch runs (sizes default to `newsprism.data.batch`)."""

    out: Path
    settings: Settings = field(default_factory=lambda: Settings(n_process=1))
    window: tasks.Window = field(default_factory=tasks.Window)
    partition_bytes: int = PARTITION_BYTES
    partition_files: int = PARTITION_FILES
    story_batch_articles: int = STORY_BATCH_ARTICLES
    link_batch_articles: int = LINK_BATCH_ARTICLES
    timeout: float | None = None  # seconds for the whole run; None: no limit
    progress: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchReport:
    """What a batch did (the manifest's summary)."""

    partitions: int
    partitions_reused: int
    story_batches: int
    story_batches_reused: int
    articles: int
    stories: int
    rejections: int
    outside_window: int
    duplicate_groups: int
    seconds: float


def submit(
    client: Any, name: str, function: Callable[..., Any], *args: Any, priority: int = 0
) -> Any:
    """One task, named for the dashboard, retried when it raises (higher *priority* first)."""
    return client.submit(
        function, *args, key=f"{name}-{_token()}", retries=TASK_RETRIES, priority=priority
    )


_COUNTER = [0]


def _token() -> str:
    _COUNTER[0] += 1
    return f"{time.time_ns():x}-{_COUNTER[0]}"


def pick(client: Any, future: Any, index: Any, name: str = "pick") -> Any:
    """A task taking one element of another task's result (a shuffle's edge)."""
    return submit(client, name, operator.getitem, future, index)


def plan(client: Any, inputs: Sequence[str], options: BatchOptions) -> list[Partition]:
    """The partitions of *inputs*; large WARC files are cut at record offsets, and the
    newlines before each JSONL range counted, on workers."""
    from newsprism.distributed.warc import warc_ranges

    partitions = plan_partitions(
        inputs, partition_bytes=options.partition_bytes, partition_files=options.partition_files
    )
    archives = {
        p.index: submit(client, "warc-offsets", warc_ranges, p, options.partition_bytes)
        for p in partitions
        if p.kind == "warc"
    }
    if archives:
        cut = dict(zip(archives, client.gather(list(archives.values())), strict=True))
        partitions = renumber([q for p in partitions for q in cut.get(p.index, [p])])
    ranges = [p for p in partitions if p.kind == "jsonl"]
    if not ranges:
        return partitions
    counts = client.gather([submit(client, "count-lines", count_newlines, p) for p in ranges])
    by_index = dict(zip((p.index for p in ranges), counts, strict=True))
    return number_lines(partitions, [by_index.get(p.index, 0) for p in partitions])


def run_batch(client: Any, inputs: Sequence[str], options: BatchOptions) -> BatchReport:
    """Run the whole batch on *client*'s cluster and write OUT; returns what it did.

    Raises:
        NoArticles: no input gave an article (its rejections say why).
        BatchError: the run did not finish within `options.timeout`.
    """
    watch = Watch(client, options)
    out = options.out
    partitions = plan(client, inputs, options)
    finish.start_manifest(out, inputs, partitions)
    loaded = [
        submit(client, f"read-{p.index}", tasks.load_partition, p, out, options.window)
        for p in partitions
    ]
    watch.add("read", loaded)
    metas = [submit(client, "meta", tasks.metas, x) for x in loaded]
    catalog = submit(client, "catalog", build_catalog, metas)
    unique = finish.check_articles(client, catalog, loaded, inputs, watch, submit)
    plans = [submit(client, "plan", _plan_of, catalog, p.index) for p in partitions]
    links, vectors = _candidates(client, loaded, plans, catalog, options)
    watch.add("cluster", [links])
    duplicates = dedup.submit_duplicates(client, loaded, plans, out, submit)
    stories = _link(client, links, vectors, catalog, options, watch)
    briefed = _brief(client, unique, stories, loaded, plans, options, watch)
    summaries = [submit(client, "summary", finish.partition_summary, x) for x in loaded]
    finished = submit(
        client, "finish", finish.finish_run, out, briefed, summaries, catalog, duplicates
    )
    del loaded, metas, plans, vectors, links, stories  # let Dask free what no task needs
    watch.add("finish", [finished])
    watch.wait([finished])
    summary: dict[str, int] = finished.result()
    return BatchReport(seconds=round(watch.elapsed(), 3), **summary)


def _plan_of(catalog: Any, index: int) -> Any:
    return catalog.plans[index]


def _buckets(client: Any, count: int) -> int:
    return max(2, min(SHUFFLE_BUCKETS, count))


def _candidates(
    client: Any, loaded: list[Any], plans: list[Any], catalog: Any, options: BatchOptions
) -> tuple[Any, list[Any]]:
    """Futures of the candidate graph cut into link tasks (`clustering.LinkPlan`) and of
    each partition's (vectors, postings)."""
    config = options.settings.cluster
    buckets = _buckets(client, len(loaded))
    size = submit(client, "free-count", operator.attrgetter("free"), catalog)
    features = [
        submit(client, "features", _features, x, p, config)
        for x, p in zip(loaded, plans, strict=True)
    ]
    frequencies = submit(
        client,
        "frequencies",
        clustering.add_frequencies,
        [submit(client, "df", operator.itemgetter(1, 2), f) for f in features],
    )
    vectors = [
        submit(
            client,
            "vectorise",
            clustering.vectorise_partition,
            pick(client, f, 0),
            frequencies,
            config,
            buckets,
        )
        for f in features
    ]
    postings = [pick(client, v, 1) for v in vectors]
    hits = [
        submit(
            client,
            "window-hits",
            clustering.window_hits,
            [pick(client, p, b) for p in postings],
            size,
            config.posting_window,
            buckets,
        )
        for b in range(buckets)
    ]
    partners = [
        submit(
            client,
            "partners",
            clustering.best_partners,
            [pick(client, h, a) for h in hits],
            size,
            config.batch_candidates,
        )
        for a in range(buckets)
    ]
    links = submit(
        client, "components", clustering.plan_links, partners, size, options.link_batch_articles
    )
    return links, vectors


def _link(
    client: Any,
    links: Any,
    vectors: list[Any],
    catalog: Any,
    options: BatchOptions,
    watch: Watch,
) -> list[Any]:
    """Futures of the stories (each a list of (order key, Story)) linked per component
    group; the records' own stories last."""
    config = options.settings.cluster
    groups = watch.value(submit(client, "groups", _group_count, links))
    pairs = submit(client, "pairs", operator.attrgetter("pairs"), links)
    splits = [
        submit(client, "split", clustering.split_by_group, pick(client, v, 0), links)
        for v in vectors
    ]
    linked = [
        submit(
            client,
            "link",
            clustering.link_group,
            [pick(client, s, g) for s in splits],
            pick(client, pairs, g),
            config,
        )
        for g in range(groups)
    ]
    watch.add("link", linked)
    return [*linked, submit(client, "given", operator.attrgetter("given"), catalog)]


def _features(loaded: tasks.Loaded, plan: Any, config: Any) -> Any:
    return clustering.partition_features(loaded.articles, plan, config)


def _group_count(links: clustering.LinkPlan) -> int:
    return len(links.pairs)


def story_batches(
    parts: Sequence[Sequence[tuple[Any, Story]]], batch_articles: int
) -> tuple[list[list[Story]], dict[str, int]]:
    """All stories in `cluster_articles` order, cut into batches of about *batch_articles*
    members (stories whole), and the batch of each article."""
    batches: list[list[Story]] = []
    batch_of: dict[str, int] = {}
    filled = 0
    for story in clustering.order_stories(parts):
        if not batches or (filled and filled + len(story.article_ids) > batch_articles):
            batches.append([])
            filled = 0
        batches[-1].append(story)
        filled += len(story.article_ids)
        batch_of.update(dict.fromkeys(story.article_ids, len(batches) - 1))
    return batches, batch_of


def _brief(
    client: Any,
    unique: int,
    stories: list[Any],
    loaded: list[Any],
    plans: list[Any],
    options: BatchOptions,
    watch: Watch,
) -> list[Any]:
    """Futures of the story batches annotated, briefed and written (`tasks.brief_batch`).

    Batches are at most `story_batch_articles` articles, and smaller on a small corpus so
    that every worker thread gets about `BATCHES_PER_THREAD` of them (load balance).
    """
    threads = max(1, sum(client.nthreads().values()))
    batch_articles = max(
        1, min(options.story_batch_articles, unique // (BATCHES_PER_THREAD * threads))
    )
    cut = submit(client, "story-batches", story_batches, stories, batch_articles)
    sizes: list[int] = watch.value(submit(client, "batch-sizes", _batch_sizes, cut))
    count = len(sizes)
    batches, batch_of = pick(client, cut, 0), pick(client, cut, 1)
    splits = [
        submit(client, "by-story", tasks.split_articles, x, p, batch_of, count)
        for x, p in zip(loaded, plans, strict=True)
    ]
    briefed = [
        submit(
            client,
            "brief",
            tasks.brief_batch,
            pick(client, batches, b),
            [pick(client, s, b) for s in splits],
            options.out,
            options.settings,
            # Largest first, so the run does not end waiting on one big batch started last.
            priority=sizes[b],
        )
        for b in range(count)
    ]
    watch.add("brief", briefed)
    return briefed


def _batch_sizes(cut: tuple[list[list[Story]], dict[str, int]]) -> list[int]:
    return [sum(len(story.article_ids) for story in batch) for batch in cut[0]]


class Watch:
    """Progress of the run's stages on stderr, and its deadline."""

    def __init__(self, client: Any, options: BatchOptions) -> None:
        self.client = client
        self.options = options
        self.started = time.monotonic()
        self.stages: dict[str, list[Any]] = {}  # futures not finished yet
        self.done: dict[str, int] = {}
        self.shown = ""

    def elapsed(self) -> float:
        """Seconds since the run started."""
        return time.monotonic() - self.started

    def add(self, stage: str, futures: Sequence[Any]) -> None:
        """Show *stage*'s progress from now on."""
        self.stages.setdefault(stage, []).extend(futures)
        self.done.setdefault(stage, 0)

    def value(self, future: Any) -> Any:
        """The result of *future*, showing progress while waiting for it."""
        self.wait([future])
        return future.result()

    def wait(self, futures: Sequence[Any]) -> None:
        """Wait for *futures*, showing progress; raise a task's error, or at the deadline."""
        from newsprism.errors import BatchError

        while True:
            self._show()
            failed = [f for f in futures if f.status == "error"]
            if failed:
                failed[0].result()  # raises the task's own exception
            if all(f.status == "finished" for f in futures):
                self._show(final=True)
                return
            if self.options.timeout is not None and self.elapsed() > self.options.timeout:
                raise BatchError(
                    f"the batch did not finish within {self.options.timeout:.0f} s; "
                    "rerun with the same --out to resume from what was written"
                )
            time.sleep(0.2)

    def _show(self, final: bool = False) -> None:
        # On a terminal one line redrawn; piped, one line per wait (a log, not a stream of \r).
        if not self.options.progress:
            return
        parts = []
        for stage, futures in self.stages.items():
            # A finished future is dropped here, so Dask can free its result once no task
            # needs it (a held future keeps its result in the cluster's memory).
            waiting = [f for f in futures if f.status != "finished"]
            self.done[stage] += len(futures) - len(waiting)
            self.stages[stage] = waiting
            parts.append(f"{stage} {self.done[stage]}/{self.done[stage] + len(waiting)}")
        line = f"[{self.elapsed():6.0f}s] " + "  ".join(parts)
        if (line != self.shown and sys.stderr.isatty()) or final:
            terminal = sys.stderr.isatty()
            sys.stderr.write(("\r" if terminal else "") + line + ("\n" if final else ""))
            sys.stderr.flush()
            self.shown = line

"""`newsprism batch`: every stage on a Dask cluster, analysis-ready tables out."""

from __future__ import annotations

import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from newsprism.cli.output import report_rejections
from newsprism.errors import BatchError, NewsprismError, NoArticles
from newsprism.text import plural

if TYPE_CHECKING:
    from newsprism.distributed.run import BatchOptions, BatchReport

CONNECT_SECONDS = 10  # how long to try reaching a --scheduler before saying it is unreachable


def _moment(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    """--since/--until as naive UTC (how articles carry dates); a usage error otherwise."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO date or time; write e.g. 2024-01-31 or 2024-01-31T12:00Z"
        ) from None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


@click.command(name="batch")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder for briefs.jsonl, the Parquet tables and the manifest (a previous run's resumes).",
)
@click.option("--scheduler", metavar="ADDRESS", help="Join this dask.distributed scheduler.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Start a local cluster of N worker processes (default: one per core).",
)
@click.option("--since", callback=_moment, help="Only articles published at or after (ISO).")
@click.option("--until", callback=_moment, help="Only articles published before (ISO).")
@click.option("--db", metavar="URL", help="Also load the results into this store (path or URL).")
@click.option(
    "--partition-mb",
    type=click.FloatRange(min=0.001),
    default=None,
    help="Input megabytes per read task (default 32).",
)
@click.option("--timeout", type=click.FloatRange(min=1), help="Give up after this many seconds.")
def batch_cli(
    inputs: tuple[str, ...],
    out: Path,
    scheduler: str | None,
    workers: int | None,
    since: datetime | None,
    until: datetime | None,
    db: str | None,
    partition_mb: float | None,
    timeout: float | None,
) -> None:
    """Brief every story in INPUTS on a Dask cluster: files, folders, globs, URLs.

    The driver only lists and splits the inputs; workers read, clean, annotate, deduplicate,
    cluster and brief them, and write OUT/briefs.jsonl (one brief@1 story per line) and the
    Parquet tables OUT/<table>/ (articles, stories, facts, disagreements, quotes, entities,
    timeline, rejections, duplicates). The stories equal `newsprism brief` on the same inputs.
    Inputs must be readable by the workers under the same paths. Rerun with the same --out
    to resume: partitions and story batches already written are skipped.

    \b
    Examples:
      newsprism batch archive/*.jsonl --out run1 --workers 8
      newsprism batch 'warcs/*.warc.gz' --out run2 --scheduler tcp://10.0.0.5:8786

    Exit codes: 0 every input used; 1 some inputs failed (listed on stderr, all in the
    rejections table) or a handled error; 2 usage error.
    """
    if scheduler and workers:
        raise click.UsageError("give --scheduler (an existing cluster) or --workers, not both")
    if "-" in inputs:
        raise click.UsageError(
            "batch reads its inputs on the workers, which cannot read this terminal's stdin; "
            "save it to a file and give that file"
        )
    try:
        report = _run(
            inputs, _options(out, since, until, partition_mb, timeout), scheduler, workers
        )
        if db:
            _load(out, db)
    except NoArticles as error:
        report_rejections(error.rejections)
        raise click.ClickException(str(error)) from error
    except NewsprismError as error:
        raise click.ClickException(str(error)) from error
    _print_report(report, out)
    if report.rejections:
        raise SystemExit(1)


def _options(
    out: Path,
    since: datetime | None,
    until: datetime | None,
    partition_mb: float | None,
    timeout: float | None,
) -> BatchOptions:
    from newsprism.data.batch import PARTITION_BYTES
    from newsprism.distributed.run import BatchOptions
    from newsprism.distributed.tasks import Window

    size = int(partition_mb * 1024 * 1024) if partition_mb else PARTITION_BYTES
    return BatchOptions(
        out=out.resolve(), window=Window(since, until), partition_bytes=size, timeout=timeout
    )


def _run(
    inputs: tuple[str, ...], options: BatchOptions, scheduler: str | None, workers: int | None
) -> BatchReport:
    from newsprism.distributed.manifest import check_out
    from newsprism.distributed.run import run_batch

    if check_out(options.out):
        click.echo(f"resuming the batch run in {options.out}", err=True)
    with _client(scheduler, workers) as client:
        click.echo(f"Dask dashboard: {client.dashboard_link}", err=True)
        # Paths stay as given (they name the articles' sources, as in `newsprism brief`):
        # local workers share this folder; on a remote cluster give absolute shared paths.
        return run_batch(client, inputs, options)


class _client:
    """A Client on --scheduler, or on a LocalCluster of --workers processes on loopback."""

    def __init__(self, scheduler: str | None, workers: int | None) -> None:
        self.scheduler, self.workers = scheduler, workers
        self.cluster: Any = None
        self.client: Any = None

    def __enter__(self) -> Any:
        from dask.distributed import Client, LocalCluster

        # Dask logs every worker start and stop at INFO; show that only with -v.
        quiet = max(logging.WARNING, logging.getLogger().getEffectiveLevel())
        for name in ("distributed", "dask"):
            logging.getLogger(name).setLevel(quiet)
        if quiet > logging.WARNING or not logging.getLogger().isEnabledFor(logging.INFO):
            # Local worker processes read their log levels from the environment when they
            # start: a worker's heartbeat racing its own shutdown would print a traceback of
            # a closed connection otherwise. Task errors still reach this process.
            os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")

        if self.scheduler:
            try:
                self.client = Client(self.scheduler, timeout=CONNECT_SECONDS)  # type: ignore[no-untyped-call]
            except (OSError, TimeoutError, ValueError) as error:
                raise BatchError(
                    f"cannot reach the Dask scheduler at {self.scheduler} ({error}); check the "
                    "address (e.g. tcp://host:8786) and that `dask scheduler` runs there"
                ) from error
            return self.client
        self.cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=self.workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        )
        self.client = Client(self.cluster)  # type: ignore[no-untyped-call]
        return self.client

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _load(out: Path, db: str) -> None:
    from newsprism.distributed.load import load_into_store

    counts = load_into_store(out, db)
    click.echo(
        f"stored in {db}: {plural(counts['stories'], 'story', 'stories')}, "
        f"{plural(counts['articles'], 'new article')}, {plural(counts['rejections'], 'rejection')} (newsprism serve --db {db})",
        err=True,
    )


def _print_report(report: BatchReport, out: Path) -> None:
    click.echo(
        f"{plural(report.articles, 'article')}, {plural(report.stories, 'story', 'stories')}, "
        f"{report.rejections} rejected, {plural(report.duplicate_groups, 'duplicate group')} "
        f"in {report.seconds:.1f} s -> {out}"
    )
    reused = report.partitions_reused + report.story_batches_reused
    if reused:
        click.echo(
            f"resumed: {report.partitions_reused}/{report.partitions} partitions and "
            f"{report.story_batches_reused}/{report.story_batches} story batches were "
            "already written",
            err=True,
        )
    if report.outside_window:
        click.echo(f"{report.outside_window} articles outside --since/--until left out", err=True)
    if report.rejections:
        _show_rejections(out)


def _show_rejections(out: Path) -> None:
    import pyarrow.parquet as pq

    from newsprism.distributed.finish import SHOWN_REJECTIONS
    from newsprism.model import Rejection

    rows = pq.read_table(out / "rejections").to_pylist()
    report_rejections(
        [Rejection(source=r["source"], reason=r["reason"], code=r["code"]) for r in rows][
            :SHOWN_REJECTIONS
        ]
    )
    if len(rows) > SHOWN_REJECTIONS:
        click.echo(f"  ... all {len(rows)} are in {out / 'rejections'}", err=True)
    sys.stderr.flush()

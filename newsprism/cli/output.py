"""Helpers the commands share: atomic output files, progress bars, rejection reports."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from newsprism.errors import OutputExists
from newsprism.model import Rejection
from newsprism.text import plural, terminal_safe

stderr = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])


def say(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """`click.echo` of text that may hold untrusted words (titles, sources, reasons), with
    terminal control characters removed."""
    click.echo(terminal_safe(message), err=err, nl=nl)


def write_output(text: str, out: Path | None, *, force: bool) -> None:
    """Print *text*, or write it to *out* atomically (temp file, then rename)."""
    if out is None:
        sys.stdout.write(terminal_safe(text))
        sys.stdout.flush()
        return
    if out.exists() and not force:
        raise OutputExists(
            f"{out} already exists. Fix: pass --force to overwrite it, or choose another --out"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        # mkstemp makes the file private (0600); an output file gets the usual mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def output_options(command: F) -> F:
    """The `--out FILE` and `--force` options every command that writes a result takes."""
    command = click.option("--force", is_flag=True, help="Overwrite --out if it exists.")(command)
    return click.option(
        "--out",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write here instead of stdout.",
    )(command)


def outlet_option(command: F) -> F:
    """`--outlet NAME`: the outlet of every input of the run, over what the inputs say."""
    return click.option(
        "--outlet",
        default=None,
        metavar="NAME",
        help="The outlet of these inputs (e.g. for plain-text files, which name none); "
        "it replaces any outlet the inputs give.",
    )(command)


def refuse_overwrite(out: Path | None, *, force: bool) -> None:
    """A usage error (exit 2) before any work when --out exists and --force was not given."""
    if out is not None and out.exists() and not force:
        raise click.UsageError(f"{out} already exists: pass --force to overwrite it")


def report_rejections(rejections: Sequence[Rejection]) -> None:
    """List inputs that failed on stderr (the command then exits 1)."""
    if not rejections:
        return
    heading = f"{plural(len(rejections), 'input')} could not be used:"
    stderr.print(f"[bold red]{heading}[/]", highlight=False)
    for rejection in rejections:
        say(f"  {rejection.source}: [{rejection.code}] {rejection.reason}", err=True)


@contextmanager
def progress_bar(stages: Sequence[str] = ()) -> Iterator[Callable[[str, int, int], None]]:
    """A stage-by-stage progress bar on stderr, only when stderr is a terminal (piped or
    redirected output gets not a byte of it).

    *stages* names the stages in the order they run: the next one is shown as running (with
    its elapsed time) as soon as the one before it is done, since a stage reports only when
    it finishes and annotating can take most of a run.
    """
    if not stderr.is_terminal:
        yield lambda stage, done, total: None
        return
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[counted]}"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    )
    tasks: dict[str, TaskID] = {}

    def start(stage: str) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=None, counted="")

    def update(stage: str, done: int, total: int) -> None:
        start(stage)
        progress.update(tasks[stage], completed=done, total=total, counted=f"{done}/{total}")
        if done >= total and stage in stages and stage != stages[-1]:
            start(stages[stages.index(stage) + 1])

    with progress:
        if stages:
            start(stages[0])
        yield update

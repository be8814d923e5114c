"""`newsprism brief`: articles in, a cited cross-source brief out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from newsprism.cli.output import (
    outlet_option,
    output_options,
    progress_bar,
    refuse_overwrite,
    report_rejections,
    write_output,
)
from newsprism.errors import NewsprismError, NoArticles
from newsprism.model import Brief, Rejection
from newsprism.render import FORMATS, render
from newsprism.render.json import brief_to_dict


@click.command(name="brief")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="json is the public contract; md, html (one self-contained page) and text are for people.",
)
@output_options
@click.option(
    "--summary-words",
    type=click.IntRange(min=20),
    default=None,
    help="Cut the summary at this many words.",
)
@outlet_option
def brief_cli(
    inputs: tuple[str, ...],
    fmt: str,
    out: Path | None,
    force: bool,
    summary_words: int | None,
    outlet: str | None,
) -> None:
    """Brief the stories in INPUTS: files (.txt .html .json .jsonl feeds .warc), folders, URLs or - (stdin).

    Articles are cleaned, duplicates found, grouped into stories (JSONL records with a `story`
    field keep theirs) and each story gets a brief whose every sentence cites its source characters.

    \b
    Examples:
      newsprism brief ../shared/data/seeds --format html --out brief.html
      newsprism brief articles.jsonl --format json

    Exit codes: 0 every input used; 1 some inputs failed (listed on stderr) or a handled error;
    2 usage error.
    """
    refuse_overwrite(out, force=force)
    try:
        brief = _brief(inputs, summary_words, outlet)
        write_output(render(brief_to_dict(brief), fmt), out, force=force)
    except NoArticles as error:
        report_rejections(error.rejections)
        raise click.ClickException(str(error)) from error
    except NewsprismError as error:
        raise click.ClickException(str(error)) from error
    report_rejections(brief.rejections)
    if brief.rejections:
        raise SystemExit(1)


def _brief(inputs: Sequence[str], summary_words: int | None, outlet: str | None = None) -> Brief:
    """Read *inputs*, then run the pipeline on what was read.

    The inputs are read before the pipeline (and its numeric libraries) is imported, so an
    input that cannot be read fails in a fraction of a second.

    Raises:
        NoArticles: no input could be read (the rejections say why).
    """
    from newsprism.ingest import read_inputs, with_outlet

    read = with_outlet(read_inputs(inputs), outlet)
    if not read.documents:
        raise NoArticles(_nothing_read(inputs, read.rejections), read.rejections)

    from newsprism.annotate.models import load_models
    from newsprism.pipeline import load_documents, run_from, stages_between
    from newsprism.settings import Settings
    from newsprism.stages import stage_info

    state = load_documents(read.documents, read.rejections, source=_named(inputs))
    # The stages still to run: the corpus stages after "load" (done above), then the briefs.
    stages = [stage_info(f).name for f in stages_between(start="cluster")] + ["brief"]
    with progress_bar(stages) as progress:
        return run_from(
            state,
            models=load_models,
            settings=Settings(summary_words=summary_words),
            progress=progress,
        )


def _named(inputs: Sequence[str]) -> str:
    return (
        ", ".join(inputs) if len(inputs) <= 3 else f"{inputs[0]} and {len(inputs) - 1} more inputs"
    )


def _nothing_read(inputs: Sequence[str], rejections: Sequence[Rejection]) -> str:
    if not rejections:
        return f"no article could be read from {_named(inputs)}: nothing was found there"
    return f"no article could be read from {_named(inputs)} (the reasons are listed above)"

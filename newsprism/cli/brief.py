"""`newsprism brief`: articles in, a cited cross-source brief out."""

from __future__ import annotations

from pathlib import Path

import click

from newsprism.cli.output import (
    output_options,
    progress_bar,
    refuse_overwrite,
    report_rejections,
    write_output,
)
from newsprism.errors import NewsprismError, NoArticles
from newsprism.render import FORMATS, render


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
def brief_cli(
    inputs: tuple[str, ...], fmt: str, out: Path | None, force: bool, summary_words: int | None
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
    from newsprism.annotate.models import load_models
    from newsprism.pipeline import run
    from newsprism.render.json import brief_to_dict
    from newsprism.settings import Settings

    refuse_overwrite(out, force=force)
    try:
        with progress_bar() as progress:
            brief = run(
                inputs,
                models=load_models,
                settings=Settings(summary_words=summary_words),
                progress=progress,
            )
        write_output(render(brief_to_dict(brief), fmt), out, force=force)
    except NoArticles as error:
        report_rejections(error.rejections)
        raise click.ClickException(str(error)) from error
    except NewsprismError as error:
        raise click.ClickException(str(error)) from error
    report_rejections(brief.rejections)
    if brief.rejections:
        raise SystemExit(1)

"""`newsprism cluster`: group many articles into stories, without writing briefs."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from newsprism.cli.output import (
    output_options,
    progress_bar,
    refuse_overwrite,
    report_rejections,
    write_output,
)
from newsprism.errors import NewsprismError, NoArticles
from newsprism.model import Article, Rejection, Story
from newsprism.text import plural

SCHEMA = "newsprism/stories@1"

Progress = Callable[[str, int, int], None]


def cluster_inputs(
    inputs: Sequence[str],
    *,
    online: bool = False,
    embeddings: bool = False,
    progress: Progress | None = None,
) -> tuple[dict[str, Any], tuple[Rejection, ...]]:
    """Read, clean and cluster *inputs* (the pipeline's stages up to "cluster"); return the
    stories document and the rejected inputs.

    Raises:
        NoArticles: no input gave an article.
    """
    from newsprism.annotate.models import Models, load_models
    from newsprism.pipeline import CorpusState, run_corpus, stages_between
    from newsprism.settings import Settings
    from newsprism.stories import ClusterConfig

    settings = Settings(online=online, cluster=ClusterConfig(use_embeddings=embeddings))
    models = (lambda: load_models(nlp=False)) if embeddings else Models()
    state, _ = run_corpus(
        CorpusState(inputs=tuple(inputs)),
        models=models,
        settings=settings,
        stages=stages_between(until="cluster"),
        progress=progress,
    )
    assert state.articles is not None and state.stories is not None
    return stories_document(state.articles, state.stories), state.rejections or ()


def stories_document(articles: Sequence[Article], stories: Sequence[Story]) -> dict[str, Any]:
    """The `newsprism/stories@1` document of *stories*."""
    sources = {a.id: a.source for a in articles}
    return {
        "schema": SCHEMA,
        "stories": [
            {
                "id": story.id,
                "members": [sources[i] for i in story.article_ids],
                "headline": story.headline,
            }
            for story in stories
        ],
    }


def render_stories(document: dict[str, Any], fmt: str) -> str:
    """The stories document as JSON, or as text for people."""
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    lines = []
    for story in document["stories"]:
        count = plural(len(story["members"]), "article")
        lines.append(f"{story['id']}  {story['headline']}  ({count})")
        lines.extend(f"    {member}" for member in story["members"])
    return "\n".join(lines) + "\n"


@click.command(name="cluster")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "text"]),
    default="text",
    show_default=True,
    help="json: {schema: newsprism/stories@1, stories: [{id, members, headline}]}.",
)
@output_options
@click.option(
    "--online",
    is_flag=True,
    help="Assign articles one by one in publication order (as the store does) instead of batch.",
)
@click.option(
    "--embeddings",
    is_flag=True,
    help="Also compare MiniLM embeddings of title and lead (slower: tens of articles/s; "
    "off by default, as it gained nothing on ECB+).",
)
def cluster_cli(
    inputs: tuple[str, ...],
    fmt: str,
    out: Path | None,
    force: bool,
    online: bool,
    embeddings: bool,
) -> None:
    """Group the articles in INPUTS into stories: files, folders, URLs or - (stdin).

    Only story clustering, no comparison: for large inputs. JSONL records with a `story` field
    keep that story; their `published` date is used for time proximity.

    \b
    Examples:
      newsprism cluster ../shared/data/seeds
      newsprism cluster day.jsonl --format json --out stories.json

    Exit codes: 0 every input used; 1 some inputs failed (listed on stderr) or a handled error;
    2 usage error.
    """
    refuse_overwrite(out, force=force)
    try:
        with progress_bar() as progress:
            document, rejections = cluster_inputs(
                inputs, online=online, embeddings=embeddings, progress=progress
            )
        write_output(render_stories(document, fmt), out, force=force)
    except NoArticles as error:
        report_rejections(error.rejections)
        raise click.ClickException(str(error)) from error
    except NewsprismError as error:
        raise click.ClickException(str(error)) from error
    report_rejections(rejections)
    if rejections:
        raise SystemExit(1)

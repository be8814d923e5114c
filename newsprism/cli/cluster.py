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
from newsprism.errors import InputError, NewsprismError, NoArticles
from newsprism.model import Article, Rejection, Story

SCHEMA = "newsprism/stories@1"
_CHUNK = 256  # articles per progress update / embedding batch

Progress = Callable[[str, int, int], None]


def cluster_inputs(
    inputs: Sequence[str],
    *,
    online: bool = False,
    embeddings: bool = False,
    progress: Progress | None = None,
) -> tuple[dict[str, Any], tuple[Rejection, ...]]:
    """Read, clean and cluster *inputs*; return the stories document and the rejected inputs.

    Raises:
        NoArticles: no input gave an article.
    """
    from newsprism.clean import clean_document
    from newsprism.ingest import read_inputs
    from newsprism.stories import ClusterConfig, OnlineClusterer, cluster_articles
    from newsprism.stories.similarity import order_key

    report = progress or (lambda stage, done, total: None)
    result = read_inputs(list(inputs))
    rejections = list(result.rejections)
    articles: list[Article] = []
    total = len(result.documents)
    for number, raw in enumerate(result.documents, 1):
        try:
            articles.append(clean_document(raw))
        except InputError as error:
            rejections.append(Rejection(source=error.source, reason=error.message, code=error.code))
        if number % _CHUNK == 0 or number == total:
            report("clean", number, total)
    if not articles:
        empty = NoArticles(
            f"no article could be read from {len(inputs)} input(s). Fix: check the paths and "
            "formats listed above (.txt .html .json .jsonl feeds .warc)"
        )
        setattr(empty, "rejections", tuple(rejections))  # noqa: B010 - listed by the CLI
        raise empty
    config = ClusterConfig(use_embeddings=embeddings)
    if online:
        clusterer = OnlineClusterer(config)
        ordered = sorted(articles, key=lambda a: order_key(a.published, a.id))
        for start in range(0, len(ordered), _CHUNK):
            clusterer.add_many(ordered[start : start + _CHUNK])
            report("cluster", min(start + _CHUNK, len(ordered)), len(ordered))
        stories: Sequence[Story] = clusterer.stories()
    else:
        report("cluster", 0, len(articles))
        stories = cluster_articles(articles, config=config)
        report("cluster", len(articles), len(articles))
    sources = {a.id: a.source for a in articles}
    document: dict[str, Any] = {
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
    return document, tuple(rejections)


def render_stories(document: dict[str, Any], fmt: str) -> str:
    """The stories document as JSON, or as text for people."""
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    lines = []
    for story in document["stories"]:
        lines.append(f"{story['id']}  {story['headline']}  ({len(story['members'])} articles)")
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
        report_rejections(getattr(error, "rejections", ()))
        raise click.ClickException(str(error)) from error
    except NewsprismError as error:
        raise click.ClickException(str(error)) from error
    report_rejections(rejections)
    if rejections:
        raise SystemExit(1)

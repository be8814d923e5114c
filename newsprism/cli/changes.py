"""`newsprism changes STORY_ID`: what each version of a story's brief changed."""

from __future__ import annotations

import json
from datetime import datetime

import click

from newsprism.cli.output import say
from newsprism.cli.store import db_option
from newsprism.errors import NewsprismError


def _since(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    """--since as an aware UTC datetime; a usage error (exit 2) naming the fix otherwise."""
    if value is None:
        return None
    from newsprism.changes import parse_moment

    try:
        return parse_moment(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from error


@click.command("changes")
@click.argument("story_id")
@click.option(
    "--since",
    default=None,
    metavar="ISO_TIME",
    callback=_since,
    help="Only versions recorded after this date or date-time (UTC unless it names a zone).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True
)
@db_option
def changes_cli(story_id: str, since: datetime | None, fmt: str, db: str | None) -> None:
    """Print what each version of STORY_ID's brief changed: new articles, outlets, facts,
    newly corroborated facts, revised figures, disagreements, quotes and the headline.

    The brief is first brought up to date (computed if the story gained articles), so the
    last version includes its latest articles.
    """
    from newsprism.cli.store import existing_store
    from newsprism.render.changes import render_changes_text
    from newsprism.service import Service

    try:
        service = Service(existing_store(db))
        try:
            data = service.story_changes(story_id, since=since)
        finally:
            service.store.close()
    except NewsprismError as error:
        raise click.ClickException(str(error)) from error
    if fmt == "json":
        say(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        say(render_changes_text(data), nl=False)

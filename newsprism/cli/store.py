"""`newsprism ingest|stories|show|serve`: the store commands. Each parses, calls the service, prints."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING

import click

from newsprism.cli.output import outlet_option, say
from newsprism.errors import NewsprismError
from newsprism.text import plural, terminal_width

if TYPE_CHECKING:
    from newsprism.store.base import StoryRow

DB_HELP = (
    "Database: a SQLite file or a postgresql:// URL (default: $NEWSPRISM_DB, else ./newsprism.db)."
)
db_option = click.option("--db", "db", default=None, metavar="PATH|URL", help=DB_HELP)


def _service(db: str | None):  # type: ignore[no-untyped-def]
    from newsprism.service import Service
    from newsprism.store import open_store, resolve_db

    return Service(open_store(resolve_db(db)))


def existing_store(db: str | None):  # type: ignore[no-untyped-def]
    """The store a read command reads: opening a SQLite path creates a database, so a path
    that names no file (a typo) is refused with the fix instead of read as an empty store."""
    from newsprism.store import open_store, resolve_db

    target = resolve_db(db)
    if not target.startswith(("postgresql://", "postgres://")) and target != ":memory:":
        from pathlib import Path

        if not Path(target).expanduser().is_file():
            given = "--db" if db else ("$NEWSPRISM_DB" if os.environ.get("NEWSPRISM_DB") else "")
            named = f" (from {given})" if given else " (the default; pass --db PATH to choose)"
            raise click.ClickException(
                f"no database at {target}{named}. Fix: check the path, or create the database "
                f"by ingesting articles: newsprism ingest FILES{_db_flag(db)}"
            )
    return open_store(target)


def _db_flag(db: str | None) -> str:
    """The `--db` part of a command to suggest (empty when the default database is meant)."""
    return f" --db {db}" if db else ""


@click.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option(
    "--briefs/--no-briefs",
    default=True,
    show_default=True,
    help="Write the briefs of the stories that gained articles now, so pages open at once "
    "(otherwise each is computed when first read).",
)
@outlet_option
def ingest_cli(inputs: tuple[str, ...], db: str | None, briefs: bool, outlet: str | None) -> None:
    """Ingest INPUTS (files, folders, URLs) into the store, assigning each article a story.

    The same article given twice is stored once (its extra sources recorded); inputs that
    cannot be read are stored as rejections with their reason. Exit 1 if any input was rejected.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from newsprism.ingest import read_inputs, with_outlet

    try:
        service = _service(db)
        result = with_outlet(read_inputs(list(inputs)), outlet)
        console = Console(stderr=True)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,  # piped stderr gets not a byte of the bar
        ) as progress:
            task = progress.add_task("ingest", total=len(result.documents))
            report = service.ingest_documents(
                result.documents,
                result.rejections,
                progress=lambda done, total: progress.update(task, completed=done),
            )
            touched = sorted({entry["story_id"] for entry in report.added}) if briefs else []
            task = progress.add_task("briefs", total=len(touched))
            service.brief_stories(
                touched, progress=lambda done, total: progress.update(task, completed=done)
            )
        counts = service.store.counts()
        service.store.close()
    except NewsprismError as error:
        raise click.ClickException(str(error)) from error
    say(
        f"{len(report.added)} added, {len(report.duplicates)} duplicate, "
        f"{len(report.rejected)} rejected; the store holds {counts['articles']} articles "
        f"in {counts['stories']} {'story' if counts['stories'] == 1 else 'stories'}"
    )
    for rejection in report.rejected:
        say(f"rejected {rejection.source}: [{rejection.code}] {rejection.reason}", err=True)
    if report.rejected:
        sys.exit(1)


@click.command("stories")
@click.option("--search", "query", default=None, help="Full-text search over titles and text.")
@click.option(
    "--since",
    default=None,
    metavar="DATE",
    help="Only stories with news on or after DATE (YYYY-MM-DD).",
)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10000))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@db_option
def stories_cli(query: str | None, since: str | None, limit: int, fmt: str, db: str | None) -> None:
    """List stored stories, newest first, with their outlets."""
    if since is not None:
        from datetime import date

        try:
            date.fromisoformat(since[:10])
        except ValueError as error:
            raise click.BadParameter(
                f"{since!r} is not a date; write YYYY-MM-DD", param_hint="--since"
            ) from error
    try:
        store = existing_store(db)
        from newsprism.service import Service

        service = Service(store)
        page = service.list_stories(query=query, since=since, limit=limit)
        service.store.close()
    except NewsprismError as error:
        raise click.ClickException(str(error)) from error
    if fmt == "json":
        say(
            json.dumps(
                {"total": page.total, "stories": [s.as_dict() for s in page.stories]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not page.stories:
        say("no stories" + (f" match {query!r}" if query else ""))
        return
    width = terminal_width()
    for story in page.stories:
        for line in story_lines(story, width):
            say(line)
    if page.total > len(page.stories):
        say(f"… {page.total - len(page.stories)} more (use --limit)")


def story_lines(story: StoryRow, width: int) -> list[str]:
    """A listed story wrapped to *width*: id, first date, size and headline, then its outlets
    (files that name no outlet are listed as files, never counted as outlets)."""
    import textwrap

    dated = (story.first_published or "")[:10] or "undated"
    head = f"{story.id}  {dated:10}  {plural(story.article_count, 'article')}  {story.headline}"
    indent = " " * (len(story.id) + 2)
    wrap = textwrap.TextWrapper(
        width=width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )
    lines = wrap.wrap(head)
    sources = []
    if story.outlets:
        sources.append("outlets: " + ", ".join(story.outlets))
    if story.unnamed_sources:
        files = len(story.unnamed_sources)
        sources.append(
            f"{plural(files, 'file')} naming no outlet: " + ", ".join(story.unnamed_sources)
        )
    if sources:
        wrap.initial_indent = indent
        lines += wrap.wrap("; ".join(sources))
    return lines


@click.command("show")
@click.argument("story_id")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "md", "html", "text"]),
    default="text",
    show_default=True,
)
@db_option
def show_cli(story_id: str, fmt: str, db: str | None) -> None:
    """Print the brief of STORY_ID (computed and stored if the story changed since)."""
    missing = (
        f"no story with id {story_id!r}. Fix: list the stored stories with "
        f"`newsprism stories{_db_flag(db)}` and copy an id from there"
    )
    try:
        store = existing_store(db)
        if store.get_story(story_id) is None:  # before loading any model
            store.close()
            raise click.ClickException(missing)
        from newsprism.service import Service

        service = Service(store)
        data, _ = service.story_brief(story_id)
        service.store.close()
    except NewsprismError as error:
        # NotFound: removed meanwhile (the service's own message names the API route).
        raise click.ClickException(missing if error.code == "E404" else str(error)) from error
    from newsprism.render import render

    say(render(data, fmt), nl=False)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@db_option
@click.option(
    "--watch",
    "watch_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Also follow the feeds FILE lists (one feed URL or feed file per line), as "
    "`newsprism watch` does.",
)
def serve_cli(host: str, port: int, db: str | None, watch_file: str | None) -> None:
    """Serve the web UI and the HTTP API (OpenAPI at /docs).

    Writes need the token in $NEWSPRISM_TOKEN (Authorization: Bearer) when it is set; it must be
    set when HOST is not a loopback address. With --watch, the feeds are polled every 10
    minutes in the background and their new entries ingested through the server's writer.
    """
    import uvicorn

    from newsprism.api.app import create_app
    from newsprism.api.security import is_loopback
    from newsprism.store import resolve_db

    token = os.environ.get("NEWSPRISM_TOKEN") or None
    if not is_loopback(host) and not token:
        raise click.UsageError(
            f"--host {host} listens beyond this machine: set NEWSPRISM_TOKEN so that writes need "
            "a token, or use --host 127.0.0.1"
        )
    feeds = _watched_feeds(watch_file)
    try:
        app = create_app(resolve_db(db), token=token, writer_kind="process")
    except NewsprismError as error:
        raise click.ClickException(str(error)) from error
    if feeds:
        from newsprism.watch.server import attach_watcher

        attach_watcher(app, feeds, on_poll=lambda outcome: say(outcome.line(), err=True))
    shown = f"[{host}]" if ":" in host else host
    say(
        f"newsprism is serving {resolve_db(db)} on http://{shown}:{port}/ (API docs at /docs)",
        err=True,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)


def _watched_feeds(watch_file: str | None) -> list[str]:
    """The feeds of `serve --watch FILE` (a usage error names a bad line)."""
    if watch_file is None:
        return []
    from pathlib import Path

    from newsprism.watch import feed_list

    try:
        feeds = feed_list(Path(watch_file))
    except (ValueError, OSError) as error:
        raise click.BadParameter(str(error), param_hint="--watch") from error
    if not feeds:
        raise click.BadParameter(f"{watch_file} lists no feed", param_hint="--watch")
    return feeds

"""`newsprism watch`: poll RSS/Atom feeds and ingest their new entries into the store."""

from __future__ import annotations

import re
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

from newsprism.cli.output import say
from newsprism.cli.store import db_option
from newsprism.data.watch import DEFAULT_EVERY_S, DEFAULT_HOST_DELAY_S, MIN_EVERY_S
from newsprism.errors import NewsprismError
from newsprism.text import plural

if TYPE_CHECKING:
    from newsprism.watch import PollOutcome, Watcher

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")


class Duration(click.ParamType[Any, float]):
    """A duration: ``90`` (seconds), ``30s``, ``10m``, ``1h30m``, ``1d``."""

    name = "DURATION"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, int | float):
            return float(value)
        text = str(value).strip().lower()
        try:
            return float(text)
        except ValueError:
            pass
        parts = _PART.findall(text)
        if not parts or "".join(n + u for n, u in parts) != text:
            self.fail(f"{value!r} is not a duration; write e.g. 90, 30s, 10m, 1h30m", param, ctx)
        return sum(float(number) * _UNITS[unit] for number, unit in parts)


DURATION = Duration()


def duration_text(seconds: float) -> str:
    """*seconds* as `Duration` reads it back: 600 -> "10m", 5 -> "5s"."""
    for unit, size in (("d", 86400.0), ("h", 3600.0), ("m", 60.0)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


@click.command("watch")
@click.argument("feeds", nargs=-1, required=True, metavar="FEED_OR_URL...")
@click.option(
    "--every",
    type=DURATION,
    default=duration_text(DEFAULT_EVERY_S),
    show_default=True,
    help="How often each feed is polled (90, 30s, 10m, 1h).",
)
@click.option("--once", is_flag=True, help="Poll each feed once, then exit (for cron).")
@click.option(
    "--host-delay",
    type=DURATION,
    default=duration_text(DEFAULT_HOST_DELAY_S),
    show_default=True,
    help="The least time between two requests to one host (a longer robots.txt Crawl-delay wins).",
)
@click.option(
    "--allow-loopback",
    is_flag=True,
    help="Also fetch from this machine (127.0.0.1, ::1): a feed served locally. Private "
    "and other non-public networks stay refused.",
)
@db_option
def watch_cli(
    feeds: tuple[str, ...],
    every: float,
    once: bool,
    host_delay: float,
    allow_loopback: bool,
    db: str | None,
) -> None:
    """Poll FEED_OR_URL... (RSS/Atom feed URLs, or saved feed files) and ingest new entries.

    Each poll prints one line: what was added, or why the feed could not be read (gone,
    malformed, throttled, refused by robots.txt); the other feeds go on. Requests are
    conditional (ETag, Last-Modified), spaced per host, and honour Retry-After and
    robots.txt. What was seen is kept in the store: a restart neither ingests an entry twice
    nor misses one. Ctrl-C stops after the poll in flight (exit 0). With --once, exit 1 if a
    feed could not be read.
    """
    from newsprism.watch import normalise_feed

    if every < MIN_EVERY_S:
        raise click.BadParameter(f"must be at least {MIN_EVERY_S:g} s", param_hint="--every")
    try:
        named = [normalise_feed(feed) for feed in feeds]
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="FEED_OR_URL") from error
    try:
        failed = _watch(named, every, once, host_delay, allow_loopback, db)
    except NewsprismError as error:
        raise click.ClickException(str(error)) from error
    if failed:
        sys.exit(1)


def _watch(
    feeds: list[str], every: float, once: bool, host_delay: float, loopback: bool, db: str | None
) -> bool:
    """Run the watcher; True when the run ends with feeds that could not be read."""
    from newsprism.cli.store import _service
    from newsprism.fetch import Fetcher
    from newsprism.watch import Watcher

    service = _service(db)
    fetcher = Fetcher(allow_loopback=loopback)
    failures: list[PollOutcome] = []

    def tell(outcome: PollOutcome) -> None:
        if outcome.failed:
            failures.append(outcome)
        _print_outcome(outcome)

    watcher = Watcher(
        feeds,
        store=service.store,
        sink=lambda command: command.run(service),
        fetcher=fetcher,
        every=every,
        host_delay=host_delay,
        on_poll=tell,
    )
    try:
        with _stop_on_signals(watcher):
            if once:
                watcher.run_once()
                return bool(failures) and not watcher.stopping
            say(f"watching {plural(len(feeds), 'feed')} every {every:g} s; Ctrl-C stops", err=True)
            if not watcher.run_forever():
                say("every feed is gone (HTTP 410); nothing left to watch", err=True)
                return True
            return False
    except KeyboardInterrupt:  # the second Ctrl-C: the poll in flight was rolled back
        return False
    finally:
        fetcher.close()
        service.store.close()


def _print_outcome(outcome: PollOutcome) -> None:
    say(outcome.line(), err=outcome.failed)
    for rejection in outcome.report.rejected if outcome.report else ():
        say(f"  rejected {rejection.source}: [{rejection.code}] {rejection.reason}", err=True)


@contextmanager
def _stop_on_signals(watcher: Watcher) -> Iterator[None]:
    """Ctrl-C (or SIGTERM) asks the watcher to stop after the poll in flight; a second one
    stops at once (KeyboardInterrupt; an ingest in flight rolls back)."""
    asked = 0

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal asked
        asked += 1
        if asked > 1:
            raise KeyboardInterrupt
        say("stopping after the poll in flight (Ctrl-C again to stop now)", err=True)
        watcher.stop_from_signal()

    previous = {number: signal.signal(number, handler) for number in _STOP_SIGNALS}
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

"""The feed poller behind `newsprism watch` and `newsprism serve --watch`.

A `Watcher` polls each feed (an http(s) URL, or a local feed file) when it is due: at its last
successful read plus the interval, and never before the time a server's ``Retry-After`` or the
backoff after failures named. HTTP feeds are asked conditionally (``If-None-Match``,
``If-Modified-Since``): a 304 is answered without reading or parsing anything; a file is
re-read only when its modification time or size changed. Requests go through the safe
`newsprism.fetch.Fetcher` (no private addresses), robots.txt and the per-host pacing of
`newsprism.watch.politeness`. New entries are read by the ingest stage's feed reader and
recorded through a *sink* that runs `RecordPoll` (on the caller's Service, or in the server's
write lane). A feed that fails (gone, malformed, refused, throttled) gets its message and its
backoff; the others go on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from newsprism.data.limits import Limits
from newsprism.data.watch import DEFAULT_EVERY_S, DEFAULT_HOST_DELAY_S, MIN_RETRY_S
from newsprism.errors import EmptyInput, FetchRefused, InputError
from newsprism.fetch import Fetched, Fetcher
from newsprism.ingest.bounds import display_path, read_regular_file
from newsprism.ingest.feeds import read_feed
from newsprism.model import RawDocument, Rejection
from newsprism.store import FeedState, Store
from newsprism.watch.links import LinkReader, needs_link
from newsprism.watch.politeness import (
    HostPacer,
    RobotsCache,
    backoff_seconds,
    host_of,
    retry_after_seconds,
)
from newsprism.watch.record import FeedEntry, PollReport, RecordPoll

logger = logging.getLogger(__name__)
# A sleep looks at the stop flag this often (a signal handler sets it without waking it).
_SLEEP_SLICE_S = 0.2

Sink = Callable[[RecordPoll], PollReport]
Kind = Literal[
    "read", "not-modified", "throttled", "gone", "malformed", "refused", "failed", "waiting"
]
# Outcomes that mean this poll did not read the feed (a failed input, for the exit code).
FAILED_KINDS: frozenset[str] = frozenset({"throttled", "gone", "malformed", "refused", "failed"})


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class PollOutcome:
    """What one poll of one feed did, and when the feed is polled next."""

    url: str
    kind: Kind
    message: str
    at: datetime
    next_poll: datetime | None = None
    status: int | None = None
    entries: int = 0  # entries the feed holds
    new: int = 0  # of them not taken in before
    report: PollReport | None = None
    parsed: bool = False  # whether the feed's bytes were parsed

    @property
    def failed(self) -> bool:
        return self.kind in FAILED_KINDS

    def line(self) -> str:
        """The poll as one line: time, feed, what happened, when next."""
        when = f"; next poll {_clock_text(self.next_poll)}" if self.next_poll else ""
        return f"{_clock_text(self.at)} {self.url}: {self.message}{when}"


def _clock_text(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _parse_time(value: str | None) -> datetime | None:
    return None if not value else datetime.fromisoformat(value)


def is_url(feed: str) -> bool:
    return feed.startswith(("http://", "https://"))


def entry_key(feed: str, item: RawDocument | Rejection) -> str:
    """What identifies an entry across polls: its link (else its id), as the feed reader
    names the entry; for an entry with neither, the hash of its content."""
    if not item.source.startswith(f"{feed}#"):
        return item.source
    if isinstance(item, RawDocument):
        return "sha256:" + hashlib.sha256(item.data).hexdigest()
    return item.source  # an unreadable entry with no link or id: its place in the feed


class Watcher:
    """Polls *feeds* into a store; `run_once` polls each once, `run_forever` until `stop`."""

    def __init__(
        self,
        feeds: Sequence[str],
        *,
        store: Store,
        sink: Sink,
        fetcher: Fetcher,
        every: float = DEFAULT_EVERY_S,
        host_delay: float = DEFAULT_HOST_DELAY_S,
        limits: Limits | None = None,
        on_poll: Callable[[PollOutcome], None] | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.feeds = list(dict.fromkeys(feeds))
        self.every = every
        self.parses = 0  # feeds parsed so far (a 304 or an unchanged file costs none)
        self._store = store
        self._sink = sink
        self._fetcher = fetcher
        self._limits = limits or Limits.from_env()
        self._on_poll = on_poll
        self._clock = clock
        self._pacer = HostPacer(host_delay)
        self._robots = RobotsCache(fetcher, self._pacer)
        self._links = LinkReader(fetcher, self._robots, self._pacer, self._limits)
        self._gone: set[str] = set()  # answered 410: not polled again by this watcher
        self._held: dict[str, datetime] = {}  # feeds whose last poll could not be recorded
        self._stop = threading.Event()
        self._stop_asked = False  # set without a lock: a signal handler may set it

    # ------------------------------------------------------------------ running
    def stop(self) -> None:
        """Ask the watcher to stop after the poll in flight (it never starts another)."""
        self._stop_asked = True
        self._stop.set()

    def stop_from_signal(self) -> None:
        """`stop` for a signal handler: it takes no lock, since the handler may interrupt this
        thread while it holds the stop event's own lock (entering a wait); the sleep sees the
        flag within `_SLEEP_SLICE_S`."""
        self._stop_asked = True

    @property
    def stopping(self) -> bool:
        return self._stop_asked or self._stop.is_set()

    def run_once(self) -> list[PollOutcome]:
        """Poll every feed once (those a server asked to wait are reported, not asked)."""
        outcomes: list[PollOutcome] = []
        for feed in self.feeds:
            if self.stopping:
                break
            state = self._state(feed)
            not_before = _parse_time(state.not_before)
            outcome: PollOutcome | None
            if not_before is not None and not_before > self._clock():
                outcome = self._waiting(state, not_before)
            else:
                outcome = self.poll(feed)
            if outcome is not None:
                outcomes.append(outcome)
                self._tell(outcome)
        return outcomes

    def run_forever(self) -> bool:
        """Poll each feed whenever it is due, until `stop`. False when every feed is gone."""
        while not self.stopping:
            active = [feed for feed in self.feeds if feed not in self._gone]
            if not active:
                return False
            feed, wait = min(((f, self._wait_for(f)) for f in active), key=lambda p: p[1])
            if wait > 0:
                self._sleep(wait)
                continue  # another feed's state may have changed meanwhile
            outcome = self.poll(feed)
            if outcome is not None:
                self._tell(outcome)
        return True

    def _wait_for(self, feed: str) -> float:
        """Seconds until *feed* is due and its host may be asked."""
        state = self._state(feed)
        now = self._clock()
        due = now
        last = _parse_time(state.last_polled)
        if last is not None:
            due = max(due, last + timedelta(seconds=self.every))
        for later in (_parse_time(state.not_before), self._held.get(feed)):
            if later is not None:
                due = max(due, later)
        host_wait = self._pacer.wait_s(host_of(feed)) if is_url(feed) else 0.0
        return max((due - now).total_seconds(), host_wait)

    def _sleep(self, seconds: float) -> bool:
        """Sleep up to *seconds*; False when `stop` was asked (it wakes the sleep at once)."""
        deadline = time.monotonic() + seconds
        while not self.stopping and (left := deadline - time.monotonic()) > 0:
            self._stop.wait(min(left, _SLEEP_SLICE_S))
        return not self.stopping

    def _tell(self, outcome: PollOutcome) -> None:
        if self._on_poll is not None:
            self._on_poll(outcome)

    def _state(self, feed: str) -> FeedState:
        return self._store.get_feed(feed) or FeedState(url=feed)

    # ------------------------------------------------------------------ one poll
    def poll(self, feed: str) -> PollOutcome | None:
        """Poll *feed* now (None: `stop` was asked while it waited for its host).

        Any other failure (the store, the server's write lane, a bug) is this feed's failed
        poll: it is retried after the backoff, and the other feeds go on.
        """
        try:
            return self._poll(feed)
        except Exception as error:  # noqa: BLE001 (the last guard: one feed never stops the rest)
            logger.warning("polling %s failed", feed, exc_info=True)
            now = self._clock()
            retry = now + timedelta(seconds=backoff_seconds(self.every, 1))
            self._held[feed] = retry  # its stored state may be stale: held here instead
            return PollOutcome(
                url=feed,
                kind="failed",
                message=f"this poll failed ({type(error).__name__}: {error}); the store or the "
                "server's writer may be unavailable, see the log",
                at=now,
                next_poll=retry,
            )

    def _poll(self, feed: str) -> PollOutcome | None:
        self._held.pop(feed, None)
        state = self._state(feed)
        if not is_url(feed):
            return self._poll_file(state)
        answer = self._robots.check(feed, self._sleep)
        if answer.stopped:
            return None
        if not answer.allowed:
            return self._failed(state, "refused", answer.reason)
        try:
            fetched = self._pacer.request(
                host_of(feed),
                self._sleep,
                lambda: self._fetcher.fetch_conditional(
                    feed, etag=state.etag, last_modified=state.last_modified
                ),
            )
        except FetchRefused as error:
            return self._failed(state, "failed", error.detail)
        return None if fetched is None else self._answered(state, fetched)

    def _answered(self, state: FeedState, fetched: Fetched) -> PollOutcome | None:
        status = fetched.status
        if status == 304:
            kept = dataclasses.replace(
                state,
                etag=fetched.etag or state.etag,
                last_modified=fetched.last_modified or state.last_modified,
            )
            return self._unchanged(kept, "not modified (HTTP 304), nothing parsed", status)
        if status == 429 or status >= 500:
            return self._throttled(state, fetched)
        if status == 410:
            self._gone.add(state.url)
            message = "gone (HTTP 410): the feed was removed; take it off the list"
            return self._failed(state, "gone", message, status=status, final=True)
        if status == 404:
            message = "not found (HTTP 404): check the URL, or take the feed off the list"
            return self._failed(state, "gone", message, status=status)
        if status >= 400:
            message = f"refused (HTTP {status}): the server does not let newsprism read it"
            return self._failed(state, "refused", message, status=status)
        validators = {"etag": fetched.etag, "last_modified": fetched.last_modified}
        return self._read(state, fetched.data, fetched, validators, status=status)

    def _throttled(self, state: FeedState, fetched: Fetched) -> PollOutcome:
        asked = retry_after_seconds(fetched.retry_after, self._clock())
        if asked is None:
            message = f"the server answered HTTP {fetched.status}; backing off"
            return self._failed(state, "throttled", message, status=fetched.status)
        wait = max(asked, MIN_RETRY_S)
        self._pacer.hold(host_of(state.url), wait)  # the whole host asked for the pause
        message = f"throttled (HTTP {fetched.status}), the server asked to wait {wait:g} s"
        return self._failed(state, "throttled", message, status=fetched.status, wait=wait)

    def _poll_file(self, state: FeedState) -> PollOutcome | None:
        path = Path(state.url)
        try:
            info = path.stat()
        except FileNotFoundError:
            return self._failed(state, "gone", "the feed file is missing; check the path")
        except OSError as error:
            return self._failed(state, "failed", f"cannot read the file ({error.strerror})")
        signature = f"file:{info.st_mtime_ns}:{info.st_size}"
        if state.etag == signature:
            return self._unchanged(state, "unchanged since the last poll, nothing parsed", None)
        try:
            data = read_regular_file(path, display_path(path), self._limits)
        except InputError as error:
            return self._failed(state, "failed", error.detail)
        return self._read(state, data, None, {"etag": signature, "last_modified": None})

    # ------------------------------------------------------------------ outcomes
    def _read(
        self,
        state: FeedState,
        data: bytes,
        fetched: Fetched | None,
        validators: dict[str, str | None],
        *,
        status: int | None = None,
    ) -> PollOutcome | None:
        """Parse the feed, ingest its new entries, store the validators last."""
        self.parses += 1
        try:
            items = read_feed(state.url, data, self._limits)
        except EmptyInput:  # what the feed reader raises for a feed without entries
            if _looks_like_html(data, fetched):
                return self._failed(state, "malformed", _HTML_NOT_FEED)
            items = []  # a feed with no entries (yet) is still a feed
        except InputError as error:
            return self._failed(state, "malformed", error.detail)
        except Exception as error:  # noqa: BLE001 (the last guard: one feed never stops the rest)
            logger.debug("reading feed %s failed", state.url, exc_info=True)
            detail = f"could not read the feed ({type(error).__name__}: {error})"
            return self._failed(state, "malformed", detail)
        problems = [i.reason for i in items if isinstance(i, Rejection) and i.source == state.url]
        entries = _entries(state.url, [i for i in items if i.source != state.url], fetched)
        seen = self._store.seen_feed_entries(state.url, [entry.key for entry in entries])
        linked = self._read_links([e for e in entries if e.key not in seen])
        if linked is None:  # stopping: nothing recorded, so the next poll reads it all again
            return None
        # Oldest first, as news arrived: online clustering sees a story grow in time order.
        new = sorted(linked, key=_published_order)
        now = self._clock()
        read_state = FeedState(
            url=state.url,
            etag=validators["etag"],
            last_modified=validators["last_modified"],
            last_polled=now.isoformat(),
            last_status=status,
            last_error="; ".join(problems) or None,
        )
        report = self._sink(RecordPoll(read_state, tuple(new)))
        message = _added_text(report, len(new), len(entries), problems)
        return PollOutcome(
            url=state.url,
            kind="read",
            message=message,
            at=now,
            next_poll=now + timedelta(seconds=self.every),
            status=status,
            entries=len(entries),
            new=len(new),
            report=report,
            parsed=True,
        )

    def _read_links(self, entries: list[FeedEntry]) -> list[FeedEntry] | None:
        """*entries*, those with only a summary read from their link (None: stopping)."""
        read: list[FeedEntry] = []
        for entry in entries:
            if needs_link(entry):
                linked = self._links.read(entry, self._sleep)
                if linked is None:
                    return None
                entry = linked
            read.append(entry)
        return read

    def _unchanged(self, state: FeedState, message: str, status: int | None) -> PollOutcome:
        now = self._clock()
        fresh = dataclasses.replace(
            state,
            last_polled=now.isoformat(),
            not_before=None,
            failures=0,
            last_status=status,
            last_error=None,
        )
        self._sink(RecordPoll(fresh))
        return PollOutcome(
            url=state.url,
            kind="not-modified",
            message=message,
            at=now,
            next_poll=now + timedelta(seconds=self.every),
            status=status,
        )

    def _failed(
        self,
        state: FeedState,
        kind: Kind,
        message: str,
        *,
        status: int | None = None,
        wait: float | None = None,
        final: bool = False,
    ) -> PollOutcome:
        """Record a failed poll: the last successful read stays, the next waits the backoff
        (or *wait*, the server's Retry-After)."""
        now = self._clock()
        failures = state.failures + 1
        delay = wait if wait is not None else backoff_seconds(self.every, failures)
        not_before = now + timedelta(seconds=delay)
        failed = dataclasses.replace(
            state,
            not_before=not_before.isoformat(),
            failures=failures,
            last_status=status,
            last_error=message,
        )
        self._sink(RecordPoll(failed))
        return PollOutcome(
            url=state.url,
            kind=kind,
            message=message,
            at=now,
            next_poll=None if final else not_before,
            status=status,
        )

    def _waiting(self, state: FeedState, not_before: datetime) -> PollOutcome:
        return PollOutcome(
            url=state.url,
            kind="waiting",
            message=f"not polled: waiting after {state.last_error or 'an earlier failure'}",
            at=self._clock(),
            next_poll=not_before,
            status=state.last_status,
        )


_HTML_NOT_FEED = (
    "this URL serves an HTML page, not an RSS/Atom feed; give the feed's own URL (the page "
    'names it in <link rel="alternate" type="application/rss+xml" href="...">)'
)


def _looks_like_html(data: bytes, fetched: Fetched | None) -> bool:
    media = ((fetched.content_type if fetched else None) or "").split(";")[0].strip().lower()
    start = data.lstrip()[:256].lower()
    return media in ("text/html", "application/xhtml+xml") or start.startswith(
        (b"<!doctype html", b"<html")
    )


def _entries(
    feed: str, items: Sequence[RawDocument | Rejection], fetched: Fetched | None
) -> list[FeedEntry]:
    """The feed's entries with their keys, each once (a feed may repeat an entry), its
    documents carrying the URL and time they were fetched at, as `ingest` of a URL does."""
    entries: dict[str, FeedEntry] = {}
    for item in items:
        if isinstance(item, RawDocument) and fetched is not None:
            item = dataclasses.replace(
                item,
                url=item.url or fetched.url,
                fetched_at=item.fetched_at or fetched.fetched_at,
            )
        key = entry_key(feed, item)
        entries.setdefault(key, FeedEntry(key=key, item=item))
    return list(entries.values())


def _published_order(entry: FeedEntry) -> tuple[bool, datetime]:
    published = entry.item.published if isinstance(entry.item, RawDocument) else None
    return (published is None, published or datetime.min)


def _added_text(report: PollReport, new: int, total: int, problems: Sequence[str]) -> str:
    text = (
        f"{len(report.added)} added, {len(report.duplicates)} duplicate, "
        f"{len(report.rejected)} rejected ({new} new of {total} entries)"
    )
    if problems:
        text += "; the feed is damaged: " + "; ".join(problems)
    return text


def feed_list(path: Path) -> list[str]:
    """The feeds a watch file lists: one URL or feed file per line; blank lines and lines
    starting with ``#`` are skipped.

    Raises:
        ValueError: a line is neither an http(s) URL nor an existing file (names the line).
    """
    feeds: list[str] = []
    text = path.read_text(encoding="utf-8")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        feeds.append(normalise_feed(line, where=f"{path}:{number}"))
    return feeds


def normalise_feed(value: str, *, where: str | None = None) -> str:
    """*value* as the watcher names it: a URL as given, a feed file as its absolute path.

    Raises:
        ValueError: neither an http(s) URL nor an existing file.
    """
    if is_url(value):
        return value
    if os.path.isfile(value):
        return str(Path(value).resolve())
    prefix = f"{where}: " if where else ""
    raise ValueError(
        f"{prefix}{value!r} is neither an http(s) URL nor an existing feed file; "
        "give a feed's URL (https://...) or the path of a saved feed"
    )

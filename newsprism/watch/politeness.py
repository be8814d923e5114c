"""Per-host politeness for the feed poller: robots.txt, spacing between requests, backoff.

Every request to a host (its robots.txt and each of its feeds) goes through one `HostPacer`:
at least the host delay apart (or the robots.txt ``Crawl-delay`` when longer), and not before
the time a ``429``/``503`` ``Retry-After`` named. robots.txt follows RFC 9309: a 4xx means no
rules (everything allowed), a 5xx or an unreachable server means "do not crawl" until it
answers, and a fetched file is cached for `ROBOTS_TTL_S`.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

from newsprism.data.watch import BACKOFF_MAX_S, MAX_RETRY_AFTER_S, ROBOTS_AGENT, ROBOTS_TTL_S
from newsprism.errors import FetchRefused
from newsprism.fetch import Fetcher

T = TypeVar("T")
# wait(seconds) sleeps, and says False when the poller was asked to stop meanwhile.
WaitFn = Callable[[float], bool]


def host_of(url: str) -> str:
    """The politeness key of *url*: its host name, lower-cased (the port does not count)."""
    return (urlsplit(url).hostname or "").lower()


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date), at most
    `MAX_RETRY_AFTER_S`; None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return min(float(text), MAX_RETRY_AFTER_S)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max((when - now).total_seconds(), 0.0), MAX_RETRY_AFTER_S)


def backoff_seconds(every: float, failures: int) -> float:
    """The wait after *failures* failed polls in a row: the interval doubled per failure
    after the first, at most `BACKOFF_MAX_S` (but never less than the interval)."""
    if failures <= 0:
        return every
    return max(every, min(every * 2.0 ** (failures - 1), BACKOFF_MAX_S))


class HostPacer:
    """When each host may next be asked: requests to a host are spaced, throttles honoured.

    Thread-safe; time is `time.monotonic` seconds.
    """

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._ready: dict[str, float] = {}
        self._delays: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait_s(self, host: str) -> float:
        """Seconds until *host* may be asked again (0: now)."""
        with self._lock:
            return max(0.0, self._ready.get(host, 0.0) - time.monotonic())

    def request(self, host: str, wait: WaitFn, send: Callable[[], T]) -> T | None:
        """*send*() once *host* may be asked (None, unsent: the poller is stopping). The next
        request to *host* waits the host's delay counted from the end of this one, so the
        host never has two of ours within the delay, however long each takes."""
        if not wait(self.wait_s(host)):
            return None
        try:
            return send()
        finally:
            with self._lock:
                spacing = max(self.delay, self._delays.get(host, 0.0))
                ready = time.monotonic() + spacing
                self._ready[host] = max(self._ready.get(host, 0.0), ready)

    def hold(self, host: str, seconds: float) -> None:
        """Ask nothing of *host* for *seconds* (its Retry-After)."""
        with self._lock:
            self._ready[host] = max(self._ready.get(host, 0.0), time.monotonic() + seconds)

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        with self._lock:
            self._delays[host] = seconds or 0.0


@dataclass(frozen=True, slots=True)
class RobotsAnswer:
    """May the URL be fetched; if not, why (for the poll's message)."""

    allowed: bool
    reason: str = ""
    stopped: bool = False  # the poller was asked to stop while waiting for the host


@dataclass(slots=True)
class _Rules:
    parser: urllib.robotparser.RobotFileParser | None  # None: no rules (a 4xx)
    fetched: float  # monotonic


class RobotsCache:
    """robots.txt of each host, fetched through the poller's own `Fetcher` and pacer."""

    def __init__(self, fetcher: Fetcher, pacer: HostPacer, *, ttl: float = ROBOTS_TTL_S) -> None:
        self._fetcher = fetcher
        self._pacer = pacer
        self._ttl = ttl
        self._rules: dict[str, _Rules] = {}

    def check(self, url: str, wait: WaitFn) -> RobotsAnswer:
        """Whether robots.txt of *url*'s site lets `ROBOTS_AGENT` fetch *url*.

        *wait*(seconds) sleeps for the pacer (it returns False when the poller is stopping).

        An unreachable robots.txt (an error status, a refused or failed fetch: the reason
        says which, e.g. a private address) means "not now", as RFC 9309 asks.
        """
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}".lower()
        rules = self._rules.get(site)
        if rules is None or time.monotonic() - rules.fetched > self._ttl:
            fetched = self._fetch(site, wait)
            if isinstance(fetched, RobotsAnswer):
                return fetched
            rules = self._rules[site] = fetched
        if rules.parser is None or rules.parser.can_fetch(ROBOTS_AGENT, url):
            return RobotsAnswer(True)
        return RobotsAnswer(
            False,
            f"robots.txt of {site} disallows {parts.path or '/'} for {ROBOTS_AGENT}; "
            "newsprism honours it (ask the site, or remove the feed)",
        )

    def _fetch(self, site: str, wait: WaitFn) -> _Rules | RobotsAnswer:
        robots_url = urlunsplit((*urlsplit(site)[:2], "/robots.txt", "", ""))
        host = host_of(site)
        try:
            answer = self._pacer.request(
                host, wait, lambda: self._fetcher.fetch_conditional(robots_url)
            )
        except FetchRefused as error:
            return RobotsAnswer(False, f"{robots_url} could not be fetched: {error.detail}")
        if answer is None:
            return RobotsAnswer(False, "the poller is stopping", stopped=True)
        if answer.status >= 500 or answer.status == 429:
            return RobotsAnswer(
                False,
                f"{robots_url} answered HTTP {answer.status}; the feed is not polled until "
                "robots.txt can be read (RFC 9309)",
            )
        if answer.status >= 400:  # RFC 9309 2.3.1.3: unavailable means no rules
            self._pacer.set_crawl_delay(host, None)
            return _Rules(parser=None, fetched=time.monotonic())
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(answer.data.decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(ROBOTS_AGENT)
        self._pacer.set_crawl_delay(host, float(delay) if delay is not None else None)
        return _Rules(parser=parser, fetched=time.monotonic())

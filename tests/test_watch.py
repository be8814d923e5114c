"""`newsprism watch`: a real feed server on 127.0.0.1 whose feeds change between polls.

The server (http.server in a thread) answers conditional requests, robots.txt, scripted
429/410/404 answers and a malformed feed, and logs every request it gets, so the tests check
what the watcher really sent and when. Loopback is allowed only through the Fetcher's explicit
``allow_loopback`` (the CLI's ``--allow-loopback``); one test checks the default still refuses.
Feed texts are generated here.
"""

from __future__ import annotations

import html
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsprism.fetch import Fetcher
from newsprism.service import Service
from newsprism.store import open_store
from newsprism.watch import PollOutcome, Watcher

REPO = Path(__file__).resolve().parent.parent
PLACES = ["Amberley", "Brisford", "Calder", "Dunmore", "Elsworth", "Fenwick", "Garston", "Ilsley"]
SUBJECTS = [
    ("library", "reopened after a roof repair that took", "months"),
    ("tram line", "was extended by", "kilometres"),
    ("hospital wing", "gained", "new beds"),
    ("harbour wall", "was raised by", "centimetres"),
    ("school", "hired", "teachers"),
    ("water plant", "cut its losses by", "percent"),
    ("bus depot", "added", "electric buses"),
    ("market hall", "was rented out to", "traders"),
]


def article_html(n: int) -> str:
    """A generated article of a few paragraphs; every n gives different facts."""
    place = PLACES[n % len(PLACES)]
    subject, verb, unit = SUBJECTS[(n // len(PLACES)) % len(SUBJECTS)]
    amount = 7 * n + 3
    paragraphs = [
        f"The {subject} in {place} {verb} {amount} {unit}, the council said on Tuesday.",
        f"Council leader Mara Quill{n} said the {amount} {unit} were paid from the {place} "
        f"budget for {2020 + n % 9}, and that residents had asked for the change for years.",
        f"Opposition members in {place} questioned the cost and asked for a review of item "
        f"{n} before the next meeting, which is due in {n % 11 + 2} weeks.",
        f"Local businesses near the {subject} said the work had brought customers back, "
        f"while neighbours complained about noise on {n % 5 + 1} weekends.",
    ]
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def atom_feed(title: str, numbers: list[int]) -> bytes:
    entries = "".join(
        f"<entry><id>urn:newsprism-test:{n}</id><title>{PLACES[n % len(PLACES)]} story {n}"
        f"</title><link href='https://news.example/{n}'/>"
        f"<updated>2026-11-{n % 27 + 1:02d}T10:00:00Z</updated>"
        f"<content type='html'>{html.escape(article_html(n))}</content></entry>"
        for n in numbers
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>{title}</title><id>urn:feed:{title}</id>"
        f"<updated>2026-11-30T10:00:00Z</updated>{entries}</feed>"
    ).encode()


def teaser_feed(base: str, paths: list[str]) -> bytes:
    """An Atom feed whose entries carry only a summary and a link to their article."""
    entries = "".join(
        f"<entry><id>urn:teaser:{path}</id><title>Teaser {path}</title>"
        f"<link href='{base}{path}'/><updated>2026-11-20T10:00:00Z</updated>"
        f"<summary>The council met again. Read on.</summary></entry>"
        for path in paths
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>Valley Teasers</title><id>urn:feed:teasers</id>"
        f"<updated>2026-11-30T10:00:00Z</updated>{entries}</feed>"
    ).encode()


def article_page(n: int) -> bytes:
    return (
        f"<!doctype html><html><head><title>{PLACES[n % len(PLACES)]} story {n}</title></head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{PLACES[n % len(PLACES)]} story "
        f"{n}</h1>{article_html(n)}</article><footer>Valley Post</footer></body></html>"
    ).encode()


@dataclass
class Seen:
    """One request the feed server got."""

    at: float  # time.monotonic()
    path: str
    status: int
    headers: dict[str, str]


@dataclass
class FeedSite:
    """What the server serves; tests change it between polls."""

    feeds: dict[str, bytes] = field(default_factory=dict)
    validators: dict[str, tuple[str, str]] = field(default_factory=dict)  # etag, last-modified
    raw: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    scripted: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    robots: str | None = None
    conditional: bool = True
    log: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""
    versions: int = 0

    def set_feed(
        self, path: str, numbers: list[int], title: str = "Valley Post", body: bytes | None = None
    ) -> str:
        with self.lock:
            self.versions += 1
            self.feeds[path] = atom_feed(title, numbers) if body is None else body
            stamp = formatdate(1_790_000_000 + self.versions, usegmt=True)
            self.validators[path] = (f'"v{self.versions}"', stamp)
        return self.base + path

    def requests(self, path: str) -> list[Seen]:
        with self.lock:
            return [seen for seen in self.log if seen.path == path]

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            queue = self.scripted.get(path)
            if queue:
                status, extra = queue.pop(0)
                return status, extra, b""
            if path == "/robots.txt":
                if self.robots is None:
                    return 404, {}, b"no robots.txt"
                return 200, {"Content-Type": "text/plain"}, self.robots.encode()
            if path in self.raw:
                status, kind, body = self.raw[path]
                return status, {"Content-Type": kind}, body
            if path not in self.feeds:
                return 404, {}, b"not found"
            etag, modified = self.validators[path]
            fresh = {"ETag": etag, "Last-Modified": modified}
            if self.conditional and headers.get("if-none-match") == etag:
                return 304, fresh, b""
            return 200, {"Content-Type": "application/atom+xml", **fresh}, self.feeds[path]


def _handler(site: FeedSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            headers = {key.lower(): value for key, value in self.headers.items()}
            status, extra, body = site.answer(self.path, headers)
            with site.lock:
                site.log.append(Seen(time.monotonic(), self.path, status, headers))
            self.send_response(status)
            for key, value in extra.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


@pytest.fixture()
def site() -> Iterator[FeedSite]:
    state = FeedSite()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "watch.db")
    return str(request.getfixturevalue("postgres_db_url"))


@contextmanager
def watcher(db: str, feeds: list[str], **options: Any) -> Iterator[tuple[Watcher, Service]]:
    """A new Watcher over *db* with its own store, service and loopback-allowing fetcher, as
    a restarted process would have."""
    service = Service(open_store(db))
    fetcher = Fetcher(allow_loopback=True)
    options.setdefault("host_delay", 0.0)
    made = Watcher(
        feeds,
        store=service.store,
        sink=lambda command: command.run(service),
        fetcher=fetcher,
        **options,
    )
    try:
        yield made, service
    finally:
        fetcher.close()
        service.store.close()


def run_once(db: str, feeds: list[str]) -> list[PollOutcome]:
    with watcher(db, feeds) as (made, _):
        return made.run_once()


def stored(db: str) -> dict[str, Any]:
    store = open_store(db)
    try:
        articles = list(store.iter_articles())
        return {
            "counts": store.counts(),
            "urls": sorted(a.url or "" for a in articles),
            "sources": {a.id: store.article_sources(a.id) for a in articles},
        }
    finally:
        store.close()


def added(outcome: PollOutcome) -> int:
    """How many articles the poll added (it must have read the feed)."""
    assert outcome.report is not None, outcome.line()
    return len(outcome.report.added)


# --------------------------------------------------------------------------- restarts


def test_three_restarts_ingest_every_entry_exactly_once(site: FeedSite, db: str) -> None:
    url = site.set_feed("/valley.xml", [1, 2, 3])
    first = run_once(db, [url])
    assert [o.kind for o in first] == ["read"] and added(first[0]) == 3

    site.set_feed("/valley.xml", [4, 5, 1, 2, 3])  # two new entries while the watcher is down
    second = run_once(db, [url])
    assert second[0].new == 2 and added(second[0]) == 2

    third = run_once(db, [url])  # unchanged: answered 304
    assert third[0].kind == "not-modified"

    site.conditional = False  # a server that ignores validators sends the whole feed again
    fourth = run_once(db, [url])
    assert fourth[0].kind == "read" and fourth[0].new == 0
    assert fourth[0].report is not None
    assert not fourth[0].report.added and not fourth[0].report.duplicates

    kept = stored(db)
    assert kept["counts"]["articles"] == 5
    assert kept["urls"] == [f"https://news.example/{n}" for n in (1, 2, 3, 4, 5)]
    assert all(len(sources) == 1 for sources in kept["sources"].values())
    assert kept["counts"]["rejections"] == 0
    feed_requests = site.requests("/valley.xml")
    assert [r.status for r in feed_requests] == [200, 200, 304, 200]
    # The second and third runs sent the validators the earlier run stored.
    assert feed_requests[1].headers.get("if-none-match") == '"v1"'
    assert feed_requests[2].headers.get("if-none-match") == '"v2"'
    assert "if-modified-since" in feed_requests[2].headers


def test_a_watcher_killed_mid_ingest_resumes_without_doubles_or_gaps(
    site: FeedSite, tmp_path: Path
) -> None:
    """SIGKILL while a first poll ingests; the next run takes in exactly the rest."""
    import sqlite3

    total = 80
    url = site.set_feed("/valley.xml", list(range(1, total + 1)))
    db = str(tmp_path / "killed.db")
    process = subprocess.Popen(
        [sys.executable, "-m", "newsprism", "watch", url, "--once", "--db", db]
        + ["--allow-loopback", "--host-delay", "0"],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stored_before_kill = 0
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            stored_before_kill = _article_count(sqlite3, db)
            if stored_before_kill >= 5:
                process.kill()
                break
            time.sleep(0.02)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the watcher ended before it could be killed"
    partial = _article_count(sqlite3, db)
    assert 5 <= partial < total, partial
    # The validators are stored after the entries: the next poll is a full request.
    assert site.requests("/valley.xml")[-1].headers.get("if-none-match") is None
    resumed = run_once(db, [url])
    assert resumed[0].new == total - partial and added(resumed[0]) == total - partial
    kept = stored(db)
    assert kept["counts"]["articles"] == total
    assert kept["urls"] == sorted(f"https://news.example/{n}" for n in range(1, total + 1))
    assert all(len(sources) == 1 for sources in kept["sources"].values())
    assert site.requests("/valley.xml")[-1].headers.get("if-none-match") is None
    assert run_once(db, [url])[0].kind == "not-modified"


def _article_count(sqlite3: Any, db: str) -> int:
    if not Path(db).exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # the schema is not made yet
        return 0


def test_feed_state_round_trips_in_the_store(db: str) -> None:
    from newsprism.store import FeedState

    store = open_store(db)
    try:
        assert store.get_feed("https://news.example/feed") is None
        state = FeedState(
            url="https://news.example/feed",
            etag='"abc"',
            last_modified="Tue, 01 Dec 2026 10:00:00 GMT",
            last_polled="2026-12-01T10:00:00+00:00",
            not_before="2026-12-01T10:10:00+00:00",
            failures=2,
            last_status=503,
            last_error="the server answered HTTP 503; backing off",
        )
        store.put_feed(state)
        assert store.get_feed(state.url) == state
        cleared = FeedState(url=state.url, etag='"def"')
        store.put_feed(cleared)
        assert store.get_feed(state.url) == cleared
        keys = [f"https://news.example/{n}" for n in range(1200)]  # more than one query's worth
        store.mark_feed_entries(state.url, keys[:700])
        store.mark_feed_entries(state.url, keys[600:900])  # again: no change, no error
        assert store.seen_feed_entries(state.url, keys) == set(keys[:900])
        assert store.seen_feed_entries("https://other.example/feed", keys) == set()
    finally:
        store.close()


def test_a_304_costs_no_parse(site: FeedSite, tmp_path: Path, monkeypatch: Any) -> None:
    import feedparser

    real_parse = feedparser.parse
    parses: list[int] = []

    def counting_parse(*args: Any, **kwargs: Any) -> Any:
        parses.append(1)
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(feedparser, "parse", counting_parse)
    db = str(tmp_path / "watch.db")
    url = site.set_feed("/valley.xml", [1, 2])
    with watcher(db, [url]) as (made, _):
        assert made.run_once()[0].parsed
        assert len(parses) == 1
        again = made.run_once()
        assert again[0].kind == "not-modified" and not again[0].parsed
        assert len(parses) == 1 and made.parses == 1
    assert [r.status for r in site.requests("/valley.xml")] == [200, 304]
    site.set_feed("/valley.xml", [3, 1, 2])  # changed: parsed again
    assert added(run_once(db, [url])[0]) == 1
    assert len(parses) == 2


# --------------------------------------------------------------------------- politeness


def test_a_429_is_retried_after_its_retry_after(site: FeedSite, tmp_path: Path) -> None:
    url = site.set_feed("/valley.xml", [1, 2])
    # 2 s: longer than the watcher's own floor for a Retry-After (1 s), so it is the header
    # that is honoured.
    site.scripted["/valley.xml"] = [(429, {"Retry-After": "2"})]
    outcomes: list[PollOutcome] = []
    with watcher(str(tmp_path / "w.db"), [url], every=3600.0, on_poll=outcomes.append) as (
        made,
        _,
    ):
        thread = threading.Thread(target=made.run_forever, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while len(outcomes) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        made.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert [o.kind for o in outcomes[:2]] == ["throttled", "read"]
    assert "wait 2 s" in outcomes[0].message
    first, second = site.requests("/valley.xml")[:2]
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 2.0  # Retry-After honoured (never sooner)
    assert added(outcomes[1]) == 2


def test_a_later_run_waits_out_an_earlier_retry_after(site: FeedSite, tmp_path: Path) -> None:
    url = site.set_feed("/valley.xml", [1])
    site.scripted["/valley.xml"] = [(503, {"Retry-After": "120"})]
    db = str(tmp_path / "w.db")
    assert run_once(db, [url])[0].kind == "throttled"
    later = run_once(db, [url])[0]  # a new process within the two minutes: not asked
    assert later.kind == "waiting" and not later.failed
    assert "HTTP 503" in later.message and later.next_poll is not None
    assert len(site.requests("/valley.xml")) == 1


def test_a_restarted_loop_waits_for_the_interval(site: FeedSite, tmp_path: Path) -> None:
    url = site.set_feed("/valley.xml", [1])
    db = str(tmp_path / "w.db")
    assert run_once(db, [url])[0].kind == "read"
    with watcher(db, [url], every=3600.0) as (made, _):
        thread = threading.Thread(target=made.run_forever, daemon=True)
        thread.start()
        time.sleep(1.5)  # polled a moment ago: the restarted loop must not ask again yet
        made.stop()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert len(site.requests("/valley.xml")) == 1


def test_requests_to_one_host_are_spaced(site: FeedSite, tmp_path: Path) -> None:
    first = site.set_feed("/one.xml", [1])
    second = site.set_feed("/two.xml", [2])
    with watcher(str(tmp_path / "w.db"), [first, second], host_delay=0.6) as (made, _):
        made.run_once()
    times = [seen.at for seen in site.log]  # robots.txt, then the two feeds
    assert [seen.path for seen in site.log] == ["/robots.txt", "/one.xml", "/two.xml"]
    assert all(later - earlier >= 0.6 for earlier, later in zip(times, times[1:], strict=False))


def test_a_robots_crawl_delay_longer_than_the_host_delay_wins(
    site: FeedSite, tmp_path: Path
) -> None:
    site.robots = "User-agent: newsprism\nCrawl-delay: 1\nAllow: /\n"
    first = site.set_feed("/one.xml", [1])
    second = site.set_feed("/two.xml", [2])
    with watcher(str(tmp_path / "w.db"), [first, second], host_delay=0.0) as (made, _):
        made.run_once()
    one, two = site.requests("/one.xml")[0], site.requests("/two.xml")[0]
    assert two.at - one.at >= 1.0


def test_robots_txt_disallow_is_honoured(site: FeedSite, tmp_path: Path) -> None:
    site.robots = "User-agent: *\nDisallow: /private/\n"
    private = site.set_feed("/private/feed.xml", [1])
    public = site.set_feed("/public/feed.xml", [2])
    outcomes = run_once(str(tmp_path / "w.db"), [private, public])
    assert [o.kind for o in outcomes] == ["refused", "read"]
    assert (
        "robots.txt" in outcomes[0].message and "disallows /private/feed.xml" in outcomes[0].message
    )
    assert site.requests("/private/feed.xml") == []  # never asked
    assert len(site.requests("/robots.txt")) == 1  # one robots.txt per site, cached
    assert added(outcomes[1]) == 1


def test_entries_with_only_a_summary_are_read_from_their_link(
    site: FeedSite, tmp_path: Path
) -> None:
    site.robots = "User-agent: *\nDisallow: /secret/\n"
    for n in (1, 2, 3):
        site.raw[f"/articles/{n}"] = (200, "text/html; charset=utf-8", article_page(n))
    site.raw["/secret/4"] = (200, "text/html; charset=utf-8", article_page(4))
    paths = ["/articles/1", "/articles/2", "/secret/4"]
    url = site.set_feed("/teasers.xml", [], body=teaser_feed(site.base, paths))
    db = str(tmp_path / "w.db")
    first = run_once(db, [url])[0]
    assert first.kind == "read" and added(first) == 2
    assert first.report is not None and len(first.report.rejected) == 1
    refused = first.report.rejected[0]
    assert refused.source == site.base + "/secret/4" and "robots.txt" in refused.reason
    assert [len(site.requests(p)) for p in paths] == [1, 1, 0]
    site.set_feed("/teasers.xml", [], body=teaser_feed(site.base, ["/articles/3", *paths]))
    second = run_once(db, [url])[0]
    assert second.new == 1 and added(second) == 1
    assert [len(site.requests(p)) for p in ("/articles/1", "/articles/3")] == [1, 1]
    kept = stored(db)
    assert kept["urls"] == [f"{site.base}/articles/{n}" for n in (1, 2, 3)]
    assert kept["counts"]["rejections"] == 1
    assert run_once(db, [url])[0].kind == "not-modified"


def test_a_gone_or_malformed_feed_gets_its_message_and_the_others_go_on(
    site: FeedSite, tmp_path: Path
) -> None:
    site.scripted["/gone.xml"] = [(410, {})]
    site.raw["/broken.xml"] = (200, "text/html", b"<html><body><p>Moved.</p></body></html>")
    site.scripted["/busy.xml"] = [(503, {})]
    good = site.set_feed("/good.xml", [1, 2, 3])
    empty = site.set_feed("/empty.xml", [])  # a feed with no entries yet is not an error
    cut = b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Val"
    site.raw["/cut.xml"] = (200, "application/atom+xml", cut)
    feeds = [site.base + p for p in ("/gone.xml", "/missing.xml", "/broken.xml", "/busy.xml")]
    db = str(tmp_path / "w.db")
    cut_url = site.base + "/cut.xml"
    with watcher(db, [*feeds, cut_url, empty, good], every=600.0) as (made, service):
        outcomes = made.run_once()
        busy_state = service.store.get_feed(feeds[3])
    by_url = {o.url: o for o in outcomes}
    assert by_url[feeds[0]].kind == "gone" and "gone (HTTP 410)" in by_url[feeds[0]].message
    assert "take it off the list" in by_url[feeds[0]].line()
    assert by_url[feeds[1]].kind == "gone" and "not found (HTTP 404)" in by_url[feeds[1]].message
    assert by_url[feeds[2]].kind == "malformed"
    assert "serves an HTML page, not an RSS/Atom feed" in by_url[feeds[2]].message
    assert by_url[cut_url].kind == "malformed"
    assert "not a readable RSS/Atom feed" in by_url[cut_url].message
    assert by_url[empty].kind == "read" and by_url[empty].entries == 0
    assert by_url[feeds[3]].kind == "throttled"
    assert by_url[good].kind == "read" and added(by_url[good]) == 3
    # A 5xx without Retry-After backs off at least one interval.
    assert busy_state is not None and busy_state.failures == 1
    assert busy_state.not_before is not None
    waited = time.time() - _epoch(busy_state.not_before)
    assert -610 < waited < -590
    assert stored(db)["counts"]["articles"] == 3


def _epoch(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso).timestamp()


# --------------------------------------------------------------------------- the CLI


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsprism", "watch", *args],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_cli_once_across_three_runs(site: FeedSite, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    url = site.set_feed("/valley.xml", [1, 2, 3])
    common = ("--once", "--db", db, "--allow-loopback", "--host-delay", "0")
    first = _cli(url, *common)
    assert first.returncode == 0, first.stderr
    assert f"{url}: 3 added, 0 duplicate, 0 rejected (3 new of 3 entries)" in first.stdout
    site.set_feed("/valley.xml", [4, 1, 2, 3])
    second = _cli(url, *common)
    assert second.returncode == 0, second.stderr
    assert "1 added, 0 duplicate, 0 rejected (1 new of 4 entries)" in second.stdout
    third = _cli(url, *common)
    assert third.returncode == 0 and "not modified (HTTP 304)" in third.stdout
    assert stored(db)["counts"]["articles"] == 4
    # A gone feed: its message on stderr, the good feed still read, exit 1.
    site.scripted["/old.xml"] = [(410, {})]
    mixed = _cli(site.base + "/old.xml", url, *common)
    assert mixed.returncode == 1
    assert "gone (HTTP 410)" in mixed.stderr and "not modified" in mixed.stdout


def test_cli_refuses_loopback_without_the_explicit_flag(site: FeedSite, tmp_path: Path) -> None:
    url = site.set_feed("/valley.xml", [1])
    result = _cli(url, "--once", "--db", str(tmp_path / "cli.db"))
    assert result.returncode == 1
    assert "non-public address 127.0.0.1 (loopback)" in result.stderr
    assert site.requests("/valley.xml") == [] and site.requests("/robots.txt") == []


def test_cli_usage_errors_exit_2(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    assert _cli("not-a-feed", "--once", "--db", db).returncode == 2
    assert _cli("https://news.example/feed", "--every", "soon", "--db", db).returncode == 2
    assert _cli("https://news.example/feed", "--every", "0", "--db", db).returncode == 2


def test_cli_ctrl_c_stops_cleanly(site: FeedSite, tmp_path: Path) -> None:
    url = site.set_feed("/valley.xml", [1, 2])
    db = str(tmp_path / "cli.db")
    process = subprocess.Popen(
        [sys.executable, "-m", "newsprism", "watch", url, "--every", "1h", "--db", db]
        + ["--allow-loopback", "--host-delay", "0"],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # the first poll's line (blocks until it is printed)
        assert "2 added" in line
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "stopping" in err
    assert stored(db)["counts"]["articles"] == 2


# --------------------------------------------------------------------------- serve --watch


def test_serve_watch_ingests_through_the_servers_write_lane(site: FeedSite, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from newsprism.api.app import create_app
    from newsprism.watch.server import attach_watcher

    url = site.set_feed("/valley.xml", [1, 2, 3])
    db = str(tmp_path / "serve.db")
    app = create_app(db, writer_kind="process")
    outcomes: list[PollOutcome] = []
    attach_watcher(
        app,
        [url],
        every=1.0,
        host_delay=0.0,
        fetcher=lambda: Fetcher(allow_loopback=True),
        on_poll=outcomes.append,
    )
    with TestClient(app) as client:
        _wait_until(lambda: client.get("/api/health").json()["counts"]["articles"] == 3)
        site.set_feed("/valley.xml", [4, 5, 1, 2, 3])
        _wait_until(lambda: client.get("/api/health").json()["counts"]["articles"] == 5)
        health = client.get("/api/health").json()
        stories = client.get("/api/stories").json()
    assert health["workers"]["write"]["kind"] == "process"
    assert health["workers"]["write"]["jobs"] >= 2  # the polls went through the write lane
    assert sum(story["article_count"] for story in stories["stories"]) == 5
    assert [o.kind for o in outcomes if o.kind == "read"][:2] == ["read", "read"]
    assert not any(o.failed for o in outcomes)
    assert stored(db)["counts"]["articles"] == 5


def _wait_until(check: Any, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("the condition did not hold within the time limit")


def test_serve_watch_cli_follows_a_feed_file(tmp_path: Path) -> None:
    """The real `newsprism serve --watch FILE` (a saved feed file: no network needed)."""
    import httpx

    from tests.live_server import free_port

    feed = tmp_path / "valley.xml"
    feed.write_bytes(atom_feed("Valley Post", [1, 2, 3]))
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# followed\n{feed}\n")
    port = free_port()
    log = tmp_path / "serve.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "newsprism", "serve", "--watch", str(listing), "--port"]
        + [str(port), "--db", str(tmp_path / "serve.db")],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def articles() -> int:
        try:
            return int(httpx.get(f"{base}/api/health", timeout=5).json()["counts"]["articles"])
        except httpx.HTTPError:
            return -1

    try:
        _wait_until(lambda: articles() == 3)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = log.read_text()
    assert process.returncode == 0, output
    assert "3 added, 0 duplicate, 0 rejected (3 new of 3 entries)" in output


def test_serve_watch_rejects_a_bad_feed_list(tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("# my feeds\n\nhttps://news.example/feed.xml\nnot a url\n")
    result = subprocess.run(
        [sys.executable, "-m", "newsprism", "serve", "--watch", str(listing)]
        + ["--db", str(tmp_path / "s.db")],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert f"{listing}:4" in result.stderr and "neither an http(s) URL" in result.stderr

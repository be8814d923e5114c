""" "What's new since …" in Debian's chromium, against the real server (`newsprism serve`).

A reader opens the seeds story (000+002), 003 arrives, and the reader comes back: the browser
remembers the first visit (local storage, no account) and the page lists what 003 brought.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
import httpx
import pytest

from tests.browser import artifact, axe_violations, describe, failing, launch_chromium
from tests.conftest import data_path
from tests.live_server import LiveServer, start_server

pytestmark = pytest.mark.playwright


def _upload(server: LiveServer, paths: list[Path]) -> list[dict[str, str]]:
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in paths]
    answer = httpx.post(f"{server.url}/api/articles", files=files, timeout=300)
    assert answer.status_code == 201, answer.text
    added: list[dict[str, str]] = answer.json()["added"]
    assert len(added) == len(paths)
    return added


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("changes-ui")
    live = start_server(str(root / "ui.db"), root / "server.log")
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launch_chromium()


def test_changes_page_shows_whats_new_since_last_visit(server: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    seeds = {p.name[:3]: p for p in data_path("seeds").glob("*.txt")}
    if not {"000", "002", "003"} <= set(seeds):
        pytest.skip("the seeds 000, 002 and 003 are needed (../shared/data/seeds)")
    first = _upload(server, [seeds["000"], seeds["002"]])
    story_id = first[0]["story_id"]
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(300_000)  # the first brief loads the language models
    page.set_default_navigation_timeout(300_000)
    try:
        page.goto(f"{server.url}/stories/{story_id}")
        page.wait_for_selector("section#summary")
        assert page.locator("#changes-h").inner_text() == "Follow this story"
        seen = page.evaluate(f"localStorage.getItem('newsprism:seen:{story_id}')")
        assert seen, "the visit time was not kept in local storage"

        [added] = _upload(server, [seeds["003"]])
        assert added["story_id"] == story_id

        # The return visit: the page is opened without ?since= and reloads itself with the
        # time of the first visit, once the brief (computed now) has a version after it.
        page.goto(f"{server.url}/stories/{story_id}")
        page.wait_for_url("**since=**")
        page.wait_for_selector("#changes .change")
        assert parse_qs(urlsplit(page.url).query)["since"] == [seen]
        heading = page.locator("#changes-h").inner_text()
        assert heading.startswith("What's new since ")
        change = page.locator("#changes .change")
        assert change.count() == 1
        assert change.locator(f'.new-articles a[href="/articles/{added["id"]}"]').count() == 1
        assert change.locator(".new-outlets li").inner_text().startswith("003_")
        assert change.locator(".newly-corroborated li").count() >= 1
        assert change.locator(".new-disagreements li").count() >= 1
        # Each new disagreement cites 003 among its sides.
        marks = change.locator(".new-disagreements .cite-mark")
        articles = {marks.nth(i).get_attribute("data-article") for i in range(marks.count())}
        assert added["id"] in articles
        page.screenshot(path=str(artifact("story-whats-new.png")))
        problems = failing(axe_violations(page))
        assert not problems, describe(problems)

        # A third visit with nothing new since the second: no reload, nothing listed.
        page.goto(f"{server.url}/stories/{story_id}")
        page.wait_for_selector("section#summary")
        page.wait_for_timeout(1000)  # time for the deferred script to act if it were to
        assert "since=" not in page.url
        assert page.locator("#changes .change").count() == 0

        feed_url = page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute(
            "href"
        )
        feed = feedparser.parse(httpx.get(f"{server.url}{feed_url}", timeout=60).content)
        assert not feed.bozo and len(feed.entries) == 2
    finally:
        context.close()

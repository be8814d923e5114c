"""Every page in Debian's chromium: axe-core finds nothing critical or serious, no sideways
scrolling at 390 px, keyboard use (skip link, citation cards), and what a reader sees on the
story list, search, story and add pages. Screenshots go to test-artifacts/."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.browser import artifact, axe_violations, describe, failing, launch_chromium
from tests.conftest import REPO, data_path
from tests.live_server import LiveServer, start_server

pytestmark = pytest.mark.playwright

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1200, "height": 900}
# An invented second story, its articles dated and named, so sorts, filters and timelines have
# something to order; the JSON record's url is a javascript: address that must never be a link.
HARBOUR = [
    {
        "id": "harbour-1",
        "story": "harbour-story",
        "outlet": "Dunmere Courier",
        "published": "2031-05-02",
        "title": "Storm closes Dunmere harbour",
        "url": "javascript:window.__pwned=1",
        "text": "The harbour at Dunmere closed on Monday after a storm damaged the pier.\n"
        "Officials said repairs would take three weeks.",
    },
    {
        "id": "harbour-2",
        "story": "harbour-story",
        "outlet": "Coast Radio",
        "published": "2031-05-03",
        "title": "Dunmere pier repairs to take weeks",
        "url": "https://coast-radio.example/dunmere",
        "text": "Repairs to the Dunmere pier will take about three weeks, officials said on "
        "Tuesday.\nThe harbour closed on Monday.",
    },
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server over the seeds ingested by the CLI from their files (no outlet named: the
    sources are paths) plus the harbour records, every brief computed."""
    seeds = sorted(data_path("seeds").glob("*.txt"))
    root = tmp_path_factory.mktemp("a11y")
    db = str(root / "a11y.db")
    records = root / "harbour.jsonl"
    records.write_text("\n".join(json.dumps(r) for r in HARBOUR) + "\n", encoding="utf-8")
    ingest = subprocess.run(
        [sys.executable, "-m", "newsprism", "ingest", "--db", db, *map(str, seeds), str(records)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ingest.returncode == 0, ingest.stderr[-2000:]
    live = start_server(db, root / "server.log")
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


@pytest.fixture(scope="module")
def ids(server: LiveServer) -> dict[str, str]:
    """The seeds' story, one seed article, one entity named in their brief, the harbour
    articles."""
    harbour = httpx.get(f"{server.url}/api/stories/harbour-story", timeout=600).json()
    by_source = {a["source"]: a["id"] for a in harbour["articles"]}
    stories = httpx.get(f"{server.url}/api/stories", timeout=60).json()["stories"]
    seed_story = next(s for s in stories if s["id"] != "harbour-story")
    brief = httpx.get(f"{server.url}/api/stories/{seed_story['id']}", timeout=600).json()
    story = brief["stories"][0]
    return {
        "story": seed_story["id"],
        "article": brief["articles"][0]["id"],
        "cite_start": str(story["summary"][0]["citations"][0]["start"]),
        "cite_end": str(story["summary"][0]["citations"][0]["end"]),
        "entity": max(story["entities"], key=lambda e: e["mentions"])["name"],
        "harbour-1": by_source["harbour-1"],
        "harbour-2": by_source["harbour-2"],
    }


def _pages(ids: dict[str, str]) -> dict[str, str]:
    return {
        "stories": "/",
        "stories-by-articles": "/?sort=articles",
        "search": "/?q=kaz%2A",
        "search-boolean": "/?q=Dunmere+OR+Tokayev",
        "story": f"/stories/{ids['story']}",
        "story-one-outlet": f"/stories/{ids['story']}?outlet={ids['article']}",
        "dated-story": "/stories/harbour-story",
        "article": f"/articles/{ids['article']}?start={ids['cite_start']}&end={ids['cite_end']}",
        "add": "/add",
        "entity": f"/entities/{quote(ids['entity'], safe='')}",
        "harbour-article": f"/articles/{ids['harbour-1']}",
        "not-found": "/stories/s-nope",
    }


PAGES = [
    "stories",
    "stories-by-articles",
    "search",
    "search-boolean",
    "story",
    "story-one-outlet",
    "dated-story",
    "article",
    "add",
    "entity",
    "harbour-article",
    "not-found",
]
STATUS = {"not-found": 404}
# Opens every folded section (<details>), so that axe and the width check see what a reader
# who unfolds them sees: a closed section is skipped by axe and takes no width.
OPEN_ALL = "document.querySelectorAll('details').forEach(d => { d.open = true; })"


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP)
    opened = context.new_page()
    opened.set_default_timeout(120_000)
    yield opened
    context.close()


@pytest.mark.parametrize("name", PAGES)
def test_a11y_axe_finds_nothing_critical_or_serious(
    server: LiveServer, ids: dict[str, str], page: Any, name: str
) -> None:
    response = page.goto(server.url + _pages(ids)[name])
    assert response is not None and response.status == STATUS.get(name, 200), name
    page.evaluate(OPEN_ALL)
    violations = axe_violations(page)
    print(f"axe {name}: {len(failing(violations))} critical/serious, {len(violations)} in all")
    print(describe(violations))
    shot = artifact(f"a11y-{name}-desktop.png")
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert failing(violations) == [], describe(failing(violations))


@pytest.mark.parametrize("name", PAGES)
def test_a11y_no_sideways_scrolling_at_390px(
    server: LiveServer, ids: dict[str, str], browser: Any, name: str
) -> None:
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(server.url + _pages(ids)[name])
        page.wait_for_load_state("load")
        page.evaluate(OPEN_ALL)
        width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        wide = page.evaluate(
            """(() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
                .slice(0, 5).map(e => e.tagName + '.' + e.className))()"""
        )
        shot = artifact(f"a11y-{name}-390.png")
        page.screenshot(path=str(shot), full_page=True)
        print(f"{name} at {inner}px: scrollWidth {width}; screenshot: {shot}")
        assert width <= inner, f"{name} is {width}px wide in a {inner}px window: {wide}"
    finally:
        context.close()


def test_a11y_skip_link_is_first_and_moves_focus_to_the_content(
    server: LiveServer, ids: dict[str, str], page: Any
) -> None:
    page.goto(f"{server.url}/stories/{ids['story']}")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const e = document.activeElement; const r = e.getBoundingClientRect();"
        " return [e.textContent, r.top >= 0 && r.bottom <= innerHeight && r.width > 0]; })()"
    )
    assert focused == ["Skip to content", True]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    sections = page.locator("nav.sections a").all_inner_texts()
    assert [s.split()[0] for s in sections] == [
        "Summary",
        "Facts",
        "Disagreements",
        "Quotes",
        "Names",
        "Timeline",
        "Coverage",
    ]


def test_a11y_every_tab_stop_is_visible_and_ringed(
    server: LiveServer, ids: dict[str, str], page: Any
) -> None:
    page.goto(f"{server.url}/stories/{ids['story']}")
    lost = []
    for press in range(60):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """(() => { const e = document.activeElement;
                if (!e || e === document.body) return null;
                const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                return {what: e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 30),
                        shown: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight,
                        ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2};
            })()"""
        )
        if state is None or not (state["shown"] and state["ring"]):
            lost.append((press, state))
    assert lost == [], lost


def test_a11y_citation_cards_stay_inside_a_390px_window(
    server: LiveServer, ids: dict[str, str], browser: Any
) -> None:
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{server.url}/stories/{ids['story']}")
        marks = page.locator("#summary .cite-mark, #facts-corroborated .cite-mark")
        outside = []
        for index in range(marks.count()):
            marks.nth(index).focus()
            box = page.evaluate(
                """(() => { const r = document.activeElement.closest('.cite')
                    .querySelector('.cite-card').getBoundingClientRect();
                    return [r.left, r.right, innerWidth, document.documentElement.scrollWidth]; })()"""
            )
            if box[0] < 0 or box[1] > box[2] or box[3] > box[2]:
                outside.append((index, box))
        print(f"{marks.count()} citation cards opened by focus at 390px; outside: {outside}")
        assert marks.count() > 0 and outside == []
    finally:
        context.close()


def test_a11y_citation_card_stays_open_while_focus_is_on_its_link(
    server: LiveServer, ids: dict[str, str], page: Any
) -> None:
    page.goto(f"{server.url}/stories/{ids['story']}")
    marker = page.locator("#summary .cite-mark").first
    card = page.locator("#summary .cite-card").first
    marker.focus()
    assert card.is_visible()
    page.keyboard.press("Tab")  # onto "open in article →" inside the card
    assert page.evaluate("document.activeElement.className") == "cite-open"
    assert card.is_visible()
    box = page.locator("#summary .cite-open").first.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0
    page.screenshot(path=str(artifact("a11y-card-focus.png")))
    assert failing(axe_violations(page)) == []  # the open card's text and link included
    page.keyboard.press("Escape")
    assert not card.is_visible()


def test_story_page_facts_grouped_counted_and_filtered_by_outlet(
    server: LiveServer, ids: dict[str, str], page: Any
) -> None:
    brief = httpx.get(f"{server.url}/api/stories/{ids['story']}", timeout=60).json()
    facts = brief["stories"][0]["facts"]
    page.goto(f"{server.url}/stories/{ids['story']}")
    groups = page.locator("#facts .fact-group")
    assert groups.count() == 3
    counts = {}
    for index in range(3):
        group = groups.nth(index)
        status = group.get_attribute("id").removeprefix("facts-")
        counts[status] = int(group.locator("h3 .count").inner_text().split()[0])  # "4 facts"
        assert group.locator("li.fact").count() == counts[status]  # shown or folded, all there
        assert group.locator(f"li.fact:not(.{status})").count() == 0
        ranked = [
            int(t.split()[0]) for t in group.locator("li.fact .sources-count").all_text_contents()
        ]
        assert ranked == sorted(ranked, reverse=True)
    assert counts == {
        status: sum(1 for f in facts if f["status"] == status)
        for status in ("corroborated", "disputed", "single_source")
    }
    # Single-source facts are listed once: Coverage counts them and links to the group.
    single = {f["text"] for f in facts if f["status"] == "single_source"}
    coverage_text = page.locator("#coverage").inner_text()
    assert not any(text in coverage_text for text in single)
    # The outlet filter keeps only facts that cite the chosen article.
    first_article = brief["articles"][0]["id"]
    page.locator(f'nav.outlet-filter a[href*="outlet={first_article}"]').click()
    page.wait_for_load_state("load")
    expected = sum(1 for f in facts if first_article in {c["article_id"] for c in f["citations"]})
    assert page.locator("#facts li.fact").count() == expected < len(facts)


def test_story_page_lists_each_outlets_headline_and_what_each_adds(
    server: LiveServer, ids: dict[str, str], page: Any
) -> None:
    carrying = 0
    for story_id in (ids["story"], "harbour-story"):
        brief = httpx.get(f"{server.url}/api/stories/{story_id}", timeout=60).json()
        page.goto(f"{server.url}/stories/{story_id}")
        rows = page.locator("ol.headlines li")
        assert rows.count() == len(brief["articles"])
        for index, article in enumerate(brief["articles"]):
            row = rows.nth(index)
            assert row.locator(".outlet").inner_text() not in ("", article["source"])
            link = row.locator("a.outlet-headline")
            assert link.get_attribute("href") == f"/articles/{article['id']}"
            if article["title"]:
                assert link.inner_text() == " ".join(article["title"].split())
        if story_id == "harbour-story":
            shown = rows.locator(".outlet").all_inner_texts()
            assert shown == [a["outlet"] for a in brief["articles"]]
        facts = [f for f in brief["stories"][0]["facts"] if f.get("added")]
        page.evaluate(OPEN_ALL)
        adds = page.locator("#facts ul.adds li").all_inner_texts()
        # The page's own label of each article (outlet, else file name), from the headlines.
        shown_labels = rows.locator(".outlet").all_inner_texts()
        labels = dict(zip([a["id"] for a in brief["articles"]], shown_labels, strict=True))
        expected = sum(len({a["article_id"] for a in f["added"]}) for f in facts)
        assert len(adds) == expected
        for fact in facts:
            for detail in fact["added"]:
                mine = [t for t in adds if f"{labels[detail['article_id']]} adds:" in t]
                assert mine, (labels[detail["article_id"]], adds)
                line = mine[0]
                assert line.startswith("+") and detail["text"] in line
        carrying += len(facts)
    print(f"facts carrying added details: {carrying}")
    assert carrying > 0  # the seeds' story has one: the check above has something to check


def test_story_page_timeline_explains_missing_dates_and_shows_dates(
    server: LiveServer, ids: dict[str, str], page: Any
) -> None:
    page.goto(f"{server.url}/stories/{ids['story']}")  # the seed files carry no dates
    note = page.locator("#timeline-note")
    if page.locator("#timeline li").count() == 0:
        assert "none of these articles has a publication date" in note.inner_text()
        assert "published" in note.inner_text()
    page.goto(f"{server.url}/stories/harbour-story")
    times = page.locator("#timeline time").all_inner_texts()
    brief = httpx.get(f"{server.url}/api/stories/harbour-story", timeout=60).json()
    assert len(times) == len(brief["stories"][0]["timeline"]) > 0
    for text in times:  # dates, never a character offset after a dash
        assert text[:4].isdigit() or text.startswith(("week of", "from ")), text
        assert "–" not in text or text.split("–")[1].strip()[:4].isdigit(), text


def test_story_list_sorts_snippets_and_file_sources(
    server: LiveServer, ids: dict[str, str], page: Any
) -> None:
    page.goto(server.url + "/")
    assert page.locator("nav.sort a").all_inner_texts() == [
        "Newest",
        "Most outlets",
        "Most articles",
    ]
    headlines = page.locator("a.headline").evaluate_all("els => els.map(e => e.href)")
    assert headlines[0].endswith("/stories/harbour-story")  # dated first; the seeds have none
    assert page.locator(".story-item .snippet").count() == len(headlines)
    dated = page.locator(".story-item").evaluate_all(
        "items => items.map(i => i.querySelector('.meta time') !== null)"
    )
    assert dated == [True] * len(headlines)  # updated (or, undated, added) on every story
    chips = page.locator("ul.outlets li").all_inner_texts()
    assert chips and not any("/" in chip for chip in chips)  # file names, never paths
    seed = page.locator(f'.story-item:has(a[href="/stories/{ids["story"]}"])')
    assert "0 outlets" in seed.locator(".meta").inner_text()  # files are not outlets
    page.locator("nav.sort a", has_text="Most articles").click()
    page.wait_for_load_state("load")
    assert page.locator("nav.sort a.current").inner_text() == "Most articles"
    first = page.locator("a.headline").first.get_attribute("href")
    assert first == f"/stories/{ids['story']}"  # three seed articles beat two
    page.fill("form.filters input[name=since]", "2031-05-03")
    page.click("form.filters button")
    page.wait_for_load_state("load")
    assert page.locator("a.headline").evaluate_all("els => els.map(e => e.href)") == [
        server.url + "/stories/harbour-story"
    ]
    page.locator(".facets a", has_text="Coast Radio").click()
    page.wait_for_load_state("load")
    assert "outlet: Coast Radio" in page.locator(".active-filters").inner_text()


def test_search_prefix_boolean_highlights_and_entity_pages(
    server: LiveServer, ids: dict[str, str], page: Any
) -> None:
    page.goto(server.url + "/")
    page.fill("form.search input[name=q]", "kaz*")
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_load_state("load")
    assert page.locator(f'a.headline[href="/stories/{ids["story"]}"]').count() == 1
    marks = page.locator(".snippet mark").all_inner_texts()
    assert marks and all(m.lower().startswith("kaz") for m in marks)
    page.goto(server.url + "/?q=" + "Dunmere OR Tokayev".replace(" ", "+"))
    found = page.locator("a.headline").evaluate_all("els => els.map(e => e.href)")
    assert sorted(found) == sorted(
        [f"{server.url}/stories/{ids['story']}", f"{server.url}/stories/harbour-story"]
    )
    assert page.locator(".facets li").count() > 0
    page.goto(f"{server.url}/stories/{ids['story']}")
    if page.locator("#entities details").get_attribute("open") is None:
        page.locator("#entities summary").click()  # a long table is folded behind its count
    page.locator("#entities a", has_text=ids["entity"]).first.click()
    page.wait_for_load_state("load")
    assert ids["entity"] in page.locator("h1").inner_text()
    assert page.locator(f'a.headline[href="/stories/{ids["story"]}"]').count() == 1


def test_add_page_pastes_several_articles_and_says_which_story_each_joined(
    server: LiveServer, page: Any
) -> None:
    page.goto(server.url + "/add")
    page.fill(
        "#paste-text",
        "Floodwater closed the Marl valley road on Friday, the county said.\n\n"
        "The Marl valley road stayed closed on Saturday as floodwater rose, the county said.",
    )
    page.check("input[name=split][value=blocks]")
    page.fill("input[name=outlet]", "Valley Post")
    page.click("#add-submit")
    page.wait_for_selector("text=Ingest report")
    rows = page.locator("ul.added li")
    assert rows.count() == 2
    texts = rows.all_inner_texts()
    assert "started" in texts[0]
    assert texts[0].startswith("Floodwater closed the Marl valley road")  # untitled: its words
    assert all("/stories/" in (rows.nth(i).locator(".story-link a").get_attribute("href") or "")
               for i in range(2))  # fmt: skip
    page.screenshot(path=str(artifact("a11y-added.png")), full_page=True)
    violations = axe_violations(page)
    print(f"axe added: {len(failing(violations))} critical/serious, {len(violations)} in all")
    assert failing(violations) == [], describe(failing(violations))
    page.set_viewport_size(PHONE)
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    print(f"added at {inner}px: scrollWidth {width}")
    assert width <= inner


def test_article_page_never_links_a_javascript_url(
    server: LiveServer, ids: dict[str, str], page: Any
) -> None:
    page.goto(f"{server.url}/articles/{ids['harbour-1']}")
    hrefs = page.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert not any(h and h.strip().lower().startswith("javascript:") for h in hrefs)
    assert "javascript:window.__pwned=1" in page.locator(".meta").inner_text()  # shown as text
    page.goto(f"{server.url}/articles/{ids['harbour-2']}")
    assert page.locator('a[href="https://coast-radio.example/dunmere"]').count() == 1

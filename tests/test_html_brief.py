"""The HTML brief (`newsprism brief --format html`): numbered sources, markers that name the
outlet and keep the source's number, the cleaned article texts with every cited span marked and
linked, timeline dates (never offsets), the note when articles have no date; and in Debian's
chromium, no critical or serious axe-core violation, no sideways scrolling at 390 px, and a
citation that opens its article at the marked words. Screenshots go to test-artifacts/."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest

import newsprism
from newsprism.contract import BriefDict
from newsprism.render import render
from newsprism.render.json import brief_to_dict
from tests.browser import artifact, axe_violations, describe, failing, launch_chromium
from tests.conftest import data_path
from tests.fixtures_brief import small_brief


def _small() -> BriefDict:
    """The invented two-article brief, one article with an https URL, one with a javascript:
    one, and a week in the timeline whose `end` (a character offset) must never show."""
    data = copy.deepcopy(brief_to_dict(small_brief()))
    data["articles"][0]["url"] = "https://vellmar-post.example/bridge"
    data["articles"][1]["url"] = "javascript:alert(1)"
    week = dict(data["stories"][0]["timeline"][0])
    week.update(date="2024-03-04", precision="week", end_date="2024-03-10")
    data["stories"][0]["timeline"].append(week)  # type: ignore[arg-type]
    return data


def _page(data: BriefDict) -> Any:
    return lxml.html.fromstring(render(data, "html"))


def _numbers(data: BriefDict) -> dict[str, int]:
    return {a["id"]: n for n, a in enumerate(data["articles"], start=1)}


def test_html_brief_lists_numbered_sources_with_safe_links() -> None:
    data = _small()
    page = _page(data)
    items = page.xpath("//ol[@class='sources']/li")
    assert [int(li.get("value")) for li in items] == [1, 2]
    first, second = (li.text_content() for li in items)
    assert "Vellmar Post" in first and "Bridge reopens" in first and "2024-03-04" in first
    assert "Coast <b>Radio</b>" in second and "undated" in second
    links = [a.get("href") for li in items for a in li.xpath(".//a")]
    assert "https://vellmar-post.example/bridge" in links
    assert not any(href.startswith("javascript:") for href in links)  # shown, never linked
    assert "javascript:alert(1)" in second
    assert links.count("#article-1") == 1 and links.count("#article-2") == 1


def test_html_brief_markers_name_the_outlet_and_keep_the_source_number() -> None:
    data = _small()
    page = _page(data)
    numbers = _numbers(data)
    outlets = {"aaaa": "Vellmar Post", "bbbb": "Coast <b>Radio</b>"}
    markers = page.xpath("//a[@class='cite']")
    assert len(markers) >= 8  # summary, facts, disagreement claims, quotes, timeline
    by_number: dict[int, set[str]] = {}
    for marker in markers:
        number = int(re.match(r"#src(\d+)-", marker.get("href")).group(1))  # type: ignore[union-attr]
        article = next(i for i, n in numbers.items() if n == number)
        assert marker.text_content() == f"{outlets[article]} {number}"
        by_number.setdefault(number, set()).add(marker.text_content())
    assert by_number == {1: {"Vellmar Post 1"}, 2: {"Coast <b>Radio</b> 2"}}
    # The summary's one sentence cites both outlets: numbered 1 and 2, not 1 and 1 again.
    summary = page.xpath("//h2[.='Summary']/following-sibling::p[1]")[0]
    assert [m.text_content() for m in summary.xpath(".//a[@class='cite']")] == [
        "Vellmar Post 1",
        "Coast <b>Radio</b> 2",
    ]


def _marked_text(page: Any, anchor_id: str) -> str:
    """The marked words an anchor opens: the marks from its position to the span's end."""
    number, start, end = (int(x) for x in re.match(r"src(\d+)-(\d+)-(\d+)", anchor_id).groups())  # type: ignore[union-attr]
    text = page.get_element_by_id(f"article-{number}").xpath(".//div[@class='text']")[0]
    marks = [
        m
        for m in text.xpath(".//mark")
        if int(m.get("data-start")) >= start and int(m.get("data-end")) <= end
    ]
    assert marks, anchor_id
    return "".join(m.text_content() for m in marks)


def test_html_brief_includes_the_texts_and_every_citation_links_to_its_marked_words() -> None:
    data = _small()
    page = _page(data)
    texts = {a["id"]: a["text"] for a in data["articles"]}
    for number, article in enumerate(data["articles"], start=1):
        shown = page.get_element_by_id(f"article-{number}").xpath(".//div[@class='text']")[0]
        assert shown.text_content() == article["text"]  # the cleaned text, whole and unchanged
    numbers = {n: i for i, n in _numbers(data).items()}
    for marker in page.xpath("//a[@class='cite']"):
        anchor_id = marker.get("href")[1:]
        assert page.get_element_by_id(anchor_id).get("class") == "anchor"
        number, start, end = (int(x) for x in anchor_id[3:].split("-"))
        assert _marked_text(page, anchor_id) == texts[numbers[number]][start:end]
        assert marker.get("data-text") == texts[numbers[number]][start:end]


def test_html_brief_timeline_shows_dates_never_offsets() -> None:
    data = _small()
    page = _page(data)
    shown = [t.text_content() for t in page.xpath("//ul[@class='timeline']//time")]
    assert shown == ["2024-03-04", "2024-03-04 – 2024-03-10"]
    offsets = {str(t["end"]) for t in data["stories"][0]["timeline"]}
    assert not any(offset in when for when in shown for offset in offsets)


@pytest.mark.parametrize("fmt", ["html", "md", "text"])
def test_brief_without_dates_says_why_there_is_no_timeline_and_the_fix(fmt: str) -> None:
    data = copy.deepcopy(brief_to_dict(small_brief()))
    for article in data["articles"]:
        article["published"] = None
    data["stories"][0]["timeline"] = []
    shown = render(data, fmt)
    if fmt == "html":
        shown = lxml.html.fromstring(shown).text_content()
    out = " ".join(shown.split())  # the text renderer wraps lines
    assert "No timeline: none of these articles has a publication date" in out
    assert "Fix: give each article its date" in out
    assert re.search(r"a `?published`? field in JSON or JSONL records", out)


def test_brief_with_dates_but_no_dated_event_says_so() -> None:
    data = copy.deepcopy(brief_to_dict(small_brief()))
    data["stories"][0]["timeline"] = []
    assert "No dated events" in render(data, "md")
    assert "No timeline: none" not in render(data, "md")


def test_html_brief_of_the_seeds_marks_every_citation(seeds_dir: Path) -> None:
    data = newsprism.brief_to_dict(newsprism.brief([str(seeds_dir)]))
    page = _page(data)
    texts = {n: a["text"] for n, a in enumerate(data["articles"], start=1)}
    markers = page.xpath("//a[@class='cite']")
    assert len(markers) > 20
    for marker in markers:
        anchor_id = marker.get("href")[1:]
        number, start, end = (int(x) for x in anchor_id[3:].split("-"))
        assert _marked_text(page, anchor_id) == texts[number][start:end]
    assert len(page.xpath("//ol[@class='sources']/li")) == 3
    assert "No timeline: none of these articles has a publication date" in page.text_content()


# --------------------------------------------------------------------------- in chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The invented brief, and the seeds' brief when the real data is there."""
    root = tmp_path_factory.mktemp("html-brief")
    written = {"small": root / "small.html"}
    written["small"].write_text(render(_small(), "html"), encoding="utf-8")
    try:
        seeds = data_path("seeds")
    except pytest.skip.Exception:
        return written
    written["seeds"] = root / "seeds.html"
    brief = newsprism.brief_to_dict(newsprism.brief([str(seeds)]))
    written["seeds"].write_text(render(brief, "html"), encoding="utf-8")
    return written


@pytest.mark.playwright
@pytest.mark.parametrize("name", ["small", "seeds"])
@pytest.mark.parametrize(
    "viewport", [{"width": 1200, "height": 900}, {"width": 390, "height": 844}]
)
def test_html_brief_in_chromium_axe_clean_and_no_overflow(
    browser: Any, pages: dict[str, Path], name: str, viewport: dict[str, int]
) -> None:
    if name not in pages:
        pytest.skip("real data not found at ../shared/data/seeds")
    page = browser.new_page(viewport=viewport)
    try:
        page.goto(pages[name].as_uri())
        for details in page.query_selector_all("details"):  # check the collapsed texts too
            details.evaluate("d => d.open = true")
        bad = failing(axe_violations(page))
        assert not bad, describe(bad)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= viewport["width"], f"{name} is {wide}px wide at {viewport['width']}px"
        page.screenshot(path=str(artifact(f"html-brief-{name}-{viewport['width']}.png")))
    finally:
        page.close()


@pytest.mark.playwright
def test_html_brief_in_chromium_citation_opens_its_article_at_the_marked_words(
    browser: Any, pages: dict[str, Path]
) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(pages["small"].as_uri())
        marker = page.locator("a.cite").nth(1)  # the summary's citation of source 2
        assert marker.inner_text() == "Coast <b>Radio</b> 2"
        marker.focus()
        assert page.locator("#card").is_visible()  # the cited words on focus, not only hover
        assert "Vellmar's harbour bridge" in page.locator("#card-text").inner_text()
        marker.click()
        assert page.evaluate("document.getElementById('article-2').open")
        current = page.locator("#article-2 mark.current")
        assert current.count() >= 1
        assert "".join(current.all_inner_texts()) == (
            "Vellmar's harbour bridge is open again, the city said."
        )
        assert page.locator("#article-1 mark.current").count() == 0
        assert current.first.is_visible() and page.url.endswith(marker.get_attribute("href"))
        page.screenshot(path=str(artifact("html-brief-citation-followed.png")))
    finally:
        page.close()


def test_html_code_spans_escape_and_mark_code() -> None:
    from newsprism.render.html import code_spans

    assert str(code_spans("a `published` field <b>")) == "a <code>published</code> field &lt;b&gt;"
    assert str(code_spans("one ` tick <i>")) == "one ` tick &lt;i&gt;"

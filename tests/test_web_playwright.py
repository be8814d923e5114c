"""The web UI in Debian's chromium, against the real server (`newsprism serve` subprocess)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.browser import (
    article_page,
    artifact,
    axe_violations,
    describe,
    failing,
    launch_chromium,
    serve_pages,
)
from tests.conftest import data_path
from tests.live_server import LiveServer, start_server

pytestmark = pytest.mark.playwright

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
HOSTILE = (
    "<script>window.__pwned=1;alert(1)</script>"
    '<img src=x onerror="window.__pwned=1;alert(2)">'
    '" onmouseover="window.__pwned=1" x="'
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("ui")
    # The Add page may fetch from loopback here (the article server below): explicit, as
    # `newsprism watch --allow-loopback`; the default refuses it (tests/test_web.py).
    env = {"NEWSPRISM_FETCH_ALLOW_LOOPBACK": "1"}
    live = start_server(str(root / "ui.db"), root / "server.log", env=env)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launch_chromium()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    opened = context.new_page()
    opened.set_default_timeout(300_000)  # the first brief loads the models
    opened.set_default_navigation_timeout(300_000)  # the first brief loads the language models
    yield opened
    context.close()


def test_web_upload_seeds_open_story_click_citation_search(server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    seeds = sorted(data_path("seeds").glob("*.txt"))
    page.goto(f"{server.url}/add")
    page.set_input_files("#files", [str(p) for p in seeds])
    page.click("#add-submit")
    page.wait_for_selector("text=Ingest report")
    assert page.locator("ul.added li").count() == len(seeds)

    page.locator("ul.added li .story-link a").first.click()
    page.wait_for_selector("section#summary")
    headline = page.locator("article.brief h1").inner_text()
    assert headline.strip()

    marker = page.locator("#summary .cite-mark").first
    card = page.locator("#summary .cite-card").first
    assert not card.is_visible()
    marker.click()
    assert card.is_visible()
    cited = card.locator(".cite-text").inner_text().strip()
    outlet = card.locator(".cite-outlet").inner_text().strip()
    assert cited and outlet
    story_url = page.url
    story_id = story_url.rsplit("/", 1)[1]
    brief = httpx.get(f"{server.url}/api/stories/{story_id}", timeout=120).json()
    texts = [a["text"] for a in brief["articles"]]
    assert any(cited in " ".join(t.split()) or cited in t for t in texts)

    page.mouse.click(5, 5)
    page.screenshot(path=str(artifact("story-full.png")), full_page=True)
    marker.click()  # the top of the page with one citation card open
    page.screenshot(path=str(artifact("story.png")))
    page.mouse.click(5, 5)

    marker.click()
    card.locator(".cite-open").click()
    page.wait_for_selector("mark#cited")
    assert page.locator("mark#cited").inner_text().strip()

    page.goto(server.url + "/")
    page.fill("form.search input[name=q]", "Kazakhstan troops")
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_selector("ol.story-list")
    assert page.locator(f'a.headline[href="/stories/{story_id}"]').count() == 1
    page.fill("form.search input[name=q]", "zeppelin aquarium")
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_selector("text=No story matches")


def test_web_untrusted_text_never_runs(server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    record = {
        "id": "hostile-1",
        "story": "hostile-story",
        "outlet": f"Evil {HOSTILE} Outlet",
        "title": f"Harbour closes {HOSTILE}",
        "text": (
            f"The harbour at Dunmere closed on Monday after a storm {HOSTILE} damaged the pier.\n\n"
            f"Officials said repairs would take three weeks. {HOSTILE}"
        ),
    }
    response = httpx.post(f"{server.url}/api/articles", json={"articles": [record]}, timeout=60)
    assert response.status_code == 201, response.text
    article_id = response.json()["added"][0]["id"]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in (
        "/",
        "/?q=harbour",
        "/stories/hostile-story",
        f"/articles/{article_id}?start=4&end=30",
    ):
        page.goto(server.url + path)
        page.wait_for_load_state("load")
        page.mouse.move(300, 300)
        page.hover("main")
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert page.locator("main script").count() == 0, path
        assert page.locator("[onerror], [onmouseover]").count() == 0, path
        assert "<script>window.__pwned=1" in page.locator("main").inner_text(), path
    assert dialogs == []


def test_web_docs_renders_every_operation_from_local_assets(server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    spec = httpx.get(f"{server.url}/openapi.json", timeout=30).json()
    assert spec["openapi"].startswith("3.1")  # what FastAPI writes; Swagger UI 4 cannot read it
    operations = sum(
        1 for methods in spec["paths"].values() for method in methods if method in HTTP_METHODS
    )
    assert operations >= 6
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{server.url}/docs")
    page.wait_for_function(  # every operation drawn, or Swagger UI's refusal
        f"document.querySelectorAll('.opblock').length >= {operations}"
        " || document.body.innerText.includes('Unable to render')",
        timeout=60_000,
    )
    body = page.locator("body").inner_text()
    assert "Unable to render this definition" not in body, body[:500]
    assert "does not specify a valid version field" not in body
    shown = page.locator(".opblock").count()
    print(f"/docs: {shown} operations drawn by Swagger UI, {operations} in /openapi.json")
    assert shown == operations
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert {s.replace("\u200b", "") for s in summaries} == set(spec["paths"])
    assert requested and all(url.startswith(server.url) for url in requested), requested
    page.screenshot(path=str(artifact("docs.png")), full_page=True)
    # Every operation opened, its "Try it out" form shown: axe finds nothing serious there.
    for control in page.locator(".opblock-summary-control").all():
        control.click()
    page.wait_for_function(f"document.querySelectorAll('.try-out__btn').length >= {operations}")
    # One at a time: an operation with a request body adds a "Reset" button of the same class,
    # which shifts a list taken beforehand.
    try_out = page.locator(".try-out__btn", has_text="Try it out")
    while try_out.count():
        try_out.first.click()
    page.wait_for_function(
        f"document.querySelectorAll('.execute').length >= {operations}", timeout=60_000
    )
    violations = axe_violations(page)
    print(f"axe /docs opened: {len(failing(violations))} critical/serious\n{describe(violations)}")
    assert failing(violations) == [], describe(failing(violations))
    page.set_viewport_size({"width": 390, "height": 844})
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    print(f"/docs opened at {inner}px: scrollWidth {width}")
    page.screenshot(path=str(artifact("docs-opened-390.png")), full_page=True)
    assert width <= inner


def test_web_add_page_fetches_a_url_and_takes_jsonl(server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    paragraphs = [
        "A landslide blocked the Tarn gorge railway on Sunday, the operator said.",
        "Crews expect to clear the line by Wednesday, the operator said.",
    ]
    html = article_page("Tarn Herald", "Landslide blocks Tarn gorge railway", paragraphs)
    with serve_pages({"/landslide": ("text/html; charset=utf-8", html)}) as base:
        page.goto(f"{server.url}/add")
        page.fill("#fetch-url", f"{base}/landslide")
        page.click("#add-submit")
        page.wait_for_selector("text=Ingest report")
    row = page.locator("ul.added li")
    assert row.count() == 1
    assert "Landslide blocks Tarn gorge railway" in row.inner_text()
    assert "(Tarn Herald)" in row.inner_text() and "started" in row.inner_text()
    assert failing(axe_violations(page)) == [], describe(failing(axe_violations(page)))
    row.locator(".story-link a").click()
    page.wait_for_selector("section#summary")
    assert page.locator("ol.headlines .outlet").all_inner_texts() == ["Tarn Herald"]
    first_story = page.url

    records = [
        {"outlet": "Gorge Radio", "title": "Tarn line shut after landslide",
         "text": "The Tarn gorge railway is shut after a landslide on Sunday.\n"
                 "The operator said the line should reopen by Wednesday."},
        {"outlet": "Valley Weekly", "title": "Bakery wins county prize",
         "text": "A bakery in Marl won the county bread prize on Saturday."},
    ]  # fmt: skip
    page.goto(f"{server.url}/add")
    page.fill("#paste-text", "\n".join(json.dumps(r) for r in records))
    page.check("input[name=split][value=jsonl]")
    page.click("#add-submit")
    page.wait_for_selector("text=Ingest report")
    rows = page.locator("ul.added li")
    assert rows.count() == 2
    texts = rows.all_inner_texts()
    assert "Tarn line shut after landslide" in texts[0] and "(Gorge Radio)" in texts[0]
    links = [rows.nth(i).locator(".story-link a").get_attribute("href") for i in range(2)]
    assert all(link and link.startswith("/stories/") for link in links)
    # The same event joins the fetched page's story; an unrelated one starts its own.
    assert "joined" in texts[0].lower() and first_story.endswith(str(links[0]))
    assert "started" in texts[1] and links[1] != links[0]
    page.screenshot(path=str(artifact("add-fetched-and-jsonl.png")), full_page=True)
    print(f"fetched story {first_story}; pasted rows: {texts}")

"""Web UI pages rendered server-side (no browser): content, escaping, forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsprism.api.app import create_app
from newsprism.api.pages import (
    fact_centrality,
    fact_groups,
    pasted_records,
    safe_link,
    short_text,
    text_segments,
    timeline_date,
)
from newsprism.model import Article, Removal
from newsprism.outlets import outlet_label
from newsprism.store import open_store

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'


@pytest.fixture()
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "web.db")
    store = open_store(path)
    store.touch_story("story-1", headline=f"Bridge closes {HOSTILE}")
    store.put_article(
        Article(
            id="art-1",
            source="a.txt",
            outlet=f"Ridge {HOSTILE} Post",
            title=f"Bridge closes {HOSTILE}",
            text=f"The Marl bridge closed on Monday.\nEngineers found cracks {HOSTILE} in a pier.",
            removed=(Removal(text=f"READ MORE: {HOSTILE}", reason="link teaser"),),
            raw_ref="0" * 64,
        ),
        story_id="story-1",
    )
    store.close()
    return path


@pytest.fixture()
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as test_client:
        yield test_client


def test_web_stories_page_lists_and_escapes(client: TestClient) -> None:
    html = client.get("/").text
    assert 'href="/stories/story-1"' in html
    assert "1 article" in html
    assert "<script>window" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "onerror=" not in html.replace("onerror=&#34;", "").replace("onerror=&quot;", "")


def test_web_search_page(client: TestClient) -> None:
    assert 'href="/stories/story-1"' in client.get("/", params={"q": "cracks"}).text
    miss = client.get("/", params={"q": "volcano"}).text
    assert "No story matches" in miss and "/stories/story-1" not in miss


def test_web_article_page_marks_cited_range_and_shows_removed(client: TestClient) -> None:
    text = "The Marl bridge closed on Monday.\nEngineers found cracks"
    start = text.index("Engineers")
    response = client.get("/articles/art-1", params={"start": start, "end": start + 9})
    html = response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert '<mark id="cited" class="cited">Engineers</mark>' in html
    assert "Removed while cleaning" in html and "link teaser" in html
    assert "<script>window" not in html and "<img src=x" not in html


def test_web_missing_pages_are_404(client: TestClient) -> None:
    assert client.get("/articles/nope").status_code == 404
    assert client.get("/stories/nope").status_code == 404


def test_web_add_page_has_upload_and_paste(client: TestClient) -> None:
    html = client.get("/add").text
    assert 'type="file" name="files" multiple' in html
    assert 'name="text"' in html
    assert 'name="token"' not in html


def test_web_add_refuses_cross_site_post(client: TestClient) -> None:
    response = client.post(
        "/add", data={"text": "Some text."}, headers={"origin": "http://evil.example"}
    )
    assert response.status_code == 403


def test_web_add_empty_form_explains(client: TestClient) -> None:
    response = client.post("/add", data={"text": "  "})
    assert response.status_code == 422
    assert "nothing to add" in response.text


@pytest.mark.parametrize(
    ("start", "end", "marked"),
    [(None, None, []), (4, 9, ["quick"]), (4, 25, ["quick brown", "fox jumps"]), (50, 60, [])],
)
def test_web_text_segments(start: int | None, end: int | None, marked: list[str]) -> None:
    text = "The quick brown\nfox jumps over"
    paragraphs = text_segments(text, start, end)
    assert [p["start"] for p in paragraphs] == [0, 16]
    assert ["".join(t for t, _ in p["parts"]) for p in paragraphs] == text.split("\n")
    assert [t for p in paragraphs for t, cited in p["parts"] if cited] == marked


def _handmade_brief(text: str) -> dict[str, object]:
    """A contract dict written by hand (so the page is tested without the models)."""
    first = text.index("The Marl bridge")
    second = text.index("Engineers")
    cite_a = {"article_id": "art-1", "start": first, "end": first + 33}
    cite_b = {"article_id": "art-1", "start": second, "end": len(text)}
    return {
        "schema": "newsprism/brief@1",
        "articles": [
            {
                "id": "art-1",
                "source": "a.txt",
                "outlet": "Ridge Post",
                "title": "Bridge closes",
                "published": "2031-05-02",
                "url": None,
                "text": text,
                "removed": [],
            }
        ],
        "stories": [
            {
                "id": "story-1",
                "headline": f"Marl bridge shut {HOSTILE}",
                "article_ids": ["art-1"],
                "summary": [{"text": text[first : first + 33], "citations": [cite_a]}],
                "facts": [
                    {
                        "id": "f1",
                        "text": text[second:],
                        "status": "single_source",
                        "independent_sources": 1,
                        "citations": [cite_b],
                    }
                ],
                "disagreements": [
                    {
                        "subject": "cracks",
                        "kind": "incompatible",
                        "field": "number",
                        "note": None,
                        "claims": [
                            {
                                "value": "3",
                                "low": 3,
                                "high": 3,
                                "qualifier": None,
                                "unit": "cracks",
                                "text": f"three cracks {HOSTILE}",
                                **cite_b,
                            },
                            {
                                "value": "at least 7",
                                "low": 7,
                                "high": None,
                                "qualifier": "at least",
                                "unit": "cracks",
                                "text": "seven cracks",
                                **cite_b,
                            },
                        ],
                    }
                ],
                "quotes": [
                    {
                        "speaker": "Ana Roe",
                        "speaker_entity_id": "e1",
                        "kind": "direct",
                        "text": f"We shut it {HOSTILE}",
                        "citations": [cite_b],
                        "variants": [
                            {"text": "We closed it", "article_id": "art-1", "altered": True}
                        ],
                    }
                ],
                "entities": [
                    {
                        "id": "e1",
                        "name": "Ana Roe",
                        "type": "PERSON",
                        "aliases": ["Ms Roe"],
                        "article_ids": ["art-1"],
                        "mentions": 2,
                    }
                ],
                "timeline": [
                    {
                        "date": "2031-05-01",
                        "end": None,
                        "precision": "day",
                        "text": "The bridge closed",
                        **cite_a,
                    }
                ],
                "coverage": [
                    {
                        "article_id": "art-1",
                        "outlet": "Ridge Post",
                        "unique_facts": ["f1"],
                        "omits": [],
                    }
                ],
            }
        ],
    }


def _store_handmade_brief(db: str) -> None:
    store = open_store(db)
    article = store.get_article("art-1")
    story = store.get_story("story-1")
    assert article is not None and story is not None
    store.put_brief("story-1", story.version, _handmade_brief(article.text))
    store.close()


def test_web_story_page_renders_every_section_escaped(db: str) -> None:
    _store_handmade_brief(db)
    with TestClient(create_app(db)) as client:
        response = client.get("/stories/story-1")
    html = response.text
    assert response.status_code == 200
    for section in (
        "summary",
        "facts",
        "disagreements",
        "quotes",
        "entities",
        "timeline",
        "coverage",
    ):
        assert f'id="{section}"' in html
    assert 'class="cite-mark" href="/articles/art-1?start=' in html
    assert '<span class="cite-text">The Marl bridge closed on Monday.</span>' in html
    assert "at least 7 cracks" in html and "3 cracks" in html
    assert "1 independent source" in html and "altered" in html and "Ms Roe" in html
    assert "<script>window" not in html and "<img src=x" not in html
    assert html.count("&lt;script&gt;window.__pwned=1&lt;/script&gt;") >= 3


# ---------------------------------------------------------------- issue 12: what a reader sees


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://news.example/a", True),
        ("HTTP://news.example/a", True),
        ("javascript:alert(1)", False),
        (" JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>x</script>", False),
        ("vbscript:x", False),
        ("//news.example/a", False),
        ("https:///nohost", False),
        ("", False),
        (None, False),
    ],
)
def test_web_safe_link_only_http_and_https(url: str | None, linked: bool) -> None:
    assert (safe_link(url) is not None) is linked


def test_web_article_page_shows_a_javascript_url_as_text(tmp_path: Path) -> None:
    path = str(tmp_path / "js.db")
    store = open_store(path)
    store.touch_story("s", headline="Pier")
    for n, url in enumerate(("javascript:window.__pwned=1", "https://coast.example/pier")):
        article = Article(
            id=f"a{n}", source=f"{n}.txt", outlet="Coast", title="Pier", text="The pier shut.",
            url=url, raw_ref="0" * 64,
        )  # fmt: skip
        store.put_article(article, story_id="s")
    store.close()
    with TestClient(create_app(path)) as client:
        hostile = client.get("/articles/a0").text
        fine = client.get("/articles/a1").text
    assert 'href="javascript:' not in hostile.lower()
    assert "javascript:window.__pwned=1" in hostile  # shown, escaped, as text
    assert 'href="https://coast.example/pier"' in fine


@pytest.mark.parametrize(
    ("outlet", "source", "label"),
    [
        ("Reuters", "/data/in/a.txt", "Reuters"),
        ("unknown", "/home/reader/news/2031-03-10_valley-post.txt", "2031-03-10_valley-post.txt"),
        ("", "upload:seed.txt", "seed.txt"),
        ("unknown", "C:\\Users\\r\\b.html", "b.html"),
        ("unknown", "https://news.example/2031/pier-closes", "pier-closes"),
        ("unknown", "https://news.example/", "news.example"),
        ("unknown", "feed.jsonl:3", "feed.jsonl:3"),
    ],
)
def test_web_outlet_label_is_the_outlet_or_a_file_name(
    outlet: str, source: str, label: str
) -> None:
    assert outlet_label(outlet, source) == label
    assert "/" not in outlet_label(outlet, source)


@pytest.mark.parametrize(
    ("entry", "shown"),
    [
        ({"date": "2022-01-03", "end": 451, "precision": "day"}, "2022-01-03"),
        ({"date": "2022-01-03", "end": 451, "precision": "week"}, "week of 2022-01-03"),
        ({"date": "2022-01-03", "end": 451, "precision": "range"}, "from 2022-01-03"),
        (
            {"date": "2022-01-03", "end_date": "2022-01-07", "end": 9, "precision": "range"},
            "2022-01-03 – 2022-01-07",
        ),
        ({"date": "2022-01-01", "end": 5, "precision": "month"}, "2022-01"),
        ({"date": "2022-01-01", "end": 5, "precision": "year"}, "2022"),
    ],
)
def test_web_timeline_dates_never_show_the_offset(entry: dict[str, object], shown: str) -> None:
    assert timeline_date(entry) == shown


def _brief_with_groups(text: str) -> dict[str, object]:
    brief = _handmade_brief(text)
    story = brief["stories"][0]  # type: ignore[index]
    cite = story["facts"][0]["citations"][0]
    story["facts"] = [
        {"id": f"f{n}", "text": f"Fact {n} {status}", "status": status,
         "independent_sources": sources, "citations": [cite]}
        for n, (status, sources) in enumerate(
            [("single_source", 1), ("corroborated", 2), ("corroborated", 3), ("disputed", 2)]
            + [("single_source", 1)] * 8
        )
    ]  # fmt: skip
    story["coverage"][0]["unique_facts"] = ["f0", "f4"]
    story["timeline"][0].update({"precision": "range", "end": 451})
    return brief


def test_web_story_facts_grouped_ranked_folded_and_listed_once(db: str) -> None:
    store = open_store(db)
    article = store.get_article("art-1")
    story = store.get_story("story-1")
    assert article is not None and story is not None
    store.put_brief("story-1", story.version, _brief_with_groups(article.text))
    store.close()
    with TestClient(create_app(db)) as client:
        html = client.get("/stories/story-1").text
        other = client.get("/stories/story-1", params={"outlet": "nope"}).text
    groups = re.findall(r'id="facts-(\w+)">\s*<h3>.*?<span class="count">(\d+ facts?)</span>', html)
    assert groups == [
        ("corroborated", "2 facts"),
        ("disputed", "1 fact"),
        ("single_source", "9 facts"),
    ]
    assert html.index("Fact 2 corroborated") < html.index("Fact 1 corroborated")  # 3 before 2
    assert "3 more single source facts</summary>" in html  # 6 shown, the rest folded
    assert html.count("Fact 0 single_source") == 1  # not again under Coverage
    assert "2 facts only here" in html
    assert "– 451" not in html and "from 2031-05-01" in html
    assert other.count('<li class="fact ') == html.count('<li class="fact ') == 12  # unknown: all


def test_web_story_without_dates_explains_the_missing_timeline(db: str) -> None:
    store = open_store(db)
    article = store.get_article("art-1")
    story = store.get_story("story-1")
    assert article is not None and story is not None
    brief = _handmade_brief(article.text)
    brief["articles"][0]["published"] = None  # type: ignore[index]
    brief["stories"][0]["timeline"] = []  # type: ignore[index]
    store.put_brief("story-1", story.version, brief)
    store.close()
    with TestClient(create_app(db)) as client:
        html = client.get("/stories/story-1").text
    assert "none of these articles has a publication date" in html
    assert "<code>published</code> field" in html and 'href="/add"' in html


def test_web_pasted_text_one_several_or_jsonl() -> None:
    from starlette.datastructures import FormData

    blocks = "First article, line one.\r\nLine two.\r\n\r\n  \r\nSecond article."
    records, jsonl = pasted_records(FormData({"text": blocks, "split": "blocks", "outlet": "Post"}))
    assert jsonl is None
    assert records == [
        {"text": "First article, line one.\nLine two.", "outlet": "Post"},
        {"text": "Second article.", "outlet": "Post"},
    ]
    one, _ = pasted_records(FormData({"text": blocks, "title": "T"}))
    assert len(one) == 1 and one[0]["title"] == "T"
    lines = '{"text": "a"}\n\n{"text": "b"}\n'
    records, jsonl = pasted_records(FormData({"text": lines}))  # recognised without asking
    assert records == [] and jsonl == lines.encode()
    assert pasted_records(FormData({"text": "  "})) == ([], None)


def test_web_story_list_sort_filters_and_their_errors(client: TestClient) -> None:
    html = client.get("/").text
    assert '<nav class="sort" aria-label="Sort stories">' in html
    for label in ("Newest", "Most outlets", "Most articles"):
        assert f">{label}</a>" in html
    assert 'name="since"' in html and 'name="until"' in html and 'name="outlet"' in html
    assert "Engineers found cracks" in html or "The Marl bridge closed" in html  # a snippet
    bad = client.get("/", params={"sort": "size", "since": "last week"})
    assert bad.status_code == 422
    assert "unknown sort &#39;size&#39;: choose one of newest, outlets, articles" in bad.text
    assert "write it as YYYY-MM-DD" in bad.text
    assert 'href="/stories/story-1"' in bad.text  # the list is still shown
    search = client.get("/", params={"q": "crack*"}).text
    assert "<mark>cracks</mark>" in search
    assert client.get("/", params={"outlet": "Nobody"}).text.count('class="story-item"') == 0


def test_web_entity_pages(db: str) -> None:
    _store_handmade_brief(db)
    with TestClient(create_app(db)) as client:
        page = client.get("/entities/Ana%20Roe")
        missing = client.get("/entities/Nobody%20Here")
        story_html = client.get("/stories/story-1").text
    assert page.status_code == 200 and 'href="/stories/story-1"' in page.text
    assert "Ana Roe" in page.text and "PERSON" in page.text
    assert missing.status_code == 404 and "no story names" in missing.text
    assert 'href="/entities/Ana%20Roe"' in story_html


def test_web_add_page_labels_every_field(client: TestClient) -> None:
    html = client.get("/add").text
    assert '<label for="files">' in html and 'id="files"' in html
    assert '<label for="paste-text">' in html
    assert 'name="split" value="blocks"' in html and 'name="split" value="jsonl"' in html


def test_web_untitled_items_are_named_by_their_opening_words() -> None:
    text = "Floodwater closed the Marl valley road on Friday, the county said, and more rain came."
    assert short_text(text, 40) == "Floodwater closed the Marl valley road …"
    assert short_text("\ue000Marl\ue001 road shut.") == "Marl road shut."


def test_web_facts_tied_on_sources_rank_by_centrality() -> None:
    articles = [
        "Storm closes the Dunmere harbour; the pier is damaged.",
        "The Dunmere harbour stays closed after storm damage to the pier.",
        "Harbour at Dunmere shut by the storm. A local bakery sold out of bread.",
    ]
    central = "The storm closed Dunmere harbour and damaged the pier."
    aside = "A local bakery sold out of bread."
    assert fact_centrality(central, [frozenset()] * 0) == 0.0
    facts = [
        {"id": "a", "text": aside, "status": "single_source", "independent_sources": 1,
         "article_ids": ["x"], "citations": []},
        {"id": "c", "text": central, "status": "single_source", "independent_sources": 1,
         "article_ids": ["y"], "citations": []},
    ]  # fmt: skip
    single = fact_groups(facts, None, articles)[2]
    assert [f["id"] for f in single["head"]] == ["c", "a"]  # the brief listed the aside first
    # Independent sources still rank before centrality.
    facts[0]["independent_sources"] = 2
    assert [f["id"] for f in fact_groups(facts, None, articles)[2]["head"]] == ["a", "c"]


def test_web_story_page_lists_each_outlets_headline_and_what_it_adds(db: str) -> None:
    store = open_store(db)
    article = store.get_article("art-1")
    story = store.get_story("story-1")
    assert article is not None and story is not None
    brief = _handmade_brief(article.text)
    fact = brief["stories"][0]["facts"][0]  # type: ignore[index]
    at = article.text.index("cracks")
    fact["added"] = [{"text": "cracks", "article_id": "art-1", "start": at, "end": at + 6}]
    store.put_brief("story-1", story.version, brief)
    store.close()
    with TestClient(create_app(db)) as client:
        html = client.get("/stories/story-1").text
    assert "How each outlet headlined it" in html
    headline = re.search(r'<a class="outlet-headline" href="/articles/art-1">([^<]*)</a>', html)
    assert headline is not None and headline.group(1) == "Bridge closes"
    adds = re.search(r'<ul class="adds"[^>]*>\s*<li>(.*?)</li>', html, re.S)
    assert adds is not None
    assert '<span class="adds-outlet">Ridge Post</span> adds:' in adds.group(1)
    assert f'href="/articles/art-1?start={at}&amp;end={at + 6}#cited">cracks</a>' in adds.group(1)


GAZETTE = [
    "Floodwater closed the Marl valley road on Friday, the county council said.",
    "Engineers will inspect the Marl bridge on Monday before the road reopens.",
    "Residents were told to use the hill road until then.",
]


def test_web_add_page_fetches_a_url_through_the_safe_fetcher(db: str) -> None:
    from tests.browser import article_page, serve_pages

    page = article_page("Marl Gazette", "Floodwater shuts Marl valley road", GAZETTE)
    pages = {"/flood": ("text/html; charset=utf-8", page)}
    with serve_pages(pages) as base, TestClient(create_app(db)) as client:
        refused = client.post("/add", data={"fetch_url": f"{base}/flood"})
        local_file = client.post("/add", data={"fetch_url": "/etc/passwd"})
        client.app.state.fetch_allow_loopback = True  # type: ignore[attr-defined]
        added = client.post("/add", data={"fetch_url": f"{base}/flood"})
        missing = client.post("/add", data={"fetch_url": f"{base}/gone"})
        store = client.app.state.service.store  # type: ignore[attr-defined]
        articles = list(store.story_articles(_story_of(added.text)))
    # By default the server's own machine is out of reach, as for `newsprism ingest URL`.
    assert refused.status_code == 200 and "<strong>0</strong> added" in refused.text
    assert "loopback" in refused.text and f"{base}/flood" in refused.text
    assert "not a web address" in local_file.text and "root:" not in local_file.text
    assert "<strong>1</strong> added" in added.text
    assert "started" in added.text and "(Marl Gazette)" in added.text
    assert [(a.outlet, a.url) for a in articles] == [("Marl Gazette", f"{base}/flood")]
    assert "<strong>1</strong> rejected" in missing.text and "404" in missing.text


def _story_of(html: str) -> str:
    found = re.search(r'<a href="/stories/([^"]+)">', html)
    assert found is not None, html
    return found.group(1)

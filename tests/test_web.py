"""Web UI pages rendered server-side (no browser): content, escaping, forms."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsprism.api.app import create_app
from newsprism.api.pages import text_segments
from newsprism.model import Article, Removal
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


def test_web_story_page_renders_every_section_escaped(db: str) -> None:
    store = open_store(db)
    article = store.get_article("art-1")
    story = store.get_story("story-1")
    assert article is not None and story is not None
    store.put_brief("story-1", story.version, _handmade_brief(article.text))
    store.close()
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

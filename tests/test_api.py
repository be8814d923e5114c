"""HTTP API: the same suite on SQLite and on a real PostgreSQL (tests/postgres.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsprism.api.app import create_app

ARTICLE_A = (
    "The night ferry Grey Heron ran aground on a sandbank off Pellin Point on Sunday, the "
    "coastguard said. All 48 passengers were taken off by lifeboat within two hours.\n\n"
    '"The tide turned faster than the charts said," the coastguard duty officer Mara Velt said.'
)
ARTICLE_B = (
    "About 50 passengers were rescued by lifeboat after the ferry Grey Heron ran aground off "
    'Pellin Point on Sunday night. "The tide turned faster than the charts said," coastguard '
    "officer Mara Velt told reporters. The operator said the ship would be refloated on Tuesday."
)


def _record(text: str, outlet: str, rid: str, **extra: str) -> dict[str, str]:
    return {"id": rid, "text": text, "outlet": outlet, "title": f"{outlet}: ferry aground", **extra}


@pytest.fixture()
def client(store_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(store_url, max_body=200_000)) as test_client:
        yield test_client


def _assert_error_shape(body: dict[str, object], status: int) -> None:
    assert body["ok"] is False
    assert body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["errors"], list)


def test_api_health(client: TestClient) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert response.json()["counts"]["articles"] == 0


def test_api_openapi_lists_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/articles", "/api/stories", "/api/stories/{story_id}", "/api/brief"):
        assert path in paths


def test_api_ingest_is_idempotent(client: TestClient) -> None:
    body = {"articles": [_record(ARTICLE_A, "Pellin Times", "a1")]}
    first = client.post("/api/articles", json=body)
    assert first.status_code == 201, first.text
    assert first.json()["counts"] == {"added": 1, "duplicates": 0, "rejected": 0}
    again = client.post("/api/articles", json=[_record(ARTICLE_A, "Pellin Times", "a1-copy")])
    assert again.status_code == 200
    assert again.json()["counts"] == {"added": 0, "duplicates": 1, "rejected": 0}
    article_id = first.json()["added"][0]["id"]
    article = client.get(f"/api/articles/{article_id}").json()
    assert article["text"].startswith("The night ferry Grey Heron")
    assert len(article["sources"]) == 2
    assert client.get("/api/health").json()["counts"]["articles"] == 1


def test_api_rejected_input_is_kept_with_reason(client: TestClient) -> None:
    response = client.post("/api/articles", json={"articles": [{"id": "empty", "text": "   "}]})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False
    assert body["counts"]["rejected"] == 1
    assert body["rejected"][0]["reason"]
    assert client.get("/api/health").json()["counts"]["rejections"] == 1


def test_api_upload_files(client: TestClient) -> None:
    files = [
        ("files", ("pellin-times.txt", ARTICLE_A.encode(), "text/plain")),
        ("files", ("coast-news.txt", ARTICLE_B.encode(), "text/plain")),
    ]
    response = client.post("/api/articles", files=files)
    assert response.status_code == 201, response.text
    assert response.json()["counts"]["added"] == 2


def test_api_stories_search_and_paging(client: TestClient) -> None:
    client.post(
        "/api/articles",
        json=[
            _record(ARTICLE_A, "Pellin Times", "a1", story="heron"),
            _record(ARTICLE_B, "Coast News", "b1", story="heron"),
            _record(
                "The city council voted to rebuild the old library on Harrow Street by 2032.",
                "City Desk",
                "c1",
                story="library",
            ),
        ],
    )
    listing = client.get("/api/stories").json()
    assert listing["total"] == 2
    by_id = {s["id"]: s for s in listing["stories"]}
    assert by_id["heron"]["article_count"] == 2
    assert by_id["heron"]["outlets"] == {"Coast News": 1, "Pellin Times": 1}
    found = client.get("/api/stories", params={"q": "sandbank"}).json()
    assert [s["id"] for s in found["stories"]] == ["heron"]
    assert client.get("/api/stories", params={"q": "library"}).json()["total"] == 1
    assert client.get("/api/stories", params={"q": "zeppelin"}).json()["total"] == 0
    page = client.get("/api/stories", params={"limit": 1}).json()
    assert len(page["stories"]) == 1 and page["next_offset"] == 1


def test_api_story_brief_computed_once_then_stored(client: TestClient) -> None:
    client.post(
        "/api/articles",
        json=[
            _record(ARTICLE_A, "Pellin Times", "a1", story="heron"),
            _record(ARTICLE_B, "Coast News", "b1", story="heron"),
        ],
    )
    first = client.get("/api/stories/heron")
    assert first.status_code == 200, first.text
    assert first.headers["X-Newsprism-Brief"] == "computed"
    data = first.json()
    assert data["schema"] == "newsprism/brief@1"
    (story,) = data["stories"]
    texts = {a["id"]: a["text"] for a in data["articles"]}
    for item in story["summary"]:
        for cite in item["citations"]:
            assert texts[cite["article_id"]][cite["start"] : cite["end"]]
    second = client.get("/api/stories/heron")
    assert second.headers["X-Newsprism-Brief"] == "stored"
    assert second.json() == data
    client.post(
        "/api/articles",
        json=[_record(ARTICLE_B + " The company apologised.", "Bay Wire", "w1", story="heron")],
    )
    third = client.get("/api/stories/heron")
    assert third.headers["X-Newsprism-Brief"] == "computed"
    assert len(third.json()["articles"]) == 3


def test_api_one_shot_brief_stores_nothing(client: TestClient) -> None:
    response = client.post(
        "/api/brief",
        json={
            "articles": [
                _record(ARTICLE_A, "Pellin Times", "a1"),
                _record(ARTICLE_B, "Coast News", "b1"),
            ]
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["schema"] == "newsprism/brief@1"
    assert client.get("/api/health").json()["counts"]["articles"] == 0


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("get", "/api/stories/no-such-story", {}, 404),
        ("get", "/api/articles/no-such-article", {}, 404),
        ("get", "/api/nowhere", {}, 404),
        (
            "post",
            "/api/articles",
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
            422,
        ),
        ("post", "/api/articles", {"json": {"articles": []}}, 422),
        ("post", "/api/articles", {"files": [("other", ("a.txt", b"x", "text/plain"))]}, 422),
        ("post", "/api/brief", {"json": {"articles": "nope"}}, 422),
        ("get", "/api/stories", {"params": {"limit": 0}}, 422),
        ("delete", "/api/stories", {}, 405),
        (
            "post",
            "/api/articles",
            {"content": b"x" * 300_000, "headers": {"content-type": "application/json"}},
            413,
        ),
    ],
)
def test_api_error_shape(
    client: TestClient, method: str, path: str, kwargs: dict[str, object], status: int
) -> None:
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status, response.text
    _assert_error_shape(response.json(), status)


def test_api_streamed_body_over_limit_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(30):
            yield b"y" * 10_000

    response = client.post(
        "/api/articles", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    _assert_error_shape(response.json(), 413)


def test_api_writes_need_token_when_configured(store_url: str) -> None:
    with TestClient(create_app(store_url, token="s3cret")) as client:
        body = {"articles": [_record(ARTICLE_A, "Pellin Times", "a1")]}
        denied = client.post("/api/articles", json=body)
        assert denied.status_code == 401
        _assert_error_shape(denied.json(), 401)
        wrong = client.post("/api/articles", json=body, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        ok = client.post("/api/articles", json=body, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 201
        assert client.get("/api/stories").status_code == 200  # reads stay open


def test_api_docs_page_loads_swagger_from_this_server(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from newsprism.api.app import create_app

    with TestClient(create_app(str(tmp_path / "docs.db"))) as client:
        page = client.get("/docs")
        assert page.status_code == 200
        assert "/docs-static/swagger-ui-bundle.js" in page.text
        assert "cdn" not in page.text.lower()
        assert client.get("/docs-static/swagger-ui-bundle.js").status_code == 200
        assert client.get("/openapi.json").json()["info"]["title"] == "newsprism"


def test_api_openapi_documents_the_article_bodies(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/api/articles"]["post"]["requestBody"]
    assert body["required"] is True
    assert set(body["content"]) == {"application/json", "multipart/form-data"}
    assert body["content"]["multipart/form-data"]["schema"]["required"] == ["files"]
    assert set(schema["paths"]["/api/brief"]["post"]["requestBody"]["content"]) == {
        "application/json"
    }
    record = schema["components"]["schemas"]["ArticleRecord"]
    required = [branch["required"] for branch in record["anyOf"]]
    assert required == [["text"], ["html"]]
    for code in ("403", "413", "415", "422", "503", "504"):
        assert code in schema["paths"]["/api/articles"]["post"]["responses"]


def test_api_record_needs_text_or_html(client: TestClient) -> None:
    response = client.post("/api/articles", json=[{"title": "a headline only"}])
    assert response.status_code == 422
    _assert_error_shape(response.json(), 422)
    assert '"text" or "html"' in response.json()["error"]
    assert client.post("/api/articles", json=[{"html": "<p>x</p>"}]).status_code in (200, 201)


def test_api_since_must_be_a_date(client: TestClient) -> None:
    client.post("/api/articles", json=[_record(ARTICLE_A, "Pellin Times", "a1", story="heron")])
    for bad in ("notadate", "2031-13-01", "yesterday", "0.5", "1700000000"):
        response = client.get("/api/stories", params={"since": bad})
        assert response.status_code == 422
        _assert_error_shape(response.json(), 422)
    assert client.get("/api/stories", params={"since": "2000-01-01"}).json()["total"] == 1
    assert (
        client.get("/api/stories", params={"since": "9999-01-01T00:00:00+02:00"}).json()["total"]
        == 0
    )


def test_api_modules_import_in_no_cycle() -> None:
    """No import cycle among newsprism.api modules, counting imports inside functions
    (api/errors <-> api/writer was one)."""
    import ast

    from tests.conftest import REPO

    folder = REPO / "newsprism" / "api"
    modules = {path.stem for path in folder.glob("*.py") if path.stem != "__init__"}
    imports: dict[str, set[str]] = {}
    for name in modules:
        tree = ast.parse((folder / f"{name}.py").read_text())
        imports[name] = {
            node.module.rsplit(".", 1)[1]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("newsprism.api.")
        }

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for nxt in imports.get(start, set()) - seen:
            if nxt == target or reaches(nxt, target, seen | {nxt}):
                return True
        return False

    assert [name for name in sorted(modules) if reaches(name, name, set())] == []


def test_api_outlet_is_corrected_after_ingest_and_recounted(client: TestClient) -> None:
    posted = client.post("/api/articles", json=[_record(ARTICLE_A, "unknown", "a1")])
    assert posted.status_code == 201, posted.text
    article_id, story_id = posted.json()["added"][0]["id"], posted.json()["added"][0]["story_id"]
    assert client.get(f"/api/stories/{story_id}").json()["stories"][0]["coverage"][0]["outlet"] in (
        "unknown",
        "",
    )
    fixed = client.patch(f"/api/articles/{article_id}", json={"outlet": "  Pellin   Times "})
    assert fixed.status_code == 200, fixed.text
    assert fixed.json() == {"id": article_id, "outlet": "Pellin Times", "story_id": story_id}
    assert client.get(f"/api/articles/{article_id}").json()["outlet"] == "Pellin Times"
    listed = client.get("/api/stories").json()["stories"]
    assert [s["outlet_count"] for s in listed if s["id"] == story_id] == [1]
    brief = client.get(f"/api/stories/{story_id}").json()
    assert brief["articles"][0]["outlet"] == "Pellin Times"  # the brief is redone
    missing = client.patch("/api/articles/nope", json={"outlet": "X Times"})
    assert missing.status_code == 404
    _assert_error_shape(missing.json(), 404)
    assert client.patch(f"/api/articles/{article_id}", json={"outlet": ""}).status_code == 422
    bad = client.patch(f"/api/articles/{article_id}", json={"outlet": "A\x1b[2JB"})
    assert bad.status_code == 422
    _assert_error_shape(bad.json(), 422)

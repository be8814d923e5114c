"""The server's guards against a real `newsprism serve`: Host header (DNS rebinding), cross-site
writes (in Chromium, from pages of other loopback origins, and with plain httpx), content types,
hostile JSON (depth, huge numbers, lone surrogates), HEAD, and the URLs the API hands out."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from newsprism.api.app import create_app
from newsprism.api.security import allowed_host, safe_url
from tests.browser import CHROMIUM_ARGS
from tests.live_server import LiveServer, free_port, start_server
from tests.test_writer_supervisor import record


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("security")
    live = start_server(str(root / "security.db"), root / "server.log")
    yield live
    live.stop()


def _assert_error_shape(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["errors"], list)
    return body


# ------------------------------------------------------------------------------------- Host


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("evil.example", 421),
        ("evil.example:{port}", 421),
        ("127.0.0.1.evil.example:{port}", 421),
        ("localhost.", 200),
        ("localhost:{port}", 200),
        ("127.0.0.1:{port}", 200),
        ("[::1]:{port}", 200),
        ("LOCALHOST:{port}", 200),
    ],
)
def test_host_header_must_name_this_server(server: LiveServer, host: str, status: int) -> None:
    port = server.url.rsplit(":", 1)[1]
    response = httpx.get(f"{server.url}/api/health", headers={"Host": host.format(port=port)})
    if status == 200:
        assert response.status_code == 200, response.text
    else:
        body = _assert_error_shape(response, status)
        assert "NEWSPRISM_ALLOWED_HOSTS" in body["error"]


def test_rebound_name_cannot_read_pages_either(server: LiveServer) -> None:
    for path in ("/", "/api/stories", "/docs", "/openapi.json"):
        response = httpx.get(f"{server.url}{path}", headers={"Host": "attacker.example"})
        _assert_error_shape(response, 421)


def test_configured_host_names(tmp_path: Path) -> None:
    app = create_app(str(tmp_path / "hosts.db"), allowed_hosts=["news.example", ".corp.example"])
    with TestClient(app, base_url="http://news.example") as client:
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/health", headers={"Host": "a.corp.example"}).status_code == 200
        assert client.get("/api/health", headers={"Host": "corp.example"}).status_code == 200
        assert client.get("/api/health", headers={"Host": "evilcorp.example"}).status_code == 421
        assert client.get("/api/health", headers={"Host": "news.example.evil"}).status_code == 421


def test_allowed_host_rules() -> None:
    assert allowed_host("127.0.0.1:8000", "127.0.0.1", ())
    assert allowed_host("[::1]:8000", "127.0.0.1", ())
    assert allowed_host("localhost", "::1", ())
    assert allowed_host("192.168.1.5:8000", "192.168.1.5", ())
    assert not allowed_host("localhost:8000", "192.168.1.5", ())  # not a loopback bind
    assert not allowed_host("evil.example", "127.0.0.1", ())
    assert not allowed_host("127.0.0.2", "127.0.0.1", ())
    assert allowed_host("127.0.0.1:8000", "::ffff:127.0.0.1", ())  # a dual-stack bind
    assert allowed_host("localhost:8000", "::ffff:127.0.0.1", ())


# ---------------------------------------------------------------------- cross-site writes (httpx)


def _article_count(server: LiveServer) -> int:
    return int(server.health()["counts"]["articles"])


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "http://localhost:1"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # another port of this host
        {"Sec-Fetch-Site": "cross-site", "Origin": "{self}"},
        {"Authorization": "Bearer guessed", "Origin": "http://evil.example"},
    ],
)
@pytest.mark.parametrize("kind", ["json", "multipart"])
def test_cross_site_writes_are_refused(
    server: LiveServer, headers: dict[str, str], kind: str
) -> None:
    before = _article_count(server)
    sent = {key: value.format(self=server.url) for key, value in headers.items()}
    if kind == "json":
        response = httpx.post(
            f"{server.url}/api/articles", json=[record(7001)], headers=sent, timeout=60
        )
    else:
        files = [("files", ("a.txt", record(7002)["text"].encode(), "text/plain"))]
        response = httpx.post(f"{server.url}/api/articles", files=files, headers=sent, timeout=60)
    body = _assert_error_shape(response, 403)
    assert "cross-site" in body["error"]
    assert _article_count(server) == before


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", json.dumps([record(7003)])),
        ("text/plain;charset=UTF-8", json.dumps([record(7003)])),
        ("application/x-www-form-urlencoded", "text=hello"),
        (None, json.dumps([record(7003)])),
        ("application/json-patch+json", json.dumps([record(7003)])),
    ],
)
@pytest.mark.parametrize("path", ["/api/articles", "/api/brief"])
def test_writes_take_only_json_or_multipart(
    server: LiveServer, content_type: str | None, body: str, path: str
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    request = httpx.Request("POST", f"{server.url}{path}", content=body.encode(), headers=headers)
    assert request.headers.get("content-type") == content_type
    with httpx.Client(timeout=60) as client:
        response = client.send(request)
    _assert_error_shape(response, 415)


def test_same_origin_and_program_writes_are_accepted(server: LiveServer) -> None:
    port = server.url.rsplit(":", 1)[1]
    for number, headers in enumerate(
        [
            {},  # a program: no Origin, no Sec-Fetch-Site
            {"Origin": server.url, "Sec-Fetch-Site": "same-origin"},
            {"Origin": f"http://localhost:{port}", "Host": f"localhost:{port}"},
            {"Sec-Fetch-Site": "none"},  # typed by the user
        ],
        start=7100,
    ):
        response = httpx.post(
            f"{server.url}/api/articles", json=[record(number)], headers=headers, timeout=60
        )
        assert response.status_code == 201, (headers, response.text)


def test_cross_site_write_with_the_token_is_accepted(tmp_path: Path) -> None:
    app = create_app(str(tmp_path / "token.db"), token="s3cret")
    with TestClient(app) as client:
        cross = {"Origin": "http://elsewhere.example", "Authorization": "Bearer s3cret"}
        assert client.post("/api/articles", json=[record(1)], headers=cross).status_code == 201
        wrong = {**cross, "Authorization": "Bearer nope"}
        assert client.post("/api/articles", json=[record(2)], headers=wrong).status_code == 403


# --------------------------------------------------------------------- cross-site writes (browser)


def _serve_page(html: str) -> tuple[ThreadingHTTPServer, int]:
    """An attacker's page on another loopback port (a real HTTP server in a thread)."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            payload = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    port = free_port()
    httpd = ThreadingHTTPServer(("127.0.0.1", port), Page)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, port


# Each attack a page of another origin can make without the server's consent; every one that
# the browser sends is a "simple" request (no CORS preflight), except the JSON fetch.
SCRIPT_ATTACKS = r"""
async ([api, record]) => {
  const json = JSON.stringify({articles: [record]});
  const form = () => { const f = new FormData();
    f.append('files', new Blob([record.text], {type: 'text/plain'}), 'a.txt'); return f; };
  const attacks = {
    fetch_text_plain: () => fetch(api + '/api/articles', {method: 'POST', mode: 'no-cors',
      headers: {'Content-Type': 'text/plain'}, body: json}),
    fetch_default_string_body: () => fetch(api + '/api/articles', {method: 'POST',
      mode: 'no-cors', credentials: 'include', body: json}),
    fetch_multipart: () => fetch(api + '/api/articles', {method: 'POST', mode: 'no-cors',
      body: form()}),
    fetch_urlencoded: () => fetch(api + '/api/articles', {method: 'POST', mode: 'no-cors',
      body: new URLSearchParams({text: record.text})}),
    fetch_brief_multipart: () => fetch(api + '/api/brief', {method: 'POST', mode: 'no-cors',
      body: form()}),
    fetch_json_preflighted: () => fetch(api + '/api/articles', {method: 'POST',
      headers: {'Content-Type': 'application/json'}, body: json}),
    beacon_text: async () => navigator.sendBeacon(api + '/api/articles',
      new Blob([json], {type: 'text/plain'})),
    beacon_multipart: async () => navigator.sendBeacon(api + '/api/articles', form()),
    xhr_text_plain: () => new Promise((done) => { const x = new XMLHttpRequest();
      x.open('POST', api + '/api/articles'); x.setRequestHeader('Content-Type', 'text/plain');
      x.onloadend = () => done(x.status); x.send(json); }),
  };
  const outcome = {};
  for (const [name, attack] of Object.entries(attacks)) {
    try { const r = await attack(); outcome[name] = r && r.type ? r.type : String(r); }
    catch (e) { outcome[name] = 'blocked: ' + e.name; }
  }
  return outcome;
}
"""
FORM_ATTACKS = {
    "form_multipart": ("multipart/form-data", "/api/articles"),
    "form_text_plain_json_trick": ("text/plain", "/api/articles"),
    "form_urlencoded": ("application/x-www-form-urlencoded", "/api/articles"),
    "form_to_add_page": ("multipart/form-data", "/add"),
}


def _form_page(api: str, enctype: str, path: str, text: str) -> str:
    # The text/plain trick: name + "=" + value reads as JSON {"text": "...", "x": "="}.
    name = json.dumps({"text": text, "x": ""})[:-2]
    return (
        f'<form id="f" method="post" action="{api}{path}" enctype="{enctype}">'
        f'<input name=\'{name}\' value=\'"}}\'><input name="text" value="{text}">'
        f'<input name="files" value="{text}"></form><script>f.submit()</script>'
    )


@pytest.mark.playwright
def test_browser_cross_site_writes_all_refused(server: LiveServer) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    before = server.health()
    text = "The council of Arden voted to fund a new bridge on Tuesday, the mayor said."
    attacker, port = _serve_page("<!doctype html><title>elsewhere</title><p>hello</p>")
    form_servers = []
    outcomes: dict[str, str] = {}
    try:
        with playwright_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            page = browser.new_page()
            page.set_default_timeout(60_000)
            # 127.0.0.1:other-port is same-site to the API (Sec-Fetch-Site: same-site);
            # localhost:other-port is cross-site. Both are other origins.
            for origin in (f"http://127.0.0.1:{port}", f"http://localhost:{port}"):
                page.goto(f"{origin}/")
                result = page.evaluate(SCRIPT_ATTACKS, [server.url, record(8001)])
                outcomes.update({f"{origin} {name}": value for name, value in result.items()})
                for name, (enctype, path) in FORM_ATTACKS.items():
                    form_server, form_port = _serve_page(
                        _form_page(server.url, enctype, path, text)
                    )
                    form_servers.append(form_server)
                    host = origin.rsplit(":", 1)[0]
                    page.goto(f"{host}:{form_port}/")
                    page.wait_for_url(f"{server.url}{path}")
                    outcomes[f"{origin} {name}"] = page.content()[:80]
            # The control: the same requests from the server's own page are accepted.
            page.goto(f"{server.url}/api/health")
            control = page.evaluate(
                """async ([api, record]) => (await fetch(api + '/api/articles', {method: 'POST',
                  headers: {'Content-Type': 'application/json'},
                  body: JSON.stringify({articles: [record]})})).status""",
                [server.url, record(8002)],
            )
            browser.close()
    finally:
        attacker.shutdown()
        for form_server in form_servers:
            form_server.shutdown()
    after = server.health()
    attempts = len(outcomes)
    preflighted = sum(1 for value in outcomes.values() if value.startswith("blocked"))
    reached = after["refused"]["cross_site"] - before["refused"]["cross_site"]
    added = after["counts"]["articles"] - before["counts"]["articles"]
    rejected = after["counts"]["rejections"] - before["counts"]["rejections"]
    print(
        f"cross-site writes from Chromium: {attempts} attempts, {reached} reached the server and "
        f"were refused (403), {preflighted} stopped by the browser's CORS preflight; "
        f"{added - 1} accepted; same-origin control: {control}"
    )
    assert control == 201
    assert added == 1  # the control only
    assert rejected == 0  # nothing cross-site was even read as an input
    assert preflighted == 2  # only the JSON fetch needs a preflight, once per origin
    assert reached == attempts - preflighted


# --------------------------------------------------------------------------- hostile JSON bodies


def _nested(depth: int) -> str:
    return '{"text": "x", "meta": ' + "[" * depth + "]" * depth + "}"


HOSTILE_BODIES = {
    "nested 900 deep": _nested(900),
    "nested 5000 deep": _nested(5000),
    "nested 40 deep": _nested(40),
    "5000-digit integer": '{"text": "x", "n": ' + "9" * 5000 + "}",
    "integer past 1e100": '{"text": "x", "n": 1' + "0" * 120 + "}",
    "float overflow": '{"text": "x", "n": 1e400}',
    "NaN": '{"text": "x", "n": NaN}',
    "Infinity": '{"text": "x", "n": -Infinity}',
    "lone surrogate in text": '{"text": "a\\ud800b"}',
    "lone low surrogate in title": '{"text": "x", "title": "\\udfff"}',
    "lone surrogate in a key": '{"text": "x", "\\ud83d": 1}',
    "published as 1e20": '{"text": "x", "published": 1e20}',
    "not UTF-8": b'{"text": "\xff\xfe"}',
    "truncated": '{"articles": [{"text": "x"',
    "no text or html": '{"title": "only a title"}',
    "text null": '{"text": null}',
    "nested metadata": '{"text": "x", "meta": {"a": {"b": 1}}}',
}


@pytest.mark.parametrize("name", list(HOSTILE_BODIES))
@pytest.mark.parametrize("path", ["/api/articles", "/api/brief"])
def test_hostile_json_is_a_422_on_a_kept_connection(
    server: LiveServer, name: str, path: str
) -> None:
    raw = HOSTILE_BODIES[name]
    content = raw if isinstance(raw, bytes) else raw.encode()
    with httpx.Client(timeout=30) as client:
        response = client.post(
            f"{server.url}{path}", content=content, headers={"Content-Type": "application/json"}
        )
        body = _assert_error_shape(response, 422)
        assert body["errors"] and body["errors"][0]["location"].startswith("body")
        assert response.headers.get("connection", "").lower() != "close"
        # The same connection answers the next request.
        assert client.get(f"{server.url}/api/health").status_code == 200


def test_huge_offsets_and_pages_are_4xx(server: LiveServer) -> None:
    for params in ({"offset": 2**64}, {"offset": 10**30}, {"limit": 2**63}, {"offset": -1}):
        response = httpx.get(f"{server.url}/api/stories", params=params)
        _assert_error_shape(response, 422)
    assert httpx.get(f"{server.url}/api/stories", params={"offset": 10**9}).status_code == 200


def test_json_with_line_separators_inside_strings_is_kept(server: LiveServer) -> None:
    text = record(9000)["text"]
    marked = text.replace(". ", ".\u2028 ", 1).replace(". ", ".\u2029 ", 1) + " End\u0085."
    body = json.dumps({"articles": [{"id": "separators", "text": marked}]}, ensure_ascii=False)
    response = httpx.post(
        f"{server.url}/api/articles",
        content=body.encode("utf-8"),
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    assert response.status_code == 201, response.text
    assert response.json()["counts"] == {"added": 1, "duplicates": 0, "rejected": 0}
    article = httpx.get(f"{server.url}/api/articles/{response.json()['added'][0]['id']}").json()
    assert "bridge" in article["text"]


def test_story_id_that_cannot_be_read_back_is_refused_and_others_are_read(
    server: LiveServer,
) -> None:
    # A story with "/" in its id could once be created but never read (/api/stories/a/b is
    # another route). Now its record is refused by name, the rest of the request goes on,
    # and an id with other URL-special characters is read back at its percent-encoded path.
    from urllib.parse import quote

    odd = "what? #1 at 50% (üß)"
    records = [
        {**record(9300), "id": "slashed", "story": "2022/01/kazakhstan"},
        {**record(9301), "id": "odd", "story": odd},
    ]
    response = httpx.post(f"{server.url}/api/articles", json={"articles": records}, timeout=120)
    assert response.status_code == 201, response.text
    body = response.json()
    assert [entry["story_id"] for entry in body["added"]] == [odd]
    (rejected,) = body["rejected"]
    assert rejected["source"] == "slashed" and rejected["code"] == "E103"
    assert "'2022/01/kazakhstan' holds /" in rejected["reason"]
    listed = httpx.get(f"{server.url}/api/stories", params={"limit": 500}).json()["stories"]
    assert "2022/01/kazakhstan" not in {story["id"] for story in listed}
    story = httpx.get(f"{server.url}/api/stories/{quote(odd, safe='')}", timeout=300)
    assert story.status_code == 200, story.text
    assert story.json()["stories"][0]["id"] == odd


def test_story_id_that_cannot_be_read_back_is_refused_by_the_cli(tmp_path: Path) -> None:
    import subprocess
    import sys

    records = tmp_path / "in.jsonl"
    records.write_text(
        json.dumps({**record(9102), "id": "slashed", "story": "a/b"})
        + "\n"
        + json.dumps({**record(9103), "id": "kept", "story": "a-b"}),
        encoding="utf-8",
    )
    db = tmp_path / "cli.db"
    run = subprocess.run(
        [sys.executable, "-m", "newsprism", "ingest", "--no-briefs", "--db", str(db), str(records)],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 1, run.stderr
    assert "rejected slashed: [E103] the \"story\" id 'a/b' holds /" in run.stderr
    stories = subprocess.run(
        [sys.executable, "-m", "newsprism", "stories", "--db", str(db), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert [story["id"] for story in json.loads(stories.stdout)["stories"]] == ["a-b"]


# ---------------------------------------------------------------------------- HEAD and URLs


def test_head_answers_every_get_route(server: LiveServer) -> None:
    added = httpx.post(
        f"{server.url}/api/articles", json=[record(9100, story="head")], timeout=60
    ).json()
    article_id = added["added"][0]["id"]
    for path in ("/api/health", "/api/stories", f"/api/articles/{article_id}", "/", "/docs"):
        with httpx.Client() as client:
            get = client.get(f"{server.url}{path}")
            head = client.head(f"{server.url}{path}")
            assert head.status_code == get.status_code == 200, path
            assert head.content == b""
            assert head.headers["content-type"] == get.headers["content-type"]
            assert client.get(f"{server.url}/api/health").status_code == 200  # same connection
    missing = httpx.head(f"{server.url}/api/stories/no-such-story")
    assert missing.status_code == 404 and missing.content == b""


URLS = {
    "javascript:alert(document.cookie)": False,
    "JavaScript:alert(1)": False,
    " javascript:alert(1)": False,
    "data:text/html,<script>alert(1)</script>": False,
    "file:///etc/passwd": False,
    "vbscript:msgbox": False,
    "//evil.example/x": False,
    "https://news.example/a": True,
    "HTTP://news.example/b": True,
}


def test_api_gives_only_http_urls(server: LiveServer) -> None:
    records = [record(9200 + number, url=url, story="urls") for number, url in enumerate(URLS)]
    response = httpx.post(f"{server.url}/api/articles", json=records, timeout=60)
    assert response.status_code == 201, response.text
    expected = {}
    for added, (url, kept) in zip(response.json()["added"], URLS.items(), strict=True):
        expected[added["id"]] = url if kept else None
        article = httpx.get(f"{server.url}/api/articles/{added['id']}").json()
        assert article["url"] == expected[added["id"]], url
        assert safe_url(url) == expected[added["id"]]
    computed = httpx.get(f"{server.url}/api/stories/urls", timeout=300)
    assert computed.headers["X-Newsprism-Brief"] == "computed"
    stored = httpx.get(f"{server.url}/api/stories/urls", timeout=60)  # the fast path
    assert stored.headers["X-Newsprism-Brief"] == "stored"
    for brief in (computed, stored):
        assert {a["id"]: a["url"] for a in brief.json()["articles"]} == expected


# --------------------------------------------------------------------- an unexpected error


def _exchange(connection: socket.socket, path: str, port: int) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 request on an open socket: (status, headers, body)."""
    connection.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        assert chunk, "the server closed the connection"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    while len(body) < int(headers["content-length"]):
        chunk = connection.recv(65536)
        assert chunk, "the server closed the connection mid-body"
        body += chunk
    return int(lines[0].split()[1]), headers, body


def test_unexpected_error_is_a_500_that_keeps_the_connection(tmp_path: Path) -> None:
    import time

    import uvicorn

    app = create_app(str(tmp_path / "boom.db"))

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            status, headers, body = _exchange(connection, "/api/boom", port)
            assert status == 500 and headers.get("connection") != "close"
            error = json.loads(body)
            assert error["status"] == 500 and "RuntimeError" in error["error"]
            assert "a bug" not in error["error"]  # the log has it; the client needs no more
            # The same socket answers the next request: the connection was kept.
            assert _exchange(connection, "/api/health", port)[0] == 200
    finally:
        uv.should_exit = True
        thread.join(timeout=15)

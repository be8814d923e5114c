"""Fetcher: a real HTTP server on 127.0.0.1 and canned httpx responses; no external network."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from newsprism.errors import FetchRefused
from newsprism.fetch import Fetcher
from newsprism.ingest import read_inputs

PAGE = b"<html><head><title>Budget</title></head><body><p>The council passed it.</p></body></html>"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path == "/article":
            self._send(200, "text/html; charset=utf-8", PAGE)
        elif self.path == "/big":
            self._send(200, "text/html", b"x" * 5000)
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, "text/html", PAGE)
        elif self.path == "/feed":
            self._send(
                200, "application/rss+xml", b"<?xml version='1.0'?><rss><channel><title>x</ti"
            )
        else:
            self._send(404, "text/plain", b"not found")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_local_server_when_private_allowed(server: str) -> None:
    with Fetcher(allow_private=True) as fetcher:
        fetched = fetcher.fetch(f"{server}/article")
    assert fetched.data == PAGE
    assert fetched.content_type == "text/html; charset=utf-8"
    assert fetched.url == f"{server}/article"


def test_fetch_follows_redirects(server: str) -> None:
    with Fetcher(allow_private=True) as fetcher:
        fetched = fetcher.fetch(f"{server}/redirect")
    assert fetched.url == f"{server}/article"
    assert fetched.data == PAGE


def test_fetch_refuses_loopback_by_default(server: str) -> None:
    with (
        Fetcher() as fetcher,
        pytest.raises(FetchRefused, match=r"^\[E104\] .*non-public address 127\.0\.0\.1"),
    ):
        fetcher.fetch(f"{server}/article")


@pytest.mark.parametrize(
    "address",
    ["10.0.0.5", "192.168.1.1", "169.254.169.254", "::1", "fe80::1", "::ffff:127.0.0.1", "0.0.0.0"],
)
def test_fetch_refuses_hosts_resolving_to_private_addresses(address: str) -> None:
    fetcher = Fetcher(
        resolver=lambda host: [address],
        transport=httpx.MockTransport(lambda r: httpx.Response(200)),
    )
    with pytest.raises(FetchRefused, match="non-public address"):
        fetcher.fetch("https://news.example.com/a")


def test_fetch_checks_every_redirect_hop() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://internal.example/admin"})

    resolve = {"news.example.com": ["93.184.216.34"], "internal.example": ["10.1.2.3"]}
    fetcher = Fetcher(resolver=lambda host: resolve[host], transport=httpx.MockTransport(handler))
    with pytest.raises(
        FetchRefused, match="'internal.example' resolves to non-public address 10.1.2.3"
    ):
        fetcher.fetch("https://news.example.com/a")


def test_fetch_canned_response_with_public_resolver() -> None:
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, content=PAGE, headers={"Content-Type": "text/html"})
    )
    fetcher = Fetcher(
        resolver=lambda host: ["93.184.216.34"],
        transport=transport,
        clock=lambda: datetime(2022, 1, 14),
    )
    fetched = fetcher.fetch("https://news.example.com/a")
    assert fetched.data == PAGE
    assert fetched.fetched_at == datetime(2022, 1, 14)


def test_fetch_refuses_unresolvable_host() -> None:
    def fail(host: str) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(FetchRefused, match="could not resolve host 'nowhere.invalid'"):
        Fetcher(resolver=fail).fetch("https://nowhere.invalid/")


@pytest.mark.parametrize("url", ["ftp://example.com/a", "file:///etc/passwd", "http:///nohost"])
def test_fetch_refuses_other_schemes(url: str) -> None:
    with pytest.raises(FetchRefused, match="only http:// and https://"):
        Fetcher().fetch(url)


def test_fetch_refuses_too_large(server: str) -> None:
    with (
        Fetcher(allow_private=True, max_bytes=1000) as fetcher,
        pytest.raises(FetchRefused, match="larger than the 1000 byte limit"),
    ):
        fetcher.fetch(f"{server}/big")


def test_fetch_refuses_too_large_without_content_length() -> None:
    def stream(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([b"x" * 600, b"y" * 600]))

    fetcher = Fetcher(
        resolver=lambda host: ["93.184.216.34"],
        transport=httpx.MockTransport(stream),
        max_bytes=1000,
    )
    with pytest.raises(FetchRefused, match="got 1200 bytes"):
        fetcher.fetch("https://news.example.com/a")


def test_fetch_http_error_status(server: str) -> None:
    with Fetcher(allow_private=True) as fetcher, pytest.raises(FetchRefused, match="HTTP 404"):
        fetcher.fetch(f"{server}/missing")


def test_fetch_timeout(server: str) -> None:
    with (
        Fetcher(allow_private=True, timeout=0.3) as fetcher,
        pytest.raises(FetchRefused, match="timed out after 0.3 s"),
    ):
        fetcher.fetch(f"{server}/slow")


def test_fetch_read_inputs_url_becomes_document(server: str) -> None:
    with Fetcher(allow_private=True) as fetcher:
        result = read_inputs(
            [f"{server}/article", f"{server}/missing", f"{server}/feed"], fetcher=fetcher
        )
    (doc,) = result.documents
    assert doc.source == f"{server}/article"
    assert doc.url == f"{server}/article"
    assert doc.media_type == "text/html"
    assert doc.fetched_at is not None
    missing, feed = result.rejections
    assert (missing.source, missing.code) == (f"{server}/missing", "E104")
    assert (feed.source, feed.code) == (f"{server}/feed", "E103")


def test_fetch_read_inputs_refuses_private_url_by_default(server: str) -> None:
    (rejection,) = read_inputs([f"{server}/article"]).rejections
    assert rejection.code == "E104"
    assert "non-public address" in rejection.reason

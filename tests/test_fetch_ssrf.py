"""SSRF: every non-public address form refused, DNS answers pinned, a total deadline per fetch.

Real HTTP(S) servers on 127.0.0.1; only the resolver the fetcher calls is replaced (a DNS
stub), as a rebinding attacker's DNS server would answer.
"""

from __future__ import annotations

import ipaddress
import re
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from newsprism.errors import FetchRefused
from newsprism.fetch import Fetcher, non_public_reason
from newsprism.ingest import read_inputs

PAGE = b"<html><body><p>The council passed the budget.</p></body></html>"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    requests_seen: list[tuple[str, str]]  # (path, Host header)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.server.requests_seen.append((self.path, self.headers.get("Host", "")))
        if self.path == "/article":
            self._send(200, PAGE)
        elif self.path.startswith("/redirect?to="):
            self.send_response(302)
            self.send_header("Location", self.path.removeprefix("/redirect?to="))
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/drip-body":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "40")
            self.end_headers()
            self._drip(b"x" * 40)
        elif self.path == "/drip-headers":
            self._drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + b"y" * 40)
        else:
            self._send(404, b"not found")

    def _drip(self, data: bytes) -> None:
        for byte in data:  # one byte every 0.3 s: each read is quick, the whole is not
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return  # the client gave up, as it should
            time.sleep(0.3)

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _serve(httpd: _Server) -> Iterator[_Server]:
    httpd.requests_seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    yield from _serve(_Server(("127.0.0.1", 0), _Handler))


def _port(httpd: _Server) -> int:
    return int(httpd.server_address[1])


NON_PUBLIC = [
    "127.0.0.1",
    "127.1.2.3",
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "192.0.2.1",
    "198.18.0.1",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "fec0::1",
    "ff02::1",
    "2001:db8::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::127.0.0.1",
    "::a9fe:a9fe",
    "64:ff9b::7f00:1",
    "64:ff9b::a9fe:a9fe",
    "64:ff9b::a00:1",
    "64:ff9b:1::a9fe:a9fe",
    "2002:7f00:1::",
    "2002:a9fe:a9fe::1",
    "2002:c0a8:101::",
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo wrapping 127.0.0.1
]


@pytest.mark.parametrize("address", NON_PUBLIC)
def test_fetch_ssrf_refuses_non_public_literal(server: _Server, address: str) -> None:
    host = f"[{address}]" if ":" in address else address
    url = f"http://{host}:{_port(server)}/article"
    before = len(server.requests_seen)
    with Fetcher() as fetcher, pytest.raises(FetchRefused, match="non-public address"):
        fetcher.fetch(url)
    assert len(server.requests_seen) == before


@pytest.mark.parametrize("address", NON_PUBLIC)
def test_fetch_ssrf_refuses_name_resolving_to_non_public(address: str) -> None:
    fetcher = Fetcher(resolver=lambda host: ["93.184.216.34", address])
    with pytest.raises(FetchRefused, match=f"non-public address {re.escape(address)} "):
        fetcher.fetch("https://news.example.com/a")


@pytest.mark.parametrize(
    "address",
    [
        "93.184.216.34",
        "8.8.8.8",
        "2606:2800:220:1:248:1893:25c8:1946",
        "64:ff9b::5db8:d822",  # NAT64 of 93.184.216.34
        "2002:5db8:d822::1",  # 6to4 of 93.184.216.34
    ],
)
def test_fetch_ssrf_accepts_public_addresses(address: str) -> None:
    assert non_public_reason(ipaddress.ip_address(address)) is None


def test_fetch_ssrf_rebinding_connects_to_the_checked_address(server: _Server) -> None:
    # The stub says public; the system resolver says 127.0.0.1. A fetcher that resolved twice
    # (check, then connect) would reach the loopback server.
    asked: list[str] = []

    def rebinding_dns(host: str) -> list[str]:
        asked.append(host)
        return ["93.184.216.34"]

    before = len(server.requests_seen)
    fetcher = Fetcher(resolver=rebinding_dns, timeout=2, deadline=3)
    with fetcher, pytest.raises(FetchRefused):
        fetcher.fetch(f"http://localhost:{_port(server)}/article")
    assert asked == ["localhost"]
    assert len(server.requests_seen) == before


def test_fetch_ssrf_pins_the_checked_address_and_keeps_the_host_header(server: _Server) -> None:
    answers = iter([["127.0.0.1"]])  # a second lookup would raise StopIteration
    fetcher = Fetcher(resolver=lambda host: next(answers), allow_loopback=True)
    with fetcher:
        fetched = fetcher.fetch(f"http://news.test:{_port(server)}/article")
    assert fetched.data == PAGE
    assert server.requests_seen[-1] == ("/article", f"news.test:{_port(server)}")


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]:{port}/article",
        "http://[64:ff9b::7f00:1]:{port}/article",
        "http://10.0.0.1/",
    ],
)
def test_fetch_ssrf_rechecks_every_redirect_hop(server: _Server, target: str) -> None:
    location = target.format(port=_port(server))
    with (
        Fetcher(allow_loopback=True) as fetcher,
        pytest.raises(FetchRefused, match="non-public address"),
    ):
        fetcher.fetch(f"http://127.0.0.1:{_port(server)}/redirect?to={location}")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("path", ["/drip-body", "/drip-headers"])
def test_fetch_ssrf_dripping_server_is_cut_at_the_total_deadline(
    server: _Server, path: str
) -> None:
    # Each byte comes within the 5 s per-read timeout; the whole would take 12 s.
    started = time.monotonic()
    with (
        Fetcher(allow_loopback=True, timeout=5, deadline=1.5) as fetcher,
        pytest.raises(FetchRefused, match="1.5 s total deadline"),
    ):
        fetcher.fetch(f"http://127.0.0.1:{_port(server)}{path}")
    assert time.monotonic() - started < 6  # generous: the cut is at 1.5 s plus one read


@pytest.mark.parametrize(
    "url",
    ["http://[::1/broken", "http://[zz::1]/", "http://exa mple.com/", "http://host:99x/"],
)
def test_fetch_ssrf_malformed_url_is_a_clear_refusal(url: str) -> None:
    with Fetcher() as fetcher, pytest.raises(FetchRefused, match=r"^\[E104\]"):
        fetcher.fetch(url)
    (rejection,) = read_inputs([url], fetcher=Fetcher()).rejections
    assert rejection.code == "E104"
    assert rejection.source == url


def test_fetch_ssrf_loopback_needs_the_explicit_option(server: _Server) -> None:
    url = f"http://127.0.0.1:{_port(server)}/article"
    with Fetcher() as fetcher, pytest.raises(FetchRefused, match=r"\(loopback\)"):
        fetcher.fetch(url)
    with Fetcher(allow_loopback=True) as fetcher:
        assert fetcher.fetch(url).data == PAGE
    with Fetcher(allow_loopback=True) as fetcher, pytest.raises(FetchRefused, match="private"):
        fetcher.fetch("http://10.0.0.1/")


# --------------------------------------------------------------------------- TLS


def _certificate(folder: Path, name: str) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: cannot make a test certificate")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={name}",
            "-addext", f"subjectAltName=DNS:{name}",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return key, cert


@pytest.fixture(scope="module")
def tls_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[_Server, Path, list[str]]]:
    key, cert = _certificate(tmp_path_factory.mktemp("tls"), "news.test")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name or "")  # type: ignore[assignment,func-returns-value]
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    for running in _serve(httpd):
        yield running, cert, names


def test_fetch_ssrf_tls_uses_the_host_name_for_sni_and_the_certificate(
    tls_server: tuple[_Server, Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    httpd, cert, names = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the test certificate only
    port = _port(httpd)
    fetcher = Fetcher(resolver=lambda host: ["127.0.0.1"], allow_loopback=True)
    with fetcher:
        assert fetcher.fetch(f"https://news.test:{port}/article").data == PAGE
        assert names[-1] == "news.test"  # SNI is the name, not the pinned IP
        # Same address, another name: the certificate (for news.test) must not pass.
        with pytest.raises(FetchRefused, match="HTTP request failed"):
            fetcher.fetch(f"https://other.test:{port}/article")


def test_fetch_ssrf_no_unchecked_connection_is_possible() -> None:
    # The pinning transport refuses a host that was never checked (no pin): it cannot resolve.
    fetcher = Fetcher(allow_private=True)
    with fetcher, pytest.raises(httpx.ConnectError, match="not checked"):
        fetcher._client.get("http://unchecked.test/")  # noqa: SLF001 (bypasses check_url on purpose)

"""Shared helpers for the browser tests: Debian's chromium through Playwright, axe-core,
artifacts, and a loopback server of article pages for the Add page to fetch."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = REPO / "tests" / "node_modules" / "axe-core" / "axe.min.js"
# Screenshots: test-artifacts/ in the repository (ignored by git), or $NEWSPRISM_TEST_ARTIFACTS.
ARTIFACTS = Path(os.environ.get("NEWSPRISM_TEST_ARTIFACTS") or REPO / "test-artifacts")
# axe impacts that fail a page (minor and moderate ones are reported, not failed).
FAILING_IMPACTS = ("critical", "serious")


def launch_chromium() -> Iterator[Any]:
    """A headless chromium for one module; skips, saying how to install, when it is missing."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium, or `make test`)")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def artifact(name: str) -> Path:
    """Where a screenshot named *name* is saved (`ARTIFACTS`)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A/AA rules and best practices) on *page*; its violations."""
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE}: run `make setup-dev` (npm ci in tests/)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays on.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
                nodes: v.nodes.length}));
        }"""
    )
    return list(result)


def failing(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The violations whose impact fails a page (critical or serious)."""
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation: rule, impact, how many elements, the first targets."""
    return "\n".join(
        f"{v['id']} ({v['impact']}, {v['nodes']} elements): {v['help']} -> {v['targets']}"
        for v in violations
    )


@contextmanager
def serve_pages(pages: dict[str, tuple[str, bytes]]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 in a thread serving *pages* (path -> media type,
    body; 404 otherwise); yields its base URL."""

    class Pages(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            media_type, body = pages.get(self.path, ("text/plain", b"not found"))
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def article_page(outlet: str, title: str, paragraphs: list[str]) -> bytes:
    """An article as a news site serves it: og:site_name names the outlet."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html><head><meta property="og:site_name" content="{outlet}">'
        f"<title>{title}</title></head><body><article><h1>{title}</h1>{body}</article>"
        "</body></html>"
    ).encode()

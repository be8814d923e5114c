"""Shared helpers for the browser tests: Debian's chromium through Playwright, axe-core, artifacts."""

from __future__ import annotations

from collections.abc import Iterator
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
ARTIFACTS = REPO / "test-artifacts"
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
    """Where a screenshot named *name* is saved (test-artifacts/, ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
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

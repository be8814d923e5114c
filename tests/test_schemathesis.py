"""schemathesis against the real `newsprism serve`, every check, a bounded run (60 s of generation).

Run longer by hand (what we report in tests/README.md):

    schemathesis --config-file tests/schemathesis.toml run http://127.0.0.1:8000/openapi.json \\
        --checks all --max-time 300 --workers 1
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live_server import LiveServer, start_server
from tests.test_writer_supervisor import record

CONFIG = Path(__file__).with_name("schemathesis.toml")
RUN_SECONDS = 60


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[LiveServer]:
    live = start_server(str(tmp_path / "schemathesis.db"), tmp_path / "server.log")
    try:
        yield live
    finally:
        live.stop()


def _schemathesis() -> str:
    found = shutil.which("schemathesis") or str(Path(sys.executable).with_name("schemathesis"))
    if not Path(found).exists():
        pytest.fail("schemathesis is not installed: pip install -e '.[dev]'")
    return found


def test_schemathesis_finds_no_failure(server: LiveServer, tmp_path: Path) -> None:
    # Warm the models so that the response-time check measures requests, not a cold start.
    httpx.post(f"{server.url}/api/brief", json=[record(1), record(2)], timeout=300)
    command = [
        _schemathesis(),
        "--no-color",
        "--config-file",
        str(CONFIG),
        "run",
        f"{server.url}/openapi.json",
        "--checks",
        "all",
        "--max-time",
        str(RUN_SECONDS),
        "--workers",
        "1",
        "--request-timeout",
        "60",
        "--seed",
        "20261201",
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=RUN_SECONDS + 120, cwd=tmp_path
    )
    output = result.stdout + result.stderr
    summary = output[output.find("=== SUMMARY") :] if "=== SUMMARY" in output else output[-3000:]
    print(summary)
    assert "Test cases:" in output, output[-3000:]
    assert result.returncode == 0, output[-8000:]

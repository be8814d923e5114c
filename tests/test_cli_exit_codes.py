"""Exit codes as documented, every time, through the real CLI process (no native thread left
alive at exit)."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

RUNS = 20


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    def limit() -> None:  # a bounded child: 4 GB of address space at most
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    return subprocess.run(
        [sys.executable, "-m", "newsprism", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("case", ["missing", "empty", "empty-jsonl"])
def test_cli_error_exit_code_is_1_every_time(tmp_path: Path, case: str) -> None:
    inputs = {"missing": tmp_path / "nope.txt", "empty": tmp_path / "empty.txt"}
    inputs["empty-jsonl"] = tmp_path / "empty.jsonl"
    inputs["empty"].write_text("")
    inputs["empty-jsonl"].write_text("\n\n")
    codes = [_cli("brief", str(inputs[case])).returncode for _ in range(RUNS)]
    assert codes == [1] * RUNS  # never 134/139 (an abort at exit)


def test_cli_usage_error_is_2() -> None:
    assert _cli("brief").returncode == 2
    assert _cli("brief", "x.txt", "--format", "nope").returncode == 2

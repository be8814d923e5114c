"""`newsprism batch` refuses what it cannot run, with a message naming the problem and fix."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.cli import cli

pytest.importorskip("dask.distributed", reason="install the dask extra: pip install -e '.[dask]'")


def _batch(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["batch", *arguments])
    return result.exit_code, result.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    code, output = _batch("x.jsonl", "--out", out, "--workers", "2", "--scheduler", "tcp://h:1")
    assert code == 2 and "not both" in output
    code, output = _batch("-", "--out", out)
    assert code == 2 and "stdin" in output and "save it to a file" in output
    code, output = _batch("x.jsonl", "--out", out, "--since", "last tuesday")
    assert code == 2 and "ISO" in output
    assert not (tmp_path / "out").exists()


def test_a_folder_that_is_not_a_batch_run_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine", encoding="utf-8")
    code, output = _batch("x.jsonl", "--out", str(tmp_path / "out"))
    assert code == 1
    assert "E800" in output and "no batch manifest" in output and str(tmp_path / "out") in output
    assert (tmp_path / "out" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_an_unreachable_scheduler_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsprism.cli.batch as batch

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(batch, "CONNECT_SECONDS", 2)
    started = time.monotonic()
    code, output = _batch(
        "x.jsonl", "--out", str(tmp_path / "out"), "--scheduler", f"tcp://127.0.0.1:{port}"
    )
    assert code == 1 and time.monotonic() - started < 30
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in output

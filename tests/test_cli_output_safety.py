"""Terminal output never carries control characters from untrusted text; --out files get the
usual mode."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from click.testing import CliRunner

from newsprism.cli import cli
from newsprism.text import terminal_safe

_HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x1b]8;;file:///etc/passwd\x07click\x1b]8;;\x07\r\x9b31m"


def test_terminal_safe_removes_escapes_and_keeps_layout() -> None:
    assert (
        terminal_safe("a\tb\nc" + _HOSTILE)
        == "a\tb\nc]0;pwned[2J]8;;file:///etc/passwdclick]8;;31m"
    )
    assert "\x1b" not in terminal_safe(_HOSTILE) and "\r" not in terminal_safe(_HOSTILE)


def _records(tmp_path: Path) -> Path:
    body = (
        "The harbour ferry Marlin struck the north pier on Monday after its steering failed. "
        "Divers inspected the hull and the port authority closed the terminal."
    )
    path = tmp_path / "hostile.jsonl"
    record = {
        "id": "x" + _HOSTILE,
        "title": "Ferry strikes the north pier" + _HOSTILE,
        "text": body + _HOSTILE,
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def test_cli_brief_and_stories_print_no_escape_sequences(tmp_path: Path) -> None:
    path = _records(tmp_path)
    runner = CliRunner()
    brief = runner.invoke(cli, ["brief", str(path), "--format", "text"])
    assert brief.exit_code == 0, brief.output
    assert "Ferry" in brief.output and "\x1b" not in brief.output and "\x9b" not in brief.output
    db = tmp_path / "s.db"
    assert runner.invoke(cli, ["ingest", "--db", str(db), str(path)]).exit_code == 0
    stories = runner.invoke(cli, ["stories", "--db", str(db)])
    assert stories.exit_code == 0, stories.output
    assert "Ferry" in stories.output and "\x1b" not in stories.output


def test_cli_out_file_gets_the_usual_mode(tmp_path: Path) -> None:
    out = tmp_path / "brief.json"
    umask = os.umask(0o022)
    try:
        result = CliRunner().invoke(
            cli, ["brief", str(_records(tmp_path)), "--format", "json", "--out", str(out)]
        )
    finally:
        os.umask(umask)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o644

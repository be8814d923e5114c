"""What the CLI prints for people: wrapped to $COLUMNS (80 when piped), no trailing spaces,
counted nouns in the right number, intervals in words, and a progress bar on stderr only when
stderr is a terminal (piped output gets not a byte of it)."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.cli import cli
from newsprism.render import render
from newsprism.render.json import brief_to_dict
from newsprism.render.view import interval_text
from newsprism.text import plural
from tests.fixtures_brief import small_brief

# Two invented stories (each named by its records), so a brief of them briefs two stories.
RECORDS = [
    {
        "id": "ferry-1",
        "story": "ferry",
        "outlet": "Harbour Times",
        "published": "2024-03-04",
        "title": "Ferry strikes pier",
        "text": "The harbour ferry Marlin struck the north pier on Monday after its steering "
        "failed. Divers inspected the hull and the port authority closed the terminal.",
    },
    {
        "id": "ferry-2",
        "story": "ferry",
        "outlet": "Coast Daily",
        "published": "2024-03-05",
        "title": "Marlin ferry hits pier",
        "text": "The ferry Marlin hit the north pier on Monday when its steering failed, the "
        "port authority said. The terminal was closed while divers inspected the hull.",
    },
    {
        "id": "bridge-1",
        "story": "bridge",
        "outlet": "City Post",
        "title": "Bridge reopens",
        "text": "The harbour bridge in Vellmar reopened on Tuesday after a month of repairs, "
        "the city council said. Mayor Ilse Varga said the bridge is safe again.",
    },
]


@pytest.mark.parametrize(
    ("claim", "words"),
    [
        ({"low": 12000.0, "high": None, "qualifier": "at least"}, "12,000 or more"),
        ({"low": 2000.0, "high": None, "qualifier": "over"}, "more than 2,000"),
        ({"low": 0.0, "high": 10000.0, "qualifier": "under"}, "under 10,000"),
        ({"low": 0.0, "high": 500.0, "qualifier": "up to"}, "up to 500"),
        ({"low": 2250.0, "high": 2750.0, "qualifier": "about"}, "between 2,250 and 2,750"),
        ({"low": 9000.0, "high": 10000.0, "qualifier": "almost"}, "from 9,000 to under 10,000"),
        ({"low": 972815.0, "high": 972815.0, "qualifier": None}, "972,815"),
        ({"low": 2.5, "high": 3.75, "qualifier": None}, "between 2.5 and 3.75"),
        ({"low": None, "high": None, "qualifier": None}, ""),
    ],
)
def test_intervals_are_written_in_words(claim: dict[str, object], words: str) -> None:
    assert interval_text(claim) == words


def test_intervals_in_words_in_every_human_format() -> None:
    data = brief_to_dict(small_brief())
    for fmt in ("md", "html", "text"):
        out = render(data, fmt)
        assert "500 or more" in out and "between 270 and 330" in out, fmt
        assert "∞" not in out and "[270" not in out, fmt


def test_plurals_are_right() -> None:
    assert plural(1, "article") == "1 article"
    assert plural(2, "article") == "2 articles"
    assert plural(0, "story", "stories") == "0 stories"
    assert plural(12000, "fact") == "12,000 facts"
    md = render(brief_to_dict(small_brief()), "md")
    assert "2 articles:" in md and "adds 0 facts" in md and "adds 1 fact " in md
    assert "(s)" not in md


def test_text_brief_wraps_to_columns_without_trailing_spaces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = brief_to_dict(small_brief())
    for columns in (40, 80, 132):
        monkeypatch.setenv("COLUMNS", str(columns))
        lines = render(data, "text").splitlines()
        assert max(map(len, lines)) <= columns
        assert not [line for line in lines if line != line.rstrip()]
    monkeypatch.setenv("COLUMNS", "40")
    narrow = render(data, "text").splitlines()
    monkeypatch.setenv("COLUMNS", "132")
    assert len(narrow) > len(render(data, "text").splitlines())


def _stored(tmp_path: Path) -> str:
    records = tmp_path / "records.jsonl"
    records.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    result = CliRunner().invoke(cli, ["ingest", "--db", db, "--no-briefs", str(records)])
    assert result.exit_code == 0, result.output
    return db


def test_stories_list_wraps_to_columns_with_plurals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _stored(tmp_path)
    monkeypatch.setenv("COLUMNS", "44")
    out = CliRunner().invoke(cli, ["stories", "--db", db]).output
    lines = out.splitlines()
    assert max(map(len, lines)) <= 44, out
    assert not [line for line in lines if line != line.rstrip()]
    assert "1 article " in out or "1 article\n" in out
    assert "2 articles" in out and "1 articles" not in out


def _python(*args: str, cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "newsprism", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
        **kwargs,
    )


def test_stories_piped_is_80_wide(tmp_path: Path) -> None:
    db = _stored(tmp_path)
    long_title = {
        "id": "long",
        "story": "long",
        "title": "Harbour " * 30,  # wraps over several lines at 80 columns
        "text": "A new tram line to the harbour opened on Sunday, the transport board said.",
    }
    extra = tmp_path / "long.jsonl"
    extra.write_text(json.dumps(long_title) + "\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["ingest", "--db", db, "--no-briefs", str(extra)]).exit_code == 0
    run = _python("stories", "--db", db, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert max(map(len, lines)) <= 80 and len(lines) > 6
    assert not [line for line in lines if line != line.rstrip()]


def test_brief_progress_only_on_a_terminal(tmp_path: Path) -> None:
    """Piped: stdout is the JSON and stderr is empty. With stderr on a terminal, the bar shows
    the stages and the two stories being briefed, and stdout is still only the JSON."""
    records = tmp_path / "two.jsonl"
    records.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    piped = _python("brief", str(records), "--format", "json", cwd=tmp_path)
    assert piped.returncode == 0, piped.stderr
    assert len(json.loads(piped.stdout)["stories"]) == 2
    assert piped.stderr == ""

    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    out = tmp_path / "stdout.json"
    with out.open("wb") as stdout:  # a file, so a full pipe can never stall the child
        process = subprocess.Popen(
            [sys.executable, "-m", "newsprism", "brief", str(records), "--format", "json"],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=follower,
        )
        os.close(follower)
        shown = _read_until_exit(leader, process)
        assert process.wait(timeout=10) == 0
    assert len(json.loads(out.read_text())["stories"]) == 2  # nothing of the bar in stdout
    assert "annotate" in shown and "brief" in shown and "2/2" in shown, shown[-500:]


def _read_until_exit(fd: int, process: subprocess.Popen[bytes], limit: float = 300) -> str:
    chunks: list[bytes] = []
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    os.close(fd)
    return b"".join(chunks).decode("utf-8", "replace")


def test_ingest_piped_writes_no_progress(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    run = _python(
        "ingest", "--db", str(tmp_path / "s.db"), "--no-briefs", str(records), cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("3 added") and run.stderr == ""

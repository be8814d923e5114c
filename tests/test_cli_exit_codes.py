"""Exit codes as documented, every time, through the real CLI process (no native thread left
alive at exit: an abort there is code 134, a crash 139).

Ten error cases run 20 times each (200 runs): the inputs that cannot be read, a refused URL,
a missing database, an unknown story and usage errors. They are the cheap paths (each fails
before any model loads), so 200 runs take about as long as two briefs. The path that loads
the models and then exits 1 (some inputs failed) runs twice, since a run costs seconds.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

RUNS = 20
FAILED = 1  # a handled error, or some inputs failed
USAGE = 2  # usage error


def _cli(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    def limit() -> None:  # a bounded child: 4 GB of address space at most
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    return subprocess.run(
        [sys.executable, "-m", "newsprism", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
    )


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]  # "{typo}" and "{store}" stand for the databases of the run
    code: int
    says: str  # what stderr must name (the input, the problem or the fix)


CASES: dict[str, Case] = {
    "missing file": Case(("brief", "nope.txt"), FAILED, "nope.txt: [E101]"),
    "empty file": Case(("brief", "empty.txt"), FAILED, "empty.txt: [E102]"),
    "empty JSONL": Case(("brief", "empty.jsonl"), FAILED, "empty.jsonl: [E102]"),
    "refused URL": Case(("brief", "http://127.0.0.1:9/a"), FAILED, "non-public address"),
    "bad option": Case(("brief", "x.txt", "--format", "pdf"), USAGE, "'pdf' is not one of"),
    "no inputs": Case(("brief",), USAGE, "Missing argument 'INPUTS"),
    "unknown command": Case(("brieff", "x.txt"), USAGE, "No such command 'brieff'"),
    "missing database": Case(("stories", "--db", "{typo}"), FAILED, "no database at {typo}"),
    "search, missing database": Case(
        ("stories", "--search", "ferry", "--db", "{typo}"), FAILED, "newsprism ingest FILES"
    ),
    "unknown story": Case(
        ("show", "s-nope", "--db", "{store}"), FAILED, "newsprism stories --db {store}"
    ),
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from newsprism.store import open_store

    tmp = tmp_path_factory.mktemp("exit-codes")
    (tmp / "empty.txt").write_text("")
    (tmp / "empty.jsonl").write_text("\n\n")
    open_store(tmp / "store.db").close()  # exists, holds no story
    return tmp


@pytest.mark.parametrize("name", CASES)
def test_cli_error_exit_code_is_documented_every_time(workdir: Path, name: str) -> None:
    case = CASES[name]
    names = {"typo": str(workdir / "typo.db"), "store": str(workdir / "store.db")}
    args = [arg.format(**names) for arg in case.args]
    runs = [_cli(*args, cwd=workdir) for _ in range(RUNS)]
    assert [run.returncode for run in runs] == [case.code] * RUNS, runs[0].stderr
    for run in runs:
        assert case.says.format(**names) in run.stderr, run.stderr
        assert "terminate called" not in run.stderr and "Traceback" not in run.stderr
        assert run.stdout == ""  # an error writes nothing a pipe would take as the result
    assert not (workdir / "typo.db").exists()  # a read command never creates a database


def test_cli_error_cases_make_200_runs() -> None:
    assert len(CASES) * RUNS == 200
    assert {case.code for case in CASES.values()} == {FAILED, USAGE}


def test_cli_models_loaded_then_some_input_failed_is_1(tmp_path: Path) -> None:
    """The path where the models (and their native threads) are loaded, then exit 1."""
    body = (
        "The harbour ferry Marlin struck the north pier on Monday after its steering failed. "
        "Divers inspected the hull and the port authority closed the terminal."
    )
    (tmp_path / "good.jsonl").write_text(json.dumps({"id": "g", "title": "Ferry", "text": body}))
    (tmp_path / "empty.txt").write_text("")
    for _ in range(2):
        run = _cli("brief", "good.jsonl", "empty.txt", "--format", "json", cwd=tmp_path)
        assert run.returncode == FAILED, run.stderr
        assert "empty.txt: [E102]" in run.stderr and "terminate called" not in run.stderr
        assert json.loads(run.stdout)["stories"]  # the readable input was still briefed

"""`newsprism brief`: exit codes, messages, --out and --force."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsprism.cli import cli
from tests.conftest import REPO

ARTICLE = (
    "Harbour bridge reopens in Vellmar\n\n"
    "The harbour bridge in Vellmar reopened on Monday after a month of repairs, the city council said.\n\n"
    '"The bridge is safe again," Mayor Ilse Varga told reporters at the opening.\n'
)


def test_cli_brief_help_lists_exit_codes() -> None:
    result = CliRunner().invoke(cli, ["brief", "--help"])
    assert result.exit_code == 0
    assert "Exit codes" in result.output


def test_cli_brief_without_inputs_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["brief"])
    assert result.exit_code == 2


def test_cli_brief_bad_format_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    result = CliRunner().invoke(cli, ["brief", str(tmp_path), "--format", "pdf"])
    assert result.exit_code == 2


def test_cli_brief_only_missing_input_fails_with_reason(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = CliRunner().invoke(cli, ["brief", str(missing)])
    assert result.exit_code == 1
    assert "nope.txt" in result.output
    assert "[E" in result.output


def test_cli_brief_some_inputs_fail_rest_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "empty.txt").write_text("")
    out = tmp_path / "brief.md"
    result = CliRunner().invoke(cli, ["brief", str(tmp_path), "--format", "md", "--out", str(out)])
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr
    assert "Vellmar" in out.read_text()


def test_cli_brief_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    out = tmp_path / "out.json"
    out.write_text("keep me")
    result = CliRunner().invoke(cli, ["brief", str(tmp_path / "a.txt"), "--out", str(out)])
    assert result.exit_code == 2
    assert out.read_text() == "keep me"
    result = CliRunner().invoke(
        cli, ["brief", str(tmp_path / "a.txt"), "--out", str(out), "--force", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert '"newsprism/brief@1"' in out.read_text()


def test_cli_every_command_has_help() -> None:
    from newsprism.cli import COMMANDS
    from newsprism.cli.evaluate import EVAL_TASKS

    runner = CliRunner()
    for name in COMMANDS:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert len(result.output) > 100
    for task in EVAL_TASKS:
        result = runner.invoke(cli, ["eval", task, "--help"])
        assert result.exit_code == 0, (task, result.output)


def test_cli_readme_documents_every_command() -> None:
    from newsprism.cli import COMMANDS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for name in COMMANDS:
        assert f"newsprism {name}" in readme, name


def _story_ids_both_ways(records: Path, tmp_path: Path) -> tuple[list[str], list[str]]:
    """The story ids `brief` gives *records*, and those a fresh store gives after `ingest`."""
    runner = CliRunner()
    briefed = runner.invoke(cli, ["brief", str(records), "--format", "json"])
    assert briefed.exit_code == 0, briefed.output
    db = str(tmp_path / f"{records.stem}.db")
    ingested = runner.invoke(cli, ["ingest", "--db", db, "--no-briefs", str(records)])
    assert ingested.exit_code == 0, ingested.output
    listed = runner.invoke(cli, ["stories", "--db", db, "--format", "json"])
    stored = sorted(s["id"] for s in json.loads(listed.output)["stories"])
    return sorted(s["id"] for s in json.loads(briefed.output)["stories"]), stored


def test_cli_brief_gives_the_story_ids_the_store_gives(tmp_path: Path) -> None:
    """Both name a story after its member read first, in either order of the same records
    (reversed, the first record read is the latest published)."""
    from newsprism import ids

    lines = (REPO / "examples" / "ferry-collision.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    assert len({r["published"] for r in records}) > 1  # dated: publication order differs
    seen = []
    for name, order in (("forward", records), ("reversed", records[::-1])):
        path = tmp_path / f"{name}.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in order) + "\n", encoding="utf-8")
        briefed, stored = _story_ids_both_ways(path, tmp_path)
        assert briefed == stored, name
        data = json.loads(CliRunner().invoke(cli, ["brief", str(path), "--format", "json"]).output)
        first = next(a for a in data["articles"] if a["source"] == order[0]["id"])
        assert ids.story_id(first["id"]) in briefed
        seen.append(briefed)
    assert seen[0] != seen[1]  # the rule is the first read member, as the store's

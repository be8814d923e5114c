"""`newsprism cluster`: output schema, exit codes and messages (click's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.cli import cli

_RECORDS = [
    {
        "id": f"r{n}",
        "title": title,
        "text": text,
        "published": "2024-03-01",
    }
    for n, (title, text) in enumerate(
        [
            (
                "Harbour bridge closed after storm",
                "The harbour bridge in Portsmouth was closed after a storm damaged cables, the council said. Engineers inspected the bridge on Monday.",
            ),
            (
                "Storm shuts Portsmouth harbour bridge",
                "Portsmouth council closed the harbour bridge after storm damage to its cables. Engineers began inspecting the bridge on Monday.",
            ),
            (
                "Nurses strike over pay in Leeds",
                "Nurses at Leeds General Infirmary walked out over pay, the Royal College of Nursing said, as talks with ministers stalled.",
            ),
        ]
    )
]


@pytest.fixture()
def jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "day.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in _RECORDS) + "\n", encoding="utf-8")
    return path


def test_cli_cluster_json_schema(jsonl: Path) -> None:
    result = CliRunner().invoke(cli, ["cluster", str(jsonl), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["schema"] == "newsprism/stories@1"
    members = sorted(sorted(s["members"]) for s in document["stories"])
    assert members == [["r0", "r1"], ["r2"]]
    assert all(s["id"].startswith("s-") and s["headline"] for s in document["stories"])


def test_cli_cluster_online_agrees(jsonl: Path) -> None:
    result = CliRunner().invoke(cli, ["cluster", str(jsonl), "--format", "json", "--online"])
    assert result.exit_code == 0, result.output
    members = sorted(sorted(s["members"]) for s in json.loads(result.stdout)["stories"])
    assert members == [["r0", "r1"], ["r2"]]


@pytest.mark.parametrize("mode", [[], ["--online"]])
def test_cli_cluster_with_embeddings(jsonl: Path, mode: list[str]) -> None:
    # The MiniLM model from its PyPI package, hash-checked: same stories on this clear input.
    result = CliRunner().invoke(
        cli, ["cluster", str(jsonl), "--format", "json", "--embeddings", *mode]
    )
    assert result.exit_code == 0, result.output
    members = sorted(sorted(s["members"]) for s in json.loads(result.stdout)["stories"])
    assert members == [["r0", "r1"], ["r2"]]


def test_cli_cluster_some_inputs_failed(jsonl: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(cli, ["cluster", str(jsonl), str(missing)])
    assert result.exit_code == 1
    assert "missing.txt" in result.stderr
    assert "could not be used" in result.stderr


def test_cli_cluster_nothing_readable(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["cluster", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "[E200]" in result.stderr
    assert "nope.txt" in result.stderr


def test_cli_cluster_refuses_to_overwrite(jsonl: Path, tmp_path: Path) -> None:
    out = tmp_path / "stories.json"
    out.write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(cli, ["cluster", str(jsonl), "--out", str(out)])
    assert result.exit_code == 2
    assert "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    forced = CliRunner().invoke(
        cli, ["cluster", str(jsonl), "--out", str(out), "--force", "--format", "json"]
    )
    assert forced.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "newsprism/stories@1"


def test_cli_cluster_usage_error() -> None:
    result = CliRunner().invoke(cli, ["cluster", "x", "--format", "xml"])
    assert result.exit_code == 2

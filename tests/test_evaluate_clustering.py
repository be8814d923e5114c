"""`newsprism eval clustering` on a JSONL of labelled articles, and `eval dedup` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.cli import cli
from newsprism.evaluate.clustering import bcubed, load_gold_jsonl
from tests.conftest import data_path

_STORIES = {
    "ferry": "The harbour ferry Marlin struck the north pier on {d} after its steering failed; "
    "the port authority closed the ferry terminal and divers inspected the Marlin hull.",
    "strike": "Hospital nurses in Westbridge began a {d} strike over wages; the nurses union "
    "said Westbridge hospital managers had refused to reopen the wage talks.",
}


def _write(path: Path, extra: dict[str, object] | None = None) -> Path:
    lines = []
    for story, template in _STORIES.items():
        for number, day in enumerate(("Monday", "Tuesday", "Wednesday")):
            record = {"id": f"{story}-{number}", "text": template.format(d=day), "story": story}
            lines.append(json.dumps(record))
    if extra is not None:
        lines.append(json.dumps(extra))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_eval_clustering_reads_plain_labelled_jsonl(tmp_path: Path) -> None:
    articles, gold = load_gold_jsonl(_write(tmp_path / "gold.jsonl"))
    assert [a.source for a in articles][:2] == ["ferry-0", "ferry-1"]
    assert all(a.story is None for a in articles)  # the gold label is not a given story
    assert gold == ["ferry"] * 3 + ["strike"] * 3
    result = CliRunner().invoke(cli, ["eval", "clustering", "--data", str(tmp_path / "gold.jsonl")])
    assert result.exit_code == 0, result.output
    assert "B-cubed P 1.000 R 1.000 F1 1.000" in result.output
    assert "stories gold 2 predicted 2" in result.output


def test_eval_clustering_names_a_line_without_label(tmp_path: Path) -> None:
    path = _write(tmp_path / "gold.jsonl", {"id": "x", "text": "No label here."})
    result = CliRunner().invoke(cli, ["eval", "clustering", "--data", str(path)])
    assert result.exit_code == 1
    assert "gold.jsonl:7" in result.output and "event_id, story or cluster" in result.output


def test_bcubed_perfect_and_all_in_one() -> None:
    assert bcubed(["a", "a", "b"], ["x", "x", "y"]) == (1.0, 1.0, 1.0)
    precision, recall, _ = bcubed(["a", "a", "a"], ["x", "x", "y"])
    assert recall == 1.0 and precision == pytest.approx(5 / 9)


@pytest.mark.slow
def test_eval_dedup_prints_recall_precision_and_ecb_check() -> None:
    root = data_path("ecbplus").parent
    result = CliRunner().invoke(cli, ["eval", "dedup", "--data", str(root), "--reprints", "40"])
    assert result.exit_code == 0, result.output
    head = result.output.splitlines()[0]
    assert "pair recall" in head and "precision" in head
    assert "distinct same-event ECB+ pairs flagged" in head

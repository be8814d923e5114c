"""`newsprism eval extraction`: the metric, the command, and the quality floor on real data."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.evaluate.extraction import command, evaluate_extraction, score_tokens
from tests.conftest import data_path

F1_FLOOR = 0.955  # trafilatura alone measured 0.948 here; we must stay above this


def test_evaluate_extraction_score_tokens() -> None:
    assert score_tokens("a b c d", "a b c d") == (1.0, 1.0, 1.0)
    assert score_tokens("a b c d", "") == (0.0, 0.0, 0.0)
    precision, recall, f1 = score_tokens("a b c d", "a b x y")
    assert (precision, recall, f1) == (0.5, 0.5, 0.5)
    # bag of words: counts matter, order does not
    assert score_tokens("a a b", "b a")[1] == pytest.approx(2 / 3)


PAGE = """<html><head><title>Budget passes</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>Budget passes</h1>
<p>The city council approved the new budget on Tuesday after a debate that lasted late into
the night, with members split along familiar lines over spending on local services.</p>
<p>Related: Ten things to know about the budget</p>
<p>Opposition members said the plan cut too deeply into libraries and parks, and promised to
bring the issue back before the next election in the spring of next year.</p></article></body></html>"""
GOLD = (
    "The city council approved the new budget on Tuesday after a debate that lasted late into "
    "the night, with members split along familiar lines over spending on local services. "
    "Opposition members said the plan cut too deeply into libraries and parks, and promised to "
    "bring the issue back before the next election in the spring of next year."
)


@pytest.fixture
def tiny_dataset(tmp_path: Path) -> Path:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(PAGE.encode("utf-8")))
    truth = {"p1": {"articleBody": GOLD, "url": "https://example.com/budget"}}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    return tmp_path


def test_evaluate_extraction_on_a_tiny_dataset(tiny_dataset: Path) -> None:
    results = evaluate_extraction(tiny_dataset)
    assert set(results) == {"newsprism", "trafilatura"}
    ours = results["newsprism"]
    assert ours["pages"] == 1
    assert ours["f1"] == pytest.approx(1.0)  # the teaser line is gone
    assert results["trafilatura"]["precision"] < 1.0  # trafilatura alone keeps it


def test_evaluate_extraction_command(tiny_dataset: Path) -> None:
    result = CliRunner().invoke(command, ["--data", str(tiny_dataset), "--json"])
    assert result.exit_code == 0, result.output
    numbers = json.loads(result.output)
    assert numbers["newsprism"]["f1"] == pytest.approx(1.0)


def test_evaluate_extraction_command_missing_data(tmp_path: Path) -> None:
    result = CliRunner().invoke(command, ["--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "ground-truth.json not found" in result.output


@pytest.mark.slow
def test_evaluate_extraction_quality_floor_scrapinghub() -> None:
    results = evaluate_extraction(data_path("scrapinghub_aeb"))
    ours, baseline = results["newsprism"], results["trafilatura"]
    assert ours["pages"] == 181
    assert ours["f1"] >= F1_FLOOR
    assert ours["f1"] > baseline["f1"]
    assert ours["precision"] > baseline["precision"]
    assert ours["recall"] >= baseline["recall"] - 0.01  # precision gained without losing recall

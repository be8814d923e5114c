"""`newsprism eval summary`: the LexRank baseline, the scorer plumbing and the quality floor."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsprism.evaluate.summary import (
    PysbdTokenizer,
    command,
    cut_words,
    evaluate_summary,
    lexrank_summary,
)
from tests.conftest import data_path
from tests.summary_stories import DAM_STORY


def _write_clusters(path):
    row = {
        "id": "dam",
        "documents": list(DAM_STORY.values()),
        "summary": "Engineers opened the floodgates of the Varna river dam on Monday after heavy "
        "rain, and about 300 families living downstream were moved to school buildings.",
    }
    path.write_text(json.dumps(row) + "\n" + json.dumps(row) + "\n", encoding="utf-8")
    return path


def test_pysbd_tokenizer_splits_sentences_and_words():
    tokenizer = PysbdTokenizer()
    sentences = tokenizer.to_sentences('Mr. Smith left at 5 p.m. on Monday. "We go," he said.')
    assert sentences == ("Mr. Smith left at 5 p.m. on Monday.", '"We go," he said.')
    assert tokenizer.to_words("It's 300 families, officials said.") == (
        "It's",
        "300",
        "families",
        "officials",
        "said",
    )


def test_lexrank_summary_fits_budget_and_is_source_text():
    documents = list(DAM_STORY.values())
    summary = lexrank_summary(documents, budget=30)
    assert 0 < len(summary.split()) <= 30
    assert summary.split()[0] in " ".join(documents)


def test_cut_words():
    assert cut_words("a  b\nc d", 3) == "a b c"


def test_evaluate_summary_on_a_small_file(tmp_path, models):
    result = evaluate_summary(_write_clusters(tmp_path / "c.jsonl"), limit=1, models=models)
    assert result["clusters"] == 1
    assert set(result["ours"]) == {"rouge1", "rouge2", "rougeL"}
    assert 0 < result["ours"]["rouge2"] <= 1
    assert result["rouge2_ratio"] > 0


def test_eval_summary_command_prints_both_systems(tmp_path):
    path = _write_clusters(tmp_path / "c.jsonl")
    outcome = CliRunner().invoke(command, ["--data", str(path), "--limit", "2"])
    assert outcome.exit_code == 0, outcome.output
    assert "clusters: 2" in outcome.output
    assert "LexRank" in outcome.output and "ROUGE-2 ratio" in outcome.output


def test_eval_summary_command_rejects_missing_file(tmp_path):
    outcome = CliRunner().invoke(command, ["--data", str(tmp_path / "missing.jsonl")])
    assert outcome.exit_code == 2


@pytest.mark.slow
def test_summary_rouge2_beats_lexrank_on_multinews_dev():
    path = data_path("multinews_dev", "clusters.jsonl")
    result = evaluate_summary(path)
    assert result["clusters"] == 100
    assert result["rouge2_ratio"] >= 1.20, result  # measured 1.228 through the shipped pipeline

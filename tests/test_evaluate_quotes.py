"""The PolNeAR quote evaluation: brat reading, scoring on a tiny corpus, and the quality floor."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.evaluate.quotes import command, evaluate_quotes, quoted_characters, read_brat
from tests.conftest import data_path

TEXT = (
    "Senator Anna Berg spoke on Monday.\n\n"
    "\u201cWe will not raise taxes this year,\u201d Berg said. \u201cNot one cent.\u201d\n\n"
    "Berg also said the plan was \u201ca disaster\u201d for the region.\n\n"
    "The weather was \u201cfine\u201d today.\n"
)


def _offsets(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def _corpus(tmp_path: Path) -> Path:
    (tmp_path / "dev" / "text").mkdir(parents=True)
    (tmp_path / "dev" / "attributions").mkdir(parents=True)
    (tmp_path / "dev" / "text" / "doc.txt").write_text(TEXT, encoding="utf-8")
    q1 = _offsets("\u201cWe will not raise taxes this year,\u201d")
    q2 = _offsets("\u201cNot one cent.\u201d")
    src = [m for m in range(len(TEXT)) if TEXT.startswith("Berg", m)]
    c3 = _offsets("the plan was \u201ca disaster\u201d for the region")
    lines = [
        f"T1\tSource {src[1]} {src[1] + 4}\tBerg",
        f"T2\tCue {src[1] + 5} {src[1] + 9}\tsaid",
        f"T3\tContent {q1[0]} {q1[1]};{q2[0]} {q2[1]}\tquote",
        "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1",
        f"T4\tSource {src[2]} {src[2] + 4}\tBerg",
        f"T5\tContent {c3[0]} {c3[1]}\tplan",
        "E2\tAttribution:T5 Content:T5 Source:T4",
    ]
    (tmp_path / "dev" / "attributions" / "doc_ab12.ann").write_text("\n".join(lines) + "\n")
    return tmp_path


def test_evaluate_quotes_reads_brat_with_discontinuous_spans(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    relations = read_brat(corpus / "dev" / "attributions" / "doc_ab12.ann")
    assert len(relations) == 2
    content, source = relations[0]
    assert len(content) == 2 and TEXT[source[0][0] : source[0][1]] == "Berg"


def test_evaluate_quotes_quoted_characters() -> None:
    inside = quoted_characters('He said "yes" and \u201cno\u201d.')
    assert "".join('He said "yes" and \u201cno\u201d.'[i] for i in sorted(inside)) == "yesno"


def test_evaluate_quotes_scores_a_tiny_corpus(tmp_path: Path) -> None:
    result = evaluate_quotes(_corpus(tmp_path))
    # One gold quote (the split quote); "a disaster" is a partial quote inside gold content,
    # "fine" has no speaker and is not reported.
    assert result["gold"] == 1 and result["recalled"] == 1
    assert result["found"] == 3 and result["correct"] == 3
    assert result["precision"] == 1.0 and result["recall"] == 1.0
    assert result["speaker_accuracy"] == 1.0


def test_evaluate_quotes_command(tmp_path: Path) -> None:
    outcome = CliRunner().invoke(command, ["--data", str(_corpus(tmp_path))])
    assert outcome.exit_code == 0, outcome.output
    assert "quote precision" in outcome.output and "speaker accuracy" in outcome.output


def test_evaluate_quotes_missing_data(tmp_path: Path) -> None:
    outcome = CliRunner().invoke(command, ["--data", str(tmp_path)])
    assert outcome.exit_code == 2 and "polnear_dev" in outcome.output


@pytest.mark.slow
def test_evaluate_quotes_polnear_floor() -> None:
    result = evaluate_quotes(data_path("polnear_dev"))
    assert result["articles"] == 84
    assert result["precision"] >= 0.92  # measured 0.941
    assert result["recall"] >= 0.94  # measured 0.961
    assert result["speaker_accuracy"] >= 0.90  # measured 0.921

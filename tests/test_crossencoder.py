"""The claim-pair cross-encoder: an opposite claim scores as a conflict, a paraphrase does not,
each distinct pair runs once, and the judge asks it only about the pairs it leaves open."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from newsprism.annotate.crossencoder import OnnxCrossEncoder, Probabilities
from newsprism.annotate.models import cross_encoder_files
from newsprism.compare.judge import judge_claims, judge_many, needs_cross_encoder
from newsprism.model import Claim, Span


@pytest.fixture(scope="module")
def cross_encoder() -> OnnxCrossEncoder:
    model, tokenizer = cross_encoder_files()
    return OnnxCrossEncoder(model, tokenizer, threads=2)


class _Recording:
    """The real cross_encoder, remembering which pairs it was asked about."""

    def __init__(self, inner: OnnxCrossEncoder) -> None:
        self.inner, self.asked = inner, []  # type: ignore[var-annotated]

    def compatibility(self, pairs: Sequence[tuple[str, str]]) -> Probabilities:
        self.asked.extend(pairs)
        return self.inner.compatibility(pairs)


def test_cross_encoder_scores_an_opposite_as_a_conflict_and_a_paraphrase_not(
    cross_encoder: OnnxCrossEncoder,
) -> None:
    premise = "The harbour ferry resumed service on Monday after the strike ended."
    paraphrase, opposite, unrelated = cross_encoder.compatibility(
        [
            (premise, "The ferry service restarted on Monday."),
            (premise, "The ferry service stayed suspended all week."),
            (premise, "The council approved a new budget for schools."),
        ]
    )
    # measured: paraphrase 0.42, opposite 0.006, unrelated 0.98 ("no conflict", not entailment)
    assert opposite < 0.05
    assert paraphrase > 0.2 and unrelated > 0.5


def test_cross_encoder_runs_each_distinct_pair_once_and_keeps_the_order(
    cross_encoder: OnnxCrossEncoder,
) -> None:
    cross_encoder.clear_cache()
    a = ("The pier was closed.", "The pier is shut.")
    b = ("The pier was closed.", "The mayor resigned.")
    rows = cross_encoder.compatibility([a, b, a])
    assert rows.dtype == np.float32 and rows.shape == (3,)
    assert rows[0] == rows[2] and rows[0] != rows[1]
    np.testing.assert_array_equal(cross_encoder.compatibility([b, a]), rows[[1, 0]])
    assert cross_encoder.compatibility([]).shape == (0,)


def _claim(text: str, article: str, negated: bool = False) -> Claim:
    words = tuple(sorted({w.strip(".").lower() for w in text.split()}))
    return Claim(
        span=Span(article_id=article, start=0, end=len(text)),
        text=text,
        sentence=0,
        lemmas=words,
        negated=negated,
    )


def test_judge_many_asks_only_about_open_pairs_and_never_corroborates_a_negation(
    cross_encoder: OnnxCrossEncoder,
) -> None:
    recording = _Recording(cross_encoder)
    a = _claim("divers inspected the hull of the ferry after it struck the pier", "a")
    same = _claim("divers inspected the ferry hull after it struck the pier", "b")
    negated = _claim(
        "divers never inspected the hull of the ferry after it struck the pier", "c", True
    )
    unrelated = _claim("the council approved the school budget", "d")
    pairs = [(a, same, 0.9), (a, negated, 0.9), (a, unrelated, 0.05)]
    verdicts = judge_many(pairs, recording)
    assert [needs_cross_encoder(*pair) for pair in pairs] == [True, False, False]
    assert recording.asked == [(same.text, a.text)]  # once, the shorter claim first
    assert verdicts[1].label == "related" and verdicts[2].label == "related"
    assert verdicts[0].label in ("same", "partial")
    assert judge_many(pairs) == [judge_claims(*pair) for pair in pairs]

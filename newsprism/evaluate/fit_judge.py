"""Fit the claim judge's logistic models on the dev half of the hand-labelled claim pairs.

`newsprism eval claims --fit` runs this and prints the block that goes into
`newsprism.data.claims`. The held-out half is never read here. Each model is a scikit-learn
logistic regression over standardised `compare.judge.FEATURES`, stored as weights in the
features' own units; its threshold is chosen on pooled out-of-fold predictions (5 folds x 5
seeds), the lowest whose precision is at least `PRECISION`, so the judge's corroboration is
trusted before it is generous.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

PRECISION = 0.90  # corroboration a reader can trust: at least 9 of 10 right on dev
REGULARISATION = 0.1  # scikit-learn's C: small, the dev half has under 300 pairs
FOLDS = 5
SEEDS = 5

Array = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Fitted:
    """A fitted model in raw feature units, its threshold and its out-of-fold scores."""

    weights: tuple[float, ...]
    intercept: float
    threshold: float
    precision: float
    recall: float


def fit(
    features: Array, positive: npt.NDArray[np.bool_], gate: npt.NDArray[np.bool_] | None = None
) -> Fitted:
    """Fit one logistic model and choose its threshold on out-of-fold predictions.

    With a *gate*, the model is fitted on the gated pairs only (those it will be asked about)
    and the others count as predicted negative, so the threshold's recall is over all pairs.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    def model() -> object:
        return make_pipeline(StandardScaler(), LogisticRegression(C=REGULARISATION, max_iter=5000))

    kept = np.ones(len(positive), dtype=bool) if gate is None else gate
    pooled_p: list[Array] = []
    for seed in range(SEEDS):
        folds = StratifiedKFold(FOLDS, shuffle=True, random_state=seed)
        out = np.zeros(len(positive))
        out[kept] = cross_val_predict(
            model(), features[kept], positive[kept], cv=folds, method="predict_proba"
        )[:, 1]
        pooled_p.append(out)
    probabilities = np.concatenate(pooled_p)
    truth = np.tile(positive, SEEDS)
    threshold, precision, recall = choose_threshold(probabilities, truth, PRECISION)
    final = model()
    final.fit(features[kept], positive[kept])  # type: ignore[attr-defined]
    scaler, regression = final[0], final[1]  # type: ignore[index]
    scale = scaler.scale_
    weights = regression.coef_[0] / scale
    intercept = float(regression.intercept_[0] - np.sum(regression.coef_[0] * scaler.mean_ / scale))
    return Fitted(tuple(float(w) for w in weights), intercept, threshold, precision, recall)


def choose_threshold(
    probabilities: Array, truth: npt.NDArray[np.bool_], precision: float
) -> tuple[float, float, float]:
    """(threshold, precision, recall): the lowest threshold whose precision is >= *precision*
    (1.0 and no recall when none is)."""
    positives = max(int(truth.sum()), 1)
    best = (1.0, 1.0, 0.0)
    for threshold in sorted(set(np.round(probabilities, 4).tolist()), reverse=True):
        chosen = probabilities >= threshold
        hit = float(truth[chosen].mean())
        if hit >= precision:
            best = (float(threshold), hit, float((truth & chosen).sum()) / positives)
    return best


def model_block(name: str, fitted: Fitted, names: Sequence[str]) -> str:
    """The Python lines for `newsprism.data.claims`."""
    weights = "".join(
        f"\n        {w:.6g},  # {n}" for w, n in zip(fitted.weights, names, strict=True)
    )
    return (
        f"{name}_MODEL: LogisticModel = (\n    ({weights}\n    ),\n    {fitted.intercept:.6g},\n)\n"
        f"# dev out-of-fold: precision {fitted.precision:.3f}, recall {fitted.recall:.3f}\n"
        f"{name}_THRESHOLD = {fitted.threshold:.4f}\n"
    )

"""Figures as intervals, and the verdict on two of them: incompatible, differing or agreeing.

A pair is `incompatible` when the intervals are disjoint (an excluded end counts: "almost 10,000"
and "at least 10,000" cannot both hold), `differing` when they overlap but the stated figures
differ ("about 2,500" vs "over 2,000") or when two ranges meet in one point only ("up to 60"
vs "at least 60": opposite bounds, both true only if the figure is exactly 60), and agreeing
otherwise; vague amounts ("dozens") only ever disagree by being disjoint. An unhedged rounded figure stands for its rounding band
(`newsprism.data.hedges.rounding_band`), so "3.7 million" and "3,712,000" differ, not clash.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from newsprism.data.hedges import OPEN_HIGH, OPEN_LOW, rounding_band
from newsprism.model import DisagreementKind, Quantity


@dataclass(frozen=True, slots=True, kw_only=True)
class Interval:
    """A figure as an interval with its stated value; `vague` amounts state no point value."""

    low: float
    high: float
    stated: tuple[float, ...]
    open_low: bool = False
    open_high: bool = False
    vague: bool = False


def interval_of(quantity: Quantity, scale: float = 1.0) -> Interval:
    """The comparable interval of a Quantity (durations scaled to days by the caller).

    An unhedged rounded figure ("3.7 million", "12,000") stands for its rounding band, so it
    differs from, but is not incompatible with, a more precise figure it rounds ("3,712,000").
    """
    band = rounding_band(quantity.text, quantity.value) if quantity.qualifier == "exact" else 0.0
    stated: tuple[float, ...] = (
        (quantity.low * scale, quantity.high * scale)
        if quantity.qualifier == "range"
        else (quantity.value * scale,)
    )
    return Interval(
        low=(quantity.low - band) * scale,
        high=(quantity.high + band) * scale,
        stated=stated,
        open_low=quantity.qualifier in OPEN_LOW,
        open_high=quantity.qualifier in OPEN_HIGH,
        vague=quantity.qualifier == "vague",
    )


def judge(a: Interval, b: Interval) -> DisagreementKind | None:
    """`incompatible` (disjoint), `differing` (overlap, different stated figures) or None."""
    if _below(a, b) or _below(b, a):
        return "incompatible"
    if a.vague or b.vague:
        return None
    if _meet_at_a_point(a, b):
        return "differing"
    if len(a.stated) != len(b.stated) or any(
        not math.isclose(x, y, rel_tol=1e-9) for x, y in zip(a.stated, b.stated, strict=True)
    ):
        return "differing"
    return None


def _meet_at_a_point(a: Interval, b: Interval) -> bool:
    """Two ranges (neither a single value) whose overlap is one value."""
    if math.isclose(a.low, a.high, rel_tol=1e-9) or math.isclose(b.low, b.high, rel_tol=1e-9):
        return False
    return math.isclose(max(a.low, b.low), min(a.high, b.high), rel_tol=1e-9)


def _below(a: Interval, b: Interval) -> bool:
    """True when all of *a* lies below all of *b*."""
    if a.high < b.low and not math.isclose(a.high, b.low, rel_tol=1e-9):
        return True
    return math.isclose(a.high, b.low, rel_tol=1e-9) and (a.open_high or b.open_low)

"""THE table of hedges: how a qualifier before (or after) a figure turns it into an interval.

A figure ``v`` with a hedge becomes ``[low, high]`` (``math.inf`` when open above). ``open_low`` /
``open_high`` say whether that end is excluded: "over 2,000" is ``(2000, inf]`` and "almost 10,000"
is ``[9000, 10000)``, so "almost 10,000" and "at least 10,000" cannot both be true.

Tolerance band of "about": ``ABOUT_TOLERANCE`` = 10 % either side ("about 2,500" -> 2,250-2,750).
Journalists round to the nearest "nice" number; 10 % covers rounding 2,380 or 2,640 to 2,500 and
still keeps "about 2,500" apart from "about 3,000". "almost"/"nearly" reach 10 % below the figure.

Vague amounts ("dozens", "hundreds") get the documented ranges in ``VAGUE_AMOUNTS``: the lowest
reading the word allows ("dozens" is at least two dozen) up to just under the next word of the
scale ("hundreds"), widened where usage stretches ("dozens" is used up to ~150 in news copy).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

ABOUT_TOLERANCE = 0.10  # "about v" = [v * 0.9, v * 1.1]

Rule = Literal["exact", "about", "almost", "at_least", "more_than", "at_most", "less_than"]


@dataclass(frozen=True, slots=True)
class HedgeRule:
    """How one qualifier bounds a figure: the interval rule and which ends are excluded."""

    qualifier: str  # the canonical name shown in a brief ("about", "over", "at least", ...)
    rule: Rule


# Hedge words written before the figure, lower case. Longest match wins (see quantities.py).
PREFIX_HEDGES: dict[str, HedgeRule] = {
    # about: a band either side
    "about": HedgeRule("about", "about"),
    "around": HedgeRule("about", "about"),
    "roughly": HedgeRule("about", "about"),
    "approximately": HedgeRule("about", "about"),
    "approx.": HedgeRule("about", "about"),
    "some": HedgeRule("about", "about"),
    "circa": HedgeRule("about", "about"),
    "an estimated": HedgeRule("about", "about"),
    "estimated": HedgeRule("about", "about"),
    "an approximate": HedgeRule("about", "about"),
    "close to": HedgeRule("almost", "almost"),
    # almost: just below
    "almost": HedgeRule("almost", "almost"),
    "nearly": HedgeRule("almost", "almost"),
    "just under": HedgeRule("almost", "almost"),
    "just shy of": HedgeRule("almost", "almost"),
    "not quite": HedgeRule("almost", "almost"),
    # at least: the figure or more
    "at least": HedgeRule("at least", "at_least"),
    "no fewer than": HedgeRule("at least", "at_least"),
    "no less than": HedgeRule("at least", "at_least"),
    "not less than": HedgeRule("at least", "at_least"),
    "a minimum of": HedgeRule("at least", "at_least"),
    # over: strictly more
    "over": HedgeRule("over", "more_than"),
    "more than": HedgeRule("over", "more_than"),
    "above": HedgeRule("over", "more_than"),
    "upwards of": HedgeRule("over", "more_than"),
    "in excess of": HedgeRule("over", "more_than"),
    "just over": HedgeRule("over", "more_than"),
    "well over": HedgeRule("over", "more_than"),
    "well above": HedgeRule("over", "more_than"),
    "just above": HedgeRule("over", "more_than"),
    "exceeding": HedgeRule("over", "more_than"),
    # at most: the figure or fewer
    "up to": HedgeRule("up to", "at_most"),
    "as many as": HedgeRule("up to", "at_most"),
    "as much as": HedgeRule("up to", "at_most"),
    "at most": HedgeRule("up to", "at_most"),
    "no more than": HedgeRule("up to", "at_most"),
    "not more than": HedgeRule("up to", "at_most"),
    "a maximum of": HedgeRule("up to", "at_most"),
    # under: strictly fewer
    "under": HedgeRule("under", "less_than"),
    "less than": HedgeRule("under", "less_than"),
    "fewer than": HedgeRule("under", "less_than"),
    "below": HedgeRule("under", "less_than"),
    "just below": HedgeRule("under", "less_than"),
}

# Hedge words written after the figure ("10,000 or more").
SUFFIX_HEDGES: dict[str, HedgeRule] = {
    "or more": HedgeRule("at least", "at_least"),
    "or so": HedgeRule("about", "about"),
    "plus": HedgeRule("at least", "at_least"),
    "or fewer": HedgeRule("up to", "at_most"),
    "or less": HedgeRule("up to", "at_most"),
}

# Qualifiers whose interval ends are excluded (used by the comparison: touching is disjoint).
OPEN_LOW: frozenset[str] = frozenset({"over"})
OPEN_HIGH: frozenset[str] = frozenset({"almost", "under"})

# Vague amounts -> (low, high). Multipliers like "several thousand" scale these by the word after.
VAGUE_AMOUNTS: dict[str, tuple[float, float]] = {
    "dozens": (24, 150),
    "scores": (40, 199),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, 999_999_999),
    "tens of millions": (20_000_000, 99_999_999),
    "hundreds of millions": (200_000_000, 999_999_999),
    "billions": (2e9, 999e9),
    "several": (3, 9),
    "a few": (2, 5),
    "a handful of": (2, 6),
    "a couple of": (2, 3),
    "many": (5, math.inf),
}
# "several hundred", "a few thousand", "several dozen": vague count x scale word.
VAGUE_MULTIPLIERS: dict[str, tuple[float, float]] = {
    "several": (3, 9),
    "a few": (2, 5),
    "a couple of": (2, 3),
    "a couple": (2, 3),
    "many": (5, 99),
}
SCALE_WORDS: dict[str, float] = {
    "dozen": 12,
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "bn": 1_000_000_000,
    "k": 1_000,
}


def interval(value: float, rule: Rule) -> tuple[float, float]:
    """The [low, high] a hedged figure allows (``math.inf`` when open above)."""
    if rule == "about":
        return value * (1 - ABOUT_TOLERANCE), value * (1 + ABOUT_TOLERANCE)
    if rule == "almost":
        return value * (1 - ABOUT_TOLERANCE), value
    if rule in ("at_least", "more_than"):
        return value, math.inf
    if rule in ("at_most", "less_than"):
        return 0.0, value
    return value, value


# Rounding: an unhedged figure written with trailing zeros or a scale word is a rounding, so it
# stands for half a unit of its last written digit either side ("3.7 million" = 3.65-3.75 million,
# "12,000" = 11,500-12,500). Small or fully written figures ("972,815", "25") are exact. The
# band never exceeds that of "about" (ABOUT_TOLERANCE): an unhedged figure is no vaguer.
ROUNDED_MIN_ZEROS = 2  # "2,500" is rounded to hundreds; "250" and "25" are taken as exact
_ROUNDED = re.compile(
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?\s*"
    r"(?P<scale>million|billion|trillion|thousand|bn|mn|m|k)?\b",
    re.IGNORECASE,
)


def rounding_band(text: str, value: float) -> float:
    """Half a unit of the last written digit of a rounded figure, or 0.0 when it reads exact.

    >>> rounding_band("3.7 million", 3.7e6), rounding_band("12,000", 12e3), rounding_band("$5", 5)
    (50000.0, 500.0, 0.0)
    """
    return min(_half_unit(text), abs(value) * ABOUT_TOLERANCE)


def _half_unit(text: str) -> float:
    match = _ROUNDED.search(text)
    if match is None:
        return 0.0
    scale_word = (match.group("scale") or "").lower()
    if scale_word:
        decimals = len(match.group("dec") or "")
        return 0.5 * 10.0**-decimals * SCALE_WORDS[scale_word]
    if match.group("dec"):
        return 0.0
    digits = match.group("int").replace(",", "")
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros < ROUNDED_MIN_ZEROS or zeros >= len(digits):
        return 0.0
    return 0.5 * 10.0**zeros

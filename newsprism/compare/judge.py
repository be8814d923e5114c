"""The judge of "same claim": do two claims state the same thing, part of it, or the opposite?

Sharing a topic is not enough. The evidence, in order:

1. figures: the same counted thing (same unit) with incompatible intervals cannot both be true;
2. polarity: a claim whose polarity differs from the other's is never `same` (its negation
   does not corroborate it);
3. content: the share of content lemmas (and named entities) the two claims have in common,
   backed by the embedding cosine of their texts. `same` when both sides' content is mostly
   shared; `partial` when the smaller claim's content lies inside the larger one, which adds
   a figure, name, place, date or clause of its own;
4. anything else is `related` (or unrelated).

Thresholds live in `newsprism.data.claims`, chosen on the dev half of the hand-labelled pairs.
No NLI model ships in a PyPI package with its weights (the candidates fetch from a hub at run
time), so the judge is these rules over spaCy's parse and the MiniLM embedder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from newsprism.compare.intervals import interval_of
from newsprism.compare.intervals import judge as judge_intervals
from newsprism.data import claims as cfg
from newsprism.model import Claim, Quantity
from newsprism.text import singular_noun

Label = Literal["same", "partial", "related", "contradicting"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    """The judge's answer for one pair, with the evidence it rests on."""

    label: Label
    reason: str
    shared: float  # shared content / content of the larger claim
    contained: float  # shared content / content of the smaller claim
    cosine: float
    conflicting_figures: tuple[tuple[Quantity, Quantity], ...] = ()


def judge_claims(a: Claim, b: Claim, cosine: float) -> Verdict:
    """Judge claim *a* against claim *b* (symmetric) given the cosine of their embeddings."""
    left, right = _content(a), _content(b)
    common = len(left & right)
    smaller, larger = sorted((len(left), len(right)))
    contained = common / smaller if smaller else 0.0
    shared = common / larger if larger else 0.0

    def verdict(
        label: Label, reason: str, figures: tuple[tuple[Quantity, Quantity], ...] = ()
    ) -> Verdict:
        return Verdict(
            label=label,
            reason=reason,
            shared=shared,
            contained=contained,
            cosine=cosine,
            conflicting_figures=figures,
        )

    close = cosine >= cfg.CONFLICT_COSINE and contained >= cfg.CONFLICT_COVERAGE
    if close:
        figures = conflicting_figures(a, b)
        if figures:
            return verdict("contradicting", "incompatible figures for one counted thing", figures)
    if a.negated != b.negated:
        # Negation detection is not yet precise enough to call a contradiction (on the dev
        # pairs every polarity-based contradiction was wrong), but it never corroborates.
        return verdict("related", "opposite polarity")
    if cosine >= cfg.SAME_COSINE and shared >= cfg.SAME_COVERAGE:
        return verdict("same", "same content")
    if cosine >= cfg.PARTIAL_COSINE and contained >= cfg.PARTIAL_COVERAGE:
        return verdict("partial", "one claim holds the other and adds to it")
    return verdict("related", "different statements")


def conflicting_figures(a: Claim, b: Claim) -> tuple[tuple[Quantity, Quantity], ...]:
    """Pairs of figures of the same kind and unit whose intervals cannot both hold."""
    found = []
    for x in a.figures:
        for y in b.figures:
            if x.kind != y.kind or _unit(x) != _unit(y) or x.kind in ("percent", "duration"):
                continue
            if judge_intervals(interval_of(x), interval_of(y)) == "incompatible":
                found.append((x, y))
    return tuple(found)


def added_content(claim: Claim, other: Claim) -> frozenset[str]:
    """What *claim* states that *other* does not: content lemmas and entities of its own."""
    return _content(claim) - _content(other)


def _content(claim: Claim) -> frozenset[str]:
    return frozenset(claim.lemmas) | frozenset(claim.entities)


def _unit(quantity: Quantity) -> str:
    return singular_noun(quantity.unit.lower()) if quantity.unit else ""

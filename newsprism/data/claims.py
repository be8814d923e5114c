"""Word lists and thresholds of claims: splitting sentences into claims (annotate/claims.py)
and judging whether two claims state the same thing (compare/judge.py).

General English news vocabulary, nothing story-specific. Thresholds were chosen on the `dev`
half of the hand-labelled claim pairs (newsprism/data/claim_pairs.jsonl) only.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that flip a claim's polarity (checked on lower-cased tokens and spaCy's "neg" arcs).
NEGATIONS: frozenset[str] = _words("not n't never no none nobody nothing neither nor without")
# Verb lemmas whose subject takes a stance against their object or complement: "refused to
# take a position" is the negative of "took a position".
# Only verbs that negate what follows them: verbs of undoing ("withdraw", "cancel", "ban")
# describe an act and are content, not polarity ("troops withdraw" is not a negation).
NEGATIVE_STANCE: frozenset[str] = _words("refuse decline deny reject refute fail veto rule")
# Of NEGATIVE_STANCE, lemmas that need a particle to be negative ("ruled out").
STANCE_PARTICLES: dict[str, str] = {"rule": "out"}
# Parts of speech whose lemmas are a claim's content (what two claims must share).
CONTENT_POS: frozenset[str] = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"})
# Lemmas that carry no claim content although tagged as content (reporting and filler).
NON_CONTENT: frozenset[str] = _words(
    """
    say tell also just even still now then there here when well really also say said
    accord report according reportedly
    """
)
MIN_CLAIM_WORDS = 4  # shorter pieces ("he said", '"..."') are fragments, not claims
MAX_ATTRIBUTION_DEPTH = 3  # "Q, X said" inside "P, Y said": deeper nesting is not seen in news
CONTRAST_COORDINATORS: frozenset[str] = _words("but yet")  # ", but" opens a second assertion

# The judge (compare/judge.py): claims this far apart in meaning are never in conflict.
CONFLICT_COSINE = 0.62  # a figure conflict counts only between claims this close
CONFLICT_COVERAGE = 0.45  # ... sharing this much of the smaller claim's content

# Logistic models over compare.judge.FEATURES: (weights in FEATURES order, intercept), in the
# features' own units. Fitted on the dev half of the hand-labelled claim pairs by
# `newsprism eval claims --fit` (scikit-learn, standardised features, C=0.1); each threshold is
# the lowest whose pooled out-of-fold precision on dev (5 folds x 5 seeds) is >= 0.90.
LogisticModel = tuple[tuple[float, ...], float]
CORROBORATES_MODEL: LogisticModel = (
    (
        5.84402,  # cosine
        1.29824,  # shared
        1.6784,  # contained
        -0.33779,  # entities
        -0.0808609,  # has_entities
        0.444431,  # figures_agree
        -1.3068,  # figures_conflict
        -0.893656,  # length_balance
        0.0706192,  # common
        -0.0464574,  # added_fewer
        0.0312178,  # added_more
        0.954956,  # text_balance
        0.397143,  # figures_equal
        -0.0950907,  # figures
    ),
    -5.50294,
)
# dev out-of-fold: precision 0.902, recall 0.652
CORROBORATES_THRESHOLD = 0.6356
SAME_MODEL: LogisticModel = (
    (
        2.62538,  # cosine
        2.73861,  # shared
        2.01144,  # contained
        -0.474109,  # entities
        -0.579359,  # has_entities
        0.0291693,  # figures_agree
        -1.0451,  # figures_conflict
        0.109224,  # length_balance
        0.0687695,  # common
        -0.106691,  # added_fewer
        -0.0551342,  # added_more
        1.22237,  # text_balance
        0.215301,  # figures_equal
        -0.1494,  # figures
    ),
    -5.38635,
)
# dev out-of-fold: precision 0.900, recall 0.687
SAME_THRESHOLD = 0.5278
# The cross-encoder (annotate/crossencoder.py) runs on pairs whose rules-only corroboration
# probability is at least this (compare.judge.judge_many). On the dev half (out of fold) floors
# of 0, 0.3 and 0.5 recall alike at precision 0.90 (0.73-0.78); in 20 multinews_dev stories 0.5
# sends 163 of 803 candidate pairs to it, 0.3 sends 372.
CROSS_ENCODER_FLOOR = 0.5
# Over FEATURES + compare.judge.CROSS_ENCODER_FEATURES, fitted on the dev pairs the rules-only
# model sends to the cross-encoder (at or above the floor); the others count as negatives.
CORROBORATES_CROSS_ENCODER_MODEL: LogisticModel = (
    (
        3.14653,  # cosine
        0.827191,  # shared
        1.24158,  # contained
        -0.277989,  # entities
        0.175978,  # has_entities
        0.200522,  # figures_agree
        -0.317237,  # figures_conflict
        0.496684,  # length_balance
        0.0450072,  # common
        0.0458287,  # added_fewer
        0.0443055,  # added_more
        0.610819,  # text_balance
        0.0520347,  # figures_equal
        -0.0108202,  # figures
        1.29425,  # compatible
    ),
    -3.83204,
)
# dev out-of-fold: precision 0.900, recall 0.777
CORROBORATES_CROSS_ENCODER_THRESHOLD = 0.6501

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
        5.4584,  # cosine
        1.3609,  # shared
        1.77891,  # contained
        -0.334433,  # entities
        -0.038129,  # has_entities
        0.46033,  # figures_agree
        -1.07833,  # figures_conflict
        -0.887244,  # length_balance
        0.0663938,  # common
        -0.0446387,  # added_fewer
        0.0294782,  # added_more
        0.928327,  # text_balance
        0.382038,  # figures_equal
        -0.10151,  # figures
    ),
    -5.44637,
)
# dev out-of-fold: precision 0.901, recall 0.664
CORROBORATES_THRESHOLD = 0.6207
SAME_MODEL: LogisticModel = (
    (
        2.27208,  # cosine
        2.79509,  # shared
        2.07717,  # contained
        -0.459318,  # entities
        -0.559055,  # has_entities
        -0.0308265,  # figures_agree
        -1.05392,  # figures_conflict
        0.109707,  # length_balance
        0.0684934,  # common
        -0.108901,  # added_fewer
        -0.0561132,  # added_more
        1.228,  # text_balance
        0.254428,  # figures_equal
        -0.147542,  # figures
    ),
    -5.24217,
)
# dev out-of-fold: precision 0.900, recall 0.689
SAME_THRESHOLD = 0.5274

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

# The judge (compare/judge.py). A pair is `same` when both claims' content is mostly shared
# and their embeddings agree; `partial` when the smaller claim's content is inside the larger.
SAME_COSINE = 0.76  # MiniLM cosine of the two claims' texts
SAME_COVERAGE = 0.50  # shared content lemmas / content lemmas of the LARGER claim
PARTIAL_COSINE = 0.65
PARTIAL_COVERAGE = 0.60  # shared content lemmas / content lemmas of the SMALLER claim
CONFLICT_COSINE = 0.62  # a polarity or figure conflict counts only between claims this close
CONFLICT_COVERAGE = 0.45  # ... sharing this much of the smaller claim's content

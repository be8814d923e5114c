"""The heaviest terms of a sparse vector, as `features.top_terms` ranks them, without a full sort.

Both clustering modes pick index terms for every article (and the online mode for every story
it touches); sorting a few hundred (weight, term) keys through a Python key function each time
was the largest single cost after feature extraction. Here the count-th largest weight is
found by sorting bare floats (in C), and only the terms at or above it are sorted: the same
list, ties broken by term.
"""

from __future__ import annotations

import math
from collections.abc import Mapping


def heaviest(vector: Mapping[str, float], count: int) -> list[str]:
    """`top_terms(vector, count)`: the *count* heaviest terms, ties broken by the term."""
    if count <= 0:
        return []
    cut = sorted(vector.values(), reverse=True)[count - 1] if len(vector) > count else -math.inf
    ranked = sorted([(-w, t) for t, w in vector.items() if w >= cut])
    return [t for _, t in ranked[:count]]


def index_terms(words: Mapping[str, float], entities: Mapping[str, float], count: int) -> list[str]:
    """`ArticleVector.index_terms`: the heaviest words and entities ("e:"-prefixed) together."""
    if count <= 0:
        return []
    values = [*words.values(), *entities.values()]
    cut = sorted(values, reverse=True)[count - 1] if len(values) > count else -math.inf
    ranked = [(-w, t) for t, w in words.items() if w >= cut]
    ranked += [(-w, "e:" + t) for t, w in entities.items() if w >= cut]
    ranked.sort()
    return [t for _, t in ranked[:count]]

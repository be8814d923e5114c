"""The heaviest terms of a sparse vector, as `features.top_terms` ranks them, without a full sort.

Both clustering modes pick index terms for every article (and the online mode for every story
it touches); sorting a few hundred (weight, term) keys through a Python key function each time
was the largest single cost after feature extraction. Here the count-th largest weight is
found on bare floats, and only the terms at or above it are sorted: the same list, ties
broken by term.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping


def heaviest(vector: Mapping[str, float], count: int) -> list[str]:
    """`top_terms(vector, count)`: the *count* heaviest terms, ties broken by the term."""
    if count <= 0:
        return []
    items = vector.items()
    if len(vector) > count:
        cut = heapq.nlargest(count, vector.values())[-1]
        items = {t: w for t, w in items if w >= cut}.items()
    return [t for _, t in sorted([(-w, t) for t, w in items])[:count]]


def index_terms(words: Mapping[str, float], entities: Mapping[str, float], count: int) -> list[str]:
    """`ArticleVector.index_terms`: the heaviest words and entities ("e:"-prefixed) together."""
    merged = dict(words)
    for term, weight in entities.items():
        merged["e:" + term] = weight
    return heaviest(merged, count)

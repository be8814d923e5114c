"""Dedup (C4): exact and near-duplicate articles, shared wire passages, one origin per copy.

`story_origins(members)` is the stage function (`find_origins` over a story's articles); see `newsprism.model.Origins`.
"""

from newsprism.dedup.origins import (
    duplicate_similarity,
    find_duplicates,
    find_origins,
    story_origins,
)
from newsprism.dedup.passages import find_passages

__all__ = [
    "duplicate_similarity",
    "find_duplicates",
    "find_origins",
    "find_passages",
    "story_origins",
]

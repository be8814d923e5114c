"""Dedup (C4): exact and near-duplicate articles, shared wire passages, one origin per copy.

`find_origins(articles)` is the stage function; see `newsprism.model.Origins`.
"""

from newsprism.dedup.origins import duplicate_similarity, find_duplicates, find_origins
from newsprism.dedup.passages import find_passages

__all__ = ["duplicate_similarity", "find_duplicates", "find_origins", "find_passages"]

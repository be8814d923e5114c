"""Typed settings of a run, with their defaults; built once at the edge (CLI, API, evals)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from newsprism.stories.config import ClusterConfig

# Everything the annotate stage can add; sentences are always split.
ANNOTATORS: tuple[str, ...] = (
    "entities",
    "quantities",
    "dates",
    "quotes",
    "claims",
    "captions",
    "vectors",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Options of one pipeline run.

    `annotators` selects what the annotate stage adds (as spaCy's `select_pipes`): evaluations
    of one stage run the shipped stages with only what that stage reads. `n_process` is the
    number of spaCy parse processes (used only for runs large enough to pay for starting them).
    """

    summary_words: int | None = None
    online: bool = False  # cluster by streaming articles in publication order (the store's way)
    annotators: tuple[str, ...] = ANNOTATORS
    n_process: int = field(default_factory=lambda: default_processes())
    cluster: ClusterConfig = field(default_factory=ClusterConfig)


def default_processes() -> int:
    """spaCy parse processes for large runs: one per core, at most 4."""
    return max(1, min(os.cpu_count() or 1, 4))


def data_root() -> Path:
    """Where the real data sets live: $NEWSPRISM_DATA, else ../shared/data (the one setting
    every `newsprism eval` and benchmark reads its default paths from)."""
    return Path(os.environ.get("NEWSPRISM_DATA") or "../shared/data")

"""What online clustering did to stories besides adding articles: merges and splits.

A store (and the cluster stage) replays these, in order, to keep each article in the story
the clusterer holds it in.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Merge:
    """Story *dropped* was folded into the older story *kept* (which keeps its id)."""

    dropped: str
    kept: str


@dataclass(frozen=True, slots=True)
class Split:
    """The articles *article_ids* left story *source* for the new story *new_id*."""

    source: str
    new_id: str
    article_ids: tuple[str, ...]


Move = Merge | Split

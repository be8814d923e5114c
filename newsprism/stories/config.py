"""`ClusterConfig`: every knob of story clustering in one typed object, defaults from data."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from newsprism.data import clustering as defaults


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterConfig:
    """Options for `cluster_articles` and `OnlineClusterer` (one default for all data)."""

    entity_weight: float = defaults.ENTITY_WEIGHT
    threshold: float = defaults.JOIN_THRESHOLD
    online_threshold: float = defaults.ONLINE_THRESHOLD
    short_text_words: int = defaults.SHORT_TEXT_WORDS
    snippet_words: int = defaults.SNIPPET_WORDS
    defer_articles: int = defaults.DEFER_ARTICLES
    confident_join: float = defaults.CONFIDENT_JOIN
    use_embeddings: bool = False
    embedding_weight: float = defaults.EMBEDDING_WEIGHT
    embedding_threshold: float = defaults.EMBEDDING_JOIN_THRESHOLD
    time_grace_days: float = defaults.TIME_GRACE_DAYS
    time_decay_days: float = defaults.TIME_DECAY_DAYS
    index_terms: int = defaults.INDEX_TERMS
    candidates: int = defaults.CANDIDATES
    batch_candidates: int = defaults.BATCH_CANDIDATES
    posting_window: int = defaults.POSTING_WINDOW
    story_terms: int = defaults.STORY_TERMS
    retire_days: float = defaults.RETIRE_DAYS
    retire_articles: int = defaults.RETIRE_ARTICLES
    max_vocabulary: int = defaults.MAX_VOCABULARY
    linkage: Literal["average", "weighted"] = defaults.LINKAGE
    reassign: bool = defaults.REASSIGN
    lone_threshold: float = defaults.LONE_THRESHOLD

    @property
    def join_threshold(self) -> float:
        """The threshold that goes with the chosen features."""
        return self.embedding_threshold if self.use_embeddings else self.threshold

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClusterConfig:
        """The inverse of `as_dict` (unknown keys are ignored, for older saved states)."""
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

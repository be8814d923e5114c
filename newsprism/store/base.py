"""The store interface: what the service layer needs from a database, and nothing more.

SQLite (default) and PostgreSQL implement this one Protocol with the same behaviour, so the CLI,
the HTTP API and the tests do not care which one they talk to.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from newsprism.changes_contract import BriefChangeDict, ChangeDict
from newsprism.contract import BriefDict
from newsprism.data.listing import DEFAULT_SORT, MARK_END, MARK_START
from newsprism.model import Article, Rejection


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryRow:
    """One story as listed: counts, dates and a snippet, not the brief.

    `outlets` counts named outlets only; articles whose input named none are listed by their
    source's file name in `unnamed_sources` and are not counted as outlets.
    """

    id: str
    headline: str
    version: int
    article_count: int
    outlets: dict[str, int] = field(default_factory=dict)
    unnamed_sources: tuple[str, ...] = ()
    first_published: str | None = None
    last_published: str | None = None
    updated_at: str = ""
    brief_fresh: bool = False
    # Plain text; a search snippet marks matched words with MARK_START/MARK_END.
    snippet: str = ""

    @property
    def outlet_count(self) -> int:
        return len(self.outlets)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "headline": self.headline,
            "article_count": self.article_count,
            "outlet_count": self.outlet_count,
            "outlets": self.outlets,
            "unnamed_sources": list(self.unnamed_sources),
            "first_published": self.first_published,
            "last_published": self.last_published,
            "updated_at": self.updated_at,
            "brief_fresh": self.brief_fresh,
            "snippet": self.snippet.replace(MARK_START, "").replace(MARK_END, ""),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryPage:
    """A page of stories and the total number matching."""

    stories: tuple[StoryRow, ...]
    total: int


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryFilter:
    """Which stories to list: each field given narrows the list (all must hold)."""

    query: str | None = None  # search syntax of newsprism.store.query
    since: str | None = None  # ISO date: an article published (else ingested) on or after it
    until: str | None = None  # ISO date: ... on or before it (with `since`: the same article)
    outlet: str | None = None  # an article from this outlet
    entity: str | None = None  # this person or organisation in the story's last brief


@dataclass(frozen=True, slots=True, kw_only=True)
class FacetValue:
    """One value of a facet and how many of the listed stories have it."""

    value: str
    count: int
    kind: str = ""  # an entity's type (PERSON, ORG, ...); empty for outlets


@dataclass(frozen=True, slots=True, kw_only=True)
class Facets:
    """Counts over the stories a filter lists, as datasette's facets: outlets and entities."""

    outlets: tuple[FacetValue, ...] = ()
    entities: tuple[FacetValue, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectionRow:
    """A stored rejected input."""

    id: int
    source: str
    reason: str
    code: str
    raw_ref: str | None
    created_at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedState:
    """What is kept of a followed feed between polls (`newsprism watch`).

    Times are ISO 8601 UTC. The next poll is due at `last_polled` plus the poll interval, and
    never before `not_before` (a server's Retry-After, or the backoff after failures).
    """

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_polled: str | None = None
    not_before: str | None = None
    failures: int = 0  # polls in a row that failed (the backoff grows with them)
    last_status: int | None = None  # HTTP status of the last poll (None: not HTTP, or no answer)
    last_error: str | None = None


class Store(Protocol):
    """A persistent newsprism store. One writer at a time, many readers.

    Writes made inside ``with store.atomic():`` commit together or not at all; a write method
    called outside `atomic` runs in a transaction of its own.
    """

    url: str

    def close(self) -> None: ...

    def atomic(self) -> AbstractContextManager[None]: ...

    def applied_migrations(self) -> list[str]: ...

    # ---- writes
    def put_raw(self, sha256: str, data: bytes, *, source: str, media_type: str) -> None: ...

    def put_article(self, article: Article, *, story_id: str) -> bool: ...

    def add_source(self, article_id: str, source: str) -> None: ...

    def put_rejection(self, rejection: Rejection, *, raw_ref: str | None = None) -> None: ...

    def touch_story(self, story_id: str, *, headline: str) -> None: ...

    def move_story(self, old_id: str, new_id: str) -> None: ...

    def move_articles(self, article_ids: Sequence[str], old_id: str, new_id: str) -> None: ...

    def set_outlet(self, article_id: str, outlet: str) -> str | None:
        """Correct an article's outlet; its story is recounted and its brief goes stale.
        Returns the story id (None for an unknown article)."""
        ...

    def put_brief(self, story_id: str, version: int, data: BriefDict) -> None: ...

    def put_clusterer_state(self, state: str, *, seq: int, name: str = "online") -> None:
        """Store the clusterer state (JSON) that has taken in every article up to *seq*."""
        ...

    def put_story_version(
        self, story_id: str, change: BriefChangeDict, *, at: str, story_version: int
    ) -> int: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def put_feed(self, state: FeedState) -> None: ...

    def mark_feed_entries(self, feed_url: str, keys: Sequence[str]) -> None: ...

    # ---- reads
    def get_meta(self, key: str) -> str | None: ...

    def has_article(self, article_id: str) -> bool: ...

    def get_article(self, article_id: str) -> Article | None: ...

    def article_story(self, article_id: str) -> str | None: ...

    def article_sources(self, article_id: str) -> list[str]: ...

    def get_raw(self, sha256: str) -> bytes | None: ...

    def story_articles(self, story_id: str) -> list[Article]: ...

    def iter_articles(self) -> Iterator[Article]: ...

    def articles_after(self, seq: int, limit: int = 500) -> list[tuple[int, Article]]:
        """Up to *limit* articles stored after ingest position *seq*, with their positions."""
        ...

    def get_story(self, story_id: str) -> StoryRow | None: ...

    def merged_story(self, story_id: str) -> str | None:
        """The story *story_id* was merged into, or None (never merged, or unknown)."""
        ...

    def get_clusterer_state(self, name: str = "online") -> tuple[int, str] | None:
        """(seq, state JSON) as last stored by `put_clusterer_state`, or None."""
        ...

    def article_seq(self, article_id: str) -> int | None: ...

    def list_stories(
        self,
        *,
        query: str | None = None,
        since: str | None = None,
        until: str | None = None,
        outlet: str | None = None,
        entity: str | None = None,
        sort: str = DEFAULT_SORT,
        limit: int = 50,
        offset: int = 0,
    ) -> StoryPage: ...

    def story_facets(self, where: StoryFilter) -> Facets: ...

    def entity_type(self, name: str) -> str | None: ...

    def get_brief(self, story_id: str) -> tuple[int, dict[str, Any]] | None: ...

    def get_brief_json(self, story_id: str) -> tuple[int, str] | None: ...

    def story_versions(
        self, story_id: str, *, since: str | None = None, latest: int | None = None
    ) -> list[ChangeDict]: ...

    def recent_versions(
        self, story_ids: Sequence[str], *, limit: int
    ) -> list[tuple[str, ChangeDict]]: ...

    def rejections(self, *, limit: int = 100) -> list[RejectionRow]: ...

    def counts(self) -> dict[str, int]: ...

    def get_feed(self, url: str) -> FeedState | None: ...

    def seen_feed_entries(self, feed_url: str, keys: Sequence[str]) -> set[str]:
        """Which of *keys* were already taken in from the feed at *feed_url*."""
        ...

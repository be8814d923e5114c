"""The store interface: what the service layer needs from a database, and nothing more.

SQLite (default) and PostgreSQL implement this one Protocol with the same behaviour, so the CLI,
the HTTP API and the tests do not care which one they talk to.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from newsprism.contract import BriefDict
from newsprism.model import Article, Rejection


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryRow:
    """One story as listed: counts and dates, not the brief."""

    id: str
    headline: str
    version: int
    article_count: int
    outlets: dict[str, int] = field(default_factory=dict)
    first_published: str | None = None
    last_published: str | None = None
    updated_at: str = ""
    brief_fresh: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "headline": self.headline,
            "article_count": self.article_count,
            "outlet_count": len(self.outlets),
            "outlets": self.outlets,
            "first_published": self.first_published,
            "last_published": self.last_published,
            "updated_at": self.updated_at,
            "brief_fresh": self.brief_fresh,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryPage:
    """A page of stories and the total number matching."""

    stories: tuple[StoryRow, ...]
    total: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectionRow:
    """A stored rejected input."""

    id: int
    source: str
    reason: str
    code: str
    raw_ref: str | None
    created_at: str


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

    def put_brief(self, story_id: str, version: int, data: BriefDict) -> None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    # ---- reads
    def get_meta(self, key: str) -> str | None: ...

    def has_article(self, article_id: str) -> bool: ...

    def get_article(self, article_id: str) -> Article | None: ...

    def article_story(self, article_id: str) -> str | None: ...

    def article_sources(self, article_id: str) -> list[str]: ...

    def get_raw(self, sha256: str) -> bytes | None: ...

    def story_articles(self, story_id: str) -> list[Article]: ...

    def iter_articles(self) -> Iterator[Article]: ...

    def get_story(self, story_id: str) -> StoryRow | None: ...

    def list_stories(
        self,
        *,
        query: str | None = None,
        since: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> StoryPage: ...

    def get_brief(self, story_id: str) -> tuple[int, dict[str, Any]] | None: ...

    def get_brief_json(self, story_id: str) -> tuple[int, str] | None: ...

    def rejections(self, *, limit: int = 100) -> list[RejectionRow]: ...

    def counts(self) -> dict[str, int]: ...

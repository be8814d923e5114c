"""The SQL both stores share; the dialects differ only in connections, placeholders and search.

Concurrency: every write runs on one connection under one lock (one writer at a time); each
reader thread gets its own connection, so reads never wait for a write (SQLite WAL, PostgreSQL
MVCC). A thread inside ``atomic()`` reads through the write connection and so sees its own writes.
"""

from __future__ import annotations

import json
import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from newsprism.contract import BriefDict
from newsprism.errors import StoreError, StoreSchemaTooNew
from newsprism.model import Article, Rejection, Removal
from newsprism.store.base import RejectionRow, StoryPage, StoryRow
from newsprism.store.migrations import MIGRATIONS, MIGRATIONS_TABLE, Dialect

logger = logging.getLogger(__name__)

_ARTICLE_COLUMNS = (
    "id, source, outlet, title, text, published, url, byline, story_hint, removed, raw_ref"
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _article_from_row(row: Any) -> Article:
    published = datetime.fromisoformat(row["published"]) if row["published"] else None
    removed = tuple(Removal(text=r["text"], reason=r["reason"]) for r in json.loads(row["removed"]))
    return Article(
        id=row["id"],
        source=row["source"],
        outlet=row["outlet"],
        title=row["title"],
        text=row["text"],
        published=published,
        url=row["url"],
        byline=row["byline"],
        story=row["story_hint"],
        removed=removed,
        raw_ref=row["raw_ref"],
    )


class SqlStore(ABC):
    """Shared implementation of `newsprism.store.base.Store`; subclasses supply the dialect."""

    dialect: Dialect
    url: str

    def __init__(self, url: str) -> None:
        self.url = url
        self._write_lock = threading.RLock()
        self._local = threading.local()
        self._readers: list[Any] = []
        self._readers_lock = threading.Lock()
        self._writer = self._connect()
        self._closed = False
        self._migrate()

    # ------------------------------------------------------------------ dialect hooks
    @abstractmethod
    def _connect(self) -> Any:
        """A new DB-API connection to `self.url`."""

    def _sql(self, sql: str) -> str:
        """Turn our `?` placeholders into the dialect's."""
        return sql

    @abstractmethod
    def _search_clause(self, query: str) -> tuple[str, list[Any]]:
        """SQL selecting `articles.seq` of articles matching *query*, and its parameters."""

    def _begin_sql(self) -> str:
        return "BEGIN"

    # ------------------------------------------------------------------ plumbing
    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._readers_lock:
            for connection in self._readers:
                connection.close()
            self._readers.clear()
        with self._write_lock:
            self._writer.close()

    def _conn(self) -> Any:
        if getattr(self._local, "depth", 0) > 0:
            return self._writer
        connection = getattr(self._local, "reader", None)
        if connection is None:
            if self._closed:
                raise StoreError(f"the store {self.url} is closed; open it again with open_store()")
            connection = self._connect()
            self._local.reader = connection
            with self._readers_lock:
                self._readers.append(connection)
        return connection

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn().execute(self._sql(sql), tuple(params))

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._execute(sql, params).fetchone()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self._execute(sql, params).fetchall())

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One transaction (a savepoint when nested); the write lock is held throughout."""
        with self._write_lock:
            depth = getattr(self._local, "depth", 0)
            name = f"sp{depth}"
            self._writer.execute(self._begin_sql() if depth == 0 else f"SAVEPOINT {name}")
            self._local.depth = depth + 1
            try:
                yield
            except BaseException:
                self._writer.execute("ROLLBACK" if depth == 0 else f"ROLLBACK TO {name}")
                raise
            else:
                self._writer.execute("COMMIT" if depth == 0 else f"RELEASE {name}")
            finally:
                self._local.depth = depth

    def _write(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self.atomic():
            return self._execute(sql, params)

    # ------------------------------------------------------------------ migrations
    def _migrate(self) -> None:
        known = [m.name for m in MIGRATIONS[self.dialect]]
        with self.atomic():
            self._execute(MIGRATIONS_TABLE)
            applied = {row["name"] for row in self._all("SELECT name FROM newsprism_migrations")}
        unknown = sorted(applied - set(known))
        if unknown:
            raise StoreSchemaTooNew(
                f"the database {self.url} has migrations this newsprism does not know "
                f"({', '.join(unknown)}); upgrade newsprism or use another --db"
            )
        for migration in MIGRATIONS[self.dialect]:
            if migration.name in applied:
                continue
            with self.atomic():
                for statement in migration.statements:
                    self._execute(statement)
                self._execute(
                    "INSERT INTO newsprism_migrations (name, applied_at) VALUES (?, ?)",
                    (migration.name, _now()),
                )
            logger.info("applied migration %s to %s", migration.name, self.url)

    def applied_migrations(self) -> list[str]:
        rows = self._all("SELECT name FROM newsprism_migrations ORDER BY name")
        return [row["name"] for row in rows]

    # ------------------------------------------------------------------ writes
    def put_raw(self, sha256: str, data: bytes, *, source: str, media_type: str) -> None:
        self._write(
            "INSERT INTO raw_inputs (sha256, data, media_type, source, received_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
            (sha256, data, media_type, source, _now()),
        )

    def put_article(self, article: Article, *, story_id: str) -> bool:
        """Store *article* in *story_id*; False (and its source recorded) when already stored."""
        with self.atomic():
            if self.has_article(article.id):
                self.add_source(article.id, article.source)
                return False
            removed = json.dumps([{"text": r.text, "reason": r.reason} for r in article.removed])
            published = article.published.isoformat() if article.published else None
            self._execute(
                f"INSERT INTO articles ({_ARTICLE_COLUMNS}, story_id, ingested_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article.id,
                    article.source,
                    article.outlet,
                    article.title,
                    article.text,
                    published,
                    article.url,
                    article.byline,
                    article.story,
                    removed,
                    article.raw_ref,
                    story_id,
                    _now(),
                ),
            )
            self.add_source(article.id, article.source)
            self._refresh_story(story_id)
            return True

    def _refresh_story(self, story_id: str) -> None:
        """Recount one story's articles and dates (indexed by story, so cheap)."""
        self._execute(
            "UPDATE stories SET "
            "article_count = (SELECT COUNT(*) FROM articles a WHERE a.story_id = stories.id), "
            "first_published = (SELECT MIN(a.published) FROM articles a "
            "WHERE a.story_id = stories.id), "
            "last_published = (SELECT MAX(a.published) FROM articles a "
            "WHERE a.story_id = stories.id), "
            "latest = COALESCE((SELECT MAX(COALESCE(a.published, a.ingested_at)) FROM articles a "
            "WHERE a.story_id = stories.id), '') WHERE id = ?",
            (story_id,),
        )

    def add_source(self, article_id: str, source: str) -> None:
        self._write(
            "INSERT INTO article_sources (article_id, source, added_at) VALUES (?, ?, ?) "
            "ON CONFLICT (article_id, source) DO NOTHING",
            (article_id, source, _now()),
        )

    def put_rejection(self, rejection: Rejection, *, raw_ref: str | None = None) -> None:
        self._write(
            "INSERT INTO rejections (source, reason, code, raw_ref, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (rejection.source, rejection.reason, rejection.code, raw_ref, _now()),
        )

    def touch_story(self, story_id: str, *, headline: str) -> None:
        """Create the story, or bump its version so its stored brief counts as stale."""
        now = _now()
        self._write(
            "INSERT INTO stories (id, headline, version, created_at, updated_at) "
            "VALUES (?, ?, 1, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "version = stories.version + 1, updated_at = excluded.updated_at, "
            "headline = CASE WHEN stories.headline = '' THEN excluded.headline "
            "ELSE stories.headline END",
            (story_id, headline, now, now),
        )

    def move_story(self, old_id: str, new_id: str) -> None:
        """Fold story *old_id* into *new_id* (a clustering merge keeps the older id)."""
        if old_id == new_id:
            return
        with self.atomic():
            row = self._one("SELECT headline FROM stories WHERE id = ?", (old_id,))
            if row is None:
                return
            self.touch_story(new_id, headline=row["headline"])
            self._execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (new_id, old_id))
            self._execute("DELETE FROM briefs WHERE story_id = ?", (old_id,))
            self._execute("DELETE FROM stories WHERE id = ?", (old_id,))
            self._refresh_story(new_id)

    def put_brief(self, story_id: str, version: int, data: BriefDict) -> None:
        with self.atomic():
            self._execute(
                "INSERT INTO briefs (story_id, version, data, computed_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (story_id) DO UPDATE SET version = excluded.version, "
                "data = excluded.data, computed_at = excluded.computed_at",
                (story_id, version, json.dumps(data, ensure_ascii=False), _now()),
            )
            headline = next(
                (s.get("headline") for s in data.get("stories", []) if s.get("id") == story_id),
                None,
            )
            if headline:
                self._execute("UPDATE stories SET headline = ? WHERE id = ?", (headline, story_id))

    def set_meta(self, key: str, value: str) -> None:
        self._write(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # ------------------------------------------------------------------ reads
    def get_meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    def has_article(self, article_id: str) -> bool:
        return self._one("SELECT 1 AS one FROM articles WHERE id = ?", (article_id,)) is not None

    def get_article(self, article_id: str) -> Article | None:
        row = self._one(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
        return None if row is None else _article_from_row(row)

    def article_story(self, article_id: str) -> str | None:
        row = self._one("SELECT story_id FROM articles WHERE id = ?", (article_id,))
        return None if row is None else str(row["story_id"])

    def article_sources(self, article_id: str) -> list[str]:
        rows = self._all(
            "SELECT source FROM article_sources WHERE article_id = ? ORDER BY added_at, source",
            (article_id,),
        )
        return [row["source"] for row in rows]

    def get_raw(self, sha256: str) -> bytes | None:
        row = self._one("SELECT data FROM raw_inputs WHERE sha256 = ?", (sha256,))
        return None if row is None else bytes(row["data"])

    def story_articles(self, story_id: str) -> list[Article]:
        rows = self._all(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE story_id = ? ORDER BY seq",
            (story_id,),
        )
        return [_article_from_row(row) for row in rows]

    def iter_articles(self) -> Iterator[Article]:
        """Every article in ingest order (used to rebuild in-memory clustering state)."""
        last = 0
        while True:
            rows = self._all(
                f"SELECT seq, {_ARTICLE_COLUMNS} FROM articles WHERE seq > ? ORDER BY seq LIMIT 500",
                (last,),
            )
            if not rows:
                return
            for row in rows:
                yield _article_from_row(row)
            last = int(rows[-1]["seq"])

    def get_story(self, story_id: str) -> StoryRow | None:
        page = self._stories("s.id = ?", [story_id], limit=1, offset=0)
        return page.stories[0] if page.stories else None

    def list_stories(
        self,
        *,
        query: str | None = None,
        since: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> StoryPage:
        conditions: list[str] = []
        params: list[Any] = []
        if query and query.strip():
            clause, clause_params = self._search_clause(query)
            conditions.append(
                f"s.id IN (SELECT m.story_id FROM articles m WHERE m.seq IN ({clause}))"
            )
            params.extend(clause_params)
        if since:
            conditions.append(
                "s.id IN (SELECT d.story_id FROM articles d "
                "WHERE COALESCE(d.published, d.ingested_at) >= ?)"
            )
            params.append(since)
        where = " AND ".join(conditions) if conditions else "1 = 1"
        return self._stories(where, params, limit=limit, offset=offset)

    def _stories(self, where: str, params: list[Any], *, limit: int, offset: int) -> StoryPage:
        total_row = self._one(
            f"SELECT COUNT(*) AS n FROM stories s WHERE s.article_count > 0 AND {where}", params
        )
        rows = self._all(
            "SELECT s.id, s.headline, s.version, s.updated_at, s.article_count AS n, "
            "s.first_published, s.last_published, b.version AS brief_version "
            "FROM stories s LEFT JOIN briefs b ON b.story_id = s.id "
            f"WHERE s.article_count > 0 AND {where} ORDER BY s.latest DESC, s.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        outlets: dict[str, dict[str, int]] = {row["id"]: {} for row in rows}
        if outlets:
            marks = ", ".join("?" for _ in outlets)
            # Plain-text inputs name no outlet ("unknown"): count those by their source.
            for row in self._all(
                "SELECT story_id, CASE WHEN outlet IN ('', 'unknown') THEN source ELSE outlet END "
                "AS outlet, COUNT(*) AS n FROM articles "
                f"WHERE story_id IN ({marks}) GROUP BY 1, 2 ORDER BY 1, 2",
                list(outlets),
            ):
                outlets[row["story_id"]][row["outlet"]] = int(row["n"])
        stories = tuple(
            StoryRow(
                id=row["id"],
                headline=row["headline"],
                version=int(row["version"]),
                article_count=int(row["n"]),
                outlets=outlets[row["id"]],
                first_published=row["first_published"],
                last_published=row["last_published"],
                updated_at=row["updated_at"],
                brief_fresh=row["brief_version"] == row["version"],
            )
            for row in rows
        )
        return StoryPage(stories=stories, total=int(total_row["n"]))

    def get_brief(self, story_id: str) -> tuple[int, dict[str, Any]] | None:
        raw = self.get_brief_json(story_id)
        if raw is None:
            return None
        data: dict[str, Any] = json.loads(raw[1])
        return raw[0], data

    def get_brief_json(self, story_id: str) -> tuple[int, str] | None:
        """The stored brief as JSON text (served as is, without a parse and re-encode)."""
        row = self._one("SELECT version, data FROM briefs WHERE story_id = ?", (story_id,))
        return None if row is None else (int(row["version"]), str(row["data"]))

    def rejections(self, *, limit: int = 100) -> list[RejectionRow]:
        rows = self._all(
            "SELECT id, source, reason, code, raw_ref, created_at FROM rejections "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            RejectionRow(
                id=int(row["id"]),
                source=row["source"],
                reason=row["reason"],
                code=row["code"],
                raw_ref=row["raw_ref"],
                created_at=row["created_at"],
            )
            for row in rows
        ]

    def counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for table in ("articles", "stories", "rejections", "raw_inputs", "briefs"):
            row = self._one(f"SELECT COUNT(*) AS n FROM {table}")
            result[table] = int(row["n"])
        return result

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
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from newsprism.changes_contract import BriefChangeDict, ChangeDict
from newsprism.contract import BriefDict
from newsprism.data.listing import (
    DEFAULT_SORT,
    FACET_LIMIT,
    LEAD_CHARS,
    MARK_START,
    STORY_SORTS,
)
from newsprism.errors import StoreError, StoreSchemaTooNew
from newsprism.model import Article, Rejection, Removal
from newsprism.outlets import source_file_name
from newsprism.store.base import (
    Facets,
    FacetValue,
    FeedState,
    RejectionRow,
    StoryFilter,
    StoryPage,
    StoryRow,
)
from newsprism.store.migrations import MIGRATIONS, MIGRATIONS_TABLE, Dialect
from newsprism.store.query import SearchQuery, parse_query

logger = logging.getLogger(__name__)

_ARTICLE_COLUMNS = (
    "id, source, outlet, title, text, published, url, byline, story_hint, removed, raw_ref"
)
# Outlets stored for inputs that named none (see newsprism.outlets.UNKNOWN_OUTLETS).
_NAMED = "outlet NOT IN ('', 'unknown')"
# Newest news first; stories without a publication date after every dated one, the most
# recently ingested of them first (never in id order: an id is a hash).
_NEWEST = "(s.last_published IS NULL), s.last_published DESC, s.last_seq DESC, s.id"
_ORDER = {
    "newest": _NEWEST,
    "outlets": f"s.outlet_count DESC, s.article_count DESC, {_NEWEST}",
    "articles": f"s.article_count DESC, s.outlet_count DESC, {_NEWEST}",
}


# Keys looked up per query: far under SQLite's 32,766 bound variables, and a feed's entries
# (a few dozen) fit in one.
_KEYS_PER_QUERY = 500


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
    def _search_clause(self, query: SearchQuery) -> tuple[str, list[Any]]:
        """SQL selecting `articles.seq` of articles matching *query* (not empty), and its
        parameters."""

    @abstractmethod
    def _search_snippets(self, query: SearchQuery, story_ids: list[str]) -> dict[str, str]:
        """For each of *story_ids*, the snippet of its best-matching article, matched words
        between MARK_START and MARK_END."""

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
            "WHERE a.story_id = stories.id), ''), "
            "outlet_count = (SELECT COUNT(DISTINCT a.outlet) FROM articles a "
            f"WHERE a.story_id = stories.id AND a.{_NAMED}), "
            "last_seq = COALESCE((SELECT MAX(a.seq) FROM articles a "
            "WHERE a.story_id = stories.id), 0) WHERE id = ?",
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

    def set_outlet(self, article_id: str, outlet: str) -> str | None:
        with self.atomic():
            story_id = self.article_story(article_id)
            if story_id is None:
                return None
            self._execute("UPDATE articles SET outlet = ? WHERE id = ?", (outlet, article_id))
            headline = self._one("SELECT headline FROM stories WHERE id = ?", (story_id,))
            self.touch_story(story_id, headline=headline["headline"] if headline else "")
            self._refresh_story(story_id)
            return story_id

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
            self._execute("DELETE FROM story_entities WHERE story_id = ?", (old_id,))
            # The merged story's history ends here: the next version of *new_id* lists its
            # articles as new.
            self._execute("DELETE FROM story_versions WHERE story_id = ?", (old_id,))
            self._execute("DELETE FROM stories WHERE id = ?", (old_id,))
            # Old URLs keep working (301): stories merged into *old_id* before now lead on.
            self._execute("UPDATE story_merges SET new_id = ? WHERE new_id = ?", (new_id, old_id))
            self._execute(
                "INSERT INTO story_merges (old_id, new_id, merged_at) VALUES (?, ?, ?) "
                "ON CONFLICT (old_id) DO UPDATE SET new_id = excluded.new_id, "
                "merged_at = excluded.merged_at",
                (old_id, new_id, _now()),
            )
            self._refresh_story(new_id)

    def move_articles(self, article_ids: Sequence[str], old_id: str, new_id: str) -> None:
        """Move the stored *article_ids* of story *old_id* to *new_id* (a clustering split:
        *new_id* is created, or lives again when it was merged away before); both briefs go
        stale. Articles not stored, or stored in another story, are left alone."""
        if old_id == new_id:
            return
        if not article_ids:
            return
        marks = ", ".join("?" for _ in article_ids)
        with self.atomic():
            rows = self._all(
                f"SELECT title FROM articles WHERE story_id = ? AND id IN ({marks}) ORDER BY seq",
                [old_id, *article_ids],
            )
            if not rows:
                return
            self.touch_story(new_id, headline=rows[0]["title"])
            self._execute("DELETE FROM story_merges WHERE old_id = ?", (new_id,))
            self._execute(
                f"UPDATE articles SET story_id = ? WHERE story_id = ? AND id IN ({marks})",
                [new_id, old_id, *article_ids],
            )
            self.touch_story(old_id, headline="")
            self._refresh_story(old_id)
            self._refresh_story(new_id)

    def merged_story(self, story_id: str) -> str | None:
        """The story *story_id* was merged into (its articles now live there), or None."""
        row = self._one("SELECT new_id FROM story_merges WHERE old_id = ?", (story_id,))
        return None if row is None else str(row["new_id"])

    def put_clusterer_state(self, state: str, *, seq: int, name: str = "online") -> None:
        """Store the clusterer state *state* (JSON), which has taken in every article up to
        ingest position *seq*; call it in the transaction that stored those articles."""
        self._write(
            "INSERT INTO clusterer_state (name, seq, state, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, state = excluded.state, "
            "updated_at = excluded.updated_at",
            (name, seq, state, _now()),
        )

    def get_clusterer_state(self, name: str = "online") -> tuple[int, str] | None:
        """(seq, state JSON) as last stored by `put_clusterer_state`, or None."""
        row = self._one("SELECT seq, state FROM clusterer_state WHERE name = ?", (name,))
        return None if row is None else (int(row["seq"]), str(row["state"]))

    def article_seq(self, article_id: str) -> int | None:
        """The ingest position of a stored article, or None."""
        row = self._one("SELECT seq FROM articles WHERE id = ?", (article_id,))
        return None if row is None else int(row["seq"])

    def put_brief(self, story_id: str, version: int, data: BriefDict) -> None:
        with self.atomic():
            self._execute(
                "INSERT INTO briefs (story_id, version, data, computed_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (story_id) DO UPDATE SET version = excluded.version, "
                "data = excluded.data, computed_at = excluded.computed_at",
                (story_id, version, json.dumps(data, ensure_ascii=False), _now()),
            )
            story = next((s for s in data["stories"] if s["id"] == story_id), None)
            if story is not None and story["headline"]:
                self._execute(
                    "UPDATE stories SET headline = ? WHERE id = ?", (story["headline"], story_id)
                )
            self._put_entities(story_id, list(story["entities"]) if story is not None else [])

    def _put_entities(self, story_id: str, entities: Sequence[Mapping[str, Any]]) -> None:
        """Index the people and organisations of a story's brief (entity pages and facets)."""
        self._execute("DELETE FROM story_entities WHERE story_id = ?", (story_id,))
        seen: set[str] = set()
        for entity in entities:
            name = str(entity.get("name") or "").strip()
            if not name or name in seen:
                continue
            seen.add(name)
            self._execute(
                "INSERT INTO story_entities (story_id, name, type, mentions) VALUES (?, ?, ?, ?)",
                (story_id, name, str(entity.get("type") or ""), int(entity.get("mentions") or 0)),
            )

    def put_story_version(
        self, story_id: str, change: BriefChangeDict, *, at: str, story_version: int
    ) -> int:
        """Record the next version of *story_id*'s brief: what it changed, recorded at *at*
        (`newsprism.changes.moment_text`), made from story version *story_version*. Returns
        the version's number (1, 2, ... per story)."""
        with self.atomic():
            row = self._one(
                "SELECT COALESCE(MAX(version), 0) AS n FROM story_versions WHERE story_id = ?",
                (story_id,),
            )
            number = int(row["n"]) + 1
            self._execute(
                "INSERT INTO story_versions "
                "(story_id, version, at, story_version, headline, changes) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    story_id,
                    number,
                    at,
                    story_version,
                    change["headline_after"],
                    json.dumps(change, ensure_ascii=False),
                ),
            )
        return number

    def set_meta(self, key: str, value: str) -> None:
        self._write(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def put_feed(self, state: FeedState) -> None:
        """Store (insert or replace) the state of one followed feed."""
        self._write(
            "INSERT INTO feeds (url, etag, last_modified, last_polled, not_before, failures, "
            "last_status, last_error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, last_polled = excluded.last_polled, "
            "not_before = excluded.not_before, failures = excluded.failures, "
            "last_status = excluded.last_status, last_error = excluded.last_error, "
            "updated_at = excluded.updated_at",
            (
                state.url,
                state.etag,
                state.last_modified,
                state.last_polled,
                state.not_before,
                state.failures,
                state.last_status,
                state.last_error,
                _now(),
            ),
        )

    def mark_feed_entries(self, feed_url: str, keys: Sequence[str]) -> None:
        """Record *keys* as taken in from the feed at *feed_url* (again: no change)."""
        with self.atomic():
            now = _now()
            for key in keys:
                self._execute(
                    "INSERT INTO feed_entries (feed_url, entry_key, seen_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (feed_url, entry_key) DO NOTHING",
                    (feed_url, key, now),
                )

    # ------------------------------------------------------------------ reads
    def get_feed(self, url: str) -> FeedState | None:
        row = self._one(
            "SELECT url, etag, last_modified, last_polled, not_before, failures, last_status, "
            "last_error FROM feeds WHERE url = ?",
            (url,),
        )
        if row is None:
            return None
        return FeedState(
            url=row["url"],
            etag=row["etag"],
            last_modified=row["last_modified"],
            last_polled=row["last_polled"],
            not_before=row["not_before"],
            failures=int(row["failures"]),
            last_status=None if row["last_status"] is None else int(row["last_status"]),
            last_error=row["last_error"],
        )

    def seen_feed_entries(self, feed_url: str, keys: Sequence[str]) -> set[str]:
        seen: set[str] = set()
        unique = sorted(set(keys))
        for start in range(0, len(unique), _KEYS_PER_QUERY):
            chunk = unique[start : start + _KEYS_PER_QUERY]
            marks = ", ".join("?" for _ in chunk)
            rows = self._all(
                f"SELECT entry_key FROM feed_entries WHERE feed_url = ? AND entry_key IN ({marks})",
                [feed_url, *chunk],
            )
            seen.update(str(row["entry_key"]) for row in rows)
        return seen

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

    def articles_after(self, seq: int, limit: int = 500) -> list[tuple[int, Article]]:
        rows = self._all(
            f"SELECT seq, {_ARTICLE_COLUMNS} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
            (seq, limit),
        )
        return [(int(row["seq"]), _article_from_row(row)) for row in rows]

    def get_story(self, story_id: str) -> StoryRow | None:
        page = self._stories("s.id = ?", [story_id], limit=1, offset=0)
        return page.stories[0] if page.stories else None

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
    ) -> StoryPage:
        """Stories matching every filter given, in *sort* order (see data.listing.STORY_SORTS).

        With *query*, each story's snippet is from its best-matching article, matches marked.
        """
        if sort not in _ORDER:
            raise StoreError(f"unknown story sort {sort!r}; use one of: {', '.join(STORY_SORTS)}")
        where = StoryFilter(query=query, since=since, until=until, outlet=outlet, entity=entity)
        clause, params = self._filter_sql(where)
        page = self._stories(clause, params, limit=limit, offset=offset, order=_ORDER[sort])
        parsed = parse_query(query) if query and query.strip() else None
        if parsed is None or parsed.empty or not page.stories:
            return page
        snippets = self._search_snippets(parsed, [s.id for s in page.stories])
        stories = tuple(
            _with_snippet(s, snippets[s.id]) if snippets.get(s.id) else s for s in page.stories
        )
        return StoryPage(stories=stories, total=page.total)

    def _filter_sql(self, where: StoryFilter) -> tuple[str, list[Any]]:
        """SQL conditions on stories `s` for *where*, and their parameters."""
        conditions: list[str] = []
        params: list[Any] = []
        if where.query and where.query.strip():
            parsed = parse_query(where.query)
            if parsed.empty:
                return "1 = 0", []
            clause, clause_params = self._search_clause(parsed)
            conditions.append(
                f"s.id IN (SELECT m.story_id FROM articles m WHERE m.seq IN ({clause}))"
            )
            params.extend(clause_params)
        dated = "COALESCE(d.published, d.ingested_at)"
        spans: list[str] = []
        if where.since:
            spans.append(f"{dated} >= ?")
            params.append(where.since)
        if where.until:
            # Compare as many characters as given: until 2022-01-05 keeps 2022-01-05T18:00.
            spans.append(f"substr({dated}, 1, length(CAST(? AS TEXT))) <= ?")
            params.extend([where.until, where.until])
        if spans:
            conditions.append(
                f"s.id IN (SELECT d.story_id FROM articles d WHERE {' AND '.join(spans)})"
            )
        if where.outlet:
            conditions.append("s.id IN (SELECT o.story_id FROM articles o WHERE o.outlet = ?)")
            params.append(where.outlet)
        if where.entity:
            conditions.append("s.id IN (SELECT e.story_id FROM story_entities e WHERE e.name = ?)")
            params.append(where.entity)
        return (" AND ".join(conditions) if conditions else "1 = 1"), params

    def story_facets(self, where: StoryFilter) -> Facets:
        """How many of the stories *where* lists have each outlet and each entity (top ones)."""
        clause, params = self._filter_sql(where)
        listed = f"SELECT s.id FROM stories s WHERE s.article_count > 0 AND {clause}"
        outlets = self._all(
            "SELECT a.outlet AS value, COUNT(DISTINCT a.story_id) AS n FROM articles a "
            f"WHERE a.{_NAMED} AND a.story_id IN ({listed}) "
            "GROUP BY a.outlet ORDER BY n DESC, a.outlet LIMIT ?",
            [*params, FACET_LIMIT],
        )
        entities = self._all(
            "SELECT e.name AS value, MIN(e.type) AS kind, COUNT(*) AS n FROM story_entities e "
            f"WHERE e.story_id IN ({listed}) GROUP BY e.name ORDER BY n DESC, e.name LIMIT ?",
            [*params, FACET_LIMIT],
        )
        return Facets(
            outlets=tuple(FacetValue(value=r["value"], count=int(r["n"])) for r in outlets),
            entities=tuple(
                FacetValue(value=r["value"], count=int(r["n"]), kind=r["kind"]) for r in entities
            ),
        )

    def entity_type(self, name: str) -> str | None:
        """The type of the entity *name* in any stored brief (None: no brief names it)."""
        row = self._one("SELECT MIN(type) AS kind FROM story_entities WHERE name = ?", (name,))
        return None if row is None or row["kind"] is None else str(row["kind"])

    def _stories(
        self,
        where: str,
        params: list[Any],
        *,
        limit: int,
        offset: int,
        order: str = _NEWEST,
    ) -> StoryPage:
        total_row = self._one(
            f"SELECT COUNT(*) AS n FROM stories s WHERE s.article_count > 0 AND {where}", params
        )
        rows = self._all(
            "SELECT s.id, s.headline, s.version, s.updated_at, s.article_count AS n, "
            "s.first_published, s.last_published, b.version AS brief_version, "
            "(SELECT substr(f.text, 1, ?) FROM articles f WHERE f.story_id = s.id "
            "ORDER BY f.seq LIMIT 1) AS lead "
            "FROM stories s LEFT JOIN briefs b ON b.story_id = s.id "
            f"WHERE s.article_count > 0 AND {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [LEAD_CHARS + 40, *params, limit, offset],
        )
        named, unnamed = self._story_outlets([row["id"] for row in rows])
        stories = tuple(
            StoryRow(
                id=row["id"],
                headline=row["headline"],
                version=int(row["version"]),
                article_count=int(row["n"]),
                outlets=named[row["id"]],
                unnamed_sources=tuple(unnamed[row["id"]]),
                first_published=row["first_published"],
                last_published=row["last_published"],
                updated_at=row["updated_at"],
                brief_fresh=row["brief_version"] == row["version"],
                snippet=_lead(row["lead"] or ""),
            )
            for row in rows
        )
        return StoryPage(stories=stories, total=int(total_row["n"]))

    def _story_outlets(
        self, story_ids: list[str]
    ) -> tuple[dict[str, dict[str, int]], dict[str, list[str]]]:
        """Per story: named outlets with their article counts, and the file names of the
        sources of articles that name no outlet."""
        named: dict[str, dict[str, int]] = {story_id: {} for story_id in story_ids}
        unnamed: dict[str, list[str]] = {story_id: [] for story_id in story_ids}
        if not story_ids:
            return named, unnamed
        marks = ", ".join("?" for _ in story_ids)
        for row in self._all(
            f"SELECT story_id, outlet, source, {_NAMED} AS named FROM articles "
            f"WHERE story_id IN ({marks}) ORDER BY story_id, outlet, seq",
            story_ids,
        ):
            if row["named"]:
                counts = named[row["story_id"]]
                counts[row["outlet"]] = counts.get(row["outlet"], 0) + 1
            else:
                unnamed[row["story_id"]].append(source_file_name(row["source"]))
        return named, unnamed

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

    def story_versions(
        self, story_id: str, *, since: str | None = None, latest: int | None = None
    ) -> list[ChangeDict]:
        """The versions of *story_id* recorded after *since* (moment_text; None: all), oldest
        first; only the *latest* ones when given."""
        sql = (
            "SELECT version, at, changes FROM story_versions WHERE story_id = ? AND at > ? "
            "ORDER BY version DESC"
        )
        params: list[Any] = [story_id, since or ""]
        if latest is not None:
            sql += " LIMIT ?"
            params.append(latest)
        rows = self._all(sql, params)
        return [_change_from_row(row) for row in reversed(rows)]

    def recent_versions(
        self, story_ids: Sequence[str], *, limit: int
    ) -> list[tuple[str, ChangeDict]]:
        """The latest *limit* versions of any of *story_ids*, newest first, with their story."""
        if not story_ids:
            return []
        marks = ", ".join("?" for _ in story_ids)
        rows = self._all(
            "SELECT story_id, version, at, changes FROM story_versions "
            f"WHERE story_id IN ({marks}) ORDER BY at DESC, story_id, version DESC LIMIT ?",
            [*story_ids, limit],
        )
        return [(str(row["story_id"]), _change_from_row(row)) for row in rows]

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


def _lead(text: str) -> str:
    """The opening of an article as a snippet: whole lines joined, cut at a word."""
    flat = " ".join(text.split())
    if len(flat) <= LEAD_CHARS:
        return flat
    cut = flat[:LEAD_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def _change_from_row(row: Any) -> ChangeDict:
    change: BriefChangeDict = json.loads(row["changes"])  # written by put_story_version
    change.setdefault("removed_articles", [])  # versions stored before the list existed
    return {"version": int(row["version"]), "at": str(row["at"]), **change}


def _with_snippet(story: StoryRow, snippet: str) -> StoryRow:
    return replace(story, snippet=" ".join(snippet.split()))


def best_snippets(rows: list[Any]) -> dict[str, str]:
    """Per story, the first snippet of *rows* (best match first) that marks a match."""
    best: dict[str, str] = {}
    for row in rows:
        story_id, snippet = row["story_id"], str(row["snip"] or "")
        if story_id not in best or (MARK_START in snippet and MARK_START not in best[story_id]):
            best[story_id] = snippet
    return best

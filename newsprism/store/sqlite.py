"""The default store: one SQLite file in WAL mode, FTS5 full-text search."""

from __future__ import annotations

import sqlite3
from typing import Any

from newsprism.data.listing import MARK_END, MARK_START, SNIPPET_WORDS
from newsprism.store.migrations import Dialect
from newsprism.store.query import SearchQuery, to_fts5
from newsprism.store.sql import SqlStore, best_snippets


class SqliteStore(SqlStore):
    """A store in one SQLite file (`path`), safe for one writer and many reader threads."""

    dialect: Dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(path)

    def _connect(self) -> Any:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves (see SqlStore.atomic).
        connection = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30
        )
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before we answer, so an acknowledged article survives a crash.
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("PRAGMA busy_timeout=30000")
        return connection

    def _begin_sql(self) -> str:
        # Take the write lock at once, so two processes never deadlock upgrading read locks.
        return "BEGIN IMMEDIATE"

    def _search_clause(self, query: SearchQuery) -> tuple[str, list[Any]]:
        # to_fts5 quotes every word: user input never reaches FTS5 syntax (NEAR, columns, ^).
        return "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [to_fts5(query)]

    def _search_snippets(self, query: SearchQuery, story_ids: list[str]) -> dict[str, str]:
        marks = ", ".join("?" for _ in story_ids)
        rows = self._all(
            "SELECT a.story_id, snippet(articles_fts, 1, ?, ?, ' … ', ?) AS snip "
            "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
            f"WHERE articles_fts MATCH ? AND a.story_id IN ({marks}) "
            "ORDER BY bm25(articles_fts, 4.0, 1.0)",
            [MARK_START, MARK_END, SNIPPET_WORDS, to_fts5(query), *story_ids],
        )
        return best_snippets(rows)

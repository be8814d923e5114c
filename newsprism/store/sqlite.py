"""The default store: one SQLite file in WAL mode, FTS5 full-text search."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from newsprism.store.migrations import Dialect
from newsprism.store.sql import SqlStore

_WORD = re.compile(r"\w+", re.UNICODE)


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

    def _search_clause(self, query: str) -> tuple[str, list[Any]]:
        # Quote every word: user input never reaches FTS5 query syntax (AND, NEAR, *, columns).
        words = _WORD.findall(query)
        if not words:
            return "SELECT seq FROM articles WHERE 1 = 0", []
        match = " ".join('"' + word.replace('"', "") + '"' for word in words)
        return "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [match]

"""The PostgreSQL store (psycopg 3): same behaviour as SQLite, tsvector full-text search."""

from __future__ import annotations

from typing import Any

from newsprism.errors import StoreError
from newsprism.store.migrations import Dialect
from newsprism.store.sql import SqlStore


class PostgresStore(SqlStore):
    """A store in a PostgreSQL database given by a ``postgresql://`` URL."""

    dialect: Dialect = "postgres"

    def _connect(self) -> Any:
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError as error:  # the postgres extra is optional
            raise StoreError(
                "PostgreSQL needs psycopg; install it with: pip install 'newsprism[postgres]'"
            ) from error
        try:
            # autocommit: we issue BEGIN/COMMIT ourselves (see SqlStore.atomic).
            return psycopg.connect(self.url, autocommit=True, row_factory=dict_row)
        except psycopg.OperationalError as error:
            raise StoreError(
                f"cannot connect to PostgreSQL at {_redact(self.url)}: {error}; check the URL "
                "and that the server is running"
            ) from error

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def _search_clause(self, query: str) -> tuple[str, list[Any]]:
        return "SELECT seq FROM articles WHERE search @@ plainto_tsquery('english', ?)", [query]


def _redact(url: str) -> str:
    """The URL without its password, for error messages."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"

"""The PostgreSQL store (psycopg 3): same behaviour as SQLite, tsvector full-text search."""

from __future__ import annotations

from typing import Any

from newsprism.data.listing import MARK_END, MARK_START, SNIPPET_WORDS
from newsprism.errors import StoreError
from newsprism.store.migrations import Dialect
from newsprism.store.query import SearchQuery, to_tsquery
from newsprism.store.sql import SqlStore, best_snippets

# ts_headline options: our marks around matches, one fragment of about SNIPPET_WORDS words.
_HEADLINE = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxFragments=1, "
    f'MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, FragmentDelimiter=" … "'
)


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

    def _search_clause(self, query: SearchQuery) -> tuple[str, list[Any]]:
        # to_tsquery gets quoted words only (see newsprism.store.query): never a syntax error.
        return "SELECT seq FROM articles WHERE search @@ to_tsquery('english', ?)", [
            to_tsquery(query)
        ]

    def _search_snippets(self, query: SearchQuery, story_ids: list[str]) -> dict[str, str]:
        marks = ", ".join("?" for _ in story_ids)
        rows = self._all(
            "SELECT a.story_id, ts_headline('english', a.text, q, ?) AS snip "
            "FROM articles a, to_tsquery('english', ?) q "
            f"WHERE a.search @@ q AND a.story_id IN ({marks}) "
            "ORDER BY ts_rank(a.search, q) DESC, a.seq",
            [_HEADLINE, to_tsquery(query), *story_ids],
        )
        return best_snippets(rows)


def _redact(url: str) -> str:
    """The URL without its password, for error messages."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"

"""newsprism.store: where articles, raw inputs, rejections, stories and briefs persist.

``open_store(url_or_path)`` returns a `Store`: SQLite for a path (the default), PostgreSQL for a
``postgresql://`` URL.
"""

from __future__ import annotations

import os
from pathlib import Path

from newsprism.store.base import (
    Facets,
    FacetValue,
    FeedState,
    RejectionRow,
    Store,
    StoryFilter,
    StoryPage,
    StoryRow,
)

__all__ = [
    "DEFAULT_DB",
    "FacetValue",
    "Facets",
    "FeedState",
    "RejectionRow",
    "Store",
    "StoryFilter",
    "StoryPage",
    "StoryRow",
    "open_store",
    "resolve_db",
]

DEFAULT_DB = "newsprism.db"


def resolve_db(value: str | None) -> str:
    """The database to use: *value*, else ``$NEWSPRISM_DB``, else ./newsprism.db."""
    return value or os.environ.get("NEWSPRISM_DB") or DEFAULT_DB


def open_store(url_or_path: str | Path) -> Store:
    """Open (creating and migrating if needed) the store at *url_or_path*.

    Args:
        url_or_path: a SQLite file path, or a ``postgresql://`` / ``postgres://`` URL.

    Returns:
        A `Store`; close it with ``store.close()``.

    Raises:
        StoreError: the database cannot be opened.
        StoreSchemaTooNew: the database was written by a newer newsprism.
    """
    target = str(url_or_path)
    if target.startswith(("postgresql://", "postgres://")):
        from newsprism.store.postgres import PostgresStore

        return PostgresStore(target)
    from newsprism.store.sqlite import SqliteStore

    if target != ":memory:":
        Path(target).expanduser().parent.mkdir(parents=True, exist_ok=True)
    return SqliteStore(str(Path(target).expanduser()) if target != ":memory:" else target)

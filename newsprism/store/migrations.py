"""Named schema migrations, one list per dialect, each applied once in its own transaction.

A migration is recorded in ``newsprism_migrations`` in the same transaction that applies it, so
a crash leaves either the whole migration or none of it. A database that records a migration
this code does not know was written by a newer newsprism: we refuse to touch it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Dialect = Literal["sqlite", "postgres"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Migration:
    """One schema change: a stable name and the statements that make it."""

    name: str
    statements: tuple[str, ...]


_SQLITE_INITIAL = (
    """CREATE TABLE raw_inputs (
        sha256 TEXT PRIMARY KEY, data BLOB NOT NULL, media_type TEXT NOT NULL,
        source TEXT NOT NULL, received_at TEXT NOT NULL)""",
    """CREATE TABLE stories (
        id TEXT PRIMARY KEY, headline TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
    """CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
        story_id TEXT NOT NULL REFERENCES stories(id), source TEXT NOT NULL, outlet TEXT NOT NULL,
        title TEXT NOT NULL, text TEXT NOT NULL, published TEXT, url TEXT, byline TEXT,
        story_hint TEXT, removed TEXT NOT NULL, raw_ref TEXT NOT NULL, ingested_at TEXT NOT NULL)""",
    "CREATE INDEX articles_story ON articles(story_id)",
    """CREATE TABLE article_sources (
        article_id TEXT NOT NULL REFERENCES articles(id), source TEXT NOT NULL,
        added_at TEXT NOT NULL, PRIMARY KEY (article_id, source))""",
    """CREATE TABLE rejections (
        id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, reason TEXT NOT NULL,
        code TEXT NOT NULL, raw_ref TEXT, created_at TEXT NOT NULL)""",
    """CREATE TABLE briefs (
        story_id TEXT PRIMARY KEY REFERENCES stories(id), version INTEGER NOT NULL,
        data TEXT NOT NULL, computed_at TEXT NOT NULL)""",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # External-content FTS5 index over articles, kept in step by triggers.
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='seq', tokenize='porter unicode61')""",
    """CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); END""",
    """CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text); END""",
    """CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); END""",
)

_POSTGRES_INITIAL = (
    """CREATE TABLE raw_inputs (
        sha256 TEXT PRIMARY KEY, data BYTEA NOT NULL, media_type TEXT NOT NULL,
        source TEXT NOT NULL, received_at TEXT NOT NULL)""",
    """CREATE TABLE stories (
        id TEXT PRIMARY KEY, headline TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
    """CREATE TABLE articles (
        seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE,
        story_id TEXT NOT NULL REFERENCES stories(id), source TEXT NOT NULL, outlet TEXT NOT NULL,
        title TEXT NOT NULL, text TEXT NOT NULL, published TEXT, url TEXT, byline TEXT,
        story_hint TEXT, removed TEXT NOT NULL, raw_ref TEXT NOT NULL, ingested_at TEXT NOT NULL,
        search TSVECTOR GENERATED ALWAYS AS (
            setweight(to_tsvector('english', title), 'A') || to_tsvector('english', text)) STORED)""",
    "CREATE INDEX articles_story ON articles(story_id)",
    "CREATE INDEX articles_search ON articles USING GIN (search)",
    """CREATE TABLE article_sources (
        article_id TEXT NOT NULL REFERENCES articles(id), source TEXT NOT NULL,
        added_at TEXT NOT NULL, PRIMARY KEY (article_id, source))""",
    """CREATE TABLE rejections (
        id BIGSERIAL PRIMARY KEY, source TEXT NOT NULL, reason TEXT NOT NULL,
        code TEXT NOT NULL, raw_ref TEXT, created_at TEXT NOT NULL)""",
    """CREATE TABLE briefs (
        story_id TEXT PRIMARY KEY REFERENCES stories(id), version INTEGER NOT NULL,
        data TEXT NOT NULL, computed_at TEXT NOT NULL)""",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)

# Per-story counts and dates kept on the story row, so listing stories reads one index in
# order instead of grouping every article on each request.
_STORY_AGGREGATES = (
    "ALTER TABLE stories ADD COLUMN article_count INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE stories ADD COLUMN first_published TEXT",
    "ALTER TABLE stories ADD COLUMN last_published TEXT",
    "ALTER TABLE stories ADD COLUMN latest TEXT NOT NULL DEFAULT ''",
    """UPDATE stories SET
        article_count = (SELECT COUNT(*) FROM articles a WHERE a.story_id = stories.id),
        first_published = (SELECT MIN(a.published) FROM articles a WHERE a.story_id = stories.id),
        last_published = (SELECT MAX(a.published) FROM articles a WHERE a.story_id = stories.id),
        latest = COALESCE((SELECT MAX(COALESCE(a.published, a.ingested_at)) FROM articles a
                           WHERE a.story_id = stories.id), '')""",
    "CREATE INDEX stories_latest ON stories(latest DESC, id)",
)

# Named-outlet counts and ingest order on the story row (the "most outlets" sort, undated stories
# in ingest order), and the people and organisations of each story's brief (entity pages,
# facets), filled from the briefs already stored.
_LISTING = (
    "ALTER TABLE stories ADD COLUMN outlet_count INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE stories ADD COLUMN last_seq BIGINT NOT NULL DEFAULT 0",
    """UPDATE stories SET
        outlet_count = (SELECT COUNT(DISTINCT a.outlet) FROM articles a
                        WHERE a.story_id = stories.id AND a.outlet NOT IN ('', 'unknown')),
        last_seq = COALESCE((SELECT MAX(a.seq) FROM articles a WHERE a.story_id = stories.id), 0)""",
    "CREATE INDEX articles_outlet ON articles(outlet)",
    """CREATE TABLE story_entities (
        story_id TEXT NOT NULL REFERENCES stories(id), name TEXT NOT NULL, type TEXT NOT NULL,
        mentions INTEGER NOT NULL, PRIMARY KEY (story_id, name))""",
    "CREATE INDEX story_entities_name ON story_entities(name)",
)
_SQLITE_LISTING = (
    *_LISTING,
    """INSERT OR IGNORE INTO story_entities (story_id, name, type, mentions)
        SELECT b.story_id, json_extract(e.value, '$.name'), COALESCE(json_extract(e.value, '$.type'), ''),
               COALESCE(json_extract(e.value, '$.mentions'), 0)
        FROM briefs b, json_each(b.data, '$.stories') s, json_each(s.value, '$.entities') e
        WHERE json_extract(s.value, '$.id') = b.story_id
          AND json_extract(e.value, '$.name') IS NOT NULL
          AND b.story_id IN (SELECT id FROM stories)""",
)
_POSTGRES_LISTING = (
    *_LISTING,
    """INSERT INTO story_entities (story_id, name, type, mentions)
        SELECT b.story_id, e->>'name', COALESCE(e->>'type', ''), COALESCE((e->>'mentions')::int, 0)
        FROM briefs b, jsonb_array_elements(b.data::jsonb->'stories') s,
             jsonb_array_elements(s->'entities') e
        WHERE s->>'id' = b.story_id AND e->>'name' IS NOT NULL
          AND b.story_id IN (SELECT id FROM stories)
        ON CONFLICT DO NOTHING""",
)

# Followed feeds (`newsprism watch`): per feed its HTTP validators and poll times, and the
# entries already taken in, so a restarted watcher neither ingests an entry twice nor skips one.
# The same SQL for both dialects; entries are keyed per feed (the same link in two feeds is
# seen once in each, and the article is still stored once, by content hash).
_FEEDS = (
    """CREATE TABLE feeds (
        url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, last_polled TEXT, not_before TEXT,
        failures INTEGER NOT NULL DEFAULT 0, last_status INTEGER, last_error TEXT,
        updated_at TEXT NOT NULL)""",
    """CREATE TABLE feed_entries (
        feed_url TEXT NOT NULL, entry_key TEXT NOT NULL, seen_at TEXT NOT NULL,
        PRIMARY KEY (feed_url, entry_key))""",
)

# One row per version of a story's brief that changed something: what it added to the one
# before (the changes@1 JSON of that version), not the whole brief, so a story's history stays
# small; `at` is fixed-width UTC text (newsprism.changes.moment_text), compared as text.
_STORY_VERSIONS = (
    """CREATE TABLE story_versions (
        story_id TEXT NOT NULL, version INTEGER NOT NULL, at TEXT NOT NULL,
        story_version INTEGER NOT NULL, headline TEXT NOT NULL, changes TEXT NOT NULL,
        PRIMARY KEY (story_id, version))""",
    "CREATE INDEX story_versions_at ON story_versions(at)",
)

# The online clusterer's state (`OnlineClusterer.state()` as JSON), so a restart loads it
# instead of replaying every article; `seq` is the last article it has taken in (those after
# it are caught up from the articles). And where merged stories went: a merge keeps the older
# id, and the younger one's URL answers 301 to it.
_CLUSTERING = (
    """CREATE TABLE clusterer_state (
        name TEXT PRIMARY KEY, seq BIGINT NOT NULL, state TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
    """CREATE TABLE story_merges (
        old_id TEXT PRIMARY KEY, new_id TEXT NOT NULL, merged_at TEXT NOT NULL)""",
    "CREATE INDEX story_merges_new ON story_merges(new_id)",
)

MIGRATIONS: dict[Dialect, tuple[Migration, ...]] = {
    "sqlite": (
        Migration(name="0001_initial", statements=_SQLITE_INITIAL),
        Migration(name="0002_story_aggregates", statements=_STORY_AGGREGATES),
        Migration(name="0003_listing", statements=_SQLITE_LISTING),
        Migration(name="0004_feeds", statements=_FEEDS),
        Migration(name="0005_story_versions", statements=_STORY_VERSIONS),
        Migration(name="0006_clustering_state", statements=_CLUSTERING),
    ),
    "postgres": (
        Migration(name="0001_initial", statements=_POSTGRES_INITIAL),
        Migration(name="0002_story_aggregates", statements=_STORY_AGGREGATES),
        Migration(name="0003_listing", statements=_POSTGRES_LISTING),
        Migration(name="0004_feeds", statements=_FEEDS),
        Migration(name="0005_story_versions", statements=_STORY_VERSIONS),
        Migration(name="0006_clustering_state", statements=_CLUSTERING),
    ),
}

MIGRATIONS_TABLE = "CREATE TABLE IF NOT EXISTS newsprism_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"

"""Every id newsprism makes: what it hashes and how, in one place.

Ids are content hashes, never counters or row numbers, so the same input gives the same id in
any run, on any machine, in any order. Stored databases and published JSON hold them: a scheme
here never changes (a new scheme would need a new function and a migration).

============  =====================  ==============================  =========================
id            function               made from                       form
============  =====================  ==============================  =========================
article       `article_id`           the cleaned text (UTF-8)        sha256, first 16 hex
raw input     `raw_ref`              the raw input bytes             sha256, 64 hex
story         `story_id`             its first-read member's id      "s-" + sha1, first 12 hex
entity        `entity_id`            "<type>|<name>" of the entity   "e" + sha1, first 10 hex
dedup class   `content_hash`         `fold_for_hashing(text)`        sha1, 40 hex
============  =====================  ==============================  =========================

sha1 serves where an id only needs to be short and stable, not secure: nothing trusts it.
"""

from __future__ import annotations

import hashlib

from newsprism.text import fold_for_hashing


def article_id(text: str) -> str:
    """An article's id: the same cleaned text from any input is the same article."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def raw_ref(data: bytes) -> str:
    """Where the untouched input bytes are kept (the store's raw_inputs key)."""
    return hashlib.sha256(data).hexdigest()


def story_id(first_member: str) -> str:
    """A story's id, fixed by its first member alone: the article that started it in the
    store (the first of its members ingested), or its member read first by `brief` and
    `cluster` (`stories.batch.named_by_arrival`), so the same inputs get the same id both ways."""
    return "s-" + hashlib.sha1(first_member.encode("utf-8")).hexdigest()[:12]


def entity_id(label: str, name: str) -> str:
    """An entity's id within a story: its type and its chosen name."""
    return "e" + hashlib.sha1(f"{label}|{name}".encode()).hexdigest()[:10]


def content_hash(text: str) -> str:
    """Equal for texts that differ only in case, spacing and punctuation (exact reprints)."""
    return hashlib.sha1(fold_for_hashing(text).encode("utf-8")).hexdigest()

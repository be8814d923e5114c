"""Corpus-wide duplicates for the `duplicates` table: exact copies by hash, near copies by
MinHash LSH with the bands shuffled by key (the method text-dedup runs on Spark).

Each partition hashes its kept articles: the normalised-text hash (`ids.content_hash`) and a
MinHash signature of its word shingles (`dedup.minhash`, the seeds the per-story dedup uses),
cut into the LSH bands `datasketch` picks for `LSH_THRESHOLD`. Every band value goes to the
bucket of its key, so two articles meet in a bucket exactly when one of their bands is
equal, wherever they were read. A bucket proposes the pairs that share a band and keeps
those whose signatures agree on at least `LSH_THRESHOLD` of their values (the estimated
Jaccard similarity); one last task joins pairs and exact copies into groups, earliest first.
This table is corpus-wide; each brief's own `duplicates` still comes from the per-story
dedup (coverage-confirmed), as in `newsprism brief`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.data.batch import SHUFFLE_BUCKETS
from newsprism.data.clustering import LSH_THRESHOLD, MIN_WORDS_NEAR, NUM_PERM, SHINGLE_WORDS
from newsprism.distributed import datasets
from newsprism.distributed.catalog import PartitionPlan
from newsprism.grouping import UnionFind
from newsprism.ids import content_hash
from newsprism.order import publication_order

Entry = tuple[int, str, tuple[int, str, str], Any]  # (band key, article id, order key, value)


def _bands() -> tuple[int, int]:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return int(lsh.b), int(lsh.r)


def _key(prefix: bytes, value: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(prefix + value, digest_size=8).digest(), "little") >> 1


def hash_partition(loaded: Any, plan: PartitionPlan, buckets: int) -> list[list[Entry]]:
    """The exact-hash and band entries of a partition's kept articles, by bucket."""
    from newsprism.dedup.coverage import shingle_text
    from newsprism.dedup.minhash import signature

    bands, rows = _bands()
    out: list[list[Entry]] = [[] for _ in range(buckets)]
    for position in plan.kept:
        article = loaded.articles[position]
        order = publication_order(article.published, article.id)
        exact = _key(b"exact", content_hash(article.text).encode("ascii"))
        out[exact % buckets].append((exact, article.id, order, None))
        text = shingle_text(article.text, SHINGLE_WORDS)
        if text.words < MIN_WORDS_NEAR or not text.shingle_set:
            continue
        values = np.asarray(signature(text.shingle_set, NUM_PERM).hashvalues, dtype=np.uint64)
        for band in range(bands):
            piece = values[band * rows : (band + 1) * rows].tobytes()
            key = _key(band.to_bytes(2, "little"), piece)
            out[key % buckets].append((key, article.id, order, values))
    return out


def bucket_pairs(parts: Sequence[Sequence[Entry]]) -> list[tuple[str, str, float]]:
    """For one bucket: (id, id, similarity) of articles sharing a key (1.0 for exact copies,
    else the signatures' agreement, kept when it reaches `LSH_THRESHOLD`)."""
    groups: dict[int, dict[str, Entry]] = {}
    for part in parts:
        for entry in part:
            groups.setdefault(entry[0], {}).setdefault(entry[1], entry)
    pairs = []
    for members in groups.values():
        entries = sorted(members.values(), key=lambda e: e[2])
        for n, first in enumerate(entries):
            for second in entries[n + 1 :]:
                if first[3] is None:
                    pairs.append((first[1], second[1], 1.0))
                    continue
                agreement = float(np.mean(first[3] == second[3]))
                if agreement >= LSH_THRESHOLD:
                    pairs.append((first[1], second[1], agreement))
    return pairs


def duplicate_groups(
    parts: Sequence[Sequence[tuple[str, str, float]]], keys: dict[str, tuple[int, str, str]]
) -> list[dict[str, Any]]:
    """Groups of duplicates (contract `DuplicateDict`), each earliest first."""
    pairs = {(a, b): s for part in parts for a, b, s in part}
    names = sorted({i for pair in pairs for i in pair}, key=keys.__getitem__)
    union = UnionFind(names)
    for a, b in pairs:
        union.union(a, b)
    members: dict[str, list[str]] = {}
    for name in names:
        members.setdefault(union.find(name), []).append(name)
    groups = []
    for group in members.values():
        inside = [s for (a, b), s in pairs.items() if a in group and b in group]
        exact = all(s == 1.0 for s in inside)
        groups.append(
            {
                "article_ids": group,
                "kind": "exact" if exact else "near",
                "similarity": round(min(inside), 4),
            }
        )
    return sorted(groups, key=lambda g: keys[g["article_ids"][0]])


def write_duplicates(out: Path, parts: Sequence[Any]) -> int:
    """Join the buckets' pairs into groups, write the `duplicates` table; the group count."""
    pair_parts = [pairs for pairs, _ in parts]
    keys = {name: key for _, part_keys in parts for name, key in part_keys.items()}
    groups = duplicate_groups(pair_parts, keys)
    rows = [{"group": number, **group} for number, group in enumerate(groups)]
    datasets.write_table(out, "duplicates", "all", datasets.rows_of("duplicates", rows))
    return len(groups)


def _with_keys(pairs: list[tuple[str, str, float]], parts: Sequence[Sequence[Entry]]) -> Any:
    wanted = {i for a, b, _ in pairs for i in (a, b)}
    keys = {e[1]: e[2] for part in parts for e in part if e[1] in wanted}
    return pairs, keys


def _bucket(parts: Sequence[Sequence[Entry]]) -> Any:
    return _with_keys(bucket_pairs(parts), parts)


def submit_duplicates(
    client: Any, loaded: list[Any], plans: list[Any], out: Path, submit: Callable[..., Any]
) -> Any:
    """The future of the duplicate group count, the table written by workers."""
    import operator

    buckets = max(2, min(SHUFFLE_BUCKETS, len(loaded)))
    hashed = [
        submit(client, "minhash", hash_partition, x, p, buckets)
        for x, p in zip(loaded, plans, strict=True)
    ]
    pairs = [
        submit(
            client,
            "lsh-bucket",
            _bucket,
            [submit(client, "pick", operator.getitem, h, b) for h in hashed],
        )
        for b in range(buckets)
    ]
    return submit(client, "duplicates", write_duplicates, out, pairs)

"""Word shingles, MinHash signatures and an LSH index that proposes near-duplicate candidates.

LSH only proposes; callers verify every candidate on the exact shingle sets, so the LSH
threshold can be low (recall) without costing precision.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Hashable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any

import numpy as np

# Re-exported for callers that read them here (tests, evaluate/dedup.py); their home is ids/text.
from newsprism.ids import content_hash as content_hash
from newsprism.text import words_of as words_of

if TYPE_CHECKING:
    from datasketch import MinHash

# Fewer items than this: propose all pairs (at most ~20k exact set comparisons).
EXACT_BELOW = 200
_MASK32 = (1 << 32) - 1


def shingles_with_spans(text: str, size: int) -> tuple[list[int], list[int], list[int], int]:
    """Shingle hashes of *text* with the word span of each; word positions count across the text.

    Shingles are taken within paragraphs, so re-ordering paragraphs changes nothing. Paragraphs
    are split at blank lines, or at line breaks when the text has no blank line.

    Returns (hashes, starts, ends, word count).
    """
    breaker = "\n\n" if "\n\n" in text else "\n"
    hashes: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    offset = 0
    for paragraph in text.split(breaker):
        words = words_of(paragraph)
        if not words:
            continue
        if len(words) < size:
            hashes.append(_hash(" ".join(words)))
            starts.append(offset)
            ends.append(offset + len(words))
        else:
            for i in range(len(words) - size + 1):
                hashes.append(_hash(" ".join(words[i : i + size])))
                starts.append(offset + i)
                ends.append(offset + i + size)
        offset += len(words)
    return hashes, starts, ends, offset


def shingles(words: Sequence[str], size: int) -> set[int]:
    """Hashes of every run of *size* consecutive words (the whole text when shorter)."""
    if not words:
        return set()
    if len(words) < size:
        return {_hash(" ".join(words))}
    return {_hash(" ".join(words[i : i + size])) for i in range(len(words) - size + 1)}


def _hash(shingle: str) -> int:
    # 32-bit values: datasketch's affine32 scheme permutes 32-bit hashes.
    digest = hashlib.blake2b(shingle.encode("utf-8"), digest_size=4).digest()
    value: int = struct.unpack("<I", digest)[0]
    return value & _MASK32


def signature(hashes: Iterable[int], num_perm: int) -> MinHash:
    """A MinHash over already-hashed shingles (seed fixed, so signatures are reproducible)."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=num_perm, seed=1, hashfunc=_identity)
    values = np.fromiter(hashes, dtype=np.uint64)
    if len(values):
        minhash.update_batch(values)
    return minhash


def _identity(value: Any) -> int:
    return int(value)


def containment(a: set[int], b: set[int]) -> float:
    """|A ∩ B| / min(|A|, |B|): how much of the shorter text the longer one holds."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def candidate_pairs(
    keys: Sequence[Hashable], sets: Sequence[AbstractSet[int]], *, threshold: float, num_perm: int
) -> list[tuple[int, int]]:
    """Index pairs (i < j) whose MinHash LSH buckets collide; keys must be distinct.

    Below `EXACT_BELOW` items every pair is proposed instead: the exact check is cheaper than
    building signatures, and it spares small jobs (one story's brief) datasketch's import.
    """
    if len(keys) < EXACT_BELOW:
        filled = [i for i, values in enumerate(sets) if values]
        return [(i, j) for n, i in enumerate(filled) for j in filled[n + 1 :]]
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    position = {key: i for i, key in enumerate(keys)}
    pairs: set[tuple[int, int]] = set()
    for i, (key, values) in enumerate(zip(keys, sets, strict=True)):
        if not values:
            continue
        minhash = signature(values, num_perm)
        for other in lsh.query(minhash):
            j = position[other]
            pairs.add((min(i, j), max(i, j)))
        lsh.insert(key, minhash)
    return sorted(pairs)

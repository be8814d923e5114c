"""Word coverage: how much of one text is made of runs of words the other text also has.

A reprint is recognised by *coverage*, not by shingle-set overlap: the share of a text's words
that sit inside at least one word shingle the other text shares. A changed word costs only
that word (its neighbours stay covered by shingles that skip it), a trimmed end costs nothing
on the shorter side, and re-ordered paragraphs cost nothing (shingles stay inside paragraphs).

Boilerplate (a newsletter prompt, a copyright line) is neither evidence for nor against: words
covered by *common* shingles, ones that many articles of the batch carry, can be left out of
both the numerator and the denominator (`ShingledText.coverage(..., ignore_common=True)`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from newsprism.dedup.minhash import shingles_with_spans


@dataclass(frozen=True, slots=True)
class ShingledText:
    """One text as word shingles with the word span each covers.

    Attributes:
        words: number of words in the text.
        hashes: shingle hashes, one per shingle (a paragraph shorter than a shingle is one).
        starts: first word of each shingle.
        ends: one past the last word of each shingle.
        common: positions of words covered by a common shingle (boilerplate), as a bool mask.
        shingle_set: the hashes as a set.
    """

    words: int
    hashes: NDArray[np.int64]
    starts: NDArray[np.int64]
    ends: NDArray[np.int64]
    common: NDArray[np.bool_]
    shingle_set: frozenset[int]  # every shingle hash, for membership tests

    def content_set(self, common_hashes: frozenset[int]) -> set[int]:
        """Shingle hashes that are not common (boilerplate left out)."""
        return {h for h in self.hashes.tolist() if h not in common_hashes}

    def content_words(self, ignore_common: bool) -> int:
        """Words that count: all of them, or those outside common shingles."""
        return int(self.words - self.common.sum()) if ignore_common else self.words

    def with_common(self, common_hashes: frozenset[int]) -> ShingledText:
        """The same text with the words under *common_hashes* marked as boilerplate."""
        is_common = np.fromiter(
            (h in common_hashes for h in self.hashes.tolist()), bool, len(self.hashes)
        )
        common = _mask(self.words, self.starts[is_common], self.ends[is_common])
        return replace(self, common=common)

    def coverage(self, other: frozenset[int], *, ignore_common: bool = False) -> float:
        """Share of this text's (content) words inside a shingle that *other* also holds."""
        if self.words == 0:
            return 0.0
        shared = np.fromiter((h in other for h in self.hashes.tolist()), bool, len(self.hashes))
        covered = _mask(self.words, self.starts[shared], self.ends[shared])
        if ignore_common:
            keep = ~self.common
            total = int(keep.sum())
            return float((covered & keep).sum()) / total if total else 0.0
        return float(covered.sum()) / self.words


def shingle_text(text: str, size: int) -> ShingledText:
    """*text* as shingles of *size* words (no boilerplate marked yet: see `with_common`)."""
    hashes, starts, ends, words = shingles_with_spans(text, size)
    return ShingledText(
        words,
        np.array(hashes, dtype=np.int64),
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
        np.zeros(words, dtype=bool),
        frozenset(hashes),
    )


def common_shingles(texts: Iterable[Iterable[int]], min_documents: int) -> frozenset[int]:
    """Shingles that at least *min_documents* of the texts hold (each text counted once)."""
    counts: Counter[int] = Counter()
    for hashes in texts:
        counts.update(set(hashes))
    return frozenset(h for h, n in counts.items() if n >= min_documents)


def _mask(length: int, starts: NDArray[np.int64], ends: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Bool mask of *length* words, True inside any [start, end) span."""
    delta = np.zeros(length + 1, dtype=np.int64)
    np.add.at(delta, starts, 1)
    np.add.at(delta, ends, -1)
    return np.cumsum(delta[:length]) > 0

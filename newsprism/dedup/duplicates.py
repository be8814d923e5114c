"""Duplicate articles: exact copies and reprints, grouped longest version first.

Exact duplicates share the hash of their normalised text. Near-duplicates are proposed by
MinHash LSH over word shingles (`dedup.minhash`) and confirmed by *word coverage*
(`dedup.coverage`): the shorter text's words must nearly all sit in shingles the longer text
shares. A reprint that adds boilerplate, trims the end, re-orders paragraphs or changes a few
words passes; two reports of one event (same names, quotes and stock phrases, different
sentences) do not.

Coverage is computed twice when the batch has common shingles: on all words, and with words
under common shingles (boilerplate many articles carry) left out; either may confirm. The
second catches a short reprint buried in added boilerplate; the first catches copies of a wire
story so widely printed that its own shingles are common.

Groups are not chains: an article joins a group only when it is confirmed against one member
and overlaps every member, so A ~ B ~ C never puts two unrelated articles A and C together.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from newsprism.data.clustering import (
    COMMON_MIN_DOCUMENTS,
    COMMON_SHARE,
    DUPLICATE_COVERAGE,
    DUPLICATE_LENGTH_RATIO,
    GROUP_MIN_COVERAGE,
    LSH_THRESHOLD,
    MIN_WORDS_NEAR,
    NUM_PERM,
    SHINGLE_WORDS,
)
from newsprism.dedup.coverage import ShingledText, common_shingles, shingle_text
from newsprism.dedup.minhash import candidate_pairs
from newsprism.ids import content_hash
from newsprism.model import Article, DuplicateGroup
from newsprism.order import publication_order


def duplicate_similarity(a: str, b: str) -> float:
    """Word coverage of the shorter text by the longer (0 when lengths are too far apart).

    The score `find_duplicates` confirms at DUPLICATE_COVERAGE, here without batch context
    (no boilerplate is known); exposed for evaluation.
    """
    return _score(shingle_text(a, SHINGLE_WORDS), shingle_text(b, SHINGLE_WORDS), False)


def find_duplicates(articles: Sequence[Article]) -> tuple[DuplicateGroup, ...]:
    """Groups of exact and near-duplicate articles, each ordered earliest first."""
    # Publication order: the earliest article of a group is its origin.
    unique = sorted(
        {a.id: a for a in articles}.values(), key=lambda a: publication_order(a.published, a.id)
    )
    hashes = [content_hash(a.text) for a in unique]
    exact: dict[str, list[int]] = {}
    for index, digest in enumerate(hashes):
        exact.setdefault(digest, []).append(index)
    # Near-duplicates are sought between one representative per exact-copy class.
    reps = [members[0] for members in exact.values()]
    texts = {i: shingle_text(unique[i].text, SHINGLE_WORDS) for i in reps}
    common = _common(texts)
    if common:
        texts = {i: text.with_common(common) for i, text in texts.items()}
    edges = _confirmed_pairs(reps, texts, common, [a.id for a in unique])
    groups: list[tuple[int, DuplicateGroup]] = []
    for members, weakest in _groups(reps, texts, edges, bool(common)):
        indices = sorted(i for r in members for i in exact[hashes[r]])
        if len(indices) < 2:
            continue
        single_class = len(members) == 1
        group = DuplicateGroup(
            article_ids=tuple(unique[i].id for i in indices),
            kind="exact" if single_class else "near",
            similarity=round(1.0 if single_class else weakest, 4),
        )
        groups.append((indices[0], group))
    return tuple(group for _, group in sorted(groups, key=lambda pair: pair[0]))


def _common(texts: dict[int, ShingledText]) -> frozenset[int]:
    """Shingles so widespread in this batch that they are boilerplate, not shared reporting."""
    cutoff = max(COMMON_MIN_DOCUMENTS, math.ceil(COMMON_SHARE * len(texts)))
    if len(texts) < cutoff:
        return frozenset()
    return common_shingles((t.hashes.tolist() for t in texts.values()), cutoff)


def _confirmed_pairs(
    reps: list[int], texts: dict[int, ShingledText], common: frozenset[int], ids: list[str]
) -> dict[tuple[int, int], float]:
    """Candidate pairs from LSH (on all shingles, and on non-common ones) that coverage confirms."""
    eligible = [i for i in reps if texts[i].words >= MIN_WORDS_NEAR]
    names = [ids[i] for i in eligible]
    sets = [texts[i].shingle_set for i in eligible]
    proposals = set(candidate_pairs(names, sets, threshold=LSH_THRESHOLD, num_perm=NUM_PERM))
    if common:
        content = [texts[i].content_set(common) for i in eligible]
        proposals |= set(
            candidate_pairs(names, content, threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        )
    confirmed: dict[tuple[int, int], float] = {}
    for a, b in sorted(proposals):
        i, j = eligible[a], eligible[b]
        score = _score(texts[i], texts[j], bool(common))
        if score >= DUPLICATE_COVERAGE:
            confirmed[(min(i, j), max(i, j))] = score
    return confirmed


def _score(a: ShingledText, b: ShingledText, with_common: bool) -> float:
    """Best word coverage of the shorter text by the longer, over all words or content words."""
    best = 0.0
    for ignore_common in (False, True) if with_common else (False,):
        size_a, size_b = a.content_words(ignore_common), b.content_words(ignore_common)
        shorter, longer = (a, b) if size_a <= size_b else (b, a)
        small, large = sorted((size_a, size_b))
        if small < MIN_WORDS_NEAR or small / large < DUPLICATE_LENGTH_RATIO:
            continue
        best = max(best, shorter.coverage(longer.shingle_set, ignore_common=ignore_common))
    return best


def _groups(
    reps: list[int],
    texts: dict[int, ShingledText],
    edges: dict[tuple[int, int], float],
    with_common: bool,
) -> list[tuple[list[int], float]]:
    """Groups built longest article first: each joins its best confirmed, compatible group.

    An article joins the group of its best-scoring confirmed neighbour already placed (a longer
    one) if it shares GROUP_MIN_COVERAGE with every member; otherwise it starts a group. A long
    article can hold two shorter ones that share little with each other (a round-up quoting two
    wire stories): each matches it, but they are not copies of each other, and the check keeps
    them apart. (Full confirmation between all members would split two reprints that trimmed
    or edited one text differently.)
    """
    neighbours: dict[int, dict[int, float]] = {i: {} for i in reps}
    for (i, j), score in edges.items():
        neighbours[i][j] = score
        neighbours[j][i] = score
    by_size = sorted(reps, key=lambda i: (-texts[i].content_words(with_common), i))
    group_of: dict[int, int] = {}
    groups: list[tuple[list[int], float]] = []
    for article in by_size:
        placed = sorted(
            ((score, n) for n, score in neighbours[article].items() if n in group_of),
            key=lambda pair: (-pair[0], pair[1]),
        )
        for score, neighbour in placed:
            members, weakest = groups[group_of[neighbour]]
            if all(
                neighbours[m].get(article, 0.0) >= GROUP_MIN_COVERAGE
                or _score(texts[m], texts[article], with_common) >= GROUP_MIN_COVERAGE
                for m in members
            ):
                members.append(article)
                groups[group_of[neighbour]] = (members, min(weakest, score))
                group_of[article] = group_of[neighbour]
                break
        else:
            group_of[article] = len(groups)
            groups.append(([article], 1.0))
    return groups

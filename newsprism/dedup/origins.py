"""Duplicate articles and origins: five outlets printing one wire story are one source.

Exact duplicates share the hash of their normalised text. Near-duplicates are proposed by
MinHash LSH over word shingles and confirmed by the true containment of the shingle sets, so
a reprint that adds boilerplate, trims the end, re-orders paragraphs or changes a few words
is caught, while two reports of one event (same names, different sentences) are not.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsprism.data.clustering import (
    DUPLICATE_CONTAINMENT,
    DUPLICATE_LENGTH_RATIO,
    LSH_THRESHOLD,
    MIN_WORDS_NEAR,
    NUM_PERM,
    SHINGLE_WORDS,
)
from newsprism.dedup.minhash import (
    candidate_pairs,
    containment,
    content_hash,
    text_shingles,
    words_of,
)
from newsprism.dedup.passages import find_passages
from newsprism.model import Article, DuplicateGroup, Origins


def _order_key(article: Article) -> tuple[int, str, str]:
    # The earliest article of a group is its origin; undated ones come after dated ones.
    stamp = article.published.isoformat() if article.published else ""
    return (0 if stamp else 1, stamp, article.id)


def duplicate_similarity(a: str, b: str) -> float:
    """How much of the shorter text the longer holds (0 when lengths are too far apart).

    The score `find_duplicates` thresholds at DUPLICATE_CONTAINMENT; exposed for evaluation.
    """
    wa, wb = words_of(a), words_of(b)
    if min(len(wa), len(wb)) < MIN_WORDS_NEAR:
        return 1.0 if wa == wb else 0.0
    if min(len(wa), len(wb)) / max(len(wa), len(wb)) < DUPLICATE_LENGTH_RATIO:
        return 0.0
    return containment(text_shingles(a, SHINGLE_WORDS), text_shingles(b, SHINGLE_WORDS))


def find_duplicates(articles: Sequence[Article]) -> tuple[DuplicateGroup, ...]:
    """Groups of exact and near-duplicate articles, each ordered earliest first."""
    unique = sorted({a.id: a for a in articles}.values(), key=_order_key)
    parent = list(range(len(unique)))
    weakest: dict[int, float] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int, similarity: float) -> None:
        ri, rj = root(i), root(j)
        low = min(weakest.get(ri, 1.0), weakest.get(rj, 1.0), similarity)
        keep, drop = min(ri, rj), max(ri, rj)
        parent[drop] = keep
        weakest[keep] = low

    hashes = [content_hash(a.text) for a in unique]
    first_with: dict[str, int] = {}
    for i, digest in enumerate(hashes):
        if digest in first_with:
            join(first_with[digest], i, 1.0)
        else:
            first_with[digest] = i

    words = [words_of(a.text) for a in unique]
    sets = [
        text_shingles(a.text, SHINGLE_WORDS) if len(w) >= MIN_WORDS_NEAR else set()
        for a, w in zip(unique, words, strict=True)
    ]
    for i, j in candidate_pairs(
        [a.id for a in unique], sets, threshold=LSH_THRESHOLD, num_perm=NUM_PERM
    ):
        if root(i) == root(j):
            continue
        shorter, longer = sorted((len(words[i]), len(words[j])))
        if shorter / longer < DUPLICATE_LENGTH_RATIO:
            continue
        similarity = containment(sets[i], sets[j])
        if similarity >= DUPLICATE_CONTAINMENT:
            join(i, j, similarity)

    members: dict[int, list[int]] = {}
    for i in range(len(unique)):
        members.setdefault(root(i), []).append(i)
    groups = []
    for r, indices in sorted(members.items()):
        if len(indices) < 2:
            continue
        exact = len({hashes[i] for i in indices}) == 1
        groups.append(
            DuplicateGroup(
                article_ids=tuple(unique[i].id for i in indices),
                kind="exact" if exact else "near",
                similarity=round(weakest.get(r, 1.0), 4),
            )
        )
    return tuple(groups)


def find_origins(articles: Sequence[Article]) -> Origins:
    """Duplicate groups, shared passages and the origin of every article.

    Args:
        articles: cleaned articles (any order; the result does not depend on it).

    Returns:
        Origins whose `article_origin` maps each article id to the id of the earliest article
        of its duplicate group (its own id when it has no duplicate).
    """
    duplicates = find_duplicates(articles)
    article_origin = {a.id: a.id for a in articles}
    for group in duplicates:
        for article_id in group.article_ids:
            article_origin[article_id] = group.article_ids[0]
    passages = find_passages(articles, article_origin)
    return Origins(article_origin=article_origin, duplicates=duplicates, passages=passages)

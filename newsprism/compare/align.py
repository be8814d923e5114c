"""Claim alignment: group sentences of different articles that state the same thing.

Each sentence of each article ends up in exactly one `ClaimGroup`. Two sentences of different
articles are linked when their embedding cosine, backed by shared content words, is high enough
(weights and thresholds in `newsprism.data.summary`). Links are merged greedily, strongest first,
into groups holding at most one sentence per article (an article that repeats itself near
word for word may have two), and every pair inside a group must stay above a floor so that
chains A~B~C with A unlike C do not form.

Order: articles are put in a canonical order first (publication time, then id; see
`canonical_order`), so the groups *and* their ids ("f1", "f2", ... by first appearance in that
order) do not depend on the order the caller passes the articles in.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsprism.compare.judge import Label, judge_claims
from newsprism.data import summary as cfg
from newsprism.model import AnnotatedArticle, Claim, ClaimGroup, Origins, Sentence, Span

Matrix = npt.NDArray[np.float32]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

__all__ = ["align_claims", "canonical_order", "content_tokens", "sentence_similarity"]


def canonical_order(articles: Sequence[AnnotatedArticle]) -> list[AnnotatedArticle]:
    """Articles sorted by publication time (undated last), then by id: a stable story order."""

    def key(item: AnnotatedArticle) -> tuple[float, str]:
        published = item.article.published
        stamp = published.timestamp() if published is not None else math.inf
        return (stamp, item.id)

    return sorted(articles, key=key)


def content_tokens(text: str) -> frozenset[str]:
    """Lower-cased content words of *text*, stopwords dropped and a plural -s folded."""
    tokens = set()
    for word in _WORD.findall(text.lower()):
        word = word.replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if word in cfg.STOPWORDS or not word:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        tokens.add(word)
    return frozenset(tokens)


@dataclass(frozen=True, slots=True)
class _Pool:
    """All sentences of a story in canonical order, with their similarity matrices."""

    sentences: tuple[Sentence, ...]
    article_of: tuple[int, ...]  # position of each sentence's article in canonical order
    similarity: Matrix  # combined score, symmetric, n x n
    cosine: Matrix
    # Each sentence's claims with their embeddings; None when the claims annotator did not run
    # (then the similarity alone links sentences, as before claims existed).
    claims: tuple[tuple[tuple[Claim, Matrix], ...], ...] | None = None


def _vectors(item: AnnotatedArticle) -> Matrix | None:
    vectors = item.sentence_vectors
    if vectors is None:
        return None
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim != 2 or array.shape[0] != len(item.sentences):
        return None
    return array


def _lexical(tokens: Sequence[frozenset[str]]) -> Matrix:
    # Mean of Jaccard and the overlap coefficient: a short sentence fully contained in a longer
    # rewording of it (a quote plus context) still scores well, a long shared word list too.
    vocab: dict[str, int] = {}
    for token_set in tokens:
        for token in token_set:
            vocab.setdefault(token, len(vocab))
    n = len(tokens)
    if n == 0 or not vocab:
        return np.zeros((n, n), dtype=np.float32)
    incidence = np.zeros((n, len(vocab)), dtype=np.float32)
    for row, token_set in enumerate(tokens):
        for token in token_set:
            incidence[row, vocab[token]] = 1.0
    inter = incidence @ incidence.T
    sizes = incidence.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - inter
    smaller = np.minimum(sizes[:, None], sizes[None, :])
    jaccard = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    overlap = np.divide(inter, smaller, out=np.zeros_like(inter), where=smaller > 0)
    result: Matrix = ((jaccard + overlap) / 2).astype(np.float32)
    return result


def sentence_similarity(cosine: Matrix, lexical: Matrix) -> Matrix:
    """The combined similarity used for alignment (symmetric; 1.0 on identical sentences)."""
    weight = cfg.ALIGN_COSINE_WEIGHT
    combined: Matrix = (weight * np.clip(cosine, 0.0, 1.0) + (1 - weight) * lexical).astype(
        np.float32
    )
    return combined


def _pool(ordered: Sequence[AnnotatedArticle]) -> _Pool:
    sentences: list[Sentence] = []
    article_of: list[int] = []
    blocks: list[Matrix | None] = []
    for number, item in enumerate(ordered):
        sentences.extend(item.sentences)
        article_of.extend([number] * len(item.sentences))
        blocks.append(_vectors(item))
    lexical = _lexical([content_tokens(s.text) for s in sentences])
    if sentences and all(block is not None for block in blocks):
        stacked = np.vstack([b for b in blocks if b is not None])
        cosine: Matrix = (stacked @ stacked.T).astype(np.float32)
    else:
        # Without embeddings the lexical score stands in for the cosine.
        cosine = lexical.copy()
    similarity = sentence_similarity(cosine, lexical)
    return _Pool(
        tuple(sentences), tuple(article_of), similarity, cosine, _claims_by_sentence(ordered)
    )


def _claims_by_sentence(
    ordered: Sequence[AnnotatedArticle],
) -> tuple[tuple[tuple[Claim, Matrix], ...], ...] | None:
    if not any(item.claims for item in ordered) or any(
        item.claims and item.claim_vectors is None for item in ordered
    ):
        return None
    result: list[tuple[tuple[Claim, Matrix], ...]] = []
    for item in ordered:
        by_sentence: dict[int, list[tuple[Claim, Matrix]]] = {}
        for claim, vector in zip(item.claims, item.claim_vectors, strict=True):
            by_sentence.setdefault(claim.sentence, []).append((claim, vector))
        result.extend(tuple(by_sentence.get(s.index, ())) for s in item.sentences)
    return tuple(result)


def corroborating_pair(pool: _Pool, i: int, j: int) -> Label | None:
    """The judge's best verdict between the claims of sentences *i* and *j* when one of their
    claims states the same as (or part of) one of the other's, else None."""
    assert pool.claims is not None
    best: Label | None = None
    for left, left_vector in pool.claims[i]:
        for right, right_vector in pool.claims[j]:
            cosine = float(np.dot(left_vector, right_vector))
            label = judge_claims(left, right, cosine).label
            if label == "same":
                return label
            if label == "partial":
                best = label
    return best


def _links(pool: _Pool) -> list[tuple[float, int, int]]:
    """Candidate links (score, i, j), i < j, strongest first, ties by position."""
    n = len(pool.sentences)
    links: list[tuple[float, int, int]] = []
    if n < 2:
        return links
    upper = np.triu_indices(n, k=1)
    scores = pool.similarity[upper]
    cosines = pool.cosine[upper]
    article = np.asarray(pool.article_of)
    same = article[upper[0]] == article[upper[1]]
    if pool.claims is None:
        across = (scores >= cfg.ALIGN_THRESHOLD) | (cosines >= cfg.ALIGN_COSINE_ALONE)
    else:
        # Candidates only: the judge of "same claim" decides (a shared topic is not enough).
        across = scores >= cfg.ALIGN_GROUP_MIN
    linked = np.where(same, np.minimum(scores, cosines) >= cfg.ALIGN_SAME_ARTICLE, across)
    for k in np.flatnonzero(linked):
        i, j = int(upper[0][k]), int(upper[1][k])
        if pool.claims is not None and not same[k] and corroborating_pair(pool, i, j) is None:
            continue
        links.append((float(scores[k]), i, j))
    # Scores are rounded so float noise cannot reorder ties between permutations.
    links.sort(key=lambda link: (-round(link[0], 6), link[1], link[2]))
    return links


def _group(pool: _Pool) -> list[list[int]]:
    n = len(pool.sentences)
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    for _score, i, j in _links(pool):
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        left, right = members[gi], members[gj]
        same_article_link = pool.article_of[i] == pool.article_of[j]
        shared = {pool.article_of[k] for k in left} & {pool.article_of[k] for k in right}
        if shared and not same_article_link:
            continue
        block = pool.similarity[np.ix_(left, right)]
        if float(block.min()) < cfg.ALIGN_GROUP_MIN:
            continue
        keep, drop = (gi, gj) if gi < gj else (gj, gi)
        members[keep] = sorted(members[keep] + members[drop])
        for k in members[drop]:
            group_of[k] = keep
        del members[drop]
    return sorted(members.values(), key=lambda group: group[0])


def _representative(pool: _Pool, group: list[int]) -> int:
    if len(group) == 1:
        return group[0]
    block = pool.similarity[np.ix_(group, group)]
    means = block.sum(axis=1)
    best = max(range(len(group)), key=lambda k: (round(float(means[k]), 6), -k))
    return group[best]


def align_claims(articles: Sequence[AnnotatedArticle], origins: Origins) -> tuple[ClaimGroup, ...]:
    """Group the sentences of a story's articles into claims.

    Args:
        articles: the annotated articles of one story (any order; see `canonical_order`).
        origins: who copied whom, so wire copies count once in `independent_sources`.

    Returns:
        One ClaimGroup per claim, ids "f1", "f2", ... in order of first appearance; every
        sentence of every article is a member of exactly one group. Sentences of different
        articles join only when the judge of "same claim" (`compare.judge`) finds that a claim
        of one states the same as, or part of, a claim of the other. Status is "corroborated"
        when two or more independent sources carry the claim, else "single_source".
    """
    ordered = canonical_order(articles)
    pool = _pool(ordered)
    groups: list[ClaimGroup] = []
    for number, group in enumerate(_group(pool), start=1):
        spans: tuple[Span, ...] = tuple(pool.sentences[k].span for k in group)
        independent = len({origins.origin_of(span) for span in spans})
        groups.append(
            ClaimGroup(
                id=f"f{number}",
                text=pool.sentences[_representative(pool, group)].text,
                members=spans,
                # Two articles of one origin (a wire copy) are one source, not two.
                status="corroborated" if independent >= 2 else "single_source",
                independent_sources=independent,
            )
        )
    return tuple(groups)

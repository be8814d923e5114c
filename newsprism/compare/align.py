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
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from newsprism.compare.judge import Label, judge_many
from newsprism.data import summary as cfg
from newsprism.model import AddedDetail, AnnotatedArticle, Claim, ClaimGroup, Origins, Span

if TYPE_CHECKING:
    from newsprism.annotate.crossencoder import CrossEncoder

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
class _Unit:
    """What a fact is made of: a claim (or, when the claims annotator did not run, a
    sentence), with the canonical position of its article."""

    span: Span
    text: str
    article: int
    claim: Claim | None = None


@dataclass(frozen=True, slots=True)
class _Pool:
    """All units of a story in canonical order, with their similarity matrices."""

    units: tuple[_Unit, ...]
    article_of: tuple[int, ...]  # canonical position of each unit's article
    similarity: Matrix  # combined score, symmetric, n x n
    cosine: Matrix
    judged: bool  # units are claims: the judge of "same claim" decides every link


def _vectors(rows: int, vectors: object) -> Matrix | None:
    if vectors is None:
        return None
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim != 2 or array.shape[0] != rows:
        return None
    return array


def _lexical(tokens: Sequence[frozenset[str]]) -> Matrix:
    # Mean of Jaccard and the overlap coefficient: a short sentence fully contained in a longer
    # rewording of it (a quote plus context) still scores well, a long shared word list too.
    # The unit-by-word incidence is sparse (a dense one of a long story's claims by its
    # vocabulary is the largest array of a brief), and the n x n work is done in place.
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    for row, token_set in enumerate(tokens):
        for token in token_set:
            rows.append(row)
            columns.append(vocab.setdefault(token, len(vocab)))
    n = len(tokens)
    if n == 0 or not vocab:
        return np.zeros((n, n), dtype=np.float32)
    ones = np.ones(len(rows), dtype=np.float32)
    incidence = csr_matrix((ones, (rows, columns)), shape=(n, len(vocab)), dtype=np.float32)
    inter = np.asarray((incidence @ incidence.T).todense(), dtype=np.float32)
    sizes = np.asarray(incidence.sum(axis=1), dtype=np.float32).ravel()
    scratch = sizes[:, None] + sizes[None, :] - inter  # the union
    result: Matrix = np.divide(inter, scratch, out=np.zeros_like(inter), where=scratch > 0)
    np.minimum(sizes[:, None], sizes[None, :], out=scratch)  # the smaller set
    result += np.divide(inter, scratch, out=np.zeros_like(inter), where=scratch > 0)
    result /= 2
    return result


def sentence_similarity(cosine: Matrix, lexical: Matrix) -> Matrix:
    """The combined similarity used for alignment (symmetric; 1.0 on identical sentences)."""
    weight = cfg.ALIGN_COSINE_WEIGHT
    combined: Matrix = (weight * np.clip(cosine, 0.0, 1.0) + (1 - weight) * lexical).astype(
        np.float32
    )
    return combined


def _units(ordered: Sequence[AnnotatedArticle]) -> tuple[list[_Unit], list[Matrix | None], bool]:
    """The story's claims with their vectors; its sentences when no article has claims with
    vectors (the claims annotator did not run)."""
    judged = any(item.claims for item in ordered) and all(
        _vectors(len(item.claims), item.claim_vectors) is not None for item in ordered
    )
    units: list[_Unit] = []
    blocks: list[Matrix | None] = []
    for number, item in enumerate(ordered):
        if judged:
            units += [_Unit(c.span, c.text, number, c) for c in item.claims]
            blocks.append(_vectors(len(item.claims), item.claim_vectors))
        else:
            units += [_Unit(s.span, s.text, number) for s in item.sentences]
            blocks.append(_vectors(len(item.sentences), item.sentence_vectors))
    return units, blocks, judged


def _pool(ordered: Sequence[AnnotatedArticle]) -> _Pool:
    units, blocks, judged = _units(ordered)
    lexical = _lexical([content_tokens(unit.text) for unit in units])
    if units and all(block is not None for block in blocks):
        stacked = np.vstack([b for b in blocks if b is not None])
        cosine: Matrix = (stacked @ stacked.T).astype(np.float32)
    else:
        # Without embeddings the lexical score stands in for the cosine.
        cosine = lexical.copy()
    return _Pool(
        tuple(units),
        tuple(unit.article for unit in units),
        sentence_similarity(cosine, lexical),
        cosine,
        judged,
    )


def _links(pool: _Pool, cross_encoder: CrossEncoder | None) -> list[tuple[int, float, int, int]]:
    """Candidate links (rank, score, i, j), i < j: claims judged the same before claims judged
    to hold one another (so a claim joins the fact it states exactly), strongest first, ties
    by position. Claims of one article link by similarity; claims of different articles only
    when the judge of "same claim" says so (a shared topic is not enough), all of a story's
    candidate pairs judged in one call (`judge_many`)."""
    n = len(pool.units)
    if n < 2:
        return []
    upper = np.triu_indices(n, k=1)
    scores = pool.similarity[upper]
    cosines = pool.cosine[upper]
    article = np.asarray(pool.article_of)
    same = article[upper[0]] == article[upper[1]]
    if not pool.judged:
        across = (scores >= cfg.ALIGN_THRESHOLD) | (cosines >= cfg.ALIGN_COSINE_ALONE)
    else:
        across = scores >= cfg.ALIGN_GROUP_MIN
    linked = np.flatnonzero(
        np.where(same, np.minimum(scores, cosines) >= cfg.ALIGN_SAME_ARTICLE, across)
    )
    judged = [int(k) for k in linked if pool.judged and not same[k]]
    labels: dict[int, Label] = {k: "same" for k in linked.tolist()}
    verdicts = judge_many([_claim_pair(pool, upper, cosines, k) for k in judged], cross_encoder)
    labels.update((k, verdict.label) for k, verdict in zip(judged, verdicts, strict=True))
    links = [
        (0 if labels[k] == "same" else 1, float(scores[k]), int(upper[0][k]), int(upper[1][k]))
        for k in linked.tolist()
        if labels[k] in ("same", "partial")
    ]
    # Scores are rounded so float noise cannot reorder ties between permutations.
    links.sort(key=lambda link: (link[0], -round(link[1], 6), link[2], link[3]))
    return links


def _claim_pair(
    pool: _Pool, upper: tuple[npt.NDArray[np.intp], ...], cosines: Matrix, k: int
) -> tuple[Claim, Claim, float]:
    left, right = pool.units[upper[0][k]].claim, pool.units[upper[1][k]].claim
    assert left is not None and right is not None  # judged pools hold claims
    return left, right, float(cosines[k])


def _group(pool: _Pool, cross_encoder: CrossEncoder | None) -> list[list[int]]:
    n = len(pool.units)
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    for _rank, _score, i, j in _links(pool, cross_encoder):
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


def align_claims(
    articles: Sequence[AnnotatedArticle],
    origins: Origins,
    cross_encoder: CrossEncoder | None = None,
) -> tuple[ClaimGroup, ...]:
    """Group the claims of a story's articles into facts.

    Args:
        articles: the annotated articles of one story (any order; see `canonical_order`).
        origins: who copied whom, so wire copies count once in `independent_sources`.
        cross_encoder: the cross-encoder whose evidence the judge reads, if any
            (`Models.cross_encoder`).

    Returns:
        One ClaimGroup per fact, ids "f1", "f2", ... in order of first appearance; every claim
        of every article (every sentence, when the claims annotator did not run) is a member
        of exactly one group. Claims of different articles join only when the judge of "same
        claim" (`compare.judge`) finds that one states the same as, or part of, the other.
        `independent_sources` counts origins: a wire copy or reprint counts once, and so does
        a claim an outlet attributes to another outlet of the story ("The Times reported").
        Status is "corroborated" when two or more independent sources carry the claim, else
        "single_source". `added` lists what one outlet states that the others do not.
    """
    ordered = canonical_order(articles)
    pool = _pool(ordered)
    sources = _Sources(ordered, origins)
    groups: list[ClaimGroup] = []
    for number, group in enumerate(_group(pool, cross_encoder), start=1):
        units = [pool.units[k] for k in group]
        independent = len({sources.source_of(unit) for unit in units})
        groups.append(
            ClaimGroup(
                id=f"f{number}",
                text=pool.units[_representative(pool, group)].text,
                members=tuple(unit.span for unit in units),
                status="corroborated" if independent >= 2 else "single_source",
                independent_sources=independent,
                added=added_details(units, ordered) if independent >= 2 else (),
            )
        )
    return tuple(groups)


class _Sources:
    """Who a unit counts as when counting independent sources."""

    def __init__(self, ordered: Sequence[AnnotatedArticle], origins: Origins) -> None:
        self._origins = origins
        self._outlets = {
            name: item.id
            for item in ordered
            if len(name := _outlet_key(item.article.outlet)) >= cfg.CITED_OUTLET_MIN_CHARS
        }

    def source_of(self, unit: _Unit) -> str:
        """The origin of the unit's words; for a claim attributed to another outlet of the
        story, that outlet's origin (it only relays the other outlet's reporting)."""
        speaker = unit.claim.speaker if unit.claim is not None else None
        if speaker:
            said_by = f" {_outlet_key(speaker)} "
            for name, article_id in self._outlets.items():
                if article_id != unit.span.article_id and f" {name} " in said_by:
                    return self._origins.article_origin.get(article_id, article_id)
        return self._origins.origin_of(unit.span)


def _outlet_key(name: str) -> str:
    words = _WORD.findall(name.lower())
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def added_details(
    units: Sequence[_Unit], ordered: Sequence[AnnotatedArticle]
) -> tuple[AddedDetail, ...]:
    """The figures, names and dates one member states and no other member of the fact does."""
    by_id = {item.id: item for item in ordered}
    found: list[AddedDetail] = []
    for unit in units:
        others = [u for u in units if u.span.article_id != unit.span.article_id]
        item = by_id[unit.span.article_id]
        other_text = " ".join(u.text.lower() for u in others)
        other_values = {q.value for u in others if u.claim for q in u.claim.figures}
        details = [
            (q.span, q.text)
            for q in (unit.claim.figures if unit.claim else ())
            if q.value not in other_values
        ]
        mentions = [(e.span, e.text) for e in item.entities] + [
            (d.span, d.text) for d in item.dates
        ]
        details += [
            (span, text)
            for span, text in mentions
            if unit.span.contains(span) and text.lower() not in other_text
        ]
        seen: set[str] = set()
        for span, text in sorted(details, key=lambda d: (d[0].start, d[0].end)):
            if text.lower() not in seen:
                seen.add(text.lower())
                found.append(AddedDetail(text=text, span=span))
    return tuple(found)

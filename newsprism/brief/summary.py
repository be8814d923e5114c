"""The extractive, cited summary of a story.

Every item is one source sentence, word for word, and cites every article whose sentence is in
the same claim group. Sentences are scored by features that matter for multi-document news
(weights in `newsprism.data.summary`):

- position in their own article (news puts the gist first: the lead),
- centrality: cosine to the story's centroid,
- article relevance: leads of off-topic articles (archive stubs, adverts) count less,
- support: how many of the story's articles carry the claim (corroboration),
- shared bigrams: content-word bigrams that other articles use too,

then picked greedily with MMR (a candidate loses what it repeats of the chosen ones; one item
per claim group), and finally put in reading order: early-in-article sentences first.

Articles are taken in `canonical_order`, so the input order does not change the summary.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from newsprism.clean.debris import is_debris
from newsprism.compare.align import canonical_order
from newsprism.data import summary as cfg
from newsprism.datelines import dateline_end
from newsprism.model import AnnotatedArticle, ClaimGroup, Sentence, Span, SummaryItem

__all__ = ["summarize", "is_summary_worthy"]

Vectors = npt.NDArray[np.float32]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_OPEN_QUOTES = "\"“‘'"
_CLOSE_QUOTES = "\"”’'"


def is_summary_worthy(text: str) -> bool:
    """False for sentences a summary should not use: short, questions, bare quotes, debris."""
    stripped = text.strip()
    words = stripped.split()
    if not cfg.SUMMARY_MIN_WORDS <= len(words) <= cfg.SUMMARY_MAX_WORDS_PER_SENTENCE:
        return False
    if stripped.rstrip(_CLOSE_QUOTES).endswith("?"):
        return False
    if stripped[0] in _OPEN_QUOTES and stripped[-1] in _CLOSE_QUOTES + ".":
        # A quote with no attribution outside it ("We must go home.") is a fragment.
        inner = stripped[1:].rstrip(".").rstrip(_CLOSE_QUOTES)
        if not any(mark in inner for mark in _CLOSE_QUOTES[:3]):
            return False
    if not any(ch.islower() for ch in stripped):
        return False  # ALL-CAPS banners and bylines
    if is_debris(stripped):
        return False
    return stripped[-1] in ".!\"”’')"


@dataclass(frozen=True, slots=True)
class _Candidate:
    sentence: Sentence
    article_rank: int
    position: int  # rank among the article's summary-worthy sentences
    group: str
    row: int  # row in the story's vector matrix


def _tokens(text: str) -> list[str]:
    return [w for w in (t.lower() for t in _WORD.findall(text)) if w not in cfg.STOPWORDS]


def _bigrams(text: str) -> set[tuple[str, str]]:
    tokens = _tokens(text)
    return set(zip(tokens, tokens[1:], strict=False))


def _vectors(articles: Sequence[AnnotatedArticle]) -> Vectors | None:
    blocks = []
    for item in articles:
        block = item.sentence_vectors
        if block is None or np.asarray(block).shape[0] != len(item.sentences):
            return None
        blocks.append(np.asarray(block, dtype=np.float32))
    if not blocks:
        return None
    stacked: Vectors = np.vstack(blocks)
    return stacked


def _unit(vector: Vectors) -> Vectors:
    norm = float(np.linalg.norm(vector))
    result: Vectors = (vector / norm if norm > 0 else vector).astype(np.float32)
    return result


def _article_relevance(articles: Sequence[AnnotatedArticle], vectors: Vectors) -> list[float]:
    """How on-topic each article is: cosine of its mean sentence to the other articles' mean.

    Multi-document inputs carry strays (an archive stub, an advert, a related but other
    story); their leads must not win on position alone. Scaled so the best article is 1.
    """
    bounds, row = [], 0
    for item in articles:
        bounds.append((row, row + len(item.sentences)))
        row += len(item.sentences)
    if len(articles) < 2 or row == 0:
        return [1.0] * len(articles)
    total = vectors.sum(axis=0)
    relevance = []
    for start, end in bounds:
        if end == start:
            relevance.append(0.0)
            continue
        own = vectors[start:end].sum(axis=0)
        others = total - own
        relevance.append(max(float(_unit(own) @ _unit(others)), 0.0))
    top = max(relevance) or 1.0
    return [value / top for value in relevance]


def _group_index(
    articles: Sequence[AnnotatedArticle], facts: Sequence[ClaimGroup]
) -> dict[Span, ClaimGroup]:
    """Each sentence's best-supported fact, seen at the level of sentences: facts are claims
    (parts of sentences), the summary quotes whole sentences, so a fact's members become the
    sentences that hold them."""
    starts = {item.id: [s.span for s in item.sentences] for item in articles}
    index: dict[Span, ClaimGroup] = {}
    ranked = sorted(facts, key=lambda f: (-f.independent_sources, -len(f.members)))
    for fact in ranked:
        holders = _holding_sentences(fact.members, starts)
        if not holders:
            continue
        view = replace(fact, members=tuple(holders))
        for span in holders:
            index.setdefault(span, view)
    return index


def _holding_sentences(members: Sequence[Span], sentences: dict[str, list[Span]]) -> list[Span]:
    found: list[Span] = []
    for member in members:
        for span in sentences.get(member.article_id, ()):
            if span.contains(member) and span not in found:
                found.append(span)
                break
    return found


def _candidates(
    articles: Sequence[AnnotatedArticle], groups: dict[Span, ClaimGroup]
) -> list[_Candidate]:
    found: list[_Candidate] = []
    row = 0
    for rank, item in enumerate(articles):
        position = 0
        captions = frozenset(item.captions)
        for sentence in item.sentences:
            if sentence.index not in captions and is_summary_worthy(sentence.text):
                fact = groups.get(sentence.span)
                group = fact.id if fact is not None else f"s:{item.id}:{sentence.index}"
                found.append(_Candidate(sentence, rank, position, group, row))
                position += 1
            row += 1
    return found


def _scores(
    articles: Sequence[AnnotatedArticle],
    candidates: Sequence[_Candidate],
    groups: dict[Span, ClaimGroup],
    vectors: Vectors | None,
) -> list[float]:
    n_articles = max(len(articles), 1)
    # Bigram document frequency: how many articles use each content bigram.
    bigram_sets = [_bigrams(c.sentence.text) for c in candidates]
    per_article: dict[int, set[tuple[str, str]]] = {}
    for candidate, bigrams in zip(candidates, bigram_sets, strict=True):
        per_article.setdefault(candidate.article_rank, set()).update(bigrams)
    frequency: Counter[tuple[str, str]] = Counter()
    for bigrams in per_article.values():
        frequency.update(bigrams)
    shared = [
        sum(frequency[b] - 1 for b in bigrams) / max(len(bigrams), 1) ** cfg.BIGRAM_LENGTH_POWER
        for bigrams in bigram_sets
    ]
    top_shared = max(shared, default=0) or 1
    centrality: list[float] = [0.0] * len(candidates)
    relevance = [1.0] * len(articles)
    if vectors is not None:
        # Sentence-weighted centroid: short stray documents barely move it.
        sims = vectors[[c.row for c in candidates]] @ _unit(vectors.mean(axis=0))
        centrality = [float(s) for s in sims]
        relevance = _article_relevance(articles, vectors)
    scores = []
    for k, candidate in enumerate(candidates):
        fact = groups.get(candidate.sentence.span)
        carriers = len({span.article_id for span in fact.members}) if fact is not None else 1
        support = (carriers - 1) / max(n_articles - 1, 1)
        position = relevance[candidate.article_rank] ** cfg.RELEVANCE_POWER / (
            1.0 + candidate.position / cfg.POSITION_SCALE
        )
        scores.append(
            cfg.WEIGHT_POSITION * position
            + cfg.WEIGHT_CENTRALITY * centrality[k]
            + cfg.WEIGHT_SUPPORT * support
            + cfg.WEIGHT_BIGRAMS * shared[k] / top_shared
        )
    return scores


def _select(
    candidates: Sequence[_Candidate],
    scores: Sequence[float],
    vectors: Vectors | None,
    max_words: int | None,
) -> list[_Candidate]:
    chosen: list[_Candidate] = []
    taken: set[tuple[int, int]] = set()  # (article rank, sentence index) already chosen
    used_groups: set[str] = set()
    words = 0
    budget = max_words if max_words is not None else cfg.SUMMARY_DEFAULT_WORDS
    remaining = list(range(len(candidates)))
    redundancy = np.zeros(len(candidates), dtype=np.float32)
    own = vectors[[c.row for c in candidates]] if vectors is not None else None
    while remaining:
        if max_words is None and (
            len(chosen) >= cfg.SUMMARY_MAX_SENTENCES or words >= cfg.SUMMARY_DEFAULT_WORDS
        ):
            break
        best, best_value = -1, -np.inf
        for k in remaining:
            candidate = candidates[k]
            length = len(candidate.sentence.text.split())
            if candidate.group in used_groups or redundancy[k] > cfg.REDUNDANCY_MAX:
                continue
            if refers_back(candidate.sentence.text) and (
                (candidate.article_rank, candidate.sentence.index - 1) not in taken
            ):
                continue
            if max_words is not None and words + length > budget:
                continue
            value = round(scores[k] - cfg.REDUNDANCY_WEIGHT * float(redundancy[k]), 9)
            if value > best_value:
                best, best_value = k, value
        if best < 0:
            break
        pick = candidates[best]
        chosen.append(pick)
        taken.add((pick.article_rank, pick.sentence.index))
        used_groups.add(pick.group)
        words += len(pick.sentence.text.split())
        remaining.remove(best)
        if own is not None:
            redundancy = np.maximum(redundancy, own @ own[best])
    return chosen


def summarize(
    articles: Sequence[AnnotatedArticle],
    facts: Sequence[ClaimGroup],
    *,
    max_words: int | None = None,
) -> tuple[SummaryItem, ...]:
    """The extractive, cited summary of one story.

    Args:
        articles: the story's annotated articles (any order; see `canonical_order`).
        facts: the story's claim groups from `align_claims` (may be empty).
        max_words: a word budget the summary never exceeds; by default about
            `SUMMARY_MAX_SENTENCES` sentences or `SUMMARY_DEFAULT_WORDS` words.

    Returns:
        Items in reading order; each item's text is exactly the first citation's source text.
    """
    ordered = canonical_order(articles)
    groups = _group_index(ordered, facts)
    candidates = _candidates(ordered, groups)
    if not candidates:
        return ()
    vectors = _vectors(ordered)
    scores = _scores(ordered, candidates, groups, vectors)
    chosen = _select(candidates, scores, vectors, max_words)
    chosen.sort(key=lambda c: (c.position, c.article_rank))
    items = []
    for candidate in chosen:
        fact = groups.get(candidate.sentence.span)
        others = [s for s in fact.members if s != candidate.sentence.span] if fact else []
        text, span = _without_dateline(candidate.sentence)
        items.append(SummaryItem(text=text, citations=(span, *others)))
    return tuple(items)


def refers_back(text: str) -> bool:
    """True when *text* opens with a pronoun that needs its referent before it."""
    words = _WORD.findall(text[:20])
    return bool(words) and words[0].lower() in cfg.REFERRING_OPENERS


def _without_dateline(sentence: Sentence) -> tuple[str, Span]:
    """The sentence's words and span from after a leading dateline ("CAIRO (Reuters) - ")."""
    cut = dateline_end(sentence.text)
    if cut == 0:
        return sentence.text, sentence.span
    span = Span(
        article_id=sentence.span.article_id,
        start=sentence.span.start + cut,
        end=sentence.span.end,
    )
    return sentence.text[cut:], span

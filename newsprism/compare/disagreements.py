"""Figures that outlets state differently for the same thing, compared as intervals.

Two figures in different articles of a story are about the same thing when they are of the same
kind (counts with counts, money with money, durations with durations), count the same thing
(the head noun, via the groups in `newsprism.data.synonyms` or embedding similarity), no
contrasting modifier splits them ("Russian" vs "Belarusian" troops), they are not dated to
different periods, and one of three kinds of evidence holds:

- the same event (word groups or embeddings) in sentences about the same matter;
- aligned sentences (embedding cosine >= ALIGNED_SIMILARITY) holding one figure each of that
  unit, at most a factor of two apart unless they count a named thing: events may differ or
  be missing ("cost" vs "seek");
- near-identical precise values ("$972,815" vs "$972,814") in related sentences;
- the claims holding the figures are the same claim, figures aside (`compare.judge`): then
  any ratio counts ("10,000 protesters" against "50,000").

Each figure is then matched to at most one figure per other article, best evidence first, and a
figure its own article contradicts, or that sits next to an increment ("two more"), is left out:
spurious disagreements are the main failure mode. Verdicts (`incompatible`, `differing`) come
from `newsprism.compare.intervals`. Each claim's `span` is the figure expression (hedge +
number) and its `text` is the whole sentence, so ``article.text[start:end]`` renders the figure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
import numpy.typing as npt

from newsprism.annotate.embed import Embedder
from newsprism.compare.intervals import Interval, interval_of, judge
from newsprism.compare.judge import judge_claims
from newsprism.data import synonyms
from newsprism.grouping import UnionFind
from newsprism.model import (
    AnnotatedArticle,
    Claim,
    Disagreement,
    DisagreementClaim,
    DisagreementKind,
    Quantity,
    Span,
)
from newsprism.text import singular_noun

_INCREMENT_AFTER = re.compile(synonyms.INCREMENT_AFTER, re.IGNORECASE)
_INCREMENT_BEFORE = re.compile(synonyms.INCREMENT_BEFORE, re.IGNORECASE)
_SUBSET_BEFORE = re.compile(synonyms.SUBSET_BEFORE, re.IGNORECASE)
_SUBSET_AFTER = re.compile(synonyms.SUBSET_AFTER, re.IGNORECASE)
_DIGITS = re.compile(r"\d[\d,.]*")
_NEAR_DATE = 60  # characters: a date this close to a figure dates it ("€24.2m in 2014")
_UNIT_CANON = {word: group[0] for group in synonyms.UNIT_GROUPS for word in group}
_EVENT_CANON = {word: group[0] for group in synonyms.EVENT_GROUPS for word in group}


@dataclass(frozen=True, slots=True, kw_only=True)
class _Figure:
    quantity: Quantity
    article: AnnotatedArticle
    order: int  # article position in the story
    unit: str  # canonical head of the counted thing
    event: str  # canonical event
    modifiers: frozenset[str]
    interval: Interval
    sentence_text: str
    when: tuple[tuple[str, str, str], ...]  # (start, end, precision) of the figure's date
    # (start, end, precision) of every resolved date of its sentence, near or not
    sentence_when: tuple[tuple[str, str, str], ...] = ()
    partial: bool  # an increment or a subset ("two more", "including three")
    measure: bool  # a measurement (miles, degrees), not a count of things
    alone: bool = True  # the only figure of its kind and unit (or of no unit) in its sentence
    neighbours: frozenset[float] = frozenset()  # values of other same-kind figures in its sentence
    names: frozenset[str] = frozenset()  # the names its sentence mentions (`_names`)
    claim: tuple[Claim, npt.NDArray[np.float32]] | None = None  # the claim holding it


def find_disagreements(
    articles: Sequence[AnnotatedArticle], embedder: Embedder | None = None
) -> tuple[Disagreement, ...]:
    """Figures the articles of one story state differently for the same thing.

    Args:
        articles: the annotated articles of one story.
        embedder: optional; lets "troops"/"peacekeepers" and "detained"/"arrested" match, and
            judges whether two sentences are about the same matter.

    Returns:
        One Disagreement per subject with every claim about it, incompatible ones first.
    """
    figures = [f for order, art in enumerate(articles) for f in _figures(art, order)]
    if len({f.order for f in figures}) < 2:
        return ()
    similarity = _Similarity(figures, embedder)
    groups = _groups(figures, similarity)
    found: list[Disagreement] = []
    for group in groups:
        disagreement = _disagreement(group)
        if disagreement is not None:
            found.append(disagreement)
    found.sort(key=lambda d: (d.kind != "incompatible", d.claims[0].span))
    return tuple(found)


def _groups(figures: list[_Figure], similarity: _Similarity) -> list[list[_Figure]]:
    """Figures about one subject, at most one figure per article.

    Candidate pairs are taken best first (near-identical values, then the most similar
    sentences), so "$972,815" pairs with "$972,814" rather than with a "$1 million" elsewhere. A
    figure its own article contradicts (same thing, two values) names several things, and one
    next to an increment of the same thing is not a total: both are left out.
    """
    count = len(figures)
    ambiguous: set[int] = set()
    candidates: list[tuple[bool, float, int, int]] = []
    by_kind: dict[str, list[int]] = {}
    for i, figure in enumerate(figures):
        by_kind.setdefault(figure.quantity.kind, []).append(i)
    pairs = ((i, j) for same in by_kind.values() for n, i in enumerate(same) for j in same[n + 1 :])
    for i, j in pairs:
        a, b = figures[i], figures[j]
        if not _same_subject(a, b, similarity):
            continue
        if a.order == b.order:
            # "Two killed ... two more killed": with an increment, neither is the total.
            if a.partial or b.partial or judge(a.interval, b.interval) is not None:
                ambiguous.update((i, j))
            continue
        near = _relative_gap(a, b) <= synonyms.SAME_VALUE_RATIO
        candidates.append((not near, -similarity.sentences(a, b), i, j))
    candidates.sort()
    subjects = UnionFind(range(count))
    # The articles each subject's figures come from: a subject holds one figure per article.
    articles: dict[int, set[int]] = {i: {figure.order} for i, figure in enumerate(figures)}
    for _, _, i, j in candidates:
        if i in ambiguous or j in ambiguous:
            continue
        root_i, root_j = subjects.find(i), subjects.find(j)
        if root_i == root_j or articles[root_i] & articles[root_j]:
            continue
        root = subjects.union(i, j)
        articles[root] = articles.pop(root_i) | articles.pop(root_j)
    members = [[figures[i] for i in group] for group in subjects.groups().values()]
    return [group for group in members if len(group) > 1]


def _relative_gap(a: _Figure, b: _Figure) -> float:
    x, y = abs(a.quantity.value), abs(b.quantity.value)
    return abs(x - y) / max(x, y) if max(x, y) > 0 else 0.0


def _figures(article: AnnotatedArticle, order: int) -> list[_Figure]:
    out: list[_Figure] = []
    for quantity in article.quantities:
        figure = _figure_of(article, order, quantity)
        if figure is not None:
            out.append(figure)
    return _with_neighbours(article, out)


def _figure_of(article: AnnotatedArticle, order: int, quantity: Quantity) -> _Figure | None:
    """The quantity as a comparable figure, or None when it has no unit we can compare."""
    if quantity.kind == "other" or not quantity.unit:
        return None
    words = quantity.unit.split()
    measured = _unit_and_event(quantity, singular_noun(words[-1].lower()))
    if measured is None:
        return None
    head, event, scale = measured
    modifiers = frozenset(
        w.lower() for w in words[:-1] if w[:1].isupper() or w.lower() in synonyms.CONTRAST_MODIFIERS
    )
    sentences = article.sentences
    text = sentences[quantity.sentence].text if quantity.sentence < len(sentences) else ""
    return _Figure(
        quantity=quantity,
        article=article,
        order=order,
        unit=head,
        event=event,
        modifiers=modifiers,
        interval=interval_of(quantity, scale),
        sentence_text=text,
        when=_figure_time(article, quantity),
        sentence_when=_sentence_times(article, quantity.sentence),
        partial=_is_partial(article.article.text, quantity.span),
        measure=head in synonyms.MEASURE_UNITS,
        claim=_claim_of(article, quantity.span),
        names=_names(article, sentences[quantity.sentence].span)
        if quantity.sentence < len(sentences)
        else frozenset(),
    )


_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART"})


def _names(article: AnnotatedArticle, sentence: Span) -> frozenset[str]:
    """The names a sentence mentions, lower case; a person also by surname ("Spacey")."""
    keys: set[str] = set()
    for mention in article.entities:
        if mention.label not in _NAME_LABELS or not sentence.contains(mention.span):
            continue
        name = " ".join(mention.text.lower().split())
        keys.add(name.removeprefix("the "))
        if mention.label == "PERSON":
            keys.add(name.split()[-1])
    return frozenset(keys)


def _claim_of(
    article: AnnotatedArticle, span: Span
) -> tuple[Claim, npt.NDArray[np.float32]] | None:
    """The smallest claim holding the figure, with its embedding (None without claims)."""
    if article.claim_vectors is None or len(article.claim_vectors) != len(article.claims):
        return None
    holding = [
        (claim.span.end - claim.span.start, number)
        for number, claim in enumerate(article.claims)
        if claim.span.contains(span)
    ]
    if not holding:
        return None
    number = min(holding)[1]
    return article.claims[number], np.asarray(article.claim_vectors[number], dtype=np.float32)


def _unit_and_event(quantity: Quantity, head: str) -> tuple[str, str, float] | None:
    """Canonical (unit, event, scale to days) of the figure; None for a duration unit we
    cannot turn into days."""
    event = (quantity.event or "").lower()  # "": only aligned sentences can pair it
    event, head = synonyms.UNIT_EVENT_REWRITES.get((event, head), (event, head))
    scale = 1.0
    if quantity.kind == "duration":
        if head not in synonyms.DURATION_DAYS:
            return None
        scale, head = synonyms.DURATION_DAYS[head], "duration"
        event = synonyms.NOMINALISATIONS.get(event, event)  # narrow: see NOMINALISATIONS
    else:
        head = _UNIT_CANON.get(head, head)
        event = _EVENT_CANON.get(event, event)
    return head, event, scale


def _is_partial(text: str, span: Span) -> bool:
    """An increment ("two more") or a subset ("of whom 5") next to the figure: not a total."""
    return bool(
        _INCREMENT_AFTER.match(text[span.end : span.end + 25])
        or _INCREMENT_BEFORE.search(text[max(0, span.start - 25) : span.start])
        or _SUBSET_BEFORE.search(text[max(0, span.start - 30) : span.start])
        or _SUBSET_AFTER.match(text[span.end : span.end + 50])
    )


def _with_neighbours(article: AnnotatedArticle, out: list[_Figure]) -> list[_Figure]:
    # A sentence with two figures of one unit ("from 5% to 7%") cannot be aligned figure by figure;
    # a figure without a counted noun may be of the same unit ("won 304, not 306").
    units = Counter((f.quantity.sentence, f.quantity.kind, f.unit) for f in out)
    bare = Counter((q.sentence, q.kind) for q in article.quantities if not q.unit)
    return [
        replace(
            f,
            alone=units[(f.quantity.sentence, f.quantity.kind, f.unit)]
            + bare[(f.quantity.sentence, f.quantity.kind)]
            == 1,
            neighbours=_neighbour_values(article, f.quantity),
        )
        for f in out
    ]


def _neighbour_values(article: AnnotatedArticle, quantity: Quantity) -> frozenset[float]:
    """Values of the *other* figures of the same kind in the quantity's sentence (its own value
    is no neighbour: else a hedge flip, "at least 60" against "up to 60", would look like two
    sentences that both state both figures)."""
    return frozenset(
        q.value
        for q in article.quantities
        if q.sentence == quantity.sentence and q.kind == quantity.kind and q.span != quantity.span
    )


def _figure_time(article: AnnotatedArticle, quantity: Quantity) -> tuple[tuple[str, str, str], ...]:
    """The date nearest the figure in its sentence, within `_NEAR_DATE` characters.

    An unresolved date keeps its words as its value ("last year"), so it only matches itself.
    """
    best: tuple[int, tuple[str, str, str]] | None = None
    for m in article.dates:
        if m.sentence != quantity.sentence:
            continue
        if m.span.start < quantity.span.end and quantity.span.start < m.span.end:
            continue  # the figure itself ("the past 18 months")
        gap = max(m.span.start - quantity.span.end, quantity.span.start - m.span.end)
        if gap > _NEAR_DATE:
            continue
        item: tuple[str, str, str]
        if m.value is not None:
            item = (m.value, m.end or m.value, str(m.precision))
        else:
            words = " ".join(m.text.lower().split())
            item = (words, words, _unresolved_precision(words))
        if best is None or gap < best[0]:
            best = (gap, item)
    return (best[1],) if best is not None else ()


class _Similarity:
    """Cosine similarities of unit words, event words and sentences, embedded once."""

    def __init__(self, figures: list[_Figure], embedder: Embedder | None) -> None:
        self._embedder = embedder
        self._words: dict[str, np.ndarray] = {}
        self._masked: dict[str, np.ndarray] = {}
        if embedder is not None:
            words = sorted(({f.unit for f in figures} | {f.event for f in figures}) - {""})
            self._words = dict(zip(words, embedder.embed(words), strict=True))
        self._sentences: dict[tuple[int, int], np.ndarray] = {}
        missing: list[tuple[tuple[int, int], str]] = []
        for f in figures:
            key = (f.order, f.quantity.sentence)
            vectors = f.article.sentence_vectors
            if vectors is not None and f.quantity.sentence < len(vectors):
                self._sentences[key] = np.asarray(vectors[f.quantity.sentence])
            elif embedder is not None and key not in self._sentences:
                missing.append((key, f.sentence_text))
        if missing and embedder is not None:
            rows = embedder.embed([text for _, text in missing])
            self._sentences.update((key, row) for (key, _), row in zip(missing, rows, strict=True))

    def without_digits(self, a: str, b: str) -> float | None:
        """Cosine of two texts with their digits masked, so the judgment of two claims does
        not depend on the figures they state (None without an embedder)."""
        if self._embedder is None:
            return None
        masked = [_DIGITS.sub("#", text) for text in (a, b)]
        missing = [text for text in masked if text not in self._masked]
        if missing:
            self._masked.update(zip(missing, self._embedder.embed(missing), strict=True))
        return float(self._masked[masked[0]] @ self._masked[masked[1]])

    def words(self, a: str, b: str) -> float:
        if a == b:
            return 1.0
        if a in self._words and b in self._words:
            return float(self._words[a] @ self._words[b])
        return 0.0

    def sentences(self, a: _Figure, b: _Figure) -> float:
        """How alike the two figures' sentences are: as written, or with their digits masked
        if that is higher. Two values that differ do not make two sentences speak of different
        matters ("a 20% pay rise" and "a 40% pay rise"), while equal ones are a sign of one."""
        masked = self.without_digits(a.sentence_text, b.sentence_text)
        va = self._sentences.get((a.order, a.quantity.sentence))
        vb = self._sentences.get((b.order, b.quantity.sentence))
        if va is not None and vb is not None:
            return max(float(va @ vb), masked if masked is not None else -1.0)
        return masked if masked is not None else _jaccard(a.sentence_text, b.sentence_text)


def _jaccard(a: str, b: str) -> float:
    wa = {w for w in a.lower().split() if len(w) > 3}
    wb = {w for w in b.lower().split() if len(w) > 3}
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def _same_subject(a: _Figure, b: _Figure, similarity: _Similarity) -> bool:
    if a.quantity.kind != b.quantity.kind:
        return False
    if a.modifiers and b.modifiers and not (a.modifiers & b.modifiers):
        return False
    if not _same_time(a.when, b.when) and not _dated_alike(a, b):
        return False
    if similarity.words(a.unit, b.unit) < synonyms.UNIT_SIMILARITY:
        return False
    same_event = bool(a.event and b.event) and (
        similarity.words(a.event, b.event) >= synonyms.EVENT_SIMILARITY
    )
    context = similarity.sentences(a, b)
    if a.order == b.order:
        # One article giving two values for one event of one thing contradicts itself only
        # about one actor or matter ("Shell gave its chief 8%" is not BP's "20% pay rise").
        return same_event and (bool(a.names & b.names) or context >= synonyms.CONTEXT_SIMILARITY)
    strict = a.quantity.kind != "count" or a.measure or b.measure
    threshold = synonyms.CONTEXT_SIMILARITY if strict else synonyms.COUNT_CONTEXT_SIMILARITY
    if same_event and context >= threshold:
        return True
    if _same_claim_but_figure(a, b, similarity):
        return True
    if not (a.alone and b.alone):
        return False
    # Aligned sentences: two outlets saying the same thing with one figure each of one unit are
    # stating one quantity, whatever verb each parse found ("cost" vs "seek" the same sum).
    if context >= synonyms.ALIGNED_SIMILARITY:
        # A count of one named thing (men, children, protesters) in aligned sentences about the
        # same actors (a name in common) is that count, at any ratio: crowds and tolls are
        # reported at 3 or 5 times each other ("at least four cases in California" and "88
        # cases in 32 states" share no name: two scopes). A sum, share or measure names no
        # thing ("$1 billion worth of stock" next to "a net worth of $2.5bn"): far-apart values
        # mean the sentences only share a topic.
        if not strict and a.names & b.names:
            return True
        # A measure in aligned sentences naming the same places and people ("40 miles away in
        # Rockford" said of McCullough by both) is that distance or size, at any ratio.
        if a.measure and b.measure and len(a.names & b.names) >= synonyms.MEASURE_SHARED_NAMES:
            return True
        return _relative_gap(a, b) <= synonyms.ALIGNED_MAX_GAP
    # Near-identical precise figures ("$972,815" and "$972,814") are one quantity: such values do
    # not coincide by chance, so related sentences suffice.
    return context >= synonyms.NEAR_VALUE_CONTEXT and _near_precise(a, b)


def _same_claim_but_figure(a: _Figure, b: _Figure, similarity: _Similarity) -> bool:
    """The judge of "same claim" finds the two claims state the same thing once their figures
    are set aside: then the figures count one thing, whatever their ratio (a crowd of 10,000
    against one of 50,000 is the conflict that matters most)."""
    if a.claim is None or b.claim is None or not (a.alone and b.alone):
        return False
    (left, left_vector), (right, right_vector) = a.claim, b.claim
    cosine = similarity.without_digits(left.text, right.text)
    if cosine is None:
        cosine = float(left_vector @ right_vector)
    verdict = judge_claims(_figures_aside(left), _figures_aside(right), cosine)
    return verdict.label in ("same", "partial")


def _figures_aside(claim: Claim) -> Claim:
    """The claim without its figures: their numbers are no content to share."""
    numbers = {word.lower() for q in claim.figures for word in q.text.split()}
    return replace(
        claim, figures=(), lemmas=tuple(lemma for lemma in claim.lemmas if lemma not in numbers)
    )


def _near_precise(a: _Figure, b: _Figure) -> bool:
    x, y = a.quantity.value, b.quantity.value
    if x <= 0 or y <= 0 or a.quantity.qualifier == "vague" or b.quantity.qualifier == "vague":
        return False
    if _relative_gap(a, b) > synonyms.NEAR_VALUE_RATIO:
        return False
    return any(_significant_digits(v) >= synonyms.PRECISE_DIGITS for v in (x, y))


def _significant_digits(value: float) -> int:
    digits = f"{value:.6g}".replace(".", "").lstrip("0").split("e")[0]
    return len(digits.rstrip("0")) if "." not in f"{value:.6g}" else len(digits)


def _unresolved_precision(words: str) -> str:
    """ "unknown-year" for an unresolved year that points somewhere ("last year", "this year"):
    a period of its own, compared by its words. "vague-year" for a year named without a
    direction ("the year", "a year's work"): it cannot be told apart from any period."""
    if "year" not in words:
        return "unknown"
    return "unknown-year" if synonyms.YEAR_DIRECTIONS & set(words.split()) else "vague-year"


def _same_time(a: tuple[tuple[str, str, str], ...], b: tuple[tuple[str, str, str], ...]) -> bool:
    """Figures dated to different periods count different things ("21 cases in 2015")."""
    if any(x[2] == "vague-year" for x in (*a, *b)):
        return True  # "the year", "a year's work": no period to split by
    # An unresolved day ("Dec. 1" without a year, "the 27th", "Thursday" without a
    # publication date) is news-cycle recency in words each outlet picks: it splits nothing.
    a, b = tuple(x for x in a if x[2] != "unknown"), tuple(x for x in b if x[2] != "unknown")
    if a and b:
        return any(_overlap(x, y) for x in a for y in b)
    # One side names a year, month or range and the other names none: not comparable. A day or
    # week alone is news-cycle recency and does not split a figure from an undated one.
    return not any(p in ("year", "month", "range", "unknown-year") for _, _, p in (*a, *b))


def _sentence_times(article: AnnotatedArticle, sentence: int) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (m.value, m.end or m.value, str(m.precision))
        for m in article.dates
        if m.sentence == sentence and m.value is not None
    )


def _dated_alike(a: _Figure, b: _Figure) -> bool:
    """One figure is dated near it ("In 2015, more than 4 million") and the other is not, but
    the other's sentence names the same period further on ("... a display in 2015")."""
    if bool(a.when) == bool(b.when):
        return False
    dated, other = (a, b) if a.when else (b, a)
    return any(_overlap(x, y) for x in dated.when for y in other.sentence_when)


def _overlap(x: tuple[str, str, str], y: tuple[str, str, str]) -> bool:
    if x[2].startswith("unknown") or y[2].startswith("unknown"):
        return x[0] == y[0]  # unresolved: only the same words are the same time
    return x[0] <= y[1] and y[0] <= x[1]


def _disagreement(group: list[_Figure]) -> Disagreement | None:
    if any(f.partial for f in group):
        return None  # "two more", "including three": the figures do not add up to one count
    kinds: list[tuple[DisagreementKind, _Figure, _Figure]] = []
    for i, a in enumerate(group):
        for b in group[i + 1 :]:
            verdict = judge(a.interval, b.interval)
            if (
                verdict is not None
                and a.order != b.order
                and (a.quantity.value in b.neighbours or b.quantity.value in a.neighbours)
            ):
                continue  # both sentences state both figures ("won 304, not the 306 he claimed")
            if verdict is not None and a.order == b.order:
                # One article giving two different figures for the "same" thing means the
                # subject is really several things ("32 cases this year", "121 in 2014").
                return None
            if verdict is not None:
                kinds.append((verdict, a, b))
    if not kinds:
        return None
    kind: DisagreementKind = (
        "incompatible" if any(k == "incompatible" for k, _, _ in kinds) else "differing"
    )
    seen: set[tuple[str, int, int]] = set()
    claims: list[DisagreementClaim] = []
    for f in group:
        q = f.quantity
        key = (q.span.article_id, q.span.start, q.span.end)
        if key in seen:
            continue
        seen.add(key)
        claims.append(
            DisagreementClaim(
                value=q.text,
                low=q.low,
                high=q.high,
                qualifier=q.qualifier,
                unit=q.unit,
                text=f.sentence_text,
                span=q.span,
            )
        )
    events = "/".join(dict.fromkeys(f.quantity.event or "" for f in group))
    subject = f"{group[0].quantity.unit} ({events})"
    return Disagreement(
        subject=subject,
        kind=kind,
        field="number",
        claims=tuple(claims),
        note=_later_report_note(group, kinds),
    )


def _later_report_note(
    group: list[_Figure], kinds: list[tuple[DisagreementKind, _Figure, _Figure]]
) -> str | None:
    """When a cumulative count only rises with publication time, say so instead of blaming."""
    if group[0].event not in synonyms.CUMULATIVE_EVENTS:
        return None
    times: list[tuple[datetime, _Figure]] = []
    for f in group:
        published = f.article.article.published
        if published is None:
            return None
        times.append((published, f))
    for _, a, b in kinds:
        pa, pb = a.article.article.published, b.article.article.published
        assert pa is not None and pb is not None
        if pa == pb:
            return None
        early, late = (a, b) if pa < pb else (b, a)
        if late.interval.low < early.interval.low:
            return None  # a later report with a lower count is a real disagreement
    times.sort(key=lambda item: item[0])
    (t0, first), (t1, last) = times[0], times[-1]
    return (
        f"later report: {last.quantity.text} {last.quantity.unit} "
        f"({last.article.article.outlet}, {t1:%Y-%m-%d %H:%M}) after {first.quantity.text} "
        f"({first.article.article.outlet}, {t0:%Y-%m-%d %H:%M}); a cumulative count can rise"
    )

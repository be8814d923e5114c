"""Injected figure conflicts: change one shared figure in one article, see if the brief says so.

A *shared figure* is one the shipped quantity annotator finds in at least two articles of a
story with the same value, kind and counted thing (unit). One of its mentions is rewritten in
one article, by a factor (its digits or number word scaled: "40 miles" x 5 -> "200 miles") or by a
hedge flip ("at least 40" -> "at most 40", "more than" <-> "fewer than"); the whole pipeline then
briefs the changed story again. The injection is *found* when a disagreement of that story has a
claim whose span overlaps the changed characters in the changed article and a claim whose span
overlaps a mention of the same figure in another article.

Everything here is pure: choosing (seeded), rewriting, mapping the rewrite from the cleaned text
back to the input text, and matching disagreements. `newsprism.evaluate.disagreements` runs the
pipeline around it.
"""

from __future__ import annotations

import math
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from newsprism.annotate.numbers import NUMBER_WORDS, parse_number
from newsprism.model import AnnotatedArticle, Article, Disagreement, Quantity, Span, StoryBrief

# The spread the issue asks for: below and above, small (x0.8, x1.25: inside what a rounding or
# an "about" might explain for small figures) to large (x3, x5: crowd sizes and tolls).
FACTORS: tuple[float, ...] = (0.5, 0.8, 1.25, 1.5, 2.0, 3.0, 5.0)
FLIP = "flip"  # the change label of a hedge flip
# A rewritten figure must realise its factor within this share, so x0.8 and x1.25 stay apart from
# x1 and from each other's neighbours ("four" x 0.8 -> "three" is x0.75, and "three" x 1.25 ->
# "four" is x1.33: those figures are skipped for that factor and the next candidate is taken).
FACTOR_TOLERANCE = 0.05
# Kinds whose figures count or measure something comparable; "other" holds ages, rates and
# descriptions ("a five-year low"), which are not totals one outlet could misreport.
ELIGIBLE_KINDS = frozenset({"count", "money", "percent", "duration"})
# Qualifiers that state no single figure to scale or flip.
UNSCALABLE = frozenset({"range", "vague"})

# Hedge flips: the written hedge -> its opposite. "more than" becomes "fewer than" for counts and
# "less than" for amounts (money, percent, durations), as copy editors write them.
PREFIX_FLIPS: dict[str, str] = {
    "at least": "at most",
    "at most": "at least",
    "no fewer than": "no more than",
    "no less than": "no more than",
    "no more than": "no fewer than",
    "more than": "fewer than",
    "fewer than": "more than",
    "less than": "more than",
    "over": "under",
    "under": "over",
    "above": "below",
    "below": "above",
    "up to": "at least",
    "almost": "more than",
    "nearly": "more than",
}
SUFFIX_FLIPS: dict[str, str] = {"or more": "or fewer", "or fewer": "or more", "or less": "or more"}

_DIGITS = re.compile(r"(?<![\d,.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d|,\d)")
_WORD = "|".join(sorted((*NUMBER_WORDS, "dozen"), key=len, reverse=True))
_NUMBER_WORDS = re.compile(
    rf"\b(?:(?:a|an)\s+)?(?:{_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_WORD}))*\b", re.IGNORECASE
)
_ONES: tuple[str, ...] = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
_TENS: tuple[str, ...] = (
    *("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """A mention of a shared figure that may be changed, and the same figure elsewhere."""

    article_id: str
    source: str
    quantity: Quantity
    partners: tuple[Span, ...]  # mentions of the same figure in the story's other articles


@dataclass(frozen=True, slots=True, kw_only=True)
class Rewrite:
    """Replace ``text[start:end]`` (which reads `old`) by `new`."""

    start: int
    end: int
    old: str
    new: str

    def apply(self, text: str) -> str:
        """*text* with the replacement made (it must read `old` at the span)."""
        if text[self.start : self.end] != self.old:
            raise ValueError(f"text reads {text[self.start : self.end]!r}, not {self.old!r}")
        return text[: self.start] + self.new + text[self.end :]

    def moved(self, start: int) -> Rewrite:
        """The same replacement at another offset (the figure's place in another text)."""
        return Rewrite(start=start, end=start + len(self.old), old=self.old, new=self.new)


@dataclass(frozen=True, slots=True, kw_only=True)
class Injection:
    """One planned change: the candidate, the change (a factor or FLIP) and its rewrites."""

    story: str
    change: str
    candidate: Candidate
    clean: Rewrite  # on the cleaned article text (the annotations' offsets)
    raw: Rewrite  # the same replacement on the input document's text

    @property
    def new_words(self) -> str:
        """The figure's words as the change writes them ("at least 40" -> "at most 40")."""
        span = self.candidate.quantity.span
        return self.clean.moved(self.clean.start - span.start).apply(self.candidate.quantity.text)

    @property
    def changed_end(self) -> int:
        """End of the replacement's characters in the changed cleaned text."""
        return self.clean.start + len(self.clean.new)


def change_label(factor: float) -> str:
    """How a factor is named in reports and on the command line ("x0.5", "x2")."""
    return f"x{factor:g}"


def shared_figures(members: Sequence[AnnotatedArticle]) -> tuple[Candidate, ...]:
    """Every mention of a figure that another article of the story gives with the same value,
    kind and unit, in text order of the articles given."""
    by_key: dict[tuple[str, str, float], list[tuple[str, Quantity]]] = defaultdict(list)
    sources: dict[str, str] = {}
    for member in members:
        sources[member.article.id] = member.article.source
        for quantity in member.quantities:
            if _eligible(quantity):
                key = (quantity.kind, quantity.unit.strip().lower(), quantity.value)
                by_key[key].append((member.article.id, quantity))
    candidates: list[Candidate] = []
    for member in members:
        for quantity in member.quantities:
            if not _eligible(quantity):
                continue
            key = (quantity.kind, quantity.unit.strip().lower(), quantity.value)
            partners = tuple(q.span for a, q in by_key[key] if a != member.article.id)
            if partners:
                candidates.append(
                    Candidate(
                        article_id=member.article.id,
                        source=sources[member.article.id],
                        quantity=quantity,
                        partners=partners,
                    )
                )
    return tuple(candidates)


def _eligible(quantity: Quantity) -> bool:
    return (
        quantity.kind in ELIGIBLE_KINDS
        and bool(quantity.unit.strip())
        and quantity.qualifier not in UNSCALABLE
        and quantity.value > 0
    )


def seeded_order(candidates: Sequence[Candidate], seed: int, story: str) -> list[Candidate]:
    """The candidates in an order fixed by *seed* and the story (the same on every run)."""
    ordered = sorted(candidates, key=lambda c: (c.source, c.quantity.span.start))
    random.Random(f"{seed}:{story}").shuffle(ordered)
    return ordered


def plan_injection(
    story: str,
    ordered: Sequence[Candidate],
    change: str,
    texts: dict[str, tuple[str, str]],
) -> Injection | None:
    """The first candidate of *ordered* that *change* can rewrite and whose words can be found
    in the input text. *texts* maps article ids to (cleaned text, input text)."""
    for candidate in ordered:
        clean_text, raw_text = texts[candidate.article_id]
        rewrite = rewrite_figure(clean_text, candidate.quantity, change)
        raw = map_to_input(clean_text, raw_text, rewrite) if rewrite else None
        if rewrite is not None and raw is not None:
            return Injection(
                story=story, change=change, candidate=candidate, clean=rewrite, raw=raw
            )
    return None


def rewrite_figure(text: str, quantity: Quantity, change: str) -> Rewrite | None:
    """The rewrite that applies *change* (a factor label "x2" or FLIP) to *quantity* in *text*;
    None when the figure cannot be changed that way."""
    if change == FLIP:
        return flip_hedge(text, quantity)
    return scale_figure(text, quantity, float(change.removeprefix("x")))


def scale_figure(text: str, quantity: Quantity, factor: float) -> Rewrite | None:
    """The figure's digits or number words scaled by *factor* ("2,500" x 3 -> "7,500", "four"
    x 5 -> "twenty"); None when the figure does not read as one number or the factor cannot be
    written close enough (FACTOR_TOLERANCE) in the figure's own style."""
    written = text[quantity.span.start : quantity.span.end]
    digits = list(_DIGITS.finditer(written))
    if len(digits) == 1:
        core = digits[0]
        new = _scaled_digits(core.group(0), factor, quantity)
    elif not digits:
        words = list(_NUMBER_WORDS.finditer(written))
        if len(words) != 1 or parse_number(words[0].group(0)) != quantity.value:
            return None
        core = words[0]
        new = _scaled_words(core.group(0), factor)
    else:
        return None  # "$2-3 billion" and the like: two numbers, not one figure
    if new is None:
        return None
    start = quantity.span.start + core.start()
    return Rewrite(start=start, end=start + len(core.group(0)), old=core.group(0), new=new)


def _scaled_digits(written: str, factor: float, quantity: Quantity) -> str | None:
    value = float(written.replace(",", ""))
    if value <= 0:
        return None
    decimals = len(written.partition(".")[2])
    scaled_word = not math.isclose(value, quantity.value)  # "1.8 million": a scale word follows
    # An integer count stays an integer ("31 people", not "31.25"); a figure with decimals or
    # decimals may take one more, and one with a scale word two ("$1 million" x 1.25 ->
    # "$1.25 million"), as far as the product needs them.
    most = decimals + 2 if scaled_word else decimals + 1 if decimals else 0
    target = value * factor
    for places in range(decimals, most + 1):
        new = round(target, places)
        if math.isclose(new, target, rel_tol=0.01):
            break
    if not _close_to(new, value, factor):
        return None
    commas = "," in written or (value < 1000 <= new)
    return f"{new:,.{places}f}" if commas else f"{new:.{places}f}"


def _scaled_words(written: str, factor: float) -> str | None:
    value = parse_number(written)
    if value is None or value <= 0:
        return None
    new = round(value * factor)
    if not _close_to(new, value, factor):
        return None
    words = _words(new) if new < 100 else f"{new:,}"
    return words.capitalize() if written[0].isupper() else words


def _close_to(new: float, value: float, factor: float) -> bool:
    """True when *new* differs from *value* and realises *factor* within FACTOR_TOLERANCE."""
    return new > 0 and new != value and abs(new / value / factor - 1) <= FACTOR_TOLERANCE


def _words(number: int) -> str:
    if number < 20:
        return _ONES[number]
    tens, ones = divmod(number, 10)
    return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")


def flip_hedge(text: str, quantity: Quantity) -> Rewrite | None:
    """The figure's hedge turned to its opposite ("at least 40" -> "at most 40"); None when the
    figure has no hedge that PREFIX_FLIPS or SUFFIX_FLIPS can turn."""
    start, end = quantity.span.start, quantity.span.end
    written = text[start:end]
    lowered = written.lower()
    for hedge, opposite in PREFIX_FLIPS.items():
        if re.match(rf"{re.escape(hedge)}\s", lowered):
            if opposite == "fewer than" and quantity.kind != "count":
                opposite = "less than"
            new = opposite.capitalize() if written[0].isupper() else opposite
            return Rewrite(start=start, end=start + len(hedge), old=written[: len(hedge)], new=new)
    for hedge, opposite in SUFFIX_FLIPS.items():
        if re.search(rf"\s{re.escape(hedge)}$", lowered):
            if opposite == "or fewer" and quantity.kind != "count":
                opposite = "or less"
            at = end - len(hedge)
            return Rewrite(start=at, end=end, old=text[at:end], new=opposite)
    return None


def map_to_input(clean_text: str, raw_text: str, rewrite: Rewrite) -> Rewrite | None:
    """The rewrite at its place in the input text the cleaned text came from.

    Cleaning drops whole lines and trailing spaces but never changes characters inside a line
    (`newsprism.text.normalise_layout`), so the figure's line of the cleaned text stands in the
    input; it is used when it stands there exactly once (else None: the place is ambiguous).
    """
    line_start = clean_text.rfind("\n", 0, rewrite.start) + 1
    line_end = clean_text.find("\n", rewrite.end)
    line = clean_text[line_start : line_end if line_end >= 0 else len(clean_text)]
    found = raw_text.find(line)
    if found < 0 or raw_text.find(line, found + 1) >= 0:
        return None
    return rewrite.moved(found + rewrite.start - line_start)


def _overlaps(span: Span, article_id: str, start: int, end: int) -> bool:
    return span.article_id == article_id and span.start < end and start < span.end


def covering(
    disagreements: Sequence[Disagreement],
    article_id: str,
    start: int,
    end: int,
    partners: Sequence[Span],
) -> Disagreement | None:
    """The first disagreement with a claim overlapping ``[start, end)`` of *article_id* and a
    claim, in another article, overlapping one of *partners*; None when there is none."""
    for disagreement in disagreements:
        spans = [claim.span for claim in disagreement.claims]
        if not any(_overlaps(s, article_id, start, end) for s in spans):
            continue
        others = [s for s in spans if s.article_id != article_id]
        if any(_overlaps(s, p.article_id, p.start, p.end) for s in others for p in partners):
            return disagreement
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What became of one injection: "found", "missed", or "not applied" (the changed input
    did not clean to the expected text, so offsets would not be comparable)."""

    injection: Injection
    status: str
    disagreement: Disagreement | None = None
    already: bool = False  # the unchanged story already had a disagreement covering it


def recall(outcomes: Sequence[Outcome]) -> tuple[int, int, float | None]:
    """(found, scored, found / scored) over the applied injections; None when none scored."""
    scored = [o for o in outcomes if o.status != "not applied"]
    found = sum(1 for o in scored if o.status == "found")
    return found, len(scored), (found / len(scored) if scored else None)


def score(
    injection: Injection,
    *,
    old_text: str,
    article: Article | None,
    changed: StoryBrief | None,
    unchanged: StoryBrief | None,
) -> Outcome:
    """The outcome of *injection*, given the article its changed input became (None: none did),
    the brief of the changed story and that of the unchanged one. *old_text* is the cleaned
    text before the change: the changed article must read it with the rewrite made."""
    candidate = injection.candidate
    span = candidate.quantity.span
    before = unchanged.disagreements if unchanged is not None else ()
    already = covering(before, candidate.article_id, span.start, span.end, candidate.partners)
    if article is None or article.text != injection.clean.apply(old_text):
        return Outcome(injection=injection, status="not applied", already=already is not None)
    after = changed.disagreements if changed is not None else ()
    hit = covering(
        after, article.id, injection.clean.start, injection.changed_end, candidate.partners
    )
    return Outcome(
        injection=injection,
        status="found" if hit is not None else "missed",
        disagreement=hit,
        already=already is not None,
    )

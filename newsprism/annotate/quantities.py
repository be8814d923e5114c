"""Figures in an article: the number, its hedge as an interval, what it counts and the event.

Figures are found with regular expressions on the text (digits, ranges, money, percentages,
number words, vague amounts such as "dozens"), then read against spaCy's parse of the same text:
the counted thing is the noun the number modifies (or the noun of "dozens of lives", or "troops
out of about 2,500"), and the event is the verb governing that noun (see `_event`). Hedges come
from `newsprism.data.hedges`, which owns every interval rule.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from newsprism.annotate.numbers import NUMBER_WORDS, parse_number
from newsprism.data import hedges
from newsprism.data.synonyms import LIGHT_VERBS, MOTION_VERBS, NOMINALISATIONS, PERCEPTION_VERBS
from newsprism.model import Quantity, Sentence, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

Kind = Literal["count", "money", "percent", "duration", "other"]

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s?(?:million|billion|trillion|thousand|hundred|dozen)\b|(?:bn|mn|m|k)\b)"
_CUR = r"US\$|\$|£|€"
_WORD = "|".join(sorted((*NUMBER_WORDS, "dozen"), key=len, reverse=True))
_WORDS = rf"(?:(?:{_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_WORD}))*|(?:a|an)\s+(?:dozen|hundred|thousand|million|billion))\b"
_TIME_UNIT = r"(?:second|minute|hour|day|night|week|fortnight|month|year|decade|centur(?:y|ie))s?"
_CURRENCY_WORDS = r"(?:dollars|euros|pounds|yuan|rupees|roubles|rubles|yen)\b"
_TAIL = (
    rf"(?P<tail>\s*(?:%|per\s?cent\b)|[\s-]+{_TIME_UNIT}(?:-(?:long|old))?\b|\s+{_CURRENCY_WORDS})?"
)

_DIGIT_FIGURE = re.compile(
    rf"(?<![\w.,$£€-])(?P<cur>{_CUR})?(?P<a>{_NUM})(?P<ascale>{_SCALE})?"
    rf"(?:\s*(?:-|–|—|\bto\b)\s*(?:{_CUR})?(?P<b>{_NUM})(?P<bscale>{_SCALE})?)?"
    rf"(?!\w)(?![:.,]\d)(?!\s?[ap]\.?m\b){_TAIL}",
    re.IGNORECASE,
)
_WORD_FIGURE = re.compile(
    rf"(?<![\w-])(?:half\s+a\s+(?:million|billion)|(?P<a>{_WORDS})(?:\s+to\s+(?P<b>{_WORDS}))?){_TAIL}",
    re.IGNORECASE,
)
_BETWEEN = re.compile(
    rf"\bbetween\s+(?P<cur>{_CUR})?(?P<a>(?:{_NUM})(?:{_SCALE})?|{_WORDS})\s+and\s+"
    rf"(?:{_CUR})?(?P<b>(?:{_NUM})(?:{_SCALE})?|{_WORDS}){_TAIL}",
    re.IGNORECASE,
)
_VAGUE_KEYS = sorted(hedges.VAGUE_AMOUNTS, key=len, reverse=True)
_MULTIPLIER_KEYS = sorted(hedges.VAGUE_MULTIPLIERS, key=len, reverse=True)
_VAGUE = re.compile(
    rf"\b(?:(?P<mult>{'|'.join(_MULTIPLIER_KEYS)})\s+(?P<scale>dozen|hundred|thousand|million|billion)\b"
    rf"|(?P<vague>{'|'.join(re.escape(k) for k in _VAGUE_KEYS if k != 'many')})\b){_TAIL}",
    re.IGNORECASE,
)
_WEEK_LONG = re.compile(rf"\b(?:a|an|one)\s+(?P<unit>{_TIME_UNIT})-long\b", re.IGNORECASE)
_PREFIX_HEDGE = re.compile(
    r"\b(?P<hedge>"
    + "|".join(re.escape(h) for h in sorted(hedges.PREFIX_HEDGES, key=len, reverse=True))
    + r")\s+$",
    re.IGNORECASE,
)
_SUFFIX_HEDGE = re.compile(
    r"^\s*(?P<hedge>"
    + "|".join(re.escape(h) for h in sorted(hedges.SUFFIX_HEDGES, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
# Event nouns on the way up from the figure ("the deployment of 2,500 troops").
_EVENT_WORDS = frozenset(NOMINALISATIONS)
_RATE = re.compile(
    r"^\s*(?:[\w.-]+\s+){0,2}?(?:a|per|an|each)\s+(?:day|week|month|year|hour|minute|second|night)\b"
    r"|^\s*(?:[\w.-]+\s+){0,2}?(?:daily|weekly|monthly|annually|a\s+head|per\s+capita|apiece)\b",
    re.IGNORECASE,
)
# "one in every seven patients", "1 in 4 adults": a proportion, not a count of patients.
_ONE_IN = re.compile(r"\b(?:one|1|a)\s+(?:in|out\s+of)\s+(?:every\s+)?$", re.IGNORECASE)
_TEMPERATURE_SCALES = frozenset({"fahrenheit", "celsius", "centigrade", "kelvin", "f", "c"})
_COLLECTIVE_WORDS = frozenset(
    {"dozens", "scores", "hundreds", "thousands", "millions", "billions", "tens", "dozen"}
    | {"several", "few", "couple", "handful", "million", "billion", "thousand", "hundred"}
)
# Words that quantify rather than describe the counted thing ("how many troops").
_NOT_MODIFIERS = frozenset({"how", "many", "much", "few", "more", "most", "less", "fewer"})
_CURRENCY_UNITS = {"$": "dollars", "us$": "dollars", "£": "pounds", "€": "euros"}


def find_quantities(
    doc: Doc, sentences: Sequence[Sentence], article_id: str
) -> tuple[Quantity, ...]:
    """Every figure of the article, with hedge interval, counted thing and event.

    Args:
        doc: spaCy's parse of the whole ``Article.text`` (token offsets index that text).
        sentences: the article's sentences (their spans index the same text).
        article_id: the id every returned Span carries.

    Returns:
        Quantities in text order; dates, times, ordinals and labels ("Route 6") are left out.
    """
    text = doc.text
    candidates: list[tuple[int, int, re.Match[str], str]] = []
    for pattern, shape in (
        (_BETWEEN, "between"),
        (_DIGIT_FIGURE, "digits"),
        (_WEEK_LONG, "week_long"),
        (_VAGUE, "vague"),
        (_WORD_FIGURE, "words"),
    ):
        candidates.extend((m.start(), m.end(), m, shape) for m in pattern.finditer(text))
    # Longest first at each start, then drop anything overlapping an earlier pick.
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    starts = [s.span.start for s in sentences]
    found: list[Quantity] = []
    taken_until = -1
    for start, end, match, shape in candidates:
        if start < taken_until:
            continue
        quantity = _build(doc, match, shape, starts, article_id)
        if quantity is not None:
            found.append(quantity)
            taken_until = end
    return tuple(found)


class _Figure(NamedTuple):
    """A figure's reading before the checks: where it sits (hedge included) and its interval."""

    start: int
    end: int
    value: float
    low: float
    high: float
    qualifier: str


def _build(
    doc: Doc, match: re.Match[str], shape: str, starts: list[int], article_id: str
) -> Quantity | None:
    text = match.string  # doc.text, which spaCy rebuilds token by token on every access
    groups = match.groupdict()
    tail = (groups.get("tail") or "").strip().lower()
    if shape == "week_long":
        tail = match.group("unit").lower()
    figure = _read_figure(match, shape, groups)
    if figure is None:
        return None
    kind = _kind_of(groups, tail)
    figure = _with_hedge(text, figure)
    tokens = doc.char_span(match.start(), match.end(), alignment_mode="expand")
    if tokens is None or len(tokens) == 0:
        return None
    anchor = _anchor(tokens)
    if not _is_figure(tokens, anchor, kind, shape, figure.value):
        return None
    if _is_not_a_quantity(text, shape, figure):
        return None
    kind, tail = _refined_kind(text, match, anchor, kind, tail, figure)
    noun = _counted_noun(anchor) if kind in ("count", "money") else None
    unit = _unit(kind, tail, groups.get("cur"), noun, tokens)
    if kind == "count" and shape == "words" and noun is None:
        return None  # "the two met", "one of them": a bare number word counts nothing we can name
    sentence = max(bisect.bisect_right(starts, figure.start) - 1, 0)
    return Quantity(
        span=Span(article_id=article_id, start=figure.start, end=figure.end),
        text=text[figure.start : figure.end],
        value=figure.value,
        low=figure.low,
        high=figure.high,
        qualifier=figure.qualifier,
        unit=unit,
        event=_event(anchor, noun),
        sentence=sentence,
        kind=kind,
    )


def _read_figure(match: re.Match[str], shape: str, groups: dict[str, str | Any]) -> _Figure | None:
    """The figure's value and interval as written, before any hedge word; None if no figure."""
    start, end = match.start(), match.end()
    if shape == "week_long":
        return _Figure(start, end, 1.0, 1.0, 1.0, "exact")
    if shape == "vague":
        if groups.get("mult"):
            lo, hi = hedges.VAGUE_MULTIPLIERS[groups["mult"].lower()]
            scale = hedges.SCALE_WORDS[groups["scale"].lower()]
            low, high = lo * scale, hi * scale
        else:
            low, high = hedges.VAGUE_AMOUNTS[groups["vague"].lower()]
        return _Figure(start, end, low, low, high, "vague")
    a_text = groups.get("a")
    if a_text is None:  # "half a million"
        a_text = " ".join(match.group(0).split()[:3])
    elif groups.get("ascale"):
        a_text = f"{a_text} {groups['ascale']}"
    a = parse_number(a_text)
    b_text = groups.get("b")
    if b_text is not None and groups.get("bscale"):
        b_text = f"{b_text} {groups['bscale']}"
        if not groups.get("ascale") and a is not None:
            a *= hedges.SCALE_WORDS[groups["bscale"].strip().lower()]  # "$2-3 billion"
    b = parse_number(b_text) if b_text else None
    if a is None:
        return None
    if b is not None and b > a:
        return _Figure(start, end, (a + b) / 2, a, b, "range")
    if b is not None:
        return None  # "10-2" is a score or a label, not a range
    return _Figure(start, end, a, a, a, "exact")


def _kind_of(groups: dict[str, str | Any], tail: str) -> Kind:
    """What the figure measures, from its currency sign and the word after it."""
    if groups.get("cur") or re.search(_CURRENCY_WORDS, tail):
        return "money"
    if tail.endswith("%") or "cent" in tail:
        return "percent"
    if tail.endswith("-old"):
        return "other"
    if tail:
        return "duration"
    return "count"


def _with_hedge(text: str, figure: _Figure) -> _Figure:
    """The figure widened by a hedge word before ("about 2,500") or after ("2,500 or more")."""
    start, end, value, low, high, qualifier = figure
    if qualifier not in ("exact", "vague"):
        return figure
    hedge_match = _PREFIX_HEDGE.search(text[max(0, start - 30) : start])
    suffix_match = _SUFFIX_HEDGE.match(text[end : end + 12])
    rule: hedges.HedgeRule | None = None
    if hedge_match:
        rule = hedges.PREFIX_HEDGES[" ".join(hedge_match.group("hedge").lower().split())]
        start -= len(hedge_match.group(0))
    elif suffix_match and qualifier == "exact":
        rule = hedges.SUFFIX_HEDGES[suffix_match.group("hedge").lower()]
        end += suffix_match.end()
    if rule is not None and qualifier == "exact":
        qualifier = rule.qualifier
        low, high = hedges.interval(value, rule.rule)
    elif rule is not None and rule.rule in ("at_least", "more_than"):
        high = math.inf  # "more than dozens": the vague range opens upwards
    return _Figure(start, end, value, low, high, qualifier)


def _is_not_a_quantity(text: str, shape: str, figure: _Figure) -> bool:
    end = figure.end
    if re.match(r"^\s+ago\b", text[end : end + 8], re.IGNORECASE):
        return True  # "two days ago" is a date (dates.py), not a duration
    # "one man approached": "one" is an article more often than a figure
    return shape == "words" and figure.value == 1 and figure.qualifier == "exact"


def _refined_kind(
    text: str, match: re.Match[str], anchor: Token, kind: Kind, tail: str, figure: _Figure
) -> tuple[Kind, str]:
    """Ages, rates and descriptions told apart from durations and totals by the words around."""
    start, end = figure.start, figure.end
    if kind == "duration" and re.match(r"^\s+old\b", text[end : end + 6], re.IGNORECASE):
        kind, tail = "other", tail + "-old"  # "49 years old" is an age, like "49-year-old"
    if _RATE.match(text[end : end + 30]) or _ONE_IN.search(text[max(0, start - 20) : start]):
        kind = "other"  # a rate ("30 miles a day") is not a total
    elif kind == "duration" and "-" in match.group(0) and not _modifies_event(anchor):
        kind = "other"  # "five-year lows", "a 30-year mortgage": a description, not a duration
    return kind, tail


def _anchor(tokens: SpacySpan) -> Token:
    """The syntactic head of the figure's tokens: the last one whose head lies outside them."""
    toks = list(tokens)
    ids = {t.i for t in toks}
    heads = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    return heads[-1] if heads else toks[-1]


def _is_figure(tokens: SpacySpan, anchor: Token, kind: Kind, shape: str, value: float) -> bool:
    toks = list(tokens)
    if kind != "duration":
        # Dates and clock times are DateMentions ("January 22", "2022", "5 p.m.").
        in_date = any(t.ent_type_ in ("DATE", "TIME") for t in toks)
        # spaCy sometimes tags "between 10 and 12 people" as DATE: a counted noun overrules it.
        counts_noun = anchor.dep_ == "nummod" and anchor.head.pos_ == "NOUN"
        if in_date and kind == "count" and shape != "vague" and not counts_noun:
            return False
        if any(t.ent_type_ == "ORDINAL" for t in toks):
            return False
    first = toks[0]
    # Labels: "Route 6", "Flight 370", "No. 5" (a number right after a proper noun it hangs on).
    if first.i > 0 and anchor.head.i < anchor.i and anchor.head.pos_ == "PROPN":
        return False
    # ... or inside a name: "a Porsche 911 Carrera", "the Boeing 737 Max" (proper nouns both sides).
    if first.i > 0 and first.nbor(-1).pos_ == "PROPN" and anchor.head.pos_ == "PROPN":
        return False
    # An address: "the 3100 block of West Fullerton" (police reports locate by block).
    head = anchor.head
    if head.lower_ == "block" and head.i + 1 < len(head.doc) and head.nbor(1).lower_ == "of":
        return False
    # A year: four digits, no comma, not counting a noun ("2019", but "1,900 people" is a count).
    return not (
        shape == "digits"
        and kind == "count"
        and float(value).is_integer()
        and 1800 <= value <= 2100
        and "," not in anchor.text
        and not (anchor.dep_ == "nummod" and anchor.head.pos_ == "NOUN")
    )


def _counted_noun(anchor: Token) -> Token | None:
    if anchor.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod") and anchor.head.pos_ in (
        "NOUN",
        "PROPN",
    ):
        if anchor.head.head.pos_ == "NUM" or anchor.head.like_num:
            return _counted_noun(anchor.head)
        return anchor.head
    # "dozens of lives", "thousands of people"; but "one of the three honours" and "2,000 of the
    # troops" pick members out of a group, so only vague amounts and scale words count this way.
    partitive_ok = anchor.lower_ in _COLLECTIVE_WORDS
    for child in anchor.children if partitive_ok else ():
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [
                g for g in child.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")
            ]
            if objects:
                return objects[0]
    if anchor.dep_ == "pobj" and anchor.head.lower_ == "of":
        head = anchor.head.head
        if head.lower_ == "out" and head.dep_ == "prep":
            head = head.head  # "troops out of about 2,500"
        if head.pos_ == "NOUN" and not head.like_num:
            return head
    return None


def _unit(
    kind: Kind, tail: str, currency: str | None, noun: Token | None, tokens: SpacySpan
) -> str:
    if kind == "duration":
        return re.sub(r"-(long|old)$", "", tail.split()[-1].lstrip("-")).lower()
    if kind == "other":
        return "years old" if tail.endswith("-old") else ""
    if kind == "percent":
        return "percent"
    if kind == "money":
        if currency:
            return _CURRENCY_UNITS.get(currency.lower(), currency.lower())
        return tail.split()[-1]
    if noun is None:
        return ""
    own = {t.i for t in tokens}
    start = noun.i
    for child in noun.lefts:
        if child.dep_ in ("amod", "compound", "nmod") and child.i not in own:
            subtree = list(child.subtree)
            if not any(t.i in own or t.like_num or t.lower_ in _NOT_MODIFIERS for t in subtree):
                start = min(start, child.left_edge.i)
    end = noun.i + 1
    if end < len(noun.doc) and noun.doc[end].lower_ in _TEMPERATURE_SCALES:
        end += 1  # "degrees Fahrenheit" and "degrees Celsius" are different units
    return noun.doc[start:end].text


def _modifies_event(anchor: Token) -> bool:
    """True when a hyphenated length ("10-day") describes an event noun ("deployment")."""
    head = anchor if anchor.pos_ == "NOUN" else anchor.head
    return any(token.lemma_.lower() in _EVENT_WORDS for token in (head, head.head))


def _event(anchor: Token, noun: Token | None) -> str | None:
    """The lemma of the event the figure belongs to, looking through light verbs.

    A participle on the counted thing wins ("2,500 sent in", "people killed in clashes"); then an
    event noun on the way up ("the deployment of 2,500 troops"); then the first verb above.
    """
    base = noun if noun is not None else anchor
    for child in (*base.children, *anchor.children):
        if child.dep_ in ("acl", "relcl") and child.pos_ == "VERB":
            return _look_through(child)
    token = base
    for _ in range(8):
        if token.head.i == token.i:
            break
        token = token.head
        if token.pos_ == "NOUN" and token.lemma_.lower() in _EVENT_WORDS:
            return token.lemma_.lower()
        if token.pos_ in ("VERB", "AUX") and token.dep_ != "amod":
            return _look_through(token, base)
    return None


def _look_through(verb: Token, counted: Token | None = None) -> str | None:
    lemma = verb.lemma_.lower()
    subject = any(
        c.dep_ == "nsubj" and counted is not None and c.i == counted.i for c in verb.children
    )
    if subject and lemma in PERCEPTION_VERBS:
        return lemma  # "2 million people saw the shroud": they did the seeing
    if lemma in MOTION_VERBS:
        # "2 million people came to see the shroud": the event is what they came for.
        for child in verb.children:
            if (
                child.dep_ in ("advcl", "xcomp")
                and child.pos_ == "VERB"
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
            ):
                purpose = child.lemma_.lower()
                return purpose if purpose in PERCEPTION_VERBS else _look_through(child)
        return lemma
    if lemma not in LIGHT_VERBS:
        return lemma
    for child in verb.children:
        if child.dep_ in ("xcomp",) and child.pos_ == "VERB":
            return _look_through(child)
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lemma_.lower() in _EVENT_WORDS:
            return child.lemma_.lower()
    return None

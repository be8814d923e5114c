"""Date expressions resolved against the article's publication date, never against the clock.

spaCy finds DATE/TIME spans; `resolve_date` (our resolver) turns each into an ISO date with a
precision. Rules (weeks run Monday-Sunday, as ISO 8601):

- "today"/"tonight" = the publication day; "yesterday" -1 day; "tomorrow" +1 day.
- A bare weekday ("on Thursday"): the publication day when it is that weekday; otherwise the most
  recent such day before it, unless the tense points forward (below), then the next such day.
- "last week"/"this week"/"next week": that Monday-Sunday week (precision "week");
  "Wednesday next week", "last Thursday", "next Friday": that day of that week.
- "N days/weeks/months/years ago": the day (or week, month, year) that far back.
- Month and day without a year ("January 22"): the year that puts it nearest the publication date
  (the first one from the publication date on when the tense points forward).
- A month alone ("in March"): the latest such month up to the publication month, or the next one
  when the tense points forward; precision "month". Years ("2019") and decades ("the 1990s").
- The tense points forward when the governing clause says the event is still ahead: a future
  auxiliary, "plans to", "is expected/set/scheduled/due to", "is to be", "upcoming", "next",
  "up for re-election in", a scheduling verb in the present ("begins on Tuesday"); a
  past-tense governing verb keeps the date behind (cues in `newsprism.data.tense`).
- Absolute dates ("January 22, 2022", "22 Jan 2022", "2022-01-22"): our patterns, then dateparser
  (STRICT_PARSING, RELATIVE_BASE = publication date) for other spellings that carry a year.
- Without a publication date, relative expressions stay unresolved (value None, "unknown").
- Durations ("10 days", "a week-long", "no more than 10 days") are not dates: they are skipped
  here and become `Quantity(kind="duration")` in quantities.py.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from newsprism.data.tense import (
    FORWARD_ADJECTIVES,
    FORWARD_AUXILIARIES,
    FORWARD_GOVERNORS,
    FORWARD_IN_EXPRESSION,
    FORWARD_LIMITS,
    FORWARD_PHRASES,
    FORWARD_WITH_INFINITIVE,
    FORWARD_WORDS,
    GOVERNOR_CLIMB,
    PAST_AUXILIARIES,
    SCHEDULE_VERBS,
)
from newsprism.model import Article, DateMention, Precision, Sentence, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): n for n, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_UNITS = {"day": "day", "week": "week", "month": "month", "year": "year"}
_NUMBER = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_NUMBER.update({"seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 0, "a few": 0})

_LEADING = re.compile(
    r"^(?:(?:on|by|since|until|till|from|before|after|in|during|as of|the|early|late|mid|"
    r"earlier|later|last|this|next)\b[\s-]*)+"
)
# An age, which spaCy tags DATE: "23-year-old", "a 2-year-old", "aged 40", "in his 60s".
_AGE = re.compile(
    r"^(?:an?\s+)?(?:\d+|\w+)[\s-]+(?:year|month|week|day)s?[\s-]+old$"
    r"|^aged\s+\d+$|^in\s+(?:his|her|their)\s+(?:early\s+|mid-?|late\s+)?\d0s$",
    re.IGNORECASE,
)
_DURATION = re.compile(
    r"^(?:(?:only|just|about|around|nearly|almost|over|more than|less than|no more than|at least|"
    r"up to|some|another|the|a|an)\s+)*(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|"
    r"ten|twelve|several|a few|few|many|some|couple of|a couple of|dozens of|\w+teen|\w+ty)"
    r"[\s-]+(?:more\s+)?(?:second|minute|hour|day|night|week|fortnight|month|year|decade)s?"
    r"(?:-long)?$"
)
_AGO = re.compile(r"^(?P<n>\d+|\w+|a few)\s+(?P<unit>day|week|month|year)s?\s+ago$")
_PAST_N = re.compile(
    r"^(?:the\s+)?(?:past|last)\s+(?P<n>\d+|\w+)\s+(?P<unit>day|week|month|year)s$"
)
_MONTH_DAY = re.compile(rf"^{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?$")
_DAY_MONTH = re.compile(rf"^{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?$")
_MONTH_ONLY = re.compile(rf"^{_MONTH}(?:,?\s+(?:of\s+)?{_YEAR})?$")
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)$")
_YEAR_ONLY = re.compile(rf"^{_YEAR}$")
_DECADE = re.compile(r"^(?:the\s+)?(?P<decade>1[89]\d0|20\d0)s$")


class Resolution(NamedTuple):
    """A resolved date: ISO start, ISO end (weeks, ranges) and precision."""

    value: str | None
    end: str | None
    precision: Precision


UNRESOLVED = Resolution(None, None, "unknown")


def find_dates(
    doc: Doc, sentences: Sequence[Sentence], article: Article
) -> tuple[DateMention, ...]:
    """Every date expression in *article*, resolved against its publication date.

    Args:
        doc: spaCy's parse of ``article.text``.
        sentences: the article's sentences (to give each mention its sentence index).
        article: the article; ``article.published`` anchors relative expressions.

    Returns:
        DateMentions in text order; durations are left out (they are Quantities).
    """
    published = article.published.date() if isinstance(article.published, datetime) else None
    starts = [s.span.start for s in sentences]
    mentions: list[DateMention] = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        expression = ent.text.strip()
        if is_duration(expression) or _AGE.match(expression):
            continue  # a length of time, or an age ("23-year-old"): no date
        resolution = resolve_date(expression, published, forward=_points_forward(ent))
        if resolution.precision == "unknown" and ent.label_ == "TIME":
            continue  # clock times alone ("5 p.m.") place nothing on a timeline
        sentence = max(bisect.bisect_right(starts, ent.start_char) - 1, 0)
        mentions.append(
            DateMention(
                span=Span(article_id=article.id, start=ent.start_char, end=ent.end_char),
                text=ent.text,
                value=resolution.value,
                end=resolution.end,
                precision=resolution.precision,
                sentence=sentence,
            )
        )
    return tuple(mentions)


def is_duration(expression: str) -> bool:
    """True for a length of time ("10 days", "a week-long", "no more than 10 days")."""
    text = " ".join(expression.lower().split())
    return bool(_DURATION.match(text)) and not text.endswith(" ago")


def points_forward(sentence_text: str) -> bool:
    """Lexical tense cue for when no parse is at hand (timeline re-resolution)."""
    return bool(FORWARD_WORDS.search(sentence_text.lower()))


def _points_forward(ent: SpacySpan) -> bool:
    """True when the clause governing *ent* puts it ahead of the publication date (see
    `newsprism.data.tense`); a past-tense governing verb keeps it behind."""
    if FORWARD_IN_EXPRESSION.search(ent.text.lower()):
        return True
    # "halted traffic until Friday": a limit set in the report lies ahead of it.
    before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
    if before in FORWARD_LIMITS or re.match(r"(?:until|till)\b", ent.text.lower()):
        return True
    path = _path_to_verb(ent.root)
    chain = _verb_chain(path[-1])
    if any(_has_forward_aux(verb) for verb in chain):
        return True
    if _is_past(chain):
        return False
    if any(_governs_forward(verb) for verb in chain) or any(map(_marked_ahead, path)):
        return True
    finite = chain[-1]
    if finite.tag_ in {"VBZ", "VBP"} and chain[0].lemma_.lower() in SCHEDULE_VERBS:
        return True
    return bool(FORWARD_PHRASES.search(_clause_text(finite).lower()))


def _path_to_verb(token: Token) -> list[Token]:
    """*token* and its heads up to the first verb (at most `GOVERNOR_CLIMB` links)."""
    path = [token]
    for _ in range(GOVERNOR_CLIMB):
        if path[-1].pos_ in ("VERB", "AUX") or path[-1].head.i == path[-1].i:
            break
        path.append(path[-1].head)
    return path


def _verb_chain(verb: Token) -> list[Token]:
    """The verb and what it is the complement of: "meet" <- "set" in "are set to meet"."""
    chain = [verb]
    while chain[-1].dep_ in ("xcomp", "acomp") and len(chain) <= GOVERNOR_CLIMB:
        chain.append(chain[-1].head)
    return chain


def _has_forward_aux(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in FORWARD_AUXILIARIES for c in verb.children)


def _is_past(chain: list[Token]) -> bool:
    auxiliaries = (c for verb in chain for c in verb.children if c.dep_ in ("aux", "auxpass"))
    return chain[-1].tag_ == "VBD" or any(c.lower_ in PAST_AUXILIARIES for c in auxiliaries)


def _governs_forward(verb: Token) -> bool:
    lemma = verb.lemma_.lower()
    if lemma in FORWARD_WITH_INFINITIVE:
        return any(c.dep_ == "xcomp" for c in verb.children) and verb.tag_ != "VB"
    return lemma in FORWARD_GOVERNORS


def _marked_ahead(token: Token) -> bool:
    """ "the upcoming vote on Tuesday", "ahead of Friday's summit"."""
    if token.lower_ == "ahead":
        return True
    return any(c.dep_ == "amod" and c.lower_ in FORWARD_ADJECTIVES for c in token.children)


def _clause_text(verb: Token) -> str:
    """The words of *verb*'s own clause, without the clauses it embeds."""
    nested = {
        t.i
        for child in verb.children
        if child.dep_ in ("ccomp", "advcl", "relcl", "conj", "parataxis")
        for t in child.subtree
    }
    return "".join(t.text_with_ws for t in verb.subtree if t.i not in nested)


def resolve_date(expression: str, published: date | None, *, forward: bool = False) -> Resolution:
    """Resolve one date expression; relative ones need *published* (else "unknown").

    >>> resolve_date("Wednesday next week", date(2022, 1, 13))
    Resolution(value='2022-01-19', end=None, precision='day')
    """
    text = " ".join(expression.lower().replace("\u2019", "'").split()).strip(" ,.")
    absolute = _resolve_absolute(text, published, forward)
    if absolute is not None:
        return absolute
    if published is None:
        return UNRESOLVED
    return _resolve_relative(text, published, forward) or UNRESOLVED


def _resolve_absolute(text: str, published: date | None, forward: bool) -> Resolution | None:
    core = re.sub(r"^(?:on|by|since|until|in|during|from|as of|the|early|late|mid)[\s-]+", "", text)
    core = re.sub(r"^(?:the\s+)?(?:early|late|mid)[\s-]+", "", core)
    core = re.sub(rf"^{_WEEKDAY},?\s+", "", core)  # "Thursday, January 13, 2022"
    if match := _ISO.match(core):
        return _day(int(match["year"]), int(match["month"]), int(match["day"]))
    if match := _MONTH_DAY.match(core) or _DAY_MONTH.match(core):
        month, day = MONTHS[match["month"]], int(match["day"])
        if match["year"]:
            return _day(int(match["year"]), month, day)
        if published is None:
            return UNRESOLVED
        return _nearest_month_day(month, day, published, forward)
    if (match := _MONTH_ONLY.match(core)) and (match["year"] or published is not None):
        month = MONTHS[match["month"]]
        if match["year"]:
            year = int(match["year"])
        else:
            assert published is not None
            year = published.year
            if forward and month < published.month:
                year += 1
            elif not forward and month > published.month:
                year -= 1
        last = calendar.monthrange(year, month)[1]
        return Resolution(
            date(year, month, 1).isoformat(), date(year, month, last).isoformat(), "month"
        )
    if match := _YEAR_ONLY.match(core):
        year = int(match["year"])
        return Resolution(f"{year}-01-01", f"{year}-12-31", "year")
    if match := _DECADE.match(core):
        decade = int(match["decade"])
        return Resolution(f"{decade}-01-01", f"{decade + 9}-12-31", "range")
    if re.search(r"\b(?:1[89]\d\d|20\d\d)\b", core):
        return _dateparser(core, published)
    return None


def _resolve_relative(text: str, published: date, forward: bool) -> Resolution | None:
    text = re.sub(r"^(?:on|by|since|until|from|as of)\s+", "", text)
    text = re.sub(r"\s+(?:morning|afternoon|evening|night)$", "", text)
    # The shapes below never match the same text, so the first that answers is the answer.
    return (
        _resolve_named_day(text, published)
        or _resolve_period(text, published)
        or _resolve_weekday(text, published, forward)
        or _resolve_counted(text, published)
        or _resolve_weekend(text, published, forward)
    )


def _resolve_named_day(text: str, published: date) -> Resolution | None:
    """Named days: "today", "yesterday", "tomorrow" and their kin."""
    if text in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return _day_of(published)
    if text in ("yesterday", "last night"):
        return _day_of(published - timedelta(days=1))
    if text == "the day before yesterday":
        return _day_of(published - timedelta(days=2))
    if text == "tomorrow":
        return _day_of(published + timedelta(days=1))
    return None


def _resolve_period(text: str, published: date) -> Resolution | None:
    """Whole periods: "the past week", "last/this/next week|month|year"."""
    match = re.match(r"^(?:the\s+)?(?:past|last)\s+(?P<unit>week|month|year)$", text)
    if match and text.startswith(("the", "past")):  # "the past week": the days up to publication
        days = {"week": 7, "month": 30, "year": 365}[match["unit"]]
        start = published - timedelta(days=days)
        return Resolution(start.isoformat(), published.isoformat(), "range")
    if match := re.match(
        r"^(?:(?:earlier|later)\s+)?(?P<which>last|this|next)\s+(?P<unit>week|month|year)$", text
    ):
        shift = {"last": -1, "this": 0, "next": 1}[match["which"]]
        return _period(published, match["unit"], shift)
    return None


def _resolve_weekday(text: str, published: date, forward: bool) -> Resolution | None:
    """Weekdays: "Wednesday next week", "last Thursday", "this coming Friday", "Monday"."""
    if match := re.match(rf"^{_WEEKDAY}\s+(?P<which>last|this|next)\s+week$", text):
        shift = {"last": -1, "this": 0, "next": 1}[match["which"]]
        return _weekday_in_week(published, WEEKDAYS.index(match["weekday"]), shift)
    if match := re.match(rf"^(?P<which>last|this|next|this coming|coming)\s+{_WEEKDAY}$", text):
        weekday = WEEKDAYS.index(match["weekday"])
        if match["which"] == "last":
            return _day_of(_previous(published, weekday))
        if match["which"] == "this" and not forward:
            return _weekday_in_week(published, weekday, 0)
        return _day_of(_following(published, weekday))
    if match := re.match(rf"^{_WEEKDAY}$", text):
        weekday = WEEKDAYS.index(match["weekday"])
        if published.weekday() == weekday:
            return _day_of(published)
        return _day_of(_following(published, weekday) if forward else _previous(published, weekday))
    return None


def _resolve_counted(text: str, published: date) -> Resolution | None:
    """Counted spans: "three weeks ago", "the past 10 days"; "several" resolves nothing."""
    if match := _AGO.match(text):
        count = _count(match["n"])
        if count is None:
            return None
        unit = match["unit"]
        return (
            _period(published, unit, -count)
            if unit != "day"
            else _day_of(published - timedelta(days=count))
        )
    if match := _PAST_N.match(text):
        count = _count(match["n"])
        if count is None:
            return None
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[match["unit"]] * count
        return Resolution(
            (published - timedelta(days=days)).isoformat(), published.isoformat(), "range"
        )
    return None


def _resolve_weekend(text: str, published: date, forward: bool) -> Resolution | None:
    """Weekends: "last weekend", "this weekend", "the weekend", a Saturday-Sunday range."""
    if text in ("last weekend", "this weekend", "the weekend", "weekend"):
        saturday = (
            _previous(published, 5)
            if text == "last weekend" or not forward
            else _following(published, 5)
        )
        if text == "this weekend" and published.weekday() >= 5:
            saturday = published - timedelta(days=published.weekday() - 5)
        return Resolution(saturday.isoformat(), (saturday + timedelta(days=1)).isoformat(), "range")
    return None


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    value = _NUMBER.get(word)
    return value if value else None


def _day(year: int, month: int, day: int) -> Resolution:
    try:
        return _day_of(date(year, month, day))
    except ValueError:
        return UNRESOLVED


def _day_of(day: date) -> Resolution:
    return Resolution(day.isoformat(), None, "day")


def _nearest_month_day(month: int, day: int, published: date, forward: bool) -> Resolution:
    """The year that puts the day nearest the publication date; with a forward tense, the
    first such day from the publication date on ("will vote on January 10" in a June article)."""
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue  # 29 February in a common year
    ahead = [d for d in options if d >= published]
    if forward and ahead:
        return _day_of(min(ahead))
    if not options:
        return UNRESOLVED
    return _day_of(min(options, key=lambda d: abs((d - published).days)))


def _previous(published: date, weekday: int) -> date:
    return published - timedelta(days=(published.weekday() - weekday - 1) % 7 + 1)


def _following(published: date, weekday: int) -> date:
    return published + timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)


def _weekday_in_week(published: date, weekday: int, shift: int) -> Resolution:
    monday = published - timedelta(days=published.weekday()) + timedelta(weeks=shift)
    return _day_of(monday + timedelta(days=weekday))


def _period(published: date, unit: str, shift: int) -> Resolution:
    if unit == "week":
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=shift)
        return Resolution(monday.isoformat(), (monday + timedelta(days=6)).isoformat(), "week")
    if unit == "month":
        index = published.year * 12 + published.month - 1 + shift
        year, month = divmod(index, 12)
        last = calendar.monthrange(year, month + 1)[1]
        return Resolution(
            date(year, month + 1, 1).isoformat(), date(year, month + 1, last).isoformat(), "month"
        )
    year = published.year + shift
    return Resolution(f"{year}-01-01", f"{year}-12-31", "year")


def _dateparser(text: str, published: date | None) -> Resolution | None:
    # Imported lazily: dateparser takes about a second to import. STRICT_PARSING demands day,
    # month and year, so nothing is filled in from RELATIVE_BASE (and never from the clock).
    import dateparser

    base = datetime.combine(published or date(2000, 1, 1), datetime.min.time())
    settings = {"RELATIVE_BASE": base, "STRICT_PARSING": True, "PREFER_DATES_FROM": "past"}
    parsed = dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return _day_of(parsed.date()) if parsed is not None else None

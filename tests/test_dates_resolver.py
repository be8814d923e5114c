"""The date resolver: expressions x publication weekdays, and find_dates on our own sentences."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from newsprism.annotate.dates import find_dates, is_duration, resolve_date
from newsprism.model import Article

# Publication days Monday 10 .. Sunday 16 January 2022.
PUBLISHED = [date(2022, 1, day) for day in range(10, 17)]
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# expression, forward tense?, expected ISO day (or "start/end") for each publication weekday
TABLE: list[tuple[str, bool, tuple[str, ...]]] = [
    ("yesterday", False, tuple(f"2022-01-{d:02d}" for d in range(9, 16))),
    ("today", False, tuple(f"2022-01-{d:02d}" for d in range(10, 17))),
    ("tomorrow", True, tuple(f"2022-01-{d:02d}" for d in range(11, 18))),
    ("on Thursday", False, ("2022-01-06",) * 3 + ("2022-01-13",) * 4),
    ("Thursday", True, ("2022-01-13",) * 4 + ("2022-01-20",) * 3),
    ("last Thursday", False, ("2022-01-06",) * 4 + ("2022-01-13",) * 3),
    ("last week", False, ("2022-01-03/2022-01-09",) * 7),
    ("this week", False, ("2022-01-10/2022-01-16",) * 7),
    ("next week", True, ("2022-01-17/2022-01-23",) * 7),
    ("Wednesday next week", False, ("2022-01-19",) * 7),
    ("January 22", False, ("2022-01-22",) * 7),
    ("December 30", False, ("2021-12-30",) * 7),
    ("in March", False, ("2021-03-01/2021-03-31",) * 7),
    ("in March", True, ("2022-03-01/2022-03-31",) * 7),
    ("3 days ago", False, tuple(f"2022-01-{d:02d}" for d in range(7, 14))),
    ("January 22, 2022", False, ("2022-01-22",) * 7),
    ("2019", False, ("2019-01-01/2019-12-31",) * 7),
]
CASES = [
    pytest.param(expr, forward, pub, expected[i], id=f"{expr}-{WEEKDAY_NAMES[i]}-{forward}")
    for expr, forward, expected in TABLE
    for i, pub in enumerate(PUBLISHED)
]


@pytest.mark.parametrize(("expression", "forward", "published", "expected"), CASES)
def test_dates_resolver_table(expression: str, forward: bool, published: date, expected: str):
    resolution = resolve_date(expression, published, forward=forward)
    got = resolution.value if resolution.end is None else f"{resolution.value}/{resolution.end}"
    assert got == expected


@pytest.mark.parametrize(
    ("expression", "precision"),
    [
        ("last week", "week"),
        ("Thursday", "day"),
        ("in March", "month"),
        ("2019", "year"),
        ("the 1990s", "range"),
    ],
)
def test_dates_resolver_precision(expression: str, precision: str):
    assert resolve_date(expression, date(2022, 1, 13)).precision == precision


@pytest.mark.parametrize("expression", ["yesterday", "on Thursday", "last week", "January 22"])
def test_dates_resolver_without_publication_date_stays_unknown(expression: str):
    resolution = resolve_date(expression, None)
    assert (resolution.value, resolution.precision) == (None, "unknown")


def test_dates_resolver_absolute_date_needs_no_publication_date():
    assert resolve_date("22 Jan 2022", None).value == "2022-01-22"
    assert resolve_date("13/01/2022", None).value == "2022-01-13"  # via dateparser


@pytest.mark.parametrize(
    ("expression", "duration"),
    [
        ("10 days", True),
        ("no more than 10 days", True),
        ("a week-long", True),
        ("several days", True),
        ("10 days ago", False),
        ("last week", False),
        ("Thursday", False),
    ],
)
def test_dates_is_duration(expression: str, duration: bool):
    assert is_duration(expression) is duration


@pytest.fixture(scope="module")
def nlp():
    from tests.conftest import shared_models

    return shared_models().need_nlp()


def _mentions(nlp, text: str, published: datetime | None):
    from newsprism.annotate.sentences import split_sentences

    article = Article(id="a", source="t", outlet="t", title="", text=text, published=published)
    return find_dates(nlp(text), split_sentences(article), article)


def test_find_dates_uses_the_parse_for_tense(nlp):
    text = (
        "The ministry said on Thursday that the troops will leave on Saturday. "
        "The withdrawal would take 10 days."
    )
    found = {m.text: m for m in _mentions(nlp, text, datetime(2022, 1, 14, 9))}  # a Friday
    assert found["Thursday"].value == "2022-01-13"
    assert found["Saturday"].value == "2022-01-15"  # "will": forward
    assert "10 days" not in found  # a duration, not a date
    for mention in found.values():
        assert text[mention.span.start : mention.span.end] == mention.text


def test_find_dates_without_publication_date(nlp):
    found = _mentions(nlp, "Protests began last week and the city was calm yesterday.", None)
    assert found and all(m.value is None and m.precision == "unknown" for m in found)


def test_find_dates_until_a_weekday_points_forward(nlp):
    text = "The lake authority halted ferry traffic until Friday. Ferries last sailed on Friday."
    found = _mentions(nlp, text, datetime(2031, 3, 10, 9))  # a Monday
    values = sorted(m.value for m in found if m.text.endswith("Friday"))
    assert values == ["2031-03-07", "2031-03-14"]  # the past sailing, the coming limit


# Published on a Sunday: forward cues resolve ahead, the past tense behind.
SUNDAY = datetime(2031, 6, 15, 10)
TENSE_CASES = [
    ("The governor will address the assembly on Monday evening.", "Monday", "2031-06-16"),
    ("The governor addressed the assembly on Monday evening.", "Monday", "2031-06-09"),
    ("The two ministers are set to meet on Friday morning.", "Friday", "2031-06-20"),
    ("The two ministers met on Friday morning.", "Friday", "2031-06-13"),
    ("The two ministers were set to meet on Friday.", "Friday", "2031-06-13"),
    ("The council is expected to vote on Thursday.", "Thursday", "2031-06-19"),
    ("The minister plans to visit the valley on Wednesday.", "Wednesday", "2031-06-18"),
    ("The hearing is scheduled for Tuesday.", "Tuesday", "2031-06-17"),
    ("The firm is due to report its results on Thursday.", "Thursday", "2031-06-19"),
    ("The festival begins on Saturday.", "Saturday", "2031-06-21"),
    ("The festival began on Saturday.", "Saturday", "2031-06-14"),
    ("Officials are preparing for Friday's summit.", "Friday", "2031-06-20"),
    ("The upcoming vote on Tuesday will decide the matter.", "Tuesday", "2031-06-17"),
    ("The senator is up for re-election in November.", "November", "2031-11-01"),
    ("The senator won re-election in November.", "November", "2030-11-01"),
    ("The bill is to be debated in March.", "March", "2032-03-01"),
    ("The bill was debated in March.", "March", "2031-03-01"),
    ("The court will rule on January 10.", "January 10", "2032-01-10"),
    ("The court ruled on January 10.", "January 10", "2031-01-10"),
]


@pytest.mark.parametrize(("text", "words", "expected"), TENSE_CASES)
def test_find_dates_tense_points_forward_or_back(nlp, text: str, words: str, expected: str):
    found = {m.text: m.value for m in _mentions(nlp, text, SUNDAY)}
    assert found.get(words) == expected, found


def test_find_dates_past_verb_wins_over_a_later_future_clause(nlp):
    text = "The minister said on Friday that the talks would resume in March."
    found = {m.text: m.value for m in _mentions(nlp, text, SUNDAY)}
    assert found["Friday"] == "2031-06-13"  # "said": behind
    assert found["March"] == "2032-03-01"  # "would resume": ahead


def test_find_dates_an_age_is_no_date(nlp):
    text = "The 23-year-old driver and a 2-year-old girl were hurt on Thursday."
    found = {m.text for m in _mentions(nlp, text, datetime(2022, 1, 14, 9))}
    assert not any("year-old" in t for t in found)  # spaCy tags ages DATE: not a date
    assert "Thursday" in found

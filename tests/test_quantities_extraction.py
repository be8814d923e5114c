"""Figure extraction on a table of our own sentences: hedge, interval, unit, event, kind."""

from __future__ import annotations

import math

import pytest

from newsprism.annotate.numbers import parse_number
from newsprism.annotate.quantities import find_quantities
from newsprism.model import Article

INF = math.inf

# sentence, figure text, qualifier, low, high, unit (substring), event, kind
TABLE = [
    (
        "Police detained almost 10,000 people after the riots.",
        "almost 10,000",
        "almost",
        9000,
        10000,
        "people",
        "detain",
        "count",
    ),
    (
        "At least 12,000 people have been detained, police said.",
        "At least 12,000",
        "at least",
        12000,
        INF,
        "people",
        "detain",
        "count",
    ),
    (
        "Over 2,000 troops have begun withdrawing from the country.",
        "Over 2,000",
        "over",
        2000,
        INF,
        "troops",
        "withdraw",
        "count",
    ),
    (
        "It was unclear how many troops out of about 2,500 sent in were leaving.",
        "about 2,500",
        "about",
        2250,
        2750,
        "troops",
        "send",
        "count",
    ),
    (
        "The city of 1.8 million people was calm.",
        "1.8 million",
        "exact",
        1.8e6,
        1.8e6,
        "people",
        None,
        "count",
    ),
    (
        "The damage could total $2-3 billion, the minister said.",
        "$2-3 billion",
        "range",
        2e9,
        3e9,
        "dollars",
        "total",
        "money",
    ),
    (
        "Rebels freed twelve thousand prisoners on Monday.",
        "twelve thousand",
        "exact",
        12000,
        12000,
        "prisoners",
        "free",
        "count",
    ),
    (
        "Police arrested a dozen journalists.",
        "a dozen",
        "exact",
        12,
        12,
        "journalists",
        "arrest",
        "count",
    ),
    (
        "The violence claimed dozens of lives.",
        "dozens",
        "vague",
        24,
        150,
        "lives",
        "claim",
        "count",
    ),
    (
        "Between 10 and 12 people died in the fire.",
        "Between 10 and 12",
        "range",
        10,
        12,
        "people",
        "die",
        "count",
    ),
    (
        "Up to 300 homes were destroyed by the storm.",
        "Up to 300",
        "up to",
        0,
        300,
        "homes",
        "destroy",
        "count",
    ),
    ("Turnout fell to 45% in the capital.", "45%", "exact", 45, 45, "percent", "fall", "percent"),
    (
        "The contingent would take 10 days to fully withdraw.",
        "10 days",
        "exact",
        10,
        10,
        "days",
        "withdraw",
        "duration",
    ),
    (
        "The withdrawal would take no more than 10 days.",
        "no more than 10 days",
        "up to",
        0,
        10,
        "days",
        "withdrawal",
        "duration",
    ),
    (
        "Troops left after a week-long deployment.",
        "a week-long",
        "exact",
        1,
        1,
        "week",
        "deployment",
        "duration",
    ),
    (
        "Some 10,000 or more fans waited outside.",
        "Some 10,000",
        "about",
        9000,
        11000,
        "fans",
        "wait",
        "count",
    ),
]


@pytest.fixture(scope="module")
def nlp():
    from tests.conftest import shared_models

    return shared_models().need_nlp()


def _quantities(nlp, text: str):
    from newsprism.annotate.sentences import split_sentences

    article = Article(id="q", source="t", outlet="t", title="", text=text)
    return find_quantities(nlp(text), split_sentences(article), article.id)


@pytest.mark.parametrize(
    ("sentence", "figure", "qualifier", "low", "high", "unit", "event", "kind"), TABLE
)
def test_quantities_table(nlp, sentence, figure, qualifier, low, high, unit, event, kind):
    found = {q.text: q for q in _quantities(nlp, sentence)}
    assert figure in found, f"{figure!r} not in {list(found)}"
    q = found[figure]
    assert sentence[q.span.start : q.span.end] == figure
    assert q.qualifier == qualifier
    assert q.low == pytest.approx(low) and q.high == pytest.approx(high)
    assert unit in q.unit
    if event is not None:
        assert q.event == event
    assert q.kind == kind


@pytest.mark.parametrize(
    ("sentence", "not_figure"),
    [
        ("The deadline is January 22.", "22"),  # a date
        ("He was born in 1990.", "1990"),  # a year
        ("They met at 5 p.m. on Route 6.", "5"),  # a clock time
        ("They met at 5 p.m. on Route 6.", "6"),  # a road
        ("He was driving a black 2008 Porsche 911 Carrera when stopped.", "911"),  # in a name
        ("The Boeing 737 Max was grounded.", "737"),  # a model number
        ("It happened in the 3100 block of West Fullerton.", "3100"),  # an address
        ("She came first.", "first"),  # an ordinal
        ("One of the three winners spoke.", "One"),  # partitive "one of"
        ("The lion escaped two days ago.", "two days"),  # a date, not a duration
    ],
)
def test_quantities_not_figures(nlp, sentence, not_figure):
    assert not_figure not in {q.text for q in _quantities(nlp, sentence)}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2,500", 2500),
        ("1.8 million", 1.8e6),
        ("twelve thousand", 12000),
        ("a dozen", 12),
        ("twenty-five", 25),
        ("half a million", 5e5),
        ("two dozen", 24),
        ("banana", None),
    ],
)
def test_quantities_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("sentence", "figure"),
    [
        ("She hiked 30 miles a day.", "30"),
        ("Spills fell to five-year lows.", "five-year"),
        ("One in every seven patients was younger than 50.", "seven"),
        ("The study found 1 in 4 adults slept badly.", "4"),
        ("Sementi, who was 49 years old, mentored hundreds.", "49 years"),
    ],
)
def test_quantities_rates_and_descriptions_are_not_compared(nlp, sentence, figure):
    found = {q.text: q for q in _quantities(nlp, sentence)}
    assert found[figure].kind == "other"


@pytest.mark.parametrize(
    ("sentence", "figure", "event"),
    [
        # the counted people did the seeing: "see" is their event, not a light verb
        (
            "In 2015, more than 2 million people saw the shroud of the cathedral.",
            "more than 2 million",
            "see",
        ),
        # they came for it: the event is what they came to do
        (
            "More than 2 million people came to see the shroud in 2015.",
            "More than 2 million",
            "see",
        ),
        ("About 500 fans travelled to watch the final.", "About 500", "watch"),
        # a year that "saw" visitors is a light verb: no event of its own
        ("The year saw 2 million visitors at the cathedral.", "2 million", None),
    ],
)
def test_quantities_seeing_and_coming_to_see_are_events(nlp, sentence, figure, event):
    found = {q.text: q for q in _quantities(nlp, sentence)}
    assert figure in found, f"{figure!r} not in {list(found)}"
    assert found[figure].event == event

"""Quote finding and speaker attribution on small texts written for these tests."""

from __future__ import annotations

import pytest

from newsprism.annotate.entities import find_entities
from newsprism.annotate.quotes import find_quotes
from newsprism.annotate.sentences import split_sentences
from newsprism.model import Article, Quote
from tests.conftest import shared_models


def quotes_of(text: str) -> tuple[Quote, ...]:
    article = Article(id="t", source="t", outlet="t", title="", text=text)
    doc = shared_models().need_nlp()(text)
    return find_quotes(doc, split_sentences(article), find_entities(doc, article.id), article)


# (text, expected [(quoted words start, kind, speaker, speaker mention)])
CASES = [
    pytest.param(
        "\u201cWe are going home now. Our work here is done,\u201d Petrov told Orlov "
        "during their meeting.",
        [("We are going home now. Our work here is done", "direct", "Petrov", "Petrov")],
        id="multi-sentence-curly",
    ),
    pytest.param(
        '"We are leaving today," Ivan Sokolov said. "Our task is complete."',
        [
            ("We are leaving today", "direct", "Ivan Sokolov", "Ivan Sokolov"),
            ("Our task is complete.", "direct", "Ivan Sokolov", "Ivan Sokolov"),
        ],
        id="split-quote-straight",
    ),
    pytest.param(
        "Defence Minister Piotr Zielinski told reporters: \u201cThe operation is over and the "
        "troops are coming home.\u201d",
        [
            (
                "The operation is over and the troops are coming home.",
                "direct",
                "Piotr Zielinski",
                "Piotr Zielinski",
            )
        ],
        id="colon",
    ),
    pytest.param(
        '"We will stay until the job is done," General Maria Lopez said. "It is hard work.\n\n'
        '"But then we will go home to our families."',
        [
            ("We will stay until the job is done", "direct", "Maria Lopez", "Maria Lopez"),
            ("It is hard work.", "direct", "Maria Lopez", "Maria Lopez"),
            ("But then we will go home to our families.", "direct", "Maria Lopez", "Maria Lopez"),
        ],
        id="paragraph-continuation",
    ),
    pytest.param(
        "President Ivan Sokolov told the meeting on Thursday:\n\n"
        "\u201cWe are leaving today. Our task is complete.\u201d",
        [
            (
                "We are leaving today. Our task is complete.",
                "direct",
                "Ivan Sokolov",
                "Ivan Sokolov",
            )
        ],
        id="colon-then-quote-paragraph",
    ),
    pytest.param(
        "\u201cWe are leaving today,\u201d Sokolov said, \u201cbecause our task is complete.\u201d",
        [
            ("We are leaving today", "direct", "Sokolov", "Sokolov"),
            ("because our task is complete.", "direct", "Sokolov", "Sokolov"),
        ],
        id="split-quote-mid-sentence",
    ),
    pytest.param(
        "Prime Minister Jane Doe visited the steel plant on Monday.\n\n"
        '"We are very proud of the workers here," she said.',
        [("We are very proud of the workers here", "direct", "Jane Doe", "she")],
        id="pronoun",
    ),
    pytest.param(
        "Russia's defence ministry said on Thursday that the troops were leaving. "
        '"The planes are ready to take the soldiers back to their bases," the ministry added.',
        [
            (
                "The planes are ready to take the soldiers back to their bases",
                "direct",
                "Russia's defence ministry",
                "the ministry",
            )
        ],
        id="definite-description",
    ),
    pytest.param(
        "\u201cThe relief mission is finished,\u201d said Polish General Marek Nowicki, "
        "commander of the contingent.",
        [("The relief mission is finished", "direct", "Marek Nowicki", "Marek Nowicki")],
        id="inverted-apposition",
    ),
    pytest.param(
        "Laura Fenwick expressed concern. \u201cOnce the lenders are at your door, it is very "
        "hard to make them go away,\u201d Mr Fenwick had earlier warned.",
        [
            (
                "Once the lenders are at your door, it is very hard to make them go away",
                "direct",
                "Laura Fenwick",
                "Mr Fenwick",
            )
        ],
        id="honorific-surname",
    ),
    pytest.param(
        "UK Secretary of State David Marsh earlier warned that \u201conce prices start to "
        "climb, it\u2019s often very hard to bring them down again\u201d.",
        [
            (
                "once prices start to climb, it\u2019s often very hard to bring them down again",
                "direct",
                "David Marsh",
                "David Marsh",
            )
        ],
        id="embedded-that-clause",
    ),
    pytest.param(
        "French President Claire Duval suggested that the strikes were a kind of "
        "\u201cslow sabotage\u201d planned by rivals abroad.",
        [("slow sabotage", "partial", "Claire Duval", "Claire Duval")],
        id="partial",
    ),
    pytest.param(
        "The regional authorities announced the end of what they called a "
        '"security sweep" in the northern districts.',
        [("security sweep", "partial", "authorities", "they")],
        id="partial-what-they-called",
    ),
    pytest.param(
        '"We will cut interest rates again next month," the European Central Bank said.',
        [
            (
                "We will cut interest rates again next month",
                "direct",
                "European Central Bank",
                "European Central Bank",
            )
        ],
        id="organisation-speaker",
    ),
    pytest.param(
        "Losses from the floods \u201cmay reach $4-5 million\u201d, according to "
        "Governor Anna-Maria Kowalczyk.",
        [("may reach $4-5 million", "partial", "Anna-Maria Kowalczyk", "Anna-Maria Kowalczyk")],
        id="according-to",
    ),
    pytest.param(
        "\u201cWe will win this election and then we will govern.\u201d \u2015 Maria Lopez",
        [
            (
                "We will win this election and then we will govern.",
                "direct",
                "Maria Lopez",
                "Maria Lopez",
            )
        ],
        id="dash-signature",
    ),
    pytest.param(
        "The senator said the \u201cplan was bad and nobody came to the meeting.\n\n"
        "The next day it rained in the capital.",
        [],
        id="stray-open-mark-dropped",
    ),
    pytest.param(
        "\u201cThe plan is working well for all of us and for the country,\u201d John Smith, a "
        "senior campaign adviser, said Monday on the programme \u201cThis Week.\u201d "
        "\u201cWe expect more gains soon.\u201d",
        [
            (
                "The plan is working well for all of us and for the country",
                "direct",
                "John Smith",
                "John Smith",
            ),
            ("We expect more gains soon.", "direct", "John Smith", "John Smith"),
        ],
        id="name-apposition-then-title-of-show",
    ),
    pytest.param(
        "\u201cWe will not give up.\u201d\u2015\u00a0Carla Mendez\n"
        "\u201cThis is our country too.\u201d \u2015 Luis Ortega",
        [
            ("We will not give up.", "direct", "Carla Mendez", "Carla Mendez"),
            ("This is our country too.", "direct", "Luis Ortega", "Luis Ortega"),
        ],
        id="dash-signatures-line-by-line",
    ),
    pytest.param(
        "Senator Paula Grant visited the flooded town on Tuesday.\n\n"
        "\u201cWe will rebuild every house,\u201d the senator said.",
        [("We will rebuild every house", "direct", "Paula Grant", "the senator")],
        id="title-description",
    ),
    pytest.param(
        "The film was called \u201cTaken\u201d.\n\n\u201cTaken\u201d\n",
        [],
        id="speakerless-one-word-dropped",
    ),
    pytest.param(
        'The so-called "peace plan" was published on Monday.',
        [],
        id="scare-quote-dropped",
    ),
    pytest.param(
        'The senator spoke on Thursday on the programme "Meet the Press" about taxes.',
        [],
        id="title-of-work-dropped",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_quotes_patterns(text: str, expected: list[tuple[str, str, str, str]]) -> None:
    found = quotes_of(text)
    got = [
        (
            q.text,
            q.kind,
            q.speaker,
            text[q.speaker_span.start : q.speaker_span.end] if q.speaker_span else None,
        )
        for q in found
    ]
    assert [(t, k) for t, k, _, _ in got] == [(t, k) for t, k, _, _ in expected]
    for (_, _, speaker, mention), (_, _, want_speaker, want_mention) in zip(
        got, expected, strict=True
    ):
        assert speaker is not None and want_speaker in speaker
        assert mention == want_mention


def test_quotes_spans_point_at_the_words() -> None:
    text = "\u201cThe relief mission is finished,\u201d said General Marek Nowicki."
    for quote in quotes_of(text):
        assert text[quote.span.start : quote.span.end] == quote.text
        assert not quote.text.startswith(("\u201c", '"'))


def test_quotes_apostrophes_do_not_open_quotes() -> None:
    assert quotes_of("Kazakhstan\u2019s leader said the country\u2019s troops were ready.") == ()

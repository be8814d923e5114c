"""Line rules (newsprism.clean.lines): each debris rule, what must stay, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.clean import clean_text
from newsprism.clean.lines import classify_line, split_headline
from newsprism.data import debris

BODY = (
    "The council approved the new budget on Tuesday after a long debate.\n\n"
    "Opposition members said the plan cut too deeply into local services."
)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("READ MORE: Why the council voted against the plan", debris.REASON_TEASER),
        ("Read more: Budget row deepens", debris.REASON_TEASER),
        ("Related: Ten things to know about the budget", debris.REASON_TEASER),
        ("[Related: Mayor resigns]", debris.REASON_TEASER),
        ("Read more", debris.REASON_TEASER),
        ("You may also like...", debris.REASON_TEASER),
        ("Also on example.com Mayor under pressure over spending", debris.REASON_TEASER),
        ("Council budget fears: what happens next [VIDEO]", debris.REASON_TEASER),
        ("Loading...", debris.REASON_LOADER),
        ("Loading…", debris.REASON_LOADER),
        ("Advertisement", debris.REASON_LOADER),
        ("ADVERTISEMENT", debris.REASON_LOADER),
        ("Story continues below advertisement", debris.REASON_LOADER),
        ("AA", debris.REASON_CREDIT),
        ("Photo: Reuters", debris.REASON_CREDIT),
        ("Getty Images", debris.REASON_CREDIT),
        ("Jane Doe/AFP via Getty Images", debris.REASON_CREDIT),
        ("Sign up for our morning newsletter", debris.REASON_PROMPT),
        ("Subscribe to our channel for more videos", debris.REASON_PROMPT),
        ("Follow us on Twitter and Facebook", debris.REASON_PROMPT),
        ("Click here to get the app", debris.REASON_PROMPT),
        (
            "Get the best stories delivered to your inbox with our free newsletter.",
            debris.REASON_PROMPT,
        ),
        ("Email Jane Doe at jane.doe@example.com", debris.REASON_PROMPT),
        ("Copyright 2024 Example Media. All rights reserved.", debris.REASON_NOTICE),
        ("(Reporting by Jane Doe; Editing by John Roe)", debris.REASON_NOTICE),
        ("Staff writers Ann Lee and Bo Chan contributed to this report.", debris.REASON_NOTICE),
        ("2024-03-01T08:15:00+01:00", debris.REASON_LINK),
        ("Updated at 1:23 p.m.", debris.REASON_LINK),
        ("5:45 AM PST 11/19/2019 by Jane Doe", debris.REASON_LINK),
        ("Like this story? Share it with a friend!", debris.REASON_PROMPT),
        ("Have a tip? Jane Doe may be reached at jane@example.com.", debris.REASON_PROMPT),
        ("Reach the reporters on Twitter at @janedoe", debris.REASON_PROMPT),
    ],
)
def test_clean_lines_debris_line_is_classified(line: str, reason: str) -> None:
    assert classify_line(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "The agency said it would subscribe to the new standard next year.",
        "Reuters reported that the talks had stalled.",
        "Photographers gathered outside the court as the verdict was read.",
        "Related issues will be discussed at the next meeting, she said.",
        "Loading the trucks took most of the night.",
        "Foreign meddling?",
        "Follow the money, investigators were told.",
        "Updated figures show growth slowed in March.",
        "GPU",
        "The meeting starts at 10:30 and ends at noon.",
        "This story was first posted at 1:47 p.m. Monday:",
        "Subscribers will pay more from next year.",
        "http://example.com/report.pdf",
    ],
)
def test_clean_lines_body_line_is_kept(line: str) -> None:
    assert classify_line(line) is None


@pytest.mark.parametrize(
    "debris_line",
    ["READ MORE: Budget row deepens", "Loading...", "Advertisement", "Sign up for our newsletter"],
)
def test_clean_lines_removes_debris_between_paragraphs(debris_line: str) -> None:
    text = BODY.replace("\n\n", f"\n\n{debris_line}\n\n")
    cleaned, removed = clean_text(text)
    assert cleaned == BODY
    assert [item.text for item in removed] == [debris_line]


def test_clean_lines_repeated_caption_next_to_credit_goes_and_body_copy_stays() -> None:
    caption = "Council members were photographed leaving the chamber after the vote on Tuesday."
    text = f"{BODY}\n\n{caption}\nPhoto: Reuters\n\n{caption}\n\nThe mayor declined to comment."
    cleaned, removed = clean_text(text)
    assert cleaned == f"{BODY}\n\n{caption}\n\nThe mayor declined to comment."
    assert [(item.text, item.reason) for item in removed] == [
        (caption, debris.REASON_CAPTION),
        ("Photo: Reuters", debris.REASON_CREDIT),
    ]


def test_clean_lines_repeated_paragraph_keeps_first_copy() -> None:
    repeat = "The vote was the closest the council has seen in more than twenty years."
    text = f"{repeat}\n\n{BODY}\n\n{repeat}"
    cleaned, removed = clean_text(text)
    assert cleaned == f"{repeat}\n\n{BODY}"
    assert [item.reason for item in removed] == [debris.REASON_REPEAT]


@pytest.mark.parametrize(
    "line",
    [
        "What did the council decide?",  # a repeated question: interviews ask it of everyone
        "- Two cups of flour, one egg, a pinch of salt and some milk",  # list items repeat
        "Short line repeats",  # too short to call a duplicate
    ],
)
def test_clean_lines_legitimate_repeats_stay(line: str) -> None:
    text = f"{line}\n\n{BODY}\n\n{line}\n\nThe end of the story came quickly."
    cleaned, removed = clean_text(text)
    assert cleaned.count(line) == 2
    assert removed == ()


def test_clean_lines_trailing_fragment_goes() -> None:
    cleaned, removed = clean_text(f"{BODY}\n\nBus 42")
    assert cleaned == BODY
    assert [(item.text, item.reason) for item in removed] == [("Bus 42", debris.REASON_TRAILING)]


def test_clean_lines_only_one_trailing_fragment_goes() -> None:
    # A run of short lines at the end is structure (a table, contact details), not a stray line.
    text = f"{BODY}\n\nTickets\n\nAdults: 10\n\nChildren: 5"
    cleaned, removed = clean_text(text)
    assert cleaned == text
    assert removed == ()


def test_clean_lines_subheading_in_the_middle_stays() -> None:
    text = BODY.replace("\n\n", "\n\nWhat comes next\n\n")
    assert clean_text(text) == (text, ())


def test_clean_lines_normalises_whitespace_only() -> None:
    text = "First “quoted” line.  \r\n\r\n\r\n\r\nSecond line — dash.\t\n"
    cleaned, removed = clean_text(text)
    assert cleaned == "First “quoted” line.\n\nSecond line — dash."
    assert removed == ()


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Troops begin pullout from the capital\n\nTroops were loading onto planes.",
            "Troops begin pullout from the capital",
        ),
        (
            "Council passes budget\nThe council passed the budget on Tuesday.",
            "Council passes budget",
        ),
        ("Is the budget too tight?\n\nCritics say it is.", "Is the budget too tight?"),
    ],
)
def test_clean_lines_headline_is_split_off(text: str, title: str) -> None:
    headline, body = split_headline(text)
    assert headline == title
    assert title not in body


@pytest.mark.parametrize(
    "text",
    [
        "CITY • The council met yesterday to pass the budget.\n\nIt passed.",  # a sentence
        "Council passes budget",  # nothing after it
        "In a statement, the council said:\n\nIt passed.",  # continues into the next line
        "READ MORE: Budget row\n\nThe council met.",  # debris, not a headline
    ],
)
def test_clean_lines_no_headline(text: str) -> None:
    assert split_headline(text)[0] is None


LINES = st.one_of(
    st.sampled_from(
        [
            "READ MORE: Budget row deepens",
            "Loading...",
            "AA",
            "Photo: Reuters",
            "Sign up for our newsletter",
            "Route 9",
            "What comes next?",
            "Council members were photographed leaving the chamber after the vote on Tuesday.",
            "The mayor declined to comment on the budget when reached by phone late on Tuesday.",
            "",
            "   ",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
)


@given(st.lists(LINES, max_size=14), st.sampled_from(["\n", "\r\n", "\n\n"]))
def test_clean_lines_idempotent_and_never_adds_characters(lines: list[str], sep: str) -> None:
    text = sep.join(lines)
    cleaned, removed = clean_text(text)
    assert clean_text(cleaned) == (cleaned, ())
    # Only newline unification may bring a character in ("\r" becomes "\n").
    assert set(cleaned) <= set(text.replace("\r", "\n"))
    for item in removed:
        assert item.text and item.reason

"""Datelines: every opening stamp form is cut where the article's own words start, and the
agency it names is read; openings that only look like one are left alone."""

from __future__ import annotations

import pytest

from newsprism.datelines import dateline_agency, dateline_end, without_dateline

WORDS = "The floodgates of the Varna dam were opened on Monday."


@pytest.mark.parametrize(
    ("stamp", "agency"),
    [
        ("VARNA (Reuters) - ", "reuters"),
        ("LOS ANGELES, Calif. (AP) — ", "ap"),
        ("VARNA • ", None),
        ("VARNA—", None),
        ("VARNA -- ", None),
        ("Varna, Bulgaria (CNN) ", "cnn"),
        ("Burgas, Bulgaria (CNN) -- ", "cnn"),
        ("(Reuters Health) - ", "reuters health"),
        ("AFP — ", "afp"),
        ("MONDAY, March 4, 2024 (HealthDay News) -- ", "healthday news"),
        ("March 4, 2024: ", None),
        ("AUGUSTA, Ga. (WRDW/WAGT) – ", "wrdw/wagt"),
        ("--", None),
        ("- ", None),
        ("* ", None),
        ("Dam Gates Opened, Officials Say VARNA, Bulgaria (BTA) - ", "bta"),
    ],
)
def test_dateline_forms(stamp: str, agency: str | None) -> None:
    text = stamp + WORDS
    assert without_dateline(text) == WORDS
    assert dateline_end(text) == len(stamp)
    assert dateline_agency(text) == agency


@pytest.mark.parametrize(
    "text",
    [
        WORDS,
        "Sen. Mark Warner (D-Va.) on Sunday called the shutdown embarrassing.",
        "Jack Salmon (Mark Wahlberg) is a family man.",
        "U.S. Secretary of State Hillary Clinton ruled out a run.",
        "Kim Jong-nam, the half-brother of the leader, was killed.",
        "Dam Gates Opened After Heavy Rain In Varna",  # a capitalised opening, no stamp
        "VARNA — ",  # a stamp with nothing after it stays
    ],
)
def test_openings_that_are_no_dateline_stay(text: str) -> None:
    assert without_dateline(text) == text
    assert dateline_agency(text) is None

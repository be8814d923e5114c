"""Datelines: the place, date and agency stamp that opens a news article's first paragraph.

One home for the forms an opening stamp takes (patterns in `newsprism.data.datelines`):

    CAIRO (Reuters) - ...              LOS ANGELES, Calif. (AP) — ...     ALMATY • ...
    CAIRO—The ...                      Sycamore, Illinois (CNN) The ...   (Reuters Health) - ...
    AFP — ...                          MONDAY, Jan. 25, 2016 (HealthDay News) -- ...
    September 5, 2014: ...             --A 76-year-old man ...            * Top investigator ...
    App Tracks Workers, Woman Says BAKERSFIELD, Calif. (CN) - ...   (a headline run into it)

`dateline_end` says where the article's own words start (the summary cites from there and a
lead used as a headline drops the stamp); `dateline_agency` reads the agency it names, which
feeds outlet identity and wire-copy counting.
"""

from __future__ import annotations

import re

from newsprism.data.datelines import DATELINE_FORMS, WORDS_AFTER

__all__ = ["dateline_agency", "dateline_end", "without_dateline"]

_FORMS = tuple(re.compile(form) for form in DATELINE_FORMS)
_WORDS_AFTER = re.compile(WORDS_AFTER)
_SCAN_CHARS = 200  # a dateline sits in the first words; never scan a whole article


def _match(text: str) -> re.Match[str] | None:
    head = text[:_SCAN_CHARS]
    for form in _FORMS:
        match = form.match(head)
        if match is not None and _WORDS_AFTER.match(text, match.end()):
            return match
    return None


def dateline_end(text: str) -> int:
    """The offset where *text*'s own words start after an opening dateline (0: none)."""
    match = _match(text)
    return match.end() if match is not None else 0


def without_dateline(text: str) -> str:
    """*text* from after its opening dateline ("CAIRO (Reuters) - ")."""
    return text[dateline_end(text) :]


def dateline_agency(text: str) -> str | None:
    """The agency or outlet an opening dateline names in brackets or alone, lower-cased as
    written ("reuters", "ap", "reuters health"); None without one."""
    match = _match(text)
    if match is None:
        return None
    named = match.groupdict().get("agency")
    return " ".join(named.split()).lower() if named else None

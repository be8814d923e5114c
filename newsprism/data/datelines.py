"""Patterns of the datelines that open news articles (`newsprism.datelines`).

General English news usage: a place in capitals (optionally with a state or country), an
agency in brackets, a date, then a dash, bullet or colon. Forms are tried in order; the first
that matches, and is followed by the article's own words, wins.
"""

from __future__ import annotations

# A month name as news writes it ("Jan.", "January", "Sept.", "JAN"); also read by the caption
# finder (`annotate.captions`).
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|JAN|FEB|MAR|APR|MAY|JUNE?"
    r"|JULY?|AUG|SEPT?|OCT|NOV|DEC)\.?"
)
# A weekday, as written in a stamp ("Tuesday", "TUESDAY"); also read by `annotate.captions`.
WEEKDAY = (
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:MON|TUES|WEDNES|THURS|FRI|SATUR|SUN)DAY)"
)
# A calendar date with its year: "Jan. 24, 2017", "May, 2 2014", "2 May 2014" (one home: the
# dateline forms and the caption finder read it).
FULL_DATE = (
    rf"\b{MONTH},?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:1[89]|20)\d\d\b"
    rf"|\b\d{{1,2}}\s+{MONTH},?\s+(?:1[89]|20)\d\d\b"
)
_DATE = rf"(?:{WEEKDAY},?\s+)?(?:{FULL_DATE})"
# Bullets and dashes that open a list item or a pasted lead ("--A man", "- Seattle", "* Top").
_BULLET = r"(?:[-–—*•]+\s*)?"
_PLACE_CAPS = r"[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}"
_PLACE = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}"  # "Sycamore", "Seoul", "Port-au-Prince"
_REGION = r",\s+[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?"  # ", Calif.", ", South Korea"
_AGENCY = r"\((?P<agency>[A-Z][A-Za-z .&/-]{1,30})\)"  # "(Reuters)", "(WRDW/WAGT)"
_DASH = r"(?:[•—–-]{1,2}|:)"
# A headline run into the dateline: two to twelve capitalised words before the place.
_HEADLINE_RUN = r"(?:[A-Z0-9][\w'’,.&-]*\s+){2,12}?"

DATELINE_FORMS: tuple[str, ...] = (
    # "AFP — ": an agency alone, before the place form would take it for a place
    r"^\s*(?P<agency>AFP|Reuters|AP|dpa|EFE|Xinhua|TASS|Interfax|UPI)\s*[-—–]\s*",
    # "CAIRO (Reuters) - ", "LOS ANGELES, Calif. (AP) — ", "ALMATY • ", "CAIRO—"
    rf"^\s*{_BULLET}{_PLACE_CAPS}(?:{_REGION})?\s*(?:{_AGENCY})?\s*{_DASH}\s*",
    # "Sycamore, Illinois (CNN) ", "Salahuddin, Libya (CNN) -- ": a place with its region
    rf"^\s*{_BULLET}{_PLACE}{_REGION}\s*{_AGENCY}\s*(?:{_DASH}\s*)?",
    # "MONDAY, Jan. 25, 2016 (HealthDay News) -- ", "September 5, 2014: "
    rf"^\s*{_BULLET}{_DATE}\s*(?:{_AGENCY})?\s*{_DASH}\s*",
    # "(Reuters Health) - "
    rf"^\s*{_BULLET}{_AGENCY}\s*{_DASH}\s*",
    # "App Tracks Workers, Woman Says BAKERSFIELD, Calif. (CN) - ": the agency is required, so
    # a capitalised opening is never cut on its own.
    rf"^\s*{_HEADLINE_RUN}{_PLACE_CAPS}(?:{_REGION})?\s*{_AGENCY}\s*{_DASH}\s*",
    # A bare bullet or dash before the first word ("--A 76-year-old man", "- Seattle is").
    r"^\s*[-–—*•]+\s*",
)
# What follows a dateline: the article's first word (capitalised, a digit or a quote).
WORDS_AFTER = r"[\"“‘'A-Z0-9]"

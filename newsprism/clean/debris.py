"""Sentence debris: captions, credits, teasers and page notices inside running text.

The line rules (`newsprism.clean.lines`) take whole debris lines out of the text; what they
cannot take out without cutting text is judged here per sentence (patterns in
`newsprism.data.debris.SENTENCE_PATTERNS`): the summary and the headline skip such sentences,
and `furniture` says when a cleaned text is nothing but notices, a scraped page that is no
article (a web-archive stub, a social network's help page, a video player's error).
"""

from __future__ import annotations

import re

from newsprism.data.debris import SENTENCE_PATTERNS

__all__ = ["furniture", "is_debris"]

_DEBRIS = tuple(re.compile(pattern) for pattern in SENTENCE_PATTERNS)
# The first sentence of a line: up to a full stop, "!" or "?" before a capital, or the end.
# Only the opening sentence is judged, so an abbreviation ("U.S.") can only shorten it.
_FIRST_SENTENCE = re.compile(r".+?[.!?][\"”’')]*(?=\s*[A-Z\"“‘]|\s*$)|.+", re.DOTALL)


def is_debris(text: str) -> bool:
    """True for a caption, credit, teaser or page notice (a sentence or a title)."""
    stripped = text.strip()
    return any(pattern.search(stripped) for pattern in _DEBRIS)


def furniture(text: str) -> str | None:
    """The first notice of a cleaned *text* that holds nothing but page notices (every
    paragraph opens with one), or None for an article."""
    first_notice = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        match = _FIRST_SENTENCE.match(stripped)
        opening = match.group(0) if match else stripped
        if not is_debris(opening):
            return None
        first_notice = first_notice or opening
    return first_notice

"""Line rules: take web debris out of plain text, recording every removal and its reason.

The rules run on plain-text inputs and on trafilatura's output alike. They look at whole lines
only, so no sentence is ever cut or changed; a line goes, or it stays exactly as it was.

- a line that matches a debris pattern (`newsprism.data.debris`) goes: link teasers, player or
  loader text, lone photo credits, share/newsletter prompts, copyright and contributor notes,
  bare links and timestamps;
- a line repeated verbatim keeps one copy. The copy that sits next to a photo credit in the same
  paragraph is a caption, so that copy goes and the copy in the running text stays; otherwise
  the first copy stays and later repeats go;
- a short last line without sentence punctuation goes: a heading introduces what follows it,
  so a heading-like line with nothing after it is a stray fragment ("Route 6"). Short lines in
  the middle of the text (subheadings such as "Foreign meddling?") stay.

The passes repeat until nothing more goes, which makes cleaning idempotent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsprism.data import debris
from newsprism.model import Removal
from newsprism.text import normalise_layout

_MAX_PASSES = 50  # every pass removes at least one line, so this only bounds pathological input


@dataclass(frozen=True, slots=True)
class _Line:
    """One line of the text and the reason it goes (None when it stays)."""

    text: str
    reason: str | None = None


def classify_line(line: str) -> str | None:
    """The debris reason for one line on its own, or None when it may be body text."""
    stripped = line.strip()
    if not stripped or len(stripped.split()) > debris.MAX_DEBRIS_WORDS:
        return None
    rules: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = (
        (debris.REASON_LOADER, debris.LOADER_PATTERNS),
        (debris.REASON_TEASER, debris.TEASER_PATTERNS),
        (debris.REASON_PROMPT, debris.PROMPT_PATTERNS),
        (debris.REASON_NOTICE, debris.NOTICE_PATTERNS),
        (debris.REASON_LINK, debris.LINK_PATTERNS),
    )
    for reason, patterns in rules:
        if any(pattern.match(stripped) for pattern in patterns):
            return reason
    if _is_credit(stripped):
        return debris.REASON_CREDIT
    return None


def _is_credit(line: str) -> bool:
    """A lone photo credit: "AA", "Photo: Reuters", "Jane Doe/AFP via Getty Images"."""
    if len(line.split()) > debris.MAX_CREDIT_WORDS or debris.SENTENCE_END.search(line.rstrip(")")):
        return False
    if any(pattern.match(line) for pattern in debris.CREDIT_PATTERNS):
        return True
    pieces = [piece.strip(" ()[]").lower() for piece in debris.CREDIT_SPLIT.split(line)]
    return any(piece in debris.AGENCIES for piece in pieces) and all(
        piece in debris.AGENCIES or _looks_like_name(piece) for piece in pieces if piece
    )


def _looks_like_name(piece: str) -> bool:
    """A short piece of a credit line that could be a photographer's name or "file"."""
    return len(piece.split()) <= 3 and all(word.isalpha() or "." in word for word in piece.split())


def _mark_repeats(lines: list[_Line]) -> None:
    """Mark all but one copy of every line that occurs more than once (see module docstring)."""
    copies: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        key = line.text.strip()
        if (
            line.reason is None
            and len(key.split()) >= debris.MIN_REPEAT_WORDS
            and not debris.REPEAT_EXEMPT.search(key)
        ):
            copies.setdefault(key, []).append(number)
    for numbers in copies.values():
        if len(numbers) < 2:
            continue
        captions = [number for number in numbers if _next_to_credit(lines, number)]
        running = [number for number in numbers if number not in captions]
        if captions and running:
            for number in captions:
                lines[number] = _Line(lines[number].text, debris.REASON_CAPTION)
            numbers = running
        for number in numbers[1:]:
            lines[number] = _Line(lines[number].text, debris.REASON_REPEAT)


def _next_to_credit(lines: list[_Line], number: int) -> bool:
    """True when the line above or below, in the same paragraph, is a photo credit."""
    for neighbour in (number - 1, number + 1):
        if 0 <= neighbour < len(lines) and lines[neighbour].reason == debris.REASON_CREDIT:
            return True
    return False


def _mark_trailing_fragment(lines: list[_Line]) -> None:
    """Mark a short, unpunctuated last line that comes right after a sentence.

    Only one such line goes: a run of short lines at the end (a table, contact details) is
    structure, not a stray fragment. Once it is gone the text ends with a sentence, so running
    the rule again changes nothing.
    """
    kept = [number for number, line in enumerate(lines) if line.text.strip() and not line.reason]
    if len(kept) < 2:
        return
    last = lines[kept[-1]].text.strip()
    if (
        len(last.split()) <= debris.MAX_TRAILING_WORDS
        and len(last) <= debris.MAX_TRAILING_CHARS
        and not debris.SENTENCE_END.search(last)
        and debris.SENTENCE_END.search(lines[kept[-2]].text.strip())
    ):
        lines[kept[-1]] = _Line(lines[kept[-1]].text, debris.REASON_TRAILING)


def _clean_pass(text: str) -> tuple[str, list[Removal]]:
    lines = [_Line(line, classify_line(line)) for line in text.split("\n")]
    _mark_repeats(lines)
    _mark_trailing_fragment(lines)
    removals = [
        Removal(text=line.text.strip(), reason=line.reason) for line in lines if line.reason
    ]
    if not removals:
        return text, []
    return normalise_layout("\n".join(line.text for line in lines if not line.reason)), removals


def clean_text(text: str) -> tuple[str, tuple[Removal, ...]]:
    """Apply the line rules until nothing more goes.

    Args:
        text: plain text, paragraphs separated by blank lines.

    Returns:
        The cleaned text (normalised, see `normalise_layout`) and every removal in order.
    """
    text = normalise_layout(text)
    removals: list[Removal] = []
    for _ in range(_MAX_PASSES):
        text, found = _clean_pass(text)
        if not found:
            break
        removals.extend(found)
    return text, tuple(removals)


def split_headline(text: str) -> tuple[str | None, str]:
    """Split off a first line that reads as a headline; return (headline or None, body).

    A headline is short, is not a sentence (no final full stop, comma or colon) and has body
    text after it. "ALMATY • A Russia-led bloc began ... yesterday." is body, not a headline.
    """
    text = normalise_layout(text)
    first, _, rest = text.partition("\n")
    first = first.strip()
    words = first.split()
    if (
        not rest.strip()
        or len(words) < 2
        or len(words) > debris.MAX_HEADLINE_WORDS
        or len(first) > debris.MAX_HEADLINE_CHARS
        or debris.NOT_HEADLINE_END.search(first)
        or not any(character.isalpha() for character in first)
        or classify_line(first) is not None
    ):
        return None, text
    return first, normalise_layout(rest)


def drop_title_repeat(text: str, title: str) -> tuple[str, tuple[Removal, ...]]:
    """Remove a first line that repeats the title (HTML extractors often keep the <h1>)."""
    first, _, rest = text.partition("\n")
    if title and _same_words(first, title):
        return normalise_layout(rest), (Removal(text=first.strip(), reason=debris.REASON_TITLE),)
    return text, ()


def _same_words(left: str, right: str) -> bool:
    return (
        left.split() == right.split()
        or " ".join(left.split()).casefold() == " ".join(right.split()).casefold()
    )

"""Quotes and their speakers.

Quote marks are paired paragraph by paragraph: curly marks by shape, straight double marks by
alternation, single marks only outside double quotes and only as a word-initial opener with a
word-final closer (so apostrophes never open a quote). A quote left open at a paragraph's end
runs to that end; when the next paragraph opens with a quote mark, that quote continues it and
keeps its speaker.

Kinds: ``partial`` is a short fragment embedded in the reporter's sentence ("colour
revolutions"); everything else is ``direct``. Partial quotes and one- or two-word quotes without
a speaker (scare quotes) and short title-case fragments inside a sentence (titles of shows,
books) are not reported.

Speakers: see `newsprism.annotate.speakers`. When a quote has no speech verb of its own, it takes
the speaker announced before a colon, or the speaker of the quote it continues, or of the
previous quote in the paragraph, or of the quote just before it when the quote fills its own
paragraph (news writes consecutive quote paragraphs of one speaker that way).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from newsprism.annotate.speakers import Attribution, Attributor
from newsprism.data.speech_verbs import (
    CLOSE_QUOTES,
    CLOSE_SINGLE,
    OPEN_QUOTES,
    OPEN_SINGLE,
    PARTIAL_MAX_WORDS,
    STRAIGHT_QUOTES,
    TAIL_ATTRIBUTION_MAX_WORDS,
    TITLE_MAX_WORDS,
)
from newsprism.model import Article, EntityMention, Quote, Sentence, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

_DOUBLE = OPEN_QUOTES + CLOSE_QUOTES + STRAIGHT_QUOTES
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_SMALL_WORDS = frozenset({"of", "the", "and", "a", "an", "in", "on", "for", "to", "at", "with"})
_TRIM = " \t\n,;"
_SENTENCE_END = re.compile(r"[.!?][\u201d\u2019\"')]*\s")


@dataclass(slots=True)
class _Raw:
    open_at: int  # position of the opening mark
    close_at: int  # position of the closing mark, or the paragraph end
    paragraph: int
    closed: bool
    continues: bool = False  # continues a quote left open in the previous paragraph


def _paragraphs(text: str, sentences: Sequence[Sentence]) -> list[tuple[int, int]]:
    bounds: dict[int, tuple[int, int]] = {}
    for sentence in sentences:
        lo, hi = bounds.get(sentence.paragraph, (sentence.span.start, sentence.span.end))
        bounds[sentence.paragraph] = (min(lo, sentence.span.start), max(hi, sentence.span.end))
    if bounds:
        return [bounds[key] for key in sorted(bounds)]
    spans, cursor = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((cursor, cursor + len(line)))
        cursor += len(line) + 1
    return spans


def _double_quotes(text: str, start: int, end: int, paragraph: int) -> list[_Raw]:
    found: list[_Raw] = []
    open_at: int | None = None
    for pos in range(start, end):
        mark = text[pos]
        if mark not in _DOUBLE:
            continue
        opens = mark in OPEN_QUOTES or (mark in STRAIGHT_QUOTES and open_at is None)
        if opens:
            if open_at is not None:  # an opener inside an open quote: the first was never closed
                found.append(_Raw(open_at, pos, paragraph, closed=False))
            open_at = pos
        elif open_at is not None:
            found.append(_Raw(open_at, pos, paragraph, closed=True))
            open_at = None
    if open_at is not None:
        found.append(_Raw(open_at, end, paragraph, closed=False))
    return found


def _single_quotes(
    text: str, start: int, end: int, paragraph: int, taken: list[_Raw]
) -> Iterator[_Raw]:
    def free(pos: int) -> bool:
        return not any(raw.open_at <= pos <= raw.close_at for raw in taken)

    pos = start
    while pos < end:
        mark = text[pos]
        before = text[pos - 1] if pos > start else " "
        after = text[pos + 1] if pos + 1 < end else " "
        if mark in OPEN_SINGLE + "'" and (before.isspace() or before in "([") and after.isalnum():
            for close in range(pos + 2, min(end, pos + 300)):
                if text[close] in CLOSE_SINGLE + "'" and text[close - 1] not in " s":
                    nxt = text[close + 1] if close + 1 < end else " "
                    if not nxt.isalnum():
                        if free(pos) and free(close):
                            yield _Raw(pos, close, paragraph, closed=True)
                        pos = close
                        break
        pos += 1


def _scan(text: str, paragraphs: list[tuple[int, int]]) -> list[_Raw]:
    raws: list[_Raw] = []
    for number, (start, end) in enumerate(paragraphs):
        doubles = _double_quotes(text, start, end, number)
        left_open = raws and not raws[-1].closed and raws[-1].paragraph == number - 1
        if left_open and doubles and doubles[0].open_at == start:
            doubles[0].continues = True
        raws.extend(doubles)
        raws.extend(_single_quotes(text, start, end, number, doubles))
    # A quote left open that no later paragraph continues is a stray mark, not a quotation.
    opened = {raw.open_at for raw in raws}
    kept = [
        raw
        for raw in raws
        if raw.closed
        or (raw.paragraph + 1 < len(paragraphs) and paragraphs[raw.paragraph + 1][0] in opened)
    ]
    return sorted(kept, key=lambda raw: raw.open_at)


def _inner(text: str, raw: _Raw) -> tuple[int, int]:
    start, end = raw.open_at + 1, raw.close_at
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _embedded(text: str, raw: _Raw, paragraph_start: int, start: int, end: int) -> bool:
    """True when the quote sits inside the reporter's sentence rather than standing alone."""
    before = text[paragraph_start : raw.open_at].rstrip()
    if not before or before[-1] in ".!?:,;\u2014" or before[-1] in _DOUBLE:
        return False
    return text[end - 1] not in ".!?" and not text[start:end].rstrip().endswith(",")


def _inside_sentence(text: str, raw: _Raw, paragraph_start: int) -> bool:
    """True when words of the reporter's sentence come right before the opening mark."""
    before = text[paragraph_start : raw.open_at].rstrip()
    return bool(before) and (before[-1].isalnum() or before[-1] in "'’")


def _dash_speaker(
    text: str, attributor: Attributor, raw: _Raw, paragraph_end: int
) -> Attribution | None:
    """A quote signed with a dash after it: “...” ― Pamela Padilla."""
    after = raw.close_at + 1
    line_end = text.find("\n", after, paragraph_end)
    rest = text[after : paragraph_end if line_end < 0 else line_end]
    stripped = rest.lstrip(" \u00a0―—–-")
    if rest.lstrip(" \u00a0")[:1] not in {"―", "—", "–", "-"} or not stripped:
        return None
    return attributor.named_at(after + len(rest) - len(stripped), paragraph_end)


def _is_title_case(words: list[str]) -> bool:
    return all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words) and any(
        w[0].isupper() for w in words
    )


@dataclass(slots=True)
class _Candidate:
    raw: _Raw
    start: int  # the quoted words, without marks
    end: int
    words: int
    partial: bool
    titled: bool
    found: Attribution | None


def find_quotes(
    doc: Doc, sentences: Sequence[Sentence], entities: Sequence[EntityMention], article: Article
) -> tuple[Quote, ...]:
    """Every quotation in *article* with its kind and speaker.

    Args:
        doc: spaCy parse of ``article.text``.
        sentences: the article's sentences (their paragraph numbers bound the quote search).
        entities: entity mentions from `find_entities` (speakers are resolved against them).
        article: the article; every Span carries its id.

    Returns:
        Quotes in text order; ``span`` covers the quoted words without the marks.
    """
    text = article.text
    paragraphs = _paragraphs(text, sentences)
    raws = _scan(text, paragraphs)
    attributor = Attributor(
        doc,
        entities,
        [(raw.open_at, raw.close_at + 1) for raw in raws],
        [(s.span.start, s.span.end) for s in sentences],
    )
    candidates = _candidates(text, raws, paragraphs, attributor)
    _close_speakers(candidates)
    sentence_starts = [s.span.start for s in sentences]
    quotes = (_as_quote(item, article, sentence_starts) for item in candidates)
    return tuple(quote for quote in quotes if quote is not None)


def _as_quote(item: _Candidate, article: Article, sentence_starts: list[int]) -> Quote | None:
    """The candidate as a Quote, or None for a title of a work or a speakerless scare quote."""
    found = item.found
    if item.titled or (found is None and (item.partial or item.words <= 2)):
        return None  # titles of works and speakerless scare quotes are not quotations
    index = max(bisect.bisect_right(sentence_starts, item.start) - 1, 0)
    return Quote(
        span=Span(article_id=article.id, start=item.start, end=item.end),
        text=article.text[item.start : item.end],
        kind="partial" if item.partial else "direct",
        speaker=found.name if found else None,
        speaker_span=(
            Span(article_id=article.id, start=found.start, end=found.end) if found else None
        ),
        cue=found.cue if found else None,
        sentence=index if sentence_starts else 0,
        speaker_how=found.how if found else "none",
    )


def _candidates(
    text: str, raws: list[_Raw], paragraphs: list[tuple[int, int]], attributor: Attributor
) -> list[_Candidate]:
    """Every quote with words, its kind and the speaker its own sentence (or the quote it
    carries on from) gives it."""
    candidates: list[_Candidate] = []
    previous: tuple[_Raw, Attribution | None] | None = None
    for raw in raws:
        start, end = _inner(text, raw)
        words = _WORD.findall(text[start:end])
        if not words:
            continue
        p_start, p_end = paragraphs[raw.paragraph]
        embedded = _embedded(text, raw, p_start, start, end)
        low, high = attributor.sentence_range(raw.open_at, raw.close_at + 1)
        high = _tail_attribution(text, raw, attributor, high, p_end)
        found = attributor.speaker_of(
            start, end, max(low, p_start), min(high, p_end), (p_start, p_end)
        )
        if found is None:
            found = _dash_speaker(text, attributor, raw, p_end)
        if found is None:
            found = _colon_speaker(text, attributor, raw, paragraphs)
        if found is None and previous is not None:
            found = _inherited(text, raw, previous, paragraphs, embedded)
        previous = (raw, found)
        in_sentence = _inside_sentence(text, raw, p_start)
        candidates.append(
            _Candidate(
                raw=raw,
                start=start,
                end=end,
                words=len(words),
                partial=embedded and len(words) <= PARTIAL_MAX_WORDS,
                titled=in_sentence and len(words) <= TITLE_MAX_WORDS and _is_title_case(words),
                found=found,
            )
        )
    return candidates


def _tail_attribution(
    text: str, raw: _Raw, attributor: Attributor, high: int, paragraph_end: int
) -> int:
    """Where the search for a speaker ends. A quote closing on "?" or "!" ends its sentence
    for the splitter, so a short attribution after it ("... ?" Doe asked.) is a sentence of
    its own: the search then takes that sentence in."""
    before_mark = text[raw.open_at + 1 : raw.close_at].rstrip()
    if not raw.closed or not before_mark.endswith(("?", "!")) or high > raw.close_at + 2:
        return high
    following = attributor.next_sentence(raw.close_at + 1)
    if following is None or following[1] > paragraph_end:
        return high
    words = text[following[0] : following[1]]
    if len(words.split()) > TAIL_ATTRIBUTION_MAX_WORDS or any(m in words for m in _DOUBLE):
        return high
    return following[1]


def _close_speakers(candidates: list[_Candidate]) -> None:
    """A quote running over several paragraphs (each opens with a mark, only the last one
    closes) is attributed where it closes: paragraphs before it without a speaker of their own
    take the speaker of the closing paragraph's attribution."""
    left_open = {c.raw.paragraph: c for c in candidates if not c.raw.closed}
    for later in reversed(candidates):
        earlier = left_open.get(later.raw.paragraph - 1)
        if later.raw.continues and earlier is not None and earlier.found is None:
            earlier.found = replace(later.found, syntactic=False) if later.found else None


def _colon_speaker(
    text: str, attributor: Attributor, raw: _Raw, paragraphs: list[tuple[int, int]]
) -> Attribution | None:
    """A quote introduced by a colon takes the speaker of the words before the colon."""
    p_start, _ = paragraphs[raw.paragraph]
    before = text[p_start : raw.open_at].rstrip()
    if before.endswith(":"):
        colon = p_start + len(before) - 1
    elif not before and raw.paragraph > 0:
        prev_start, prev_end = paragraphs[raw.paragraph - 1]
        if not text[prev_start:prev_end].rstrip().endswith(":"):
            return None
        colon = prev_start + len(text[prev_start:prev_end].rstrip()) - 1
    else:
        return None
    low, _ = attributor.sentence_range(colon, colon + 1)
    return attributor.speaker_of(colon, colon + 1, low, colon + 1)


def _inherited(
    text: str,
    raw: _Raw,
    previous: tuple[_Raw, Attribution | None],
    paragraphs: list[tuple[int, int]],
    embedded: bool,
) -> Attribution | None:
    """The previous quote's speaker, when this quote plainly carries on from it. A fragment
    embedded in a later sentence of the reporter's does not: that sentence may quote anyone."""
    before, speaker = previous
    if speaker is None:
        return None
    if embedded and not raw.continues and _SENTENCE_END.search(text[before.close_at : raw.open_at]):
        return None
    # A paragraph carrying on an open quote has that quote's attribution; any other quote
    # only borrows its speaker.
    same = replace(
        speaker, cue=None, syntactic=False, how=speaker.how if raw.continues else "inherited"
    )
    same_line = "\n" not in text[before.close_at : raw.open_at]
    if raw.continues or (before.paragraph == raw.paragraph and same_line):
        return same
    p_start, p_end = paragraphs[raw.paragraph]
    fills = raw.open_at == p_start and len(text[raw.close_at + 1 : p_end].strip()) <= 2
    if fills and before.paragraph == raw.paragraph - 1:
        return same
    return None

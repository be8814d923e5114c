"""Sentences: pysbd on each paragraph, with exact character offsets into the article text.

pysbd keeps quotes with inner full stops whole ("We must come home. We've completed our
mission," Putin told Shoigu). We split paragraphs first (blank lines, or single newlines in
text that has no blank lines) so no sentence crosses a paragraph break. pysbd is superlinear
in the length of what it is given (a 1 MB paragraph ran > 300 s), so a paragraph longer than
`max_paragraph_chars` (`newsprism.data.limits`) is cut first, at the last sentence-like end
(". " and the like) before the bound, else at a space, else hard; offsets stay exact.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator

from newsprism.data.limits import DEFAULT_LIMITS
from newsprism.data.throughput import SENTENCE_CACHE_ARTICLES
from newsprism.model import Article, Sentence, Span

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LINE_END = ".!?:\"'\u201d\u2019)"
# Where a long paragraph may be cut: after end punctuation (and closing quotes), before space.
_SAFE_CUT = re.compile("[.!?][\"'\u201d\u2019)\\]]*\\s+")
_local = threading.local()


def _segmenter() -> object:
    # pysbd segmenters hold per-call state: one per thread keeps threaded servers safe.
    segmenter = getattr(_local, "segmenter", None)
    if segmenter is None:
        import pysbd

        segmenter = pysbd.Segmenter(language="en", clean=False)
        _local.segmenter = segmenter
    return segmenter


def paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank paragraph of *text*.

    Blank lines always break paragraphs. Inside a block, single newlines break paragraphs too
    when most lines end like sentences (one paragraph per line, as feeds and scrapers write);
    otherwise the block is hard-wrapped prose and stays one paragraph.
    """
    cursor = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        yield from _block(text, cursor, match.start())
        cursor = match.end()
    yield from _block(text, cursor, len(text))


def _block(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    lines = text[start:end].split("\n")
    sentence_like = sum(1 for line in lines if line.rstrip().endswith(tuple(_LINE_END)))
    if len(lines) > 1 and sentence_like * 2 >= len(lines):
        cursor = start
        for line in lines:
            yield from _trimmed(text, cursor, cursor + len(line))
            cursor += len(line) + 1
    else:
        yield from _trimmed(text, start, end)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def split_sentences(
    article: Article, *, max_chars: int = DEFAULT_LIMITS.max_paragraph_chars
) -> tuple[Sentence, ...]:
    """The sentences of *article*, in order, each with its Span into ``article.text``.

    Args:
        article: the article.
        max_chars: the longest piece handed to pysbd at once (see module docstring).

    The split of the last `SENTENCE_CACHE_ARTICLES` articles is kept: the annotate stage and
    the per-story dedup both ask for it, and pysbd is the slow part.
    """
    return _split(article.id, article.text, max_chars)


def clear_cache() -> None:
    """Forget the kept splits (a benchmark's cold run starts here)."""
    _split.cache_clear()


@functools.lru_cache(maxsize=SENTENCE_CACHE_ARTICLES)
def _split(article_id: str, text: str, max_chars: int) -> tuple[Sentence, ...]:
    sentences: list[Sentence] = []
    for paragraph, (p_start, p_end) in enumerate(paragraph_spans(text)):
        for start, end in _bounded_offsets(text[p_start:p_end], max_chars):
            sentences.append(
                Sentence(
                    span=Span(article_id=article_id, start=p_start + start, end=p_start + end),
                    text=text[p_start + start : p_start + end],
                    index=len(sentences),
                    paragraph=paragraph,
                )
            )
    return tuple(sentences)


def _bounded_offsets(paragraph: str, max_chars: int) -> Iterator[tuple[int, int]]:
    """`_sentence_offsets` of *paragraph*, handed to pysbd in pieces of at most *max_chars*."""
    for offset, piece in bounded_pieces(paragraph, max_chars):
        for start, end in _sentence_offsets(piece):
            yield offset + start, offset + end


def bounded_pieces(text: str, max_chars: int) -> Iterator[tuple[int, str]]:
    """(offset, piece) covering *text* in order, each piece at most *max_chars* long.

    A cut goes after the last sentence-like end within the bound, else after the last space,
    else at the bound itself; the pieces joined give *text* back exactly.
    """
    start = 0
    while len(text) - start > max_chars:
        window = text[start : start + max_chars]
        cut = 0
        for match in _SAFE_CUT.finditer(window):
            if match.end() < len(window):
                cut = match.end()
        if cut == 0:
            cut = window.rfind(" ") + 1
        if cut <= 0:
            cut = max_chars
        yield start, text[start : start + cut]
        start += cut
    yield start, text[start:]


def _sentence_offsets(paragraph: str) -> Iterator[tuple[int, int]]:
    # pysbd's own char_span mode misplaces repeated sentences, so offsets are found by a
    # forward search from the end of the previous sentence.
    segments: list[str] = _segmenter().segment(paragraph)  # type: ignore[attr-defined]
    cursor = 0
    for segment in segments:
        piece = segment.strip()
        if not piece:
            continue
        found = paragraph.find(piece, cursor)
        if found < 0:
            continue  # pysbd changed the characters: skip rather than cite wrong offsets
        cursor = found + len(piece)
        yield found, cursor

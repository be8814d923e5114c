"""Sentences: pysbd on each paragraph, with exact character offsets into the article text.

pysbd keeps quotes with inner full stops whole ("We must come home. We've completed our
mission," Putin told Shoigu). We split paragraphs first (blank lines, or single newlines in
text that has no blank lines) so no sentence crosses a paragraph break.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

from newsprism.model import Article, Sentence, Span

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LINE_END = ".!?:\"'\u201d\u2019)"
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


def split_sentences(article: Article) -> tuple[Sentence, ...]:
    """The sentences of *article*, in order, each with its Span into ``article.text``."""
    text = article.text
    sentences: list[Sentence] = []
    for paragraph, (p_start, p_end) in enumerate(paragraph_spans(text)):
        for start, end in _sentence_offsets(text[p_start:p_end]):
            sentences.append(
                Sentence(
                    span=Span(article_id=article.id, start=p_start + start, end=p_start + end),
                    text=text[p_start + start : p_start + end],
                    index=len(sentences),
                    paragraph=paragraph,
                )
            )
    return tuple(sentences)


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

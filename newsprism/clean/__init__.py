"""Clean: turn a RawDocument into an Article, recording every piece of debris taken out.

HTML goes through trafilatura (main text + metadata); plain text and trafilatura's output both
go through our line rules (`newsprism.clean.lines`). The article id is a hash of the cleaned
text, so the same text from two inputs is the same article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from newsprism.clean.debris import furniture
from newsprism.clean.html import extract_html
from newsprism.clean.lines import clean_text, drop_title_repeat, split_headline
from newsprism.data.limits import Limits
from newsprism.errors import EmptyInput, UnreadableInput
from newsprism.ids import article_id, raw_ref
from newsprism.ingest.text import check_chars
from newsprism.model import Article, RawDocument, Removal
from newsprism.outlets import outlet_of
from newsprism.text import normalise_layout

__all__ = ["clean_document", "clean_text"]

# 2022-01-14, 2022_01_14, 20220114 in a file name, with plausible month and day.
_NAME_DATE = re.compile(
    r"(?<![0-9A-Za-z])((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?![0-9A-Za-z])"
)


def clean_document(doc: RawDocument, *, limits: Limits | None = None) -> Article:
    """Clean one document into an Article.

    Args:
        doc: an ingested document (plain text or HTML, with whatever metadata came with it).
        limits: the input limits (default: `Limits.from_env()`); the cleaned text must fit
            `max_article_chars` (HTML within its byte limit can still hold a longer text).

    Returns:
        The Article: cleaned text, title, outlet, dates, and every removal with its reason.

    Raises:
        UnreadableInput: plain-text bytes that are not UTF-8.
        EmptyInput: no article text is left after cleaning, or only page notices are.
        InputTooLarge: the cleaned text is longer than `max_article_chars`.
    """
    found = _from_html(doc) if doc.media_type == "text/html" else _from_text(doc)
    body = found.body
    removed: list[Removal] = []
    if found.title:
        body, repeat = drop_title_repeat(body, found.title)
        removed.extend(repeat)
    text, removals = clean_text(body)
    removed.extend(removals)
    if not text.strip():
        raise EmptyInput(
            doc.source,
            f"nothing is left after cleaning ({len(removed)} debris lines removed); "
            "the input holds no article text",
        )
    notice = furniture(text)
    if notice is not None:
        raise EmptyInput(
            doc.source,
            f"only page furniture is left after cleaning (notices such as {notice[:80]!r}), "
            "no article text; if it is an article, give its text without the page's notices",
        )
    check_chars(doc.source, text, limits or Limits.from_env())
    published = found.published
    return Article(
        id=article_id(text),
        source=doc.source,
        outlet=doc.outlet or found.sitename or outlet_of(text, found.url) or "unknown",
        title=found.title or "",
        text=text,
        published=_naive_utc(published) if published else _date_in_name(doc.source),
        url=found.url,
        byline=found.byline,
        story=doc.story,
        removed=tuple(removed),
        raw_ref=raw_ref(doc.data),
    )


@dataclass(frozen=True, slots=True)
class _Found:
    """The body (layout normalised, not yet cleaned) and the metadata a document gave."""

    body: str
    title: str | None
    byline: str | None
    published: datetime | None
    url: str | None
    sitename: str | None = None


def _from_html(doc: RawDocument) -> _Found:
    """trafilatura's main text; the document's own metadata wins over the page's."""
    extract = extract_html(doc.data, url=doc.url)
    if extract is None or not extract.text.strip():
        raise EmptyInput(
            doc.source,
            "no main text found in this HTML page; check that it is an article page, "
            "not an index, login or JavaScript-only page",
        )
    return _Found(
        body=normalise_layout(extract.text),
        title=doc.title or extract.title,
        byline=doc.byline or extract.author,
        published=doc.published or extract.published,
        url=doc.url or extract.url,
        sitename=extract.sitename,
    )


def _from_text(doc: RawDocument) -> _Found:
    """Plain text; without a given title, a headline-like first line is the title."""
    body = normalise_layout(_decode_text(doc))
    title = doc.title
    if not title:
        title, body = split_headline(body)
    return _Found(body, title, doc.byline, doc.published, doc.url)


def _decode_text(doc: RawDocument) -> str:
    try:
        return doc.data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableInput(
            doc.source,
            f"plain text is not UTF-8 (bad byte at offset {error.start}); "
            "re-encode it, e.g. `iconv -f latin1 -t utf-8`",
        ) from error


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _date_in_name(source: str) -> datetime | None:
    """A date written in the file name ("2022-01-14-kazakhstan.txt"), else None."""
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    match = _NAME_DATE.search(name)
    if match is None:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:  # 2022-02-30
        return None

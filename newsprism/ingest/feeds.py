"""RSS and Atom feeds (feedparser): each entry that carries its article becomes a document.

An entry whose content is a fragment (plain text, or a few <p> without page markup) is taken
as plain text (see `fragment_text`); trafilatura only sees entries that carry a whole page.
Entries with only a summary are rejected with a reason (a summary is a teaser, not the article;
fetch the entry's link instead), so nothing disappears silently. Each entry is read on its
own: a broken entry becomes its own rejection and the others go on.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from newsprism.data.limits import Limits, over_limit
from newsprism.errors import EmptyInput, InputError, InputTooLarge, MalformedInput
from newsprism.ingest.html import check_element_count, check_html, fragment_text
from newsprism.ingest.text import check_chars, check_text
from newsprism.model import RawDocument, Rejection

LOGGER = logging.getLogger(__name__)


def read_feed(source: str, data: bytes, limits: Limits) -> list[RawDocument | Rejection]:
    """Documents for the entries of an RSS/Atom feed."""
    if len(data) > limits.max_feed_bytes:
        what = f"a feed of {len(data):,} bytes"
        raise InputTooLarge(source, over_limit("max_feed_bytes", limits.max_feed_bytes, what))
    # feedparser sanitises every entry's HTML in Python: bound the whole feed before it runs.
    check_element_count(source, data, limits, "a feed")
    parsed = _parse(source, data)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            raise MalformedInput(
                source,
                f"not a readable RSS/Atom feed ({parsed.get('bozo_exception')}); "
                "check that the file or URL is a feed",
            )
        raise EmptyInput(source, "the feed has no entries")
    outlet = _text(parsed.get("feed", {}).get("title"))
    results: list[RawDocument | Rejection] = _broken_feed(source, parsed, len(entries))
    for number, entry in enumerate(entries[: limits.max_records_per_input], start=1):
        results.append(_entry_or_rejection(entry, f"{source}#{number}", outlet, limits))
    if len(entries) > limits.max_records_per_input:
        what = f"a feed of {len(entries):,} entries"
        field = "max_records_per_input"
        results.append(
            Rejection.from_error(
                InputTooLarge(source, over_limit(field, limits.max_records_per_input, what))
            )
        )
    return results


def _broken_feed(source: str, parsed: Any, entries: int) -> list[RawDocument | Rejection]:
    """A rejection when the feed's XML breaks off (its entries up to the break are still read).

    Only XML errors count: feedparser also flags harmless things (a wrong declared charset).
    """
    from xml.sax import SAXException

    problem = parsed.get("bozo_exception")
    if not parsed.get("bozo") or not isinstance(problem, SAXException):
        return []
    message = (
        f"the feed's XML is broken ({problem!s:.200}); the {entries} entries read before the "
        "break are kept, anything after it is lost: check the file or download it again"
    )
    return [Rejection.from_error(MalformedInput(source, message))]


def _parse(source: str, data: bytes) -> Any:
    import feedparser  # loaded only for feeds: its import is slow

    try:
        return feedparser.parse(data)
    except Exception as error:  # noqa: BLE001 (a third-party parser: any failure is this input's)
        raise MalformedInput(
            source, f"not a readable RSS/Atom feed ({type(error).__name__}: {error})"
        ) from error


def _entry_or_rejection(
    entry: Any, where: str, outlet: str | None, limits: Limits
) -> RawDocument | Rejection:
    try:
        return _entry_document(entry, where, outlet, limits)
    except InputError as error:
        return Rejection.from_error(error, where)
    except Exception as error:  # noqa: BLE001 (feedparser's values are loosely typed)
        LOGGER.debug("feed entry %s failed", where, exc_info=True)
        return Rejection.from_error(
            MalformedInput(where, f"unreadable feed entry ({type(error).__name__}: {error})")
        )


def _entry_document(entry: Any, fallback: str, outlet: str | None, limits: Limits) -> RawDocument:
    link = _text(entry.get("link"))
    where = _printable(link) or _printable(_text(entry.get("id"))) or fallback
    body, media = _content(entry)
    if body is None:
        raise EmptyInput(
            where,
            "feed entry has no full content, only a summary; "
            "fetch the entry's link to read the article",
        )
    title, byline = _text(entry.get("title")), _text(entry.get("author"))
    for value, what in ((body, "the entry content"), (title, "the title"), (byline, "the author")):
        if value is not None:
            check_text(where, value, what)
    if media == "text/html":
        check_html(where, body.encode("utf-8"), limits)
        text = fragment_text(body)
        if text is not None:  # plain text or a few <p>: its text, not trafilatura's guess
            body, media = text, "text/plain"
    check_chars(where, body, limits)
    data = body.encode("utf-8")
    return RawDocument(
        source=where,
        data=data,
        media_type=media,
        title=title,
        outlet=outlet,
        url=_printable(link),
        published=_entry_date(entry),
        byline=byline,
    )


def _printable(value: str | None) -> str | None:
    try:
        if value is not None:
            check_text("", value)
    except InputError:
        return None
    return value


def _content(entry: Any) -> tuple[str | None, Any]:
    for item in entry.get("content") or []:
        value = item.get("value")
        if isinstance(value, str) and value.strip():
            media = "text/plain" if item.get("type") == "text/plain" else "text/html"
            return value, media
    return None, "text/html"


def _entry_date(entry: Any) -> datetime | None:
    # feedparser normalises dates to UTC struct_time.
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime(*value[:6])
            except (TypeError, ValueError, OverflowError):
                LOGGER.warning("ignoring unreadable feed date %r", value)
    return None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None

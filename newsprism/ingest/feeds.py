"""RSS and Atom feeds (feedparser): each entry that carries its article becomes a document.

Entries with only a summary are rejected with a reason (a summary is a teaser, not the article;
fetch the entry's link instead), so nothing disappears silently.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from newsprism.errors import EmptyInput, MalformedInput
from newsprism.ingest.jsonl import as_rejection
from newsprism.model import RawDocument, Rejection

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_feed(source: str, data: bytes) -> list[RawDocument | Rejection]:
    """Documents for the entries of an RSS/Atom feed."""
    import feedparser  # loaded only for feeds: its import is slow

    parsed = feedparser.parse(data)
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
    results: list[RawDocument | Rejection] = []
    for number, entry in enumerate(entries, start=1):
        link = _text(entry.get("link"))
        where = link or _text(entry.get("id")) or f"{source}#{number}"
        body, media = _content(entry)
        if body is None:
            results.append(
                as_rejection(
                    EmptyInput(
                        where,
                        "feed entry has no full content, only a summary; "
                        "fetch the entry's link to read the article",
                    )
                )
            )
            continue
        results.append(
            RawDocument(
                source=where,
                data=body.encode("utf-8"),
                media_type=media,
                title=_text(entry.get("title")),
                outlet=outlet,
                url=link,
                published=_entry_date(entry),
                byline=_text(entry.get("author")),
            )
        )
    return results


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
            return datetime(*value[:6])
    return None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None

"""JSON and JSONL records: ``{"id", "text" | "html", "title", "url", "outlet", "published",
"story"}``, all but text/html optional (SPEC, "Inputs").

A .json file holds one record or a list of records; a .jsonl file one record per line. A bad
line or record becomes a Rejection naming it; the other records go on.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from newsprism.errors import EmptyInput, InputError, MalformedInput
from newsprism.ingest.text import decode_text
from newsprism.model import RawDocument, Rejection

LOGGER = logging.getLogger(__name__)
_STRING_FIELDS = ("title", "url", "outlet", "story", "byline", "author")


def read_json(source: str, data: bytes) -> list[RawDocument | Rejection]:
    """Documents from a .json file: one record object or a list of them."""
    text = decode_text(source, data)
    if not text.strip():
        raise EmptyInput(source, "the JSON file is empty; remove it or add records")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise MalformedInput(
            source,
            f"invalid JSON at line {error.lineno}, column {error.colno} ({error.msg}); "
            "fix the file (a record object or a list of them)",
        ) from error
    if isinstance(value, list):
        return [
            _record_or_rejection(item, f"{source}#{number}")
            for number, item in enumerate(value, start=1)
        ]
    return [_record_or_rejection(value, source)]


def read_jsonl(source: str, data: bytes) -> list[RawDocument | Rejection]:
    """Documents from a .jsonl file, one record per line; blank lines are skipped."""
    text = decode_text(source, data)
    results: list[RawDocument | Rejection] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}#{number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            rejection = MalformedInput(
                where,
                f"line {number} is not valid JSON ({error.msg} at column {error.colno}); "
                "each line must be one JSON record",
            )
            results.append(as_rejection(rejection))
            continue
        results.append(_record_or_rejection(value, where))
    if not results:
        raise EmptyInput(source, "the JSONL file holds no records; remove it or add records")
    return results


def as_rejection(error: InputError) -> Rejection:
    """The Rejection that records *error* (its message and code)."""
    return Rejection(source=error.source, reason=str(error), code=error.code)


def _record_or_rejection(value: Any, where: str) -> RawDocument | Rejection:
    try:
        return record_to_document(value, where)
    except InputError as error:
        return as_rejection(error)


def record_to_document(record: Any, where: str) -> RawDocument:
    """One record as a RawDocument; its ``id`` (else *where*) is the source.

    Raises:
        MalformedInput: not an object, or no usable text/html field.
        EmptyInput: the text/html field is empty.
    """
    if not isinstance(record, dict):
        raise MalformedInput(where, f"a record must be a JSON object, not {type(record).__name__}")
    source = str(record["id"]) if record.get("id") not in (None, "") else where
    text, html = record.get("text"), record.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        raise MalformedInput(
            source, f'record ({where}) has no "text" or "html" string field; add one'
        )
    # Prefer the caller's own text over HTML we would have to extract.
    body, media = (
        (text, "text/plain") if isinstance(text, str) and text.strip() else (html, "text/html")
    )
    if not isinstance(body, str) or not body.strip():
        raise EmptyInput(source, f'record ({where}) has an empty "text"/"html" field')
    fields = {name: _string(record.get(name)) for name in _STRING_FIELDS}
    return RawDocument(
        source=source,
        data=body.encode("utf-8"),
        media_type="text/plain" if media == "text/plain" else "text/html",
        title=fields["title"],
        outlet=fields["outlet"],
        url=fields["url"],
        published=parse_published(record.get("published"), source),
        byline=fields["byline"] or fields["author"],
        story=fields["story"],
    )


def _string(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def parse_published(value: Any, source: str = "") -> datetime | None:
    """An ISO 8601 or RFC 2822 date (or epoch seconds) as naive UTC; None if absent or bad."""
    if value in (None, ""):
        return None
    moment: datetime | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        moment = datetime.fromtimestamp(value, tz=UTC)
    elif isinstance(value, str):
        cleaned = (
            value.strip().replace("Z", "+00:00") if value.strip().endswith("Z") else value.strip()
        )
        try:
            moment = datetime.fromisoformat(cleaned)
        except ValueError:
            try:
                moment = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                moment = None
    if moment is None:
        LOGGER.warning("%s: ignoring unreadable published date %r (use ISO 8601)", source, value)
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment

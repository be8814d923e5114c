"""JSON and JSONL records: ``{"id", "text" | "html", "title", "url", "outlet", "published",
"story"}``, all but text/html optional (SPEC, "Inputs").

A .json file holds one record or a list of records; a .jsonl file one record per line. A bad
line or record becomes a Rejection naming it; the other records go on. JSONL is split on
``\\n`` (and ``\\r\\n``) only: U+2028, U+2029 and U+0085 are legal inside JSON strings, so
`str.splitlines` would cut records in two. Parsing is bounded: no NaN/Infinity (not JSON),
no number literal over `max_json_number_chars`, no nesting over `max_json_depth`.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Iterator
from typing import Any

from newsprism.data.limits import Limits, over_limit
from newsprism.errors import EmptyInput, InputError, InputTooLarge, MalformedInput
from newsprism.ingest.dates import parse_published
from newsprism.ingest.html import check_html
from newsprism.ingest.text import check_chars, check_text, decode_text
from newsprism.model import RawDocument, Rejection

__all__ = ["parse_published", "read_json", "read_jsonl", "record_to_document"]

LOGGER = logging.getLogger(__name__)
_STRING_FIELDS = ("title", "url", "outlet", "story", "byline", "author")
_UTF8_BOM = b"\xef\xbb\xbf"
# What a story id may not hold (see check_story_id): path separators and control characters.
_STORY_ID_BAD = re.compile(r"[/\\\x00-\x1f\x7f-\x9f]")
_WHOLE_FILE = "the file"


class _JsonLimit(ValueError):
    """Raised from inside json.loads by our number hooks; turned into a rejection."""


def read_json(source: str, data: bytes, limits: Limits) -> list[RawDocument | Rejection]:
    """Documents from a .json file: one record object or a list of them."""
    if len(data) > limits.max_json_bytes:
        what = f"a JSON file of {len(data):,} bytes"
        raise InputTooLarge(source, over_limit("max_json_bytes", limits.max_json_bytes, what))
    text = decode_text(source, data)
    if not text.strip():
        raise EmptyInput(source, "the JSON file is empty; remove it or add records")
    value = _loads(source, text, limits, _WHOLE_FILE)
    if isinstance(value, list):
        if len(value) > limits.max_records_per_input:
            what = f"a JSON list of {len(value):,} records"
            field = "max_records_per_input"
            raise InputTooLarge(source, over_limit(field, limits.max_records_per_input, what))
        return [
            record_or_rejection(item, f"{source}#{number}", limits)
            for number, item in enumerate(value, start=1)
        ]
    return [record_or_rejection(value, source, limits)]


def read_jsonl(source: str, data: bytes, limits: Limits) -> list[RawDocument | Rejection]:
    """Documents from a .jsonl file, one record per line; blank lines are skipped."""
    results: list[RawDocument | Rejection] = []
    for number, line in _lines(source, data):
        if len(results) >= limits.max_records_per_input:
            what = f"more than {limits.max_records_per_input:,} records (stopped at line {number})"
            field = "max_records_per_input"
            rejection = InputTooLarge(source, over_limit(field, limits.max_records_per_input, what))
            results.append(Rejection.from_error(rejection))
            break
        if not line.strip():
            continue
        results.append(_line_record(f"{source}#{number}", number, line, limits))
    if not results:
        raise EmptyInput(source, "the JSONL file holds no records; remove it or add records")
    return results


def _lines(source: str, data: bytes) -> Iterator[tuple[int, bytes]]:
    """(line number, line) for each ``\\n``-separated line, its ``\\r`` stripped, as UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 is rare for JSONL: decode it whole, then hand on UTF-8 lines like the rest.
        data = decode_text(source, data).encode("utf-8")
    start = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    number = 0
    while start <= len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        number += 1
        line = data[start:end]
        yield number, line[:-1] if line.endswith(b"\r") else line
        start = end + 1


def _line_record(where: str, number: int, line: bytes, limits: Limits) -> RawDocument | Rejection:
    try:
        if len(line) > limits.max_record_bytes:
            what = f"line {number} of {len(line):,} bytes"
            raise InputTooLarge(
                where, over_limit("max_record_bytes", limits.max_record_bytes, what)
            )
        text = decode_text(where, line)
        value = _loads(where, text, limits, f"line {number}")
    except InputError as error:
        return Rejection.from_error(error)
    return record_or_rejection(value, where, limits)


def _loads(source: str, text: str, limits: Limits, what: str) -> Any:
    """Parse JSON *text* within the number and depth limits."""
    try:
        value = json.loads(
            text,
            parse_int=lambda literal: _parse_int(literal, limits),
            parse_float=lambda literal: _parse_float(literal, limits),
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as error:
        if what == _WHOLE_FILE:
            problem = f"invalid JSON at line {error.lineno}, column {error.colno} ({error.msg}); "
            hint = "fix the file (a record object or a list of them)"
        else:
            problem = f"{what} is not valid JSON ({error.msg} at column {error.colno}); "
            hint = "each line must be one JSON record"
        raise MalformedInput(source, problem + hint) from error
    except _JsonLimit as error:
        raise MalformedInput(source, f"{what}: {error}") from error
    except RecursionError as error:
        raise InputTooLarge(source, _too_deep(what, limits)) from error
    if _depth_over(value, limits.max_json_depth):
        raise InputTooLarge(source, _too_deep(what, limits))
    return value


def _too_deep(what: str, limits: Limits) -> str:
    return over_limit(
        "max_json_depth", limits.max_json_depth, f"{what} nests JSON deeper than allowed"
    )


def _parse_int(literal: str, limits: Limits) -> int:
    _check_number_length(literal, limits)
    return int(literal)


def _parse_float(literal: str, limits: Limits) -> float:
    _check_number_length(literal, limits)
    value = float(literal)
    if not math.isfinite(value):
        raise _JsonLimit(f"the number {literal} is too large for a float; write it as a string")
    return value


def _check_number_length(literal: str, limits: Limits) -> None:
    if len(literal) > limits.max_json_number_chars:
        raise _JsonLimit(
            over_limit(
                "max_json_number_chars",
                limits.max_json_number_chars,
                f"a number of {len(literal):,} characters ({literal[:20]}...)",
            )
        )


def _refuse_constant(name: str) -> Any:
    raise _JsonLimit(f"{name} is not JSON (write a number, a string or null)")


def _depth_over(value: Any, limit: int) -> bool:
    """Whether *value* nests containers deeper than *limit* (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def record_or_rejection(value: Any, where: str, limits: Limits) -> RawDocument | Rejection:
    """`record_to_document`, with an unusable record as its Rejection."""
    try:
        return record_to_document(value, where, limits)
    except InputError as error:
        return Rejection.from_error(error, where)


def record_to_document(record: Any, where: str, limits: Limits) -> RawDocument:
    """One record as a RawDocument; its ``id`` (else *where*) is the source.

    Raises:
        MalformedInput: not an object, or no usable text/html field.
        EmptyInput: the text/html field is empty.
        UnreadableInput: a field holds NUL or a lone surrogate.
        InputTooLarge: the text or html is over its limit.
    """
    if not isinstance(record, dict):
        raise MalformedInput(where, f"a record must be a JSON object, not {type(record).__name__}")
    source = _source(record, where)
    text, html = record.get("text"), record.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        raise MalformedInput(
            source, f'record ({where}) has no "text" or "html" string field; add one'
        )
    # Prefer the caller's own text over HTML we would have to extract.
    use_text = isinstance(text, str) and bool(text.strip())
    body = text if use_text else html
    if not isinstance(body, str) or not body.strip():
        raise EmptyInput(source, f'record ({where}) has an empty "text"/"html" field')
    fields = {name: _string(record.get(name), source, name) for name in _STRING_FIELDS}
    if fields["story"] is not None:
        check_story_id(source, fields["story"], limits)
    check_text(source, body, f'the "{"text" if use_text else "html"}" field')
    data = body.encode("utf-8")
    if use_text:
        check_chars(source, body, limits)
    else:
        check_html(source, data, limits)
    return RawDocument(
        source=source,
        data=data,
        media_type="text/plain" if use_text else "text/html",
        title=fields["title"],
        outlet=fields["outlet"],
        url=fields["url"],
        published=parse_published(record.get("published"), source),
        byline=fields["byline"] or fields["author"],
        story=fields["story"],
    )


def check_story_id(source: str, story: str, limits: Limits) -> None:
    """Refuse a given story id that cannot be one segment of a URL path.

    A stored story is read at ``/api/stories/<id>`` and ``/stories/<id>``: a ``/`` (or ``\\``,
    which browsers read as ``/``) would make the id two segments, ``.`` and ``..`` are removed
    by every URL parser, and control characters cannot be typed or printed. Such a story could
    be created but never read, so its records are refused here, before anything is stored.

    Raises:
        MalformedInput: naming the id, what is wrong with it and the fix.
        InputTooLarge: an id over `max_story_id_chars`.
    """
    shown = repr(story[:80])
    if len(story) > limits.max_story_id_chars:
        what = f'a "story" id of {len(story):,} characters ({shown}...)'
        raise InputTooLarge(
            source, over_limit("max_story_id_chars", limits.max_story_id_chars, what)
        )
    bad = _STORY_ID_BAD.search(story)
    if bad is not None:
        char = bad.group()
        named = char if char in "/\\" else f"the control character U+{ord(char):04X}"
        raise MalformedInput(
            source,
            f'the "story" id {shown} holds {named}, so the story could not be read back at '
            f"/api/stories/<id>; use an id without it (e.g. {_STORY_ID_BAD.sub('-', story)[:80]!r})",
        )
    if story in (".", ".."):
        raise MalformedInput(
            source, f'the "story" id {shown} is a URL path step, not a name; use another id'
        )


def _source(record: dict[str, Any], where: str) -> str:
    identifier = record.get("id")
    if identifier in (None, "") or isinstance(identifier, dict | list | bool):
        return where
    source = str(identifier)
    try:
        check_text(where, source, 'the "id" field')
    except InputError:
        return where  # an id we cannot print or store: name the record by its place instead
    return source


def _string(value: Any, source: str, name: str) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    check_text(source, text, f'the "{name}" field')
    return text or None

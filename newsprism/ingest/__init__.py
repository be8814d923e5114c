"""Ingest: read files, folders, stdin and URLs into RawDocuments, and bad inputs into Rejections.

Formats: .txt, .html/.htm, .json (a record or a list), .jsonl, RSS/Atom feeds (.xml, .rss,
.atom), .warc/.warc.gz; any of them gzipped (.gz). Inputs without a known suffix (stdin, URLs)
are recognised by their content type or their first bytes. A bad input never stops the batch:
it becomes a Rejection with its reason and error code.
"""

from __future__ import annotations

import dataclasses
import gzip
import logging
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newsprism.errors import InputError, MalformedInput, UnreadableInput
from newsprism.ingest.feeds import read_feed
from newsprism.ingest.html import read_html
from newsprism.ingest.jsonl import as_rejection, read_json, read_jsonl
from newsprism.ingest.text import SUPPORTED, read_text
from newsprism.ingest.warc import read_warc
from newsprism.model import RawDocument, Rejection

if TYPE_CHECKING:  # httpx loads only when a URL is given
    from newsprism.fetch import Fetcher

__all__ = ["IngestResult", "iter_inputs", "read_bytes", "read_inputs"]

LOGGER = logging.getLogger(__name__)

Reader = Callable[[str, bytes], list[RawDocument | Rejection]]
READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "json": read_json,
    "jsonl": read_jsonl,
    "feed": read_feed,
    "warc": read_warc,
}
SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".warc": "warc",
}
CONTENT_TYPES: dict[str, str] = {
    "text/plain": "text",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
    "application/warc": "warc",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestResult:
    """Documents read from the inputs, and the inputs that could not be read (with why)."""

    documents: tuple[RawDocument, ...] = ()
    rejections: tuple[Rejection, ...] = ()


def read_bytes(source: str, data: bytes, filename: str | None = None) -> IngestResult:
    """Read one input handed over as bytes (an upload, stdin, a fetched URL).

    Args:
        source: how to name this input in documents and rejections.
        data: its bytes.
        filename: its file name, whose suffix picks the format; else the bytes decide.
    """
    try:
        items = _parse(source, data, filename)
    except InputError as error:
        items = [as_rejection(error)]
    return _result(items)


def read_inputs(inputs: Sequence[str], *, fetcher: Fetcher | None = None) -> IngestResult:
    """Read files, folders (recursively, in sorted order), ``-`` (stdin) and http(s) URLs.

    Args:
        inputs: paths, ``-`` or URLs, in the order given.
        fetcher: the HTTP client for URLs (a default `Fetcher` is made when one is needed).
    """
    return _result(list(iter_inputs(inputs, fetcher=fetcher)))


def iter_inputs(
    inputs: Sequence[str], *, fetcher: Fetcher | None = None
) -> Iterator[RawDocument | Rejection]:
    """Like `read_inputs`, one input file at a time, for inputs too large to hold at once."""
    own_fetcher: Fetcher | None = None
    try:
        for value in inputs:
            if value == "-":
                result = read_bytes("-", sys.stdin.buffer.read())
            elif value.startswith(("http://", "https://")):
                if fetcher is None and own_fetcher is None:
                    from newsprism.fetch import Fetcher

                    own_fetcher = Fetcher()
                result = _read_url(value, fetcher or own_fetcher)  # type: ignore[arg-type]
            else:
                yield from _read_path(value)
                continue
            yield from result.documents
            yield from result.rejections
    finally:
        if own_fetcher is not None:
            own_fetcher.close()


def _result(items: Sequence[RawDocument | Rejection]) -> IngestResult:
    return IngestResult(
        documents=tuple(item for item in items if isinstance(item, RawDocument)),
        rejections=tuple(item for item in items if isinstance(item, Rejection)),
    )


def _read_path(value: str) -> Iterator[RawDocument | Rejection]:
    path = Path(value)
    if not path.is_dir():
        result = _read_file(path)
        yield from result.documents
        yield from result.rejections
        return
    files = sorted(
        candidate
        for candidate in path.rglob("*")
        if candidate.is_file()
        and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
    )
    for file in files:
        if _format_from_name(file.name) is None:
            LOGGER.info("skipping %s: not a supported format (%s)", file, SUPPORTED)
            continue
        result = _read_file(file)
        yield from result.documents
        yield from result.rejections


def _read_file(path: Path) -> IngestResult:
    source = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        error: InputError = UnreadableInput(
            source, "no such file or folder; check the path (relative to the current folder)"
        )
        return _result([as_rejection(error)])
    except OSError as exc:
        error = UnreadableInput(source, f"cannot read the file ({exc.strerror}); check permissions")
        return _result([as_rejection(error)])
    return read_bytes(source, data, path.name)


def _read_url(url: str, fetcher: Fetcher) -> IngestResult:
    try:
        fetched = fetcher.fetch(url)
    except InputError as error:
        return _result([as_rejection(error)])
    kind = CONTENT_TYPES.get((fetched.content_type or "").split(";")[0].strip().lower())
    name = PurePosixPath(urlsplit(fetched.url).path).name
    if kind is not None and _format_from_name(name) != kind:
        name = f"download.{'txt' if kind == 'text' else kind}"
    result = read_bytes(url, fetched.data, name or None)
    documents = tuple(
        dataclasses.replace(
            document,
            url=document.url or fetched.url,
            fetched_at=document.fetched_at or fetched.fetched_at,
        )
        for document in result.documents
    )
    return IngestResult(documents=documents, rejections=result.rejections)


def _format_from_name(name: str | None) -> str | None:
    if not name:
        return None
    lower = name.lower()
    if lower.endswith((".warc.gz", ".warc")):
        return "warc"
    if lower.endswith(".gz"):
        return _format_from_name(lower[:-3])
    return SUFFIXES.get(PurePosixPath(lower).suffix)


def _parse(source: str, data: bytes, filename: str | None) -> list[RawDocument | Rejection]:
    kind = _format_from_name(filename)
    if kind != "warc" and data[:2] == b"\x1f\x8b":
        data = _gunzip(source, data)
        if filename and filename.lower().endswith(".gz"):
            filename = filename[:-3]
            kind = _format_from_name(filename)
    if kind is None:
        kind = _sniff(data)
    return READERS[kind](source, data)


def _gunzip(source: str, data: bytes) -> bytes:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:
        raise MalformedInput(source, f"broken gzip data ({error}); check the download") from error


def _sniff(data: bytes) -> str:
    """Guess the format of unnamed bytes from how they start."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"warc/"):
        return "warc"
    if head.startswith(b"<"):
        markers = (b"<rss", b"<feed", b"<rdf:rdf")
        if any(marker in head for marker in markers) and b"<html" not in head:
            return "feed"
        return "html"
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        first_line = head.split(b"\n", 1)[0].strip()
        rest = head[len(first_line) :].strip()
        return "jsonl" if first_line.endswith(b"}") and rest.startswith(b"{") else "json"
    return "text"

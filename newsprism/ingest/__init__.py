"""Ingest: read files, folders, stdin and URLs into RawDocuments, and bad inputs into Rejections.

Formats: .txt, .html/.htm, .json (a record or a list), .jsonl, RSS/Atom feeds (.xml, .rss,
.atom), .warc/.warc.gz; any of them gzipped (.gz). Inputs without a known suffix (stdin, URLs)
are recognised by their content type or their first bytes. A bad input never stops the batch:
it becomes a Rejection with its reason and error code.

Every read is bounded by `newsprism.data.limits.Limits`: regular files only (no devices or
FIFOs), at most `max_input_bytes` per input, decompression that stops at its limit, and one
limit per format (see that module for each value and why). An input over a limit is rejected,
naming the limit and the environment variable that raises it.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newsprism.data.limits import Limits, over_limit
from newsprism.errors import EmptyInput, FetchRefused, InputError, InputTooLarge, UnreadableInput
from newsprism.ingest.bounds import (
    GZIP_MAGIC,
    display_path,
    gunzip,
    read_at_most,
    read_regular_file,
)
from newsprism.ingest.feeds import read_feed
from newsprism.ingest.html import read_html
from newsprism.ingest.jsonl import read_json, read_jsonl
from newsprism.ingest.text import SUPPORTED, max_text_bytes, read_text
from newsprism.ingest.warc import read_warc
from newsprism.model import RawDocument, Rejection

if TYPE_CHECKING:  # httpx loads only when a URL is given
    from newsprism.fetch import Fetcher

__all__ = ["IngestResult", "iter_inputs", "read_bytes", "read_inputs", "with_outlet"]

LOGGER = logging.getLogger(__name__)

Reader = Callable[[str, bytes, Limits], list[RawDocument | Rejection]]
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


def read_bytes(
    source: str, data: bytes, filename: str | None = None, *, limits: Limits | None = None
) -> IngestResult:
    """Read one input handed over as bytes (an upload, stdin, a fetched URL).

    Args:
        source: how to name this input in documents and rejections.
        data: its bytes.
        filename: its file name, whose suffix picks the format; else the bytes decide.
        limits: the size limits (default: `Limits.from_env()`).
    """
    limits = limits or Limits.from_env()

    def parse() -> list[RawDocument | Rejection]:
        if len(data) > limits.max_input_bytes:
            what = f"input of {len(data):,} bytes"
            field = "max_input_bytes"
            raise InputTooLarge(source, over_limit(field, limits.max_input_bytes, what))
        return _parse(source, data, filename, limits)

    return _result(_guarded(source, parse))


def read_inputs(
    inputs: Sequence[str], *, fetcher: Fetcher | None = None, limits: Limits | None = None
) -> IngestResult:
    """Read files, folders (recursively, in sorted order), ``-`` (stdin) and http(s) URLs.

    Args:
        inputs: paths, ``-`` or URLs, in the order given.
        fetcher: the HTTP client for URLs (a default `Fetcher` is made when one is needed).
        limits: the size limits (default: `Limits.from_env()`).
    """
    return _result(list(iter_inputs(inputs, fetcher=fetcher, limits=limits)))


def with_outlet(result: IngestResult, outlet: str | None) -> IngestResult:
    """*result* with every document's outlet set to *outlet* (`--outlet`: the user names the
    outlet of a run's inputs, over whatever they say); unchanged when *outlet* is None."""
    if outlet is None:
        return result
    name = " ".join(outlet.split())
    documents = tuple(replace(document, outlet=name) for document in result.documents)
    return replace(result, documents=documents)


def iter_inputs(
    inputs: Sequence[str], *, fetcher: Fetcher | None = None, limits: Limits | None = None
) -> Iterator[RawDocument | Rejection]:
    """Like `read_inputs`, one input file at a time, for inputs too large to hold at once."""
    limits = limits or Limits.from_env()
    own_fetcher: Fetcher | None = None
    try:
        for value in inputs:
            if value == "-":
                result = _read_stdin(limits)
            elif value.startswith(("http://", "https://")):
                if fetcher is None and own_fetcher is None:
                    from newsprism.fetch import Fetcher, loopback_allowed

                    own_fetcher = Fetcher(allow_loopback=loopback_allowed())
                result = _read_url(value, fetcher or own_fetcher, limits)  # type: ignore[arg-type]
            else:
                yield from _read_path(value, limits)
                continue
            yield from result.documents
            yield from result.rejections
    finally:
        if own_fetcher is not None:
            own_fetcher.close()


def _guarded(
    source: str, read: Callable[[], list[RawDocument | Rejection]]
) -> list[RawDocument | Rejection]:
    """*read*(), with any failure as this input's rejection: one input never stops the batch."""
    try:
        return read()
    except InputError as error:
        return [Rejection.from_error(error)]
    except Exception as error:  # noqa: BLE001 (the last guard: a parser bug must not stop a batch)
        LOGGER.debug("reading %s failed", source, exc_info=True)
        failure = InputError(
            source,
            f"could not read this input ({type(error).__name__}: {error}); this is a bug in "
            "newsprism: please report it with the input",
        )
        return [Rejection.from_error(failure)]


def _result(items: Sequence[RawDocument | Rejection]) -> IngestResult:
    return IngestResult(
        documents=tuple(item for item in items if isinstance(item, RawDocument)),
        rejections=tuple(item for item in items if isinstance(item, Rejection)),
    )


def _read_stdin(limits: Limits) -> IngestResult:
    try:
        data = read_at_most(sys.stdin.buffer, "-", limits)
    except InputError as error:
        return _result([Rejection.from_error(error)])
    return read_bytes("-", data, limits=limits)


def _read_path(value: str, limits: Limits) -> Iterator[RawDocument | Rejection]:
    path = Path(value)
    if path.is_dir():
        yield from _read_folder(path, limits)
        return
    result = _read_file(path, limits)
    yield from result.documents
    yield from result.rejections


def _read_folder(folder: Path, limits: Limits) -> Iterator[RawDocument | Rejection]:
    """Every supported file under *folder* (hidden ones left out), in sorted order."""
    problems: list[OSError] = []
    files: list[Path] = []
    for root, folders, names in os.walk(folder, onerror=problems.append):
        # Hidden folders (.git, .cache) are not inputs; os.walk honours this in-place edit.
        folders[:] = [name for name in folders if not name.startswith(".")]
        files.extend(Path(root, name) for name in names if not name.startswith("."))
    for problem in problems:
        where = display_path(problem.filename or folder)
        message = f"cannot read this folder ({problem.strerror}); check its permissions"
        yield Rejection.from_error(UnreadableInput(where, message))
    supported = sorted(file for file in files if _format_from_name(file.name) is not None)
    for file in supported:
        result = _read_file(file, limits)
        yield from result.documents
        yield from result.rejections
    if not supported and not problems:
        skipped = f" ({len(files)} other files skipped)" if files else ""
        message = f"the folder holds no input file{skipped}; newsprism reads {SUPPORTED}"
        yield Rejection.from_error(EmptyInput(display_path(folder), message))
    for file in files:
        if _format_from_name(file.name) is None:
            LOGGER.info("skipping %s: not a supported format (%s)", display_path(file), SUPPORTED)


def _read_file(path: Path, limits: Limits) -> IngestResult:
    source = display_path(path)
    try:
        data = read_regular_file(path, source, limits)
    except InputError as error:
        return _result([Rejection.from_error(error)])
    return read_bytes(source, data, path.name, limits=limits)


def _read_url(url: str, fetcher: Fetcher, limits: Limits) -> IngestResult:
    try:
        fetched = fetcher.fetch(url)
    except InputError as error:
        return _result([Rejection.from_error(error)])
    except Exception as error:  # noqa: BLE001 (the last guard, as in _guarded)
        LOGGER.debug("fetching %s failed", url, exc_info=True)
        return _result([Rejection.from_error(FetchRefused(url, f"could not fetch ({error!r})"))])
    kind = CONTENT_TYPES.get((fetched.content_type or "").split(";")[0].strip().lower())
    name = PurePosixPath(urlsplit(fetched.url).path).name
    if kind is not None and _format_from_name(name) != kind:
        name = f"download.{'txt' if kind == 'text' else kind}"
    result = read_bytes(url, fetched.data, name or None, limits=limits)
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


def _parse(
    source: str, data: bytes, filename: str | None, limits: Limits
) -> list[RawDocument | Rejection]:
    kind = _format_from_name(filename)
    if kind != "warc" and data.startswith(GZIP_MAGIC):
        limit, field = _inflate_limit(kind, limits)
        data = gunzip(source, data, limit, field)
    if kind is None:
        kind = _sniff(data)
    return READERS[kind](source, data, limits)


def _inflate_limit(kind: str | None, limits: Limits) -> tuple[int, str]:
    """How far gzip data of format *kind* may inflate, and the limit field that says so.

    A bomb is stopped at the limit of the format it claims to be (10 MB for HTML), not only at
    the global `max_decompressed_bytes`.
    """
    by_kind = {
        "text": (max_text_bytes(limits), "max_article_chars"),
        "html": (limits.max_html_bytes, "max_html_bytes"),
        "json": (limits.max_json_bytes, "max_json_bytes"),
        "feed": (limits.max_feed_bytes, "max_feed_bytes"),
    }
    limit, field = by_kind.get(
        kind or "", (limits.max_decompressed_bytes, "max_decompressed_bytes")
    )
    if limit > limits.max_decompressed_bytes:
        return limits.max_decompressed_bytes, "max_decompressed_bytes"
    return limit, field


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

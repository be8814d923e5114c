"""WARC archives (warcio): every successful HTML response becomes a document.

Other records (requests, metadata, images, scripts) are not articles and are skipped. A
gzipped WARC is decompressed by our bounded `GunzipStream`, so warcio only ever reads plain
bytes and the whole archive can inflate to at most `max_decompressed_bytes`. A broken record
payload is that record's rejection; a break in the archive itself (a truncated download) keeps
the records before it and rejects the rest, saying where it stopped.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from newsprism.data.limits import Limits, over_limit
from newsprism.errors import EmptyInput, InputError, InputTooLarge, MalformedInput
from newsprism.ingest.bounds import GZIP_MAGIC, GunzipStream
from newsprism.ingest.dates import parse_published
from newsprism.ingest.html import check_html
from newsprism.ingest.text import check_not_binary
from newsprism.model import RawDocument, Rejection

LOGGER = logging.getLogger(__name__)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_BLOCK = 64 * 1024  # bytes warcio reads (and decompresses) at a time
# WARC and HTTP header lines are well under 8 KB; a longer "line" is read in pieces of this size
# (warcio then finds the record malformed) instead of being gathered whole.
_MAX_LINE = 64 * 1024
_MAX_PROBLEM = 300  # characters of a parser's own message quoted in a rejection


def read_warc(source: str, data: bytes, limits: Limits) -> list[RawDocument | Rejection]:
    """Documents for the HTML responses of a WARC file (gzipped or not)."""
    results: list[RawDocument | Rejection] = []
    records = 0  # WARC records read so far, of any type
    try:
        for number, record in _records(source, data, limits):
            records = number
            item = _record_or_rejection(record, f"{source}#{number}", limits)
            if item is not None:
                results.append(item)
            if len(results) >= limits.max_records_per_input:
                what = f"more than {limits.max_records_per_input:,} HTML responses"
                field = "max_records_per_input"
                raise InputTooLarge(source, over_limit(field, limits.max_records_per_input, what))
    except InputError as error:
        problem = error.message.removeprefix(f"{source}: ")[:_MAX_PROBLEM]
        kind = InputTooLarge if isinstance(error, InputTooLarge) else MalformedInput
        results.append(_broken(source, records, _documents(results), problem, kind))
    except Exception as error:  # noqa: BLE001 (warcio raises many kinds on a damaged archive)
        LOGGER.debug("WARC %s broke after record %d", source, records, exc_info=True)
        problem = f"{type(error).__name__}: {error!s:.{_MAX_PROBLEM}}"
        results.append(_broken(source, records, _documents(results), problem))
    if not results:
        raise EmptyInput(source, "the WARC file holds no HTML responses")
    return results


def _broken(
    source: str,
    records: int,
    kept: int,
    problem: str,
    kind: type[InputError] = MalformedInput,
) -> Rejection:
    # Keep what was read before the damage, and say where it stopped.
    return Rejection.from_error(
        kind(
            source,
            f"broken WARC after {kept} HTML responses (at record {records + 1}: {problem}); "
            "what came before was kept, the rest was not read (a truncated download?)",
        )
    )


def _records(source: str, data: bytes, limits: Limits) -> Iterator[tuple[int, Any]]:
    # warcio loads only for WARC input: its import is slow.
    from warcio.archiveiterator import ArchiveIterator

    stream: Any = io.BytesIO(data)
    if data.startswith(GZIP_MAGIC):
        stream = GunzipStream(source, data, limits.max_decompressed_bytes, "max_decompressed_bytes")
        head = stream.read(len(GZIP_MAGIC))
        if head == GZIP_MAGIC:
            raise MalformedInput(source, "gzip inside gzip is not a WARC; decompress it once")
        stream = _Prefixed(head, stream)
    iterator = ArchiveIterator(stream, block_size=_BLOCK)
    # warcio's readline joins a long line with += (quadratic: a 20 MB header line took 18 s),
    # so the iterator reads through our reader, whose lines are linear and capped.
    iterator.reader = _line_capped_reader(stream)
    yield from enumerate(iterator, start=1)


def _line_capped_reader(stream: Any) -> Any:
    from warcio.bufferedreaders import DecompressingBufferedReader

    class LineCappedReader(DecompressingBufferedReader):  # type: ignore[misc]
        """warcio's reader, with a readline that is linear and stops at _MAX_LINE bytes."""

        def readline(self, length: int | None = None) -> bytes:
            cap = _MAX_LINE if not length else min(length, _MAX_LINE)
            parts: list[bytes] = []
            size = 0
            while size < cap:
                self._fillbuff()
                if self.empty():
                    break
                part: bytes = self.buff.readline(cap - size)
                parts.append(part)
                size += len(part)
                if part.endswith(b"\n"):
                    break
            return b"".join(parts)

    return LineCappedReader(stream, block_size=_BLOCK)


class _Prefixed:
    """A stream that first returns *head* (bytes already read to peek), then the rest."""

    def __init__(self, head: bytes, rest: GunzipStream) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if self._head:
            head, self._head = self._head, b""
            return head
        return self._rest.read(size)


def _record_or_rejection(record: Any, where: str, limits: Limits) -> RawDocument | Rejection | None:
    try:
        return _html_response(record, where, limits)
    except InputError as error:
        return Rejection.from_error(error, where)


def _html_response(record: Any, where: str, limits: Limits) -> RawDocument | None:
    if getattr(record, "rec_type", None) != "response":
        return None
    http = getattr(record, "http_headers", None)
    if http is None or http.get_statuscode() != "200":
        return None
    content_type = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if content_type not in _HTML_TYPES:
        return None
    headers = record.rec_headers
    url = _printable(headers.get_header("WARC-Target-URI"))
    source = url or where
    payload = _payload(record, source, limits)
    if not payload.strip():
        LOGGER.info("skipping empty HTML response for %s", source)
        return None
    check_not_binary(source, payload)
    check_html(source, payload, limits)
    fetched: datetime | None = parse_published(headers.get_header("WARC-Date"), source)
    return RawDocument(
        source=source, data=payload, media_type="text/html", url=url, fetched_at=fetched
    )


def _payload(record: Any, source: str, limits: Limits) -> bytes:
    """The record's HTTP body (de-chunked, Content-Encoding undone), at most max_html_bytes."""
    try:
        payload: bytes = record.content_stream().read(limits.max_html_bytes + 1)
    except Exception as error:  # noqa: BLE001 (warcio's chunked/gzip decoders raise many kinds)
        raise MalformedInput(
            source, f"broken HTTP body in the WARC record ({type(error).__name__}: {error})"
        ) from error
    if len(payload) > limits.max_html_bytes:
        what = f"an HTML response over {limits.max_html_bytes:,} bytes"
        raise InputTooLarge(source, over_limit("max_html_bytes", limits.max_html_bytes, what))
    missing = getattr(record.raw_stream, "limit", 0)
    if isinstance(missing, int) and missing > 0:
        # The record's Content-Length promised more than the archive holds: a cut-off page.
        raise MalformedInput(
            source,
            f"the WARC record is truncated ({missing:,} bytes of its declared length are "
            "missing); download the archive again",
        )
    return payload


def _printable(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value or not value.isprintable():
        return None
    return value


def _documents(results: list[RawDocument | Rejection]) -> int:
    return sum(1 for item in results if isinstance(item, RawDocument))

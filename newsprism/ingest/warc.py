"""WARC archives (warcio): every successful HTML response becomes a document.

Other records (requests, metadata, images, scripts) are not articles and are skipped.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime

from newsprism.errors import EmptyInput, MalformedInput
from newsprism.ingest.jsonl import as_rejection, parse_published
from newsprism.model import RawDocument, Rejection

LOGGER = logging.getLogger(__name__)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(source: str, data: bytes) -> list[RawDocument | Rejection]:
    """Documents for the HTML responses of a WARC file (gzipped or not)."""
    results: list[RawDocument | Rejection] = []
    # warcio loads only for WARC input: its import is slow.
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            document = _html_response(record)
            if document is not None:
                results.append(document)
    except (ArchiveLoadFailed, ValueError, OSError, EOFError) as error:
        # Keep what was read before the damage, and say where it stopped.
        results.append(
            as_rejection(
                MalformedInput(
                    source,
                    f"broken WARC after {len(results)} HTML responses ({error}); "
                    "check the file (a truncated download?)",
                )
            )
        )
        return results
    if not results:
        raise EmptyInput(source, "the WARC file holds no HTML responses")
    return results


def _html_response(record: object) -> RawDocument | None:
    if getattr(record, "rec_type", None) != "response":
        return None
    http = getattr(record, "http_headers", None)
    if http is None or http.get_statuscode() != "200":
        return None
    content_type = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if content_type not in _HTML_TYPES:
        return None
    headers = record.rec_headers  # type: ignore[attr-defined]
    url = headers.get_header("WARC-Target-URI")
    payload = record.content_stream().read()  # type: ignore[attr-defined]
    if not payload.strip():
        LOGGER.info("skipping empty HTML response for %s", url)
        return None
    fetched: datetime | None = parse_published(headers.get_header("WARC-Date"), url or "")
    return RawDocument(
        source=url or "warc-record",
        data=payload,
        media_type="text/html",
        url=url,
        fetched_at=fetched,
    )

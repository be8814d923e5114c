"""HTML inputs: kept as raw bytes; trafilatura reads the charset and the text when cleaning."""

from __future__ import annotations

from newsprism.errors import EmptyInput
from newsprism.ingest.text import check_not_binary
from newsprism.model import RawDocument, Rejection


def read_html(source: str, data: bytes, *, url: str | None = None) -> list[RawDocument | Rejection]:
    """One HTML page as a document (its url, when known, helps metadata extraction)."""
    check_not_binary(source, data)
    if not data.strip():
        raise EmptyInput(source, "the HTML file is empty; remove it or save the page again")
    return [RawDocument(source=source, data=data, media_type="text/html", url=url)]

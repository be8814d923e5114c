"""Main text and metadata of an HTML page, via trafilatura (and htmldate, which it calls).

Options were measured on scrapinghub_aeb (`newsprism eval extraction`): leaving comments out
raised precision most without costing recall; `favor_precision` cost recall; `deduplicate`
uses a cache shared across documents (results would depend on what ran before), so it stays
off and our own repeat rule does that job per document.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

LOGGER = logging.getLogger(__name__)

# trafilatura's options, in one place (see module docstring for why these values).
INCLUDE_COMMENTS = False
INCLUDE_TABLES = True
FAVOR_PRECISION = False
DEDUPLICATE = False


@dataclass(frozen=True, slots=True, kw_only=True)
class HtmlExtract:
    """What trafilatura found in a page: the main text and the page's own metadata."""

    text: str
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    sitename: str | None = None
    url: str | None = None


def extract_html(data: bytes | str, url: str | None = None) -> HtmlExtract | None:
    """Main text (paragraphs separated by blank lines) and metadata, or None if no text.

    Args:
        data: the page, as raw bytes (trafilatura reads the charset) or text.
        url: where the page came from, used for relative links and the host name.
    """
    import trafilatura  # loaded only for HTML: plain text never needs it

    document = trafilatura.bare_extraction(
        data,
        url=url,
        with_metadata=True,
        include_comments=INCLUDE_COMMENTS,
        include_tables=INCLUDE_TABLES,
        favor_precision=FAVOR_PRECISION,
        deduplicate=DEDUPLICATE,
    )
    if document is None or isinstance(document, dict):
        return None
    text = document.text or ""
    # trafilatura ends each block with one newline; a blank line marks our paragraphs.
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    return HtmlExtract(
        text="\n\n".join(paragraphs),
        title=_clean_field(document.title),
        author=_clean_field(document.author),
        published=_parse_date(document.date),
        sitename=_clean_field(document.sitename),
        url=_clean_field(document.url),
    )


def _clean_field(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        LOGGER.debug("unparsable page date %r", value)
        return None

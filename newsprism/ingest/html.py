"""HTML inputs: kept as raw bytes (trafilatura reads the charset when cleaning), once they pass
the size, element-count and depth limits that keep lxml and trafilatura bounded."""

from __future__ import annotations

import re

from newsprism.data.limits import Limits, over_limit
from newsprism.errors import EmptyInput, InputTooLarge
from newsprism.ingest.text import check_not_binary
from newsprism.model import RawDocument, Rejection

# A start tag: '<' then a letter. Counted on the bytes, before any parser runs.
_START_TAG = re.compile(rb"<[A-Za-z]")


def read_html(
    source: str, data: bytes, limits: Limits, *, url: str | None = None
) -> list[RawDocument | Rejection]:
    """One HTML page as a document (its url, when known, helps metadata extraction)."""
    check_not_binary(source, data)
    if not data.strip():
        raise EmptyInput(source, "the HTML file is empty; remove it or save the page again")
    check_html(source, data, limits)
    return [RawDocument(source=source, data=data, media_type="text/html", url=url)]


def check_html(source: str, data: bytes, limits: Limits) -> None:
    """Refuse HTML over `max_html_bytes`, `max_html_elements` or `max_html_depth`.

    Raises:
        InputTooLarge: naming the limit that was passed.
    """
    if len(data) > limits.max_html_bytes:
        what = f"an HTML page of {len(data):,} bytes"
        raise InputTooLarge(source, over_limit("max_html_bytes", limits.max_html_bytes, what))
    elements = len(_START_TAG.findall(data))
    if elements > limits.max_html_elements:
        what = f"an HTML page of about {elements:,} elements"
        raise InputTooLarge(source, over_limit("max_html_elements", limits.max_html_elements, what))
    depth = html_depth(data)
    if depth > limits.max_html_depth:
        what = f"HTML nested {depth:,}+ elements deep (lxml stops at 256 and drops the rest)"
        raise InputTooLarge(source, over_limit("max_html_depth", limits.max_html_depth, what))


def html_depth(data: bytes) -> int:
    """How deep the elements of *data* nest, as lxml parses it (lxml caps it near 256)."""
    from lxml import etree

    parser = etree.HTMLParser(recover=True, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError):
        return 0  # nothing lxml can parse: trafilatura will find no text and say so
    if root is None:
        return 0
    depth = deepest = 0
    for event, _element in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest

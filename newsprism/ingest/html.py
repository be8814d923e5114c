"""HTML inputs: kept as raw bytes (trafilatura reads the charset when cleaning), once they pass
the size, element-count and depth limits that keep lxml and trafilatura bounded."""

from __future__ import annotations

import re
from typing import Any

from newsprism.data.limits import LIBXML2_MAX_DEPTH, LIBXML2_MAX_TEXT_BYTES, Limits, over_limit
from newsprism.errors import EmptyInput, InputTooLarge
from newsprism.ingest.text import check_not_binary
from newsprism.model import RawDocument, Rejection

# A start tag: '<' then a letter, or escaped as in feeds ('&lt;' then a letter). Counted on the
# bytes, before any parser runs.
_START_TAG = re.compile(rb"(?:<|&lt;)[A-Za-z]")
# Tags that mark a whole page (or its furniture): markup holding none of them is a fragment.
_PAGE_TAG = re.compile(
    r"<(?:!doctype|html|head|body|nav|header|footer|aside|main|form|iframe|frameset)\b",
    re.IGNORECASE,
)
# Elements whose content is its own paragraph in a fragment's text.
_BLOCK_TAGS = (
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "table", "tr", "figure", "figcaption", "section", "article", "dd", "dt", "hr",
)  # fmt: skip
_DROPPED_TAGS = ("script", "style", "noscript", "template", "svg", "math")
_BLANK_LINE = re.compile(r"\n\s*\n")


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
    """Refuse HTML over `max_html_bytes`, `max_html_elements` or `max_html_depth`, or over a
    limit of libxml2 itself (which would make lxml drop the rest of the page unsaid).

    Raises:
        InputTooLarge: naming the limit that was passed.
    """
    if len(data) > limits.max_html_bytes:
        what = f"an HTML page of {len(data):,} bytes"
        raise InputTooLarge(source, over_limit("max_html_bytes", limits.max_html_bytes, what))
    check_element_count(source, data, limits, "an HTML page")
    depth, libxml2_limit = parse_depth(data)
    if depth > limits.max_html_depth:
        what = f"HTML nested {depth:,}+ elements deep (lxml stops at 256 and drops the rest)"
        raise InputTooLarge(source, over_limit("max_html_depth", limits.max_html_depth, what))
    if libxml2_limit is not None:
        raise InputTooLarge(source, libxml2_limit)


def check_element_count(source: str, data: bytes, limits: Limits, what: str) -> None:
    """Refuse *data* holding more than `max_html_elements` start tags (raw or escaped)."""
    elements = len(_START_TAG.findall(data))
    if elements > limits.max_html_elements:
        field = "max_html_elements"
        described = f"{what} of about {elements:,} HTML elements"
        raise InputTooLarge(source, over_limit(field, limits.max_html_elements, described))


def fragment_text(markup: str) -> str | None:
    """The text of *markup* when it is an HTML fragment, else None (a page, for trafilatura).

    A fragment holds none of the tags of a page or its furniture (<html>, <body>, <nav>,
    <footer>, ...): a feed entry's plain text or a few <p>. It has no boilerplate to remove,
    and trafilatura finds "no main text" in short ones, so its text is taken directly: one
    paragraph per block element, tags stripped, scripts and styles dropped.
    """
    if _PAGE_TAG.search(markup):
        return None
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.LxmlError, ValueError):
        return ""
    for element in list(root.iter(*_DROPPED_TAGS)):
        element.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.text = "\n\n" + (element.text or "")
        element.tail = "\n\n" + (element.tail or "")
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    blocks = _BLANK_LINE.split(root.text_content())
    return "\n\n".join(" ".join(block.split()) for block in blocks if block.strip())


def parse_depth(data: bytes) -> tuple[int, str | None]:
    """How deep the elements of *data* nest as lxml parses it (lxml caps it near 256), and
    the message for a limit of libxml2 the parse ran into (None when it ran into none)."""
    from lxml import etree

    parser = etree.HTMLParser(recover=True, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError):
        return 0, None  # nothing lxml can parse: trafilatura will find no text and say so
    limit = _libxml2_limit(parser.error_log)
    if root is None:
        return 0, limit
    depth = deepest = 0
    for event, _element in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest, limit


def _libxml2_limit(errors: Any) -> str | None:
    """The message for the first resource limit of libxml2 in a parser's *errors*, if any.

    libxml2 (under lxml and trafilatura) stops at 10,000,000 bytes of one text, comment or
    attribute and at 256 levels of nesting unless XML_PARSE_HUGE is set, and then silently
    drops the rest of the page; trafilatura parses without it, so newsprism cannot raise
    these limits: the message says so and how to get such a page in.
    """
    from lxml import etree

    for error in errors:
        if error.type != etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            continue
        if "depth" in error.message.lower():
            return (
                f"HTML nested deeper than libxml2's limit of {LIBXML2_MAX_DEPTH} levels (lxml, "
                "which reads HTML, drops everything below it; this limit is libxml2's own and "
                "raising max_html_depth cannot lift it): flatten the page, or give the article "
                'text as a .txt file or a JSON record\'s "text" field'
            )
        return (
            "HTML holding one text, comment, script or attribute over libxml2's limit of "
            f"{LIBXML2_MAX_TEXT_BYTES:,} bytes (lxml, which reads HTML, drops it and the rest "
            "of the page; this limit is libxml2's own and newsprism cannot raise it): remove "
            "that part (often an inline data: image or script), or give the article text as a "
            '.txt file or a JSON record\'s "text" field'
        )
    return None

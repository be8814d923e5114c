"""How an article's outlet is named to a reader: one rule for every page and renderer.

An article's outlet is the one its input names; else the page's og:site_name / JSON-LD publisher;
else the wire agency of its dateline ("CAIRO (Reuters) -"); else a known news domain
(`newsprism.data.outlets`); else its URL's host (`outlet_of`). An article whose input named none of
these (plain-text files, pasted text) is stored with the outlet "unknown". Such an article is labelled by the file it came from, as a file name: never as a path
(a path tells the reader about our disk, not about the news) and never counted as an outlet.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from newsprism import datelines
from newsprism.data.outlets import NEWS_DOMAINS, WIRE_AGENCIES

# The stored outlet of an article whose input named none (see newsprism.clean).
UNKNOWN_OUTLETS = frozenset({"", "unknown"})
# Where a source names an upload or a paste rather than a file ("upload:seed.txt").
_SOURCE_PREFIXES = ("upload:",)


def is_named_outlet(outlet: str | None) -> bool:
    """True when *outlet* names a real outlet (and so counts as one)."""
    return bool(outlet) and (outlet or "").strip().lower() not in UNKNOWN_OUTLETS


def source_file_name(source: str) -> str:
    """The file name of *source*: the last part of a path or URL, without any folder."""
    text = source.strip()
    for prefix in _SOURCE_PREFIXES:
        text = text.removeprefix(prefix)
    if "://" in text:
        parts = urlsplit(text)
        last = parts.path.rstrip("/").rsplit("/", 1)[-1]
        return last or parts.netloc or text
    # A JSONL line ("feed.jsonl:3") keeps its line: it tells two records of one file apart.
    name = text.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return name or text


def outlet_label(outlet: str, source: str) -> str:
    """The label a reader sees for an article: its outlet, else its source's file name."""
    if is_named_outlet(outlet):
        return outlet.strip()
    return source_file_name(source) or "unnamed source"


def outlet_of(text: str, url: str | None) -> str | None:
    """The outlet an article names when its input and metadata name none: the agency of its
    dateline ("CAIRO (Reuters) -"), else a known news domain, else its URL's host."""
    agency = dateline_agency(text)
    if agency is not None:
        return agency
    if not url:
        return None
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    parts = host.split(".")
    for start in range(len(parts) - 1):
        name = NEWS_DOMAINS.get(".".join(parts[start:]))
        if name is not None:
            return name
    return host or None


def dateline_agency(text: str) -> str | None:
    """The wire agency an article's opening dateline names ("LOS ANGELES (AP) —"), if any."""
    named = datelines.dateline_agency(text)
    return WIRE_AGENCIES.get(named) if named else None

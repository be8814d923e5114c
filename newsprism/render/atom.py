"""Story changes as an Atom feed (RFC 4287): one entry per recorded version of a brief.

Built with ElementTree, so every text is escaped; characters XML 1.0 cannot carry (control
characters, lone surrogates) are dropped from article text first, as a feed with one of them
is not XML and a reader would reject all of it. Entry ids are URNs of the story and version,
so they stay the same whatever host serves the feed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from newsprism.changes_contract import ChangeDict
from newsprism.data.changes import FEED_ITEMS_LISTED
from newsprism.render.changes import change_lines, change_summary

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
# What XML 1.0 allows (its Char production); anything else is removed from feed text.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedEntry:
    """One version of one story, and the page that shows what it changed."""

    story_id: str
    headline: str
    change: ChangeDict
    link: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Feed:
    """What a feed is about: its id, title, own URL, page, and last update (RFC 3339)."""

    id: str
    title: str
    self_url: str
    page_url: str
    updated: str


def entry_id(story_id: str, version: int) -> str:
    """The permanent id of one version of one story."""
    return f"urn:newsprism:story:{quote(story_id, safe='')}:version:{version}"


def xml_text(text: str) -> str:
    """*text* without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attributes)
    if text is not None:
        element.text = xml_text(text)
    return element


def _entry(feed: ET.Element, entry: FeedEntry) -> None:
    change = entry.change
    element = _add(feed, "entry")
    _add(element, "id", entry_id(entry.story_id, change["version"]))
    headline = entry.headline or "(untitled story)"
    _add(element, "title", f"{headline} — version {change['version']}: {change_summary(change)}")
    _add(element, "updated", change["at"])
    _add(element, "link", rel="alternate", type="text/html", href=entry.link)
    lines = change_lines(change, per_kind=FEED_ITEMS_LISTED)
    _add(element, "summary", "\n".join(lines) or change_summary(change), type="text")


def changes_feed(feed: Feed, entries: Sequence[FeedEntry]) -> bytes:
    """The Atom document of *feed* with *entries* (newest first), UTF-8 encoded."""
    ET.register_namespace("", ATOM_NS)
    root = ET.Element(f"{{{ATOM_NS}}}feed")
    _add(root, "id", feed.id)
    _add(root, "title", feed.title)
    _add(root, "updated", feed.updated)
    _add(root, "link", rel="self", type=MEDIA_TYPE, href=feed.self_url)
    _add(root, "link", rel="alternate", type="text/html", href=feed.page_url)
    author = _add(root, "author")
    _add(author, "name", "newsprism")
    _add(root, "generator", "newsprism")
    for entry in entries:
        _entry(root, entry)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body

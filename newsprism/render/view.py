"""Shared look-ups for the human renderers (md, html, text), all working on the contract dict.

Renderers take the JSON contract object rather than the dataclasses, so the CLI, the stored
briefs and the web UI render exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from newsprism.contract import ArticleDict, BriefDict, FactDict, StoryDict
from newsprism.data.hedges import OPEN_HIGH, OPEN_LOW
from newsprism.outlets import is_named_outlet, outlet_label, source_file_name

_LINK_SCHEMES = ("http", "https")


class BriefView:
    """Indexes a contract dict: articles by id, facts by id, citation texts."""

    def __init__(self, data: BriefDict) -> None:
        self.data = data
        self.articles: dict[str, ArticleDict] = {a["id"]: a for a in data["articles"]}
        self._labels = _outlet_labels(data["articles"])

    def outlet(self, article_id: str) -> str:
        """A label that tells the articles apart: the outlet, else the source's file name."""
        return self._labels.get(article_id, article_id)

    def cited_text(self, citation: Mapping[str, Any]) -> str:
        article = self.articles.get(citation["article_id"])
        if article is None:
            return ""
        return str(article["text"][citation["start"] : citation["end"]])

    def sentence_around(self, citation: Mapping[str, Any]) -> str:
        """The cited text widened to its sentence-ish context (for hover cards)."""
        article = self.articles.get(citation["article_id"])
        if article is None:
            return ""
        text: str = article["text"]
        start = max(text.rfind("\n", 0, citation["start"]) + 1, 0)
        end = text.find("\n", citation["end"])
        end = len(text) if end < 0 else end
        return text[start:end].strip()

    def added_by_outlet(self, fact: Mapping[str, Any]) -> list[str]:
        """What single outlets add to a shared fact: "outlet adds: detail, detail" per outlet."""
        details: dict[str, list[str]] = {}
        for added in fact.get("added", ()):
            words = details.setdefault(self.outlet(added["article_id"]), [])
            if added["text"] not in words:
                words.append(added["text"])
        return [f"{outlet} adds: {', '.join(words)}" for outlet, words in details.items()]

    def outlets(self, citations: Sequence[Mapping[str, Any]]) -> list[str]:
        seen: list[str] = []
        for citation in citations:
            name = self.outlet(citation["article_id"])
            if name not in seen:
                seen.append(name)
        return seen

    @staticmethod
    def facts_by_id(story: StoryDict) -> dict[str, FactDict]:
        return {f["id"]: f for f in story["facts"]}


def _outlet_labels(articles: Sequence[ArticleDict]) -> dict[str, str]:
    """`outlet_label` of each article; two articles of one outlet also name their file."""
    labels = {a["id"]: outlet_label(a["outlet"], a["source"]) for a in articles}
    counts: dict[str, int] = {}
    for name in labels.values():
        counts[name] = counts.get(name, 0) + 1
    for article in articles:
        name = labels[article["id"]]
        if counts[name] > 1 and is_named_outlet(article["outlet"]):
            labels[article["id"]] = f"{name} ({source_file_name(article['source'])})"
    return labels


def date_text(entry: Mapping[str, Any]) -> str:
    """A timeline date written to its precision: '2019' for a year, '2024-03' for a month, a
    week or range as 'start – end'. The entry's `end` is the citation's character offset (the
    contract), never a date: a range's end date is `end_date`."""
    value = str(entry.get("date") or "")
    precision = entry.get("precision")
    if precision == "year":
        return value[:4]
    if precision == "month":
        return value[:7]
    end = entry.get("end_date")
    if precision in ("week", "range") and isinstance(end, str) and end and end != value:
        return f"{value} – {end}"
    if precision == "week":
        return f"week of {value}"
    if precision == "range":
        return f"from {value}"
    return value


def interval_text(claim: Mapping[str, Any]) -> str:
    """A claim's interval in a reporter's words: "12,000 or more", "more than 2,000",
    "under 10,000", "up to 500", "between 2,250 and 2,750", "from 9,000 to under 10,000".

    Which ends are excluded follows the claim's qualifier (`data.hedges`, the one table of
    hedges); an open bound is null in the contract.
    """
    low = claim.get("low")
    high = claim.get("high")
    qualifier = claim.get("qualifier")
    if high is None:
        if low is None:
            return ""
        return f"more than {_figure(low)}" if qualifier in OPEN_LOW else f"{_figure(low)} or more"
    open_high = qualifier in OPEN_HIGH
    if low is None or (low == 0 and high > 0):
        return f"under {_figure(high)}" if open_high else f"up to {_figure(high)}"
    if low == high:
        return _figure(low)
    if open_high:
        return f"from {_figure(low)} to under {_figure(high)}"
    return f"between {_figure(low)} and {_figure(high)}"


def _figure(value: float) -> str:
    """A bound as a reporter writes it: thousands separated, no needless decimals."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def timeline_note(data: BriefDict, story: StoryDict) -> str | None:
    """Why a story has no timeline, with the fix; None when it has one.

    Dates written in the text ("on Monday") are placed from the day an article was published,
    so a story whose articles carry no publication date can have no timeline at all.
    """
    if story["timeline"]:
        return None
    members = set(story["article_ids"])
    dated = [a for a in data["articles"] if a["id"] in members and a["published"]]
    if not dated:
        return (
            "No timeline: none of these articles has a publication date, and dates such as "
            "“on Monday” can only be placed from the day an article was published. "
            "Fix: give each article its date (a `published` field in JSON or JSONL records, "
            "a date in the file name such as 2022-01-14-story.txt, or the original HTML page, "
            "whose metadata holds it), then brief or ingest the articles again."
        )
    return "No dated events: the articles mention no date that could be placed on a calendar."


def safe_link(url: str | None) -> str | None:
    """*url* when it may be a link (http or https only); None for javascript:, data: and the
    like, which a page then shows as text."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in _LINK_SCHEMES or not parts.netloc:
        return None
    return url.strip()

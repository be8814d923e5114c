"""Shared look-ups for the human renderers (md, html, text), all working on the contract dict.

Renderers take the JSON contract object rather than the dataclasses, so the CLI, the stored
briefs and the web UI render exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from newsprism.contract import ArticleDict, BriefDict, FactDict, StoryDict
from newsprism.outlets import is_named_outlet, outlet_label, source_file_name


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
    """'[2000, ∞)'-style description of a claim's interval."""
    low = claim.get("low")
    high = claim.get("high")
    if low is None and high is None:
        return ""
    low_text = "−∞" if low is None else f"{low:,.6g}"
    high_text = "∞" if high is None else f"{high:,.6g}"
    return f"[{low_text}, {high_text}]"

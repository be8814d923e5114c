"""The HTML brief's sources: one number per article for the whole page, and each article's
cleaned text cut into segments so that every cited span is marked and can be linked to.

A citation marker names its outlet and the article's number, and links to an anchor at the
first cited character inside the included article text (`anchor`), so "2" always means the
same source, whichever sentence cites it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from newsprism.contract import ArticleDict, BriefDict, StoryDict


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of an article's text: cited (`marked`) or not; `anchors` are the ids of the
    citations that start where it starts."""

    text: str
    start: int
    end: int
    marked: bool
    anchors: tuple[str, ...]


class Sources:
    """Numbers the articles of a brief in its order and marks what the page cites."""

    def __init__(self, data: BriefDict) -> None:
        self.numbers = {a["id"]: n for n, a in enumerate(data["articles"], start=1)}
        self._articles = {a["id"]: a for a in data["articles"]}
        self._spans: dict[str, set[tuple[int, int]]] = {}
        for story in data["stories"]:
            for citation in story_citations(story):
                self._add(citation)

    def number(self, article_id: str) -> int:
        return self.numbers.get(article_id, 0)

    def anchor(self, citation: Mapping[str, Any]) -> str:
        """The id of the anchor at a citation's first character in the included text."""
        return f"src{self.number(citation['article_id'])}-{citation['start']}-{citation['end']}"

    def of_story(self, story: StoryDict) -> list[ArticleDict]:
        """The story's articles in source-number order."""
        members = [self._articles[i] for i in story["article_ids"] if i in self._articles]
        return sorted(members, key=lambda a: self.number(a["id"]))

    def segments(self, article_id: str) -> list[Segment]:
        """The article's text cut at every cited span's ends; a segment inside any cited span is
        marked. Overlapping citations share segments, so the marks never nest or cross."""
        text: str = self._articles[article_id]["text"]
        spans = sorted(self._spans.get(article_id, ()))
        cuts = sorted({0, len(text), *(i for span in spans for i in span)})
        pieces = []
        for start, end in zip(cuts, cuts[1:], strict=False):
            starting = tuple(
                self.anchor({"article_id": article_id, "start": s, "end": e})
                for s, e in spans
                if s == start
            )
            marked = any(s <= start and end <= e for s, e in spans)
            pieces.append(Segment(text[start:end], start, end, marked, starting))
        return pieces

    def _add(self, citation: Mapping[str, Any]) -> None:
        article = self._articles.get(citation["article_id"])
        if article is None:
            return
        start, end = int(citation["start"]), int(citation["end"])
        if 0 <= start < end <= len(article["text"]):
            self._spans.setdefault(article["id"], set()).add((start, end))


def story_citations(story: StoryDict) -> Iterable[Mapping[str, Any]]:
    """Every span the page links to: summary, facts, disagreements, quotes and timeline."""
    for item in story["summary"]:
        yield from item["citations"]
    for fact in story["facts"]:
        yield from fact["citations"]
    for disagreement in story["disagreements"]:
        yield from disagreement["claims"]
    for quote in story["quotes"]:
        yield from quote["citations"]
    yield from story["timeline"]

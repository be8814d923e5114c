"""The public JSON contracts as types: `newsprism/brief@1` and `newsprism/stories@1`.

Field names are fixed (SPEC "The brief as JSON"); fields may be added. Renderers, the store's
service, the brief cache and the HTTP API pass these types, never a bare ``dict[str, Any]``.
`render.json.brief_to_dict` writes them and `render.json.brief_from_dict` reads them back.
"""

from __future__ import annotations

from typing import (
    Literal,
    NotRequired,  # pydantic (FastAPI) reads these on 3.11
)

from typing_extensions import TypedDict

BRIEF_SCHEMA = "newsprism/brief@1"
STORIES_SCHEMA = "newsprism/stories@1"


class CitationDict(TypedDict):
    article_id: str
    start: int
    end: int


class QuoteCitationDict(CitationDict):
    speaker_start: NotRequired[int]
    speaker_end: NotRequired[int]


class RemovalDict(TypedDict):
    text: str
    reason: str


class ArticleDict(TypedDict):
    id: str
    source: str
    outlet: str
    title: str
    published: str | None
    url: str | None
    byline: str | None
    text: str
    removed: list[RemovalDict]
    story: NotRequired[str | None]
    raw_ref: NotRequired[str]


class StoredArticleDict(ArticleDict):
    """An article as the store's API gives it: its story and every source it came from."""

    story_id: str | None
    sources: list[str]


class SummaryItemDict(TypedDict):
    text: str
    citations: list[CitationDict]


class AddedDict(TypedDict):
    """A detail of a fact that only one outlet gives (a figure, name, place or date)."""

    text: str
    article_id: str
    start: int
    end: int


class FactDict(TypedDict):
    id: str
    text: str
    status: Literal["corroborated", "single_source", "disputed"]
    independent_sources: int
    article_ids: list[str]
    citations: list[CitationDict]
    added: NotRequired[list[AddedDict]]


class DisagreementClaimDict(TypedDict):
    value: str
    low: float | None
    high: float | None
    qualifier: str | None
    unit: str | None
    text: str
    article_id: str
    start: int
    end: int


class DisagreementDict(TypedDict):
    subject: str
    kind: Literal["incompatible", "differing"]
    field: Literal["number", "date", "speaker", "claim"]
    claims: list[DisagreementClaimDict]
    note: str | None


class QuoteVariantDict(TypedDict):
    text: str
    article_id: str
    altered: bool
    start: NotRequired[int]
    end: NotRequired[int]


class QuoteDict(TypedDict):
    speaker: str | None
    speaker_entity_id: str | None
    kind: Literal["direct", "partial"]
    text: str
    citations: list[QuoteCitationDict]
    variants: list[QuoteVariantDict]


class EntityDict(TypedDict):
    id: str
    name: str
    type: str
    aliases: list[str]
    article_ids: list[str]
    mentions: int
    mention_citations: NotRequired[list[CitationDict]]


class TimelineDict(TypedDict):
    """A dated event; `start`/`end` are character offsets (a citation), `end_date` the ISO end
    of a week or range."""

    date: str
    end_date: str | None
    precision: Literal["day", "week", "month", "year", "range", "unknown"]
    text: str
    article_id: str
    start: int
    end: int


class CoverageDict(TypedDict):
    article_id: str
    outlet: str
    unique_facts: list[str]
    omits: list[str]


class DuplicateDict(TypedDict):
    article_ids: list[str]
    kind: Literal["exact", "near"]
    similarity: float | None


class StoryDict(TypedDict):
    id: str
    headline: str
    article_ids: list[str]
    summary: list[SummaryItemDict]
    facts: list[FactDict]
    disagreements: list[DisagreementDict]
    quotes: list[QuoteDict]
    entities: list[EntityDict]
    timeline: list[TimelineDict]
    coverage: list[CoverageDict]
    duplicates: list[DuplicateDict]


class RejectionDict(TypedDict):
    source: str
    reason: str
    code: str


class BriefDict(TypedDict):
    """`newsprism brief --format json`: the articles and one brief per story."""

    schema: str
    articles: list[ArticleDict]
    stories: list[StoryDict]
    rejections: list[RejectionDict]


class ClusterStoryDict(TypedDict):
    id: str
    members: list[str]
    headline: str


class StoriesDict(TypedDict):
    """`newsprism cluster --format json`: story clustering only."""

    schema: str
    stories: list[ClusterStoryDict]

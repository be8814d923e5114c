"""The JSON contract of a story's changes as types: `newsprism/changes@1`.

What `GET /api/stories/{id}/changes` and `newsprism changes STORY_ID --format json` answer:
one entry per stored version of the story's brief, each saying what that version added to
the one before. Items carry their citations as the brief does (`newsprism/brief@1`, see
`newsprism.contract`): facts, disagreements and quotes are the brief's own objects, taken
from the version that added them (fact ids such as "f3" are that version's). Field names are
fixed; fields may be added.
"""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypedDict

from newsprism.contract import DisagreementDict, FactDict, QuoteDict

CHANGES_SCHEMA = "newsprism/changes@1"


class NewArticleDict(TypedDict):
    """An article the story did not hold before; `outlet` is the label a reader sees (its
    outlet, else its source's file name) and `named` says which."""

    id: str
    outlet: str
    named: bool
    title: str
    published: str | None
    url: str | None


class RemovedArticleDict(NewArticleDict):
    """An article the story held before and holds no more: re-clustering found it reports
    another event and moved it to the story `now_in` (None when that is not known)."""

    now_in: str | None


class NewOutletDict(TypedDict):
    """An outlet (or, for articles naming none, a source file) the story did not carry before."""

    outlet: str
    named: bool
    article_ids: list[str]


class NewlyCorroboratedDict(FactDict):
    """A fact now stated by more than one independent source; `status_before` is what the
    previous version said of it."""

    status_before: Literal["single_source", "disputed"]


class RevisionSideDict(TypedDict):
    """One side of a revised figure: its value, the claim's citation and when it was published."""

    value: str
    published: str
    text: str
    article_id: str
    start: int
    end: int


class RevisedFigureDict(TypedDict):
    """A figure a later report revised (toll 50, then 53): earlier `before`, later `after`."""

    subject: str
    field: Literal["number", "date", "speaker", "claim"]
    before: RevisionSideDict
    after: RevisionSideDict
    note: str


class BriefChangeDict(TypedDict):
    """What one brief adds to the one before it (`newsprism.changes.diff_briefs`)."""

    new_articles: list[NewArticleDict]
    # Articles the earlier version held that this one does not (a split): none vanishes silently.
    removed_articles: list[RemovedArticleDict]
    new_outlets: list[NewOutletDict]
    new_facts: list[FactDict]
    newly_corroborated: list[NewlyCorroboratedDict]
    revised_figures: list[RevisedFigureDict]
    new_disagreements: list[DisagreementDict]
    # Disagreements of the earlier brief none of whose claims is in a disagreement now (the
    # judge decided otherwise with more text): shown, so that none vanishes silently.
    dropped_disagreements: list[DisagreementDict]
    new_quotes: list[QuoteDict]
    headline_before: str | None
    headline_after: str


class ChangeDict(BriefChangeDict):
    """One stored version: its number (1, 2, ... per story) and when it was recorded (UTC)."""

    version: int
    at: str


class ChangesDict(TypedDict):
    """A story's versions recorded after `since` (all of them when it is null), oldest first."""

    schema: str
    story_id: str
    since: str | None
    changes: list[ChangeDict]

"""What changed between two briefs of one story: a pure diff over `newsprism/brief@1` dicts.

`diff_briefs(before, after, story_id=...)` says what *after* adds to *before*: new articles (and
those it no longer holds, after a split) and outlets, new facts, facts newly corroborated,
figures a later report revised, new disagreements (and those dropped), new quotes, and the
headline before and after. Items are the brief's own
objects (from *after*), so they carry their citations.

Items are matched across briefs by what they cite, never by their ids ("f3" is a position in
one brief): an article's text never changes (its id is its content hash), so a fact or quote
of the earlier brief is cited at the same characters in the later one. A fact or quote is the
same when one of its citations overlaps one of the other's (a regrouping may move the
sentence boundaries a little); an item citing nothing is matched by its text.

A disagreement is new when one of its claims (citation and value) was in no disagreement
before. A new disagreement on a count whose claims' articles all carry publication times,
where the latest reports agree on one value and every earlier one on another, is a revision
(toll 50, then 53 in a report published later), not outlets disagreeing.

Pure: no clock, no store; the service stamps each version with its time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from newsprism.changes_contract import (
    BriefChangeDict,
    NewArticleDict,
    NewlyCorroboratedDict,
    NewOutletDict,
    RemovedArticleDict,
    RevisedFigureDict,
    RevisionSideDict,
)
from newsprism.contract import (
    ArticleDict,
    BriefDict,
    DisagreementClaimDict,
    DisagreementDict,
    FactDict,
    QuoteDict,
    StoryDict,
)
from newsprism.data.changes import REVISABLE_FIELDS
from newsprism.outlets import is_named_outlet, outlet_label

# An article's publication time, and the text the brief gives it as.
_Published = tuple[datetime, str]

_LISTS = (
    "new_articles",
    "removed_articles",
    "new_outlets",
    "new_facts",
    "newly_corroborated",
    "revised_figures",
    "new_disagreements",
    "dropped_disagreements",
    "new_quotes",
)


# ------------------------------------------------------------------------------ time stamps


def parse_moment(text: str) -> datetime:
    """An ISO date or date-time as an aware UTC datetime (a time without a zone is UTC).

    Raises:
        ValueError: *text* is not an ISO date or date-time (the message says how to write one).
    """
    try:
        moment = datetime.fromisoformat(text.strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError(
            f"{text!r} is not an ISO date or date-time; write it as YYYY-MM-DD or "
            "YYYY-MM-DDTHH:MM:SS (UTC unless it names a zone, e.g. 2022-01-13T08:00:00+06:00)"
        ) from None


def moment_text(moment: datetime) -> str:
    """*moment* as fixed-width UTC text ("2022-01-13T08:00:00.000000Z"): as text, these sort
    as the times do, so the store compares them without parsing."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


# ------------------------------------------------------------------------------ the diff


def diff_briefs(before: BriefDict | None, after: BriefDict, *, story_id: str) -> BriefChangeDict:
    """What story *story_id* in brief *after* adds to the same story in *before*.

    Args:
        before: the earlier brief (None: there was none, so everything in *after* is new).
        after: the later brief.
        story_id: the story compared (a brief may hold several).

    Returns:
        The change; `is_empty` says whether there is any.
    """
    old = _story(before, story_id)
    new = _story(after, story_id)
    if new is None:
        raise ValueError(f"the later brief has no story {story_id!r}; diff the brief of that story")
    old_articles = _articles(before, old)
    new_articles = _articles(after, new)
    added = [
        new_articles[i] for i in new["article_ids"] if i not in old_articles and i in new_articles
    ]
    removed: list[RemovedArticleDict] = [
        {**_article_item(a), "now_in": None}
        for i, a in old_articles.items()
        if i not in new_articles
    ]
    figures, disagreements = _new_disagreements(old, new, _published(new_articles))
    return {
        "new_articles": [_article_item(a) for a in added],
        "removed_articles": removed,
        "new_outlets": _new_outlets(old_articles.values(), added),
        "new_facts": _new_facts(old, new),
        "newly_corroborated": _newly_corroborated(old, new),
        "revised_figures": figures,
        "new_disagreements": disagreements,
        "dropped_disagreements": _dropped_disagreements(old, new),
        "new_quotes": _new_quotes(old, new),
        "headline_before": old["headline"] if old is not None else None,
        "headline_after": new["headline"],
    }


def is_empty(change: Mapping[str, Any]) -> bool:
    """True when *change* adds nothing and keeps the headline."""
    return not any(change[name] for name in _LISTS) and (
        change["headline_before"] == change["headline_after"]
    )


def _story(brief: BriefDict | None, story_id: str) -> StoryDict | None:
    if brief is None:
        return None
    return next((s for s in brief["stories"] if s["id"] == story_id), None)


def _articles(brief: BriefDict | None, story: StoryDict | None) -> dict[str, ArticleDict]:
    """The articles of *story*, by id, in the story's order."""
    if brief is None or story is None:
        return {}
    by_id = {a["id"]: a for a in brief["articles"]}
    return {i: by_id[i] for i in story["article_ids"] if i in by_id}


def _label(article: ArticleDict) -> str:
    return outlet_label(article.get("outlet") or "", article.get("source") or "")


def _article_item(article: ArticleDict) -> NewArticleDict:
    return {
        "id": article["id"],
        "outlet": _label(article),
        "named": is_named_outlet(article.get("outlet")),
        "title": article.get("title") or "",
        "published": article.get("published"),
        "url": article.get("url"),
    }


def _new_outlets(
    old_articles: Iterable[ArticleDict], added: Sequence[ArticleDict]
) -> list[NewOutletDict]:
    """Outlets (file names for articles naming none) of *added* that no older article had."""
    known = {_label(a) for a in old_articles}
    outlets: dict[str, NewOutletDict] = {}
    for article in added:
        label = _label(article)
        if label in known:
            continue
        entry = outlets.setdefault(
            label,
            {"outlet": label, "named": is_named_outlet(article.get("outlet")), "article_ids": []},
        )
        entry["article_ids"].append(article["id"])
    return list(outlets.values())


# ------------------------------------------------------------------------------ matching


class _CitedIndex:
    """Items of the earlier brief, found by a citation overlapping theirs or by their text."""

    def __init__(self) -> None:
        self._spans: dict[str, list[tuple[int, int, int]]] = {}
        self._texts: dict[str, list[int]] = {}

    def add(self, index: int, citations: Iterable[Mapping[str, Any]], text: str) -> None:
        cited = False
        for citation in citations:
            self._spans.setdefault(citation["article_id"], []).append(
                (int(citation["start"]), int(citation["end"]), index)
            )
            cited = True
        if not cited:
            self._texts.setdefault(_normal(text), []).append(index)

    def matches(self, citations: Iterable[Mapping[str, Any]], text: str) -> set[int]:
        found: set[int] = set()
        cited = False
        for citation in citations:
            cited = True
            start, end = int(citation["start"]), int(citation["end"])
            for old_start, old_end, index in self._spans.get(citation["article_id"], ()):
                if old_start < end and start < old_end or (start, end) == (old_start, old_end):
                    found.add(index)
        if not cited:
            found.update(self._texts.get(_normal(text), ()))
        return found


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _fact_index(story: StoryDict | None) -> _CitedIndex:
    index = _CitedIndex()
    for number, fact in enumerate(story["facts"] if story is not None else []):
        index.add(number, fact["citations"], fact["text"])
    return index


def _new_facts(old: StoryDict | None, new: StoryDict) -> list[FactDict]:
    index = _fact_index(old)
    return [f for f in new["facts"] if not index.matches(f["citations"], f["text"])]


def _newly_corroborated(old: StoryDict | None, new: StoryDict) -> list[NewlyCorroboratedDict]:
    """Corroborated facts that were in the earlier brief, none of them corroborated there."""
    if old is None:
        return []
    index = _fact_index(old)
    found: list[NewlyCorroboratedDict] = []
    for fact in new["facts"]:
        if fact["status"] != "corroborated":
            continue
        statuses = {
            old["facts"][i]["status"] for i in index.matches(fact["citations"], fact["text"])
        }
        if statuses and "corroborated" not in statuses:
            before: Literal["single_source", "disputed"] = (
                "disputed" if "disputed" in statuses else "single_source"
            )
            found.append({**fact, "status_before": before})  # type: ignore[typeddict-item]
    return found


def _new_quotes(old: StoryDict | None, new: StoryDict) -> list[QuoteDict]:
    index = _CitedIndex()
    for number, quote in enumerate(old["quotes"] if old is not None else []):
        index.add(number, quote["citations"], quote["text"])
    return [q for q in new["quotes"] if not index.matches(q["citations"], q["text"])]


# ------------------------------------------------------------------------------ disagreements


def _claim_key(claim: DisagreementClaimDict) -> tuple[str, int, int, str]:
    return (claim["article_id"], int(claim["start"]), int(claim["end"]), _normal(claim["value"]))


def _new_disagreements(
    old: StoryDict | None, new: StoryDict, published: Mapping[str, _Published]
) -> tuple[list[RevisedFigureDict], list[DisagreementDict]]:
    """Disagreements holding a claim no earlier one held: (revised figures, the others)."""
    known = {
        _claim_key(c)
        for d in (old["disagreements"] if old is not None else [])
        for c in d["claims"]
    }
    revised: list[RevisedFigureDict] = []
    disagreements: list[DisagreementDict] = []
    for disagreement in new["disagreements"]:
        if all(_claim_key(c) in known for c in disagreement["claims"]):
            continue
        revision = _revision(disagreement, published)
        if revision is None:
            disagreements.append(disagreement)
        else:
            revised.append(revision)
    return revised, disagreements


def _dropped_disagreements(old: StoryDict | None, new: StoryDict) -> list[DisagreementDict]:
    """Disagreements of the earlier brief none of whose claims is in a disagreement now."""
    if old is None:
        return []
    held = {_claim_key(c) for d in new["disagreements"] for c in d["claims"]}
    return [
        d
        for d in old["disagreements"]
        if d["claims"] and not any(_claim_key(c) in held for c in d["claims"])
    ]


def _published(articles: Mapping[str, ArticleDict]) -> dict[str, _Published]:
    """Each article's publication time (and its text as given), for those whose date is given
    and readable."""
    times: dict[str, _Published] = {}
    for article_id, article in articles.items():
        text = article.get("published")
        if not text:
            continue
        try:
            times[article_id] = (parse_moment(text), text)
        except ValueError:
            continue  # an unreadable date is no date: such a claim is never a revision
    return times


def _figure(claim: DisagreementClaimDict) -> tuple[Any, ...]:
    """What a claim says, as compared: its interval when it has one, else its words."""
    if claim.get("low") is not None or claim.get("high") is not None:
        return (claim.get("low"), claim.get("high"), claim.get("unit"))
    return (_normal(claim["value"]),)


def _revision(
    disagreement: DisagreementDict, published: Mapping[str, _Published]
) -> RevisedFigureDict | None:
    """The disagreement as a revised figure, when it is one (see the module docstring)."""
    claims = disagreement["claims"]
    if disagreement["field"] not in REVISABLE_FIELDS or not claims:
        return None
    if any(c["article_id"] not in published for c in claims):
        return None
    latest = max(published[c["article_id"]][0] for c in claims)
    later = [c for c in claims if published[c["article_id"]][0] == latest]
    earlier = [c for c in claims if published[c["article_id"]][0] < latest]
    if not earlier or len({_figure(c) for c in later}) != 1:
        return None
    if len({_figure(c) for c in earlier}) != 1 or _figure(earlier[0]) == _figure(later[0]):
        return None
    before = max(earlier, key=lambda c: published[c["article_id"]][0])
    after = min(later, key=lambda c: (c["article_id"], c["start"]))
    before_side, after_side = _side(before, published), _side(after, published)
    return {
        "subject": disagreement["subject"],
        "field": disagreement["field"],
        "before": before_side,
        "after": after_side,
        "note": (
            f"revised: {after_side['value']} in a report published {after_side['published']}, "
            f"after {before_side['value']} in one published {before_side['published']}"
        ),
    }


def _side(claim: DisagreementClaimDict, published: Mapping[str, _Published]) -> RevisionSideDict:
    return {
        "value": claim["value"],
        "published": published[claim["article_id"]][1],
        "text": claim["text"],
        "article_id": claim["article_id"],
        "start": claim["start"],
        "end": claim["end"],
    }

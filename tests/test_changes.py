"""newsprism.changes: the diff of two briefs of one story, on hand-made briefs and generated ones.

The briefs here are written by hand (a small ferry story of our own), in the brief@1 shape.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.changes import diff_briefs, is_empty, moment_text, parse_moment
from newsprism.changes_contract import ChangeDict
from newsprism.render.atom import Feed, FeedEntry, changes_feed, entry_id
from newsprism.render.changes import change_lines, change_summary, render_changes_text

STORY = "s-ferry"


def _article(aid: str, outlet: str, published: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": aid,
        "source": f"{aid}.txt",
        "outlet": outlet,
        "title": f"{outlet}: ferry aground",
        "published": published,
        "url": None,
        "byline": None,
        "text": "x" * 500,
        "removed": [],
        **extra,
    }


def _fact(fid: str, text: str, status: str, *cites: tuple[str, int, int]) -> dict[str, Any]:
    return {
        "id": fid,
        "text": text,
        "status": status,
        "independent_sources": len({c[0] for c in cites}),
        "article_ids": sorted({c[0] for c in cites}),
        "citations": [{"article_id": a, "start": s, "end": e} for a, s, e in cites],
    }


def _claim(value: str, aid: str, start: int, low: float | None = None) -> dict[str, Any]:
    return {
        "value": value,
        "low": low,
        "high": low,
        "qualifier": None,
        "unit": None,
        "text": f"The toll stands at {value}.",
        "article_id": aid,
        "start": start,
        "end": start + 30,
    }


def _disagreement(subject: str, *claims: dict[str, Any], field: str = "number") -> dict[str, Any]:
    return {
        "subject": subject,
        "kind": "incompatible",
        "field": field,
        "claims": list(claims),
        "note": None,
    }


def _quote(text: str, speaker: str, *cites: tuple[str, int, int]) -> dict[str, Any]:
    return {
        "speaker": speaker,
        "speaker_entity_id": None,
        "kind": "direct",
        "text": text,
        "citations": [{"article_id": a, "start": s, "end": e} for a, s, e in cites],
        "variants": [],
    }


def _brief(
    articles: list[dict[str, Any]],
    *,
    headline: str = "Ferry runs aground",
    facts: list[dict[str, Any]] | None = None,
    disagreements: list[dict[str, Any]] | None = None,
    quotes: list[dict[str, Any]] | None = None,
) -> Any:
    return {
        "schema": "newsprism/brief@1",
        "articles": articles,
        "stories": [
            {
                "id": STORY,
                "headline": headline,
                "article_ids": [a["id"] for a in articles],
                "summary": [],
                "facts": facts or [],
                "disagreements": disagreements or [],
                "quotes": quotes or [],
                "entities": [],
                "timeline": [],
                "coverage": [],
                "duplicates": [],
            }
        ],
        "rejections": [],
    }


def _two_versions() -> tuple[Any, Any]:
    a, b, c = (
        _article("a1", "Harbor Gazette"),
        _article("b2", "Coast Daily"),
        _article("c3", "Island Post"),
    )
    before = _brief(
        [a, b],
        facts=[
            _fact("f1", "The ferry ran aground.", "corroborated", ("a1", 0, 40), ("b2", 0, 38)),
            _fact("f2", "A lifeboat took them off.", "single_source", ("a1", 41, 90)),
        ],
        quotes=[_quote("The tide turned", "Mara Velt", ("a1", 100, 115))],
        disagreements=[
            _disagreement("passengers", _claim("48", "a1", 200), _claim("50", "b2", 210))
        ],
    )
    after = _brief(
        [a, b, c],
        headline="Ferry aground off Pellin Point",
        facts=[
            _fact("f1", "The ferry ran aground.", "corroborated", ("a1", 0, 40), ("b2", 0, 38)),
            # f2 of before, now carried by c3 too: renumbered, matched by its a1 citation.
            _fact("f3", "A lifeboat took them off.", "corroborated", ("a1", 41, 90), ("c3", 5, 50)),
            _fact("f2", "The operator will refloat it.", "single_source", ("c3", 60, 99)),
        ],
        quotes=[
            _quote("The tide turned", "Mara Velt", ("a1", 100, 115), ("c3", 120, 135)),
            _quote("We will refloat her", "the operator", ("c3", 140, 160)),
        ],
        disagreements=[
            _disagreement("passengers", _claim("48", "a1", 200), _claim("50", "b2", 210)),
            _disagreement("crew", _claim("6", "b2", 300), _claim("9", "c3", 310)),
        ],
    )
    return before, after


def test_changes_lists_what_the_later_brief_adds() -> None:
    before, after = _two_versions()
    change = diff_briefs(before, after, story_id=STORY)
    assert [a["id"] for a in change["new_articles"]] == ["c3"]
    assert change["new_outlets"] == [
        {"outlet": "Island Post", "named": True, "article_ids": ["c3"]}
    ]
    assert [f["text"] for f in change["new_facts"]] == ["The operator will refloat it."]
    assert [(f["id"], f["status_before"]) for f in change["newly_corroborated"]] == [
        ("f3", "single_source")
    ]
    assert [d["subject"] for d in change["new_disagreements"]] == ["crew"]
    assert change["revised_figures"] == []
    assert [q["text"] for q in change["new_quotes"]] == ["We will refloat her"]
    assert change["headline_before"] == "Ferry runs aground"
    assert change["headline_after"] == "Ferry aground off Pellin Point"
    assert not is_empty(change)


def test_changes_items_carry_their_citations() -> None:
    before, after = _two_versions()
    change = diff_briefs(before, after, story_id=STORY)
    assert change["new_facts"][0]["citations"] == [{"article_id": "c3", "start": 60, "end": 99}]
    assert change["new_quotes"][0]["citations"][0]["article_id"] == "c3"
    claims = change["new_disagreements"][0]["claims"]
    assert [(c["article_id"], c["start"], c["end"]) for c in claims] == [
        ("b2", 300, 330),
        ("c3", 310, 340),
    ]


def test_changes_first_version_has_everything_new() -> None:
    _, after = _two_versions()
    change = diff_briefs(None, after, story_id=STORY)
    assert [a["id"] for a in change["new_articles"]] == ["a1", "b2", "c3"]
    assert len(change["new_facts"]) == 3
    assert change["newly_corroborated"] == []  # nothing was there to be corroborated
    assert change["headline_before"] is None


def test_changes_same_outlet_again_is_no_new_outlet() -> None:
    a = _article("a1", "Harbor Gazette")
    again = _article("a2", "Harbor Gazette")
    change = diff_briefs(_brief([a]), _brief([a, again]), story_id=STORY)
    assert [x["id"] for x in change["new_articles"]] == ["a2"]
    assert change["new_outlets"] == []


def test_changes_unnamed_outlet_is_its_file_name() -> None:
    a = _article("a1", "unknown", source="/data/seeds/001_x.txt")
    change = diff_briefs(None, _brief([a]), story_id=STORY)
    assert change["new_outlets"] == [{"outlet": "001_x.txt", "named": False, "article_ids": ["a1"]}]


def _toll_briefs(first: str | None, second: str | None) -> tuple[Any, Any]:
    a = _article("a1", "Harbor Gazette", first)
    b = _article("b2", "Coast Daily", second)
    before = _brief([a])
    after = _brief(
        [a, b],
        disagreements=[
            _disagreement("toll", _claim("50", "a1", 10, low=50), _claim("53", "b2", 20, low=53))
        ],
    )
    return before, after


def test_changes_later_count_is_a_revision_with_both_times() -> None:
    before, after = _toll_briefs("2031-03-04T08:00:00", "2031-03-04T16:30:00+00:00")
    change = diff_briefs(before, after, story_id=STORY)
    assert change["new_disagreements"] == []
    [revision] = change["revised_figures"]
    assert revision["subject"] == "toll"
    assert (revision["before"]["value"], revision["after"]["value"]) == ("50", "53")
    assert revision["before"]["published"] == "2031-03-04T08:00:00"
    assert revision["after"]["published"] == "2031-03-04T16:30:00+00:00"
    assert (revision["after"]["article_id"], revision["after"]["start"]) == ("b2", 20)
    assert "50" in revision["note"] and "53" in revision["note"]


def test_changes_revision_follows_publication_not_arrival() -> None:
    # The article that arrived second was published first: 53 came first, then 50.
    before, after = _toll_briefs("2031-03-05T09:00:00", "2031-03-04T09:00:00")
    [revision] = diff_briefs(before, after, story_id=STORY)["revised_figures"]
    assert (revision["before"]["value"], revision["after"]["value"]) == ("53", "50")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (None, "2031-03-04T16:30:00"),  # one report is undated: which came later is unknown
        ("2031-03-04T08:00:00", "2031-03-04T08:00:00"),  # published together: outlets disagree
        ("2031-03-04T08:00:00", "not a date"),
    ],
)
def test_changes_count_without_order_in_time_stays_a_disagreement(
    first: str | None, second: str | None
) -> None:
    before, after = _toll_briefs(first, second)
    change = diff_briefs(before, after, story_id=STORY)
    assert change["revised_figures"] == []
    assert [d["subject"] for d in change["new_disagreements"]] == ["toll"]


def test_changes_date_disagreement_is_never_a_revision() -> None:
    before, after = _toll_briefs("2031-03-04T08:00:00", "2031-03-05T08:00:00")
    after["stories"][0]["disagreements"][0]["field"] = "date"
    change = diff_briefs(before, after, story_id=STORY)
    assert change["revised_figures"] == []
    assert len(change["new_disagreements"]) == 1


def test_changes_earlier_reports_disagreeing_is_no_revision() -> None:
    a = _article("a1", "Harbor Gazette", "2031-03-04T08:00:00")
    b = _article("b2", "Coast Daily", "2031-03-04T09:00:00")
    c = _article("c3", "Island Post", "2031-03-04T18:00:00")
    claims = [
        _claim("48", "a1", 10, low=48),
        _claim("50", "b2", 20, low=50),
        _claim("53", "c3", 30, low=53),
    ]
    after = _brief([a, b, c], disagreements=[_disagreement("toll", *claims)])
    change = diff_briefs(_brief([a, b]), after, story_id=STORY)
    assert change["revised_figures"] == []
    assert len(change["new_disagreements"]) == 1


def test_changes_disagreement_no_longer_found_is_listed() -> None:
    before, after = _two_versions()
    before["stories"][0]["disagreements"].append(
        _disagreement("lifeboats", _claim("2", "a1", 400), _claim("3", "b2", 410))
    )
    change = diff_briefs(before, after, story_id=STORY)
    assert [d["subject"] for d in change["dropped_disagreements"]] == ["lifeboats"]
    assert [d["subject"] for d in change["new_disagreements"]] == ["crew"]
    assert diff_briefs(after, after, story_id=STORY)["dropped_disagreements"] == []


def test_changes_brief_without_the_story_is_refused() -> None:
    _, after = _two_versions()
    with pytest.raises(ValueError, match="no story 's-other'"):
        diff_briefs(None, after, story_id="s-other")


def test_changes_moments_are_utc_text_that_sorts() -> None:
    assert moment_text(parse_moment("2031-03-04T08:00:00+06:00")) == "2031-03-04T02:00:00.000000Z"
    assert moment_text(parse_moment("2031-03-04")) == "2031-03-04T00:00:00.000000Z"
    assert parse_moment("2031-03-04T02:00:00.123Z") == datetime(
        2031, 3, 4, 2, 0, 0, 123000, tzinfo=UTC
    )
    with pytest.raises(ValueError, match="'0.5' is not an ISO date"):
        parse_moment("0.5")


@given(st.datetimes(timezones=st.just(UTC)), st.datetimes(timezones=st.just(UTC)))
def test_changes_moment_text_orders_as_time(one: datetime, two: datetime) -> None:
    assert (moment_text(one) < moment_text(two)) == (one < two)
    assert parse_moment(moment_text(one)) == one


# ------------------------------------------------------------------------------ generated briefs

_IDS = [f"art{n}" for n in range(8)]
_OUTLETS = ["Harbor Gazette", "Coast Daily", "unknown", "Island Post"]
_TEXTS = ["The ferry ran aground.", "Crew of six.", "", "The port is shut."]


@st.composite
def _citations(draw: st.DrawFn, ids: list[str]) -> list[dict[str, Any]]:
    cites = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, 400))
        cites.append(
            {
                "article_id": draw(st.sampled_from(ids)),
                "start": start,
                "end": start + draw(st.integers(0, 60)),
            }
        )
    return cites


@st.composite
def briefs(draw: st.DrawFn) -> Any:
    ids = draw(st.lists(st.sampled_from(_IDS), min_size=1, max_size=6, unique=True))
    articles = [
        _article(i, draw(st.sampled_from(_OUTLETS)), draw(st.none() | st.just("2031-03-04")))
        for i in ids
    ]
    statuses = st.sampled_from(["corroborated", "single_source", "disputed"])
    facts = [
        {**_fact(f"f{n}", draw(st.sampled_from(_TEXTS)), draw(statuses)), "citations": cites}
        for n, cites in enumerate(draw(st.lists(_citations(ids), max_size=5)))
    ]
    quotes = [
        {**_quote(draw(st.sampled_from(_TEXTS)), "Mara Velt"), "citations": cites}
        for cites in draw(st.lists(_citations(ids), max_size=4))
    ]
    disagreements = [
        _disagreement(
            "toll",
            *[
                _claim(draw(st.sampled_from(["50", "53", "about 50"])), c["article_id"], c["start"])
                for c in cites
            ],
        )
        for cites in draw(st.lists(_citations(ids), max_size=3))
    ]
    return _brief(
        articles,
        headline=draw(st.sampled_from(["Ferry aground", "", "Ferry refloated"])),
        facts=facts,
        quotes=quotes,
        disagreements=disagreements,
    )


@given(briefs())
def test_changes_diff_of_a_brief_with_itself_is_empty(brief: Any) -> None:
    change = diff_briefs(brief, copy.deepcopy(brief), story_id=STORY)
    assert is_empty(change), change


@given(briefs(), briefs())
def test_changes_new_articles_are_exactly_the_set_difference(before: Any, after: Any) -> None:
    change = diff_briefs(before, after, story_id=STORY)
    old_ids = set(before["stories"][0]["article_ids"])
    new_ids = set(after["stories"][0]["article_ids"])
    listed = [a["id"] for a in change["new_articles"]]
    assert len(listed) == len(set(listed))
    assert set(listed) == new_ids - old_ids
    outlets = {o["outlet"] for o in change["new_outlets"]}
    assert all(
        o["article_ids"] and set(o["article_ids"]) <= set(listed) for o in change["new_outlets"]
    )
    assert len(outlets) == len(change["new_outlets"])


@given(briefs(), briefs())
def test_changes_every_listed_item_is_in_the_later_brief(before: Any, after: Any) -> None:
    change = diff_briefs(before, after, story_id=STORY)
    story = after["stories"][0]
    assert all(f in story["facts"] for f in change["new_facts"])
    assert all(q in story["quotes"] for q in change["new_quotes"])
    assert all(d in story["disagreements"] for d in change["new_disagreements"])
    assert all(f["status"] == "corroborated" for f in change["newly_corroborated"])


# ------------------------------------------------------------------------------ text and Atom


def _stamped(change: Any, version: int, at: datetime) -> ChangeDict:
    return {"version": version, "at": moment_text(at), **change}


def test_changes_text_lists_items_with_citations() -> None:
    before, after = _two_versions()
    change = _stamped(
        diff_briefs(before, after, story_id=STORY), 2, datetime(2031, 3, 4, tzinfo=UTC)
    )
    assert change_summary(change) == (
        "1 new article, 1 new outlet, 1 new fact, 1 newly corroborated fact, "
        "1 new disagreement, 1 new quote, new headline"
    )
    lines = change_lines(change)
    assert "  - The operator will refloat it. [c3 60-99]" in lines
    assert any(
        line.startswith("  - crew (incompatible number): 6 [b2 300-330] vs 9") for line in lines
    )
    text = render_changes_text(
        {"schema": "newsprism/changes@1", "story_id": STORY, "since": None, "changes": [change]}
    )
    assert text.startswith(f"Story {STORY}: 1 version\n")


def test_changes_atom_feed_is_valid_and_complete() -> None:
    before, after = _two_versions()
    start = datetime(2031, 3, 4, 8, tzinfo=UTC)
    first = _stamped(diff_briefs(None, before, story_id=STORY), 1, start)
    second = _stamped(diff_briefs(before, after, story_id=STORY), 2, start + timedelta(hours=3))
    # Untrusted text may hold characters XML cannot carry: the feed must stay XML.
    second["new_facts"][0]["text"] = "The operator \x00will\x1b refloat <it> & more"
    entries = [
        FeedEntry(story_id=STORY, headline="Ferry <aground>", change=c, link=f"http://h/s#v{n}")
        for n, c in ((2, second), (1, first))
    ]
    feed = Feed(
        id=f"urn:newsprism:story:{STORY}",
        title="Ferry: what changed",
        self_url="http://h/stories/s-ferry.atom",
        page_url="http://h/stories/s-ferry",
        updated=second["at"],
    )
    parsed = feedparser.parse(changes_feed(feed, entries))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert parsed.feed.id == feed.id and parsed.feed.title == feed.title
    assert parsed.feed.updated == second["at"]
    assert [e.id for e in parsed.entries] == [entry_id(STORY, 2), entry_id(STORY, 1)]
    assert [e.link for e in parsed.entries] == ["http://h/s#v2", "http://h/s#v1"]
    assert all(e.updated and e.title and e.summary for e in parsed.entries)
    assert parsed.entries[0].title.startswith("Ferry <aground> — version 2: 1 new article")
    assert "The operator will refloat <it> & more" in parsed.entries[0].summary

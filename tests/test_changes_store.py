"""Story versions in the store: the same behaviour on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newsprism.changes import moment_text
from newsprism.changes_contract import BriefChangeDict
from newsprism.model import Article
from newsprism.store import Store

START = datetime(2031, 3, 4, 8, tzinfo=UTC)


def _change(headline: str, *article_ids: str) -> BriefChangeDict:
    return {
        "new_articles": [
            {
                "id": i,
                "outlet": "Harbor Gazette",
                "named": True,
                "title": "Fähre läuft auf Grund — “aground”",
                "published": None,
                "url": None,
            }
            for i in article_ids
        ],
        "removed_articles": [],
        "new_outlets": [],
        "new_facts": [],
        "newly_corroborated": [],
        "revised_figures": [],
        "new_disagreements": [],
        "dropped_disagreements": [],
        "new_quotes": [],
        "headline_before": None,
        "headline_after": headline,
    }


def _at(minutes: int) -> str:
    return moment_text(START + timedelta(minutes=minutes))


def _story(store: Store, story_id: str, article_id: str) -> None:
    article = Article(
        id=article_id,
        source=f"{article_id}.txt",
        outlet="Harbor Gazette",
        title="Ferry aground",
        text=f"The ferry ran aground ({article_id}).",
        raw_ref="0" * 64,
    )
    with store.atomic():
        store.touch_story(story_id, headline="Ferry aground")
        store.put_article(article, story_id=story_id)


def test_changes_store_versions_numbered_per_story_oldest_first(store: Store) -> None:
    assert store.put_story_version("s1", _change("A", "a1"), at=_at(0), story_version=1) == 1
    assert store.put_story_version("s2", _change("B", "b1"), at=_at(1), story_version=1) == 1
    assert store.put_story_version("s1", _change("A2", "a2"), at=_at(2), story_version=3) == 2
    versions = store.story_versions("s1")
    assert [(v["version"], v["at"], v["headline_after"]) for v in versions] == [
        (1, _at(0), "A"),
        (2, _at(2), "A2"),
    ]
    assert versions[0]["new_articles"][0]["title"] == "Fähre läuft auf Grund — “aground”"
    assert store.story_versions("nothing") == []


def test_changes_store_since_and_latest(store: Store) -> None:
    for n in range(4):
        store.put_story_version("s1", _change(f"v{n}", f"a{n}"), at=_at(10 * n), story_version=n)
    after = store.story_versions("s1", since=_at(10))
    assert [v["version"] for v in after] == [3, 4]  # strictly after: version 2 is at 10 min
    assert [v["version"] for v in store.story_versions("s1", since=_at(30))] == []
    assert [v["version"] for v in store.story_versions("s1", latest=2)] == [3, 4]


def test_changes_store_recent_versions_of_several_stories(store: Store) -> None:
    store.put_story_version("s1", _change("A", "a1"), at=_at(0), story_version=1)
    store.put_story_version("s2", _change("B", "b1"), at=_at(5), story_version=1)
    store.put_story_version("s3", _change("C", "c1"), at=_at(7), story_version=1)
    store.put_story_version("s1", _change("A2", "a2"), at=_at(9), story_version=2)
    found = store.recent_versions(["s1", "s2"], limit=10)
    assert [(s, v["version"]) for s, v in found] == [("s1", 2), ("s2", 1), ("s1", 1)]
    assert [(s, v["version"]) for s, v in store.recent_versions(["s1", "s2"], limit=1)] == [
        ("s1", 2)
    ]
    assert store.recent_versions([], limit=5) == []


def test_changes_store_version_rolls_back_with_its_transaction(store: Store) -> None:
    with pytest.raises(RuntimeError), store.atomic():
        store.put_story_version("s1", _change("A", "a1"), at=_at(0), story_version=1)
        raise RuntimeError("the brief could not be stored")
    assert store.story_versions("s1") == []


def test_changes_store_merge_ends_the_merged_story_history(store: Store) -> None:
    _story(store, "s-old", "a1")
    _story(store, "s-young", "b1")
    store.put_story_version("s-old", _change("Old", "a1"), at=_at(0), story_version=1)
    store.put_story_version("s-young", _change("Young", "b1"), at=_at(1), story_version=1)
    store.move_story("s-young", "s-old")
    assert store.story_versions("s-young") == []
    assert [v["headline_after"] for v in store.story_versions("s-old")] == ["Old"]


def test_changes_store_round_trips_any_change(store: Store) -> None:
    change: Any = _change('\u2028 line \\ "quoted" \U0001f4f0', "a1")
    change["headline_before"] = "before"
    store.put_story_version("s1", change, at=_at(0), story_version=1)
    [stored] = store.story_versions("s1")
    assert {k: v for k, v in stored.items() if k not in ("version", "at")} == change


def test_changes_store_reads_versions_stored_before_removed_articles(store: Store) -> None:
    change: Any = _change("A", "a1")
    del change["removed_articles"]  # as versions were written before the list existed
    store.put_story_version("s1", change, at=_at(0), story_version=1)
    [stored] = store.story_versions("s1")
    assert stored["removed_articles"] == []
    assert stored["new_articles"][0]["id"] == "a1"

"""The online clusterer's state lives in the store (SQLite and PostgreSQL): saved with the
articles it assigned, loaded at restart instead of a replay; merged story URLs answer 301."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from newsprism import service as service_module
from newsprism.model import Article
from newsprism.service import Service, load_clusterer
from newsprism.store import Store, open_store
from tests.live_server import start_server
from tests.test_stories_properties import _articles


def _records(articles: list[Article]) -> list[dict[str, str]]:
    ordered = sorted(articles, key=lambda a: (a.published, a.id))
    ordered = list({a.text: a for a in ordered}.values())  # a text repeated is a duplicate
    return [
        {
            "id": a.id,
            "text": a.text,
            "title": a.title,
            "outlet": a.outlet,
            "published": a.published.isoformat() if a.published else "",
        }
        for a in ordered
    ]


def _ingest(service: Service, records: list[dict[str, str]]) -> list[str]:
    report = service.ingest_records(records, source="test")
    assert not report.rejected and not report.duplicates
    return [r["id"] for r in report.added]


def _stories(store: Store, article_ids: list[str]) -> dict[str, str | None]:
    return {article_id: store.article_story(article_id) for article_id in article_ids}


def test_clusterer_state_saved_with_articles_and_loaded_at_restart(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service_module, "CLUSTERER_SAVE_EVERY", 4)
    records = _records(_articles(11, 4, 3))
    first = Service(store)
    ids = _ingest(first, records[:7])
    saved = store.get_clusterer_state()
    assert saved is not None
    seq, text = saved
    # Saved with the 4th article assigned, in the transaction that stored it.
    assert seq == store.article_seq(ids[3])
    assert json.loads(text)["seq"] == 4
    clusterer, loaded_seq = load_clusterer(store)
    assert loaded_seq == seq and sum(len(s.article_ids) for s in clusterer.stories()) == 4
    # A restart loads the state, catches up articles 5..7 from the store, and goes on.
    ids += _ingest(Service(store), records[7:])
    assert store.get_clusterer_state() != saved  # saved again with the 8th and 12th
    whole = open_store(str(tmp_path / "whole.db"))
    try:
        whole_ids = _ingest(Service(whole), records)
        assert whole_ids == ids
        assert _stories(store, ids) == _stories(whole, ids)
    finally:
        whole.close()


def test_clusterer_state_rolls_back_with_its_transaction(store: Store) -> None:
    with pytest.raises(RuntimeError), store.atomic():
        store.put_clusterer_state('{"x": 1}', seq=5)
        raise RuntimeError("the article's transaction failed")
    assert store.get_clusterer_state() is None
    store.put_clusterer_state('{"x": 2}', seq=6)
    assert store.get_clusterer_state() == (6, '{"x": 2}')


def test_clusterer_state_unreadable_or_other_options_means_replay(store: Store) -> None:
    from newsprism.stories import ClusterConfig, OnlineClusterer

    store.put_clusterer_state("{not json", seq=9)
    clusterer, seq = load_clusterer(store)
    assert seq == 0 and clusterer.stories() == ()
    other = OnlineClusterer(ClusterConfig(threshold=0.5))
    store.put_clusterer_state(json.dumps(other.state()), seq=9)
    assert load_clusterer(store)[1] == 0


def test_merge_recorded_and_followed(store: Store) -> None:
    from tests.test_store import _article

    store.touch_story("s-old", headline="Old")
    store.put_article(_article(1), story_id="s-old")
    store.touch_story("s-mid", headline="Mid")
    store.put_article(_article(2), story_id="s-mid")
    store.touch_story("s-new", headline="New")
    store.put_article(_article(3), story_id="s-new")
    store.move_story("s-new", "s-mid")
    assert store.merged_story("s-new") == "s-mid"
    store.move_story("s-mid", "s-old")
    # An earlier merge leads on to where its story went.
    assert store.merged_story("s-new") == "s-old"
    assert store.merged_story("s-mid") == "s-old"
    assert store.merged_story("s-old") is None
    assert {a.id for a in store.story_articles("s-old")} == {"art0001", "art0002", "art0003"}


def test_merged_story_urls_answer_301(tmp_path: Path) -> None:
    from tests.test_store import _article

    db = str(tmp_path / "merged.db")
    store = open_store(db)
    store.touch_story("s-old", headline="Old")
    store.put_article(_article(1), story_id="s-old")
    store.touch_story("s-young", headline="Young")
    store.put_article(_article(2), story_id="s-young")
    store.move_story("s-young", "s-old")
    store.close()
    server = start_server(db, tmp_path / "server.log")
    try:
        with httpx.Client(base_url=server.url, timeout=30, follow_redirects=False) as client:
            for path, target in [
                ("/stories/s-young", "/stories/s-old"),
                ("/api/stories/s-young", "/api/stories/s-old"),
                (
                    "/api/stories/s-young/changes?since=2031-01-01T00:00:00Z",
                    "/api/stories/s-old/changes?since=2031-01-01T00:00:00Z",
                ),
                ("/stories/s-young.atom", "/stories/s-old.atom"),
            ]:
                response = client.get(path)
                assert response.status_code == 301, (path, response.text[:200])
                assert response.headers["location"] == target
            assert client.get("/api/stories/s-never").status_code == 404
    finally:
        server.stop()

"""Online re-clustering splits a story that mixed two events of one kind: in the clusterer,
across a restart from its stored state, and in the store (SQLite and PostgreSQL).

The stream is one ECB+ topic read in file order: every report of one event (a celebrity
checking into rehab), then every report of another event of the same kind. Joining by
centroid alone put most of the second event into the first one's story.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from newsprism import ids
from newsprism.model import Article
from newsprism.service import Service
from newsprism.store import Store
from newsprism.stories import OnlineClusterer
from newsprism.stories.moves import Split
from tests.conftest import data_path


def _topic(number: int) -> tuple[list[Article], list[str]]:
    from newsprism.evaluate.clustering import load_gold_jsonl

    articles, gold = load_gold_jsonl(data_path("ecbplus", "docs.jsonl"))
    picked = [(a, g) for a, g in zip(articles, gold, strict=True) if g.startswith(f"{number}ecb")]
    return [a for a, _ in picked], [g for _, g in picked]


def _partition(clusterer: OnlineClusterer) -> dict[str, str]:
    return {a: s.id for s in clusterer.stories() for a in s.article_ids}


def _majority(
    story_of: dict[str, str], articles: list[Article], gold: list[str], event: str
) -> str:
    counts = Counter(story_of[a.id] for a, g in zip(articles, gold, strict=True) if g == event)
    return counts.most_common(1)[0][0]


def test_online_split_parts_two_events_of_one_kind() -> None:
    articles, gold = _topic(1)
    assert {"1ecb", "1ecbplus"} <= set(gold)
    clusterer = OnlineClusterer()
    handed = [clusterer.add(a) for a in articles]
    moves = clusterer.take_moves()
    splits = [m for m in moves if isinstance(m, Split)]
    assert splits, "the mixed story was never split"
    for split in splits:
        # A part that splits off is named after its own first member, as if it had started it.
        assert split.new_id == ids.story_id(split.article_ids[0])
    story_of = _partition(clusterer)
    first_event, second_event = (
        _majority(story_of, articles, gold, e) for e in ("1ecb", "1ecbplus")
    )
    assert first_event != second_event
    # The first story keeps the id it was handed out under (ids are never renamed).
    assert first_event == handed[0] == ids.story_id(articles[0].id)
    # Every article returned by `add` is where the moves say it went.
    followed = dict(zip((a.id for a in articles), handed, strict=True))
    for move in moves:
        if isinstance(move, Split):
            followed.update(dict.fromkeys(move.article_ids, move.new_id))
        else:
            followed = {a: move.kept if s == move.dropped else s for a, s in followed.items()}
    assert followed == story_of


@pytest.mark.parametrize("cut", [5, 20, 30])
def test_online_split_restart_from_state_goes_on_the_same(cut: int) -> None:
    articles, _ = _topic(1)
    whole = OnlineClusterer()
    expected = [whole.add(a) for a in articles]
    first = OnlineClusterer()
    got = [first.add(a) for a in articles[:cut]]
    moves = first.take_moves()
    # Through JSON, as the store keeps it: the members' vectors a split needs come back too.
    restarted = OnlineClusterer.from_state(json.loads(json.dumps(first.state())))
    got += [restarted.add(a) for a in articles[cut:]]
    moves += restarted.take_moves()
    assert got == expected
    assert moves == whole.take_moves()
    assert _partition(restarted) == _partition(whole)
    assert restarted.state() == whole.state()


def test_store_follows_online_splits(store: Store) -> None:
    articles, gold = _topic(1)
    records = [{"id": a.id, "text": a.text, "title": a.title, "outlet": a.outlet} for a in articles]
    service = Service(store)
    report = service.ingest_records(records, source="ecbplus")
    assert not report.rejected
    stored = {a.id: str(store.article_story(a.id)) for a in articles}
    # The same stream through a clusterer of its own: the store holds its stories exactly.
    clusterer = OnlineClusterer()
    for article in articles:
        clusterer.add(article)
    assert any(isinstance(m, Split) for m in clusterer.take_moves())
    assert stored == _partition(clusterer)
    first_event, second_event = (_majority(stored, articles, gold, e) for e in ("1ecb", "1ecbplus"))
    assert first_event != second_event
    for story_id in set(stored.values()):
        row = store.get_story(story_id)
        assert row is not None and row.article_count == sum(
            1 for s in stored.values() if s == story_id
        )


def test_changes_name_the_articles_a_split_moved_out(store: Store) -> None:
    """A returning reader of the mixed story learns which articles left it, and where to."""
    articles, _ = _topic(1)
    records = [{"id": a.id, "text": a.text, "title": a.title, "outlet": a.outlet} for a in articles]
    clusterer = OnlineClusterer()
    before_split = 0
    for number, article in enumerate(articles, start=1):
        clusterer.add(article)
        if any(isinstance(m, Split) for m in clusterer.take_moves()):
            before_split = number - 1
            break
    assert before_split, "the stream never splits its first story"
    service = Service(store)
    service.ingest_records(records[:before_split], source="ecbplus")
    first = str(store.article_story(articles[0].id))
    held = {a.id for a in store.story_articles(first)}
    service.story_brief(first)  # version 1: what a reader saw
    service.ingest_records(records[before_split : before_split + 1], source="ecbplus")
    moved = {i for i in held if store.article_story(i) != first}
    assert moved
    change = service.story_changes(first)["changes"][-1]
    removed = {item["id"]: item["now_in"] for item in change["removed_articles"]}
    assert removed == {i: store.article_story(i) for i in moved}
    assert all(now_in != first for now_in in removed.values())
    assert not {a["id"] for a in change["new_articles"]} & set(removed)

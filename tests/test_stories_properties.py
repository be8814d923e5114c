"""Story clustering properties on invented events (hypothesis).

`test_stories_clustering.py` checks a fixed three-event corpus: order independence, a
duplicate joining its story, online ids staying valid. Here each example invents its own
events (names, places and nouns made of random syllables, so two events share only common
words) and checks what must hold for any such input: batch output does not depend on input
order or repetition; stories and their ids do not change when unrelated later stories arrive;
online ids are never renamed, and a merge keeps the older id; an exact duplicate joins its
original's story.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism import ids
from newsprism.model import Article, Story
from newsprism.stories import ClusterConfig, OnlineClusterer, cluster_articles
from newsprism.stories.moves import Merge

_SYLLABLES = ("ka", "ro", "mi", "tel", "va", "dun", "sor", "bi", "le", "quo", "zan", "pe", "gul")
_TEMPLATES = (
    "{P} said the {a} near {L} was {b} on Monday.",
    "Officials in {L} confirmed {n} {c} after the {a}.",
    "{Q} warned that the {d} could {e} the {c} of {L}.",
    "Residents of {L} described the {b} {a} to reporters.",
    "{P} and {Q} met in {L} to discuss the {d}.",
    "The {e} {c} left {n} families without {f}, {Q} said.",
)
_START = datetime(2024, 5, 1)


def _word(rng: random.Random, used: set[str]) -> str:
    while True:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(3, 4)))
        if word not in used:
            used.add(word)
            return word


def _event(rng: random.Random, used: set[str]) -> dict[str, str]:
    slots = {k: _word(rng, used) for k in "abcdef"}
    slots.update({k: _word(rng, used).capitalize() for k in "PQL"})
    slots["n"] = str(rng.randint(10, 999))
    return slots


def _articles(
    seed: int,
    events: int,
    per_event: int,
    *,
    prefix: str = "a",
    day: float = 0.0,
) -> list[Article]:
    """*per_event* reports of each of *events* invented events, a few hours apart."""
    rng = random.Random(seed)
    used: set[str] = set()
    out = []
    for number in range(events):
        slots = _event(rng, used)
        for copy in range(per_event):
            lines = [t.format(**slots) for t in _TEMPLATES]
            rng.shuffle(lines)
            out.append(
                Article(
                    id=f"{prefix}{number}-{copy}",
                    source=f"{prefix}{number}-{copy}",
                    outlet=f"outlet{copy}",
                    title=f"{slots['P']} {slots['a']} {slots['L']}",
                    text=" ".join(lines[: rng.randint(4, 6)]),
                    published=_START + timedelta(days=day, hours=rng.randint(0, 36)),
                )
            )
    return out


def _event_of(article_id: str) -> str:
    return article_id.split("-")[0]


def _members(stories: tuple[Story, ...]) -> dict[str, frozenset[str]]:
    return {s.id: frozenset(s.article_ids) for s in stories}


@given(
    st.integers(0, 10**6),
    st.integers(2, 5),
    st.integers(1, 5),
    st.randoms(use_true_random=False),
)
@settings(max_examples=30, deadline=None)
def test_stories_batch_deterministic_any_order(
    seed: int, events: int, per_event: int, shuffler: random.Random
) -> None:
    articles = _articles(seed, events, per_event)
    articles[0] = Article(  # one undated article: ordered after the dated ones, by id
        id=articles[0].id,
        source=articles[0].source,
        outlet=articles[0].outlet,
        title=articles[0].title,
        text=articles[0].text,
    )
    baseline = cluster_articles(articles)
    assert cluster_articles(articles) == baseline
    shuffled = list(articles)
    shuffler.shuffle(shuffled)
    assert cluster_articles(shuffled) == baseline
    # An article given twice counts once.
    assert cluster_articles(shuffled + shuffled[:2]) == baseline
    # Invented events share only common words: each becomes exactly one story.
    assert {frozenset(s.article_ids) for s in baseline} == {
        frozenset(a.id for a in articles if _event_of(a.id) == e)
        for e in {_event_of(a.id) for a in articles}
    }


@given(st.integers(0, 10**6), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4))
@settings(max_examples=30, deadline=None)
def test_stories_batch_ids_stable_when_later_stories_arrive(
    seed: int, events: int, per_event: int, later: int
) -> None:
    before = _articles(seed, events, per_event)
    after = _articles(seed + 1, later, per_event + 1, prefix="z", day=10.0)
    old = _members(cluster_articles(before))
    new = _members(cluster_articles(before + after))
    for story_id, members in old.items():
        assert new.get(story_id) == members
    assert len(new) == len(old) + later


# Report kinds for the online test: one sentence ("0", "5": they share no content word, so
# they start two stories of one event), half the sentences ("A" or "B"), or most ("F"). Full
# reports then find both stories close enough to merge them.
_PARTS = {"0": (0,), "5": (5,), "A": (0, 1, 3), "B": (2, 4, 5), "F": (0, 1, 2, 3, 4, 5)}


def _ragged_stream(seed: int, plans: list[list[str]], order: random.Random) -> list[Article]:
    """Events reported as *plans* say, their reports interleaved at random (each in order)."""
    rng = random.Random(seed)
    used: set[str] = set()
    queues = []
    for number, plan in enumerate(plans):
        slots = _event(rng, used)
        lines = [t.format(**slots) for t in _TEMPLATES]
        queues.append(
            [
                (f"a{number}-{k}", " ".join(lines[i] for i in _PARTS[kind]))
                for k, kind in enumerate(["0", "5", *plan])
            ]
        )
    stream: list[Article] = []
    while any(queues):
        article_id, text = order.choice([q for q in queues if q]).pop(0)
        hour = len(stream)
        stream.append(
            Article(
                id=article_id,
                source=article_id,
                outlet="o",
                title="",
                text=text,
                published=_START + timedelta(hours=hour),
            )
        )
    return stream


@given(
    st.integers(0, 10**6),
    st.lists(st.lists(st.sampled_from("ABF"), max_size=6), min_size=1, max_size=3),
    st.randoms(use_true_random=False),
)
@settings(max_examples=30, deadline=None)
def test_stories_online_ids_never_renamed_merges_keep_older(
    seed: int, plans: list[list[str]], order: random.Random
) -> None:
    stream = _ragged_stream(seed, plans, order)
    clusterer = OnlineClusterer()
    first_seen: dict[str, int] = {}
    given_ids: list[tuple[str, str]] = []
    for position, article in enumerate(stream):
        story_id = clusterer.add(article)
        first_seen.setdefault(story_id, position)
        given_ids.append((article.id, story_id))
        active = {s.id: set(s.article_ids) for s in clusterer.stories()}
        for article_id, given_id in given_ids:
            home = clusterer.resolve(given_id)
            assert article_id in active[home]
            # An id given out still names its story, or was merged into an older story.
            assert (given_id in active) != (given_id in clusterer.merged_into)
            assert home == given_id or first_seen[home] < first_seen[given_id]


@given(st.integers(0, 10**6), st.integers(1, 4), st.integers(1, 4), st.data())
@settings(max_examples=30, deadline=None)
def test_stories_exact_duplicate_joins_its_story(
    seed: int, events: int, per_event: int, data: st.DataObject
) -> None:
    articles = _articles(seed, events, per_event)
    original = data.draw(st.sampled_from(articles))
    copy = Article(
        id="copy",
        source="copy",
        outlet="elsewhere",
        title=original.title,
        text=original.text,
        published=original.published,
    )
    where = data.draw(st.integers(0, len(articles)))
    stream = [*articles[:where], copy, *articles[where:]]
    home = next(s for s in cluster_articles(stream) if original.id in s.article_ids)
    assert "copy" in home.article_ids
    clusterer = OnlineClusterer()
    assigned = {a.id: clusterer.add(a) for a in stream}
    clusterer.decide()  # the stream ended: decide the articles still waiting
    assert clusterer.resolve(assigned["copy"]) == clusterer.resolve(assigned[original.id])


def _partition_of(clusterer: OnlineClusterer) -> dict[str, frozenset[str]]:
    return {s.id: frozenset(s.article_ids) for s in clusterer.stories()}


@given(
    st.integers(0, 10**6),
    st.lists(st.lists(st.sampled_from("ABF"), max_size=6), min_size=1, max_size=3),
    st.randoms(use_true_random=False),
    st.data(),
)
@settings(max_examples=30, deadline=None)
def test_stories_online_restart_from_state_gives_same_stories(
    seed: int, plans: list[list[str]], order: random.Random, data: st.DataObject
) -> None:
    import json

    stream = _ragged_stream(seed, plans, order)
    cut = data.draw(st.integers(0, len(stream)))
    # Waiting articles (deferred decisions) must survive the restart too.
    config = ClusterConfig(defer_articles=data.draw(st.sampled_from([1, 3, 5])))
    whole = OnlineClusterer(config)
    expected = [whole.add(a) for a in stream]
    first = OnlineClusterer(config)
    got = [first.add(a) for a in stream[:cut]]
    moves = first.take_moves()
    # Through JSON, as the store keeps it: a restart loads this and goes on.
    restarted = OnlineClusterer.from_state(json.loads(json.dumps(first.state())))
    got += [restarted.add(a) for a in stream[cut:]]
    moves += restarted.take_moves()
    assert got == expected
    assert moves == whole.take_moves()
    assert _partition_of(restarted) == _partition_of(whole)
    assert restarted.state() == whole.state()


@given(
    st.integers(0, 10**6),
    st.lists(st.lists(st.sampled_from("ABF"), max_size=6), min_size=1, max_size=3),
    st.randoms(use_true_random=False),
)
@settings(max_examples=30, deadline=None)
def test_stories_online_merges_keep_the_older_id(
    seed: int, plans: list[list[str]], order: random.Random
) -> None:
    stream = _ragged_stream(seed, plans, order)
    clusterer = OnlineClusterer(ClusterConfig(defer_articles=4))  # waiting articles merge
    handed_out: dict[str, int] = {}  # story id -> when it was first given out
    for position, article in enumerate(stream):
        handed_out.setdefault(clusterer.add(article), position)
        for dropped, kept in [
            (m.dropped, m.kept) for m in clusterer.take_moves() if isinstance(m, Merge)
        ]:
            assert handed_out.get(kept, position) <= handed_out.get(dropped, position)
            assert dropped not in {s.id for s in clusterer.stories()}
    # Every id handed out names a live story or leads, through merges, to one.
    live = {s.id for s in clusterer.stories()}
    assert all(clusterer.resolve(story_id) in live for story_id in handed_out)


def test_stories_online_waiting_articles_merge_into_the_oldest() -> None:
    # Two one-sentence reports with no content word in common wait; a full report then links
    # both: its story and the second one's merge into the first one's (the oldest id).
    stream = _ragged_stream(5, [["F"]], random.Random(0))
    clusterer = OnlineClusterer(ClusterConfig(defer_articles=3))
    handed = [clusterer.add(a) for a in stream]
    own = [ids.story_id(a.id) for a in stream]
    assert handed[:2] == own[:2]  # each waited under an id of its own
    assert handed[2] == own[0]  # the third was decided as it came: the first one's story
    merges = [(m.dropped, m.kept) for m in clusterer.take_moves() if isinstance(m, Merge)]
    assert {kept for _, kept in merges} == {own[0]}
    assert {dropped for dropped, _ in merges} == set(own[1:])
    assert [s.id for s in clusterer.stories()] == [own[0]]

"""Story clustering: batch determinism and order independence, online stable ids, floors."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.model import Article, Story
from newsprism.stories import ClusterConfig, OnlineClusterer, cluster_articles

# Three hand-written events: two of one kind (two ferry accidents) and one unrelated.
_EVENTS = {
    "ferry-oslo": (
        "Ferry Nordlys runs aground near Oslo",
        "The ferry Nordlys ran aground near Oslo harbour on Monday. Captain Erik Berg said all "
        "240 passengers were safe. The Norwegian Maritime Authority opened an inquiry into the "
        "grounding of the Nordlys.",
    ),
    "ferry-manila": (
        "Ferry Princess Luzon sinks off Manila",
        "The ferry Princess Luzon sank off Manila after a typhoon struck the Philippines. The "
        "Philippine Coast Guard said 31 people were missing. Governor Maria Santos ordered "
        "rescue boats to the Luzon coast.",
    ),
    "budget": (
        "Chancellor Weber unveils German budget",
        "Chancellor Anna Weber unveiled the German budget in the Bundestag, with higher defence "
        "spending and a cut to fuel taxes. Finance Minister Klaus Richter defended the deficit.",
    ),
}
_OUTLETS = ("Daily Star", "Morning Post", "The Courier", "Evening News", "Wire")


def _variant(event: str, number: int, rng: random.Random) -> Article:
    title, body = _EVENTS[event]
    sentences = body.split(". ")
    rng.shuffle(sentences)
    text = ". ".join(sentences) + f" Reported by {_OUTLETS[number % len(_OUTLETS)]}."
    return Article(
        id=f"{event}-{number}",
        source=f"{event}-{number}",
        outlet=_OUTLETS[number % len(_OUTLETS)],
        title=title,
        text=text,
        published=datetime(2024, 3, 1) + timedelta(hours=number),
    )


def _corpus(seed: int = 0, per_event: int = 4) -> list[Article]:
    rng = random.Random(seed)
    return [_variant(e, n, rng) for e in _EVENTS for n in range(per_event)]


def _partition(stories: tuple[Story, ...]) -> set[frozenset[str]]:
    return {frozenset(s.article_ids) for s in stories}


def test_stories_batch_separates_similar_events() -> None:
    stories = cluster_articles(_corpus())
    expected = {frozenset(f"{e}-{n}" for n in range(4)) for e in _EVENTS}
    assert _partition(stories) == expected
    for story in stories:
        assert story.id.startswith("s-")
        assert story.headline in {title for title, _ in _EVENTS.values()}


@given(st.permutations(list(range(12))))
@settings(max_examples=20)
def test_stories_batch_independent_of_input_order(order: list[int]) -> None:
    corpus = _corpus()
    baseline = cluster_articles(corpus)
    shuffled = cluster_articles([corpus[i] for i in order])
    assert shuffled == baseline


def test_stories_given_story_is_kept() -> None:
    corpus = _corpus()
    pinned = [
        Article(id=a.id, source=a.source, outlet=a.outlet, title=a.title, text=a.text, story="mine")
        for a in corpus[:2]
    ]
    stories = cluster_articles(pinned + corpus[2:])
    mine = [s for s in stories if s.id == "mine"]
    assert len(mine) == 1 and set(mine[0].article_ids) == {a.id for a in pinned}


@given(st.integers(0, 1000))
@settings(max_examples=15)
def test_stories_duplicate_lands_in_its_story(seed: int) -> None:
    corpus = _corpus(seed)
    rng = random.Random(seed)
    original = rng.choice(corpus)
    copy = Article(
        id="copy", source="copy", outlet="Other", title=original.title, text=original.text
    )
    stories = cluster_articles([*corpus, copy])
    home = next(s for s in stories if original.id in s.article_ids)
    assert "copy" in home.article_ids
    clusterer = OnlineClusterer()
    assigned = {a.id: clusterer.add(a) for a in [*corpus, copy]}
    clusterer.decide()  # the stream ended: decide the articles still waiting
    assert clusterer.resolve(assigned["copy"]) == clusterer.resolve(assigned[original.id])


@given(st.integers(0, 1000), st.integers(1, 11))
@settings(max_examples=15)
def test_stories_online_ids_stable_as_articles_arrive(seed: int, cut: int) -> None:
    corpus = sorted(_corpus(seed), key=lambda a: a.published or datetime.min)
    clusterer = OnlineClusterer()
    first = [clusterer.add(a) for a in corpus[:cut]]
    before = {a.id: clusterer.resolve(s) for a, s in zip(corpus[:cut], first, strict=True)}
    for article in corpus[cut:]:
        clusterer.add(article)
    clusterer.decide()
    for article_id, story in before.items():
        # an id given stays valid: it is the story's id, or it was merged into an older one
        assert clusterer.resolve(story) in {s.id for s in clusterer.stories()}
        assert article_id in next(
            s.article_ids for s in clusterer.stories() if s.id == clusterer.resolve(story)
        )


def test_stories_online_state_round_trip() -> None:
    corpus = sorted(_corpus(), key=lambda a: a.published or datetime.min)
    whole = OnlineClusterer()
    expected = [whole.add(a) for a in corpus]
    part = OnlineClusterer()
    got = [part.add(a) for a in corpus[:6]]
    restored = OnlineClusterer.from_state(part.state())
    got += [restored.add(a) for a in corpus[6:]]
    assert got == expected
    assert restored.stories() == whole.stories()


def test_stories_online_retires_idle_stories() -> None:
    clusterer = OnlineClusterer(ClusterConfig(retire_days=1.0))
    start = datetime(2024, 1, 1)
    for day in range(600):
        text = f"Unique event number {day} about topic{day} in town{day} with person{day}."
        clusterer.add(
            Article(
                id=f"a{day}",
                source=f"a{day}",
                outlet="x",
                title=f"Event{day} Town{day}",
                text=text,
                published=start + timedelta(days=day),
            )
        )
    assert len(clusterer.stories()) < 300  # retired stories left memory


@pytest.mark.slow
def test_stories_quality_floor_ecbplus() -> None:
    from newsprism.evaluate.clustering import bcubed, cluster_labels, load_gold_jsonl
    from tests.conftest import data_path

    articles, gold = load_gold_jsonl(data_path("ecbplus", "docs.jsonl"))
    _, _, f1 = bcubed(cluster_labels(articles, online=False), gold)
    assert f1 >= 0.93  # measured 0.937 through the shipped load stage (default config, batch)
    _, _, online = bcubed(cluster_labels(articles, online=True), gold)
    assert online >= 0.92  # measured 0.928 (online, re-clustered at each join, id order)


@pytest.mark.slow
def test_stories_quality_floor_multinews_and_uci() -> None:
    from newsprism.evaluate.clustering import bcubed, cluster_labels, load_gold_jsonl, load_uci
    from tests.conftest import data_path

    articles, gold = load_gold_jsonl(data_path("multinews_dev", "clusters.jsonl"))
    assert bcubed(cluster_labels(articles, online=False), gold)[2] >= 0.92  # measured 0.928
    assert bcubed(cluster_labels(articles, online=True), gold)[2] >= 0.90  # measured 0.909
    articles, gold = load_uci(data_path("uci_headlines"))
    # Headlines only: snippets link by centroid in batch as online (measured 0.756; 0.353 with
    # the weighted linkage alone, which splits their diffuse stories).
    assert bcubed(cluster_labels(articles, online=False), gold)[2] >= 0.74
    assert bcubed(cluster_labels(articles, online=True), gold)[2] >= 0.75  # measured 0.761


def test_stories_all_matches_public_names() -> None:
    import newsprism.stories as module

    public = {n for n in dir(module) if not n.startswith("_")} - {"annotations"}
    modules = {n for n in public if type(getattr(module, n)).__name__ == "module"}
    assert public - modules == set(module.__all__)


def _mixed(seed: int, count: int) -> list[Article]:
    """Articles of sentences drawn from all events: many partial overlaps, unequal hit counts."""
    rng = random.Random(seed)
    sentences = [s for _, body in _EVENTS.values() for s in body.split(". ")]
    titles = [title for title, _ in _EVENTS.values()]
    return [
        Article(
            id=f"m{n}",
            source=f"m{n}",
            outlet="x",
            title=rng.choice(titles),
            text=". ".join(rng.sample(sentences, rng.randint(1, 4))),
        )
        for n in range(count)
    ]


def _reference_pairs(vectors: list[Any], config: ClusterConfig) -> set[tuple[int, int]]:
    """The candidate rule written plainly: per article, count window hits, keep the best."""
    from bisect import bisect_left
    from collections import Counter

    postings: dict[str, list[int]] = {}
    terms = [v.index_terms(config.index_terms) for v in vectors]
    for index, row in enumerate(terms):
        for term in row:
            postings.setdefault(term, []).append(index)
    window, found = config.posting_window, set[tuple[int, int]]()
    for index, row in enumerate(terms):
        hits: Counter[int] = Counter()
        for term in row:
            posting = postings[term]
            where = bisect_left(posting, index)
            for other in posting[max(0, where - window) : where + window + 1]:
                if other != index:
                    hits[other] += 1
        best = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[: config.batch_candidates]
        found.update((min(index, o), max(index, o)) for o, _ in best)
    return found


@given(st.integers(0, 1000), st.integers(1, 4), st.integers(1, 6), st.integers(1, 8))
@settings(max_examples=25, deadline=None)
def test_stories_batch_candidates_match_plain_rule(
    seed: int, window: int, keep: int, terms: int
) -> None:
    from newsprism.stories.batch import _candidate_pairs, _vectors

    config = ClusterConfig(posting_window=window, batch_candidates=keep, index_terms=terms)
    vectors = _vectors(_mixed(seed, 30), config, None)
    pairs = {(int(i), int(j)) for i, j in _candidate_pairs(vectors, config)}
    assert pairs == _reference_pairs(vectors, config)


@given(
    st.dictionaries(st.integers(0, 30), st.floats(0.01, 1.0), max_size=12),
    st.dictionaries(st.integers(0, 30), st.floats(0.01, 1.0), max_size=12),
    st.integers(1, 5),
    st.integers(1, 5),
    st.sampled_from(["average", "weighted"]),
    st.sampled_from([None, 5, 500]),  # each member's distinct words: unknown, snippet, report
    st.sampled_from([None, 5, 500]),
)
@settings(max_examples=80, deadline=None)
def test_stories_linkage_merge_is_the_weighted_mean(
    a: dict[int, float],
    b: dict[int, float],
    size_a: int,
    size_b: int,
    method: str,
    words_a: int | None,
    words_b: int | None,
) -> None:
    """WPGMA or UPGMA as configured; two snippet clusters always merge into their centroid."""
    import numpy as np

    from newsprism.stories import linkage

    config = ClusterConfig()

    def rep(vector: dict[int, float], size: int, words: int | None) -> Any:
        ids = np.array(sorted(vector), dtype=np.int64)
        values = np.array([vector[i] for i in ids.tolist()])
        total = None if words is None else words * size
        return linkage._Rep(ids, values, None, size, 0, 0, total)

    snippets = words_a == 5 and words_b == 5
    wa, wb = (size_a, size_b) if method == "average" or snippets else (1, 1)
    expected = {t: x * wa / (wa + wb) for t, x in a.items()}
    for term, x in b.items():
        expected[term] = expected.get(term, 0.0) + x * wb / (wa + wb)
    limit = linkage._REP_TERMS
    try:
        linkage._REP_TERMS = 4  # small, so that the trimming to the heaviest terms runs
        merged = linkage._merge(rep(a, size_a, words_a), rep(b, size_b, words_b), method, config)
    finally:
        linkage._REP_TERMS = limit
    if len(expected) > 8:
        heaviest = sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))[:4]
        expected = dict(heaviest)
    assert dict(zip(merged.ids.tolist(), merged.vals.tolist(), strict=True)) == expected
    assert merged.snippet(config) == snippets
    assert merged.size == size_a + size_b

"""Dedup: exact and near duplicates, shared wire passages, origins (small hand-written texts)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.dedup import find_duplicates, find_origins
from newsprism.dedup.minhash import content_hash
from newsprism.model import Article, Span
from tests.conftest import data_path

_WORDS = [
    "council",
    "harbour",
    "bridge",
    "storm",
    "ferry",
    "mayor",
    "budget",
    "vote",
    "tunnel",
    "engineers",
    "river",
    "school",
    "hospital",
    "nurses",
    "strike",
    "union",
    "wages",
    "minister",
    "railway",
    "station",
    "airport",
    "flights",
    "delays",
    "police",
    "arrest",
    "court",
    "judge",
    "ruling",
    "appeal",
    "farmers",
    "drought",
    "water",
    "prices",
    "market",
]


def _article(article_id: str, text: str) -> Article:
    return Article(id=article_id, source=article_id, outlet="x", title="", text=text)


def _report(rng: random.Random, paragraphs: int = 6) -> str:
    return "\n\n".join(
        " ".join(rng.choice(_WORDS) for _ in range(rng.randint(18, 30))) + "."
        for _ in range(paragraphs)
    )


@st.composite
def reports(draw: st.DrawFn) -> str:
    return _report(random.Random(draw(st.integers(0, 10_000))))


def test_dedup_exact_ignores_case_and_spacing() -> None:
    assert content_hash("The  Mayor said: yes.") == content_hash("the mayor said yes")


@given(reports(), st.integers(0, 3), st.integers(0, 10_000))
def test_dedup_reprint_is_duplicate(text: str, edit: int, seed: int) -> None:
    rng = random.Random(seed)
    paragraphs = text.split("\n\n")
    if edit == 0:
        paragraphs = ["Subscribe to our newsletter for more local news today.", *paragraphs]
    elif edit == 1:
        paragraphs = paragraphs[:5]
    elif edit == 2:
        rng.shuffle(paragraphs)
    else:
        words = " ".join(paragraphs).split()
        for _ in range(3):
            words[rng.randrange(len(words))] = "changed"
        paragraphs = [" ".join(words)]
    reprint = "\n\n".join(paragraphs)
    origins = find_origins([_article("a", text), _article("b", reprint)])
    assert origins.article_origin["a"] == origins.article_origin["b"]


def test_dedup_different_reports_are_not_duplicates() -> None:
    rng = random.Random(3)
    groups = find_duplicates([_article("a", _report(rng)), _article("b", _report(rng))])
    assert groups == ()


def test_dedup_origin_is_earliest_and_order_free() -> None:
    from datetime import datetime

    text = _report(random.Random(5))
    early = Article(
        id="z", source="z", outlet="x", title="", text=text, published=datetime(2022, 1, 1)
    )
    late = Article(
        id="a", source="a", outlet="x", title="", text=text, published=datetime(2022, 1, 2)
    )
    for order in ([early, late], [late, early]):
        origins = find_origins(order)
        assert origins.article_origin == {"z": "z", "a": "z"}
        assert origins.duplicates[0].kind == "exact"


def test_dedup_shared_passage_counts_once() -> None:
    wire = (
        "The decision to dispatch troops was a first for the regional security alliance, "
        "officials in the capital confirmed late on Thursday evening."
    )
    a = _article("a", _report(random.Random(1)) + "\n\n" + wire)
    b = _article(
        "b",
        _report(random.Random(2))
        + "\n\n"
        + wire.replace("dispatch troops", "despatch peacekeepers"),
    )
    origins = find_origins([a, b])
    assert origins.article_origin == {"a": "a", "b": "b"}
    assert len(origins.passages) == 1
    spans = origins.passages[0].spans
    assert {s.article_id for s in spans} == {"a", "b"}
    assert origins.origin_of(spans[0]) == origins.origin_of(spans[1])
    other = Span(article_id="a", start=0, end=10)
    assert origins.origin_of(other) == "a"


def test_dedup_seeds_share_wire_sentences(seeds_dir: Path) -> None:
    articles = [
        _article(p.stem, p.read_text(encoding="utf-8")) for p in sorted(seeds_dir.glob("*.txt"))
    ]
    origins = find_origins(articles)
    assert origins.duplicates == ()  # three outlets, three reports
    texts = {a.id: a.text for a in articles}
    shared = [" | ".join(s.text_of(texts[s.article_id]) for s in p.spans) for p in origins.passages]
    assert any("Blinken" in s for s in shared)
    assert any("a first for the Moscow-led Collective Security Treaty" in s for s in shared)


@pytest.mark.slow
def test_dedup_quality_floor_on_reprints() -> None:
    from newsprism.evaluate.dedup import CopyJudge, build_benchmark

    root = data_path("ecbplus").parent
    articles, base, events = build_benchmark(root, reprints=200, seed=11)
    groups = find_duplicates(articles)
    flagged = {tuple(sorted(p)) for g in groups for p in _pairs(g.article_ids)}
    truth = {tuple(sorted((r, o))) for r, o in base.items() if r != o}
    assert len(truth & flagged) / len(truth) >= 0.98
    # A flagged pair is right when both come from one original, or when the independent judge
    # (difflib alignment, no shingles) finds their originals already copies in the data.
    judge = CopyJudge({a.id: a.text for a in articles if base[a.id] == a.id})
    wrong = [p for p in flagged if base[p[0]] != base[p[1]] and not judge(base[p[0]], base[p[1]])]
    assert len(wrong) / len(flagged) <= 0.01
    assert not [p for p in wrong if p[0] in events and events[p[0]] == events.get(p[1])]


def test_dedup_short_reprint_wrapped_in_common_boilerplate_is_found() -> None:
    # The reprint keeps 60 % of a short report and adds two boilerplate lines that many other
    # articles of the batch also carry: on all words it is under half a copy, on content all.
    rng = random.Random(8)
    footer = "Sign up for the morning briefing and get every local headline in your inbox."
    header = "Our reporters bring you the news that matters to the whole region every day."
    others = [
        _article(f"o{i}", header + "\n\n" + _report(rng, 3) + "\n\n" + footer) for i in range(12)
    ]
    original = _report(rng, 5)
    trimmed = "\n\n".join(original.split("\n\n")[:3])
    reprint = "\n\n".join([header, trimmed, footer, header.replace("region", "county")])
    groups = find_duplicates([*others, _article("orig", original), _article("re", reprint)])
    assert [set(g.article_ids) for g in groups] == [{"orig", "re"}]


def test_dedup_two_excerpts_of_one_long_article_are_not_grouped() -> None:
    # A round-up quotes two different reports; each report is inside it, but they are not
    # copies of each other and must not end up in one group through the round-up.
    rng = random.Random(9)
    first, second = _report(rng, 4), _report(rng, 4)
    roundup = first + "\n\n" + second
    groups = find_duplicates(
        [_article("first", first), _article("second", second), _article("roundup", roundup)]
    )
    for group in groups:
        assert not {"first", "second"} <= set(group.article_ids)


@given(reports(), st.integers(0, 10_000))
def test_dedup_coverage_of_a_trimmed_copy_is_complete(text: str, seed: int) -> None:
    from newsprism.dedup.coverage import shingle_text

    paragraphs = text.split("\n\n")
    keep = random.Random(seed).randint(1, len(paragraphs))
    trimmed = shingle_text("\n\n".join(paragraphs[:keep]), 5)
    full = shingle_text(text, 5)
    assert trimmed.coverage(full.shingle_set) == 1.0
    assert 0.0 < full.coverage(trimmed.shingle_set) <= 1.0


def _pairs(ids: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]


def test_dedup_all_matches_public_names() -> None:
    import newsprism.dedup as module

    public = {n for n in dir(module) if not n.startswith("_")} - {"annotations"}
    modules = {n for n in public if type(getattr(module, n)).__name__ == "module"}
    assert public - modules == set(module.__all__)


def test_dedup_candidate_pairs_small_inputs_propose_every_pair() -> None:
    from newsprism.dedup.minhash import candidate_pairs

    sets = [{1, 2, 3}, set(), {4, 5}, {1, 2}]
    assert candidate_pairs(["a", "b", "c", "d"], sets, threshold=0.5, num_perm=64) == [
        (0, 2),
        (0, 3),
        (2, 3),
    ]


def test_dedup_candidate_pairs_large_inputs_use_lsh_and_find_the_copy() -> None:
    import random

    from newsprism.dedup.minhash import EXACT_BELOW, candidate_pairs

    rng = random.Random(42)
    sets = [set(rng.sample(range(10**6), 60)) for _ in range(EXACT_BELOW + 50)]
    sets[-1] = set(list(sets[3])[:55]) | {7, 8, 9, 10, 11}  # a light edit of item 3
    pairs = candidate_pairs([str(i) for i in range(len(sets))], sets, threshold=0.5, num_perm=128)
    assert (3, len(sets) - 1) in pairs
    assert len(pairs) < len(sets) * 2  # LSH proposes few pairs, not all of them

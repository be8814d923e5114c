"""Per-outlet coverage: unique facts and omitted corroborated facts."""

from __future__ import annotations

from newsprism.compare.align import align_claims
from newsprism.compare.coverage import compute_coverage
from newsprism.model import ClaimGroup, Span
from tests.summary_stories import DAM_STORY, own_origins, story


def _fact(fact_id: str, *article_ids: str, status: str = "corroborated") -> ClaimGroup:
    members = tuple(Span(article_id=a, start=0, end=5) for a in article_ids)
    return ClaimGroup(
        id=fact_id,
        text="words",
        members=members,
        status=status,  # type: ignore[arg-type]
        independent_sources=len(set(article_ids)),
    )


def test_coverage_unique_and_omits_by_hand():
    articles = story({"a": "First text here.", "b": "Second text here.", "c": "Third one."})
    facts = [
        _fact("f1", "a", "b", "c"),
        _fact("f2", "a", "b"),
        _fact("f3", "a", status="single_source"),
        _fact("f4", "c", status="single_source"),
        _fact("f5", "b", "c", status="disputed"),
    ]
    coverage = {c.article_id: c for c in compute_coverage(articles, facts)}
    assert coverage["a"].unique_facts == ("f3",)
    assert coverage["a"].omits == ("f5",)
    assert coverage["b"].unique_facts == ()
    assert coverage["b"].omits == ()
    assert coverage["c"].unique_facts == ("f4",)
    assert coverage["c"].omits == ("f2",)
    assert [c.article_id for c in compute_coverage(articles, facts)] == ["a", "b", "c"]
    assert coverage["a"].outlet == "a"


def test_coverage_on_aligned_story_is_consistent():
    articles = story(DAM_STORY)
    facts = align_claims(articles, own_origins(articles))
    coverage = compute_coverage(articles, facts)
    carriers = {f.id: {m.article_id for m in f.members} for f in facts}
    for entry in coverage:
        for fact_id in entry.unique_facts:
            assert carriers[fact_id] == {entry.article_id}
        for fact_id in entry.omits:
            assert entry.article_id not in carriers[fact_id] and len(carriers[fact_id]) >= 2
    # The farmers sentence is alpha's alone; the mayor's praise is beta's alone.
    alpha = next(c for c in coverage if c.article_id == "alpha")
    assert any("farmers" in next(f.text for f in facts if f.id == i) for i in alpha.unique_facts)
    gamma = next(c for c in coverage if c.article_id == "gamma")
    assert any("300 families" in next(f.text for f in facts if f.id == i) for i in gamma.omits)


def test_coverage_of_no_facts():
    articles = story({"a": "Only one sentence here."})
    assert compute_coverage(articles, [])[0].unique_facts == ()

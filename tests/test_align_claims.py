"""Claim alignment: groups on hand-written stories, invariants, permutation, the seeds."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newsprism.compare.align import align_claims, content_tokens
from newsprism.model import AnnotatedArticle, Origins
from tests.conftest import data_path
from tests.summary_stories import (
    DAM_STORY,
    annotate,
    group_sets,
    make_article,
    own_origins,
    story,
)

SENTENCES = [
    "Engineers opened the floodgates of the Varna river dam on Monday after heavy rain.",
    "The floodgates of the Varna river dam were opened by engineers on Monday after heavy rain.",
    "About 300 families living downstream were moved to school buildings.",
    "Some 300 families living downstream were moved into school buildings, officials said.",
    "The mayor praised the rescue teams for working through the night.",
    "Forecasters expect the rain to ease by the weekend.",
    "Local farmers complained that the warning came too late.",
    "The reservoir reached its highest level in forty years.",
]


def _group_of(facts, article_id: str, needle: str, articles: list[AnnotatedArticle]):
    text = {a.id: a.article.text for a in articles}
    for fact in facts:
        for member in fact.members:
            if (
                member.article_id == article_id
                and needle in text[article_id][member.start : member.end]
            ):
                return fact
    raise AssertionError(f"no group holds {needle!r} of {article_id}")


def test_align_groups_paraphrases_across_articles():
    articles = story(DAM_STORY)
    facts = align_claims(articles, own_origins(articles))
    floodgates = _group_of(facts, "alpha", "floodgates", articles)
    assert {m.article_id for m in floodgates.members} == {"alpha", "beta", "gamma"}
    assert floodgates.status == "corroborated"
    assert floodgates.independent_sources == 3
    families = _group_of(facts, "alpha", "300 families", articles)
    assert {m.article_id for m in families.members} == {"alpha", "beta"}
    reservoir = _group_of(facts, "alpha", "reservoir", articles)
    assert {m.article_id for m in reservoir.members} == {"alpha", "gamma"}


def test_align_keeps_unrelated_sentences_single_source():
    articles = story(DAM_STORY)
    facts = align_claims(articles, own_origins(articles))
    farmers = _group_of(facts, "alpha", "farmers", articles)
    assert farmers.members == (farmers.members[0],)
    assert farmers.status == "single_source"
    assert farmers.independent_sources == 1
    mayor = _group_of(facts, "beta", "mayor", articles)
    assert mayor.status == "single_source"


def test_align_every_sentence_in_exactly_one_group():
    articles = story(DAM_STORY)
    facts = align_claims(articles, own_origins(articles))
    members = [m for fact in facts for m in fact.members]
    assert len(members) == len(set(members)) == sum(len(a.sentences) for a in articles)
    assert {m for m in members} == {s.span for a in articles for s in a.sentences}


def test_align_ids_follow_first_appearance():
    articles = story(DAM_STORY)
    facts = align_claims(articles, own_origins(articles))
    assert [f.id for f in facts] == [f"f{n}" for n in range(1, len(facts) + 1)]
    # f1 holds the first sentence of the first article in canonical (id) order.
    assert any(m.article_id == "alpha" and m.start == 0 for m in facts[0].members)


def test_align_at_most_one_sentence_per_article_unless_repeated():
    text = (
        "The bridge over the Orel river reopened to traffic on Tuesday morning.\n\n"
        "The bridge over the Orel river reopened to traffic on Tuesday morning.\n\n"
        "Repairs to the old bridge cost the city four million euros in total."
    )
    other = "Traffic returned to the Orel river bridge on Tuesday morning after it reopened."
    articles = [annotate(make_article("a", text)), annotate(make_article("b", other))]
    facts = align_claims(articles, own_origins(articles))
    bridge = _group_of(facts, "a", "reopened", articles)
    per_article = [m.article_id for m in bridge.members]
    assert per_article.count("a") == 2  # the article repeats itself word for word
    for fact in facts:
        ids = [m.article_id for m in fact.members]
        texts = {
            articles[0].article.text[m.start : m.end] for m in fact.members if m.article_id == "a"
        }
        assert ids.count("a") <= 1 or len(texts) == 1


def test_align_wire_copies_count_as_one_source():
    articles = story(DAM_STORY)
    origins = Origins(article_origin={"alpha": "wire", "beta": "wire", "gamma": "gamma"})
    facts = align_claims(articles, origins)
    floodgates = _group_of(facts, "alpha", "floodgates", articles)
    assert floodgates.independent_sources == 2
    assert floodgates.status == "corroborated"


def test_align_representative_text_is_a_member():
    articles = story(DAM_STORY)
    texts = {a.id: a.article.text for a in articles}
    for fact in align_claims(articles, own_origins(articles)):
        assert fact.text in {texts[m.article_id][m.start : m.end] for m in fact.members}


def test_align_without_vectors_falls_back_to_words():
    articles = [
        AnnotatedArticle(article=a.article, sentences=a.sentences) for a in story(DAM_STORY)
    ]
    facts = align_claims(articles, own_origins(articles))
    assert sum(len(f.members) for f in facts) == sum(len(a.sentences) for a in articles)


def test_align_empty_story():
    assert align_claims([], Origins(article_origin={})) == ()


def test_content_tokens_drop_stopwords_and_fold_plurals():
    assert content_tokens("The troops of the CSTO's forces") == {"troop", "csto", "force"}


@st.composite
def stories(draw):
    count = draw(st.integers(min_value=1, max_value=4))
    texts = {}
    for number in range(count):
        chosen = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=5))
        texts[f"art{number}"] = "\n\n".join(chosen)
    return texts


@given(stories(), st.randoms(use_true_random=False))
def test_align_is_independent_of_input_order(texts, rnd):
    articles = story(texts)
    shuffled = list(articles)
    rnd.shuffle(shuffled)
    first = align_claims(articles, own_origins(articles))
    second = align_claims(shuffled, own_origins(articles))
    assert first == second
    assert group_sets(first) == group_sets(second)


@given(stories())
def test_align_partitions_sentences_and_spans_fit(texts):
    articles = story(texts)
    facts = align_claims(articles, own_origins(articles))
    by_id = {a.id: a.article.text for a in articles}
    members = [m for f in facts for m in f.members]
    assert sorted(members) == sorted(s.span for a in articles for s in a.sentences)
    for m in members:
        assert 0 <= m.start < m.end <= len(by_id[m.article_id])
    for fact in facts:
        carriers = {m.article_id for m in fact.members}
        assert (fact.status == "corroborated") == (len(carriers) >= 2)


def _seed_articles() -> list[AnnotatedArticle]:
    folder = data_path("seeds")
    return [
        annotate(make_article(path.name[:3], path.read_text(encoding="utf-8")), real=True)
        for path in sorted(Path(folder).glob("*.txt"))
    ]


def test_align_seeds_blinken_is_one_corroborated_group_of_three():
    articles = _seed_articles()
    facts = align_claims(articles, own_origins(articles))
    blinken = [
        f
        for f in facts
        if any(
            "Russians are in your house" in s.text
            for a in articles
            for s in a.sentences
            if s.span in f.members
        )
    ]
    assert len(blinken) == 1
    assert {m.article_id for m in blinken[0].members} == {"000", "002", "003"}
    assert blinken[0].status == "corroborated"
    assert blinken[0].independent_sources == 3
    colour = _group_of(facts, "000", "colour revolutions", articles)
    assert {m.article_id for m in colour.members} == {"000", "002", "003"}

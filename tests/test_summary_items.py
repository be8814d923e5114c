"""The extractive cited summary and the headline: hand-written stories and properties."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from newsprism.brief.headline import choose_headline
from newsprism.brief.summary import is_summary_worthy, summarize
from newsprism.compare.align import align_claims
from newsprism.model import AnnotatedArticle
from tests.summary_stories import DAM_STORY, annotate, make_article, own_origins, story

POOL = [
    "Engineers opened the floodgates of the Varna river dam on Monday after heavy rain.",
    "The floodgates of the Varna river dam were opened by engineers on Monday after heavy rain.",
    "About 300 families living downstream were moved to school buildings overnight.",
    "Some 300 families living downstream were moved into school buildings, officials said.",
    "The mayor praised the rescue teams for working through the night without any rest.",
    "Forecasters expect the rain to ease by the weekend across the whole region.",
    "Local farmers complained that the warning came far too late for their livestock.",
    "The reservoir reached its highest level in forty years, the water authority said.",
    "Is the dam safe?",
    '"We are ready for anything."',
    "Short one.",
]


def _text_of(articles: list[AnnotatedArticle]) -> dict[str, str]:
    return {a.id: a.article.text for a in articles}


def _summary(articles: list[AnnotatedArticle], **kwargs):
    return summarize(articles, align_claims(articles, own_origins(articles)), **kwargs)


def test_summary_items_are_exact_source_sentences_citing_every_carrier():
    articles = story(DAM_STORY)
    facts = align_claims(articles, own_origins(articles))
    items = summarize(articles, facts)
    texts = _text_of(articles)
    assert items
    for item in items:
        first = item.citations[0]
        assert texts[first.article_id][first.start : first.end] == item.text
        fact = next(f for f in facts if first in f.members)
        assert set(item.citations) == set(fact.members)
    # The floodgates claim is carried by all three outlets: it leads and cites all three.
    assert "floodgates" in items[0].text
    assert {c.article_id for c in items[0].citations} == {"alpha", "beta", "gamma"}


def test_summary_is_not_redundant():
    articles = story(DAM_STORY)
    facts = align_claims(articles, own_origins(articles))
    items = summarize(articles, facts)
    groups = [next(f.id for f in facts if item.citations[0] in f.members) for item in items]
    assert len(groups) == len(set(groups))
    assert sum("floodgates" in item.text for item in items) == 1
    assert sum("300 families" in item.text for item in items) == 1


def test_summary_skips_questions_bare_quotes_and_short_sentences():
    articles = story(DAM_STORY)
    texts = {item.text for item in _summary(articles, max_words=500)}
    assert "Is the dam safe?" not in texts
    assert '"We are ready."' not in texts
    assert is_summary_worthy("Is the dam safe after all the rain that fell this week?") is False
    assert is_summary_worthy('"We are ready for anything that comes our way today."') is False
    assert is_summary_worthy('"We are ready for anything," the mayor told reporters on Monday.')
    assert is_summary_worthy("Too short to say much.") is False


def test_summary_respects_word_budget():
    articles = story(DAM_STORY)
    for budget in (20, 40, 80):
        items = _summary(articles, max_words=budget)
        assert sum(len(item.text.split()) for item in items) <= budget
    assert len(_summary(articles, max_words=500)) > len(_summary(articles, max_words=40))


def test_summary_default_length_is_bounded():
    long_story = {
        f"o{n}": "\n\n".join(
            f"Outlet {n} reports that event number {k} of the long festival drew large and cheerful crowds downtown."
            for k in range(12)
        )
        for n in range(3)
    }
    items = _summary(story(long_story))
    assert 1 <= len(items) <= 8
    assert sum(len(i.text.split()) for i in items) <= 150 + 30


def test_summary_reading_order_puts_leads_first():
    articles = story(DAM_STORY)
    items = _summary(articles, max_words=500)
    by_id = {a.id: a for a in articles}
    positions = []
    for item in items:
        span = item.citations[0]
        worthy = [s for s in by_id[span.article_id].sentences if is_summary_worthy(s.text)]
        positions.append(next(n for n, s in enumerate(worthy) if s.span == span))
    assert positions[0] == 0
    assert positions == sorted(positions)


def test_summary_of_empty_story():
    assert summarize([], []) == ()
    only_short = [annotate(make_article("x", "Too short.\n\nAlso short."))]
    assert summarize(only_short, []) == ()


def test_headline_prefers_the_shared_title():
    texts = dict(DAM_STORY)
    articles = [
        annotate(
            make_article(
                "alpha", texts["alpha"], "Engineers open Varna dam floodgates after heavy rain"
            )
        ),
        annotate(make_article("beta", texts["beta"], "Mayor thanks night crews")),
        annotate(make_article("gamma", texts["gamma"], "AA")),
    ]
    facts = align_claims(articles, own_origins(articles))
    assert (
        choose_headline(articles, facts) == "Engineers open Varna dam floodgates after heavy rain"
    )


def test_headline_without_titles_is_a_lead_sentence():
    articles = story(DAM_STORY)
    headline = choose_headline(articles, align_claims(articles, own_origins(articles)))
    leads = {a.sentences[0].text for a in articles}
    assert headline in leads
    assert choose_headline([], []) == ""


@st.composite
def stories(draw):
    count = draw(st.integers(min_value=1, max_value=4))
    texts = {}
    for number in range(count):
        chosen = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=6))
        texts[f"art{number}"] = "\n\n".join(chosen)
    return texts


@given(stories(), st.sampled_from([None, 15, 60]))
def test_summary_items_are_source_text_and_citations_fit(texts, budget):
    articles = story(texts)
    source = _text_of(articles)
    for item in _summary(articles, max_words=budget):
        first = item.citations[0]
        assert source[first.article_id][first.start : first.end] == item.text
        for span in item.citations:
            assert 0 <= span.start < span.end <= len(source[span.article_id])


@given(stories(), st.randoms(use_true_random=False))
def test_summary_and_headline_do_not_depend_on_input_order(texts, rnd):
    articles = story(texts)
    shuffled = list(articles)
    rnd.shuffle(shuffled)
    origins = own_origins(articles)
    first, second = align_claims(articles, origins), align_claims(shuffled, origins)
    assert summarize(articles, first) == summarize(shuffled, second)
    assert summarize(articles, first, max_words=40) == summarize(shuffled, second, max_words=40)
    assert choose_headline(articles, first) == choose_headline(shuffled, second)


def test_headline_rejects_page_furniture_and_leads():
    texts = dict(DAM_STORY)
    furniture = [
        "Tweet with a location",
        "Article Excerpt",
        "Dow Jones Reprints: This copy is for your personal, non-commercial use only.",
        "Image copyright Getty Images Image caption Rescue teams",
        "VARNA DAM FLOODGATES",  # an ALL-CAPS kicker
        "Monday, March 4, 2024",  # a date line
        "Play Facebook",
        "Add a location to your Tweets",
        "VARNA, Bulgaria |",  # cut off at a separator
        texts["alpha"],  # a whole lead pasted as the title
        # two sentences: a quote, not a headline
        "“We lost everything,” a farmer said. “The water came at night.”",
        "Rescue teams at the Varna dam (Photo: Getty Images)",  # a caption with its credit
        "Rescue teams at the Varna dam REUTERS/Jane Doe",
        "Ivan Petrov, 54, of Varna",  # a caption label
        "This video from the dam shows the floodgates open",  # a caption saying what it shows
        "Click to email this to a friend (Opens in new window)",
        "Image caption Engineers at the Varna dam on Monday",
    ]
    for title in furniture:
        articles = [
            annotate(make_article("alpha", texts["alpha"], title)),
            annotate(
                make_article("beta", texts["beta"], "Engineers open the Varna dam floodgates")
            ),
        ]
        facts = align_claims(articles, own_origins(articles))
        assert choose_headline(articles, facts) == "Engineers open the Varna dam floodgates", title


def test_headline_title_loses_its_bullet():
    texts = dict(DAM_STORY)
    articles = [annotate(make_article("alpha", texts["alpha"], "* Engineers open Varna dam"))]
    assert choose_headline(articles, []) == "Engineers open Varna dam"


def test_headline_lead_names_somebody_and_loses_a_heading_run_into_it():
    text = (
        "On the one hand, the water is rising, he said.\n\n\x97 "
        "FLOOD REPORT VARNA DAM Engineers opened the floodgates of the Varna dam on Monday."
    )
    articles = [annotate(make_article("alpha", text))]
    assert choose_headline(articles, []) == (
        "Engineers opened the floodgates of the Varna dam on Monday."
    )


def test_summary_and_headline_skip_captions():
    text = (
        "Engineers speak to reporters at the Varna dam, Tuesday, March 5, 2024.\n\n"
        "Engineers opened the floodgates of the Varna river dam on Monday after heavy rain."
    )
    item = replace(annotate(make_article("alpha", text)), captions=(0,))
    assert choose_headline([item], []).startswith("Engineers opened")
    assert all(not s.text.startswith("Engineers speak") for s in _summary([item]))


def test_summary_cites_leads_from_after_their_dateline():
    text = (
        "VARNA (Reuters) - Engineers opened the floodgates of the Varna river dam on Monday "
        "after heavy rain.\n\nAbout 300 families living downstream were moved to school "
        "buildings overnight."
    )
    articles = [annotate(make_article("alpha", text))]
    items = _summary(articles)
    lead = next(item for item in items if "floodgates" in item.text)
    assert lead.text.startswith("Engineers opened")
    first = lead.citations[0]
    assert text[first.start : first.end] == lead.text


def test_summary_takes_a_pronoun_opener_only_after_its_referent():
    text = (
        "The mayor praised the rescue teams for working through the night without any rest.\n\n"
        "Forecasters expect the rain to ease by the weekend across the whole region.\n\n"
        "They said the reservoir reached its highest level in forty years on Sunday."
    )
    articles = [annotate(make_article("alpha", text))]
    for budget in (16, 30, 60):
        texts = [item.text for item in _summary(articles, max_words=budget)]
        if any(t.startswith("They said") for t in texts):
            position = next(k for k, t in enumerate(texts) if t.startswith("They said"))
            assert any(t.startswith("Forecasters") for t in texts[:position]), texts
    assert len(_summary(articles, max_words=60)) == 3  # with room, it comes after its referent


def test_headline_from_a_lead_skips_furniture_and_datelines():
    text = (
        "EMBED More News Videos Engineers at the Varna river dam.\n\n"
        "VARNA (Reuters) - Engineers opened the floodgates of the Varna dam on Monday."
    )
    articles = [annotate(make_article("alpha", text))]
    headline = choose_headline(articles, align_claims(articles, own_origins(articles)))
    assert headline == "Engineers opened the floodgates of the Varna dam on Monday."

"""Figure disagreements: interval properties (hypothesis), hand-made stories, and the seeds."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.compare.disagreements import Interval, find_disagreements, judge
from newsprism.data.hedges import OPEN_HIGH, OPEN_LOW, PREFIX_HEDGES, interval
from newsprism.model import AnnotatedArticle, Article, DateMention, Quantity, Sentence, Span
from tests.conftest import data_path

values = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
rules = st.sampled_from(sorted({rule.rule for rule in PREFIX_HEDGES.values()} | {"exact"}))


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    value = draw(values)
    hedge = draw(st.sampled_from(sorted(PREFIX_HEDGES)))
    rule = PREFIX_HEDGES[hedge]
    low, high = interval(value, rule.rule)
    return Interval(
        low=low,
        high=high,
        stated=(value,),
        open_low=rule.qualifier in OPEN_LOW,
        open_high=rule.qualifier in OPEN_HIGH,
    )


@given(values, rules)
def test_disagreements_exact_value_lies_in_its_own_interval(value, rule):
    low, high = interval(value, rule)
    assert low <= value <= high


@given(intervals(), intervals())
def test_disagreements_incompatible_is_symmetric(a, b):
    assert (judge(a, b) == "incompatible") == (judge(b, a) == "incompatible")
    assert judge(a, b) == judge(b, a)


@given(intervals(), intervals(), st.floats(0, 1e6), st.floats(0, 1e6))
def test_disagreements_widening_never_makes_differing_incompatible(a, b, down, up):
    if judge(a, b) != "differing":
        return
    wider = Interval(
        low=max(0.0, a.low - down),
        high=a.high + up,
        stated=a.stated,
        open_low=False,
        open_high=False,
    )
    assert judge(wider, b) != "incompatible"


def test_disagreements_touching_open_end_is_disjoint():
    almost = Interval(low=9000, high=10000, stated=(10000,), open_high=True)
    at_least = Interval(low=10000, high=math.inf, stated=(10000,))
    assert judge(almost, at_least) == "incompatible"
    exact = Interval(low=10000, high=10000, stated=(10000,))
    assert judge(exact, at_least) is None


def test_disagreements_opposite_bounds_meeting_in_one_value_differ():
    """A hedge flip ("up to 60" against "at least 60"): both hold only if the figure is 60."""
    up_to = Interval(low=0, high=60, stated=(60,))
    at_least = Interval(low=60, high=math.inf, stated=(60,))
    assert judge(up_to, at_least) == "differing"
    assert judge(at_least, up_to) == "differing"
    assert judge(Interval(low=60, high=60, stated=(60,)), up_to) is None  # 60 is "up to 60"
    assert judge(up_to, Interval(low=0, high=60, stated=(60,))) is None


@pytest.mark.parametrize(
    ("text", "figure", "partial"),
    [
        ("more than a dozen men, including five who were teens, came forward", "a dozen", False),
        ("more than a dozen men, including five who were teens, came forward", "five", True),
        ("Twelve people were hurt, of whom 5 died.", "Twelve", False),
        ("Twelve people were hurt, of whom 5 died.", "5", True),
        ("Two people died at the scene.", "Two", True),
        ("Five of them were children.", "Five", True),
        ("Five children were hurt.", "Five", False),
    ],
)
def test_disagreements_subset_cues_mark_the_figure_they_govern(text, figure, partial):
    """The total before "including" is a total; the figure after it is part of it."""
    from newsprism.compare.disagreements import _is_partial

    start = text.index(figure)
    span = Span(article_id="a", start=start, end=start + len(figure))
    assert _is_partial(text, span) is partial


def _article(article_id: str, text: str, quantities: list[dict], published=None):
    article = Article(
        id=article_id,
        source=article_id,
        outlet=article_id,
        title="",
        text=text,
        published=published,
    )
    sentence = Sentence(
        span=Span(article_id=article_id, start=0, end=len(text)), text=text, index=0, paragraph=0
    )
    qs = []
    for q in quantities:
        start = text.index(q["text"])
        qs.append(
            Quantity(
                span=Span(article_id=article_id, start=start, end=start + len(q["text"])),
                sentence=0,
                kind=q.get("kind", "count"),
                **{k: v for k, v in q.items() if k != "kind"},
            )
        )
    return AnnotatedArticle(article=article, sentences=(sentence,), quantities=tuple(qs))


def _q(text, value, low, high, qualifier, unit, event, kind="count"):
    return dict(
        text=text,
        value=value,
        low=low,
        high=high,
        qualifier=qualifier,
        unit=unit,
        event=event,
        kind=kind,
    )


def test_disagreements_kinds_units_and_later_reports():
    a = _article(
        "a",
        "Police detained almost 10,000 people in the unrest.",
        [_q("almost 10,000", 10000, 9000, 10000, "almost", "people", "detain")],
        published=datetime(2022, 1, 10),
    )
    b = _article(
        "b",
        "Police detained at least 12,000 people in the unrest.",
        [_q("at least 12,000", 12000, 12000, math.inf, "at least", "people", "detain")],
        published=datetime(2022, 1, 12),
    )
    c = _article(
        "c",
        "Police detained 12 journalists in the unrest.",
        [_q("12", 12, 12, 12, "exact", "journalists", "detain")],
        published=datetime(2022, 1, 12),
    )
    found = find_disagreements([a, b, c])
    assert len(found) == 1  # journalists are not people-in-general: never compared
    (d,) = found
    assert d.kind == "incompatible" and d.field == "number"
    assert {claim.value for claim in d.claims} == {"almost 10,000", "at least 12,000"}
    assert d.note is not None and d.note.startswith("later report")
    for claim, art in zip(d.claims, (a, b), strict=True):
        assert art.article.text[claim.span.start : claim.span.end] == claim.value


def test_disagreements_kinds_never_mix_and_agreement_is_silent():
    a = _article(
        "a",
        "The pullout will take 10 days.",
        [_q("10 days", 10, 10, 10, "exact", "days", "withdraw", "duration")],
    )
    b = _article(
        "b",
        "The pullout will take no more than 10 days.",
        [_q("no more than 10 days", 10, 0, 10, "up to", "days", "withdrawal", "duration")],
    )
    c = _article(
        "c",
        "The pullout will take 10 people.",
        [_q("10 people", 10, 10, 10, "exact", "people", "withdraw")],
    )
    assert find_disagreements([a, b, c]) == ()


def test_disagreements_increments_are_left_alone():
    a = _article(
        "a",
        "Two soldiers were killed. Two more soldiers were killed later.",
        [_q("Two", 2, 2, 2, "exact", "soldiers", "kill")],
    )
    more = a.article.text.index("Two more")
    q2 = Quantity(
        span=Span(article_id="a", start=more, end=more + 3),
        text="Two",
        value=2,
        low=2,
        high=2,
        qualifier="exact",
        unit="soldiers",
        event="kill",
        sentence=0,
    )
    a = AnnotatedArticle(article=a.article, sentences=a.sentences, quantities=(*a.quantities, q2))
    b = _article(
        "b",
        "Four soldiers were killed. Two soldiers were killed.",
        [_q("Four", 4, 4, 4, "exact", "soldiers", "kill")],
    )
    assert find_disagreements([a, b]) == ()


@pytest.fixture(scope="module")
def seed_disagreements():
    from newsprism.annotate.annotator import annotate_articles
    from newsprism.settings import Settings
    from tests.conftest import shared_models

    folder: Path = data_path("seeds")
    articles = [
        Article(id=p.stem[:3], source=str(p), outlet=p.stem[:3], title="", text=p.read_text())
        for p in sorted(folder.glob("*.txt"))
    ]
    models = shared_models()
    settings = Settings(annotators=("quantities", "dates", "vectors"))
    annotated = annotate_articles(articles, models=models, settings=settings)
    return find_disagreements(annotated, models.embedder)


def _find(found, first: str, second: str):
    for d in found:
        values = {c.value.lower() for c in d.claims}
        if first in values and second in values:
            return d
    raise AssertionError(f"no disagreement between {first!r} and {second!r} in {found}")


def test_disagreements_seeds_end_to_end(seed_disagreements):
    troops = _find(seed_disagreements, "about 2,500", "over 2,000")
    assert troops.kind == "differing"
    detained = _find(seed_disagreements, "almost 10,000", "at least 12,000")
    assert detained.kind == "incompatible"
    assert len(seed_disagreements) <= 4  # the two above, at most two spurious
    durations = [d for d in seed_disagreements if any("days" in c.value for c in d.claims)]
    assert durations == []  # "10 days" and "no more than 10 days" agree


def test_disagreements_rounding_band_of_unhedged_figures():
    from newsprism.data.hedges import rounding_band

    assert rounding_band("3.7 million", 3.7e6) == pytest.approx(50_000)
    assert rounding_band("12,000", 12_000) == pytest.approx(500)
    assert rounding_band("$972,815", 972_815) == 0.0
    assert rounding_band("25", 25) == 0.0
    # never wider than "about": "10,000" is 9,000-11,000 at most, not 5,000-15,000
    assert rounding_band("10,000", 10_000) == pytest.approx(1_000)


def _vectors(article: AnnotatedArticle, rows: list[list[float]]) -> AnnotatedArticle:
    import numpy as np

    matrix = np.asarray(rows, dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return AnnotatedArticle(
        article=article.article,
        sentences=article.sentences,
        quantities=article.quantities,
        sentence_vectors=matrix,
    )


def test_disagreements_a_rounding_differs_and_is_not_incompatible():
    a = _article(
        "a",
        "The city has 3.7 million residents, the census said.",
        [_q("3.7 million", 3.7e6, 3.7e6, 3.7e6, "exact", "residents", "have")],
    )
    b = _article(
        "b",
        "The city has 3,712,000 residents, the census said.",
        [_q("3,712,000", 3.712e6, 3.712e6, 3.712e6, "exact", "residents", "have")],
    )
    c = _article(
        "c",
        "The city has 4.1 million residents, the census said.",
        [_q("4.1 million", 4.1e6, 4.1e6, 4.1e6, "exact", "residents", "have")],
    )
    (near,) = find_disagreements([a, b])
    assert near.kind == "differing"
    (far,) = find_disagreements([a, c])
    assert far.kind == "incompatible"


def test_disagreements_aligned_sentences_pair_figures_across_event_verbs():
    a = _article(
        "a",
        "The county will seek $972,815 from the company for the spill.",
        [_q("$972,815", 972_815, 972_815, 972_815, "exact", "dollars", "seek", "money")],
    )
    b = _article(
        "b",
        "The spill cost the county $972,814, officials told the company.",
        [_q("$972,814", 972_814, 972_814, 972_814, "exact", "dollars", "cost", "money")],
    )
    aligned = [_vectors(a, [[1.0, 0.1]]), _vectors(b, [[1.0, 0.2]])]
    (found,) = find_disagreements(aligned)
    assert found.kind == "incompatible"
    assert {c.value for c in found.claims} == {"$972,815", "$972,814"}
    # the same figures in sentences that say different things are not weighed
    unrelated = [_vectors(a, [[1.0, 0.0]]), _vectors(b, [[0.3, 1.0]])]
    assert find_disagreements(unrelated) == ()


def test_disagreements_aligned_sentences_need_one_figure_per_unit():
    a = _article(
        "a",
        "Turnout rose from 52% to 61% in the state.",
        [
            _q("52%", 52, 52, 52, "exact", "percent", None, "percent"),
            _q("61%", 61, 61, 61, "exact", "percent", None, "percent"),
        ],
    )
    b = _article(
        "b",
        "Turnout in the state rose to 61% from 52%.",
        [
            _q("61%", 61, 61, 61, "exact", "percent", None, "percent"),
            _q("52%", 52, 52, 52, "exact", "percent", None, "percent"),
        ],
    )
    assert find_disagreements([_vectors(a, [[1.0, 0.0]]), _vectors(b, [[1.0, 0.05]])]) == ()


def test_disagreements_figures_without_an_event_pair_only_in_aligned_sentences():
    a = _article(
        "a",
        "A crowd of about 2,500 protesters gathered downtown on Friday.",
        [_q("about 2,500", 2500, 2250, 2750, "about", "protesters", None)],
    )
    b = _article(
        "b",
        "A crowd of over 4,000 protesters gathered downtown on Friday.",
        [_q("over 4,000", 4000, 4000, math.inf, "over", "protesters", None)],
    )
    (found,) = find_disagreements([_vectors(a, [[1.0, 0.0]]), _vectors(b, [[1.0, 0.1]])])
    assert found.kind == "incompatible"
    assert find_disagreements([_vectors(a, [[1.0, 0.0]]), _vectors(b, [[0.2, 1.0]])]) == ()


def test_disagreements_aligned_sentences_with_far_apart_values_share_only_a_topic():
    a = _article(
        "a",
        "He owned nearly $1 billion worth of the stock.",
        [_q("nearly $1 billion", 1e9, 9e8, 1e9, "almost", "dollars", None, "money")],
    )
    b = _article(
        "b",
        "He has a net worth of about $2.5bn.",
        [_q("about $2.5bn", 2.5e9, 2.25e9, 2.75e9, "about", "dollars", None, "money")],
    )
    assert find_disagreements([_vectors(a, [[1.0, 0.0]]), _vectors(b, [[1.0, 0.1]])]) == ()


@pytest.mark.parametrize("figure", ["150", "450", "600", "900", "1,500"])
def test_disagreements_same_claim_figures_differ_at_any_ratio(figure: str) -> None:
    """Claims the judge finds the same, figures aside, disagree on the figure at any ratio
    (x0.5 to x5 here), through the real annotators; an equal figure is no disagreement."""
    from newsprism.annotate.annotator import annotate_articles
    from tests.conftest import shared_models

    texts = {
        "a": "The fire destroyed about 300 homes in the hills above the town, officials said "
        "on Tuesday. Residents were told to stay indoors.",
        "b": f"The blaze razed {figure} homes in the hills above the town, officials said "
        "Tuesday. Schools closed for the day.",
    }
    models = shared_models()
    articles = [Article(id=k, source=k, outlet=k, title="", text=t) for k, t in texts.items()]
    found = find_disagreements(annotate_articles(articles, models=models), models.embedder)
    assert [sorted(c.value for c in d.claims) for d in found] == [sorted(["about 300", figure])]


def test_disagreements_same_claim_same_figure_is_silent() -> None:
    from newsprism.annotate.annotator import annotate_articles
    from tests.conftest import shared_models

    texts = {
        "a": "The fire destroyed 300 homes in the hills above the town, officials said.",
        "b": "The blaze razed 300 homes in the hills above the town, officials said Tuesday.",
    }
    models = shared_models()
    articles = [Article(id=k, source=k, outlet=k, title="", text=t) for k, t in texts.items()]
    assert find_disagreements(annotate_articles(articles, models=models), models.embedder) == ()


def test_disagreements_unresolved_days_split_no_figures():
    """Without a publication date, "Dec. 1" and "the 27th" are words each outlet picks for
    the news cycle, not periods: the figures beside them still count one thing. A year does
    split them ("121 cases in 2014" is not this year's count)."""

    def dated(article: AnnotatedArticle, words: str, value: str | None, precision: str):
        return _dated(article, words, value, value, precision)

    text_a = "Five children were injured in the blast on Dec. 1, police said."
    text_b = "Nine children were injured in the blast on the 27th, police said."
    a = _article("a", text_a, [_q("Five", 5, 5, 5, "exact", "children", "injure")])
    b = _article("b", text_b, [_q("Nine", 9, 9, 9, "exact", "children", "injure")])
    found = find_disagreements(
        [dated(a, "Dec. 1", None, "unknown"), dated(b, "the 27th", None, "unknown")]
    )
    assert [d.kind for d in found] == ["incompatible"]
    text_c = "Nine children were injured in the blast in 2014, police said."
    c = _article("c", text_c, [_q("Nine", 9, 9, 9, "exact", "children", "injure")])
    dated_c = dated(c, "2014", "2014-01-01", "year")
    assert not find_disagreements([dated(a, "Dec. 1", None, "unknown"), dated_c])


@pytest.mark.parametrize(
    ("hedge_a", "rule_a", "hedge_b", "rule_b", "kind"),
    [
        ("at least", "at_least", "up to", "at_most", "differing"),
        ("more than", "more_than", "fewer than", "less_than", "incompatible"),
    ],
)
def test_disagreements_hedge_flips_on_one_value_are_found(hedge_a, rule_a, hedge_b, rule_b, kind):
    """The same value under opposite hedges: its own value is no second figure of the sentence."""
    from newsprism.data.hedges import PREFIX_HEDGES, interval

    def side(article_id: str, hedge: str, rule: str):
        text = f"Police said the gang murdered {hedge} 60 people in the region last year."
        low, high = interval(60, rule)
        qualifier = PREFIX_HEDGES[hedge].qualifier
        figure = _q(f"{hedge} 60", 60, low, high, qualifier, "people", "murder")
        return _article(article_id, text, [figure])

    [found] = find_disagreements([side("a", hedge_a, rule_a), side("b", hedge_b, rule_b)])
    assert found.kind == kind
    assert {c.value for c in found.claims} == {f"{hedge_a} 60", f"{hedge_b} 60"}


def _with_names(article: AnnotatedArticle, *names: str) -> AnnotatedArticle:
    from newsprism.model import EntityMention

    text = article.article.text
    mentions = []
    for name in names:
        start = text.index(name)
        span = Span(article_id=article.article.id, start=start, end=start + len(name))
        mentions.append(EntityMention(span=span, text=name, label="PERSON"))
    return replace(article, entities=tuple(mentions))


@pytest.mark.parametrize("shared_name", [True, False])
def test_disagreements_aligned_counts_pair_at_any_ratio_about_the_same_actors(shared_name):
    """A count of one named thing in aligned sentences about the same person pairs at 5x; with
    no name in common the far-apart values mean two scopes, not a conflict."""
    template = "Prosecutors said that {} men have accused {} of harassment over decades."
    a = _article(
        "a",
        template.format("more than 12", "Kevin Spacey"),
        [_q("more than 12", 12, 12, math.inf, "over", "men", None)],
    )
    other = "Spacey" if shared_name else "the director"
    b = _article(
        "b",
        template.format("more than 60", other),
        [_q("more than 60", 60, 60, math.inf, "over", "men", None)],
    )
    a = _with_names(a, "Kevin Spacey")
    b = _with_names(b, "Spacey") if shared_name else b
    found = find_disagreements([a, b])
    assert bool(found) is shared_name
    if shared_name:
        assert {c.value for c in found[0].claims} == {"more than 12", "more than 60"}


def _dated(article: AnnotatedArticle, words: str, value, end, precision) -> AnnotatedArticle:
    """*article* with one more date mention: *words* in its first sentence."""
    start = article.article.text.index(words)
    mention = DateMention(
        span=Span(article_id=article.article.id, start=start, end=start + len(words)),
        text=words,
        value=value,
        end=end,
        precision=precision,
        sentence=0,
    )
    return replace(article, dates=(*article.dates, mention))


@pytest.mark.parametrize("other_names_the_year", [True, False])
def test_disagreements_a_period_named_anywhere_in_the_other_sentence_is_the_same_time(
    other_names_the_year,
):
    """'In 2015, 4 million saw it' and '2 million came to see it ... in 2015' count one period;
    without the year in the other sentence the two are not comparable."""
    a = _article(
        "a",
        "In 2015, more than 4 million people saw the shroud of the cathedral in the city.",
        [_q("more than 4 million", 4e6, 4e6, math.inf, "over", "people", "see")],
    )
    a = _dated(a, "2015", "2015-01-01", "2015-12-31", "year")
    year = "in 2015" if other_names_the_year else "this time"
    text = (
        "More than 2 million people saw the shroud of the cathedral in the city during a "
        f"three-month display of the relic {year}."
    )
    b = _article(
        "b", text, [_q("More than 2 million", 2e6, 2e6, math.inf, "over", "people", "see")]
    )
    if other_names_the_year:
        b = _dated(b, "2015", "2015-01-01", "2015-12-31", "year")
    found = find_disagreements([a, b])
    assert bool(found) is other_names_the_year
    if found:
        assert {c.value for c in found[0].claims} == {"more than 4 million", "More than 2 million"}


@pytest.mark.parametrize(
    ("own", "other", "resolved", "one_rise"),
    [
        ("a year's", "2015", True, True),  # a year without a direction: any period
        ("last year's", "2015", True, False),  # unresolved but pointing: its own period
        ("last year's", "this year's", False, False),  # compared by their words
    ],
)
def test_disagreements_a_year_without_a_direction_splits_nothing(own, other, resolved, one_rise):
    """'a 20% pay rise for a year's work' and 'a 40% pay rise for 2015 work' count one rise:
    the vague year cannot be told apart from 2015. An unresolved 'last year' is a period of
    its own, which 2015 or 'this year' is not known to be."""
    words = "shareholders of the oil company gave the chief executive a {} pay rise for {} work"
    a = _article(
        "a", words.format("20%", own), [_q("20%", 20, 20, 20, None, "%", "give", "percent")]
    )
    a = _dated(a, own, None, None, "year")
    b = _article(
        "b", words.format("40%", other), [_q("40%", 40, 40, 40, None, "%", "give", "percent")]
    )
    b = _dated(b, other, *(("2015-01-01", "2015-12-31") if resolved else (None, None)), "year")
    found = find_disagreements([a, b])
    assert bool(found) is one_rise
    if found:
        assert {c.value for c in found[0].claims} == {"20%", "40%"}


def _sentences(article_id: str, parts: list[tuple[str, dict]]) -> AnnotatedArticle:
    """An article of one sentence per part, each holding its one figure."""
    text = " ".join(sentence for sentence, _ in parts)
    article = Article(id=article_id, source=article_id, outlet=article_id, title="", text=text)
    sentences, quantities, start = [], [], 0
    for index, (sentence, q) in enumerate(parts):
        span = Span(article_id=article_id, start=start, end=start + len(sentence))
        sentences.append(Sentence(span=span, text=sentence, index=index, paragraph=0))
        at = text.index(q["text"], start)
        quantities.append(
            Quantity(
                span=Span(article_id=article_id, start=at, end=at + len(q["text"])),
                sentence=index,
                kind=q.get("kind", "count"),
                **{k: v for k, v in q.items() if k != "kind"},
            )
        )
        start += len(sentence) + 1
    return AnnotatedArticle(
        article=article, sentences=tuple(sentences), quantities=tuple(quantities)
    )


def test_disagreements_a_subject_holds_one_figure_per_article():
    """Chains of pairings never put two figures of one article into one subject: 'the crash
    injured 12 passengers' pairs with one of the other outlet's two injury counts, not both."""
    a = _article(
        "a",
        "The ferry crash at the north pier injured 12 passengers on the morning crossing.",
        [_q("12", 12, 12, 12, None, "passengers", "injure")],
    )
    b = _sentences(
        "b",
        [
            (
                "The ferry crash at the north pier injured 30 passengers on the morning crossing.",
                _q("30", 30, 30, 30, None, "passengers", "injure"),
            ),
            (
                "A bus crash at the south depot injured 12 passengers on the evening route.",
                _q("12", 12, 12, 12, None, "passengers", "injure"),
            ),
        ],
    )
    for found in (find_disagreements([a, b]), find_disagreements([b, a])):
        for disagreement in found:
            articles = [c.span.article_id for c in disagreement.claims]
            assert len(articles) == len(set(articles)), disagreement


def test_disagreements_one_article_contradicts_itself_only_about_one_actor():
    """'Shell gave its chief 8%' and 'BP gave its chief a 20% rise' in one article are two
    matters, so the article's 20% still meets another outlet's 40% for BP."""
    a = _sentences(
        "a",
        [
            (
                "BP gave chief executive Bob Dudley a 20% pay rise despite the record loss.",
                _q("20%", 20, 20, 20, None, "%", "give", "percent"),
            ),
            (
                "Rival Shell gave its own chief a modest 8% bonus for the same period.",
                _q("8%", 8, 8, 8, None, "%", "give", "percent"),
            ),
        ],
    )
    a = _with_names(a, "Bob Dudley", "Shell")
    b = _article(
        "b",
        "BP gave chief executive Bob Dudley a 40% pay rise despite the record loss.",
        [_q("40%", 40, 40, 40, None, "%", "give", "percent")],
    )
    b = _with_names(b, "Bob Dudley")
    found = find_disagreements([a, b])
    assert [{c.value for c in d.claims} for d in found] == [{"20%", "40%"}]


@pytest.mark.parametrize("names", [("McCullough", "Rockford"), ("McCullough",)])
def test_disagreements_a_distance_between_the_same_named_places_at_any_ratio(names):
    """'40 miles' and '200 miles' in aligned sentences naming McCullough and Rockford are one
    distance at any ratio; with one shared name the far-apart values stay two measures."""
    words = "prosecutors say McCullough was {} from the abduction site in Rockford that evening"
    a = _article("a", words.format("40 miles"), [_q("40 miles", 40, 40, 40, None, "miles", None)])
    b = _article(
        "b", words.format("200 miles"), [_q("200 miles", 200, 200, 200, None, "miles", None)]
    )
    a, b = _with_names(a, "McCullough", "Rockford"), _with_names(b, *names)
    found = find_disagreements([a, b])
    assert bool(found) is (len(names) == 2)
    if found:
        assert {c.value for c in found[0].claims} == {"40 miles", "200 miles"}

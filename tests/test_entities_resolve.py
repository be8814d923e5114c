"""find_entities fixes on small texts, and resolve_entities on hand-built mentions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.annotate.entities import find_entities
from newsprism.compare.entities import resolve_entities
from newsprism.model import AnnotatedArticle, Article, EntityMention, Sentence, Span
from tests.conftest import shared_models


def _labels(text: str) -> dict[str, str]:
    return {m.text: m.label for m in find_entities(shared_models().need_nlp()(text), "t")}


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        (
            "Kazakh Deputy Defence Minister Mukhamedzhan Talasov told troops at a ceremony.",
            {"Mukhamedzhan Talasov": "PERSON", "Kazakh": "NORP"},
            {"Kazakh Deputy Defence", "Defence"},
        ),
        (
            "United States Secretary of State Antony Blinken spoke on Monday.",
            {"Antony Blinken": "PERSON", "United States": "GPE"},
            {"State", "Secretary of State"},
        ),
        (
            "Kazakh President Kassym-Jomart Tokayev visited the capital on Monday.",
            {"Kassym-Jomart Tokayev": "PERSON", "Kazakh": "NORP"},
            {"Kazakh President Kassym-Jomart Tokayev"},
        ),
        (
            "Russian Defence Minister Sergei Shoigu met Vladimir Putin. Later Putin spoke.",
            {"Sergei Shoigu": "PERSON", "Russian": "NORP", "Putin": "PERSON"},
            set(),
        ),
    ],
)
def test_entities_find_fixes(text: str, present: dict[str, str], absent: set[str]) -> None:
    labels = _labels(text)
    for name, label in present.items():
        assert labels.get(name) == label, (name, labels)
    assert not absent & set(labels)


def test_entities_find_keeps_only_named_types() -> None:
    labels = _labels("About 2,500 troops left Almaty on January 13, 2022, the first time.")
    assert set(labels.values()) <= {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"}
    assert labels.get("Almaty") == "GPE"


# --------------------------------------------------------------------- resolve_entities


def _article(article_id: str, text: str, names: list[tuple[str, str]]) -> AnnotatedArticle:
    """An annotated article whose entity mentions are the first occurrence of each name."""
    mentions: list[EntityMention] = []
    for name, label in names:
        for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            start, end = match.span()
            if not any(m.span.start < end and start < m.span.end for m in mentions):
                break
        else:
            raise AssertionError(f"{name!r} has no free occurrence in {text!r}")
        span = Span(article_id=article_id, start=start, end=end)
        mentions.append(EntityMention(span=span, text=name, label=label))
    article = Article(id=article_id, source=article_id, outlet=article_id, title="", text=text)
    sentence = Sentence(
        span=Span(article_id=article_id, start=0, end=len(text)), text=text, index=0, paragraph=0
    )
    return AnnotatedArticle(
        article=article,
        sentences=(sentence,),
        entities=tuple(sorted(mentions, key=lambda m: m.span)),
    )


STORY = [
    _article(
        "a",
        "Kazakhstan President Kassym-Jomart Tokayev asked the Collective Security Treaty "
        "Organisation (CSTO) for help. The CSTO is a Nato equivalent. Mr Tokayev agreed.",
        [
            ("Kazakhstan", "GPE"),
            ("Kassym-Jomart Tokayev", "PERSON"),
            ("CSTO", "ORG"),
            ("Nato", "ORG"),
            ("Tokayev", "PERSON"),
        ],
    ),
    _article(
        "b",
        "Tokayev praised the CSTO mission, a NATO-style force. Kazakh troops stayed home. "
        "The NATO alliance watched.",
        [("Tokayev", "PERSON"), ("CSTO", "ORG"), ("Kazakh", "NORP"), ("NATO", "ORG")],
    ),
    _article(
        "c",
        "President Tokayev met Hillary Clinton and Bill Clinton. Clinton spoke first, "
        "while Putin, who is Vladimir Putin, listened.",
        [
            ("Tokayev", "PERSON"),
            ("Hillary Clinton", "PERSON"),
            ("Bill Clinton", "PERSON"),
            ("Putin", "GPE"),
            ("Vladimir Putin", "PERSON"),
        ],
    ),
]


def _by_alias(alias: str) -> set[str]:
    return {e.id for e in resolve_entities(STORY) if alias in e.aliases}


def test_entities_resolve_people_and_titles() -> None:
    entities = resolve_entities(STORY)
    (tokayev,) = [e for e in entities if "Mr Tokayev" in e.aliases]
    assert tokayev.name == "Kassym-Jomart Tokayev"
    assert {"Tokayev", "President Tokayev", "Kassym-Jomart Tokayev"} <= set(tokayev.aliases)
    assert tokayev.article_ids == ("a", "b", "c")
    assert _by_alias("Putin") == _by_alias("Vladimir Putin")
    assert _by_alias("Hillary Clinton") != _by_alias("Bill Clinton")


def test_entities_resolve_acronym_written_once_and_case_variants() -> None:
    entities = resolve_entities(STORY)
    (csto,) = [e for e in entities if "CSTO" in e.aliases]
    assert csto.name == "Collective Security Treaty Organisation"
    assert csto.type == "ORG"
    assert _by_alias("Nato") == _by_alias("NATO")
    (kazakh,) = [e for e in entities if "Kazakh" in e.aliases]
    assert kazakh.type == "NORP"


@given(st.permutations(STORY))
def test_entities_resolve_is_order_independent(articles: list[AnnotatedArticle]) -> None:
    assert resolve_entities(articles) == resolve_entities(STORY)


NAMES = ["Anna Berg", "Berg", "Mr Berg", "Acme Widget Company", "AWC", "Acme", "Oslo"]


@st.composite
def stories(draw: st.DrawFn) -> list[AnnotatedArticle]:
    articles = []
    for number in range(draw(st.integers(1, 3))):
        picked = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5))
        filler = draw(st.sampled_from(["said", "met", "and", "(", "visited"]))
        text = f" {filler} ".join(picked) + "."
        labels = {"Oslo": "GPE", "Acme Widget Company": "ORG", "AWC": "ORG", "Acme": "ORG"}
        names = []
        for name in picked:
            if name.startswith("Mr "):
                names.append(("Berg", "PERSON"))
            else:
                names.append((name, labels.get(name, "PERSON")))
        articles.append(_article(f"x{number}", text, names))
    return articles


@given(stories(), st.randoms())
def test_entities_resolve_properties(articles: list[AnnotatedArticle], rnd: object) -> None:
    entities = resolve_entities(articles)
    shuffled = list(articles)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert resolve_entities(shuffled) == entities
    texts = {a.id: a.article.text for a in articles}
    for entity in entities:
        for alias in entity.aliases:
            assert any(re.search(re.escape(alias), texts[i]) for i in entity.article_ids)
    mentioned = sorted(m.span for a in articles for m in a.entities)
    assert sorted(s for e in entities for s in e.mentions) == mentioned

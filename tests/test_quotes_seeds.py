"""Quotes, speakers, quote groups and entities on the three seed articles (../shared/data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.annotate.entities import find_entities
from newsprism.annotate.quotes import find_quotes
from newsprism.annotate.sentences import split_sentences
from newsprism.compare.entities import resolve_entities
from newsprism.compare.quotes import group_quotes
from newsprism.model import AnnotatedArticle, Article, Entity
from tests.conftest import data_path, shared_models


@pytest.fixture(scope="module")
def seeds() -> dict[str, AnnotatedArticle]:
    nlp = shared_models().need_nlp()
    annotated = {}
    for path in sorted(Path(data_path("seeds")).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        article = Article(
            id=path.name[:3], source=str(path), outlet=path.name[:3], title="", text=text
        )
        doc = nlp(text)
        sentences = split_sentences(article)
        entities = find_entities(doc, article.id)
        annotated[article.id] = AnnotatedArticle(
            article=article,
            sentences=sentences,
            entities=entities,
            quotes=find_quotes(doc, sentences, entities, article),
        )
    return annotated


def _speaker_of(seed: AnnotatedArticle, words: str) -> tuple[str | None, str | None]:
    for quote in seed.quotes:
        if words in quote.text:
            span = quote.speaker_span
            mention = seed.article.text[span.start : span.end] if span else None
            return quote.speaker, mention
    raise AssertionError(f"no quote with {words!r} in {seed.id}")


@pytest.mark.parametrize(
    ("seed", "words", "speaker", "mention"),
    [
        ("000", "Thanks to your arrival", "Mukhamedzhan Talasov", "Mukhamedzhan Talasov"),
        ("000", "Once Russians are in your house", "Antony Blinken", "Mr Blinken"),
        ("000", "colour revolutions", "Vladimir Putin", "Vladimir Putin"),
        ("002", "collective peacekeeping forces", "Russia's defence ministry", None),
        ("002", "into the planes", "Russia's defence ministry", "the ministry"),
        ("002", "once Russians are in your house", "Antony Blinken", "Antony Blinken"),
        ("003", "The peacekeeping operation is over", "Andrei Serdyukov", "Andrei Serdyukov"),
        ("003", "We must come home. We\u2019ve completed our mission", "Vladimir Putin", "Putin"),
        ("003", "once Russians are in your house", "Antony Blinken", "Antony Blinken"),
        ("003", "could total $2-3 billion", "Kassym-Jomart Tokayev", "Tokayev"),
        ("003", "psychological importance", "Kassym-Jomart Tokayev", "Tokayev"),
    ],
)
def test_quotes_seeds_speakers(
    seeds: dict[str, AnnotatedArticle], seed: str, words: str, speaker: str, mention: str | None
) -> None:
    found_speaker, found_mention = _speaker_of(seeds[seed], words)
    assert found_speaker == speaker
    if mention is not None:
        assert found_mention == mention


def test_quotes_seeds_every_direct_quote_has_a_speaker(seeds: dict[str, AnnotatedArticle]) -> None:
    for seed in seeds.values():
        for quote in seed.quotes:
            if quote.kind == "direct":
                assert quote.speaker, quote.text


def test_quotes_seeds_partial_kinds(seeds: dict[str, AnnotatedArticle]) -> None:
    kinds = {q.text: q.kind for s in seeds.values() for q in s.quotes}
    assert kinds["colour revolutions"] == "partial"
    assert kinds["anti-terrorist operation"] == "partial"
    assert kinds["The peacekeeping operation is over"] == "direct"


def _entity(entities: tuple[Entity, ...], alias: str) -> Entity:
    matches = [e for e in entities if alias in e.aliases]
    assert len(matches) == 1, (alias, matches)
    return matches[0]


def test_quotes_seeds_blinken_is_one_group_in_three_outlets(
    seeds: dict[str, AnnotatedArticle],
) -> None:
    entities = resolve_entities(list(seeds.values()))
    groups, disagreements = group_quotes(list(seeds.values()), entities)
    blinken = [g for g in groups if "very difficult to get them to leave" in g.text]
    assert len(blinken) == 1
    assert {c.span.article_id for c in blinken[0].citations} == {"000", "002", "003"}
    assert blinken[0].speaker == "Antony Blinken"
    assert blinken[0].speaker_entity_id == _entity(entities, "Mr Blinken").id
    assert not any(v.altered for v in blinken[0].variants)
    assert disagreements == ()


def test_quotes_seeds_entities(seeds: dict[str, AnnotatedArticle]) -> None:
    entities = resolve_entities(list(seeds.values()))
    tokayev = _entity(entities, "Mr Tokayev")
    assert tokayev.name == "Kassym-Jomart Tokayev" and tokayev.type == "PERSON"
    assert {"Tokayev", "Kassym-Jomart Tokayev"} <= set(tokayev.aliases)
    assert set(tokayev.article_ids) == {"000", "002", "003"}
    csto = _entity(entities, "CSTO")
    assert "Collective Security Treaty Organisation" in csto.aliases
    assert _entity(entities, "Nato") is _entity(entities, "NATO")
    putin = _entity(entities, "Putin")
    assert putin.name == "Vladimir Putin" and putin.type == "PERSON"
    assert _entity(entities, "Kazakh").type == "NORP"
    assert _entity(entities, "Kazakh") is not tokayev
    talasov = _entity(entities, "Mukhamedzhan Talasov")
    assert talasov.type == "PERSON"
    texts = {a.id: a.article.text for a in seeds.values()}
    for entity in entities:
        for alias in entity.aliases:
            assert any(alias in texts[i] for i in entity.article_ids), alias
        for span in entity.mentions:
            assert texts[span.article_id][span.start : span.end] in entity.aliases

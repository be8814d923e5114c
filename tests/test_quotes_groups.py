"""group_quotes on hand-built quotes: variants, altered words, speaker disagreements."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsprism.compare.quotes import group_quotes, normalise_quote
from newsprism.model import AnnotatedArticle, Article, Entity, Quote, Span

FULL = "Once the lenders are at your door, it's sometimes very hard to make them go away"


def _story(quotes: dict[str, list[tuple[str, str]]]) -> list[AnnotatedArticle]:
    """Articles whose text is their quotes, each followed by ' said <speaker>.'"""
    articles = []
    for article_id, items in sorted(quotes.items()):
        text, found = "", []
        for words, speaker in items:
            start = len(text) + 1
            text += f'"{words}," said {speaker}. '
            speaker_start = text.index(speaker, start + len(words))
            found.append(
                Quote(
                    span=Span(article_id=article_id, start=start, end=start + len(words)),
                    text=words,
                    kind="direct",
                    speaker=speaker,
                    speaker_span=Span(
                        article_id=article_id,
                        start=speaker_start,
                        end=speaker_start + len(speaker),
                    ),
                    cue="said",
                    sentence=0,
                    speaker_how="named",  # ' said <speaker>' names the speaker
                )
            )
        article = Article(id=article_id, source=article_id, outlet=article_id, title="", text=text)
        articles.append(AnnotatedArticle(article=article, sentences=(), quotes=tuple(found)))
    return articles


def _entity(name: str, articles: list[AnnotatedArticle]) -> Entity:
    spans = tuple(
        q.speaker_span for a in articles for q in a.quotes if q.speaker == name and q.speaker_span
    )
    return Entity(
        id=f"e-{name}",
        name=name,
        type="PERSON",
        aliases=(name,),
        article_ids=tuple(sorted({s.article_id for s in spans})),
        mentions=spans,
    )


def test_quotes_group_trimmed_and_case_variants_are_one_group() -> None:
    story = _story(
        {
            "a": [(FULL, "Antony Blinken")],
            "b": [(FULL.lower().replace("it's", "it\u2019s"), "Antony Blinken")],
            "c": [("it's sometimes very hard to make them go away", "Antony Blinken")],
        }
    )
    groups, disagreements = group_quotes(story, [_entity("Antony Blinken", story)])
    assert len(groups) == 1 and disagreements == ()
    (group,) = groups
    assert group.text == FULL
    assert group.speaker == "Antony Blinken" and group.speaker_entity_id == "e-Antony Blinken"
    assert {c.span.article_id for c in group.citations} == {"a", "b", "c"}
    assert [(v.article_id, v.altered) for v in group.variants] == [("c", False)]


def test_quotes_group_altered_words_are_flagged() -> None:
    story = _story(
        {
            "a": [(FULL, "Antony Blinken")],
            "b": [(FULL.replace("very hard", "so hard"), "Antony Blinken")],
        }
    )
    (group,), _ = group_quotes(story, [_entity("Antony Blinken", story)])
    assert [(v.article_id, v.altered) for v in group.variants] == [("b", True)]


def test_quotes_group_same_words_different_speakers_disagree() -> None:
    story = _story({"a": [(FULL, "Antony Blinken")], "b": [(FULL, "Vladimir Putin")]})
    entities = [_entity("Antony Blinken", story), _entity("Vladimir Putin", story)]
    groups, disagreements = group_quotes(story, entities)
    assert len(groups) == 2
    (disagreement,) = disagreements
    assert disagreement.field == "speaker" and disagreement.kind == "incompatible"
    assert {c.value for c in disagreement.claims} == {"Antony Blinken", "Vladimir Putin"}


def test_quotes_group_surname_and_full_name_are_one_speaker() -> None:
    # Entity linking kept "Marr" apart from "Lissa Marr": still one person, not a conflict.
    story = _story({"a": [(FULL, "Lissa Marr")], "b": [(FULL, "Marr")]})
    entities = [_entity("Lissa Marr", story), _entity("Marr", story)]
    groups, disagreements = group_quotes(story, entities)
    assert disagreements == ()
    assert [(g.speaker, g.speaker_entity_id, len(g.citations)) for g in groups] == [
        ("Lissa Marr", "e-Lissa Marr", 2)
    ]


def test_quotes_group_surname_of_two_people_stays_apart() -> None:
    story = _story({"a": [(FULL, "Lissa Marr")], "b": [(FULL, "Tom Marr")], "c": [(FULL, "Marr")]})
    entities = [_entity(name, story) for name in ("Lissa Marr", "Tom Marr", "Marr")]
    _, disagreements = group_quotes(story, entities)
    (disagreement,) = disagreements
    assert {c.value for c in disagreement.claims} == {"Lissa Marr", "Tom Marr", "Marr"}


def test_quotes_group_short_fragment_does_not_swallow_sentences() -> None:
    story = _story({"a": [(FULL, "Antony Blinken")], "b": [("your door", "Antony Blinken")]})
    groups, _ = group_quotes(story, [_entity("Antony Blinken", story)])
    assert len(groups) == 2


@given(st.permutations(["a", "b", "c"]))
def test_quotes_group_is_order_independent(order: list[str]) -> None:
    story = _story(
        {
            "a": [(FULL, "Antony Blinken")],
            "b": [(FULL[5:], "Antony Blinken")],
            "c": [("We are leaving today", "Vladimir Putin")],
        }
    )
    by_id = {a.id: a for a in story}
    entities = [_entity("Antony Blinken", story), _entity("Vladimir Putin", story)]
    assert group_quotes([by_id[i] for i in order], entities) == group_quotes(story, entities)


def test_quotes_normalise() -> None:
    assert normalise_quote("It\u2019s over,  \u201cfolks\u201d!") == "its over folks"

"""Attribution discipline on sentences written for these tests: how a speaker was found,
placeholders, frames that give quoted words to someone else, quotes running over paragraphs,
and speaker disagreements only between speakers both outlets name."""

from __future__ import annotations

import pytest

from newsprism.annotate.entities import find_entities
from newsprism.annotate.quotes import find_quotes
from newsprism.annotate.sentences import split_sentences
from newsprism.compare.entities import resolve_entities
from newsprism.compare.quotes import group_quotes
from newsprism.model import AnnotatedArticle, Article, Quote
from tests.conftest import shared_models


def _annotate(article_id: str, text: str) -> AnnotatedArticle:
    article = Article(id=article_id, source=article_id, outlet=article_id, title="", text=text)
    doc = shared_models().need_nlp()(text)
    sentences = split_sentences(article)
    entities = find_entities(doc, article_id)
    return AnnotatedArticle(
        article=article,
        sentences=sentences,
        entities=entities,
        quotes=find_quotes(doc, sentences, entities, article),
    )


def _only_quote(text: str) -> tuple[Quote, str | None]:
    annotated = _annotate("t", text)
    assert len(annotated.quotes) == 1, annotated.quotes
    quote = annotated.quotes[0]
    span = quote.speaker_span
    return quote, text[span.start : span.end] if span else None


# (text, speaker, how, mention)
SPEAKERS = [
    pytest.param(
        "The statement from Dobson\u2019s attorney, William Reyes, said the charges were "
        "\u201cbaseless and cruel.\u201d",
        "William Reyes",
        "named",
        "William Reyes",
        id="statement-from-attorney-apposition",
    ),
    pytest.param(
        "\u201cWe did nothing wrong and we will prove it,\u201d said a statement issued by "
        "Karen Voss.",
        "Karen Voss",
        "named",
        "Karen Voss",
        id="statement-issued-by",
    ),
    pytest.param(
        "Nora Pike, a well-known analyst, wrote an article for a small website in 2013 that "
        "said the region was \u201crunning out of water.\u201d",
        "Nora Pike",
        "named",
        "Nora Pike",
        id="author-of-a-written-article",
    ),
    pytest.param(
        "Rob Dane lost his job in May.\n\n"
        "He released a letter from his former employer that called him \u201ca careless and "
        "reckless manager.\u201d",
        None,
        "placeholder",
        "a letter",
        id="released-letter-is-not-the-releasers-words",
    ),
    pytest.param(
        "Mayor Tom Fell faced questions on Monday.\n\n"
        "\u201cWe are confident that the audit will clear us,\u201d his spokeswoman said.",
        None,
        "placeholder",
        "his spokeswoman",
        id="spokeswoman-without-name-stays-unnamed",
    ),
    pytest.param(
        "Peter Lang\u2019s lawyer said the claim was \u201cabsurd and insulting to the court.\u201d",
        None,
        "placeholder",
        "Peter Lang\u2019s lawyer",
        id="lawyer-is-not-the-client",
    ),
    pytest.param(
        "\u201cThe harbour will reopen in spring,\u201d the newspaper said.",
        None,
        "placeholder",
        "the newspaper",
        id="newspaper-without-name-stays-unnamed",
    ),
    pytest.param(
        "Jordan Hill\n\nThe club lost its appeal on Friday.\n\n"
        "\u201cWe will fight on and we will win,\u201d he said.",
        None,
        "none",
        None,
        id="line-label-is-no-antecedent",
    ),
    pytest.param(
        "Senator Mark Oduya appeared to agree with Ms. Helen Varga that \u201cthe budget is "
        "simply too small to work.\u201d",
        "Helen Varga",
        "named",
        "Ms. Helen Varga",
        id="agree-with-x-that",
    ),
    pytest.param(
        "Rita Moss rejected Karl Benz\u2019s claim that the plan was \u201ca total failure.\u201d",
        "Karl Benz",
        "named",
        "Karl Benz",
        id="x-claim-that",
    ),
    pytest.param(
        "Echoing Helen Varga, Senator Mark Oduya said \u201cthe budget is simply too small to "
        "work.\u201d",
        "Mark Oduya",
        "named",
        "Mark Oduya",
        id="echoing-x-the-subject-still-said-it",
    ),
    pytest.param(
        "Mark Oduya agreed with critics that \u201cthe budget is simply too small to work.\u201d",
        None,
        "none",
        "critics",
        id="agree-with-unnamed-stays-unnamed",
    ),
    pytest.param(
        "Critics of the plan gathered outside.\n\n"
        "\u201cWhy should the harbour stay closed all winter?\u201d Lena Fisk asked.",
        "Lena Fisk",
        "named",
        "Lena Fisk",
        id="question-then-attribution-sentence",
    ),
    pytest.param(
        "Omar Hale toured the docks on Monday.\n\n\u201cThe harbour will reopen in spring,\u201d he said.",
        "Omar Hale",
        "pronoun",
        "he",
        id="pronoun",
    ),
    pytest.param(
        "Port Director Lena Fisk visited the docks.\n\n"
        "\u201cThe harbour will reopen in spring,\u201d the director said.",
        "Lena Fisk",
        "description",
        "the director",
        id="description",
    ),
]


@pytest.mark.parametrize(("text", "speaker", "how", "mention"), SPEAKERS)
def test_attribution_speaker_and_how(
    text: str, speaker: str | None, how: str, mention: str | None
) -> None:
    quote, found_mention = _only_quote(text)
    assert (quote.speaker, quote.speaker_how, found_mention) == (speaker, how, mention)


def test_attribution_multi_paragraph_quote_takes_the_closing_speaker() -> None:
    text = (
        "The mayor spoke to residents on Tuesday.\n\n"
        "\u201cWe will rebuild the bridge before winter. The money is there and the workers "
        "are ready.\n\n"
        "\u201cNobody in this town will be left without a road to work,\u201d Mayor Anna Berg "
        "said.\n\nOther news followed."
    )
    quotes = _annotate("t", text).quotes
    assert [q.text[:22] for q in quotes] == ["We will rebuild the br", "Nobody in this town wi"]
    assert [(q.speaker, q.speaker_how) for q in quotes] == [("Anna Berg", "named")] * 2
    assert quotes[0].text.endswith("the workers are ready.")  # runs to its paragraph's end


def test_attribution_multi_paragraph_quote_keeps_its_opening_speaker() -> None:
    text = (
        "\u201cWe will rebuild the bridge before winter,\u201d Mayor Anna Berg said. "
        "\u201cThe money is there.\n\n"
        "\u201cNobody in this town will be left without a road.\u201d"
    )
    quotes = _annotate("t", text).quotes
    assert [q.speaker for q in quotes] == ["Anna Berg"] * 3
    assert [q.speaker_how for q in quotes] == ["named", "inherited", "inherited"]


WORDS = "\u201cThe harbour will reopen in spring and the ships will return,\u201d"


def _story(*texts: str) -> tuple[list[AnnotatedArticle], tuple]:
    articles = [_annotate(f"a{i}", text) for i, text in enumerate(texts)]
    return articles, group_quotes(articles, resolve_entities(articles))


def test_attribution_two_named_speakers_disagree() -> None:
    _, (groups, disagreements) = _story(
        f"{WORDS} Port Director Lena Fisk said.", f"{WORDS} Mayor Omar Hale said."
    )
    assert len(disagreements) == 1
    assert {c.value for c in disagreements[0].claims} == {"Lena Fisk", "Omar Hale"}
    assert sorted(g.speaker or "" for g in groups) == ["Lena Fisk", "Omar Hale"]


def test_attribution_pronoun_speaker_never_disagrees() -> None:
    articles, (groups, disagreements) = _story(
        f"{WORDS} Port Director Lena Fisk said.",
        f"Mayor Omar Hale toured the docks on Monday.\n\n{WORDS} he said.",
    )
    assert articles[1].quotes[0].speaker == "Omar Hale"  # shown, but resolved through "he"
    assert disagreements == ()
    assert [(g.speaker, len(g.citations)) for g in groups] == [("Lena Fisk", 2)]


def test_attribution_placeholder_and_description_never_disagree() -> None:
    _, (groups, disagreements) = _story(
        f"{WORDS} Port Director Lena Fisk said.",
        f"Mayor Omar Hale toured the docks on Monday.\n\n{WORDS} his spokesman said.",
        f"Mayor Omar Hale toured the docks on Monday.\n\n{WORDS} the mayor said.",
    )
    assert disagreements == ()
    assert [(g.speaker, len(g.citations)) for g in groups] == [("Lena Fisk", 3)]


def test_attribution_unnamed_conflicting_speakers_leave_the_group_unnamed() -> None:
    _, (groups, disagreements) = _story(
        f"Port Director Lena Fisk visited the docks.\n\n{WORDS} she said.",
        f"Mayor Omar Hale toured the docks on Monday.\n\n{WORDS} he said.",
    )
    assert disagreements == ()
    assert [(g.speaker, len(g.citations)) for g in groups] == [(None, 2)]


def test_attribution_unnamed_agreeing_speakers_keep_the_speaker() -> None:
    _, (groups, disagreements) = _story(
        f"Port Director Lena Fisk visited the docks.\n\n{WORDS} she said.",
        f"Port Director Lena Fisk toured the harbour.\n\n{WORDS} the director said.",
    )
    assert disagreements == ()
    assert [(g.speaker, len(g.citations)) for g in groups] == [("Lena Fisk", 2)]

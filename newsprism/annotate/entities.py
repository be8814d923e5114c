"""Named-entity mentions: spaCy's entities, with general rules for the small model's mistakes.

Rules (each fixes a kind of error seen on news text, none names a particular person):

- a run of capitalised words that starts with title words ("Kazakh Deputy Defence Minister
  Mukhamedzhan Talasov", "United States Secretary of State Antony Blinken") ends in a PERSON
  name; the title words are not entities, a leading demonym is NORP, a leading country stays GPE;
- demonyms ("Kazakh", "Russian") are NORP whatever the model said;
- a mention labelled ORG/GPE/... whose last word is the surname of a PERSON mention in the same
  document is that person ("Putin" tagged GPE when "Vladimir Putin" is a PERSON);
- a PERSON "name" of more than `NAME_MAX_WORDS` words is a title-case headline and is dropped;
- only PERSON, ORG, GPE, NORP, LOC, FAC and EVENT are kept (dates and numbers are other
  annotators' job), without a leading "the".
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from newsprism.annotate.gazetteer import gazetteer
from newsprism.data.speech_verbs import (
    DEMONYMS,
    KEPT_LABELS,
    NAME_CONNECTORS,
    NAME_MAX_WORDS,
    TITLE_WORDS,
)
from newsprism.model import EntityMention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# A run of name-like tokens longer than this is prose in title case (a headline), not a name.
_MAX_RUN = 12

Triple = tuple[int, int, str]  # token start, token end, label


@lru_cache(maxsize=1)
def _gazetteer_names() -> frozenset[str]:
    return frozenset(name.casefold() for names in gazetteer().values() for name in names)


def _is_capitalised(token: Token) -> bool:
    text = token.text
    return bool(text) and text[0].isupper() and any(ch.isalpha() for ch in text)


def _is_title(token: Token) -> bool:
    return token.text.casefold() in TITLE_WORDS or token.lower_.rstrip(".") in TITLE_WORDS


def _is_demonym(text: str) -> bool:
    return text.casefold() in DEMONYMS


def _runs(doc: Doc) -> Iterable[tuple[int, int]]:
    """Maximal runs of capitalised tokens, joined by hyphens and name connectors ("of")."""
    i = 0
    n = len(doc)
    while i < n:
        if not _is_capitalised(doc[i]):
            i += 1
            continue
        j = i + 1
        while j < n:
            token = doc[j]
            hyphen_joined = (
                token.text == "-"
                and not token.whitespace_
                and not doc[j - 1].whitespace_
                and j + 1 < n
                and _is_capitalised(doc[j + 1])
            )
            if (
                hyphen_joined
                or (_is_capitalised(token) and (doc[j - 1].whitespace_ or doc[j - 1].text == "-"))
                or (
                    token.lower_ in NAME_CONNECTORS
                    and token.lower_ != "the"
                    and j + 1 < n
                    and _is_capitalised(doc[j + 1])
                    and _is_title(doc[j - 1])
                )
            ):
                j += 1
            else:
                break
        yield i, j
        i = j


def _titled_people(doc: Doc, ents: dict[int, str]) -> list[tuple[list[Triple], tuple[int, int]]]:
    """For each title + name run: the spans it yields and the token range it covers."""
    found: list[tuple[list[Triple], tuple[int, int]]] = []
    for start, end in _runs(doc):
        if end - start > _MAX_RUN or doc[start:end].text.casefold() in _gazetteer_names():
            continue
        spans: list[Triple] = []
        k = start
        saw_title = False
        while k < end:
            token = doc[k]
            if _is_title(token) or (saw_title and token.lower_ in NAME_CONNECTORS):
                saw_title = saw_title or _is_title(token)
                k += 1
            elif not saw_title and _is_demonym(token.text):
                spans.append((k, k + 1, "NORP"))
                k += 1
            elif not saw_title and ents.get(k) in {"GPE", "NORP"}:
                # A country before the title ("Kazakhstan President ..."): keep its own label.
                label = ents[k]
                g = k
                while g < end and ents.get(g) == label and not _is_title(doc[g]):
                    g += 1
                spans.append((k, g, label))
                k = g
            else:
                break
        name_end = k
        while name_end < end and not _is_title(doc[name_end]):
            name_end += 1
        words = [t for t in doc[k:name_end] if t.text != "-"]
        if (
            saw_title
            and k < name_end
            and 0 < len(words) <= NAME_MAX_WORDS
            and all(t.pos_ == "PROPN" or t.ent_type_ == "PERSON" for t in words)
            and doc[k:name_end].text.casefold() not in _gazetteer_names()
            and not _is_demonym(doc[k].text)
        ):
            spans.append((k, name_end, "PERSON"))
            found.append((spans, (start, name_end)))
    return found


def _fixed_entities(doc: Doc) -> list[Triple]:
    ents: list[Triple] = [(e.start, e.end, e.label_) for e in doc.ents]
    token_label = {i: label for s, e, label in ents for i in range(s, e)}
    # Title + name runs override whatever the model said over the same tokens.
    for spans, (lo, hi) in _titled_people(doc, token_label):
        ents = [t for t in ents if t[1] <= lo or t[0] >= hi]
        ents.extend(spans)
    fixed: list[Triple] = []
    for start, end, label in ents:
        text = doc[start:end].text
        if _is_demonym(text) or (end - start == 1 and _is_demonym(doc[start].lemma_)):
            label = "NORP"
        while start < end and doc[start].lower_ in {"the", "a", "an"}:
            start += 1
        while end > start and doc[end - 1].text in {"'s", "\u2019s", "'", "\u2019"}:
            end -= 1
        if start < end:
            fixed.append((start, end, label))
    # Surnames of people in this document: a lone "Putin" tagged GPE is the same person.
    people = {doc[e - 1].text for s, e, label in fixed if label == "PERSON"}
    names = _gazetteer_names()
    relabelled: list[Triple] = []
    for start, end, label in fixed:
        text = doc[start:end].text
        if (
            label not in {"PERSON", "NORP"}
            and doc[end - 1].text in people
            and text.casefold() not in names
            and not text.isupper()
            and all(_is_capitalised(t) or t.text == "-" for t in doc[start:end])
        ):
            label = "PERSON"
        words = sum(1 for t in doc[start:end] if t.text != "-")
        if label == "PERSON" and words > NAME_MAX_WORDS:
            continue  # a title-case headline ("Gold Star Mom Corners Obama"), not a name
        if label in KEPT_LABELS:
            relabelled.append((start, end, label))
    return sorted(set(relabelled))


def find_entities(doc: Doc, article_id: str) -> tuple[EntityMention, ...]:
    """The PERSON, ORG, GPE, NORP, LOC, FAC and EVENT mentions of *doc*, in text order.

    Args:
        doc: spaCy parse of the whole ``Article.text`` (from ``load_nlp()``).
        article_id: the id every returned Span carries.

    Returns:
        Mentions with character spans into the article text; they never overlap.
    """
    mentions: list[EntityMention] = []
    last_end = -1
    for start, end, label in _fixed_entities(doc):
        span = doc[start:end]
        if span.start_char < last_end:
            continue
        last_end = span.end_char
        mentions.append(
            EntityMention(
                span=Span(article_id=article_id, start=span.start_char, end=span.end_char),
                text=span.text,
                label=label,
            )
        )
    return tuple(mentions)

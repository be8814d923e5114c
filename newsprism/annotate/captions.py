"""Photo captions left in an article's text: sentences the summary and headline must skip.

A caption describes a picture as it is seen: its main verb is in the present tense ("speaks",
"is seen", "arrives") or it has no finite verb at all ("Kevin Spacey at the awards, on Oct. 27,
2017."), and it stamps the picture with a calendar date, year included ("Jan. 24, 2017"); or
its verb is one of what a picture shows, with the place of the scene ("A leopard sits in a
tree at the reserve", `data.debris.CAPTION_VERBS`). A news sentence tells what
happened (past tense) and dates it relative to publication ("on Tuesday"), so it carries no
year for a current event. Reporting verbs and the copula in the present ("Officials say ...",
"It is with great sadness ...") are news.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsprism.data.datelines import FULL_DATE, WEEKDAY
from newsprism.data.debris import CAPTION_PLACES, CAPTION_VERBS
from newsprism.model import Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as TokenSpan

__all__ = ["find_captions"]

_PRESENT = frozenset({"VBZ", "VBP"})
_FINITE = frozenset({"VBZ", "VBP", "VBD", "MD"})
_FULL_DATE = re.compile(FULL_DATE)
# The stamp of a photo: a weekday before the full date (", Thursday, Feb. 16, 2017,") or the
# date first ("March 30, 2016 A stray lion ...") or last ("... reports on June 1, 2018."), or a
# weekday opening a present-tense sentence ("Tuesday, the president signs a bill ..."); a news
# sentence in the present may date a past event in full ("since Jan. 1, 2015"), not stamp it.
_STAMP = re.compile(
    rf"\b{WEEKDAY},?\s+(?:{_FULL_DATE.pattern})"
    rf"|^\W*(?:{_FULL_DATE.pattern})|(?:{_FULL_DATE.pattern})\W*$|^\W*{WEEKDAY}, "
)
# Present-tense roots that are news, not a picture: reporting ("Officials say ... on Jan. 5,
# 2017") and the copula ("It is with great sadness that ...").
_NEWS_ROOTS = frozenset({"say", "tell", "warn", "announce", "claim", "add", "be"})


def find_captions(doc: Doc, sentences: Sequence[Sentence]) -> tuple[int, ...]:
    """The indexes of the *sentences* of *doc* that read as photo captions."""
    found = []
    for sentence in sentences:
        tokens = doc.char_span(sentence.span.start, sentence.span.end, alignment_mode="expand")
        if tokens is not None and _is_caption(tokens):
            found.append(sentence.index)
    return tuple(found)


def _is_caption(tokens: TokenSpan) -> bool:
    roots = [token for token in tokens if token.dep_ == "ROOT"]
    if not roots:
        return False
    root = roots[0]
    if not any(token.tag_ in _FINITE for token in tokens):
        return bool(_FULL_DATE.search(tokens.text))  # "Kevin Spacey at the awards, Oct. 27, 2017."
    if root.lemma_ in _NEWS_ROOTS or not _in_present(root):
        return False
    if _is_seen(root):
        return bool(_FULL_DATE.search(tokens.text))  # "The camp is seen before ..., Nov. 28, 2011"
    return bool(_STAMP.search(tokens.text)) or _shows_a_scene(root)


def _is_seen(root: Token) -> bool:
    """ "X is seen (in ...)": how captions place a thing in a picture ("is seen as" is news)."""
    return (
        root.lemma_ == "see"
        and root.tag_ == "VBN"
        and any(child.dep_ == "auxpass" for child in root.children)
        and not any(child.lower_ == "as" for child in root.children)
    )


def _in_present(root: Token) -> bool:
    """ "speaks", "is seen", "are cheering"; not "spoke", "was seen", "have been arriving"."""
    if root.tag_ in _PRESENT:
        return True
    auxiliaries = [child for child in root.children if child.dep_ in ("aux", "auxpass")]
    return (
        root.tag_ in ("VBG", "VBN")
        and len(auxiliaries) == 1
        and auxiliaries[0].lemma_ == "be"
        and auxiliaries[0].tag_ in _PRESENT
    )


def _shows_a_scene(root: Token) -> bool:
    """A verb of what a picture shows, said of "a/an" somebody, with the place of the scene
    ("A leopard sits in a tree at ..."); "The band sits in third place" is news."""
    if root.lemma_ not in CAPTION_VERBS:
        return False
    subjects = [child for child in root.children if child.dep_ == "nsubj"]
    indefinite = any(
        d.dep_ == "det" and d.lower_ in ("a", "an") for s in subjects for d in s.children
    )
    return indefinite and any(
        c.dep_ == "prep" and c.lower_ in CAPTION_PLACES for c in root.children
    )

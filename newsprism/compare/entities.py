"""One entity per real-world referent across the articles of a story.

Mentions are grouped by their surface form (case and dots folded, so "Nato" = "NATO" and
"U.S." = "US"), then surfaces are merged:

- people by surname: full names with the same first name merge; a bare surname ("Tokayev",
  "Mr Tokayev") joins the full name with that surname (the most mentioned one if several);
- acronyms with their expansions: "CSTO" = "Collective Security Treaty Organisation", both from
  the initials and from "Long Name (ACRONYM)" written once in any article (the expansion becomes
  a mention even when the model missed it);
- a lone capitalised word tagged ORG/GPE that is a person's surname is that person;
- demonyms (NORP) never merge with people.

Everything is sorted before merging, so the result does not depend on article order.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from newsprism.data.speech_verbs import (
    HEAD_TITLES,
    HONORIFICS,
    LABEL_PRIORITY,
    NAME_CONNECTORS,
    TITLE_WORDS,
)
from newsprism.grouping import UnionFind
from newsprism.ids import entity_id
from newsprism.model import AnnotatedArticle, Entity, Span

_EXPANSION = re.compile(
    r"\b([A-Z][\w'-]*(?:\s+(?:of|the|and|for|on|[A-Z][\w'-]*))+)\s+\(([A-Z][A-Z.&-]{1,9})\)"
)
_ACRONYM_TYPES = frozenset({"ORG", "GPE", "LOC", "FAC", "EVENT"})


@dataclass(frozen=True, slots=True, order=True)
class _Mention:
    article_id: str
    start: int
    end: int
    text: str
    label: str


def _fold(text: str) -> str:
    """Surface key: case, dots, a leading "the" and a trailing possessive folded away."""
    key = text.casefold().replace(".", "").replace("\u2019", "'")
    key = re.sub(r"^the\s+", "", key)
    key = re.sub(r"'s?$", "", key)
    return " ".join(key.split())


def _person_words(text: str) -> list[str]:
    words = text.split()
    while words and (
        words[0].casefold() in HONORIFICS or words[0].casefold().rstrip(".") in TITLE_WORDS
    ):
        words = words[1:]
    return words or text.split()


def _acronym(text: str) -> str:
    words = [w for w in re.split(r"[\s-]+", text) if w and w.lower() not in NAME_CONNECTORS]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words).casefold()


def _label_rank(label: str) -> int:
    return LABEL_PRIORITY.index(label) if label in LABEL_PRIORITY else len(LABEL_PRIORITY)


def _mentions(articles: Sequence[AnnotatedArticle]) -> list[_Mention]:
    found: set[_Mention] = set()
    for annotated in articles:
        text = annotated.article.text
        taken = [(m.span.start, m.span.end) for m in annotated.entities]
        for m in annotated.entities:
            found.add(_Mention(annotated.id, m.span.start, m.span.end, m.text, m.label))
        for match in _EXPANSION.finditer(text):
            start, end = match.span(1)
            if not any(a < end and start < b for a, b in taken):
                found.add(_Mention(annotated.id, start, end, match.group(1), "ORG"))
    return sorted(found)


def _surface_labels(mentions: list[_Mention]) -> dict[str, str]:
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        votes[_fold(m.text)][m.label] += 1
    return {
        key: min(counter, key=lambda label: (-counter[label], _label_rank(label)))
        for key, counter in votes.items()
    }


def _merge_people(union: UnionFind[str], labels: dict[str, str], counts: Counter[str]) -> None:
    by_surname: dict[str, list[str]] = defaultdict(list)
    for key, label in labels.items():
        if label == "PERSON":
            words = _person_words(key)
            by_surname[words[-1]].append(key)
    for surname, keys in sorted(by_surname.items()):
        full = sorted(k for k in keys if len(_person_words(k)) > 1)
        firsts: dict[str, list[str]] = defaultdict(list)
        for key in full:
            firsts[_person_words(key)[0]].append(key)
        for group in firsts.values():
            for key in group[1:]:
                union.union(group[0], key)
        if full:
            main = min(full, key=lambda k: (-counts[k], k))
            for key in keys:
                if len(_person_words(key)) == 1:
                    union.union(main, key)
        # A lone ORG/GPE word equal to this surname is a mis-tagged mention of the person.
        if surname in labels and labels[surname] in {"ORG", "GPE"} and keys:
            union.union(min(keys), surname)


def _merge_acronyms(
    union: UnionFind[str],
    labels: dict[str, str],
    pairs: set[tuple[str, str]],
    originals: dict[str, str],
) -> None:
    for key, label in labels.items():
        if label in _ACRONYM_TYPES:
            acronym = _acronym(originals[key])
            if acronym and acronym in labels and labels[acronym] in _ACRONYM_TYPES:
                union.union(key, acronym)
    for expansion, acronym in pairs:
        if expansion in labels and acronym in labels:
            union.union(expansion, acronym)


def _name(keys: list[str], label: str, texts: Counter[str]) -> str:
    """The fullest form: most words, then most mentions, then alphabetical."""
    candidates = [t for t in texts if _fold(t) in keys]
    if label == "PERSON":
        forms = Counter(" ".join(_person_words(t)) for t in candidates for _ in range(texts[t]))
    else:
        forms = Counter({t: texts[t] for t in candidates})
    return min(forms, key=lambda t: (-len(t.split()), -forms[t], t))


def _titled_aliases(articles: Sequence[AnnotatedArticle], spans: list[_Mention]) -> set[str]:
    """ "Mr Tokayev", "President Tokayev": a person mention with the title word before it."""
    texts = {a.id: a.article.text for a in articles}
    aliases: set[str] = set()
    for m in spans:
        before = texts[m.article_id][max(0, m.start - 40) : m.start]
        match = re.search(r"([A-Z][a-z]+\.?) $", before)
        word = match.group(1).casefold().rstrip(".") if match else ""
        if match and (word in HEAD_TITLES or word + "." in HONORIFICS or word in HONORIFICS):
            aliases.add(match.group(1) + " " + m.text)
    return aliases


def resolve_entities(articles: Sequence[AnnotatedArticle]) -> tuple[Entity, ...]:
    """Merge the entity mentions of a story's articles into entities.

    Args:
        articles: the annotated articles of one story (any order).

    Returns:
        Entities sorted by mention count (then name); ids are hashes of type and name.
    """
    mentions = _mentions(articles)
    labels = _surface_labels(mentions)
    counts = Counter(_fold(m.text) for m in mentions)
    originals: dict[str, str] = {}
    for m in mentions:
        originals.setdefault(_fold(m.text), m.text)
    pairs = {
        (_fold(match.group(1)), _fold(match.group(2).replace(".", "")))
        for a in articles
        for match in _EXPANSION.finditer(a.article.text)
    }
    union = UnionFind(sorted(labels))
    _merge_people(union, labels, counts)
    _merge_acronyms(union, labels, pairs, originals)
    clusters: dict[str, list[_Mention]] = defaultdict(list)
    for m in mentions:
        clusters[union.find(_fold(m.text))].append(m)
    entities: list[Entity] = []
    for members in clusters.values():
        votes = Counter(m.label for m in members)
        label = min(votes, key=lambda lab: (-votes[lab], _label_rank(lab)))
        if "PERSON" in votes and label != "PERSON" and votes["PERSON"] * 2 >= len(members):
            label = "PERSON"
        texts = Counter(m.text for m in members)
        name = _name(sorted({_fold(m.text) for m in members}), label, texts)
        aliases = set(texts)
        if label == "PERSON":
            aliases |= _titled_aliases(articles, members)
        entities.append(
            Entity(
                id=entity_id(label, name),
                name=name,
                type=label,
                aliases=tuple(sorted(aliases)),
                article_ids=tuple(sorted({m.article_id for m in members})),
                mentions=tuple(
                    Span(article_id=m.article_id, start=m.start, end=m.end) for m in members
                ),
            )
        )
    return tuple(sorted(entities, key=lambda e: (-len(e.mentions), e.name, e.id)))

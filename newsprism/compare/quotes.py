"""Quotes across outlets: one group per quote, its wordings, and who each outlet says said it.

Two quotes carry the same words when their normalised texts (case, punctuation and quote marks
folded) are equal, or when rapidfuzz's partial ratio is at least `QUOTE_MATCH_RATIO` (or the
plain ratio at least `QUOTE_ALTERED_RATIO`: a few words changed) and the
shorter has at least `QUOTE_MIN_FUZZY_WORDS` words (so a trimmed quote matches its full form,
but a two-word fragment does not match every sentence containing those words). Matching quotes
form groups by transitive closure.

Attribution discipline: only a speaker *named* in the quote's own sentence or attribution clause
(`Quote.speaker_how == "named"`) can disagree. Within a group, quotes with different named
speakers become separate groups and a speaker `Disagreement`; every other quote (speaker
resolved through a pronoun, a description or a placeholder, inherited from the quote before,
or none) joins the named speaker its own speaker matches, or the only named speaker there is.
When nobody is named, the group keeps a speaker only if all its outlets agree on it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from rapidfuzz import fuzz

from newsprism.data.speech_verbs import (
    QUOTE_ALTERED_RATIO,
    QUOTE_MATCH_RATIO,
    QUOTE_MIN_FUZZY_WORDS,
)
from newsprism.grouping import UnionFind
from newsprism.model import (
    AnnotatedArticle,
    Disagreement,
    DisagreementClaim,
    Entity,
    Quote,
    QuoteCitation,
    QuoteGroup,
    QuoteVariant,
    Span,
)

_NON_WORD = re.compile(r"[^\w\s]+")
_APOSTROPHE = re.compile(r"[\u2019\u2018'`]")


def normalise_quote(text: str) -> str:
    """Words of a quote, lower case, without punctuation: "It's over," -> "its over"."""
    folded = _APOSTROPHE.sub("", text.casefold())
    return " ".join(_NON_WORD.sub(" ", folded).split())


def _matching_pairs(words: list[str]) -> list[tuple[int, int]]:
    """Index pairs of quotes with the same words. Only quotes sharing a run of three words (or
    equal) are scored, so a story with thousands of quotes stays cheap."""
    buckets: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(words):
        tokens = text.split()
        keys = (
            {text}
            if len(tokens) < 3
            else {" ".join(tokens[k : k + 3]) for k in range(len(tokens) - 2)}
        )
        for key in keys:
            buckets[key].append(i)
    candidates = {(i, j) for ids in buckets.values() for i in ids for j in ids if i < j}
    lengths = [len(w.split()) for w in words]
    pairs = []
    for i, j in sorted(candidates):
        a, b = words[i], words[j]
        if a == b or (
            min(lengths[i], lengths[j]) >= QUOTE_MIN_FUZZY_WORDS
            and (
                fuzz.partial_ratio(a, b) >= QUOTE_MATCH_RATIO
                or fuzz.ratio(a, b) >= QUOTE_ALTERED_RATIO
            )
        ):
            pairs.append((i, j))
    return pairs


def _altered(variant: str, full: str) -> bool:
    """True when the variant's words are not just a trimmed (contiguous) part of the full text."""
    return f" {variant} " not in f" {full} "


class _SpeakerIndex:
    """Finds the entity a quote's speaker is: an entity mention ending where the speaker
    mention ends ("Mr Blinken" -> "Blinken"), else a name or alias equal to the speaker's name
    or ending it ("Russia's defence ministry" -> "defence ministry")."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.by_end: dict[tuple[str, int], list[tuple[int, Entity]]] = defaultdict(list)
        self.by_name: dict[str, Entity] = {}
        for entity in entities:
            for m in entity.mentions:
                self.by_end[(m.article_id, m.end)].append((m.start, entity))
            for name in sorted({entity.name, *entity.aliases}, key=len, reverse=True):
                self.by_name.setdefault(name.casefold(), entity)

    def find(self, quote: Quote) -> Entity | None:
        span = quote.speaker_span
        if span is not None and quote.speaker:  # an unnamed placeholder links to nobody
            for start, entity in self.by_end.get((span.article_id, span.end), []):
                if start >= span.start:
                    return entity
        if not quote.speaker:
            return None
        words = quote.speaker.casefold().split()
        for k in range(len(words)):
            found = self.by_name.get(" ".join(words[k:]))
            if found is not None:
                return found
        return None


def group_quotes(
    articles: Sequence[AnnotatedArticle], entities: Sequence[Entity]
) -> tuple[tuple[QuoteGroup, ...], tuple[Disagreement, ...]]:
    """Group a story's quotes across outlets and flag quotes given to different speakers.

    Args:
        articles: the annotated articles of one story.
        entities: the story's entities (from `resolve_entities`), to link speakers.

    Returns:
        (quote groups, speaker disagreements); groups carried by more outlets come first.
    """
    quotes = sorted(
        (q for a in articles for q in a.quotes),
        key=lambda q: (q.span.article_id, q.span.start, q.span.end),
    )
    words = [normalise_quote(q.text) for q in quotes]
    index = _SpeakerIndex(entities)
    linked = [index.find(q) for q in quotes]
    same_words = UnionFind(range(len(quotes)))
    for i, j in _matching_pairs(words):
        same_words.union(i, j)
    clusters = same_words.groups()
    groups: list[QuoteGroup] = []
    disagreements: list[Disagreement] = []
    keys = _short_names_merged(
        [_speaker_key(q, e) for q, e in zip(quotes, linked, strict=True)],
        [
            e.name if e is not None else (q.speaker or "")
            for q, e in zip(quotes, linked, strict=True)
        ],
    )
    for members in clusters.values():
        by_speaker = _by_speaker(quotes, keys, members)
        for key in sorted(by_speaker):
            groups.append(_group(quotes, words, linked, keys, sorted(by_speaker[key]), key))
        named = sorted(key for key in by_speaker if key and _named_in(quotes, by_speaker[key]))
        if len(named) > 1:
            disagreements.append(_disagreement(quotes, linked, by_speaker, named))
    groups.sort(key=lambda g: (-len({c.span.article_id for c in g.citations}), g.citations[0].span))
    return tuple(groups), tuple(disagreements)


def _named_in(quotes: list[Quote], members: list[int]) -> bool:
    return any(quotes[i].speaker_how == "named" for i in members)


def _by_speaker(quotes: list[Quote], keys: list[str], members: list[int]) -> dict[str, list[int]]:
    """The members of one quote cluster by speaker key (see the module docstring); key "" is
    the part with no speaker anyone can stand behind."""
    named = sorted({keys[i] for i in members if keys[i] and quotes[i].speaker_how == "named"})
    if not named:
        weak = {keys[i] for i in members if keys[i]}
        return {weak.pop() if len(weak) == 1 else "": list(members)}
    buckets: dict[str, list[int]] = {key: [] for key in named}
    for i in members:
        if keys[i] in buckets:
            buckets[keys[i]].append(i)
        elif len(named) == 1:
            buckets[named[0]].append(i)
        else:
            buckets.setdefault("", []).append(i)
    return buckets


def _short_names_merged(keys: list[str], names: list[str]) -> list[str]:
    """Speaker keys with a short name folded into the one longer name it ends ("Christman"
    into "Lissa Druss Christman" when entity linking kept them apart): one person is not a
    disagreement with themself. A short name that ends several longer ones stays apart."""
    words = {key: normalise_quote(name).split() for key, name in zip(keys, names, strict=True)}
    longer = {
        key: {
            other
            for other, full in words.items()
            if short and len(full) > len(short) and full[-len(short) :] == short
        }
        for key, short in words.items()
    }
    # Longest names first, so "C" -> "B C" -> "A B C" ends at "A B C".
    merged: dict[str, str] = {}
    for key in sorted(longer, key=lambda k: -len(words[k])):
        targets = {merged.get(other, other) for other in longer[key]}
        if len(targets) == 1:
            merged[key] = targets.pop()
    return [merged.get(key, key) for key in keys]


def _speaker_key(quote: Quote, entity: Entity | None) -> str:
    if entity is not None:
        return entity.id
    return quote.speaker.casefold() if quote.speaker else ""


def _group(
    quotes: list[Quote],
    words: list[str],
    linked: list[Entity | None],
    keys: list[str],
    members: list[int],
    key: str,
) -> QuoteGroup:
    # The fullest wording: most words, then the earliest article and position.
    main = min(members, key=lambda i: (-len(words[i]), quotes[i].span))
    # The speaker comes from the members that carry the group's speaker, named ones first.
    carriers = sorted(
        (i for i in members if key and keys[i] == key),
        key=lambda i: (quotes[i].speaker_how != "named", quotes[i].span),
    )
    entity = next((linked[i] for i in carriers if (e := linked[i]) and e.id == key), None)
    entity = entity or next((linked[i] for i in carriers if linked[i] is not None), None)
    named = sorted((q.speaker for i in carriers if (q := quotes[i]).speaker), key=lambda n: -len(n))
    # People by their entity's full name; organisations by the fullest phrase an outlet used.
    if entity is not None and (entity.type == "PERSON" or not named):
        speaker: str | None = entity.name
    else:
        speaker = named[0] if named else None
    variants = tuple(
        QuoteVariant(
            text=quotes[i].text,
            article_id=quotes[i].span.article_id,
            altered=_altered(words[i], words[main]),
            span=quotes[i].span,
        )
        for i in members
        if words[i] != words[main]
    )
    return QuoteGroup(
        speaker=speaker,
        speaker_entity_id=entity.id if entity else None,
        kind="direct" if any(quotes[i].kind == "direct" for i in members) else "partial",
        text=quotes[main].text,
        citations=tuple(
            QuoteCitation(span=quotes[i].span, speaker_span=quotes[i].speaker_span) for i in members
        ),
        variants=variants,
    )


def _disagreement(
    quotes: list[Quote],
    linked: list[Entity | None],
    by_speaker: dict[str, list[int]],
    known: list[str],
) -> Disagreement:
    claims = []
    for key in known:
        for i in sorted(by_speaker[key]):
            quote = quotes[i]
            entity = linked[i]
            name = entity.name if entity is not None else quote.speaker
            claims.append(
                DisagreementClaim(
                    value=name or "",
                    low=None,
                    high=None,
                    qualifier=None,
                    unit=None,
                    text=quote.text,
                    span=Span(
                        article_id=quote.span.article_id, start=quote.span.start, end=quote.span.end
                    ),
                )
            )
    main = min((i for key in known for i in by_speaker[key]), key=lambda i: -len(quotes[i].text))
    return Disagreement(
        subject=quotes[main].text,
        kind="incompatible",
        field="speaker",
        claims=tuple(claims),
        note="the same words are given to different speakers",
    )

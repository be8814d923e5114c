"""Who said a quote: speech verbs in the parse, their subjects, pronouns and descriptions.

`Attributor` holds one article's parse, entities and quote regions; `speaker_of` finds the
speech verb for a quote (up the dependency tree from the quote, else the nearest speech verb
outside quotes in the same sentences), takes its subject (or "according to X"), and turns that
into a mention ("Mr Blinken", "he", "the ministry") and a resolved name ("Antony Blinken",
"Russia's defence ministry"). Used by `newsprism.annotate.quotes`.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from newsprism.data.attribution import (
    AGENT_NOUNS,
    AUTHOR_PREPOSITIONS,
    AUTHORING_VERBS,
    CLAIM_NOUNS,
    CONCUR_VERBS,
    DOCUMENT_NOUNS,
    LINE_LABEL_WORDS,
    MAX_PLACEHOLDER_DEPTH,
    MEDIA_NOUNS,
    OUTLET_TAIL_WORDS,
    POSSESSIVE_PRONOUNS,
)
from newsprism.data.speech_verbs import (
    ANTECEDENT_WINDOW_CHARS,
    GROUP_PRONOUNS,
    HONORIFICS,
    ORG_NOUNS,
    PERSON_PRONOUNS,
    SPEECH_VERBS,
    TITLE_WORDS,
    WEAK_SPEECH_VERBS,
)
from newsprism.model import EntityMention, SpeakerHow

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_NP_DEPS = frozenset({"det", "compound", "amod", "poss", "nummod", "nmod", "case", "punct"})
_CLIMB_DEPS = frozenset({"conj", "xcomp", "advcl", "ccomp", "pcomp", "acl"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_MAX_CLIMB = 8
# Dependencies by which a claim noun takes its content ("the claim that ...", "his description
# of it as ...").
_CONTENT_DEPS = frozenset({"acl", "ccomp", "appos", "prep", "pobj", "relcl"})
# Entity types that can be a verb's subject but never say anything ("5:45 p.m. said" parses).
_NOT_SPEAKERS = frozenset(
    {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY", "LAW", "LANGUAGE"}
)


def _is_person_title(token: Token) -> bool:
    # Lower case: "the senator" (the small model often tags it PROPN), not "the Senate".
    return token.text.islower() and token.lower_.split("-")[0] in TITLE_WORDS


def _common_noun_org(entity: EntityMention) -> bool:
    return entity.label != "PERSON" and entity.text == entity.text.lower()


@dataclass(frozen=True, slots=True)
class Attribution:
    """A speaker found for a quote: the mention near it, the resolved name (None when the
    mention is a placeholder no name stands for), the cue word, and how the name was found."""

    start: int
    end: int
    name: str | None
    cue: str | None
    syntactic: bool  # the quote hangs from the speech verb in the parse
    how: SpeakerHow = "named"


class Attributor:
    """Speaker finding over one article's parse (cheap to build, one per article)."""

    def __init__(
        self,
        doc: Doc,
        entities: Sequence[EntityMention],
        quote_regions: Sequence[tuple[int, int]],
        sentence_bounds: Sequence[tuple[int, int]],
    ) -> None:
        self.doc = doc
        self.text = doc.text
        self.entities = sorted(entities, key=lambda e: e.span.start)
        self._ent_starts = [e.span.start for e in self.entities]
        self.regions = sorted(quote_regions)
        self._region_starts = [start for start, _ in self.regions]
        self.sentences = list(sentence_bounds)
        self._sentence_starts = [start for start, _ in self.sentences]
        self.speaker_history: list[tuple[int, str, str]] = []  # (position, head lemma, name)

    # ------------------------------------------------------------------ lookups

    def in_quote(self, char: int) -> bool:
        """True when character *char* lies inside a quote (marks included)."""
        i = bisect.bisect_right(self._region_starts, char) - 1
        return i >= 0 and self.regions[i][0] <= char < self.regions[i][1]

    def entity_at(self, char: int) -> EntityMention | None:
        i = bisect.bisect_right(self._ent_starts, char) - 1
        if i >= 0 and self.entities[i].span.start <= char < self.entities[i].span.end:
            return self.entities[i]
        return None

    def sentence_range(self, start: int, end: int) -> tuple[int, int]:
        """Character range of the sentences overlapping ``[start, end)``."""
        if not self.sentences:
            return start, end
        first = max(bisect.bisect_right(self._sentence_starts, start) - 1, 0)
        last = max(bisect.bisect_right(self._sentence_starts, max(end - 1, start)) - 1, first)
        return min(self.sentences[first][0], start), max(self.sentences[last][1], end)

    def next_sentence(self, after: int) -> tuple[int, int] | None:
        """Character range of the first sentence starting at or after *after*."""
        i = bisect.bisect_left(self._sentence_starts, after)
        return self.sentences[i] if i < len(self.sentences) else None

    def _tokens(self, start: int, end: int) -> list[Token]:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return list(span) if span is not None else []

    # ------------------------------------------------------------------ verbs

    def _is_speech(self, token: Token, weak_ok: bool) -> bool:
        if self.in_quote(token.idx):
            return False
        if token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
            return True
        if token.pos_ not in {"VERB", "AUX"} or token.lemma_.lower() not in SPEECH_VERBS:
            return False
        return weak_ok or token.lemma_.lower() not in WEAK_SPEECH_VERBS

    def _verb_above(self, start: int, end: int) -> Token | None:
        """The speech verb that governs the quote in the parse, or that hangs from it."""
        inside = self._tokens(start, end)
        for token in inside:
            head = token.head
            if start <= head.idx < end:
                continue
            for _ in range(_MAX_CLIMB):
                if self._is_speech(head, weak_ok=True):
                    return head
                if head.head is head:
                    break
                head = head.head
        for token in inside:
            for child in token.children:
                if not start <= child.idx < end and self._is_speech(child, weak_ok=False):
                    return child
        return None

    def _verb_near(self, start: int, end: int, low: int, high: int) -> Token | None:
        best: tuple[int, Token] | None = None
        for token in self._tokens(low, high):
            if start <= token.idx < end or not self._is_speech(token, weak_ok=False):
                continue
            distance = start - token.idx if token.idx < start else token.idx - end
            if best is None or distance < best[0]:
                best = (distance, token)
        return best[1] if best else None

    # ------------------------------------------------------------------ speakers

    def _subject(self, verb: Token) -> Token | None:
        for _ in range(_MAX_CLIMB):
            if verb.lower_ == "according":
                for child in verb.children:
                    if child.lower_ == "to":
                        objects = [c for c in child.children if c.dep_ == "pobj"]
                        return objects[0] if objects else None
                return None
            # "a film called X" / "it was described as X": the subject is what is named.
            named = verb.lemma_.lower() in WEAK_SPEECH_VERBS
            for child in verb.children:
                if named and child.dep_ == "nsubjpass":
                    continue
                # A dash the parser took for a noun ("made public ― Trump boasted") is no one.
                wordy = any(ch.isalnum() for ch in child.text)
                if child.dep_ in {"nsubj", "nsubjpass"} and wordy and not self.in_quote(child.idx):
                    if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
                        return verb.head
                    return child
            for child in verb.children:
                if child.dep_ == "agent":
                    objects = [c for c in child.children if c.dep_ == "pobj"]
                    if objects:
                        return objects[0]
            if verb.dep_ == "relcl":
                return verb.head
            if verb.dep_ not in _CLIMB_DEPS or verb.head is verb:
                return None
            gerund = verb.tag_ == "VBG"
            verb = verb.head
            if gerund and verb.dep_ == "prep" and verb.pos_ in {"ADP", "SCONJ"}:
                verb = verb.head  # "After saying ..., she left": the sayer is who left
        return None

    def _mention_entity(self, token: Token) -> EntityMention | None:
        """The entity a mention around *token* names: its own, or a person in apposition."""
        entity = self.entity_at(token.idx)
        if entity is not None:
            return entity
        for child in token.children:
            if child.dep_ == "appos":
                found = self.entity_at(child.idx)
                if found is not None and found.label == "PERSON":
                    return found
        return None

    def _mention(self, token: Token) -> tuple[int, int]:
        """Character span of the speaker mention around subject *token*."""
        entity = self._mention_entity(token)
        if entity is not None and _common_noun_org(entity):
            # A common-noun organisation ("defence ministry") is named by its whole phrase.
            left = [c for c in token.lefts if c.dep_ in _NP_DEPS]
            start = min((min(t.idx for t in c.subtree) for c in left), default=token.idx)
            end = max(entity.span.end, token.idx + len(token.text))
            return min(start, entity.span.start), end
        if entity is not None:
            start = entity.span.start
            first = self.doc.char_span(start, entity.span.end, alignment_mode="expand")
            if first is not None and first.start > 0:
                before = self.doc[first.start - 1]
                if before.lower_ in HONORIFICS:
                    start = before.idx
            return start, entity.span.end
        if token.pos_ == "PRON":
            return token.idx, token.idx + len(token.text)
        left = [c for c in token.lefts if c.dep_ in _NP_DEPS]
        start = min((min(t.idx for t in c.subtree) for c in left), default=token.idx)
        return start, token.idx + len(token.text)

    # ------------------------------------------------------------------ placeholders

    def _line_label(self, start: int, end: int) -> bool:
        """True for a mention heading its line as a label ("UPDATE:", a word alone on a line)."""
        line_start = self.text.rfind("\n", 0, start) + 1
        if self.text[line_start:start].strip():
            return False
        words = self.text[start:end]
        if words.isupper() and words.split()[0].lower() in LINE_LABEL_WORDS:
            return True
        line_end = self.text.find("\n", end)
        rest = self.text[end : len(self.text) if line_end < 0 else line_end].strip()
        return not rest or rest[0] in ":|\u2014\u2013\u2015-"

    def _is_label(self, token: Token) -> bool:
        return self._line_label(*self._mention(token))

    def _placeholder_kind(self, token: Token, entity: EntityMention | None) -> str | None:
        """ "document", "agent" or "media" when *token* stands in for a speaker (see
        `newsprism.data.attribution`), "label" for a line label, None for a speaker mention."""
        if self._is_label(token):
            return "label"
        if entity is not None:
            tail = entity.text.split()[-1].lower()
            return "media" if entity.label == "ORG" and tail in OUTLET_TAIL_WORDS else None
        words = {token.lower_, token.lemma_.lower()}
        if token.pos_ not in {"NOUN", "PROPN"}:
            return None
        if words & DOCUMENT_NOUNS:
            return "document"
        if words & AGENT_NOUNS:
            return "agent"
        return "media" if words & MEDIA_NOUNS else None

    def _author(self, token: Token, kind: str) -> Token | None:
        """Who a placeholder stands for, in its own phrase: a name in apposition ("his lawyer,
        Ann Roe"); for documents also the possessor or "from"/"by"/"issued by" phrase."""
        for child in token.children:
            if child.dep_ == "appos" and not self.in_quote(child.idx):
                return child
        if kind != "document":
            return None  # "Doe's lawyer": Doe did not say it
        for child in token.children:
            if child.dep_ == "poss":
                return child
            if child.dep_ == "prep" and child.lower_ in AUTHOR_PREPOSITIONS:
                return next((c for c in child.children if c.dep_ == "pobj"), None)
            if child.dep_ == "acl":  # "a statement issued by Doe"
                for agent in (c for c in child.children if c.dep_ == "agent"):
                    return next((c for c in agent.children if c.dep_ == "pobj"), None)
        if token.dep_ == "dobj" and token.head.lemma_.lower() in AUTHORING_VERBS:
            for child in token.head.children:  # "Doe wrote an article that said"
                if child.dep_ == "nsubj" and not self.in_quote(child.idx):
                    return child
        return None

    def _placeholder(
        self, token: Token, kind: str, span: tuple[int, int], depth: int
    ) -> Attribution | None:
        """A placeholder resolved to the name its phrase gives, else an unnamed speaker."""
        if kind == "label":
            return None
        author = self._author(token, kind) if depth < MAX_PLACEHOLDER_DEPTH else None
        if author is not None:
            found = self._resolve(author, depth + 1)
            if found is not None and found.name and self._trusted_author(author, found):
                return found
        return Attribution(span[0], span[1], None, None, False, "placeholder")

    def _trusted_author(self, author: Token, found: Attribution) -> bool:
        """An apposition must name someone; a document's author may also be a pronoun or a
        description of a person or body ("a statement from the ministry")."""
        if found.how == "named":
            return True
        if author.dep_ == "appos":
            return False
        head = author.lemma_.lower()
        return found.how == "pronoun" or head in ORG_NOUNS or head in TITLE_WORDS

    # ------------------------------------------------------------------ names

    def _person_name(self, mention: str) -> str:
        words = [w for w in mention.split() if w.casefold().rstrip(".") not in TITLE_WORDS]
        words = [w for w in words if w.casefold() not in HONORIFICS]
        if not words:
            return mention
        surname = words[-1]
        best = " ".join(words)
        for entity in self.entities:
            longer = len(entity.text.split()) > len(best.split())
            if entity.label == "PERSON" and entity.text.split()[-1] == surname and longer:
                best = entity.text
        return best

    def _entity_name(self, entity: EntityMention) -> str:
        return self._person_name(entity.text) if entity.label == "PERSON" else entity.text

    def _fits(self, token: Token, pronoun: str) -> str | None:
        """The name *token* gives when it can be what *pronoun* refers to."""
        entity = self.entity_at(token.idx)
        if self._is_label(token):
            return None
        if pronoun in PERSON_PRONOUNS:
            if entity is not None and entity.label == "PERSON":
                return self._entity_name(entity)
            return None
        if entity is not None and entity.label in {"ORG", "GPE", "NORP"}:
            return self._entity_name(entity)
        if (
            entity is None
            and token.pos_ == "NOUN"
            and (token.tag_ == "NNS" or (pronoun == "it" and token.lemma_.lower() in ORG_NOUNS))
        ):
            start, end = self._mention(token)
            return self._description(token, self.text[start:end])
        return None

    def _antecedent(self, pronoun: Token, lower: str | None = None) -> str | None:
        """Nearest fitting subject before a pronoun (people for he/she, groups for they/it),
        else the nearest fitting entity mention."""
        lower = lower or pronoun.lower_
        floor = max(pronoun.idx - ANTECEDENT_WINDOW_CHARS, 0)
        fallback: str | None = None
        for token in reversed(self._tokens(floor, pronoun.idx)):
            if self.in_quote(token.idx) or token.pos_ == "PRON":
                continue
            name = self._fits(token, lower)
            if name is None:
                continue
            if token.dep_ in {"nsubj", "nsubjpass"}:
                return name
            if fallback is None and (lower in PERSON_PRONOUNS or token.pos_ == "PROPN"):
                fallback = name
        return fallback

    def _description(self, token: Token, mention: str) -> str:
        """A definite description ("the ministry") resolved to a fuller earlier name."""
        head = token.lemma_.lower()
        for _, lemma, name in reversed(self.speaker_history):
            if lemma == head and len(name) > len(mention):
                return name
        floor = max(token.idx - ANTECEDENT_WINDOW_CHARS, 0)
        for earlier in reversed(self._tokens(floor, token.idx)):
            if earlier.lemma_.lower() == head and not self.in_quote(earlier.idx):
                start, end = self._mention(earlier)
                if end - start > len(mention) and self.text[start].isupper():
                    return self.text[start:end]
        for entity in reversed(self.entities):
            before = entity.span.start < token.idx and len(entity.text) > len(mention)
            if before and head in entity.text.lower().split():
                return entity.text
        words = mention.split()
        return " ".join(words[1:]) if words and words[0].lower() in {"the", "a", "an"} else mention

    def _adjacent_subject(self, verb: Token) -> Token | None:
        """A name right before the verb ("..." Flynn, a surrogate, said) or right after it
        ("..." said Flynn), for when the parse hung the name somewhere else. Never across a
        line break, and never a line label."""
        doc = self.doc
        line_start = self.text.rfind("\n", 0, verb.idx)
        line_end = self.text.find("\n", verb.idx)
        line_end = len(self.text) if line_end < 0 else line_end
        for i in range(verb.i - 1, max(verb.i - 12, -1), -1):
            if self.in_quote(doc[i].idx) or doc[i].idx <= line_start:
                break
            entity = self.entity_at(doc[i].idx)
            if entity is not None and entity.label in {"PERSON", "ORG"}:
                return None if self._is_label(doc[i]) else doc[i]
        for i in range(verb.i + 1, min(verb.i + 6, len(doc))):
            if self.in_quote(doc[i].idx) or doc[i].is_sent_start or doc[i].idx >= line_end:
                break
            entity = self.entity_at(doc[i].idx)
            if entity is not None and entity.label == "PERSON":
                return doc[i]
        return None

    def _name(
        self, token: Token, entity: EntityMention | None, mention: str
    ) -> tuple[str | None, SpeakerHow]:
        """The name a speaker mention stands for, and how it was found."""
        if entity is not None and _common_noun_org(entity):
            # "Russia's defence ministry" is named by its proper-noun possessor; "the
            # ministry" only describes.
            how: SpeakerHow = "named" if self._has_proper_part(token) else "description"
            return self._description(token, mention), how
        if entity is not None:
            return self._entity_name(entity), "named"
        if token.pos_ == "PRON":
            pronoun = POSSESSIVE_PRONOUNS.get(token.lower_, token.lower_)
            if pronoun not in PERSON_PRONOUNS | GROUP_PRONOUNS:
                return None, "none"
            return self._antecedent(token, pronoun), "pronoun"
        if _is_person_title(token) and mention.split()[0].lower() in {"the", "this", "that"}:
            # "the senator said": the nearest fitting person before, as for "he".
            found = self._antecedent(token, "he") or self._description(token, mention)
            return found, "description"
        how = "named" if token.pos_ == "PROPN" and mention[:1].isupper() else "description"
        return self._description(token, mention), how

    def _clause_subject(self, pronoun: Token) -> Token | None:
        """The subject of the clause a possessive pronoun stands in, when it can be what the
        pronoun refers to ("Doe defended his claim": his = Doe)."""
        if pronoun.dep_ != "poss" or pronoun.lower_ not in POSSESSIVE_PRONOUNS:
            return None
        verb = pronoun.head
        for _ in range(_MAX_CLIMB):
            if verb.pos_ in {"VERB", "AUX"} or verb.head is verb:
                break
            verb = verb.head
        person = POSSESSIVE_PRONOUNS.get(pronoun.lower_, "") in PERSON_PRONOUNS
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubjpass"} and child.i < pronoun.i:
                entity = self._mention_entity(child)
                is_person = (entity is not None and entity.label == "PERSON") or bool(
                    {child.lemma_.lower()} & (TITLE_WORDS | AGENT_NOUNS)
                )
                return child if is_person == person and child.pos_ != "PRON" else None
        return None

    def _has_proper_part(self, token: Token) -> bool:
        return any(
            t.pos_ == "PROPN" or t.ent_type_ in {"GPE", "NORP", "ORG"}
            for child in token.lefts
            if child.dep_ in {"poss", "compound", "amod"}
            for t in child.subtree
        )

    def _resolve(self, token: Token, depth: int = 0) -> Attribution | None:
        """The speaker mention around *token*, its name and how the name was found."""
        subject = self._clause_subject(token) if depth < MAX_PLACEHOLDER_DEPTH else None
        if subject is not None:
            found = self._resolve(subject, depth + 1)
            if found is not None and found.name:
                end = token.idx + len(token.text)
                return replace(found, start=token.idx, end=end, how="pronoun")
        entity = self._mention_entity(token)
        start, end = self._mention(token)
        kind = self._placeholder_kind(token, entity)
        if kind is not None:
            return self._placeholder(token, kind, (start, end), depth)
        name, how = self._name(token, entity, self.text[start:end])
        if name is None:
            return None
        self.speaker_history.append((start, token.lemma_.lower(), name))
        return Attribution(start=start, end=end, name=name, cue=None, syntactic=False, how=how)

    def attribute(self, verb: Token, syntactic: bool) -> Attribution | None:
        subject = self._subject(verb)
        if subject is not None and self._is_label(subject):
            subject = None
        if subject is None or subject.like_num or subject.ent_type_ in _NOT_SPEAKERS:
            subject = self._adjacent_subject(verb)
        if subject is None:
            return None
        found = self._resolve(subject)
        if found is None:
            return None
        cue = "according to" if verb.lower_ == "according" else verb.text
        return replace(found, cue=cue, syntactic=syntactic)

    # ------------------------------------------------------------------ frames

    def _claim_holder(self, token: Token) -> Token:
        """ "Doe's claim" -> Doe; anything else is its own holder."""
        if token.lemma_.lower() in CLAIM_NOUNS:
            for child in token.children:
                if child.dep_ == "poss" and not self.in_quote(child.idx):
                    return child
        return token

    def _owner(self, token: Token, via: str) -> Token | None:
        """Who owns words reaching *token* through dependency *via* when that is not its
        subject: the possessor of a claim noun ("Doe's claim that"), the object of a
        concurring verb ("agreed with Doe that", "echoed Doe's warning that")."""
        lemma = token.lemma_.lower()
        if token.pos_ in {"NOUN", "PROPN"} and lemma in CLAIM_NOUNS and via in _CONTENT_DEPS:
            holder = self._claim_holder(token)
            return holder if holder is not token else None
        if token.pos_ != "VERB" or lemma not in CONCUR_VERBS or via != "ccomp":
            return None
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "with":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                return self._claim_holder(pobj) if pobj is not None else None
            if child.dep_ == "dobj" and lemma == "echo" and not self.in_quote(child.idx):
                return self._claim_holder(child)
        return None

    def _frame(self, start: int, end: int) -> tuple[Token, Token] | None:
        """(owner, cue) when the parse hangs the quote from someone else's words before any
        speech verb: "agreed with Doe that '...'" gives the words to Doe, not the subject."""
        for token in self._tokens(start, end):
            head, via = token.head, token.dep_
            if start <= head.idx < end:
                continue
            for _ in range(_MAX_CLIMB):
                owner = self._owner(head, via)
                if owner is not None:
                    return owner, head
                if self._is_speech(head, weak_ok=True) or head.head is head:
                    break
                head, via = head.head, head.dep_
        return None

    def _framed(self, start: int, end: int) -> Attribution | None:
        frame = self._frame(start, end)
        if frame is None:
            return None
        owner, cue = frame
        found = self._resolve(owner)
        if found is not None and found.name and found.how in {"named", "pronoun"}:
            return replace(found, cue=cue.text, syntactic=True)
        # The sentence gives the words to someone it does not name: better unnamed than a guess.
        o_start, o_end = self._mention(owner)
        return Attribution(o_start, o_end, None, cue.text, True, "none")

    # ------------------------------------------------------------------ entry points

    def named_at(self, start: int, limit: int) -> Attribution | None:
        """A speaker written right at *start* ("― Pamela Padilla" after a quote)."""
        entity = self.entity_at(start)
        if entity is not None and entity.label in {"PERSON", "ORG"}:
            name = self._entity_name(entity)
            return Attribution(entity.span.start, entity.span.end, name, None, False)
        end = start
        for word in self.text[start:limit].replace("\u00a0", " ").split(" ")[:4]:
            if not word[:1].isupper():
                break
            end += len(word) + 1
        words = self.text[start:end].strip(" ,.;")
        if not words:
            return None
        return Attribution(start, start + len(words), words, None, False)

    def speaker_of(
        self, start: int, end: int, low: int, high: int, paragraph: tuple[int, int] | None = None
    ) -> Attribution | None:
        """Speaker of the quote at ``[start, end)``: the owner of a frame it hangs from ("agreed
        with Doe that"), else the speech verb the parse hangs it from (anywhere in
        *paragraph*), else the nearest speech verb within ``[low, high)``."""
        framed = self._framed(start, end)
        if framed is not None:
            return framed
        verb = self._verb_above(start, end)
        p_low, p_high = paragraph or (low, high)
        if verb is not None and p_low <= verb.idx < p_high:
            found = self.attribute(verb, syntactic=True)
            if found is not None:
                return found
        verb = self._verb_near(start, end, low, high)
        return self.attribute(verb, syntactic=False) if verb is not None else None

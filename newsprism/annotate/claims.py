"""Claims below the sentence: the units facts are made of, from spaCy's parse.

A sentence is split into the claims it makes:

- an attribution frame ("X said (that) P", "P, X said", "according to X, P") gives claim P,
  attributed to X (the outlet only reports it);
- coordinated main clauses ("A did X, and B did Y") give one claim each, when the second
  clause has its own subject;
- a non-restrictive relative clause ("Tokayev, who took office in 2019, said ...") or an
  apposition with a verb of its own ("the CSTO, an alliance often touted as ...") asserts
  something of its own and becomes a claim of its own too.

Everything else stays one claim per sentence. Each claim is a Span of the article text, trimmed
of edge punctuation and quote marks. A piece without a verb, or with fewer than
`MIN_CLAIM_WORDS` words, is a fragment and never a claim ('"..."', ", and rank-and-file ...").
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from newsprism.data import claims as cfg
from newsprism.data.speech_verbs import SPEECH_VERBS
from newsprism.model import Claim, EntityMention, Quantity, Sentence, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

_EDGE = " .!?\t\n\"'“”‘’«»,;:—–-()[]"
_VERB_POS = frozenset({"VERB", "AUX"})


def find_claims(
    doc: Doc,
    sentences: Sequence[Sentence],
    entities: Sequence[EntityMention],
    quantities: Sequence[Quantity],
    article_id: str,
) -> tuple[Claim, ...]:
    """The claims of every sentence, in text order."""
    found: list[Claim] = []
    text = doc.text  # spaCy rebuilds it token by token on each access: once per article
    # Each sentence sees only the mentions inside it (bisected by start), so a long article
    # costs claims x mentions-per-sentence, not claims x mentions.
    entities = sorted(entities, key=lambda e: e.span.start)
    quantities = sorted(quantities, key=lambda q: q.span.start)
    entity_starts = [e.span.start for e in entities]
    quantity_starts = [q.span.start for q in quantities]
    for sentence in sentences:
        tokens = doc.char_span(sentence.span.start, sentence.span.end, alignment_mode="expand")
        if tokens is None:
            continue
        bounds = (sentence.span.start, sentence.span.end)
        inside_entities = entities[
            bisect_left(entity_starts, bounds[0]) : bisect_left(entity_starts, bounds[1])
        ]
        inside_quantities = quantities[
            bisect_left(quantity_starts, bounds[0]) : bisect_left(quantity_starts, bounds[1])
        ]
        for start, end, speaker in _pieces(tokens):
            claim = claim_at(
                doc,
                start,
                end,
                sentence=sentence,
                entities=inside_entities,
                quantities=inside_quantities,
                article_id=article_id,
                speaker=speaker,
                text=text,
            )
            if claim is not None:
                found.append(claim)
    return tuple(found)


def _pieces(tokens: SpacySpan) -> Iterator[tuple[int, int, str | None]]:
    """(start char, end char, speaker) of each claim of one sentence."""
    head = _root(tokens)
    if head is None:
        yield tokens.start_char, tokens.end_char, None
        return
    content, speaker = _attributed_content(head)
    clause_head, content_range = head, (tokens.start_char, tokens.end_char)
    # Attribution inside attribution ("P, police said" where P is "Putin hinted that Q"):
    # the claim is the innermost content, attributed to its innermost speaker.
    for _depth in range(cfg.MAX_ATTRIBUTION_DEPTH):
        if content is None:
            break
        clause_head, content_range = content, _said_range(content)
        content, inner = _attributed_content(content)
        speaker = inner or speaker
    asides = _misparsed_aside(head) if clause_head is head else []
    if asides:
        for start, end in asides:
            yield start, end, speaker
    else:
        yield from _coordinated(clause_head, content_range, speaker)
    for token in tokens:
        if _asserts_aside(token):
            start, end = _subtree_range(token)
            yield start, end, None


def _misparsed_aside(head: Token) -> list[tuple[int, int]]:
    """A clause and an apposition the parser read as "P, X verbed" with a root verb that is
    not a speech verb ("... the CSTO, an alliance often touted as a Nato equivalent"): P and
    the apposition after the comma are claims of their own."""
    clauses = [c for c in head.children if c.dep_ == "ccomp" and c.i < head.i]
    subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < head.i]
    if not clauses or not subjects or not _after_comma(subjects[0]):
        return []
    clause, subject = clauses[0], subjects[0]
    if clause.right_edge.i >= subject.left_edge.i:
        return []
    commas = [c for c in head.children if c.text == "," and c.i > head.i]
    last = head.doc[commas[0].i - 1] if commas else head.right_edge
    return [_subtree_range(clause), (subject.left_edge.idx, last.idx + len(last.text))]


def _asserts_aside(token: Token) -> bool:
    """A non-restrictive relative clause ("Tokayev, who took office in 2019, ...") or an
    apposition that asserts something with a verb of its own ("the CSTO, an alliance often
    touted as a Nato equivalent, ..."): set off by a comma, it is a claim of its own."""
    if not _after_comma(token):
        return False
    if token.dep_ == "relcl":
        return True
    return token.dep_ == "appos" and any(t.pos_ == "VERB" for t in token.subtree if t is not token)


def _root(tokens: SpacySpan) -> Token | None:
    for token in tokens:
        if token.dep_ == "ROOT" or token.head.i < tokens.start or token.head.i >= tokens.end:
            return token
    return None


def _attributed_content(head: Token) -> tuple[Token | None, str | None]:
    """The head of P in "X said (that) P" / "P, X said", and X's words."""
    if head.lemma_.lower() in SPEECH_VERBS:
        complements = [c for c in head.children if c.dep_ in ("ccomp", "xcomp")]
        if complements and complements[0].pos_ in _VERB_POS:
            subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
            speaker = _text(subjects[0]) if subjects else None
            return complements[0], speaker
    for child in head.children:  # "according to X, P": X in a prep phrase of the main verb
        if child.lower_ == "according" and child.dep_ == "prep":
            objects = [t for t in child.subtree if t.dep_ == "pobj"]
            return None, _text(objects[0]) if objects else None
    return None, None


def _coordinated(
    head: Token, bounds: tuple[int, int], speaker: str | None
) -> Iterator[tuple[int, int, str | None]]:
    """The claims of a clause split at its conjoined verbs. A conjoined speech verb ("X framed
    the clashes as a coup and said that P") makes P the claim, as "X said that P" does,
    attributed to its own subject or else to the clause's."""
    subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
    for start, end, conj in _split_coordination(head, bounds):
        content, own = _attributed_content(conj) if conj is not None else (None, None)
        said_by = own or (_text(subjects[0]) if subjects else None)
        if content is not None and said_by:
            content_start, content_end = _said_range(content)
            yield content_start, min(content_end, end), said_by
        else:
            yield start, end, speaker


def _split_coordination(
    head: Token, bounds: tuple[int, int]
) -> list[tuple[int, int, Token | None]]:
    """Split at conjoined verbs (along a chain "A, B and C") that have a subject of their own,
    follow ", but", or are speech verbs with a clause of what was said; each piece with the
    conjoined verb it starts at (None for the first)."""
    chain, splits = [head], []
    while chain:
        for conj in chain.pop().children:
            if conj.dep_ == "conj" and conj.pos_ in _VERB_POS:
                chain.append(conj)
                if (
                    any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children)
                    or _contrasted(conj)
                    or _attributed_content(conj)[0] is not None
                ):
                    splits.append(conj)
    splits = sorted(
        (c for c in splits if bounds[0] < c.left_edge.idx < bounds[1]), key=lambda c: c.left_edge.i
    )
    if not splits:
        return [(*bounds, None)]
    pieces: list[tuple[int, int, Token | None]] = []
    start, starts_at = bounds[0], None
    for conj in splits:
        left = conj.left_edge
        cut = left.idx
        # The coordinator and the comma before it belong to neither claim.
        k = left.i - 1
        while k > head.doc[0].i and k >= left.i - 2 and head.doc[k].dep_ in ("cc", "punct"):
            cut = head.doc[k].idx
            k -= 1
        pieces.append((start, cut, starts_at))
        start, starts_at = left.idx, conj
    pieces.append((start, bounds[1], starts_at))
    return pieces


def _contrasted(conj: Token) -> bool:
    """A conjoined verb introduced by ", but" (", yet"): a second assertion of the subject's,
    "X is A, but previously was B", even without a subject of its own."""
    doc, left = conj.doc, conj.left_edge.i
    before = [t.lower_ for t in doc[max(left - 2, 0) : left]]
    return len(before) == 2 and before[0] == "," and before[1] in cfg.CONTRAST_COORDINATORS


def _after_comma(token: Token) -> bool:
    left = token.left_edge
    return left.i > 0 and token.doc[left.i - 1].text == ","


def _said_range(content: Token) -> tuple[int, int]:
    """The characters of what was said, without the "that" that introduces it."""
    start, end = _subtree_range(content)
    first = content.left_edge
    if first.dep_ == "mark" and first.lower_ == "that" and first.head.i == content.i:
        start = content.doc[first.i + 1].idx
    return start, end


def _subtree_range(token: Token) -> tuple[int, int]:
    left, right = token.left_edge, token.right_edge
    return left.idx, right.idx + len(right.text)


def _text(token: Token) -> str:
    start, end = _subtree_range(token)
    left, right = token.left_edge, token.right_edge
    return token.doc[left.i : right.i + 1].text  # the same characters, without the whole doc.text


def claim_at(
    doc: Doc,
    start: int,
    end: int,
    *,
    sentence: Sentence | None,
    entities: Sequence[EntityMention],
    quantities: Sequence[Quantity],
    article_id: str,
    speaker: str | None = None,
    fragments: bool = False,
    text: str | None = None,
) -> Claim | None:
    """The claim at characters [start, end) of *doc* (trimmed of edge punctuation), or None
    for a fragment (no verb, too few words) unless *fragments* allows it. *text* is
    ``doc.text`` when the caller has it already (spaCy rebuilds it on each access)."""
    text = doc.text if text is None else text
    start, end = max(start, 0), min(end, len(text))
    if sentence is not None:
        start, end = max(start, sentence.span.start), min(end, sentence.span.end)
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    if end <= start:  # a piece the sentence bounds left empty (or reversed) is no claim
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    words = [t for t in span if t.is_alpha or t.like_num]
    has_verb = any(t.pos_ in _VERB_POS for t in span)
    if not fragments and (not has_verb or len(words) < cfg.MIN_CLAIM_WORDS):
        return None
    inside = Span(article_id=article_id, start=start, end=end)
    figures = tuple(q for q in quantities if inside.contains(q.span))
    return Claim(
        span=inside,
        text=text[start:end],
        sentence=sentence.index if sentence is not None else -1,
        lemmas=tuple(sorted(_content(span))),
        entities=tuple(sorted({e.text.lower() for e in entities if inside.contains(e.span)})),
        figures=figures,
        negated=_negated(span, figures),
        speaker=speaker,
    )


def _content(span: SpacySpan) -> set[str]:
    lemmas = set()
    for token in span:
        lemma = token.lemma_.lower()
        if token.pos_ in cfg.CONTENT_POS and not token.is_stop and lemma not in cfg.NON_CONTENT:
            lemmas.add(token.text.lower() if token.pos_ == "PROPN" else lemma)
    return lemmas


def _negated(span: SpacySpan, figures: Sequence[Quantity]) -> bool:
    """True when the claim states its main content negatively (an odd count of negations,
    counting stance verbs such as "refused to" and "denied"). A negation inside a figure's
    hedge ("no more than 10 days", "not less than") bounds the figure and flips nothing."""
    hedged = [(q.span.start, q.span.end) for q in figures]
    flips = 0
    for token in span:
        if any(start <= token.idx < end for start, end in hedged):
            continue
        lemma = token.lemma_.lower()
        if token.dep_ == "neg" or token.lower_ in cfg.NEGATIONS:
            flips += 1
        elif token.pos_ == "VERB" and lemma in cfg.NEGATIVE_STANCE:
            particle = cfg.STANCE_PARTICLES.get(lemma)
            if particle is None or any(c.lower_ == particle for c in token.children):
                flips += 1
    return flips % 2 == 1

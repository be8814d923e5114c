"""The data model: frozen dataclasses passed from stage to stage, nothing else.

Every derived thing (a sentence, a quote, a fact, a timeline entry) holds `Span`s that point at
character offsets of the cleaned `Article.text` it came from, so a brief can always be checked
against its sources: ``article.text[span.start:span.end]`` is exactly the cited words.

Stage by stage (see SPEC "Architecture")::

    ingest/   -> RawDocument, Rejection
    clean/    -> Article (+ Removal)
    annotate/ -> AnnotatedArticle (Sentence, EntityMention, Quantity, DateMention, Quote)
    dedup/    -> Origins (DuplicateGroup, SharedPassage)
    stories/  -> Story
    compare/  -> StoryAnalysis (ClaimGroup, Disagreement, QuoteGroup, Entity, TimelineEntry)
    brief/    -> StoryBrief, Brief
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from newsprism.errors import InputError

FactStatus = Literal["corroborated", "single_source", "disputed"]
DisagreementKind = Literal["incompatible", "differing"]
DisagreementField = Literal["number", "date", "speaker", "claim"]
QuoteKind = Literal["direct", "partial"]
# How a quote's speaker was found: a name in the quote's own sentence or attribution clause, a
# pronoun or description resolved to an earlier name, a placeholder ("the statement", "his
# lawyer") left unnamed, the speaker of the quote it carries on from, or none.
SpeakerHow = Literal["named", "pronoun", "description", "placeholder", "inherited", "none"]
Precision = Literal["day", "week", "month", "year", "range", "unknown"]
MediaType = Literal["text/plain", "text/html"]


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class Span:
    """Character offsets ``[start, end)`` into the cleaned text of one article."""

    article_id: str
    start: int
    end: int

    def text_of(self, text: str) -> str:
        """The characters of *text* this span covers."""
        return text[self.start : self.end]

    def contains(self, other: Span) -> bool:
        """True when *other* lies inside this span of the same article."""
        return (
            self.article_id == other.article_id
            and self.start <= other.start
            and other.end <= self.end
        )


# --------------------------------------------------------------------------- ingest


@dataclass(frozen=True, slots=True, kw_only=True)
class RawDocument:
    """One input before cleaning: its bytes, media type and whatever metadata came with it.

    `source` is the file path or URL it came from, or for a JSON/JSONL record its ``id``.
    Metadata fields are None where the input did not say; cleaning fills the gaps.
    """

    source: str
    data: bytes
    media_type: MediaType
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: datetime | None = None
    byline: str | None = None
    story: str | None = None
    fetched_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejection:
    """An input that could not become an article, kept with the reason (nothing is lost)."""

    source: str
    reason: str
    code: str = "E000"

    @classmethod
    def from_error(cls, error: InputError, where: str | None = None) -> Rejection:
        """The rejection that records *error*: its input, its message (without the code and
        the input's name, which are fields of their own) and its code. *where* (a file and
        record number) is added when the error names the record only by its own id or link,
        so that every rejection says where to look."""
        reason = error.detail
        if where is not None and where not in f"{error.source} {reason}":
            reason = f"{reason} (in {where})"
        return cls(source=error.source, reason=reason, code=error.code)


# --------------------------------------------------------------------------- clean


@dataclass(frozen=True, slots=True, kw_only=True)
class Removal:
    """A piece of debris cleaning took out of the text, and why."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """A cleaned article. `id` is a content hash of `text`, never a database row id."""

    id: str
    source: str
    outlet: str
    title: str
    text: str
    published: datetime | None = None
    url: str | None = None
    byline: str | None = None
    story: str | None = None
    removed: tuple[Removal, ...] = ()
    raw_ref: str = ""  # sha256 of the raw input bytes: where the untouched input is kept


# --------------------------------------------------------------------------- annotate


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    """One sentence of an article; `index` counts sentences, `paragraph` counts paragraphs."""

    span: Span
    text: str
    index: int
    paragraph: int


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityMention:
    """A named-entity mention: PERSON, ORG, GPE, NORP, LOC, ... (spaCy labels, fixed by rules)."""

    span: Span
    text: str
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Quantity:
    """A figure with its hedge as an interval, what it counts and the event it belongs to.

    "about 2,500 sent in" -> value 2500, qualifier "about", low/high the tolerance band,
    unit "troops", event "send". `sentence` is the index of the sentence holding it.
    """

    span: Span
    text: str
    value: float
    low: float
    high: float
    qualifier: str
    unit: str
    event: str | None
    sentence: int
    kind: Literal["count", "money", "percent", "duration", "other"] = "count"


@dataclass(frozen=True, slots=True, kw_only=True)
class DateMention:
    """A date or time expression, resolved against the article's publication date.

    `value` is an ISO date (the start of the period) or None when it cannot be resolved;
    `end` is the ISO end date for weeks and ranges.
    """

    span: Span
    text: str
    value: str | None
    end: str | None
    precision: Precision
    sentence: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """A quotation: `span` covers the quoted words (without the quote marks)."""

    span: Span
    text: str
    kind: QuoteKind
    speaker: str | None
    speaker_span: Span | None
    cue: str | None
    sentence: int
    # Only "named" speakers can disagree across outlets (newsprism.compare.quotes).
    speaker_how: SpeakerHow = "none"


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """One thing a sentence asserts: a clause, a relative clause, or the content P of an
    attribution "X said P" (then `speaker` is X's words). Facts are groups of claims.

    `lemmas` are its content words (lemmas; proper nouns as written, lower-cased), `entities`
    the named entities and `figures` the quantities inside it, `negated` its polarity.
    """

    span: Span
    text: str
    sentence: int
    lemmas: tuple[str, ...]
    entities: tuple[str, ...] = ()
    figures: tuple[Quantity, ...] = ()
    negated: bool = False
    speaker: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AnnotatedArticle:
    """An article with everything the annotators found in it.

    `sentence_vectors` / `claim_vectors` are float32 arrays (one unit-length row per sentence /
    claim) from the embedder; they are left out of equality so briefs compare by content.
    """

    article: Article
    sentences: tuple[Sentence, ...]
    entities: tuple[EntityMention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    captions: tuple[int, ...] = ()  # indexes of sentences that are photo captions
    sentence_vectors: Any = field(default=None, compare=False, repr=False)
    claim_vectors: Any = field(default=None, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.article.id


# --------------------------------------------------------------------------- dedup


@dataclass(frozen=True, slots=True, kw_only=True)
class DuplicateGroup:
    """Articles that are the same text (exact) or a reprint of it (near); the first is kept."""

    article_ids: tuple[str, ...]
    kind: Literal["exact", "near"]
    similarity: float


@dataclass(frozen=True, slots=True, kw_only=True)
class SharedPassage:
    """A sentence or paragraph reused verbatim or near-verbatim across articles (wire copy)."""

    spans: tuple[Span, ...]
    similarity: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Origins:
    """Who copied whom: duplicate groups, shared passages and an origin id per article.

    `article_origin` maps each article id to its origin id (duplicates share one).
    A span inside a shared passage takes the passage's origin; see `origin_of`.
    """

    article_origin: dict[str, str]
    duplicates: tuple[DuplicateGroup, ...] = ()
    passages: tuple[SharedPassage, ...] = ()

    def origin_of(self, span: Span) -> str:
        """The origin a cited span counts as when counting independent sources."""
        for number, passage in enumerate(self.passages):
            if any(member.contains(span) or span.contains(member) for member in passage.spans):
                return f"passage:{number}"
        return self.article_origin.get(span.article_id, span.article_id)


# --------------------------------------------------------------------------- stories


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """A group of articles about one event. `id` never changes once given."""

    id: str
    article_ids: tuple[str, ...]
    headline: str = ""


# --------------------------------------------------------------------------- compare


@dataclass(frozen=True, slots=True, kw_only=True)
class AddedDetail:
    """A detail of a fact (a figure, name, place or date) that only one outlet gives."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimGroup:
    """Sentences of different articles that state the same thing (a fact of the brief)."""

    id: str
    text: str  # the representative claim's words
    members: tuple[Span, ...]
    status: FactStatus
    independent_sources: int
    added: tuple[AddedDetail, ...] = ()  # what one outlet adds to the shared core


@dataclass(frozen=True, slots=True, kw_only=True)
class DisagreementClaim:
    """One side of a disagreement: an outlet's value, as an interval, with its words."""

    value: str
    low: float | None
    high: float | None
    qualifier: str | None
    unit: str | None
    text: str
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Disagreement:
    """Outlets stating different figures, dates or speakers for the same thing."""

    subject: str
    kind: DisagreementKind
    field: DisagreementField
    claims: tuple[DisagreementClaim, ...]
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteCitation:
    """Where one article carries a quote, and where it names the speaker."""

    span: Span
    speaker_span: Span | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteVariant:
    """Another article's wording of a quote; `altered` when words changed, not only trimmed."""

    text: str
    article_id: str
    altered: bool
    span: Span | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteGroup:
    """One quote across outlets: its speaker, its words and every outlet's wording."""

    speaker: str | None
    speaker_entity_id: str | None
    kind: QuoteKind
    text: str
    citations: tuple[QuoteCitation, ...]
    variants: tuple[QuoteVariant, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """One real-world referent across the articles of a story."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    article_ids: tuple[str, ...]
    mentions: tuple[Span, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEntry:
    """A dated event: the sentence around a resolved date expression."""

    date: str
    precision: Precision
    text: str
    span: Span
    end: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Coverage:
    """What one article adds (facts only it carries) and omits (corroborated facts it lacks)."""

    article_id: str
    outlet: str
    unique_facts: tuple[str, ...]  # ClaimGroup ids
    omits: tuple[str, ...]  # ClaimGroup ids


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryAnalysis:
    """What the compare stage found across one story's articles, before the brief is composed.

    Duplicates (exact or near reprints) are analysed once: `primary` lists the articles that
    stand for themselves (the first of each duplicate group and every unduplicated article).
    """

    primary: tuple[str, ...]
    duplicates: tuple[DuplicateGroup, ...]
    facts: tuple[ClaimGroup, ...]
    disagreements: tuple[Disagreement, ...]
    quotes: tuple[QuoteGroup, ...]
    entities: tuple[Entity, ...]
    timeline: tuple[TimelineEntry, ...]


# --------------------------------------------------------------------------- brief


@dataclass(frozen=True, slots=True, kw_only=True)
class SummaryItem:
    """One summary sentence: source text and every article whose sentence says it."""

    text: str
    citations: tuple[Span, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryBrief:
    """The cross-source brief of one story."""

    id: str
    headline: str
    article_ids: tuple[str, ...]
    summary: tuple[SummaryItem, ...] = ()
    facts: tuple[ClaimGroup, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    quotes: tuple[QuoteGroup, ...] = ()
    entities: tuple[Entity, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    coverage: tuple[Coverage, ...] = ()
    duplicates: tuple[DuplicateGroup, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Brief:
    """Everything `newsprism brief` produces: the articles and one brief per story."""

    articles: tuple[Article, ...]
    stories: tuple[StoryBrief, ...]
    rejections: tuple[Rejection, ...] = ()

    def article(self, article_id: str) -> Article:
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)

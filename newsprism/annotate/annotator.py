"""The annotate stage: every annotator over a batch of articles, one spaCy parse each.

All articles of a run are parsed in one ``nlp.pipe`` stream with only the spaCy components the
selected annotators read, and every annotator shares the parse. The embedder runs beside the
parse on the other cores (onnxruntime releases the GIL): each article's sentences are sent as its
parse gives its claims, while later articles are still parsed. A claim's vector comes from its
sentence's run (the mean of the sentence's token states over the claim's span), so a claim
costs no run of its own.
Parse processes are used only where they pay (`newsprism.data.throughput`); the embedder then
starts after the parse, since forking beside a running ONNX session is unsafe.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from newsprism.annotate.claims import find_claims
from newsprism.annotate.dates import find_dates
from newsprism.annotate.embed import CharSpan, SpanEmbedder
from newsprism.annotate.entities import find_entities
from newsprism.annotate.quantities import find_quantities
from newsprism.annotate.quotes import find_quotes
from newsprism.annotate.sentences import split_sentences
from newsprism.data.throughput import (
    EMBED_CHUNK_TEXTS,
    PARSE_BATCH,
    PARSE_PROCESS_MIN_CORES,
    PROCESS_MIN_DOCS,
)
from newsprism.model import AnnotatedArticle, Article, Sentence
from newsprism.settings import ANNOTATORS, Settings
from newsprism.stages import stage

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from newsprism.annotate.models import Models

# spaCy components each annotator reads (as spaCy's `select_pipes`: the rest are disabled).
_COMPONENTS: dict[str, frozenset[str]] = {
    "entities": frozenset({"tok2vec", "ner"}),
    "quantities": frozenset({"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"}),
    "dates": frozenset({"tok2vec", "ner"}),
    "quotes": frozenset({"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"}),
    "claims": frozenset({"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"}),
}
_DIMENSION = 384  # all-MiniLM-L6-v2
# A claim covering this share of its sentence reuses the sentence's embedding.
_CLAIM_REUSES_SENTENCE = 0.9


@stage(
    "annotate",
    scope="corpus",
    requires=("articles",),
    assigns=("annotated",),
    uses=("models", "settings"),
)
def annotate_articles(
    articles: Sequence[Article], *, models: Models, settings: Settings | None = None
) -> tuple[AnnotatedArticle, ...]:
    """Annotate *articles* (order kept) with the annotators `settings.annotators` selects.

    Sentences are always split; "vectors" adds sentence and claim embeddings (the embedder of
    *models*).
    """
    settings = settings or Settings()
    selected = frozenset(settings.annotators)
    unknown = selected - set(ANNOTATORS)
    if unknown:
        raise ValueError(f"unknown annotators {sorted(unknown)}; choose from {ANNOTATORS}")
    processes = _parse_processes(settings, len(articles))
    if "vectors" in selected and processes == 1:
        return _annotate_beside_embedder(articles, models, selected)
    sentences = [split_sentences(article) for article in articles]
    docs = _parse(articles, models, selected, processes)
    annotated = [
        _annotate_one(article, sents, doc, selected)
        for article, sents, doc in zip(articles, sentences, docs, strict=True)
    ]
    if "vectors" not in selected:
        return tuple(annotated)
    # Parse processes are forked: only now, with none left, may the embedder's threads run.
    items = [row for a, item in enumerate(annotated) for row in _embedding_items(a, item)]
    vectors, parts = _embed_spans(models, [text for _, text, _ in items], [s for *_, s in items])
    return _assemble(annotated, items, vectors, parts, claims="claims" in selected)


def _parse_processes(settings: Settings, count: int) -> int:
    """spaCy worker processes for *count* articles: only where they pay (`data.throughput`)."""
    cores = os.cpu_count() or 1
    if count < PROCESS_MIN_DOCS or cores < PARSE_PROCESS_MIN_CORES:
        return 1
    return settings.n_process


# Per sentence: (article number, claim numbers), the sentence's text, and the spans (inside it)
# of those claims, which need a vector of their own.
_Item = tuple[tuple[int, tuple[int, ...]], str, list[CharSpan]]


class _Background:
    """Embedding jobs run in order on one thread (each spreads over the embedder's threads),
    while this thread goes on; sentences are sent in chunks so the embedder starts early."""

    def __init__(self, pool: ThreadPoolExecutor, models: Models) -> None:
        self._pool, self._models = pool, models
        self._jobs: list[Future[tuple[Any, list[Any]]]] = []
        self._items: list[_Item] = []
        self.items: list[_Item] = []

    def add(self, items: Iterator[_Item]) -> None:
        self._items.extend(items)
        if len(self._items) >= EMBED_CHUNK_TEXTS:
            self.send()

    def send(self) -> None:
        if self._items:
            texts, spans = [text for _, text, _ in self._items], [s for *_, s in self._items]
            self._jobs.append(self._pool.submit(_embed_spans, self._models, texts, spans))
            self.items.extend(self._items)
            self._items = []

    def results(self) -> tuple[Any, list[Any]]:
        """The sentence vectors and span vectors of every item added, in order (waits)."""
        self.send()
        done = [job.result() for job in self._jobs]
        vectors = [block for block, _ in done]
        parts = [part for _, block_parts in done for part in block_parts]
        return (np.vstack(vectors) if vectors else np.zeros((0, _DIMENSION), np.float32)), parts


def _annotate_beside_embedder(
    articles: Sequence[Article], models: Models, selected: frozenset[str]
) -> tuple[AnnotatedArticle, ...]:
    """Split, parse and annotate here while the embedder works on the other cores, on each
    article's sentences (and its claims' spans in them) as its parse gives them."""
    annotated: list[AnnotatedArticle] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsprism-embed") as pool:
        jobs = _Background(pool, models)
        sentences = [split_sentences(article) for article in articles]
        docs = _parse(articles, models, selected, 1)
        for a, (article, sents, doc) in enumerate(zip(articles, sentences, docs, strict=True)):
            annotated.append(_annotate_one(article, sents, doc, selected))
            jobs.add(_embedding_items(a, annotated[-1]))
        vectors, parts = jobs.results()
    return _assemble(annotated, jobs.items, vectors, parts, claims="claims" in selected)


def _embedding_items(a: int, item: AnnotatedArticle) -> Iterator[_Item]:
    """The sentences of article number *a*, each with the claims in it that need a vector of
    their own: a claim that is (nearly) its whole sentence reuses the sentence's."""
    row_of = {s.index: k for k, s in enumerate(item.sentences)}
    own: list[list[tuple[int, CharSpan]]] = [[] for _ in item.sentences]
    for c, claim in enumerate(item.claims):
        sentence = item.sentences[row_of[claim.sentence]]
        start, end = claim.span.start - sentence.span.start, claim.span.end - sentence.span.start
        share = (end - start) / max(1, len(sentence.text))
        # A claim is a span of its sentence; one that is not keeps the sentence's vector.
        if share < _CLAIM_REUSES_SENTENCE and 0 <= start < end <= len(sentence.text):
            own[row_of[claim.sentence]].append((c, (start, end)))
    for sentence, claims in zip(item.sentences, own, strict=True):
        yield (a, tuple(c for c, _ in claims)), sentence.text, [span for _, span in claims]


def _assemble(
    annotated: list[AnnotatedArticle],
    items: list[_Item],
    vectors: Any,
    parts: list[Any],
    *,
    claims: bool,
) -> tuple[AnnotatedArticle, ...]:
    """`_with_vectors` from the rows of `_embed_spans` over *items* (every sentence in order)."""
    own = {
        (a, c): vector
        for ((a, numbers), _, _), block in zip(items, parts, strict=True)
        for c, vector in zip(numbers, block, strict=True)
    }
    return _with_vectors(annotated, vectors, own, claims=claims)


def _with_vectors(
    annotated: list[AnnotatedArticle],
    vectors: Any,
    own: dict[tuple[int, int], Any],
    *,
    claims: bool,
) -> tuple[AnnotatedArticle, ...]:
    """Each article with its block of sentence *vectors* and, when the claims annotator ran,
    its claims' vectors (*own* by (article, claim) number, else the claim's sentence's)."""
    result: list[AnnotatedArticle] = []
    offset = 0
    for a, item in enumerate(annotated):
        block = vectors[offset : offset + len(item.sentences)]
        offset += len(item.sentences)
        row_of = {s.index: k for k, s in enumerate(item.sentences)}
        rows = [
            own[(a, c)] if (a, c) in own else block[row_of[claim.sentence]]
            for c, claim in enumerate(item.claims)
        ]
        claim_vectors = np.asarray(rows, dtype=np.float32).reshape(-1, _DIMENSION)
        result.append(
            replace(item, sentence_vectors=block, claim_vectors=claim_vectors if claims else None)
        )
    return tuple(result)


def _embed_spans(
    models: Models, texts: list[str], spans: list[list[CharSpan]]
) -> tuple[Any, list[Any]]:
    """The vector of each text and of each span inside it (see `SpanEmbedder`); an embedder
    without span vectors embeds each span as a text of its own."""
    if not texts:
        return np.zeros((0, _DIMENSION), dtype=np.float32), []
    embedder = models.need_embedder()
    if isinstance(embedder, SpanEmbedder):
        return embedder.embed_spans(texts, spans)
    pieces = [
        text[start:end] for text, wanted in zip(texts, spans, strict=True) for start, end in wanted
    ]
    rows = embedder.embed([*texts, *pieces])
    parts, offset = [], len(texts)
    for wanted in spans:
        parts.append(rows[offset : offset + len(wanted)])
        offset += len(wanted)
    return rows[: len(texts)], parts


def _parse(
    articles: Sequence[Article], models: Models, selected: frozenset[str], n_process: int
) -> Iterator[Doc | None]:
    """The parses of *articles* in order, streamed (None each when no annotator reads one)."""
    needed = frozenset().union(*(_COMPONENTS[name] for name in selected if name in _COMPONENTS))
    if not needed:
        return iter([None] * len(articles))
    nlp = models.need_nlp()
    disable = [name for name in nlp.pipe_names if name not in needed and name != "entity_ruler"]
    return iter(
        nlp.pipe(
            (a.text for a in articles),
            disable=disable,
            batch_size=PARSE_BATCH,
            n_process=n_process,
        )
    )


def _annotate_one(
    article: Article, sentences: tuple[Sentence, ...], doc: Doc | None, selected: frozenset[str]
) -> AnnotatedArticle:
    if doc is None:
        return AnnotatedArticle(article=article, sentences=sentences)
    wanted_entities = selected & {"entities", "quotes", "claims"}
    entities = find_entities(doc, article.id) if wanted_entities else ()
    wanted_figures = selected & {"quantities", "claims"}
    quantities = find_quantities(doc, sentences, article.id) if wanted_figures else ()
    claims = (
        find_claims(doc, sentences, entities, quantities, article.id)
        if "claims" in selected
        else ()
    )
    return AnnotatedArticle(
        article=article,
        sentences=sentences,
        entities=entities if "entities" in selected else (),
        quantities=quantities if "quantities" in selected else (),
        dates=find_dates(doc, sentences, article) if "dates" in selected else (),
        quotes=find_quotes(doc, sentences, entities, article) if "quotes" in selected else (),
        claims=claims,
    )

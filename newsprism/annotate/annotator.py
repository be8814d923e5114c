"""The annotate stage: every annotator over a batch of articles, one spaCy parse each.

All articles of a run are parsed in one ``nlp.pipe`` stream with only the spaCy components the
selected annotators read, and every annotator shares the parse. The embedder runs beside the
parse on the other cores (onnxruntime releases the GIL): every sentence of the run in one call,
then the claims that need a vector of their own, sent while later articles are still parsed.
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

from newsprism.annotate.captions import find_captions
from newsprism.annotate.claims import find_claims
from newsprism.annotate.dates import find_dates
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
from newsprism.model import AnnotatedArticle, Article, Sentence, Span
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
    "captions": frozenset({"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"}),
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
    vectors = _embed(models, [s.text for group in sentences for s in group])
    wanted = [(a, c, text) for a, item in enumerate(annotated) for c, text in _own_claims(item)]
    fresh = _embed(models, [text for _, _, text in wanted])
    own = {(a, c): vector for (a, c, _), vector in zip(wanted, fresh, strict=True)}
    return _with_vectors(annotated, vectors, own, claims="claims" in selected)


def _parse_processes(settings: Settings, count: int) -> int:
    """spaCy worker processes for *count* articles: only where they pay (`data.throughput`)."""
    cores = os.cpu_count() or 1
    if count < PROCESS_MIN_DOCS or cores < PARSE_PROCESS_MIN_CORES:
        return 1
    return settings.n_process


class _Background:
    """Embedding jobs run in order on one thread (each spreads over the embedder's threads),
    while this thread goes on; texts are sent in chunks so the embedder starts early."""

    def __init__(self, pool: ThreadPoolExecutor, models: Models) -> None:
        self._pool, self._models = pool, models
        self._jobs: list[tuple[Future[Any], list[Any]]] = []
        self._texts: list[str] = []
        self._keys: list[Any] = []

    def add(self, key: Any, text: str) -> None:
        self._keys.append(key)
        self._texts.append(text)
        if len(self._texts) >= EMBED_CHUNK_TEXTS:
            self.send()

    def send(self) -> None:
        if self._texts:
            job = self._pool.submit(_embed, self._models, self._texts)
            self._jobs.append((job, self._keys))
            self._texts, self._keys = [], []

    def results(self) -> Iterator[tuple[Any, Any]]:
        """(key, vector) of every text added, in order (waits for the jobs)."""
        self.send()
        for job, keys in self._jobs:
            yield from zip(keys, job.result(), strict=True)


def _annotate_beside_embedder(
    articles: Sequence[Article], models: Models, selected: frozenset[str]
) -> tuple[AnnotatedArticle, ...]:
    """Split, parse and annotate here while the embedder works on the other cores: first on
    the sentences as they are split, then on each article's claims as its parse gives them."""
    annotated: list[AnnotatedArticle] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsprism-embed") as pool:
        sentence_jobs, claim_jobs = _Background(pool, models), _Background(pool, models)
        sentences = []
        for article in articles:
            sentences.append(split_sentences(article))
            for sentence in sentences[-1]:
                sentence_jobs.add(None, sentence.text)
        sentence_jobs.send()
        docs = _parse(articles, models, selected, 1)
        for a, (article, sents, doc) in enumerate(zip(articles, sentences, docs, strict=True)):
            annotated.append(_annotate_one(article, sents, doc, selected))
            for c, text in _own_claims(annotated[-1]):
                claim_jobs.add((a, c), text)
        rows = [vector for _, vector in sentence_jobs.results()]
        vectors = np.asarray(rows, dtype=np.float32).reshape(-1, _DIMENSION)
        own = dict(claim_jobs.results())
    return _with_vectors(annotated, vectors, own, claims="claims" in selected)


def _own_claims(item: AnnotatedArticle) -> Iterator[tuple[int, str]]:
    """(claim number, text) of the claims that need an embedding of their own: a claim that
    is (nearly) its whole sentence reuses the sentence's."""
    by_index = {s.index: s for s in item.sentences}
    for c, claim in enumerate(item.claims):
        if not reuses_sentence(claim.span, by_index[claim.sentence]):
            yield c, claim.text


def reuses_sentence(claim: Span, sentence: Sentence) -> bool:
    """True when a claim at *claim* is (nearly) all of *sentence*, so its vector is the
    sentence's (the one rule: the annotator and `eval claims` both read it)."""
    share = (claim.end - claim.start) / max(1, len(sentence.text))
    return share >= _CLAIM_REUSES_SENTENCE


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


def _embed(models: Models, texts: list[str]) -> Any:
    if not texts:
        return np.zeros((0, _DIMENSION), dtype=np.float32)
    return models.need_embedder().embed(texts)


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
        captions=find_captions(doc, sentences) if "captions" in selected else (),
    )

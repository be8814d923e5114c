"""The annotate stage: every annotator over a batch of articles, one spaCy parse each.

All articles of a run are parsed in one ``nlp.pipe`` stream (worker processes where that pays)
with only the spaCy components the selected annotators read, and every annotator shares the
parse. Sentence embeddings run on another core meanwhile (onnxruntime releases the GIL).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from newsprism.annotate.claims import find_claims
from newsprism.annotate.dates import find_dates
from newsprism.annotate.entities import find_entities
from newsprism.annotate.quantities import find_quantities
from newsprism.annotate.quotes import find_quotes
from newsprism.annotate.sentences import split_sentences
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
# A claim covering this share of its sentence reuses the sentence's embedding.
_CLAIM_REUSES_SENTENCE = 0.9
_PARSE_BATCH = 16  # documents per nlp.pipe batch (and per worker chunk)
_PROCESS_MIN_DOCS = 48  # below this, starting spaCy worker processes costs more than it saves


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

    Sentences are always split; "vectors" adds sentence embeddings (the embedder of *models*).
    """
    settings = settings or Settings()
    selected = frozenset(settings.annotators)
    unknown = selected - set(ANNOTATORS)
    if unknown:
        raise ValueError(f"unknown annotators {sorted(unknown)}; choose from {ANNOTATORS}")
    sentences = [split_sentences(article) for article in articles]
    texts = [s.text for group in sentences for s in group]
    processes = settings.n_process if len(articles) >= _PROCESS_MIN_DOCS else 1
    if processes > 1:
        # Parse processes fill the cores, then the embedder does; forking while an ONNX run
        # is under way on another thread is unsafe, so the two never overlap here.
        docs = _parse(articles, models, selected, processes)
        vectors = _embed(models, texts) if "vectors" in selected else None
    else:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(_embed, models, texts) if "vectors" in selected else None
            docs = _parse(articles, models, selected, 1)
            vectors = pending.result() if pending is not None else None
    annotated: list[AnnotatedArticle] = []
    offset = 0
    for article, sents, doc in zip(articles, sentences, docs, strict=True):
        annotated.append(_annotate_one(article, sents, doc, selected))
        if vectors is not None:
            block = vectors[offset : offset + len(sents)]
            annotated[-1] = replace(annotated[-1], sentence_vectors=block)
        offset += len(sents)
    if vectors is not None and "claims" in selected:
        annotated = _with_claim_vectors(annotated, models)
    return tuple(annotated)


def _with_claim_vectors(
    annotated: list[AnnotatedArticle], models: Models
) -> list[AnnotatedArticle]:
    """Claim embeddings: a claim that is (nearly) its whole sentence reuses the sentence's;
    the others are embedded together in one call."""
    rows: list[list[Any]] = []
    pending: list[tuple[int, int, str]] = []
    for a, item in enumerate(annotated):
        by_index = {s.index: k for k, s in enumerate(item.sentences)}
        row: list[Any] = []
        for c, claim in enumerate(item.claims):
            k = by_index[claim.sentence]
            sentence = item.sentences[k]
            share = (claim.span.end - claim.span.start) / max(1, len(sentence.text))
            if share >= _CLAIM_REUSES_SENTENCE:
                row.append(item.sentence_vectors[k])
            else:
                row.append(None)
                pending.append((a, c, claim.text))
        rows.append(row)
    fresh = _embed(models, [text for _, _, text in pending])
    for (a, c, _), vector in zip(pending, fresh, strict=True):
        rows[a][c] = vector
    return [
        replace(item, claim_vectors=np.asarray(row, dtype=np.float32).reshape(-1, 384))
        if row
        else replace(item, claim_vectors=np.zeros((0, 384), dtype=np.float32))
        for item, row in zip(annotated, rows, strict=True)
    ]


def _embed(models: Models, texts: list[str]) -> Any:
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return models.need_embedder().embed(texts)


def _parse(
    articles: Sequence[Article], models: Models, selected: frozenset[str], n_process: int
) -> list[Doc | None]:
    needed = frozenset().union(*(_COMPONENTS[name] for name in selected if name in _COMPONENTS))
    if not needed:
        return [None] * len(articles)
    nlp = models.need_nlp()
    disable = [name for name in nlp.pipe_names if name not in needed and name != "entity_ruler"]
    return list(
        nlp.pipe(
            (a.text for a in articles),
            disable=disable,
            batch_size=_PARSE_BATCH,
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

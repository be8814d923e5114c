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
}
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
            annotated[-1] = _with_vectors(annotated[-1], block)
        offset += len(sents)
    return tuple(annotated)


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
    entities = find_entities(doc, article.id) if selected & {"entities", "quotes"} else ()
    return AnnotatedArticle(
        article=article,
        sentences=sentences,
        entities=entities if "entities" in selected else (),
        quantities=find_quantities(doc, sentences, article.id) if "quantities" in selected else (),
        dates=find_dates(doc, sentences, article) if "dates" in selected else (),
        quotes=find_quotes(doc, sentences, entities, article) if "quotes" in selected else (),
    )


def _with_vectors(annotated: AnnotatedArticle, vectors: Any) -> AnnotatedArticle:
    return replace(annotated, sentence_vectors=vectors)

"""The annotator: runs every annotation stage over a batch of articles.

`annotate_articles` runs spaCy once per article (batched with ``nlp.pipe``) and shares the parse
with every annotator, then embeds all sentences in one batched call.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from newsprism.annotate.dates import find_dates
from newsprism.annotate.embed import Embedder, get_embedder
from newsprism.annotate.entities import find_entities
from newsprism.annotate.models import load_nlp
from newsprism.annotate.quantities import find_quantities
from newsprism.annotate.quotes import find_quotes
from newsprism.annotate.sentences import split_sentences
from newsprism.model import AnnotatedArticle, Article


def annotate_articles(
    articles: Sequence[Article], *, embedder: Embedder | None = None
) -> list[AnnotatedArticle]:
    """Annotate *articles* (order kept). The spaCy model and embedder load once per process."""
    nlp = load_nlp()
    embedder = embedder or get_embedder()
    sentences = [split_sentences(article) for article in articles]
    texts = [s.text for group in sentences for s in group]
    # onnxruntime releases the GIL: embedding runs on the other core while spaCy parses.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending_vectors = pool.submit(embedder.embed, texts)
        docs = list(nlp.pipe(a.text for a in articles))
        vectors = pending_vectors.result()
    annotated: list[AnnotatedArticle] = []
    offset = 0
    for article, sents, doc in zip(articles, sentences, docs, strict=True):
        entities = find_entities(doc, article.id)
        annotated.append(
            AnnotatedArticle(
                article=article,
                sentences=sents,
                entities=entities,
                quantities=find_quantities(doc, sents, article.id),
                dates=find_dates(doc, sents, article),
                quotes=find_quotes(doc, sents, entities, article),
                sentence_vectors=vectors[offset : offset + len(sents)],
            )
        )
        offset += len(sents)
    return annotated

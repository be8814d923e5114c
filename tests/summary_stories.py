"""Small hand-written stories and helpers for the align / coverage / summary tests.

Texts are our own. Sentence vectors come from a tiny hashed bag-of-words embedder so the unit
tests need no model files; the seed and Multi-News tests use the real MiniLM embedder.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from newsprism.annotate.sentences import split_sentences
from newsprism.model import AnnotatedArticle, Article, Origins

_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"the", "a", "of", "to", "in", "on", "and", "was", "is", "by", "at", "for", "its", "it"}

# Three outlets on one invented event; the first sentence of each says the same thing.
DAM_STORY = {
    "alpha": (
        "Engineers opened the floodgates of the Varna river dam on Monday after days of heavy rain.\n\n"
        "The regional water authority said the reservoir had reached its highest level in forty years.\n\n"
        "About 300 families living downstream were moved to school buildings as a precaution.\n\n"
        "Is the dam safe?\n\n"
        "Local farmers complained that the warning came too late for them to move their livestock."
    ),
    "beta": (
        "The floodgates of the Varna river dam were opened by engineers on Monday following days of heavy rain.\n\n"
        "Some 300 families living downstream were moved into school buildings as a precaution, officials said.\n\n"
        "The mayor praised the rescue teams, saying they had worked through the night without rest.\n\n"
        '"We are ready."'
    ),
    "gamma": (
        "Heavy rain forced engineers to open the floodgates of the Varna river dam on Monday.\n\n"
        "The reservoir reached its highest level in forty years, according to the regional water authority.\n\n"
        "Forecasters expect the rain to ease by the weekend, but rivers in the north remain high."
    ),
}


def _hash_vector(text: str, dimension: int = 256) -> np.ndarray:
    vector = np.zeros(dimension, dtype=np.float32)
    for word in _WORD.findall(text.lower()):
        if word in _STOP:
            continue
        digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
        vector[int.from_bytes(digest, "little") % dimension] += 1.0
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def make_article(article_id: str, text: str, title: str = "") -> Article:
    """An Article with the given id and text (outlet = id)."""
    return Article(id=article_id, source=article_id, outlet=article_id, title=title, text=text)


def annotate(article: Article, *, real: bool = False) -> AnnotatedArticle:
    """Sentences (pysbd per paragraph) and vectors (hashed words, or MiniLM when *real*)."""
    sentences = split_sentences(article)
    texts = [s.text for s in sentences]
    if real:
        from tests.conftest import shared_models

        vectors = shared_models().need_embedder().embed(texts)
    else:
        vectors = np.array([_hash_vector(t) for t in texts], dtype=np.float32).reshape(-1, 256)
    return AnnotatedArticle(article=article, sentences=sentences, sentence_vectors=vectors)


def story(texts: dict[str, str], *, real: bool = False) -> list[AnnotatedArticle]:
    """Annotated articles from {id: text}, in the dict's order."""
    return [annotate(make_article(key, text), real=real) for key, text in texts.items()]


def own_origins(articles: Sequence[AnnotatedArticle]) -> Origins:
    """Every article its own origin (no copies known)."""
    return Origins(article_origin={a.id: a.id for a in articles})


def group_sets(facts: Sequence[object]) -> set[frozenset[tuple[str, int, int]]]:
    """Claim groups as sets of (article, start, end): comparable across id renumbering."""
    return {
        frozenset((m.article_id, m.start, m.end) for m in fact.members)  # type: ignore[attr-defined]
        for fact in facts
    }

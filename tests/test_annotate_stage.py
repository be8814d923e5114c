"""The annotate stage run beside the embedder gives what a plain sequence gives: parse, run
the annotators, embed every sentence, embed the claims that are not (nearly) their sentence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsprism.annotate.annotator import annotate_articles
from newsprism.annotate.models import Models
from newsprism.annotate.sentences import split_sentences
from newsprism.model import AnnotatedArticle, Article
from newsprism.pipeline import load_articles
from newsprism.settings import Settings


@pytest.fixture(scope="module")
def seed_articles(seeds_dir: Path) -> tuple[Article, ...]:
    articles, _ = load_articles([str(seeds_dir)])
    return articles


@pytest.fixture(scope="module")
def annotated(seed_articles: tuple[Article, ...], models: Models) -> tuple[AnnotatedArticle, ...]:
    return annotate_articles(seed_articles, models=models, settings=Settings())


def test_annotate_sentence_vectors_are_the_embeddings_of_the_sentences(
    annotated: tuple[AnnotatedArticle, ...], models: Models
) -> None:
    embedder = models.need_embedder()
    for item in annotated:
        expected = embedder.embed([s.text for s in item.sentences])
        assert item.sentence_vectors.shape == (len(item.sentences), 384)
        np.testing.assert_allclose(item.sentence_vectors, expected, atol=1e-5)


def test_annotate_claim_vectors_are_their_own_or_their_sentences(
    annotated: tuple[AnnotatedArticle, ...], models: Models
) -> None:
    embedder = models.need_embedder()
    own = reused = 0
    for item in annotated:
        assert item.claim_vectors.shape == (len(item.claims), 384)
        sentences = {s.index: k for k, s in enumerate(item.sentences)}
        for claim, vector in zip(item.claims, item.claim_vectors, strict=True):
            sentence = item.sentences[sentences[claim.sentence]]
            if len(claim.text) >= 0.9 * len(sentence.text):
                expected = item.sentence_vectors[sentences[claim.sentence]]
                reused += 1
            else:
                expected = embedder.embed([claim.text])[0]
                own += 1
            np.testing.assert_allclose(vector, expected, atol=1e-5)
    assert own and reused  # the seeds have claims of both kinds


def test_annotate_matches_a_run_without_vectors_in_everything_else(
    seed_articles: tuple[Article, ...],
    annotated: tuple[AnnotatedArticle, ...],
    models: Models,
) -> None:
    names = tuple(name for name in Settings().annotators if name != "vectors")
    plain = annotate_articles(seed_articles, models=models, settings=Settings(annotators=names))
    assert plain == annotated  # vectors are left out of the comparison (compare=False)
    assert all(item.sentence_vectors is None and item.claim_vectors is None for item in plain)


def test_annotate_without_claims_leaves_claim_vectors_unset(
    seed_articles: tuple[Article, ...], models: Models
) -> None:
    only = annotate_articles(
        seed_articles, models=models, settings=Settings(annotators=("entities", "vectors"))
    )
    assert all(item.claim_vectors is None and item.sentence_vectors is not None for item in only)


def test_split_sentences_is_kept_per_article_text(seed_articles: tuple[Article, ...]) -> None:
    article = seed_articles[0]
    assert split_sentences(article) is split_sentences(article)
    shorter = Article(id=article.id, source="x", outlet="x", title="", text="One. Two words.")
    assert [s.text for s in split_sentences(shorter)] == ["One.", "Two words."]

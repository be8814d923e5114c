"""`newsprism eval summary`: ROUGE of our cited summary vs sumy LexRank on Multi-News clusters.

For each cluster ({id, documents[], summary}) the documents become articles (cleaned, ids =
sha256 of the text), get sentences and embeddings, are aligned into claims and summarised; the
summary is cut to a word budget (230 words) and scored with rouge-score (ROUGE-1/2/L F,
stemmed) against the human summary. The baseline is sumy's LexRank over the concatenated
documents, with a pysbd tokenizer (sumy's default one needs NLTK data that cannot be installed
offline), cut to the same budget and scored by the same scorer.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click
import numpy as np

from newsprism.model import AnnotatedArticle, Article, Origins, Sentence, Span

DEFAULT_DATA = Path("../shared/data/multinews_dev/clusters.jsonl")
BUDGET_WORDS = 230
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


# --------------------------------------------------------------------------- inputs


def _clean(text: str) -> str:
    # The clean stage is written in parallel; use it when it is there.
    try:
        module = importlib.import_module("newsprism.clean")
        cleaner = getattr(module, "clean_text", None)
    except ImportError:
        cleaner = None
    if callable(cleaner):
        cleaned = cleaner(text)
        if isinstance(cleaned, tuple) and cleaned and isinstance(cleaned[0], str):
            return cleaned[0]  # (text, removals)
        if isinstance(cleaned, str):
            return cleaned
        value = getattr(cleaned, "text", None)
        if isinstance(value, str):
            return value
    lines = [" ".join(line.split()) for line in text.replace("\r", "").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def make_articles(documents: Sequence[str]) -> list[Article]:
    """Articles from raw document strings: cleaned text, id = sha256 of the text (deduplicated)."""
    articles: dict[str, Article] = {}
    for number, document in enumerate(documents):
        text = _clean(document)
        if not text.strip():
            continue
        article_id = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        articles.setdefault(
            article_id,
            Article(
                id=article_id, source=f"doc{number}", outlet=f"doc{number}", title="", text=text
            ),
        )
    return list(articles.values())


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    breaker = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else re.compile(r"\n")
    cursor = 0
    bounds = [(m.start(), m.end()) for m in breaker.finditer(text)] + [(len(text), len(text))]
    for start, end in bounds:
        chunk = text[cursor:start]
        stripped = chunk.strip()
        if stripped:
            offset = cursor + chunk.index(stripped)
            yield offset, offset + len(stripped)
        cursor = end


def split_sentences(article: Article) -> tuple[Sentence, ...]:
    """Sentences by pysbd per paragraph, with exact offsets (a stand-in for the annotate stage)."""
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)
    text = article.text
    sentences: list[Sentence] = []
    for paragraph, (p_start, p_end) in enumerate(_paragraphs(text)):
        chunk = text[p_start:p_end]
        cursor = 0
        for segment in segmenter.segment(chunk):
            piece = segment.strip()
            found = chunk.find(piece, cursor) if piece else -1
            if found < 0:
                continue
            cursor = found + len(piece)
            start, end = p_start + found, p_start + cursor
            sentences.append(
                Sentence(
                    span=Span(article_id=article.id, start=start, end=end),
                    text=text[start:end],
                    index=len(sentences),
                    paragraph=paragraph,
                )
            )
    return tuple(sentences)


def annotate_sentences(articles: Sequence[Article]) -> list[AnnotatedArticle]:
    """Sentences and sentence vectors only: what alignment and the summary read."""
    from newsprism.annotate.embed import get_embedder

    split = [split_sentences(article) for article in articles]
    texts = [s.text for sentences in split for s in sentences]
    vectors = get_embedder().embed(texts) if texts else np.zeros((0, 384), dtype=np.float32)
    result: list[AnnotatedArticle] = []
    row = 0
    for article, sentences in zip(articles, split, strict=True):
        block = vectors[row : row + len(sentences)]
        row += len(sentences)
        result.append(
            AnnotatedArticle(article=article, sentences=sentences, sentence_vectors=block)
        )
    return result


def cut_words(text: str, budget: int) -> str:
    """The first *budget* whitespace-separated words of *text*."""
    return " ".join(text.split()[:budget])


# --------------------------------------------------------------------------- systems


def summarize_cluster(annotated: Sequence[AnnotatedArticle], budget: int = BUDGET_WORDS) -> str:
    """Our summary of one cluster as plain text, cut to *budget* words."""
    from newsprism.brief.summary import summarize
    from newsprism.compare.align import align_claims

    origins = Origins(article_origin={a.id: a.id for a in annotated})
    facts = align_claims(annotated, origins)
    items = summarize(annotated, facts, max_words=budget)
    return cut_words(" ".join(item.text for item in items), budget)


class PysbdTokenizer:
    """A sumy tokenizer: pysbd sentences, regex words (no NLTK data needed)."""

    language = "english"

    def __init__(self) -> None:
        import pysbd

        self._segmenter = pysbd.Segmenter(language="en", clean=False)

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s.strip() for s in self._segmenter.segment(paragraph) if s.strip())

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD_RE.findall(sentence))


def lexrank_summary(documents: Sequence[str], budget: int = BUDGET_WORDS) -> str:
    """sumy LexRank over the concatenated documents, best sentences in text order, cut to *budget*."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    text = "\n\n".join(_clean(d) for d in documents)
    parser = PlaintextParser.from_string(text, PysbdTokenizer())
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    sentences = list(parser.document.sentences)
    order = {id(s): n for n, s in enumerate(sentences)}
    chosen: list[Any] = []
    words = 0
    for sentence in _ranked_sentences(summarizer, parser.document):
        chosen.append(sentence)
        words += len(str(sentence).split())
        if words >= budget:
            break
    chosen.sort(key=lambda s: order.get(id(s), 0))
    return cut_words(" ".join(str(s) for s in chosen), budget)


def _ranked_sentences(summarizer: Any, document: Any) -> list[Any]:
    # sumy's __call__ returns a fixed count in text order; a word budget needs the ranking
    # itself, so we replay its scoring steps (tf, idf, similarity matrix, power method).
    sentences_words = [summarizer._to_words_set(s) for s in document.sentences]
    tf = summarizer._compute_tf(sentences_words)
    idf = summarizer._compute_idf(sentences_words)
    matrix = summarizer._create_matrix(sentences_words, summarizer.threshold, tf, idf)
    scores = summarizer.power_method(matrix, summarizer.epsilon)
    ranked = sorted(range(len(document.sentences)), key=lambda k: (-scores[k], k))
    return [document.sentences[k] for k in ranked]


# --------------------------------------------------------------------------- scoring


def _load(path: Path, limit: int | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def evaluate_summary(
    path: Path,
    limit: int | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Score our summary and LexRank on the clusters in *path*.

    Returns:
        {"clusters", "ours": {"rouge1","rouge2","rougeL"}, "lexrank": {...}, "rouge2_ratio",
         "seconds_ours", "seconds_lexrank"} with mean F-measures.
    """
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    rows = _load(path, limit)
    totals: dict[str, dict[str, list[float]]] = {"ours": {}, "lexrank": {}}
    seconds = {"ours": 0.0, "lexrank": 0.0}
    for number, row in enumerate(rows):
        documents = [d for d in row["documents"] if d.strip()]
        started = time.perf_counter()
        annotated = annotate_sentences(make_articles(documents))
        ours = summarize_cluster(annotated)
        seconds["ours"] += time.perf_counter() - started
        started = time.perf_counter()
        baseline = lexrank_summary(documents)
        seconds["lexrank"] += time.perf_counter() - started
        for system, text in (("ours", ours), ("lexrank", baseline)):
            scores = scorer.score(row["summary"], text)
            for name, score in scores.items():
                totals[system].setdefault(name, []).append(score.fmeasure)
        if progress is not None:
            progress(number + 1, len(rows))
    means = {
        system: {name: statistics.fmean(values) for name, values in metrics.items()}
        for system, metrics in totals.items()
    }
    lex_r2 = means["lexrank"].get("rouge2", 0.0)
    return {
        "clusters": len(rows),
        "ours": means["ours"],
        "lexrank": means["lexrank"],
        "rouge2_ratio": means["ours"].get("rouge2", 0.0) / lex_r2 if lex_r2 else 0.0,
        "seconds_ours": seconds["ours"],
        "seconds_lexrank": seconds["lexrank"],
    }


@click.command(name="summary")
@click.option(
    "--data",
    "data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DEFAULT_DATA,
    show_default=True,
    help="Multi-News clusters as JSONL: {id, documents[], summary}.",
)
@click.option("--limit", type=int, default=None, help="Score only the first N clusters.")
def command(data: Path, limit: int | None) -> None:
    """ROUGE of our cited summary vs sumy LexRank (230 words each) on Multi-News clusters."""
    result = evaluate_summary(data, limit)
    click.echo(f"clusters: {result['clusters']}   budget: {BUDGET_WORDS} words")
    click.echo(f"{'metric':<10}{'newsprism':>12}{'LexRank':>12}")
    for name in ("rouge1", "rouge2", "rougeL"):
        click.echo(f"{name:<10}{result['ours'][name]:>12.4f}{result['lexrank'][name]:>12.4f}")
    click.echo(f"ROUGE-2 ratio (newsprism / LexRank): {result['rouge2_ratio']:.3f}")
    click.echo(
        f"time: newsprism {result['seconds_ours']:.1f} s (incl. sentences + embeddings), "
        f"LexRank {result['seconds_lexrank']:.1f} s"
    )

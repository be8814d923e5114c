"""`newsprism eval summary`: ROUGE of our cited summary vs sumy LexRank on Multi-News clusters.

Each cluster ({id, documents[], summary}) is briefed by the shipped pipeline as a given story
(its documents as JSONL records sharing a `story`); the summary is cut to a word budget (230
words) and scored with rouge-score (ROUGE-1/2/L F,
stemmed) against the human summary. The baseline is sumy's LexRank over the concatenated
documents, with a pysbd tokenizer (sumy's default one needs NLTK data that cannot be installed
offline), cut to the same budget and scored by the same scorer.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from newsprism.evaluate.data import cluster_documents, default_path, read_rows
from newsprism.model import Brief

if TYPE_CHECKING:
    from newsprism.annotate.models import Models

DEFAULT_DATA = default_path("multinews_dev", "clusters.jsonl")
BUDGET_WORDS = 230
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def cut_words(text: str, budget: int) -> str:
    """The first *budget* whitespace-separated words of *text*."""
    return " ".join(text.split()[:budget])


# --------------------------------------------------------------------------- systems


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

    text = "\n\n".join(documents)
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


def brief_clusters(rows: Sequence[dict[str, Any]], models: Models | None = None) -> Brief:
    """The shipped pipeline over the clusters as given stories (JSONL records sharing a
    `story`), the summary cut at the budget: what `newsprism brief` gives such records."""
    from newsprism.annotate.models import load_models
    from newsprism.pipeline import load_documents, run_from
    from newsprism.settings import Settings, default_processes

    state = load_documents(cluster_documents(rows), source="the clusters")
    settings = Settings(summary_words=BUDGET_WORDS, n_process=default_processes())
    return run_from(state, models=models or load_models, settings=settings)


def evaluate_summary(
    path: Path, limit: int | None = None, *, models: Models | None = None
) -> dict[str, Any]:
    """Score our summary and LexRank on the clusters in *path*.

    Both systems read the shipped clean stage's text of the same articles; ours is the
    summary of the shipped pipeline's brief, LexRank runs over the concatenated texts.

    Returns:
        {"clusters", "ours": {"rouge1","rouge2","rougeL"}, "lexrank": {...}, "rouge2_ratio",
         "seconds_ours", "seconds_lexrank"} with mean F-measures.
    """
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    rows = read_rows(path, limit)
    started = time.perf_counter()
    brief = brief_clusters(rows, models)
    seconds = {"ours": time.perf_counter() - started, "lexrank": 0.0}
    texts = {a.id: a.text for a in brief.articles}
    by_story = {story.id: story for story in brief.stories}
    totals: dict[str, dict[str, list[float]]] = {"ours": {}, "lexrank": {}}
    scored = 0
    for row in rows:
        story = by_story.get(str(row["id"]))
        if story is None:
            continue  # every document of the cluster was rejected (listed in brief.rejections)
        scored += 1
        ours = cut_words(" ".join(item.text for item in story.summary), BUDGET_WORDS)
        started = time.perf_counter()
        baseline = lexrank_summary([texts[i] for i in story.article_ids])
        seconds["lexrank"] += time.perf_counter() - started
        for system, text in (("ours", ours), ("lexrank", baseline)):
            for name, score in scorer.score(row["summary"], text).items():
                totals[system].setdefault(name, []).append(score.fmeasure)
    means = {
        system: {name: statistics.fmean(values) for name, values in metrics.items()}
        for system, metrics in totals.items()
    }
    lex_r2 = means["lexrank"].get("rouge2", 0.0)
    return {
        "clusters": scored,
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
        f"time: newsprism {result['seconds_ours']:.1f} s (the whole shipped pipeline: clean, annotate, compare, compose), "
        f"LexRank {result['seconds_lexrank']:.1f} s"
    )

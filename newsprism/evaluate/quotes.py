"""`newsprism eval quotes`: quote finding and speaker attribution on PolNeAR (dev split).

Gold (brat ``dev/attributions/<name>_<annotator>.ann``): T lines are Source/Cue/Content spans
(discontinuous spans as ``start end;start end``), E lines link them into attributions. Two
articles have six annotators; we use the first annotation file in sorted order for every
article, so each article counts once.

What is scored:

- **gold quote**: an attribution whose content is in quotation marks, i.e. at least half of the
  content's non-space characters lie between paired double quote marks (paired per line, curly
  marks by shape, straight marks by alternation; the marks themselves are not counted).
- **found quote**: every quote `find_quotes` returns, direct and partial, since the brief
  presents both (it drops speakerless partial quotes itself, so those are never counted).
- **recall**: a gold quote is found when the found quotes together cover over half of its
  content characters (a split quote is two `Quote`s in our model).
- **precision**: a found quote is right when over half of its characters lie inside the content
  of a gold attribution whose content contains quoted words (a gold quote, or an indirect
  statement with a quoted fragment: partial quotes are fragments of attributed content, so they
  count as right there). ``strict_precision`` also prints: direct quotes only, right only when
  inside a gold quote.
- **speaker**: over found gold quotes that have a Source, the share whose best-overlapping
  found quote has a speaker mention overlapping the gold Source span.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsprism.evaluate.data import default_path
from newsprism.model import Article, Quote

if TYPE_CHECKING:
    from newsprism.annotate.models import Models

DEFAULT_DATA = default_path("polnear_dev")
_OPEN = "\u201c"
_CLOSE = "\u201d"
_STRAIGHT = '"'

Segments = tuple[tuple[int, int], ...]


@dataclass(slots=True)
class GoldAttribution:
    """One gold attribution: its content and source segments, and how much is quoted."""

    content: Segments
    source: Segments
    quoted_share: float
    has_quoted: bool
    found_cover: set[int] = field(default_factory=set)


def _segments(spec: str) -> Segments:
    return tuple(
        (int(a), int(b)) for a, b in (part.split() for part in spec.split(";") if part.strip())
    )


def read_brat(path: Path) -> list[tuple[Segments, Segments]]:
    """(content segments, source segments) of each attribution (E line) in a brat file."""
    spans: dict[str, Segments] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, spec = parts[1].partition(" ")
            spans[parts[0]] = _segments(spec) if label in {"Content", "Source"} else ()
        elif line.startswith("E") and len(parts) >= 2:
            roles = dict(item.split(":", 1) for item in parts[1].split() if ":" in item)
            relations.append(roles)
    found = []
    for roles in relations:
        content = spans.get(roles.get("Content", ""), ())
        if content:
            found.append((content, spans.get(roles.get("Source", ""), ())))
    return found


def quoted_characters(text: str) -> set[int]:
    """Positions of characters between paired double quote marks (per line)."""
    inside: set[int] = set()
    offset = 0
    for line in text.split("\n"):
        open_at: int | None = None
        for i, mark in enumerate(line):
            if mark == _OPEN or (mark == _STRAIGHT and open_at is None):
                open_at = i
            elif mark in (_CLOSE, _STRAIGHT) and open_at is not None:
                inside.update(range(offset + open_at + 1, offset + i))
                open_at = None
        offset += len(line) + 1
    return inside


def _chars(text: str, segments: Segments) -> set[int]:
    return {i for a, b in segments for i in range(a, b) if not text[i].isspace()}


def gold_attributions(text: str, ann: Path) -> list[GoldAttribution]:
    quoted = quoted_characters(text)
    gold = []
    for content, source in read_brat(ann):
        chars = {i for i in _chars(text, content) if text[i] not in _OPEN + _CLOSE + _STRAIGHT}
        share = len(chars & quoted) / len(chars) if chars else 0.0
        gold.append(GoldAttribution(content, source, share, bool(chars & quoted)))
    return gold


def _articles(path: Path) -> Iterator[tuple[str, str, Path]]:
    texts = path / "dev" / "text"
    if not texts.is_dir():
        raise click.UsageError(f"{texts} not found: pass --data pointing at the polnear_dev folder")
    for text_file in sorted(texts.glob("*.txt")):
        annotations = sorted((path / "dev" / "attributions").glob(f"{text_file.stem}_*.ann"))
        if annotations:
            yield text_file.stem, text_file.read_text(encoding="utf-8"), annotations[0]


def _overlaps(a: tuple[int, int], segments: Segments) -> bool:
    return any(a[0] < end and start < a[1] for start, end in segments)


def _quote_models() -> Models:
    from newsprism.annotate.models import load_models

    return load_models(embedder=False, cross_encoder=False)


def evaluate_quotes(
    path: Path, *, processes: int = 1, models: Models | None = None
) -> dict[str, float]:
    """Quote precision/recall and speaker accuracy on PolNeAR dev (see the module docstring).

    Args:
        path: the polnear_dev folder (``dev/text``, ``dev/attributions``).
        processes: spaCy worker processes (``nlp.pipe(n_process=...)``); the main process
            scores while the workers parse.

    Returns:
        precision, recall, f1, speaker_accuracy, strict_precision, the counts behind them,
        seconds (wall) and cpu_seconds (this process; spaCy parsing included).
    """
    from newsprism.annotate.annotator import annotate_articles
    from newsprism.settings import Settings

    started = time.perf_counter()
    cpu_started = time.process_time()
    items = list(_articles(path))
    articles = [
        Article(id=name, source=name, outlet="", title="", text=text) for name, text, _ in items
    ]
    counts = dict.fromkeys(
        ("gold", "found", "recalled", "correct", "direct", "direct_correct", "with_source"), 0
    )
    counts["speaker_correct"] = 0
    # The shipped annotate stage, with only the annotators quotes read (as select_pipes).
    settings = Settings(annotators=("quotes",), n_process=processes)
    annotated = annotate_articles(articles, models=models or _quote_models(), settings=settings)
    for (_, text, ann), article in zip(items, annotated, strict=True):
        _score_article(text, gold_attributions(text, ann), article.quotes, counts)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    precision = counts["correct"] / counts["found"] if counts["found"] else 0.0
    recall = counts["recalled"] / counts["gold"] if counts["gold"] else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "speaker_accuracy": (
            counts["speaker_correct"] / counts["with_source"] if counts["with_source"] else 0.0
        ),
        "strict_precision": (
            counts["direct_correct"] / counts["direct"] if counts["direct"] else 0.0
        ),
        **{name: float(value) for name, value in counts.items()},
        "articles": float(len(items)),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
    }


def _score_article(
    text: str, gold: list[GoldAttribution], quotes: tuple[Quote, ...], counts: dict[str, int]
) -> None:
    quotes_gold = [g for g in gold if g.quoted_share >= 0.5]
    attributed = [g for g in gold if g.has_quoted]
    for quote in quotes:
        chars = set(range(quote.span.start, quote.span.end))
        inside = [g for g in attributed if len(chars & _chars(text, g.content)) * 2 > len(chars)]
        counts["found"] += 1
        counts["correct"] += bool(inside)
        if quote.kind == "direct":
            counts["direct"] += 1
            counts["direct_correct"] += any(g.quoted_share >= 0.5 for g in inside)
    for g in quotes_gold:
        content = _chars(text, g.content)
        best: tuple[int, Quote] | None = None
        covered: set[int] = set()
        for quote in quotes:
            overlap = content & set(range(quote.span.start, quote.span.end))
            covered |= overlap
            if overlap and (best is None or len(overlap) > best[0]):
                best = (len(overlap), quote)
        counts["gold"] += 1
        if best is None or len(covered) * 2 <= len(content):
            continue
        counts["recalled"] += 1
        if g.source:
            counts["with_source"] += 1
            speaker = best[1].speaker_span
            counts["speaker_correct"] += bool(
                speaker and _overlaps((speaker.start, speaker.end), g.source)
            )


@click.command(name="quotes")
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=DEFAULT_DATA,
    show_default=True,
    help="The polnear_dev folder (dev/text, dev/attributions).",
)
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=min(os.cpu_count() or 1, 4),
    show_default="the CPU count, at most 4",
    help="spaCy worker processes for parsing (1 is faster on a busy machine).",
)
def command(data: Path, processes: int) -> None:
    """Quote precision/recall and speaker accuracy on PolNeAR dev."""
    result = evaluate_quotes(data, processes=processes)
    click.echo(
        f"PolNeAR dev: {int(result['articles'])} articles, {int(result['gold'])} gold quotes, "
        f"{int(result['found'])} found quotes"
    )
    click.echo(f"quote precision  {result['precision']:.3f}")
    click.echo(f"quote recall     {result['recall']:.3f}")
    click.echo(f"quote F1         {result['f1']:.3f}")
    click.echo(
        f"speaker accuracy {result['speaker_accuracy']:.3f} "
        f"(of {int(result['with_source'])} found gold quotes with a source)"
    )
    click.echo(f"strict precision {result['strict_precision']:.3f} (direct quotes in gold quotes)")
    click.echo(
        f"time             {result['seconds']:.1f} s wall, {result['cpu_seconds']:.1f} s CPU "
        "of this process (spaCy parsing included)"
    )

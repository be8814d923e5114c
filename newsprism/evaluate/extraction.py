"""`newsprism eval extraction`: main-text extraction quality on scrapinghub_aeb.

For each page (html/ID.html.gz, gold text in ground-truth.json ``articleBody``) we score the
text of our cleaning (`clean_document`) and of plain ``trafilatura.extract(html)`` in the same
run, as bag-of-words token precision, recall and F1 (tokens are ``\\w+`` runs, counted with
multiplicity), and print the means side by side with the time each took.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import click
import trafilatura
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from newsprism.clean import clean_document
from newsprism.errors import EmptyInput
from newsprism.model import RawDocument

DEFAULT_DATA = Path("../shared/data/scrapinghub_aeb")
_TOKEN = re.compile(r"\w+")


def score_tokens(gold: str, predicted: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of *predicted* against *gold*."""
    gold_bag = Counter(_TOKEN.findall(gold))
    predicted_bag = Counter(_TOKEN.findall(predicted))
    common = sum((gold_bag & predicted_bag).values())
    precision = common / sum(predicted_bag.values()) if predicted_bag else 0.0
    recall = common / sum(gold_bag.values()) if gold_bag else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _ours(page_id: str, html: bytes, url: str | None) -> str:
    doc = RawDocument(source=page_id, data=html, media_type="text/html", url=url)
    try:
        return clean_document(doc).text
    except EmptyInput:
        return ""


def _baseline(page_id: str, html: bytes, url: str | None) -> str:
    return trafilatura.extract(html) or ""


def evaluate_extraction(path: Path, *, progress: bool = False) -> dict[str, dict[str, float]]:
    """Mean token P/R/F1 and seconds for our cleaning and for trafilatura alone.

    Args:
        path: the scrapinghub_aeb folder (ground-truth.json and html/ID.html.gz).
        progress: show a rich progress bar on stderr.

    Returns:
        ``{"newsprism": {...}, "trafilatura": {...}}``, each with precision, recall, f1,
        seconds and pages.
    """
    truth_file = path / "ground-truth.json"
    if not truth_file.exists():
        raise click.UsageError(
            f"{truth_file} not found: pass --data pointing at the scrapinghub_aeb folder"
        )
    truth: dict[str, dict[str, str]] = json.loads(truth_file.read_text(encoding="utf-8"))
    pages = sorted(truth)
    systems: dict[str, Callable[[str, bytes, str | None], str]] = {
        "newsprism": _ours,
        "trafilatura": _baseline,
    }
    sums = {name: [0.0, 0.0, 0.0] for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    console = Console(stderr=True)
    with Progress(console=console, disable=not progress, transient=True) as bar:
        task = bar.add_task("extracting", total=len(pages))
        for page_id in pages:
            html = gzip.decompress((path / "html" / f"{page_id}.html.gz").read_bytes())
            gold = truth[page_id].get("articleBody", "")
            for name, system in systems.items():
                started = time.perf_counter()
                text = system(page_id, html, truth[page_id].get("url"))
                seconds[name] += time.perf_counter() - started
                for index, value in enumerate(score_tokens(gold, text)):
                    sums[name][index] += value
            bar.advance(task)
    count = len(pages) or 1
    return {
        name: {
            "precision": sums[name][0] / count,
            "recall": sums[name][1] / count,
            "f1": sums[name][2] / count,
            "seconds": seconds[name],
            "pages": float(len(pages)),
        }
        for name in systems
    }


@click.command(name="extraction")
@click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_DATA,
    show_default=True,
    help="The scrapinghub_aeb folder (ground-truth.json, html/ID.html.gz).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
def command(data: Path, as_json: bool) -> None:
    """Token P/R/F1 of our HTML cleaning vs plain trafilatura on scrapinghub_aeb."""
    results = evaluate_extraction(data, progress=True)
    if as_json:
        click.echo(json.dumps(results, indent=2))
        return
    table = Table(title=f"extraction on {data} ({int(results['newsprism']['pages'])} pages)")
    for column in ("system", "precision", "recall", "F1", "seconds"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for name, numbers in results.items():
        table.add_row(
            name,
            f"{numbers['precision']:.4f}",
            f"{numbers['recall']:.4f}",
            f"{numbers['f1']:.4f}",
            f"{numbers['seconds']:.1f}",
        )
    Console().print(table)

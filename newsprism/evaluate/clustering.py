"""`newsprism eval clustering`: story clustering against gold clusters.

* ECB+ (``ecbplus/docs.jsonl``: doc_id, topic, event_id, sentences): 982 documents, 86 events in
  43 topics of two similar events each (undated: streamed in article-id order). The title is
  the first line of the text, as for any plain-text article.
* UCI headlines (``uci_headlines/`` CSV: TITLE, PUBLISHER, STORY, TIMESTAMP ms): titles only,
  in timestamp order.
* multinews_dev (``clusters.jsonl``: one cluster of documents a line): unlabelled documents,
  the cluster is the gold story (undated: streamed in article-id order).

Each data set is clustered in batch mode, and with ``--online`` streamed in publication (then
id) order through `OnlineClusterer`, both through the shipped cluster stage.

Prints B-cubed precision/recall/F1, pairwise F1, gold and predicted story counts, articles/s
(after any model load) and the process's peak resident memory.
"""

from __future__ import annotations

import csv
import json
import resource
import time
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from newsprism.data.limits import Limits
from newsprism.evaluate.data import cluster_documents, default_path, read_rows
from newsprism.ingest.jsonl import record_to_document
from newsprism.model import Article

DEFAULT_DATA = (default_path("ecbplus", "docs.jsonl"), default_path("uci_headlines"))


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering (labels aligned item by item)."""
    by_predicted: dict[Hashable, set[int]] = defaultdict(set)
    by_gold: dict[Hashable, set[int]] = defaultdict(set)
    for index, (p, g) in enumerate(zip(predicted, gold, strict=True)):
        by_predicted[p].add(index)
        by_gold[g].add(index)
    precision = recall = 0.0
    for p, g in zip(predicted, gold, strict=True):
        common = len(by_predicted[p] & by_gold[g])
        precision += common / len(by_predicted[p])
        recall += common / len(by_gold[g])
    n = max(1, len(gold))
    precision, recall = precision / n, recall / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def pairwise(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> tuple[float, float, float]:
    """Precision, recall and F1 over same-cluster pairs (counted from the contingency table)."""
    table: dict[tuple[Hashable, Hashable], int] = defaultdict(int)
    sizes_p: dict[Hashable, int] = defaultdict(int)
    sizes_g: dict[Hashable, int] = defaultdict(int)
    for p, g in zip(predicted, gold, strict=True):
        table[(p, g)] += 1
        sizes_p[p] += 1
        sizes_g[g] += 1

    def pairs(count: int) -> int:
        return count * (count - 1) // 2

    both = sum(pairs(c) for c in table.values())
    in_predicted = sum(pairs(c) for c in sizes_p.values())
    in_gold = sum(pairs(c) for c in sizes_g.values())
    precision = both / in_predicted if in_predicted else 1.0
    recall = both / in_gold if in_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def load_gold_jsonl(path: Path) -> tuple[list[Article], list[str]]:
    """Articles with gold story labels from a JSONL file, read by the shipped load stage.

    Three shapes are read, line by line: ECB+ (``doc_id``, ``text``, ``event_id``); a cluster
    per line (``id``, ``documents``: a list of texts, as multinews_dev); and plain articles
    (``id``, ``text``, optional ``title``/``published``, gold in ``story``, ``event_id`` or
    ``cluster``). Article records go through the load stage exactly as `newsprism cluster`
    reads the file, so both give the same stories; cluster rows become one record per document.
    """
    from newsprism.pipeline import load_articles, load_documents

    rows = read_rows(path)
    if rows and all("documents" in row for row in rows):
        state = load_documents(cluster_documents(rows, given_story=False), source=str(path))
        assert state.articles is not None
        return list(state.articles), [a.source.rsplit("#", 1)[0] for a in state.articles]
    labels: dict[str, str] = {}
    for number, row in enumerate(_numbered_rows(path), start=1):
        if row is None:
            continue
        label = next((row[k] for k in ("event_id", "story", "cluster") if k in row), None)
        if label is None:
            raise click.ClickException(
                f"{path}:{number}: no gold label; give each line an event_id, story or cluster field"
            )
        source = str(row["id"]) if row.get("id") not in (None, "") else f"{path}#{number}"
        labels[source] = str(label)
    articles, _ = load_articles([str(path)])
    # A gold `story` label must not act as the record's given story: it is what is scored.
    return [replace(a, story=None) for a in articles], [labels[a.source] for a in articles]


def _numbered_rows(path: Path) -> list[dict[str, Any] | None]:
    """Every line of a JSONL file as a row (None for a blank line), numbered as the reader
    numbers records."""
    with path.open(encoding="utf-8") as stream:
        return [json.loads(line) if line.strip() else None for line in stream]


def load_uci(folder: Path) -> tuple[list[Article], list[str]]:
    """UCI headlines as title-only records (the shipped record reader and clean stage), in
    timestamp order, and their gold story ids."""
    from newsprism.pipeline import load_documents

    rows = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                if not row.get("TIMESTAMP") or not (row.get("TIMESTAMP") or "").isdigit():
                    continue  # the truncated last line of the snapshot
                rows.append(row)
    rows.sort(key=lambda r: (int(r["TIMESTAMP"]), r["ID"]))
    documents = []
    gold: dict[str, str] = {}
    for row in rows:
        published = datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, tz=UTC)
        # The headline is the whole text: given as the title too, cleaning would drop the
        # body as a repeat of the title and leave nothing.
        record = {
            "id": f"uci-{row['ID']}",
            "text": row["TITLE"],
            "outlet": row["PUBLISHER"],
            "published": published.isoformat(),
        }
        documents.append(record_to_document(record, record["id"], Limits()))
        gold[record["id"]] = row["STORY"]
    state = load_documents(documents, source=str(folder))
    assert state.articles is not None
    return list(state.articles), [gold[a.source] for a in state.articles]


def cluster_labels(articles: Sequence[Article], *, online: bool) -> list[str]:
    """Story id per article from the shipped cluster stage (batch, or online streaming)."""
    from newsprism.annotate.models import Models
    from newsprism.pipeline import CorpusState, run_corpus, stages_between
    from newsprism.settings import Settings

    state, _ = run_corpus(
        CorpusState(articles=tuple(articles), rejections=()),
        models=Models(),
        settings=Settings(online=online),
        stages=stages_between(start="cluster", until="cluster"),
    )
    assert state.stories is not None
    label = {i: story.id for story in state.stories for i in story.article_ids}
    return [label[a.id] for a in articles]


def score(name: str, articles: list[Article], gold: list[str], online: bool) -> dict[str, float]:
    """Cluster, time and score one data set; print and return the numbers."""
    start = time.perf_counter()
    predicted = cluster_labels(articles, online=online)
    elapsed = time.perf_counter() - start
    p, r, f = bcubed(predicted, gold)
    _, _, pair_f1 = pairwise(predicted, gold)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    numbers = {
        "bcubed_precision": p,
        "bcubed_recall": r,
        "bcubed_f1": f,
        "pairwise_f1": pair_f1,
        "gold_stories": len(set(gold)),
        "predicted_stories": len(set(predicted)),
        "articles_per_second": len(articles) / elapsed if elapsed else 0.0,
        "peak_rss_mb": peak_mb,
    }
    click.echo(
        f"{name} ({'online' if online else 'batch'}, {len(articles)} articles): "
        f"B-cubed P {p:.3f} R {r:.3f} F1 {f:.3f} | pairwise F1 {pair_f1:.3f} | "
        f"stories gold {numbers['gold_stories']} predicted {numbers['predicted_stories']} | "
        f"{numbers['articles_per_second']:.0f} articles/s | peak RSS {peak_mb:.0f} MB"
    )
    return numbers


@click.command(name="clustering")
@click.option(
    "--data",
    "paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help=(
        "ecbplus/docs.jsonl, the uci_headlines/ folder, or any JSONL of articles with gold "
        "labels (see load_gold_jsonl); default: ECB+ and UCI in ../shared/data."
    ),
)
@click.option(
    "--online", is_flag=True, help="Stream each data set through the online clusterer too."
)
def command(paths: tuple[Path, ...], online: bool) -> None:
    """Score story clustering: B-cubed and pairwise F1, story counts, speed, memory."""
    chosen = paths or tuple(p for p in DEFAULT_DATA if p.exists())
    if not chosen:
        raise click.UsageError(
            "no data: pass --data ../shared/data/ecbplus/docs.jsonl or --data ../shared/data/uci_headlines"
        )
    for path in chosen:
        if path.is_dir():
            articles, gold = load_uci(path)
            name = "UCI headlines"
        else:
            articles, gold = load_gold_jsonl(path)
            name = "ECB+" if "ecbplus" in path.parts else f"{path.parent.name}/{path.name}"
        score(name, articles, gold, online=False)
        if online:
            score(name, articles, gold, online=True)

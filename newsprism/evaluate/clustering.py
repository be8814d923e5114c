"""`newsprism eval clustering`: story clustering against gold clusters.

* ECB+ (``ecbplus/docs.jsonl``: doc_id, topic, event_id, sentences): 982 documents, 86 events in
  43 topics of two similar events each; clustered in batch mode (or ``--online``, fed in
  document-id order). The title is the first line of the text, as for any plain-text article.
* UCI headlines (``uci_headlines/`` CSV: TITLE, PUBLISHER, STORY, TIMESTAMP ms): titles only,
  streamed in timestamp order through `OnlineClusterer`.

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
from datetime import UTC, datetime
from pathlib import Path

import click

from newsprism.model import Article
from newsprism.stories import ClusterConfig, OnlineClusterer, cluster_articles

DEFAULT_DATA = (Path("../shared/data/ecbplus/docs.jsonl"), Path("../shared/data/uci_headlines"))


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


def load_ecbplus(path: Path) -> tuple[list[Article], list[str]]:
    """ECB+ documents as articles (sentences one per line) and their gold event ids."""
    return load_gold_jsonl(path)


def load_gold_jsonl(path: Path) -> tuple[list[Article], list[str]]:
    """Articles with gold story labels from a JSONL file, in file order.

    Three shapes are read, line by line: ECB+ (``doc_id``, ``sentences``, ``event_id``);
    a cluster per line (``id``, ``documents``: a list of texts, as multinews_dev); and plain
    articles (``id``, ``text``, optional ``title``/``published``, gold in ``story``,
    ``event_id`` or ``cluster``). Without a title the first line of the text is the title,
    as for any plain-text article.
    """
    articles, gold = [], []
    with path.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            if "documents" in record:
                for index, document in enumerate(record["documents"]):
                    if document.strip():
                        doc_id = f"{record['id']}-{index}"
                        articles.append(
                            Article(
                                id=doc_id, source=doc_id, outlet="", title="", text=document.strip()
                            )
                        )
                        gold.append(str(record["id"]))
                continue
            label = next((record[k] for k in ("event_id", "story", "cluster") if k in record), None)
            if label is None:
                raise click.ClickException(
                    f"{path}:{number}: no gold label; give each line an event_id, story or cluster field"
                )
            doc_id = str(record.get("doc_id") or record["id"])
            text = "\n".join(record["sentences"]) if "sentences" in record else record["text"]
            published = record.get("published")
            articles.append(
                Article(
                    id=doc_id,
                    source=doc_id,
                    outlet=str(record.get("outlet", "")),
                    title=str(record.get("title", "")),
                    text=text,
                    published=datetime.fromisoformat(published) if published else None,
                )
            )
            gold.append(str(label))
    return articles, gold


def load_uci(folder: Path) -> tuple[list[Article], list[str]]:
    """UCI headlines as title-only articles in timestamp order, and their gold story ids."""
    rows = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                if not row.get("TIMESTAMP") or not (row.get("TIMESTAMP") or "").isdigit():
                    continue  # the truncated last line of the snapshot
                rows.append(row)
    rows.sort(key=lambda r: (int(r["TIMESTAMP"]), r["ID"]))
    articles, gold = [], []
    for row in rows:
        published = datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, tz=UTC)
        articles.append(
            Article(
                id=f"uci-{row['ID']}",
                source=f"uci-{row['ID']}",
                outlet=row["PUBLISHER"],
                title=row["TITLE"],
                text=row["TITLE"],
                published=published,
            )
        )
        gold.append(row["STORY"])
    return articles, gold


def run_online(articles: Sequence[Article], config: ClusterConfig | None = None) -> list[str]:
    """Story id per article after streaming them, in the given order, through OnlineClusterer."""
    clusterer = OnlineClusterer(config)
    assigned = [clusterer.add(article) for article in articles]
    return [clusterer.resolve(story) for story in assigned]


def run_batch(articles: Sequence[Article], config: ClusterConfig | None = None) -> list[str]:
    """Story id per article from `cluster_articles`."""
    label = {i: s.id for s in cluster_articles(articles, config=config) for i in s.article_ids}
    return [label[a.id] for a in articles]


def score(name: str, articles: list[Article], gold: list[str], online: bool) -> dict[str, float]:
    """Cluster, time and score one data set; print and return the numbers."""
    start = time.perf_counter()
    predicted = run_online(articles) if online else run_batch(articles)
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
@click.option("--online", is_flag=True, help="Stream JSONL data through the online clusterer too.")
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
            score("UCI headlines", articles, gold, online=True)
        else:
            articles, gold = load_gold_jsonl(path)
            name = "ECB+" if "ecbplus" in path.parts else f"{path.parent.name}/{path.name}"
            score(name, articles, gold, online=False)
            if online:
                score(name, articles, gold, online=True)

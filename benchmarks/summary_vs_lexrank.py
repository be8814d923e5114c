"""Time per cluster of our summary vs sumy LexRank, in one process, plus peak memory.

Usage: .venv/bin/python benchmarks/summary_vs_lexrank.py [--data PATH] [--limit N]

Ours = sentences (pysbd) + embeddings (MiniLM) + align_claims + summarize; the stage alone
(align + summarize on already annotated articles) is timed too, since the pipeline annotates
once for every stage. LexRank = sumy over the concatenated documents with the pysbd tokenizer.
The embedder is loaded (and warmed) before timing starts.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from newsprism.annotate.embed import get_embedder
from newsprism.brief.summary import summarize
from newsprism.compare.align import align_claims
from newsprism.evaluate.summary import annotate_sentences, lexrank_summary, make_articles
from newsprism.model import Origins

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/multinews_dev/clusters.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args()
    rows = []
    with args.data.open(encoding="utf-8") as handle:
        for line in handle:
            rows.append(json.loads(line))
            if len(rows) >= args.limit:
                break
    shared_models().need_embedder().embed(["warm up"])
    loaded_rss = _rss_mib()
    ours = stage = lexrank = 0.0
    # No tracemalloc: it slows pure-Python code (pysbd, sumy) several-fold and skews the ratio.
    for row in rows:
        documents = [d for d in row["documents"] if d.strip()]
        started = time.perf_counter()
        annotated = annotate_sentences(make_articles(documents))
        middle = time.perf_counter()
        facts = align_claims(annotated, Origins(article_origin={a.id: a.id for a in annotated}))
        summarize(annotated, facts, max_words=230)
        ended = time.perf_counter()
        ours += ended - started
        stage += ended - middle
        started = time.perf_counter()
        lexrank_summary(documents)
        lexrank += time.perf_counter() - started
    n = len(rows)
    print(f"clusters: {n}")
    print(f"newsprism (sentences+embeddings+align+summary): {1000 * ours / n:8.1f} ms/cluster")
    print(f"newsprism align+summary only:                   {1000 * stage / n:8.1f} ms/cluster")
    print(f"sumy LexRank:                                   {1000 * lexrank / n:8.1f} ms/cluster")
    print(
        f"ratio newsprism/LexRank: full {ours / lexrank:.2f}, align+summary {stage / lexrank:.2f}"
    )
    print(f"peak RSS after loading the embedder: {loaded_rss:.1f} MiB")
    print(f"peak RSS at the end (both systems):  {_rss_mib():.1f} MiB")


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()

"""Time per cluster of the shipped brief (whose summary `eval summary` scores) vs sumy LexRank,
in one process, plus peak memory.

Usage: .venv/bin/python benchmarks/summary_vs_lexrank.py [--data PATH] [--limit N]

Ours = the shipped pipeline on the clusters as given stories (clean, annotate, dedup, compare,
compose), exactly what `newsprism eval summary` scores; models are loaded before timing starts.
LexRank = sumy over the concatenated cleaned texts with the pysbd tokenizer.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from newsprism.annotate.models import load_models
from newsprism.evaluate.data import default_path, read_rows
from newsprism.evaluate.summary import brief_clusters, lexrank_summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=default_path("multinews_dev", "clusters.jsonl")
    )
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args()
    rows = read_rows(args.data, args.limit)
    models = load_models()
    loaded_rss = _rss_mib()
    started = time.perf_counter()
    brief = brief_clusters(rows, models)
    ours = time.perf_counter() - started
    texts = {a.id: a.text for a in brief.articles}
    started = time.perf_counter()
    for story in brief.stories:
        lexrank_summary([texts[i] for i in story.article_ids])
    lexrank = time.perf_counter() - started
    n = len(brief.stories)
    print(f"clusters: {n}")
    print(f"newsprism (whole shipped brief): {1000 * ours / n:8.1f} ms/cluster")
    print(f"sumy LexRank:                    {1000 * lexrank / n:8.1f} ms/cluster")
    print(f"ratio newsprism / LexRank: {ours / lexrank:.2f}")
    print(f"peak RSS: {_rss_mib():.0f} MiB (after model load: {loaded_rss:.0f} MiB)")


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()

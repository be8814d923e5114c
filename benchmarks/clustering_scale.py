"""Clustering speed and scaling: articles/s, 10x articles vs time, ratio to all-pairs.

Run: .venv/bin/python benchmarks/clustering_scale.py [--small 5000] [--factor 10] [--runs 2]

The stream is re-combined from ../shared/data (benchmarks/_corpus.py). For each size it
times the online clusterer (the path that must keep up with a day of news) and batch
`cluster_articles`, then times an all-pairs comparison (one sparse matrix product of every
article with every other, the cheapest exact all-pairs) on the small input, and prints the
ratios. Numbers depend on the machine; compare runs made in one process.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _corpus import make_stream  # noqa: E402  (the script folder is on sys.path)

from newsprism.model import Article  # noqa: E402
from newsprism.stories import OnlineClusterer, cluster_articles  # noqa: E402
from newsprism.stories.features import DocumentFrequencies, extract_features, tfidf  # noqa: E402


def _timed(label: str, run: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of *run*; CPU time is the fairer measure on a shared machine."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    run()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"  {label}: wall {wall:.1f} s, CPU {cpu:.1f} s", flush=True)
    return wall, cpu


def run_online(articles: list[Article]) -> None:
    clusterer = OnlineClusterer()
    for article in articles:
        clusterer.add(article)


def run_batch(articles: list[Article]) -> None:
    cluster_articles(articles)


def _scale(
    name: str,
    run: Callable[[list[Article]], None],
    small: list[Article],
    large: list[Article],
    factor: int,
    attempt: int,
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Time *run* small, large, small again; print art/s and large / mean-small (wall, CPU).

    Returns the faster small run (wall, CPU) and the (CPU, wall) ratios.

    The small run on both sides of the large one evens out load that changes meanwhile.
    """
    before = _timed(f"{name} {len(small)} (run {attempt})", lambda: run(small))
    l_wall, l_cpu = _timed(f"{name} {len(large)} (run {attempt})", lambda: run(large))
    after = _timed(f"{name} {len(small)} (run {attempt}, again)", lambda: run(small))
    s_wall, s_cpu = (before[0] + after[0]) / 2, (before[1] + after[1]) / 2
    print(
        f"{name} run {attempt}: {len(small) / s_cpu:.0f} -> {len(large) / l_cpu:.0f} art/s (CPU), "
        f"{len(small) / s_wall:.0f} -> {len(large) / l_wall:.0f} art/s (wall); "
        f"{factor}x articles cost {l_cpu / s_cpu:.2f}x CPU, {l_wall / s_wall:.2f}x wall"
    )
    return (min(before[0], after[0]), min(before[1], after[1])), (l_cpu / s_cpu, l_wall / s_wall)


def run_all_pairs(articles: list[Article]) -> None:
    """Features, then every article against every other (sparse product, sparse result)."""
    from scipy.sparse import csr_matrix

    features = [extract_features(a) for a in articles]
    frequencies = DocumentFrequencies()
    for feature in features:
        frequencies.add(feature.words)
    vocabulary: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for row, feature in enumerate(features):
        for term, weight in tfidf(feature.words, frequencies).items():
            rows.append(row)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
            vals.append(weight)
    matrix = csr_matrix((vals, (rows, cols)), shape=(len(articles), len(vocabulary)))
    product = matrix @ matrix.T
    _ = product.nnz


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=5000)
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--runs", type=int, default=2, help="repeat each small/large pair")
    parser.add_argument("--no-online", action="store_true", help="skip the online runs")
    parser.add_argument("--no-batch", action="store_true", help="skip the batch runs")
    parser.add_argument(
        "--by-document", action="store_true", help="the former stream: every event all through"
    )
    args = parser.parse_args()
    large = make_stream(args.small * args.factor, by_event=not args.by_document)
    small = large[: args.small]  # the stream is seeded: its first articles are the small one
    extract_features(small[0])  # warm imports before timing
    small_best: dict[str, tuple[float, float]] = {}  # per mode: its fastest small run
    ratios: dict[str, list[tuple[float, float]]] = {}
    modes = [("online", run_online)] * (not args.no_online) + [("batch", run_batch)] * (
        not args.no_batch
    )
    for attempt in range(1, args.runs + 1):
        for name, run in modes:
            small_time, ratio = _scale(name, run, small, large, args.factor, attempt)
            old = small_best.get(name, small_time)
            small_best[name] = (min(old[0], small_time[0]), min(old[1], small_time[1]))
            ratios.setdefault(name, []).append(ratio)
    for name, pairs in ratios.items():
        print(
            f"{name}, median of {len(pairs)} runs: {args.factor}x articles cost "
            f"{statistics.median(c for c, _ in pairs):.2f}x CPU, "
            f"{statistics.median(w for _, w in pairs):.2f}x wall"
        )
    pairs_wall, pairs_cpu = _timed(f"all-pairs {len(small)}", lambda: run_all_pairs(small))
    for name, (wall, cpu) in small_best.items():
        print(
            f"{name}/all-pairs at {len(small)}: {cpu / pairs_cpu:.2f} CPU, {wall / pairs_wall:.2f} "
            "wall (fastest run)"
        )
    print(
        f"all-pairs grows with n^2: {args.factor}x articles -> ~{args.factor**2}x pairs "
        f"({len(large) ** 2 // 2:,} pairs at {len(large)}); not run at that size"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    main()

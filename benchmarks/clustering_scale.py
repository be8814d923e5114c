"""Clustering speed and scaling: articles/s, 10x articles vs time, ratio to all-pairs.

Run: .venv/bin/python benchmarks/clustering_scale.py [--small 5000] [--factor 10]

The stream is re-combined from ../shared/data (benchmarks/_corpus.py). For each size it
times the online clusterer (the path that must keep up with a day of news) and batch
`cluster_articles`, then times an all-pairs comparison (one sparse matrix product of every
article with every other, the cheapest exact all-pairs) on the small input, and prints the
ratios. Numbers depend on the machine; compare runs made in one process.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _corpus import make_stream  # noqa: E402  (the script folder is on sys.path)

from newsprism.model import Article  # noqa: E402
from newsprism.stories import OnlineClusterer, cluster_articles  # noqa: E402
from newsprism.stories.features import DocumentFrequencies, extract_features, tfidf  # noqa: E402


def time_online(articles: list[Article]) -> float:
    start, cpu = time.perf_counter(), time.process_time()
    clusterer = OnlineClusterer()
    for article in articles:
        clusterer.add(article)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"  (online {len(articles)}: wall {elapsed:.1f}s, CPU {cpu:.1f}s)", flush=True)
    return elapsed


def time_batch(articles: list[Article]) -> float:
    start, cpu = time.perf_counter(), time.process_time()
    cluster_articles(articles)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"  (batch {len(articles)}: wall {elapsed:.1f}s, CPU {cpu:.1f}s)", flush=True)
    return elapsed


def time_all_pairs(articles: list[Article]) -> float:
    """Features, then every article against every other (sparse product, dense result)."""
    from scipy.sparse import csr_matrix

    start = time.perf_counter()
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
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=5000)
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--no-batch-large", action="store_true", help="skip batch on the large set")
    parser.add_argument("--no-online", action="store_true", help="skip the online runs")
    args = parser.parse_args()
    small = make_stream(args.small)
    large = make_stream(args.small * args.factor)
    extract_features(small[0])  # warm imports before timing

    online_small = float("nan")
    if not args.no_online:
        online_small = time_online(small)
        online_large = time_online(large)
        print(f"online {len(small)}: {online_small:.1f}s = {len(small) / online_small:.0f} art/s")
        print(f"online {len(large)}: {online_large:.1f}s = {len(large) / online_large:.0f} art/s")
        print(f"online time ratio for {args.factor}x articles: {online_large / online_small:.2f}x")

    batch_small = time_batch(small)
    print(
        f"batch  {len(small)}: {batch_small:.1f}s = {len(small) / batch_small:.0f} articles/s",
        flush=True,
    )
    if not args.no_batch_large:
        batch_large = time_batch(large)
        print(
            f"batch  {len(large)}: {batch_large:.1f}s = {len(large) / batch_large:.0f} articles/s"
        )
        print(f"batch time ratio for {args.factor}x articles: {batch_large / batch_small:.2f}x")

    pairs_small = time_all_pairs(small)
    print(f"all-pairs {len(small)}: {pairs_small:.1f}s")
    print(f"ratio online/all-pairs at {len(small)}: {online_small / pairs_small:.2f}")
    print(f"ratio batch/all-pairs at {len(small)}: {batch_small / pairs_small:.2f}")
    print(
        f"all-pairs grows with n^2: {args.factor}x articles -> ~{args.factor**2}x pairs "
        f"({len(large) ** 2 // 2:,} pairs at {len(large)}); not run at that size"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    main()

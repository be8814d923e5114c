"""Streaming memory: the online clusterer's memory stays flat past the retirement window.

Run: .venv/bin/python benchmarks/streaming_memory.py [--count 30000] [--per-day 1000]

Streams re-combined real articles (benchmarks/_corpus.py), `per_day` a simulated day, and
prints traced Python memory (tracemalloc) and active stories at checkpoints. With the
default 4-day retirement window the numbers should stop growing after ~4 days of articles.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _corpus import make_stream  # noqa: E402  (the script folder is on sys.path)

from newsprism.stories import OnlineClusterer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30_000)
    parser.add_argument("--per-day", type=int, default=1000)
    args = parser.parse_args()
    stream = make_stream(args.count, per_day=args.per_day)
    clusterer = OnlineClusterer()
    checkpoints = max(1, args.count // 10)
    tracemalloc.start()
    start = time.perf_counter()
    rows = []
    for number, article in enumerate(stream, 1):
        clusterer.add(article)
        if number % checkpoints == 0:
            gc.collect()
            current, peak = tracemalloc.get_traced_memory()
            rows.append((number, current / 2**20, peak / 2**20, len(clusterer.stories())))
            print(
                f"{number:>7} articles (day {number / args.per_day:5.1f}): "
                f"memory {current / 2**20:7.1f} MB, peak {peak / 2**20:7.1f} MB, "
                f"active stories {rows[-1][3]}"
            )
    elapsed = time.perf_counter() - start
    half = rows[len(rows) // 2][1]
    print(f"memory at the end / at the half-way point: {rows[-1][1] / half:.2f}")
    print(f"{args.count / elapsed:.0f} articles/s (with tracemalloc on)")


if __name__ == "__main__":
    main()

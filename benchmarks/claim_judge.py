"""What the claim judge costs per story, beside the spaCy parse of the same story, in one process.

    .venv/bin/python benchmarks/claim_judge.py [--data PATH] [--limit N]

For each multinews_dev cluster (one story): the bare spaCy parse of its documents (the baseline),
the annotate stage, then claim alignment (`compare.align.align_claims`, where every candidate
pair of claims meets the judge) with the rules-only judge and with the cross-encoder, whose
cache is emptied first so each story starts cold. Prints per-story medians and totals, the
ratios to the parse, the pairs the cross-encoder was asked about, and peak memory.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from newsprism.annotate.annotator import annotate_articles
from newsprism.annotate.models import load_models
from newsprism.compare.align import align_claims
from newsprism.dedup import find_origins
from newsprism.evaluate.data import default_path, read_rows
from newsprism.model import Article


class _Counting:
    """The loaded cross-encoder, counting the pairs it is asked to score."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.pairs = inner, 0

    def compatibility(self, pairs: Any) -> Any:
        self.pairs += len(pairs)
        return self.inner.compatibility(pairs)


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=default_path("multinews_dev", "clusters.jsonl")
    )
    parser.add_argument("--limit", type=int, default=20, help="clusters (stories) to time")
    args = parser.parse_args()
    models = load_models()
    nlp = models.need_nlp()
    assert models.cross_encoder is not None
    counting = _Counting(models.cross_encoder)
    rows: dict[str, list[float]] = {"parse": [], "annotate": [], "rules": [], "cross": []}
    asked: list[int] = []
    for record in read_rows(args.data, args.limit):
        articles = [
            Article(id=f"{record['id']}#{n}", source=str(n), outlet=f"o{n}", title="", text=text)
            for n, text in enumerate(record["documents"])
        ]
        texts = [a.text for a in articles]
        rows["parse"].append(_timed(partial(lambda t: list(nlp.pipe(t)), texts))[0])
        seconds, annotated = _timed(partial(annotate_articles, articles, models=models))
        rows["annotate"].append(seconds)
        origins = find_origins([a.article for a in annotated])
        rows["rules"].append(_timed(partial(align_claims, annotated, origins))[0])
        models.cross_encoder.clear_cache()  # type: ignore[attr-defined]
        before = counting.pairs
        rows["cross"].append(_timed(partial(align_claims, annotated, origins, counting))[0])
        asked.append(counting.pairs - before)
    parse = sum(rows["parse"])
    print(f"stories: {len(asked)} (multinews_dev clusters)")
    for name, values in rows.items():
        print(
            f"{name:<9} median {statistics.median(values):6.3f} s/story  total {sum(values):7.2f} s"
            f"  {sum(values) / parse:5.2f}x parse"
        )
    judge = sum(rows["cross"]) - sum(rows["rules"])
    print(
        f"cross-encoder: {sum(asked)} pair scores (median {statistics.median(asked):.0f} a story), "
        f"{judge / max(sum(asked), 1) * 1000:.1f} ms each; adds {judge / parse:.2f}x parse"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MiB")


if __name__ == "__main__":
    main()

"""Cold and warm time of the seeds brief, beside a model-load-only baseline, and peak memory.

    .venv/bin/python benchmarks/brief_seeds.py [--data ../shared/data/seeds] [--runs 3]

"Cold" is a fresh `python -m newsprism brief SEEDS --format json` process (imports and model loads
included), as a user runs it. The baseline is a fresh process that only imports spaCy and loads
the two models, so the ratio shows what the pipeline itself adds. Target: cold ≤ 5 s.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD_ONLY = "from newsprism.annotate.models import load_models\nload_models()\n"


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "seeds")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"seeds not found at {args.data}: clone ../shared beside the repo or pass --data")

    brief = [sys.executable, "-m", "newsprism", "brief", str(args.data), "--format", "json"]
    baseline = [sys.executable, "-c", LOAD_ONLY]
    cold = [timed(brief) for _ in range(args.runs)]
    peak_child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    loads = [timed(baseline) for _ in range(args.runs)]

    sys.path.insert(0, str(ROOT))
    from newsprism.annotate.models import load_models
    from newsprism.pipeline import run

    models = load_models()  # once, as a long-running process (the server) does
    run([str(args.data)], models=models)  # warm
    start = time.perf_counter()
    result = run([str(args.data)], models=models)
    warm = time.perf_counter() - start

    cold_median, load_median = statistics.median(cold), statistics.median(loads)
    print(f"articles: {len(result.articles)}, stories: {len(result.stories)}")
    print(f"cold brief (fresh process, median of {args.runs}): {cold_median:.2f} s   target ≤ 5 s")
    print(f"baseline: model load only (fresh process):   {load_median:.2f} s")
    print(f"ratio cold brief / model load:               {cold_median / load_median:.2f}x")
    print(f"warm brief (models loaded, in process):      {warm:.2f} s")
    print(f"peak RSS of a brief process:                 {peak_child_mb:.0f} MB")


if __name__ == "__main__":
    main()

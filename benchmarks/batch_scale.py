"""`newsprism batch` scaling: articles/s on 1 and 2 local workers, against the local run.

Run: .venv/bin/python benchmarks/batch_scale.py [--articles 2000] [--small 400]

The corpus is the clustering benchmark's stream (benchmarks/_corpus.py `make_stream`,
re-combined from ../shared/data), written as JSONL to a temp dir. Each configuration runs
in a child process of its own (so each peak memory is its own):

- local: `pipeline.run` in one process on the JSONL (what `newsprism brief` does);
- batch on a LocalCluster (127.0.0.1, processes, 1 thread each) of 1 and of 2 workers, the
  input cut into about 8 partitions per worker; and 2 workers again on `--small` articles, for
  the driver's memory at two corpus sizes.

Printed: wall time and articles/s of each; the ratios 2w/1w and batch/local; peak RSS of
each worker, of the driver and of the local process; the compute time per task kind (from
the Dask task stream); and a projection for 10 M articles on 32 workers, made from the
measured per-article compute of the parallel tasks divided over 32 workers plus the
single-task steps (catalog, components, linkage, story batching) scaled linearly with the
corpus and run on one worker. The projection is an extrapolation and says so.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SERIAL = ("catalog", "components", "link", "story-batches", "finish", "duplicates", "frequencies")
TARGET_ARTICLES, TARGET_WORKERS = 10_000_000, 32


def write_corpus(count: int, path: Path) -> int:
    """*count* stream articles as JSONL records at *path*; returns the bytes written."""
    from _corpus import make_stream

    with path.open("w", encoding="utf-8") as handle:
        for article in make_stream(count):
            record = {
                "id": article.id,
                "title": article.title,
                "text": article.text,
                "outlet": article.outlet,
                "published": article.published.isoformat() if article.published else None,
            }
            handle.write(json.dumps(record) + "\n")
    return path.stat().st_size


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_local(corpus: Path) -> dict[str, Any]:
    from newsprism.annotate.models import load_models
    from newsprism.pipeline import run
    from newsprism.settings import Settings

    models = load_models()  # outside the timing: a batch worker loads its models once too
    start = time.perf_counter()
    brief = run([str(corpus)], models=models, settings=Settings(n_process=1))
    wall = time.perf_counter() - start
    return {"wall": wall, "stories": len(brief.stories), "peak_mb": _peak_mb()}


def _task_seconds(stream: list[dict[str, Any]]) -> dict[str, float]:
    seconds: dict[str, float] = {}
    for task in stream:
        name = str(task["key"]).rsplit("-", 2)[0].rstrip("0123456789").rstrip("-")
        for step in task.get("startstops", ()):
            if step["action"] == "compute":
                seconds[name] = seconds.get(name, 0.0) + step["stop"] - step["start"]
    return seconds


def _load_models() -> None:
    from newsprism.executors import worker_models

    worker_models()


def child_batch(corpus: Path, workers: int, out: Path) -> dict[str, Any]:
    from dask.distributed import Client, LocalCluster, get_task_stream

    from newsprism.distributed.run import BatchOptions, run_batch

    size = corpus.stat().st_size
    options = BatchOptions(out=out, partition_bytes=max(1, size // (8 * workers)), progress=False)
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1"
    )
    with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        # Models loaded on every worker first, as in `local`: the run times the work itself.
        client.run(_load_models)
        with get_task_stream(client=client) as stream:
            start = time.perf_counter()
            report = run_batch(client, [str(corpus)], options)
            wall = time.perf_counter() - start
        workers_mb = client.run(_peak_mb)
    return {
        "wall": wall,
        "stories": report.stories,
        "partitions": report.partitions,
        "driver_mb": _peak_mb(),
        "workers_mb": sorted(workers_mb.values()),
        "tasks": _task_seconds(stream.data),
    }


def _child(*args: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _projection(run: dict[str, Any], articles: int, parallel_workers: int) -> None:
    tasks = run["tasks"]
    serial = sum(v for k, v in tasks.items() if k in SERIAL)
    parallel = sum(v for k, v in tasks.items() if k not in SERIAL)
    per_article = parallel / articles
    serial_per_article = serial / articles
    hours = (
        TARGET_ARTICLES * per_article / TARGET_WORKERS + TARGET_ARTICLES * serial_per_article
    ) / 3600
    print(
        f"\nprojection (an extrapolation, not a run): measured on {articles} articles with "
        f"{parallel_workers} workers, the parallel tasks cost {per_article * 1000:.1f} ms of "
        f"compute per article and the single-task steps {serial_per_article * 1000:.2f} ms per "
        f"article. Assuming both stay linear in the corpus, 10 M articles on {TARGET_WORKERS} "
        f"workers take about {hours:.1f} h ({TARGET_ARTICLES * per_article / TARGET_WORKERS / 3600:.1f} h "
        f"parallel + {TARGET_ARTICLES * serial_per_article / 3600:.1f} h on one worker for the "
        "single-task steps; the linkage of one large candidate-graph component is one of "
        "them and is the limit). Not included: scheduler overhead at ~1e5 tasks, reading "
        "from remote storage, and the memory of the single-task steps (all free-article "
        "vectors of a component on one worker).",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--small", type=int, default=400)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        kind, corpus, *rest = arguments.child
        if kind == "local":
            result = child_local(Path(corpus))
        else:
            result = child_batch(Path(corpus), int(rest[0]), Path(rest[1]))
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="batch-scale-") as folder:
        _compare(Path(folder), arguments.articles, arguments.small)


def _compare(folder: Path, articles: int, small: int) -> None:
    corpus, small_corpus = folder / "large.jsonl", folder / "small.jsonl"
    megabytes = write_corpus(articles, corpus) / 1e6
    write_corpus(small, small_corpus)
    print(f"corpus: {articles} articles ({megabytes:.1f} MB JSONL), small: {small}", flush=True)
    runs = {
        "local": _child("local", str(corpus)),
        "1 worker": _child("batch", str(corpus), "1", str(folder / "out1")),
        "2 workers": _child("batch", str(corpus), "2", str(folder / "out2")),
        f"2 workers, {small} articles": _child(
            "batch", str(small_corpus), "2", str(folder / "out3")
        ),
    }
    for name, run in runs.items():
        count = small if "articles" in name else articles
        memory = (
            f"process {run['peak_mb']:.0f} MB"
            if "peak_mb" in run
            else f"driver {run['driver_mb']:.0f} MB, workers "
            + ", ".join(f"{m:.0f}" for m in run["workers_mb"])
            + " MB"
        )
        print(f"{name:>24}: {run['wall']:7.1f} s  {count / run['wall']:6.2f} articles/s  {memory}")
    one, two, local = runs["1 worker"], runs["2 workers"], runs["local"]
    print(f"\n2 workers / 1 worker: {one['wall'] / two['wall']:.2f}x")
    print(f"1 worker / local:     {local['wall'] / one['wall']:.2f}x")
    print(f"2 workers / local:    {local['wall'] / two['wall']:.2f}x")
    small_run = runs[f"2 workers, {small} articles"]
    print(
        f"driver peak RSS: {small_run['driver_mb']:.0f} MB at {small} articles, "
        f"{two['driver_mb']:.0f} MB at {articles}"
    )
    print("compute seconds by task kind (2 workers):")
    for name, seconds in sorted(two["tasks"].items(), key=lambda kv: -kv[1]):
        print(f"  {name:>16}: {seconds:8.2f}")
    _projection(one, articles, 1)


if __name__ == "__main__":
    main()

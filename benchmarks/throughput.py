"""Throughput of `brief` and of `ingest` with briefs, beside a bare spaCy parse of the same
documents (the floor this design can reach), in one process, with peak memory.

    .venv/bin/python benchmarks/throughput.py [--data PATH] [--limit N] [--processes N]

Documents: the multinews_dev cluster documents WITHOUT their cluster labels, so `brief` clusters
them first, as a user's unlabelled day of news. Three timings on the same documents and cores:

- parse: `nlp.pipe` of every text with the whole spaCy pipeline (the brief's claims read
  every component), in this process and with --processes worker processes; the faster of the
  two is the floor;
- brief: the shipped pipeline (`pipeline.run_from`: clean, cluster, annotate, then dedup,
  compare, compose per story);
- ingest: `Service.ingest_documents` into a fresh SQLite store (online clustering), then the
  brief of every story it made, as `newsprism ingest` computes them (`Service.brief_stories`:
  the stale stories' articles annotated in one stream).

Models are loaded before timing, and the process's caches (embeddings by text, sentence
splits) are emptied before the brief and before the ingest, so each starts cold. CPU seconds
count this process and its finished children. Targets (issue 11): brief <= 2x parse, ingest
<= 1.2x brief. The ratio is printed in wall seconds and in CPU seconds (against the parse in one
process); on a machine shared with other work only the CPU ratio is comparable between runs.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from newsprism.annotate.models import load_models
from newsprism.evaluate.data import cluster_documents, default_path, read_rows
from newsprism.pipeline import load_documents, run_from
from newsprism.settings import Settings, default_processes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=default_path("multinews_dev", "clusters.jsonl")
    )
    parser.add_argument("--limit", type=int, default=None, help="clusters to read (default all)")
    parser.add_argument("--processes", type=int, default=default_processes())
    args = parser.parse_args()
    documents = cluster_documents(read_rows(args.data, args.limit), given_story=False)
    models = load_models()
    settings = Settings(n_process=args.processes)
    count = len(documents)
    print(f"documents: {count}, spaCy processes: {args.processes}")

    texts = [d.data.decode("utf-8") for d in documents]
    nlp = models.need_nlp()
    timings = {
        "parse-1": _timed(lambda: list(nlp.pipe(texts, n_process=1))),
        f"parse-{args.processes}": _timed(lambda: list(nlp.pipe(texts, n_process=args.processes))),
    }
    parse = min(wall for wall, _ in timings.values())
    parse_cpu = timings["parse-1"][1]  # the floor in CPU seconds: one process, no model loads
    state = load_documents(documents, source=str(args.data))
    _cold(models)
    timings["brief"] = _timed(lambda: run_from(state, models=models, settings=settings))
    _cold(models)
    timings["ingest"] = _timed(lambda: _ingest(documents, models, settings))

    for name, (wall, cpu) in timings.items():
        print(f"{name:<8} {wall:7.1f} s  {count / wall:6.1f} articles/s  cpu {cpu:7.1f} s")
    brief, ingest = timings["brief"][0], timings["ingest"][0]
    print(f"brief / parse:  {brief / parse:.2f}x   (target <= 2x; floor: the faster parse)")
    brief_cpu = timings["brief"][1]
    print(f"brief / parse CPU: {brief_cpu / parse_cpu:.2f}x   (CPU seconds, parse in one process)")
    print(f"ingest / brief: {ingest / brief:.2f}x   (target <= 1.2x)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MiB (largest parse process: {children:.0f} MiB)")


def _ingest(documents, models, settings) -> None:
    from newsprism.service import Service
    from newsprism.store import open_store

    with tempfile.TemporaryDirectory() as folder:
        service = Service(open_store(str(Path(folder) / "bench.db")), models=models)
        report = service.ingest_documents(documents)
        service.brief_stories(sorted({item["story_id"] for item in report.added}))


def _cold(models) -> None:
    """Empty the caches a previous timing filled (embeddings by text, sentence splits)."""
    from newsprism.annotate.sentences import clear_cache

    clear_cache()
    clear = getattr(models.need_embedder(), "clear_cache", None)
    if clear is not None:
        clear()


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(work) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of *work*."""
    started, cpu = time.perf_counter(), _cpu()
    work()
    return time.perf_counter() - started, _cpu() - cpu


if __name__ == "__main__":
    main()

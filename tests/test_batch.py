"""`newsprism batch` on real LocalClusters (loopback): same answer as `newsprism brief` with
1 and 2 workers, with a worker killed mid-run, and when resumed."""

from __future__ import annotations

import functools
import http.server
import json
import os
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsprism.cli import cli
from newsprism.model import Brief
from newsprism.render.json import brief_to_dict
from tests.conftest import data_path, shared_models

distributed = pytest.importorskip(
    "dask.distributed", reason="install the dask extra: pip install -e '.[dask]'"
)
pytest.importorskip("pyarrow", reason="install the dask extra (pyarrow): pip install -e '.[dask]'")

from newsprism.distributed.run import BatchOptions, BatchReport, run_batch  # noqa: E402
from newsprism.settings import Settings  # noqa: E402

RUN_SECONDS = 240  # a batch in these tests never runs longer; a hang fails instead
pytestmark = pytest.mark.timeout(4 * RUN_SECONDS)  # the module's clusters start in a fixture
ARTICLES = 36  # ECB+ documents in the generated corpus


def _corpus(folder: Path) -> list[str]:
    """Inputs built from ../shared/data: a JSONL of ECB+ documents (dated, with outlets, a
    bad line, a record naming its story, a repeat naming another story), the seeds folder
    and a path that does not exist."""
    lines = data_path("ecbplus", "docs.jsonl").read_text(encoding="utf-8").splitlines()
    records = []
    for number, line in enumerate(lines[:ARTICLES]):
        document = json.loads(line)
        records.append(
            {
                "id": document["doc_id"],
                "title": document["sentences"][0],
                "text": "\n".join(document["sentences"]),
                "outlet": f"outlet{number % 4}",
                "published": f"2024-01-{1 + number % 20:02d}T{number % 24:02d}:00:00Z",
            }
        )
    records[3]["story"] = "given-story"
    repeat = {**records[5], "id": "repeat", "story": "another-story"}
    rows = (
        [json.dumps(r) for r in records[:20]] + ["{broken"] + [json.dumps(r) for r in records[20:]]
    )
    rows.append(json.dumps(repeat))
    corpus = folder / "corpus.jsonl"
    corpus.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return [str(corpus), str(data_path("seeds")), str(folder / "missing.txt")]


def _normal(value: Any) -> Any:
    return json.loads(json.dumps(value, sort_keys=True))


def _read_run(out: Path) -> dict[str, Any]:
    import pyarrow.parquet as pq

    from newsprism.distributed.datasets import month_of

    articles = pq.read_table(out / "articles").to_pylist()
    # Partitioned by publication month (hive folders): the readers give it as a column.
    assert all(str(a.pop("month")) == month_of(a["published"]) for a in articles)
    return {
        "stories": [json.loads(line) for line in (out / "briefs.jsonl").read_text().splitlines()],
        "rejections": pq.read_table(out / "rejections").to_pylist(),
        "articles": sorted(
            ({k: v for k, v in a.items() if k != "story_id"} for a in articles),
            key=lambda a: a["id"],
        ),
        "memberships": {a["id"]: a["story_id"] for a in articles},
    }


def _expected(brief: Brief) -> dict[str, Any]:
    data = brief_to_dict(brief)
    from newsprism.distributed.datasets import rows_of

    articles = rows_of("articles", [{**a, "story_id": None} for a in data["articles"]])
    return {
        "stories": _normal(data["stories"]),
        "rejections": _normal(data["rejections"]),
        "articles": sorted(
            ({k: v for k, v in a.items() if k != "story_id"} for a in articles),
            key=lambda a: a["id"],
        ),
        "memberships": {i: s["id"] for s in data["stories"] for i in s["article_ids"]},
    }


def _options(out: Path) -> BatchOptions:
    # Small partitions and story batches: several JSONL ranges, link and brief tasks.
    return BatchOptions(
        out=out,
        settings=Settings(n_process=1),
        partition_bytes=6_000,
        story_batch_articles=6,
        timeout=RUN_SECONDS,
        progress=False,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _corpus(tmp_path_factory.mktemp("batch-corpus"))


@pytest.fixture(scope="module")
def local(corpus: list[str]) -> dict[str, Any]:
    from newsprism.pipeline import run

    return _expected(run(corpus, models=shared_models()))


def _cluster(workers: int) -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    )
    with cluster, distributed.Client(cluster, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def one_worker() -> Iterator[Any]:
    yield from _cluster(1)


@pytest.fixture(scope="module")
def two_workers() -> Iterator[Any]:
    yield from _cluster(2)


@pytest.fixture(scope="module")
def one_worker_run(
    one_worker: Any, corpus: list[str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, BatchReport]:
    out = tmp_path_factory.mktemp("one-worker") / "out"
    return out, run_batch(one_worker, corpus, _options(out))


def test_one_and_two_workers_equal_local_brief(
    one_worker_run: tuple[Path, BatchReport],
    two_workers: Any,
    corpus: list[str],
    local: dict[str, Any],
    tmp_path: Path,
) -> None:
    out, report = one_worker_run
    assert report.partitions > 3 and report.story_batches > 3  # really split
    assert len(list((out / "articles").glob("month=*"))) > 1  # the corpus spans months
    assert report.stories == len(local["stories"]) and report.rejections == 3
    assert _read_run(out) == local
    run_batch(two_workers, corpus, _options(tmp_path / "two"))
    assert _read_run(tmp_path / "two") == local
    assert any(len(s["article_ids"]) > 1 for s in local["stories"])
    assert any(s["id"] == "given-story" for s in local["stories"])


def test_rerun_skips_what_was_written(
    one_worker_run: tuple[Path, BatchReport], one_worker: Any, corpus: list[str]
) -> None:
    out, first = one_worker_run
    before = _read_run(out)
    parts = {p: p.stat().st_mtime_ns for p in (out / "facts").glob("*.parquet")}
    again = run_batch(one_worker, corpus, _options(out))
    assert again.partitions_reused == again.partitions == first.partitions
    assert again.story_batches_reused == again.story_batches == first.story_batches
    assert {p: p.stat().st_mtime_ns for p in (out / "facts").glob("*.parquet")} == parts
    # An interrupted run: one story batch never finished. Only that one is briefed again.
    marker = sorted((out / "_work").glob("briefed-*.json"))[0]
    marker.unlink()
    resumed = run_batch(one_worker, corpus, _options(out))
    assert resumed.story_batches_reused == resumed.story_batches - 1
    assert _read_run(out) == before


def _processing_brief(client: Any) -> str | None:
    for worker, keys in client.processing().items():
        if any(str(key).startswith("brief-") for key in keys):
            return str(worker)
    return None


def test_killed_worker_does_not_change_the_result(
    two_workers: Any, corpus: list[str], local: dict[str, Any], tmp_path: Path
) -> None:
    outcome: dict[str, Any] = {}

    def batch() -> None:
        try:
            outcome["report"] = run_batch(two_workers, corpus, _options(tmp_path / "out"))
        except BaseException as error:  # noqa: BLE001 (handed to the test thread)
            outcome["error"] = error

    thread = threading.Thread(target=batch, daemon=True)
    thread.start()
    deadline = time.monotonic() + RUN_SECONDS
    victim = None
    while victim is None and thread.is_alive() and time.monotonic() < deadline:
        victim = _processing_brief(two_workers)
        time.sleep(0.05)
    assert victim is not None, "no brief task was seen running"
    pid = two_workers.run(os.getpid, workers=[victim])[victim]
    os.kill(pid, signal.SIGKILL)  # mid-task: no clean shutdown, its results are lost
    thread.join(RUN_SECONDS)
    assert not thread.is_alive(), "the batch did not finish after a worker was killed"
    assert "error" not in outcome, outcome.get("error")
    assert victim not in two_workers.scheduler_info()["workers"]  # it really died
    assert _read_run(tmp_path / "out") == local


def test_cli_runs_and_loads_the_store(corpus: list[str], tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    result = CliRunner().invoke(
        cli,
        ["batch", corpus[1], "--out", str(tmp_path / "out"), "--workers", "1", "--db", str(db)],
    )
    assert result.exit_code == 0, result.output
    assert "3 articles" in result.output
    with sqlite3.connect(db) as connection:
        stories = connection.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
        fresh = connection.execute(
            "SELECT COUNT(*) FROM briefs JOIN stories ON stories.id = briefs.story_id "
            "WHERE briefs.version = stories.version"
        ).fetchone()[0]
    lines = (tmp_path / "out" / "briefs.jsonl").read_text(encoding="utf-8").splitlines()
    assert stories == fresh == len(lines) >= 1  # every story stored with a fresh brief


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        pass


def test_url_inputs_are_fetched_on_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A URL input goes to a worker as it is and is fetched there, from a real HTTP server on
    loopback (allowed by NEWSPRISM_FETCH_ALLOW_LOOPBACK in the workers' environment): the
    stories equal `newsprism brief` of the same URLs, and a URL that answers 404 is one
    rejection, as there."""
    from newsprism.fetch import LOOPBACK_ENV
    from newsprism.pipeline import run

    seeds = data_path("seeds")
    handler = functools.partial(_QuietFiles, directory=str(seeds))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        urls = [f"{base}/{path.name}" for path in sorted(seeds.glob("*.txt"))]
        urls.append(f"{base}/gone.txt")
        monkeypatch.setenv(LOOPBACK_ENV, "1")
        local = _expected(run(urls, models=shared_models()))
        cluster = distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            env={LOOPBACK_ENV: "1"},
        )
        with cluster, distributed.Client(cluster, timeout=60) as client:
            report = run_batch(client, urls, _options(tmp_path / "out"))
    finally:
        server.shutdown()
        server.server_close()
    assert len(local["articles"]) == 3 and report.rejections == 1
    assert _read_run(tmp_path / "out") == local
    assert {a["source"] for a in local["articles"]} == set(urls[:3])

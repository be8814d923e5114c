"""Load test of the HTTP API against a real `newsprism serve` on loopback.

8 clients post articles while 8 clients read stored briefs (GET /api/stories/{id}) and story
lists, for --duration seconds. Afterwards every acknowledged article must be stored exactly once
(the store's count equals what was sent). Prints throughput and latency percentiles; the target
is p95 <= 100 ms for GET /api/stories/{id} served from a stored brief.

    .venv/bin/python benchmarks/load_api.py --duration 60
    .venv/bin/python benchmarks/load_api.py --duration 10        # a quick run
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.live_server import start_server  # noqa: E402

_PLACES = ["Aldmere", "Brackwater", "Corriven", "Dunhollow", "Elsmark", "Farrowby", "Glenhaven"]
_TOPICS = [
    ("reservoir", "water levels", "engineers"),
    ("rail line", "timetable", "commuters"),
    ("wind farm", "turbines", "planners"),
    ("hospital wing", "beds", "nurses"),
    ("ferry port", "sailings", "hauliers"),
]


def make_article(rng: random.Random, tag: str, topic: int | None = None) -> dict[str, str]:
    """A short synthetic article; *tag* makes its text unique."""
    place = rng.choice(_PLACES)
    thing, measure, people = _TOPICS[rng.randrange(len(_TOPICS)) if topic is None else topic]
    figure = rng.randint(3, 900)
    text = (
        f"Officials in {place} said on Tuesday that the {thing} would reopen after repairs "
        f"costing about {figure} thousand crowns. The {measure} had been a concern for "
        f"{people} since the spring.\n\n"
        f'"We expect the {thing} to be back in full use within weeks," a spokesperson said. '
        f"Local {people} welcomed the news (ref {tag})."
    )
    return {
        "id": tag,
        "title": f"{place} {thing} to reopen ({tag})",
        "outlet": f"{place} Post",
        "text": text,
    }


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    sent: int = 0

    def record(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def client(kind: str, number: int, url: str, stop: float, story_ids: list[str], out: Any) -> None:
    """One client process: back-to-back requests until *stop* (time.time), then report."""
    stats = Stats()
    rng = random.Random(number if kind == "writer" else 1000 + number)
    count = 0
    with httpx.Client(base_url=url, timeout=300) as http:
        while time.time() < stop:
            if kind == "writer":
                record = make_article(rng, f"w{number}-{count}")
                count += 1
                stats.sent += 1
                started = time.perf_counter()
                try:
                    response = http.post("/api/articles", json={"articles": [record]})
                except httpx.HTTPError as error:
                    stats.errors.append(f"POST {type(error).__name__}: {error}")
                    continue
                stats.record("POST /api/articles", time.perf_counter() - started)
                if response.status_code != 201:
                    stats.errors.append(f"POST {response.status_code}: {response.text[:200]}")
                    continue
                stats.acknowledged.extend(item["id"] for item in response.json()["added"])
                continue
            listing = rng.random() < 0.2
            path = "/api/stories?limit=20" if listing else f"/api/stories/{rng.choice(story_ids)}"
            started = time.perf_counter()
            try:
                response = http.get(path)
            except httpx.HTTPError as error:
                stats.errors.append(f"GET {type(error).__name__}: {error}")
                continue
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                stats.errors.append(f"GET {path} {response.status_code}: {response.text[:200]}")
            elif listing:
                stats.record("GET /api/stories", elapsed)
            else:
                kind_of = response.headers.get("X-Newsprism-Brief", "?")
                stats.record(f"GET /api/stories/{{id}} ({kind_of} brief)", elapsed)
    out.put(stats)


def run(url: str, duration: float, writers: int, readers: int, stories: int) -> int:
    with httpx.Client(base_url=url, timeout=300) as http:
        # Warm-up: a few stories with stored briefs for the readers (they are not posted to).
        rng = random.Random(99)
        warm = [
            {**make_article(rng, f"warm{s}-{n}", topic=s % len(_TOPICS)), "story": f"warm-{s}"}
            for s in range(stories)
            for n in range(3)
        ]
        http.post("/api/articles", json={"articles": warm}).raise_for_status()
        story_ids = [f"warm-{s}" for s in range(stories)]
        started = time.perf_counter()
        for story_id in story_ids:
            http.get(f"/api/stories/{story_id}").raise_for_status()
        print(
            f"warm-up: {len(warm)} articles, {stories} briefs computed in "
            f"{time.perf_counter() - started:.1f} s"
        )
        before = http.get("/api/health").json()["counts"]["articles"]

        # One process per client, so no client waits on another's interpreter.
        context = multiprocessing.get_context("fork")
        out = context.Queue()
        stop = time.time() + duration
        processes = [
            context.Process(target=client, args=(kind, n, url, stop, story_ids, out))
            for kind, count in (("writer", writers), ("reader", readers))
            for n in range(count)
        ]
        began = time.perf_counter()
        for process in processes:
            process.start()
        stats = Stats()
        for _ in processes:
            part = out.get()
            stats.errors += part.errors
            stats.acknowledged += part.acknowledged
            stats.sent += part.sent
            for kind, values in part.latencies.items():
                stats.latencies.setdefault(kind, []).extend(values)
        for process in processes:
            process.join()
        elapsed = time.perf_counter() - began
        after = http.get("/api/health").json()["counts"]["articles"]
        missing = sum(
            1
            for article_id in stats.acknowledged
            if http.get(f"/api/articles/{article_id}").status_code != 200
        )

    print(f"\n{writers} writers + {readers} readers for {elapsed:.1f} s against {url}")
    print(
        f"{'request':42} {'count':>6} {'per s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    for kind, values in sorted(stats.latencies.items()):
        print(
            f"{kind:42} {len(values):6d} {len(values) / elapsed:7.1f} "
            f"{statistics.median(values) * 1000:8.1f} {percentile(values, 0.95) * 1000:8.1f} "
            f"{percentile(values, 0.99) * 1000:8.1f} {max(values) * 1000:8.1f}"
        )
    unique = len(set(stats.acknowledged))
    print(
        f"\nsent {stats.sent} articles, acknowledged {len(stats.acknowledged)} ({unique} unique); "
        f"store grew by {after - before}; missing after run: {missing}; errors: {len(stats.errors)}"
    )
    for error in stats.errors[:10]:
        print("  error:", error)
    stored_p95 = stats.latencies.get("GET /api/stories/{id} (stored brief)")
    ok = (
        not stats.errors
        and missing == 0
        and unique == len(stats.acknowledged) == after - before == stats.sent
        and stored_p95 is not None
    )
    if stored_p95:
        p95 = percentile(stored_p95, 0.95) * 1000
        print(
            f"stored-brief GET p95 = {p95:.1f} ms (target <= 100 ms): {'met' if p95 <= 100 else 'MISSED'}"
        )
        ok = ok and p95 <= 100
    print("RESULT:", "ok" if ok else "FAILED")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--stories", type=int, default=5, help="stored briefs the readers fetch")
    parser.add_argument("--url", help="an already running server (default: start one on a temp db)")
    parser.add_argument(
        "--db", help="database for the started server (default: a temp SQLite file)"
    )
    args = parser.parse_args()
    if args.url:
        return run(args.url, args.duration, args.writers, args.readers, args.stories)
    with tempfile.TemporaryDirectory(prefix="newsprism-load-") as tmp:
        db = args.db or str(Path(tmp) / "load.db")
        server = start_server(db, Path(tmp) / "server.log")
        try:
            return run(server.url, args.duration, args.writers, args.readers, args.stories)
        finally:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())

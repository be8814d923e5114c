"""Crash safety: SIGKILL the server during an ingest; nothing acknowledged is lost."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import httpx

from tests.live_server import start_server

_TOWNS = ["Ardel", "Brisk", "Cormoor", "Dunlow", "Eskar", "Fennick", "Gallow", "Hythe"]
_THINGS = ["bridge", "school", "library", "harbour wall", "tram depot", "clinic", "market hall"]


def _records(count: int) -> list[dict[str, str]]:
    rng = random.Random(7)
    records = []
    for n in range(count):
        town, thing = rng.choice(_TOWNS), rng.choice(_THINGS)
        text = (
            f"The council of {town} voted on item {n} to repair the {thing} before winter. "
            f"Work on the {thing} will cost {rng.randint(2, 90)} thousand crowns, officials said.\n\n"
            f"Residents of {town} had asked for the repair for {rng.randint(2, 9)} years."
        )
        records.append(
            {
                "id": f"rec-{n}",
                "text": text,
                "title": f"{town} repairs {thing} ({n})",
                "outlet": f"{town} Echo",
                "story": f"{town}-{thing}",
            }
        )
    return records


def test_store_crash_loses_no_acknowledged_article(tmp_path: Path) -> None:
    db = str(tmp_path / "crash.db")
    records = _records(60)
    server = start_server(db, tmp_path / "server.log")
    acknowledged: list[str] = []
    stop = threading.Event()

    def post_all() -> None:
        with httpx.Client(timeout=30) as client:
            for record in records:
                if stop.is_set():
                    return
                try:
                    response = client.post(f"{server.url}/api/articles", json=[record])
                except httpx.HTTPError:
                    return  # the server died mid-request: not acknowledged
                if response.status_code == 201:
                    acknowledged.append(response.json()["added"][0]["id"])

    poster = threading.Thread(target=post_all)
    poster.start()
    deadline = time.monotonic() + 120
    while len(acknowledged) < 10 and time.monotonic() < deadline and poster.is_alive():
        time.sleep(0.01)
    server.process.kill()  # SIGKILL while requests are in flight
    server.process.wait()
    stop.set()
    poster.join()
    assert 10 <= len(acknowledged) < len(records)

    restarted = start_server(db, tmp_path / "server.log")
    try:
        with httpx.Client(timeout=60) as client:
            for article_id in acknowledged:
                assert client.get(f"{restarted.url}/api/articles/{article_id}").status_code == 200
            stored = client.get(f"{restarted.url}/api/health").json()["counts"]["articles"]
            assert stored >= len(acknowledged)
            report = client.post(f"{restarted.url}/api/articles", json={"articles": records}).json()
            assert report["counts"]["added"] == len(records) - stored
            assert report["counts"]["duplicates"] == stored
            assert report["counts"]["rejected"] == 0
            final = client.get(f"{restarted.url}/api/health").json()["counts"]["articles"]
            assert final == len(records)
    finally:
        restarted.stop()

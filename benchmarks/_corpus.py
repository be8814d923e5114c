"""A large article stream re-combined from the real data in ../shared/data (seeded).

Each synthetic article takes one real document (ECB+ or multinews) as its
core, drops and re-orders some of its lines and gets its own id and a timestamp, so a stream of
any length keeps the vocabulary and story structure of real news.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

from newsprism.model import Article

_WINDOW = 150  # pool documents live on a given day
_STEP = 100  # how far the window moves each day
DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def _events() -> list[list[tuple[str, str]]]:
    """Real documents grouped by event: ECB+ events and multinews clusters, each (title, text)."""
    events: dict[str, list[tuple[str, str]]] = {}
    for line in (DATA / "ecbplus" / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        title, text = record["sentences"][0], "\n".join(record["sentences"])
        events.setdefault(f"ecb:{record['event_id']}", []).append((title, text))
    multinews = DATA / "multinews_dev" / "clusters.jsonl"
    for line in multinews.read_text(encoding="utf-8").splitlines():
        cluster = json.loads(line)
        for document in cluster["documents"]:
            lines = [p for p in document.split("\n") if p.strip()]
            if lines:
                events.setdefault(f"mn:{cluster['id']}", []).append(
                    (lines[0][:120], "\n".join(lines))
                )
    return [events[key] for key in sorted(events)]


def _pool(rng: random.Random, by_event: bool) -> list[tuple[str, str]]:
    """Every document once, an event's documents side by side, events in random order."""
    events = _events()
    if not by_event:  # the former pool: single documents shuffled, events spread everywhere
        pool = [document for documents in events for document in documents]
        rng.shuffle(pool)
        return pool
    rng.shuffle(events)
    pool = []
    for documents in events:
        documents = list(documents)
        rng.shuffle(documents)
        pool.extend(documents)
    return pool


def make_stream(
    count: int, *, per_day: int = 1000, seed: int = 1, by_event: bool = True
) -> list[Article]:
    """*count* articles in publication order, *per_day* of them per simulated day.

    With ``by_event=False`` the pool is shuffled document by document (the stream this
    module made before): every event then recurs all through the stream.
    """
    rng = random.Random(seed)
    # An event's documents sit together in the pool, so a day's window holds a few events
    # and loses them as it moves on. (Shuffling single documents instead spread every event
    # over the whole pool: each event then ran for the whole stream, its story growing with
    # the stream's length, which no real stream does.) After one pass through the pool the
    # events recur, ~13 days later: far enough apart in time to be new stories.
    pool = _pool(rng, by_event)
    start = datetime(2024, 1, 1)
    articles = []
    for number in range(count):
        # Stories come and go: each day draws from a window of the pool that moves on, so old
        # stories stop getting articles (as real ones do) and new ones start.
        day = number // per_day
        title, text = pool[(day * _STEP + rng.randrange(_WINDOW)) % len(pool)]
        lines = text.split("\n")
        kept = [line for line in lines if rng.random() > 0.2] or lines[:1]
        if len(kept) > 2:
            head, rest = kept[:1], kept[1:]
            rng.shuffle(rest)
            kept = head + rest
        articles.append(
            Article(
                id=f"b{number}",
                source=f"b{number}",
                outlet="bench",
                title=title,
                text="\n".join(kept),
                published=start + timedelta(days=number / per_day),
            )
        )
    return articles

"""Restart time of the store's online clusterer: loading its stored state vs replaying.

Run: .venv/bin/python benchmarks/restart.py [--articles 100000] [--db PATH] [--per-day 1000]

1. Builds a store of `--articles` articles re-combined from the real data (`_corpus.py`: one
   real ECB+/multinews document each, a fifth of its lines dropped, the rest re-ordered, 1,000
   a simulated day), written straight through the store API (`put_article`, in transactions of
   1,000; story ids one per 50 articles: what the timing needs, not a clustering), not through
   the NLP pipeline, which would take hours.
2. Replay: a new `Service` with no stored state rebuilds its clusterer from every stored
   article (`Service._get_clusterer`, the path a restart took before the state was stored).
3. Stores that clusterer's state (`put_clusterer_state`, as ingest does every
   CLUSTERER_SAVE_EVERY articles) and times the write.
4. Load: a new `Service` loads the state and catches up (nothing left to catch up here).

Prints both times and their ratio (target: load <= 1/10 of replay), the state's size, and
checks that the loaded clusterer's state equals the replayed one's.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _corpus import make_stream  # noqa: E402  (the script folder is on sys.path)

from newsprism.service import Service  # noqa: E402
from newsprism.store import Store, open_store  # noqa: E402

_BATCH = 1000  # articles per transaction while filling the store
_PER_STORY = 50  # placeholder story size while filling


def fill(store: Store, count: int, per_day: int) -> float:
    """Store *count* stream articles directly; return the seconds it took."""
    start = time.perf_counter()
    articles = make_stream(count, per_day=per_day)
    for begin in range(0, count, _BATCH):
        with store.atomic():
            for number, article in enumerate(articles[begin : begin + _BATCH], start=begin):
                story_id = f"s-bench-{number // _PER_STORY}"
                if number % _PER_STORY == 0:
                    store.touch_story(story_id, headline=article.title)
                store.put_article(article, story_id=story_id)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--per-day", type=int, default=1000)
    parser.add_argument("--db", help="store URL or SQLite path (default: a temp file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(args.db or str(Path(folder) / "restart.db"))
        if store.counts()["articles"] < args.articles:  # a --db filled by an earlier run is kept
            took = fill(store, args.articles, args.per_day)
            print(f"stored {args.articles} articles directly in {took:.1f} s", flush=True)

        # A state left by an earlier run on this --db is set unreadable: the service replays.
        store.put_clusterer_state("{}", seq=0)
        start = time.perf_counter()
        replayed = Service(store)._get_clusterer()
        replay = time.perf_counter() - start
        print(f"replay: {replay:.2f} s ({args.articles / replay:.0f} articles/s)", flush=True)

        start = time.perf_counter()
        text = json.dumps(replayed.state())
        # The replay took in every stored article: the state is as of the newest.
        seq = store.article_seq(f"b{args.articles - 1}") or 0
        store.put_clusterer_state(text, seq=seq)
        save = time.perf_counter() - start
        print(f"state: {len(text) / 1e6:.1f} MB JSON, written in {save:.2f} s", flush=True)

        start = time.perf_counter()
        loaded = Service(store)._get_clusterer()
        load = time.perf_counter() - start
        print(f"load: {load:.2f} s", flush=True)
        same = json.dumps(loaded.state()) == text
        print(
            f"load / replay = {load / replay:.3f} (target <= 0.100); "
            f"loaded state equals replayed: {same}"
        )
        store.close()
        if not same or load > replay / 10:
            sys.exit(1)


if __name__ == "__main__":
    main()

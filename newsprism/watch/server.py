"""`newsprism serve --watch FILE`: the feed poller as a background thread of the server.

The thread polls with its own `Fetcher` and reads feed state through the server's store (reads
only); every write, entries and feed state alike, is a `RecordPoll` command sent to the
server's write lane (``app.state.writer``), the lane every other ingest of the server goes
through. It starts with the app's lifespan and stops before the lanes close.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from newsprism.data.watch import DEFAULT_EVERY_S, DEFAULT_HOST_DELAY_S, STOP_JOIN_S
from newsprism.fetch import Fetcher
from newsprism.watch.poller import PollOutcome, Watcher
from newsprism.watch.record import PollReport, RecordPoll

if TYPE_CHECKING:
    from fastapi import FastAPI


def attach_watcher(
    app: FastAPI,
    feeds: Sequence[str],
    *,
    every: float = DEFAULT_EVERY_S,
    host_delay: float = DEFAULT_HOST_DELAY_S,
    fetcher: Callable[[], Fetcher] = Fetcher,
    on_poll: Callable[[PollOutcome], None] | None = None,
) -> None:
    """Run a `Watcher` over *feeds* while *app* (from `create_app`) runs.

    *fetcher* makes the watcher's HTTP client (tests pass one that allows loopback).
    """
    served = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: Any) -> AsyncIterator[Any]:
        async with served(app_) as state:
            loop = asyncio.get_running_loop()
            workers = app.state.writer

            def sink(command: RecordPoll) -> PollReport:
                # From the watcher's thread into the server's loop, and wait for the lane.
                report: PollReport = asyncio.run_coroutine_threadsafe(
                    workers.run(command), loop
                ).result()
                return report

            client = fetcher()
            watcher = Watcher(
                feeds,
                store=app.state.service.store,
                sink=sink,
                fetcher=client,
                every=every,
                host_delay=host_delay,
                on_poll=on_poll,
            )
            app.state.watcher = watcher
            thread = threading.Thread(
                target=_run, args=(watcher, client), name="newsprism-watch", daemon=True
            )
            thread.start()
            try:
                yield state
            finally:
                watcher.stop()
                # Awaited, not blocking: a poll in flight may be waiting on the write lane.
                await asyncio.to_thread(thread.join, STOP_JOIN_S)

    app.router.lifespan_context = lifespan


def _run(watcher: Watcher, client: Fetcher) -> None:
    try:
        watcher.run_forever()
    finally:
        client.close()

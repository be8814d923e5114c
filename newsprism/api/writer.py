"""Where the server's writes run: one thread, or one child process, fed by a queue.

Every ingest and every brief computation goes through `Writer.run(method, ...)`, one at a time,
in arrival order (datasette's write-thread idea). `WriteThread` runs them on one thread of the
server process. `WriteProcess` (what `newsprism serve` uses) runs them in a child process with
its own interpreter and a lower CPU priority: cleaning, clustering and the language models then
never hold the server's GIL, so stored briefs and lists are served promptly during heavy ingest.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import multiprocessing
import os
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from newsprism.errors import NewsprismError

logger = logging.getLogger(__name__)

# Service methods a writer may run (nothing else crosses the queue).
METHODS = frozenset({"ingest_records", "ingest_bytes", "story_brief_json", "brief_records"})


class WriteFailed(NewsprismError):
    """A write failed in the writer process; carries the original message and HTTP status."""

    code = "E600"

    def __init__(self, message: str, status: int) -> None:
        Exception.__init__(self, message)
        self.message = message
        self.status = status


class Writer(Protocol):
    async def run(self, method: str, *args: Any, **kwargs: Any) -> Any: ...

    def close(self) -> None: ...


class WriteThread:
    """Runs service methods, in arrival order, on one dedicated thread of this process."""

    def __init__(self, service: Any) -> None:
        self._service = service
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsprism-write")

    async def run(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if method not in METHODS:
            raise ValueError(f"{method!r} is not a write method")
        function = functools.partial(getattr(self._service, method), *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._executor, function)

    def close(self) -> None:
        """Finish queued writes, then stop the thread."""
        self._executor.shutdown(wait=True)


class WriteProcess:
    """Runs service methods, in arrival order, in one child process over the same store."""

    def __init__(self, db: str, *, nice: int = 10) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._requests: Any = context.Queue()
        self._results: Any = context.Queue()
        self._process = context.Process(
            target=_serve_writes,
            args=(db, nice, self._requests, self._results),
            name="newsprism-writer",
            daemon=True,
        )
        self._process.start()
        self._numbers = itertools.count()
        self._pending: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Future[Any]]] = {}
        self._lock = threading.Lock()
        self._closing = False
        self._collector = threading.Thread(
            target=self._collect, name="newsprism-results", daemon=True
        )
        self._collector.start()

    async def run(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if method not in METHODS:
            raise ValueError(f"{method!r} is not a write method")
        if not self._process.is_alive():
            raise WriteFailed("the writer process has stopped; restart `newsprism serve`", 503)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        number = next(self._numbers)
        with self._lock:
            self._pending[number] = (loop, future)
        self._requests.put((number, method, args, kwargs))
        return await future

    def _collect(self) -> None:
        while True:
            try:
                number, ok, value = self._results.get(timeout=0.5)
            except queue.Empty:
                if not self._process.is_alive():
                    self._fail_all("the writer process stopped; restart `newsprism serve`")
                    return
                continue
            except (EOFError, OSError):
                return
            with self._lock:
                entry = self._pending.pop(number, None)
            if entry is not None:
                loop, future = entry
                loop.call_soon_threadsafe(_settle, future, ok, value)

    def _fail_all(self, message: str) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
        for loop, future in pending.values():
            loop.call_soon_threadsafe(_settle, future, False, ("WriteFailed", message, 503))

    def close(self) -> None:
        """Let queued writes finish, then stop the child process."""
        self._requests.put(None)
        self._process.join(timeout=60)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=10)
        self._collector.join(timeout=2)


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.done():
        return
    if ok:
        future.set_result(value)
    else:
        _, message, status = value
        future.set_exception(WriteFailed(message, status))


def _die_with_parent() -> None:
    """Ask Linux to kill this process when the server dies (even by SIGKILL)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the closed queue ends the loop instead
        pass


def _serve_writes(db: str, nice: int, requests: Any, results: Any) -> None:
    """The writer process: one Service on the store, one request at a time."""
    from newsprism.api.errors import status_of
    from newsprism.service import Service
    from newsprism.store import open_store

    _die_with_parent()
    if nice:
        os.nice(nice)
    service = Service(open_store(db))
    try:
        while True:
            try:
                item = requests.get()
            except (EOFError, OSError):
                return
            if item is None:
                return
            number, method, args, kwargs = item
            try:
                value = getattr(service, method)(*args, **kwargs)
            except NewsprismError as error:
                results.put((number, False, (type(error).__name__, str(error), status_of(error))))
            except Exception as error:  # reported to the caller; the writer goes on
                logger.exception("write %s failed", method)
                results.put(
                    (
                        number,
                        False,
                        ("Exception", f"internal error ({type(error).__name__}): {error}", 500),
                    )
                )
            else:
                results.put((number, True, value))
    finally:
        service.store.close()

"""Where the server's heavy work runs: typed commands, each lane run one job at a time.

A command is a frozen dataclass with a `run(service)` method (as datasette's write queue
carries a task, not a method name); only commands cross the queue. Two lanes run them:

- the *write* lane ingests (cleaning, online clustering, storing), in arrival order;
- the *compute* lane computes briefs (stored story briefs and one-shot briefs), one at a
  time, so that an expensive brief never holds up ingest, and ingest never holds up a brief.

`ThreadLane` runs a lane on one thread of this process (tests). `ProcessLane` (what
`newsprism serve` uses) runs it in a supervised child process: with a memory limit
(RLIMIT_AS), a time limit per job, and a supervisor thread that restarts a child that died and
fails only the job it was running. No request waits forever: each job ends in a result, its
error, a timeout (504) or the death of its child (500), and a job that cannot be sent to the
child fails at once (400).
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol, TypeVar

from newsprism.api.errors import WriteFailed, status_of
from newsprism.contract import BriefDict
from newsprism.data.api_limits import (
    CLOSE_TIMEOUT_S,
    DEFAULT_BRIEF_MEMORY_MB,
    DEFAULT_JOB_TIMEOUT_S,
    DEFAULT_WRITER_MEMORY_MB,
    MAX_PENDING_JOBS,
    RESTART_BACKOFF_S,
    WRITER_START_TIMEOUT_S,
)
from newsprism.errors import NewsprismError

if TYPE_CHECKING:
    from newsprism.service import IngestReport, Service

logger = logging.getLogger(__name__)

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
Lane = Literal["write", "compute"]


# ------------------------------------------------------------------------------------ commands


class Command(Protocol[T_co]):
    """A job for a lane: picklable, and run against the lane's Service."""

    lane: ClassVar[Lane]

    def run(self, service: Service) -> T_co: ...


@dataclass(frozen=True, slots=True)
class IngestBytes:
    """Ingest one input (any format the ingest stage reads) as if read from *source*."""

    lane: ClassVar[Lane] = "write"
    source: str
    data: bytes
    filename: str | None = None

    @classmethod
    def of_records(cls, records: Sequence[Mapping[str, Any]], *, source: str) -> IngestBytes:
        """JSON records as one JSONL input.

        ensure_ascii keeps every line one line: raw U+2028, U+2029 or U+0085 inside a string
        would be a line break to a reader that splits on `str.splitlines()`. It also carries a
        lone surrogate as its escape instead of failing to encode.
        """
        lines = "\n".join(json.dumps(record, ensure_ascii=True) for record in records)
        return cls(source=source, data=lines.encode("ascii"), filename=f"{source}.jsonl")

    def run(self, service: Service) -> IngestReport:
        return service.ingest_bytes(self.source, self.data, filename=self.filename)


@dataclass(frozen=True, slots=True)
class SetOutlet:
    """Correct a stored article's outlet (its story is recounted)."""

    lane: ClassVar[Lane] = "write"
    article_id: str
    outlet: str

    def run(self, service: Service) -> dict[str, str]:
        return service.set_outlet(self.article_id, self.outlet)


@dataclass(frozen=True, slots=True)
class StoryBrief:
    """A stored story's brief as JSON text, computed and stored when stale; and whether it
    came from the store."""

    lane: ClassVar[Lane] = "compute"
    story_id: str

    def run(self, service: Service) -> tuple[str, bool]:
        return service.story_brief_json(self.story_id)


@dataclass(frozen=True, slots=True)
class BriefRecords:
    """A one-shot brief of JSON records (clustered into stories); nothing is stored."""

    lane: ClassVar[Lane] = "compute"
    records: tuple[dict[str, Any], ...]

    def run(self, service: Service) -> BriefDict:
        return service.brief_records(self.records)


# --------------------------------------------------------------------------------------- lanes


class Runner(Protocol):
    """One lane: runs commands one at a time, in arrival order."""

    async def run(self, command: Command[T]) -> T: ...

    def status(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class WorkerLimits:
    """What bounds a job: its process's address space, its run time, the queue before it."""

    memory_mb: int = DEFAULT_WRITER_MEMORY_MB
    job_timeout_s: float = DEFAULT_JOB_TIMEOUT_S
    max_pending: int = MAX_PENDING_JOBS

    @classmethod
    def from_env(cls, lane: Lane, environ: Mapping[str, str] = os.environ) -> WorkerLimits:
        """The defaults of *lane*, changed by NEWSPRISM_WRITER_MEMORY_MB (write lane),
        NEWSPRISM_BRIEF_MEMORY_MB (compute lane) and NEWSPRISM_JOB_TIMEOUT_S; 0 turns a
        limit off."""
        memory = (
            _env_number(environ, "NEWSPRISM_WRITER_MEMORY_MB", DEFAULT_WRITER_MEMORY_MB)
            if lane == "write"
            else _env_number(environ, "NEWSPRISM_BRIEF_MEMORY_MB", DEFAULT_BRIEF_MEMORY_MB)
        )
        timeout = _env_number(environ, "NEWSPRISM_JOB_TIMEOUT_S", DEFAULT_JOB_TIMEOUT_S)
        return cls(memory_mb=int(memory), job_timeout_s=timeout)


def _env_number(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as error:
        raise ValueError(
            f"{name}={raw!r} is not a number; unset it or give e.g. {default:g}"
        ) from error
    if value < 0 or value != value:
        raise ValueError(f"{name}={raw!r} is not allowed; give 0 (no limit) or a positive number")
    return value


def _busy(limits: WorkerLimits) -> WriteFailed:
    return WriteFailed(
        f"the server is busy ({limits.max_pending} jobs waiting); retry in a few seconds",
        503,
        headers={"Retry-After": "5"},
    )


def _timed_out(limits: WorkerLimits) -> WriteFailed:
    return WriteFailed(
        f"the job ran past the limit of {limits.job_timeout_s:g} s and was stopped; send smaller "
        "inputs (articles stored before the stop are kept), or raise NEWSPRISM_JOB_TIMEOUT_S",
        504,
    )


class ThreadLane:
    """A lane on one thread of this process (tests; no memory limit, and a job past its time
    limit is answered 504 but runs on, as a thread cannot be stopped)."""

    def __init__(self, service: Service, name: str, limits: WorkerLimits | None = None) -> None:
        self._service = service
        self._limits = limits or WorkerLimits()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"newsprism-{name}")
        self._pending = 0

    async def run(self, command: Command[T]) -> T:
        if self._pending >= self._limits.max_pending:
            raise _busy(self._limits)
        self._pending += 1
        try:
            job = asyncio.get_running_loop().run_in_executor(
                self._executor, command.run, self._service
            )
            timeout = self._limits.job_timeout_s or None
            return await asyncio.wait_for(job, timeout)
        except TimeoutError as error:
            raise _timed_out(self._limits) from error
        finally:
            self._pending -= 1

    def status(self) -> dict[str, Any]:
        return {"kind": "thread", "pending": self._pending}

    def close(self) -> None:
        """Finish queued jobs, then stop the thread."""
        self._executor.shutdown(wait=True)


class Workers:
    """The server's two lanes; `run` sends each command to its own lane."""

    def __init__(self, write: Runner, compute: Runner) -> None:
        self.lanes: dict[Lane, Runner] = {"write": write, "compute": compute}

    async def run(self, command: Command[T]) -> T:
        result: T = await self.lanes[command.lane].run(command)
        return result

    def status(self) -> dict[str, Any]:
        return {name: lane.status() for name, lane in self.lanes.items()}

    def close(self) -> None:
        for lane in self.lanes.values():
            lane.close()


# ------------------------------------------------------------------------- supervised processes


@dataclass(slots=True)
class _Job:
    command: Any
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]

    def settle(self, ok: bool, value: Any) -> None:
        self.loop.call_soon_threadsafe(_settle, self.future, ok, value)


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.done():  # the client went away meanwhile
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)


@dataclass(slots=True)
class _Child:
    process: Any  # multiprocessing.Process of the spawn context
    connection: Connection
    started: float = field(default_factory=time.monotonic)
    ready: bool = False

    def age_s(self) -> float:
        return time.monotonic() - self.started


@dataclass(slots=True)
class LaneStats:
    """What a supervisor saw: restarts, and how long the last one took until ready."""

    restarts: int = 0
    last_restart_s: float | None = None
    last_death: str | None = None
    jobs: int = 0
    pid: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class ProcessLane:
    """A lane in a supervised child process over the same store; see the module docstring."""

    def __init__(
        self,
        db: str,
        name: str,
        *,
        limits: WorkerLimits | None = None,
        nice: int = 10,
        warm_modules: tuple[str, ...] = (),
    ) -> None:
        self._db = db
        self._warm_modules = warm_modules
        self._name = name
        self._nice = nice
        self._limits = limits or WorkerLimits()
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._closing = False
        self.stats = LaneStats()
        self._child: _Child | None = None
        self._job_started: float | None = None  # monotonic time the running job began
        # The supervisor thread starts every child: Linux's "die with parent" signal follows
        # the thread that started a child, and this thread lives as long as the lane.
        self._supervisor = threading.Thread(
            target=self._supervise, name=f"newsprism-{name}-supervisor", daemon=True
        )
        self._supervisor.start()

    async def run(self, command: Command[T]) -> T:
        if self._closing:
            raise WriteFailed("the server is shutting down; retry shortly", 503)
        if self._jobs.qsize() >= self._limits.max_pending:
            raise _busy(self._limits)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put(_Job(command, loop, future))
        return await future

    def status(self) -> dict[str, Any]:
        alive = self._child is not None and self._child.process.is_alive()
        started = self._job_started
        return {
            "kind": "process",
            "alive": alive,
            "pid": self.stats.pid,
            "pending": self._jobs.qsize(),
            "busy_s": None if started is None else round(time.monotonic() - started, 3),
            "jobs": self.stats.jobs,
            "restarts": self.stats.restarts,
            "last_restart_s": self.stats.last_restart_s,
            "last_death": self.stats.last_death,
            "memory_limit_mb": self._limits.memory_mb or None,
            "job_timeout_s": self._limits.job_timeout_s or None,
        }

    def close(self, timeout: float = CLOSE_TIMEOUT_S) -> None:
        """Let queued jobs finish for up to *timeout* seconds, then stop the child process
        (the jobs left fail with 503)."""
        self._closing = True
        self._jobs.put(None)
        self._supervisor.join(timeout=timeout)
        if self._supervisor.is_alive():
            self._kill_child("the server is stopping")
            self._supervisor.join(timeout=10)

    # -- the supervisor thread

    def _supervise(self) -> None:
        self._child = self._start_child()
        while True:
            try:
                job = self._jobs.get(timeout=1.0)
            except queue.Empty:
                self._restart_if_dead()  # a child killed while idle is back within a second
                continue
            if job is None:
                break
            if job.future.done():  # the client went away while the job waited
                continue
            self._job_started = time.monotonic()
            try:
                ok, value = self._execute(job.command)
            except Exception as error:  # never leave a request waiting, whatever went wrong
                logger.exception("the %s supervisor failed a job", self._name)
                ok, value = False, WriteFailed(f"internal error ({type(error).__name__})", 500)
            finally:
                self._job_started = None
            self.stats.jobs += 1
            job.settle(ok, value)
            self._restart_if_dead()  # after a job that killed its process, not before answering
        self._stop_child()

    def _execute(self, command: Any) -> tuple[bool, Any]:
        """Run one command in the child: (True, result) or (False, WriteFailed)."""
        try:
            payload = pickle.dumps(command, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # RecursionError (deep data), unpicklable values
            return False, WriteFailed(
                f"the request could not be handed to the writer ({type(error).__name__}: "
                f"{error}); send flatter records (JSON nested at most a few levels)",
                400,
            )
        child = self._restart_if_dead()
        try:
            if child is not None:
                child.connection.send_bytes(payload)
        except OSError:  # it died between the check and the send
            child = self._restart_if_dead()
            if child is not None:
                child.connection.send_bytes(payload)
        if child is None:
            return False, WriteFailed(
                f"the {self._name} process is not running (the server is stopping, or it "
                "failed to start: see the server log); retry shortly",
                503,
            )
        timeout = self._limits.job_timeout_s or None
        ready = wait([child.connection, child.process.sentinel], timeout=timeout)
        if child.connection in ready:
            try:
                ok, value = child.connection.recv()
            except (EOFError, OSError):
                pass  # the child died: its sentinel tells how, below
            else:
                return ok, (value if ok else WriteFailed(value[1], value[0]))
        if not ready:
            self._kill_child(f"job ran past {self._limits.job_timeout_s:g} s")
            return False, _timed_out(self._limits)  # restarted once this job is answered
        death = self._death_of(child)
        return False, WriteFailed(
            f"the {self._name} process died while running this request ({death}), most likely "
            f"from the input's size (memory limit {self._limits.memory_mb} MB); it was "
            "restarted and later requests go on; send this input in smaller parts",
            500,
        )

    def _restart_if_dead(self) -> _Child | None:
        """The live child, restarted if it died; None while stopping, or while a child that
        never became ready was started less than RESTART_BACKOFF_S ago (no crash loop)."""
        child = self._child
        if child is not None and child.process.is_alive():
            return child
        if self._closing:
            return None
        if child is not None and not child.ready and child.age_s() < RESTART_BACKOFF_S:
            return None
        if child is not None:
            death = self._death_of(child)
            self.stats.last_death = death
            logger.warning("newsprism %s process died (%s); restarting it", self._name, death)
            began = time.monotonic()
            self._child = self._start_child()
            self.stats.restarts += 1
            self.stats.last_restart_s = round(time.monotonic() - began, 3)
            logger.warning(
                "newsprism %s process restarted in %.2f s", self._name, self.stats.last_restart_s
            )
        else:
            self._child = self._start_child()
        return self._child

    def _start_child(self) -> _Child:
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_serve_commands,
            args=(
                self._db,
                self._nice,
                self._limits.memory_mb,
                os.getpid(),
                self._warm_modules,
                child_end,
            ),
            name=f"newsprism-{self._name}",
            daemon=True,
        )
        process.start()
        child_end.close()
        child = _Child(process=process, connection=parent_end)
        if parent_end.poll(WRITER_START_TIMEOUT_S):
            try:
                _, pid = parent_end.recv()
            except (EOFError, OSError):
                pass
            else:
                self.stats.pid = pid
                child.ready = True
        if not child.ready:
            logger.error("newsprism %s process failed to start; see above", self._name)
        return child

    def _death_of(self, child: _Child) -> str:
        child.process.join(timeout=5)
        code = child.process.exitcode
        if code is None:
            return "still running"
        if code == _EXIT_AFTER_MEMORY_ERROR:
            return "it stopped itself after a job ran out of memory"
        if code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit code {code}"

    def _kill_child(self, why: str) -> None:
        if self._child is None:
            return
        logger.warning("stopping the newsprism %s process: %s", self._name, why)
        self._child.process.kill()
        self._child.process.join(timeout=5)

    def _stop_child(self) -> None:
        child = self._child
        if child is None:
            return
        child.connection.close()  # the child reads EOF and exits after its current job
        child.process.join(timeout=30)
        if child.process.is_alive():
            child.process.kill()
            child.process.join(timeout=5)


# ------------------------------------------------------------------------------- the child side


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to kill this process when the server dies (even by SIGKILL)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the closed pipe ends the loop instead
        return
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def _limit_memory(memory_mb: int) -> None:
    """Cap this process's address space: past it allocations fail (MemoryError) instead of
    the machine swapping or the kernel killing a process at random."""
    if memory_mb <= 0:
        return
    import resource

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


# A child that ran out of memory answers its job, then exits with this code so that a fresh
# process (with an unfragmented heap) takes the next job.
_EXIT_AFTER_MEMORY_ERROR = 75


def _serve_commands(
    db: str,
    nice: int,
    memory_mb: int,
    parent_pid: int,
    warm_modules: tuple[str, ...],
    connection: Connection,
) -> None:
    """A lane's child process: one Service on the store, one command at a time.

    It says "ready" once *warm_modules* are imported, so a restarted writer takes its next
    job without first paying for the imports."""
    import importlib

    from newsprism.service import Service
    from newsprism.store import open_store

    _die_with_parent(parent_pid)
    _limit_memory(memory_mb)
    if nice:
        os.nice(nice)
    service = Service(open_store(db))
    for module in warm_modules:
        importlib.import_module(module)
    connection.send(("ready", os.getpid()))
    try:
        out_of_memory = _command_loop(service, memory_mb, connection)
    finally:
        service.store.close()
    if out_of_memory:
        sys.exit(_EXIT_AFTER_MEMORY_ERROR)


def _command_loop(service: Service, memory_mb: int, connection: Connection) -> bool:
    """Run commands until the pipe closes (False) or one ran out of memory (True)."""
    while True:
        try:
            payload = connection.recv_bytes()
        except (EOFError, OSError):
            return False
        reply, out_of_memory = _run_one(service, payload, memory_mb)
        try:
            connection.send(reply)
        except Exception as error:  # an unpicklable result: report it, go on
            connection.send((False, (500, f"internal error: result not sendable ({error})")))
        if out_of_memory:
            return True


def _run_one(service: Service, payload: bytes, memory_mb: int) -> tuple[Any, bool]:
    """((ok, value or (status, message)), whether this process should stop)."""
    try:
        command = pickle.loads(payload)
        return (True, command.run(service)), False
    except NewsprismError as error:
        return (False, (status_of(error), str(error))), False
    except MemoryError:
        message = (
            f"the input needs more memory than a writer may use ({memory_mb} MB); send it in "
            "smaller parts, or raise NEWSPRISM_WRITER_MEMORY_MB"
        )
        return (False, (413, message)), True
    except RecursionError as error:
        return (False, (422, f"the input is nested too deeply to read ({error})")), False
    except Exception as error:  # reported to the caller; the process goes on
        logger.exception("job %s failed", type(error).__name__)
        return (False, (500, f"internal error ({type(error).__name__}): {error}")), False

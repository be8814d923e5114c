"""How the per-story stages are mapped: in this process, on a process pool, or on Dask.

As spaCy's ``Language.pipe(n_process=...)`` keeps the components and changes only how they
run, an executor changes only where `pipeline.brief_story` runs. In this process it is given
the run's models; another process is its own edge and loads the default models once
(`worker_models`), since a spaCy pipeline or an ONNX session is not worth pickling per task.
"""

from __future__ import annotations

import functools
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from newsprism.annotate.models import Models
    from newsprism.settings import Settings

S = TypeVar("S")
R = TypeVar("R")
StoryTask = Callable[..., R]  # (state, *, models, settings) -> result
Done = Callable[[int], None]  # called with the number of tasks finished so far


class Executor(Protocol):
    """Maps a story task over story states; results come back in the order of the states."""

    def map_stories(
        self,
        task: Callable[..., R],
        states: Sequence[S],
        *,
        models: Models,
        settings: Settings,
        done: Done | None = None,
    ) -> list[R]: ...


class InProcess:
    """Run every task here, one after the other, with the run's models."""

    def map_stories(
        self,
        task: Callable[..., R],
        states: Sequence[S],
        *,
        models: Models,
        settings: Settings,
        done: Done | None = None,
    ) -> list[R]:
        results = []
        for count, state in enumerate(states, start=1):
            results.append(task(state, models=models, settings=settings))
            if done:
                done(count)
        return results


@functools.cache
def worker_models() -> Models:
    """The default models of a worker process, loaded on its first task (its edge)."""
    from newsprism.annotate.models import load_models

    return load_models()


def run_in_worker(task: Callable[..., R], state: Any, settings: Settings) -> R:
    """A story task in a worker process, with that process's models."""
    return task(state, models=worker_models(), settings=settings)


class ProcessPool:
    """Run tasks on *workers* fresh processes (spawned: a forked spaCy or ONNX runtime is
    unsafe); each loads the default models once. Pays off only for many large stories."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)

    def map_stories(
        self,
        task: Callable[..., R],
        states: Sequence[S],
        *,
        models: Models,
        settings: Settings,
        done: Done | None = None,
    ) -> list[R]:
        context = multiprocessing.get_context("spawn")
        results: dict[int, R] = {}
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=context) as pool:
            futures = {
                pool.submit(run_in_worker, task, state, settings): index
                for index, state in enumerate(states)
            }
            for count, future in enumerate(as_completed(futures), start=1):
                results[futures[future]] = future.result()
                if done:
                    done(count)
        return [results[index] for index in range(len(states))]

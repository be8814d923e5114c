"""Scale-out on Dask: the pipeline's story stages mapped over a dask.distributed cluster.

Nothing in the core imports Dask. `DaskExecutor` is an executor (`newsprism.executors`): the
composer runs the corpus stages here and hands each story's state to a Dask task that runs
the same story stages (`pipeline.brief_story`) on a worker, with that worker's models (loaded
once per worker process). Results equal a local run.

    from dask.distributed import Client, LocalCluster
    with Client(LocalCluster(n_workers=2, threads_per_worker=1)) as client:
        brief = brief_on_dask(["articles.jsonl"], client=client)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from newsprism.executors import Done, run_in_worker
from newsprism.model import Brief

if TYPE_CHECKING:
    from newsprism.annotate.models import Models
    from newsprism.settings import Settings

S = TypeVar("S")
R = TypeVar("R")


class DaskExecutor:
    """Map story tasks over a dask.distributed `Client` (results in the order of the states)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def map_stories(
        self,
        task: Callable[..., R],
        states: Sequence[S],
        *,
        models: Models,
        settings: Settings,
        done: Done | None = None,
    ) -> list[R]:
        from dask.distributed import as_completed

        # Largest stories first, so the last tasks to finish are short ones.
        order = sorted(range(len(states)), key=lambda i: -len(getattr(states[i], "members", ())))
        futures = {
            self.client.submit(run_in_worker, task, states[i], settings, pure=False): i
            for i in order
        }
        results: dict[int, R] = {}
        for count, future in enumerate(as_completed(futures), start=1):  # type: ignore[no-untyped-call]
            results[futures[future]] = future.result()
            if done:
                done(count)
        return [results[i] for i in range(len(states))]


def brief_on_dask(inputs: Sequence[str], *, client: Any, settings: Settings | None = None) -> Brief:
    """`pipeline.run` with the per-story work spread over a Dask cluster."""
    from newsprism.annotate.models import load_models
    from newsprism.pipeline import run

    return run(
        inputs,
        models=load_models,
        settings=settings,
        executor=DaskExecutor(client),
    )

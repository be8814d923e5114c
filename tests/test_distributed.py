"""A Dask run of the pipeline gives the same briefs as a local run."""

from __future__ import annotations

from pathlib import Path

import pytest

import newsprism
from newsprism.distributed.dask import _partitions, brief_on_dask
from newsprism.model import Story


def test_distributed_partitions_cover_every_story_once() -> None:
    stories = [
        Story(id=f"s{i}", article_ids=tuple(f"a{i}{j}" for j in range(i % 4 + 1))) for i in range(9)
    ]
    parts = _partitions(stories, 4)
    assert len(parts) == 4
    assert sorted(s.id for part in parts for s in part) == sorted(s.id for s in stories)


def test_distributed_dask_equals_local_on_seeds(seeds_dir: Path) -> None:
    distributed = pytest.importorskip(
        "dask.distributed", reason="install the dask extra: pip install -e '.[dask]'"
    )
    local = newsprism.brief([str(seeds_dir)])
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as client:
        remote = brief_on_dask([str(seeds_dir)], client=client)
    assert newsprism.brief_to_dict(remote) == newsprism.brief_to_dict(local)

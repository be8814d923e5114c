"""A Dask run of the pipeline gives the same briefs as a local run."""

from __future__ import annotations

from pathlib import Path

import pytest

import newsprism
from newsprism.distributed.dask import brief_on_dask


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

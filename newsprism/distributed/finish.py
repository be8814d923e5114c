"""The ends of a batch run: its manifest at the start, and at the end briefs.jsonl, the
rejections table, stale parts removed and the manifest completed (on a worker)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsprism.distributed import datasets
from newsprism.distributed.catalog import Catalog
from newsprism.distributed.manifest import FORMAT, MANIFEST, WORK, write_atomic, write_json
from newsprism.distributed.partitions import Partition
from newsprism.errors import NoArticles
from newsprism.model import Rejection

SHOWN_REJECTIONS = 20  # rejections the command prints; the table holds them all


def start_manifest(out: Path, inputs: Sequence[str], partitions: Sequence[Partition]) -> None:
    """Mark *out* as a batch run before any task writes there (an interrupted run resumes)."""
    previous = _read_manifest(out)
    write_json(
        out / MANIFEST,
        {
            "format": FORMAT,
            "inputs": list(inputs),
            "partitions": [{**asdict(p), "key": p.key()} for p in partitions],
            "started": _now(),
            "complete": False,
            "runs": previous.get("runs", 0) + 1,
        },
    )


def _read_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def partition_rejections(loaded: Any) -> tuple[tuple[Rejection, ...], tuple[Rejection, ...]]:
    """A partition's read and clean rejections (small: no texts)."""
    return loaded.read_rejections, loaded.clean_rejections


def partition_summary(loaded: Any) -> tuple[Any, int, bool]:
    """What the end of the run needs of a partition: its rejections, how many articles the
    date window left out, whether it was reused (small: no texts)."""
    return partition_rejections(loaded), loaded.outside, loaded.reused


def check_articles(
    client: Any,
    catalog: Any,
    loaded: Sequence[Any],
    inputs: Sequence[str],
    watch: Any,
    submit: Callable[..., Any],
) -> int:
    """The number of unique articles; NoArticles (with every rejection) when none."""
    unique: int = watch.value(submit(client, "unique-count", _unique, catalog))
    if unique:
        return unique
    parts = client.gather([submit(client, "rejections", partition_rejections, x) for x in loaded])
    rejections = _ordered_rejections(parts, ())
    named = ", ".join(inputs) if len(inputs) <= 3 else f"{inputs[0]} and {len(inputs) - 1} more"
    raise NoArticles(f"no article could be read from {named}", rejections)


def _unique(catalog: Catalog) -> int:
    return catalog.unique


def _ordered_rejections(
    parts: Sequence[tuple[Sequence[Rejection], Sequence[Rejection]]], conflicts: Sequence[Rejection]
) -> list[Rejection]:
    """As `pipeline.load_articles` orders them: read, then clean, then story conflicts."""
    read = [r for part, _ in parts for r in part]
    clean = [r for _, part in parts for r in part]
    return [*read, *clean, *conflicts]


def finish_run(
    out: Path,
    briefed: Sequence[tuple[str, int, bool]],
    partitions: Sequence[tuple[Any, int, bool]],
    catalog: Catalog,
    duplicates: int,
) -> dict[str, Any]:
    """Write briefs.jsonl (the batches in story order), the rejections table and the finished
    manifest; remove parts a previous run wrote for batches that no longer exist."""
    names = [name for name, _, _ in briefed]
    _concatenate(out, names)
    rejections = _ordered_rejections([p[0] for p in partitions], catalog.conflicts)
    rows = [{"source": r.source, "reason": r.reason, "code": r.code} for r in rejections]
    datasets.write_table(out, "rejections", "all", datasets.rows_of("rejections", rows))
    _remove_stale(out, set(names))
    summary = {
        "partitions": len(partitions),
        "partitions_reused": sum(reused for _, _, reused in partitions),
        "story_batches": len(briefed),
        "story_batches_reused": sum(reused for _, _, reused in briefed),
        "articles": catalog.unique,
        "stories": sum(count for _, count, _ in briefed),
        "rejections": len(rejections),
        "outside_window": sum(outside for _, outside, _ in partitions),
        "duplicate_groups": duplicates,
    }
    manifest = _read_manifest(out)
    manifest.update(
        complete=True, finished=_now(), summary=summary, story_batches=names, rejected=rows[:100]
    )
    write_json(out / MANIFEST, manifest)
    return summary


def _concatenate(out: Path, names: Sequence[str]) -> None:
    def write(path: Path) -> None:
        with path.open("wb") as target:
            for name in names:
                with (out / "briefs" / f"part-{name}.jsonl").open("rb") as part:
                    shutil.copyfileobj(part, target)

    write_atomic(out / "briefs.jsonl", write)


def _remove_stale(out: Path, names: set[str]) -> None:
    for folder in [out / "briefs", *(out / table for table in datasets.TABLES)]:
        for part in folder.glob("part-*"):
            stem = part.name.removeprefix("part-").split(".", 1)[0]
            if stem != "all" and stem not in names:
                part.unlink()
    for marker in (out / WORK).glob("briefed-*.json"):
        if marker.stem.removeprefix("briefed-") not in names:
            marker.unlink()

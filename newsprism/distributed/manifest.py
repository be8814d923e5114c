"""The batch output folder: its layout, its manifest, and the checkpoints a rerun resumes from.

    OUT/manifest.json           what ran: inputs, partitions, story batches, counts, times
    OUT/briefs.jsonl            one brief@1 story per line, in story order
    OUT/<table>/part-*.parquet  the tables (`datasets.TABLES`), one file per task
    OUT/_work/                  checkpoints: a partition read and cleaned, a partition
                                annotated, a story batch briefed (marker)

Every file is written to a temporary name and renamed, so a task killed half-way leaves no
half file, and a rerun trusts any checkpoint it finds. A checkpoint's name holds the hash of
what it was made from (the partition's inputs with their sizes and modification times, or the
member ids of a story batch), so a rerun on changed inputs recomputes exactly what changed.
"""

from __future__ import annotations

import json
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from newsprism.errors import BatchError

FORMAT = "newsprism-batch@1"
MANIFEST = "manifest.json"
WORK = "_work"
T = TypeVar("T")


def check_out(out: Path) -> bool:
    """Whether *out* holds a previous batch run (to resume); raise when it holds anything else.

    Raises:
        BatchError: *out* is a file, or a non-empty folder without a batch manifest.
    """
    if out.exists() and not out.is_dir():
        raise BatchError(f"--out {out} is a file; give a folder (new, or a batch run's)")
    if not out.exists() or not any(out.iterdir()):
        return False
    manifest = out / MANIFEST
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BatchError(
            f"--out {out} is a folder that is not empty and holds no batch manifest (manifest.json); "
            "give a new folder, or the folder of a previous `newsprism batch` run to resume it",
        )
    return True


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Write *path* through *write*(temporary path), then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: Any) -> None:
    """*data* as JSON at *path*, atomically."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_atomic(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


def checkpointed(path: Path, compute: Callable[[], T]) -> tuple[T, bool]:
    """The value pickled at *path* (True: reused), else *compute*() pickled there (False)."""
    if path.exists():
        with path.open("rb") as handle:
            value: T = pickle.load(handle)  # noqa: S301 (our own checkpoint, written below)
        return value, True
    value = compute()

    def dump(temporary: Path) -> None:
        with temporary.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)

    write_atomic(path, dump)
    return value, False

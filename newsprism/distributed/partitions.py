"""Splitting a batch's inputs into read tasks, and reading one on a worker.

The driver only lists: folders are walked (the order `ingest.read_inputs` reads them in),
globs expanded, files stat'ed, and a large JSONL file is cut into byte ranges whose edges are
moved to the next line start (a few bytes read per edge). No text passes through the driver:
a worker reads its partition itself (`read_partition`), so the inputs must be on storage the
workers see under the same paths (a shared file system), or be URLs.

A partition is either a run of whole inputs, read by the same `ingest.read_inputs` as
`newsprism brief` (so sources, rejections and order are the same), or one line range of a
JSONL file, whose records are named ``file#line`` as when the file is read whole, or a run of
records of a large WARC file (`distributed.warc`: cut at record offsets found on a worker). The line
number a range starts at comes from a cheap count of newlines before it, done on workers
(`count_newlines`). A split file is not held to the whole-file `max_input_bytes` limit (that
limit protects a process that reads a file at once; a range is read alone); every per-record
limit still applies, and `max_records_per_input` applies per range.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from newsprism.data.batch import LINE_PROBE_BYTES, PARTITION_BYTES, PARTITION_FILES
from newsprism.data.limits import Limits, over_limit
from newsprism.errors import InputTooLarge
from newsprism.ingest import IngestResult, read_inputs
from newsprism.ingest.bounds import display_path
from newsprism.model import RawDocument, Rejection

PartitionKind = Literal["inputs", "jsonl", "warc"]
_SPLITTABLE = (".jsonl", ".ndjson")
_WARC = (".warc", ".warc.gz")
_GLOB_CHARS = frozenset("*?[")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True, kw_only=True)
class Partition:
    """One read task: whole *inputs*, or the byte range [start, end) of the JSONL file *path*
    whose first line is line *first_line* of the file. *stamp* (sizes and modification
    times) tells a resumed run whether the inputs changed since a partition was written."""

    index: int
    kind: PartitionKind
    inputs: tuple[str, ...] = ()
    path: str = ""
    start: int = 0
    end: int = 0
    first_line: int = 1
    stamp: str = ""

    def key(self) -> str:
        """What this partition reads, as a short stable hash (the manifest's key)."""
        body = {k: v for k, v in asdict(self).items() if k != "index"}
        text = json.dumps(body, sort_keys=True)
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def expand(inputs: Sequence[str]) -> list[str]:
    """*inputs* with folders walked into their files and globs expanded, in reading order.

    A folder with no supported file, a path that does not exist and a URL stay as given:
    the worker reading them gives the same rejection (or documents) as `newsprism brief`.
    """
    from newsprism.ingest import _format_from_name

    values: list[str] = []
    for value in inputs:
        if value.startswith(("http://", "https://")):
            values.append(value)
        elif os.path.isdir(value):
            files = _walk(value)
            supported = sorted(f for f in files if _format_from_name(f.name) is not None)
            values.extend(str(f) for f in supported) if supported else values.append(value)
        elif not os.path.exists(value) and _GLOB_CHARS & set(value):
            matches = sorted(glob.glob(value, recursive=True))
            values.extend(expand(matches) if matches else [value])
        else:
            values.append(value)
    return values


def _walk(folder: str) -> list[Path]:
    """Files under *folder* as `ingest` walks it (hidden files and folders left out); a
    folder it cannot read leaves it whole, so the worker reports the problem."""
    files: list[Path] = []
    for root, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        files.extend(Path(root, name) for name in names if not name.startswith("."))
    return files


def plan_partitions(
    inputs: Sequence[str],
    *,
    partition_bytes: int = PARTITION_BYTES,
    partition_files: int = PARTITION_FILES,
) -> list[Partition]:
    """The read tasks for *inputs*, in reading order (JSONL ranges still numbered from line 1:
    `number_lines` fixes them once the newlines before each range are counted)."""
    partitions: list[Partition] = []
    run: list[str] = []
    run_bytes = 0

    def close_run() -> None:
        nonlocal run, run_bytes
        if run:
            stamp = ";".join(_stamp(value) for value in run)
            partitions.append(
                Partition(index=len(partitions), kind="inputs", inputs=tuple(run), stamp=stamp)
            )
        run, run_bytes = [], 0

    for value in expand(inputs):
        size = _size(value)
        if size > partition_bytes and value.lower().endswith(_WARC):
            close_run()  # one whole-file range for now: `warc_ranges` cuts it on a worker
            whole = Partition(
                index=len(partitions), kind="warc", path=value, end=size, stamp=_stamp(value)
            )
            partitions.append(whole)
            continue
        if size > partition_bytes and _splittable(value):
            close_run()
            for start, end in line_ranges(value, size, partition_bytes):
                partitions.append(
                    Partition(
                        index=len(partitions),
                        kind="jsonl",
                        path=value,
                        start=start,
                        end=end,
                        stamp=_stamp(value),
                    )
                )
            continue
        if run and (run_bytes + size > partition_bytes or len(run) >= partition_files):
            close_run()
        run.append(value)
        run_bytes += size
    close_run()
    return partitions


def number_lines(partitions: Sequence[Partition], newlines: Sequence[int]) -> list[Partition]:
    """*partitions* with each JSONL range's first line number, from the newline count of every
    partition (ignored for whole inputs)."""
    numbered: list[Partition] = []
    line = 1
    path = None
    for partition, count in zip(partitions, newlines, strict=True):
        if partition.kind != "jsonl":
            numbered.append(partition)
            continue
        if partition.path != path:
            path, line = partition.path, 1
        numbered.append(_replace(partition, first_line=line))
        line += count
    return numbered


def _size(value: str) -> int:
    try:
        return os.stat(value).st_size if os.path.isfile(value) else 0
    except OSError:
        return 0


def _stamp(value: str) -> str:
    try:
        info = os.stat(value)
    except OSError:
        return f"{value}:missing"
    return f"{value}:{info.st_size}:{info.st_mtime_ns}"


def _splittable(value: str) -> bool:
    if not value.lower().endswith(_SPLITTABLE):
        return False
    with open(value, "rb") as handle:
        return not handle.read(2).startswith(_UTF16_BOMS)  # UTF-16 is decoded whole


def line_ranges(path: str, size: int, target: int) -> Iterator[tuple[int, int]]:
    """Byte ranges of about *target* bytes covering *path*, each starting at a line start."""
    start = 0
    with open(path, "rb") as handle:
        while start < size:
            end = _next_line_start(handle, min(size, start + target), size)
            yield start, end
            start = end


def _next_line_start(handle: object, offset: int, size: int) -> int:
    """The first line start at or after *offset* (reading a few bytes from just before it)."""
    assert hasattr(handle, "seek") and hasattr(handle, "read")
    if offset >= size:
        return size
    position = offset - 1  # a range may end just after a newline
    handle.seek(position)
    while position < size:
        block: bytes = handle.read(LINE_PROBE_BYTES)
        found = block.find(b"\n")
        if found >= 0:
            return position + found + 1
        position += len(block)
    return size


def count_newlines(partition: Partition) -> int:
    """Newlines in a JSONL range (0 for whole inputs); runs on a worker, reading the range."""
    if partition.kind != "jsonl":
        return 0
    count = 0
    with open(partition.path, "rb") as handle:
        handle.seek(partition.start)
        left = partition.end - partition.start
        while left > 0:
            block = handle.read(min(left, 1 << 20))
            if not block:
                break
            count += block.count(b"\n")
            left -= len(block)
    return count


def read_partition(partition: Partition, limits: Limits | None = None) -> IngestResult:
    """The documents and rejections of one partition (on a worker)."""
    limits = limits or Limits.from_env()
    if partition.kind == "inputs":
        return read_inputs(partition.inputs, limits=limits)
    if partition.kind == "warc":
        from newsprism.distributed.warc import read_warc_range

        return read_warc_range(partition, limits)
    return _read_range(partition, limits)


def renumber(partitions: Sequence[Partition]) -> list[Partition]:
    """*partitions* with their indices 0, 1, 2, ... in order."""
    return [_replace(p, index=index) for index, p in enumerate(partitions)]


def _replace(partition: Partition, **changes: object) -> Partition:
    body = {**asdict(partition), **changes}
    body["inputs"] = tuple(body["inputs"])
    return Partition(**body)  # type: ignore[arg-type]


def _read_range(partition: Partition, limits: Limits) -> IngestResult:
    from newsprism.ingest.jsonl import _line_record

    source = display_path(partition.path)
    with open(partition.path, "rb") as handle:
        handle.seek(partition.start)
        data = handle.read(partition.end - partition.start)
    if partition.start == 0 and data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    items: list[RawDocument | Rejection] = []
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()  # the range ends at a line start: no line after its last newline
    for number, line in enumerate(lines, start=partition.first_line):
        if len(items) >= limits.max_records_per_input:
            what = f"more than {limits.max_records_per_input:,} records (stopped at line {number})"
            limit = limits.max_records_per_input
            error = InputTooLarge(source, over_limit("max_records_per_input", limit, what))
            items.append(Rejection.from_error(error))
            break
        line = line[:-1] if line.endswith(b"\r") else line
        if line.strip():
            items.append(_line_record(f"{source}#{number}", number, line, limits))
    documents = tuple(item for item in items if isinstance(item, RawDocument))
    rejections = tuple(item for item in items if isinstance(item, Rejection))
    return IngestResult(documents=documents, rejections=rejections)

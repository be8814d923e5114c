"""Large WARC files cut into runs of records, each read by its own task.

A worker walks the archive once with warcio, noting where each record starts (in the file's
own bytes: for a .warc.gz, the start of the record's gzip member, as CommonCrawl writes
them), and cuts the records into runs of about `partition_bytes`. A read task then reads only
its byte range and parses those records with `ingest.warc`'s own record reader, numbering
them ``file#n`` as when the file is read whole. An archive whose records cannot be reached
by offset (a .warc.gz compressed as one stream) stays one partition, read whole.

A damaged record run keeps what came before the damage within that run and rejects the rest
of the run (read whole, the rest of the file); the other runs are read as usual.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from newsprism.data.limits import Limits
from newsprism.distributed.partitions import Partition
from newsprism.errors import InputError, InputTooLarge, MalformedInput
from newsprism.ingest import IngestResult
from newsprism.ingest.bounds import GZIP_MAGIC, display_path
from newsprism.model import RawDocument, Rejection

LOGGER = logging.getLogger(__name__)
_WARC_MAGIC = b"WARC/"


def warc_ranges(partition: Partition, target: int) -> list[Partition]:
    """*partition* (a whole WARC file) cut at record starts into runs of ~*target* bytes,
    each knowing the number of its first record; unchanged when offsets do not work."""
    offsets = _record_offsets(partition.path)
    if not offsets or not _reachable(partition.path, offsets):
        return [replace(partition, kind="inputs", inputs=(partition.path,), path="", end=0)]
    runs: list[Partition] = []
    start_index = 0
    for index in range(1, len(offsets) + 1):
        at_end = index == len(offsets)
        end = partition.end if at_end else offsets[index]
        if at_end or end - offsets[start_index] >= target:
            runs.append(
                replace(partition, start=offsets[start_index], end=end, first_line=start_index + 1)
            )
            start_index = index
    return runs


def _record_offsets(path: str) -> list[int]:
    from warcio.archiveiterator import ArchiveIterator

    offsets: list[int] = []
    try:
        with open(path, "rb") as handle:
            iterator = ArchiveIterator(handle)
            for _record in iterator:
                offsets.append(iterator.get_record_offset())
    except Exception:  # noqa: BLE001 (a damaged archive: read whole, which reports it)
        LOGGER.debug("no record offsets for %s", path, exc_info=True)
        return []
    return offsets


def _reachable(path: str, offsets: list[int]) -> bool:
    """Whether every record starts at its offset (a gzip member, or a plain WARC header)."""
    with open(path, "rb") as handle:
        for offset in offsets:
            handle.seek(offset)
            head = handle.read(len(_WARC_MAGIC))
            if not head.startswith((GZIP_MAGIC, _WARC_MAGIC)):
                return False
    return True


def read_warc_range(partition: Partition, limits: Limits) -> IngestResult:
    """The documents and rejections of one run of WARC records."""
    from newsprism.ingest.warc import _broken, _record_or_rejection, _records

    source = display_path(partition.path)
    with open(partition.path, "rb") as handle:
        handle.seek(partition.start)
        data = handle.read(partition.end - partition.start)
    items: list[RawDocument | Rejection] = []
    number = partition.first_line - 1
    try:
        for local, record in _records(source, data, limits):
            number = partition.first_line + local - 1
            item = _record_or_rejection(record, f"{source}#{number}", limits)
            if item is not None:
                items.append(item)
    except InputError as error:
        kind = InputTooLarge if isinstance(error, InputTooLarge) else MalformedInput
        problem = error.message.removeprefix(f"{source}: ")
        items.append(_broken(source, number, _count(items), problem, kind))
    except Exception as error:  # noqa: BLE001 (as ingest.warc: warcio raises many kinds)
        problem = f"{type(error).__name__}: {error!s:.300}"
        items.append(_broken(source, number, _count(items), problem))
    return _result(items, source)


def _count(items: list[Any]) -> int:
    return sum(isinstance(item, RawDocument) for item in items)


def _result(items: list[RawDocument | Rejection], source: str) -> IngestResult:
    if not items:  # normal inside a large archive: the run held no HTML response
        LOGGER.info("no HTML responses in a record run of %s", source)
    documents = tuple(item for item in items if isinstance(item, RawDocument))
    rejections = tuple(item for item in items if isinstance(item, Rejection))
    return IngestResult(documents=documents, rejections=rejections)

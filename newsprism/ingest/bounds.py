"""Bounded reading: regular files only, at most N bytes, and decompression that stops at a limit.

Every byte an input reader sees comes through here, so no input can make newsprism read
forever (/dev/zero, a FIFO with no writer) or inflate without end (a gzip bomb).
"""

from __future__ import annotations

import os
import stat
import zlib
from pathlib import Path
from typing import BinaryIO

from newsprism.data.limits import Limits, over_limit
from newsprism.errors import InputTooLarge, MalformedInput, UnreadableInput

GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 31  # zlib: gzip header and trailer (CRC and length are checked)
_CHUNK = 64 * 1024
# O_NONBLOCK: opening a FIFO must not wait for a writer; the fstat below then refuses it.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def display_path(path: Path | str) -> str:
    """*path* as printable text: bytes that are not UTF-8 appear as ``\\xff`` escapes.

    File names are bytes on POSIX; Python keeps undecodable ones as lone surrogates, which
    cannot be printed, stored or encoded as UTF-8 later, so the name shown and stored is this.
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def read_regular_file(path: Path, source: str, limits: Limits) -> bytes:
    """The bytes of the regular file *path*, at most `max_input_bytes` of them.

    Raises:
        UnreadableInput: missing, not a regular file (device, FIFO, socket), or unreadable.
        InputTooLarge: over `max_input_bytes`.
    """
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError as error:
        raise UnreadableInput(
            source, "no such file or folder; check the path (relative to the current folder)"
        ) from error
    except OSError as error:
        raise UnreadableInput(
            source, f"cannot open the file ({error.strerror}); check its permissions"
        ) from error
    # fstat on the open descriptor, not stat on the name: the name could be swapped between.
    with os.fdopen(descriptor, "rb", buffering=0) as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableInput(
                source,
                f"not a regular file ({_file_kind(info.st_mode)}); newsprism reads only "
                "regular files (copy the data to a file first)",
            )
        _check_size(source, info.st_size, limits)
        os.set_blocking(descriptor, True)
        try:
            return read_at_most(handle, source, limits)
        except OSError as error:
            raise UnreadableInput(
                source, f"cannot read the file ({error.strerror}); check the disk and permissions"
            ) from error


def read_at_most(stream: BinaryIO, source: str, limits: Limits) -> bytes:
    """Read *stream* to its end, refusing it once it passes `max_input_bytes`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(_CHUNK, limits.max_input_bytes + 1 - size))
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        _check_size(source, size, limits)
        chunks.append(chunk)


def _check_size(source: str, size: int, limits: Limits) -> None:
    if size > limits.max_input_bytes:
        raise InputTooLarge(
            source,
            over_limit("max_input_bytes", limits.max_input_bytes, f"input of {size:,}+ bytes"),
        )


def _file_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO / named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")


def gunzip(source: str, data: bytes, limit: int, field: str) -> bytes:
    """Decompress gzip *data* (one or more members), refusing output over *limit* bytes.

    Args:
        source: the input, for messages.
        data: gzip bytes.
        limit: the most bytes the output may have.
        field: the `Limits` field *limit* came from, named in the message.

    Raises:
        InputTooLarge: the output passes *limit* (decompression stops there).
        MalformedInput: broken or truncated gzip data.
    """
    stream = GunzipStream(source, data, limit, field)
    chunks: list[bytes] = []
    while chunk := stream.read(_CHUNK):
        chunks.append(chunk)
    return b"".join(chunks)


class GunzipStream:
    """A readable stream of decompressed gzip data that raises once it passes its limit.

    Used directly by the WARC reader, so warcio only ever sees bounded, plain bytes.
    """

    def __init__(self, source: str, data: bytes, limit: int, field: str) -> None:
        self._source = source
        self._data = memoryview(data)
        self._offset = 0  # how much of _data has been handed to the decompressor
        self._tail = b""  # input the decompressor handed back (its output was full)
        self._limit = limit
        self._field = field
        self._produced = 0
        self._decompressor = zlib.decompressobj(_GZIP_WBITS)
        self._done = not data

    def read(self, size: int = -1) -> bytes:
        """Up to *size* decompressed bytes (``b""`` at the end)."""
        size = _CHUNK if size is None or size < 0 else size
        while not self._done:
            chunk = self._step(size)
            if chunk:
                return chunk
        return b""

    def _next_input(self) -> bytes | memoryview:
        # Input goes in slices: zlib copies its unconsumed input on every call, so handing it
        # the whole rest each time would copy the file once per output chunk.
        if self._tail:
            return self._tail
        piece = self._data[self._offset : self._offset + _CHUNK]
        self._offset += len(piece)
        return piece

    def _step(self, size: int) -> bytes:
        decompressor = self._decompressor
        feed = self._next_input()
        try:
            chunk = decompressor.decompress(feed, size)
        except zlib.error as error:
            raise MalformedInput(
                self._source, f"broken gzip data ({error}); check the download"
            ) from error
        self._produced += len(chunk)
        if self._produced > self._limit:
            what = f"gzip data that decompresses to more than {self._limit:,} bytes"
            raise InputTooLarge(self._source, over_limit(self._field, self._limit, what))
        self._tail = decompressor.unconsumed_tail
        if decompressor.eof:
            # What the member left unused is the end of the last slice: the next member starts there.
            self._next_member(self._offset - len(decompressor.unused_data))
        elif not chunk and not self._tail and self._offset >= len(self._data):
            raise MalformedInput(
                self._source,
                f"broken gzip data (truncated after {self._produced:,} bytes of output); "
                "download the file again",
            )
        return chunk

    def _next_member(self, start: int) -> None:
        # Gzip files may hold several members back to back, and tools pad with NUL bytes.
        self._decompressor = zlib.decompressobj(_GZIP_WBITS)
        self._offset = start
        self._tail = b""
        if bytes(self._data[start : start + 2]) == GZIP_MAGIC:
            return
        if bytes(self._data[start:]).strip(b"\x00"):
            raise MalformedInput(
                self._source, "broken gzip data (junk after its end); check the download"
            )
        self._done = True

"""newsprism's exceptions: one base class, and one code per kind of failure.

The table of codes (the one place they are listed; tests/test_errors.py checks it against every
exception class in the package, so a code is never given twice)::

    code  class                          raised when
    E000  NewsprismError                 (base class of all below)
    E100  ├── InputError                 an input could not be read or understood
    E101  │   ├── UnreadableInput        missing, unreadable, binary, wrong encoding
    E102  │   ├── EmptyInput             nothing left after cleaning
    E103  │   ├── MalformedInput         broken JSON/JSONL/feed/WARC
    E104  │   ├── FetchRefused           URL not fetched (private address, size, timeout)
    E105  │   └── InputTooLarge          over a limit of newsprism.data.limits (size, depth, count)
    E200  ├── NoArticles                 a command was given nothing usable
    E300  ├── ModelError                 a model file is missing or its hash does not match
    E400  ├── StoreError                 database problems
    E401  │   ├── StoreSchemaTooNew      the database was written by a newer newsprism
    E404  │   └── NotFound               no story or article with that id (newsprism.service)
    E500  ├── OutputExists               refusing to overwrite without --force
    E600  ├── WriteFailed                a write failed in the API's writer (newsprism.api.writer)
    E700  ├── ClaimPairsError            the labelled claim pairs do not match their data set
    E800  └── BatchError                 `newsprism batch`: --out holds other files, no scheduler

Codes are stable: users search for them and stored rejections carry them, so a code is never
renumbered or reused. Library code raises these; only the CLI and the HTTP API turn them into
exit codes or responses. Each message says what happened, the bad value, and what to do next,
and starts with its code (``[E101] ...``) so users can search for it and tests can match it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsprism.model import Rejection


class NewsprismError(Exception):
    """Base class of every error newsprism raises on purpose."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.message = message


class InputError(NewsprismError):
    """An input could not be turned into an article."""

    code = "E100"

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.detail = message  # what is wrong and the fix, without the code and the input


class UnreadableInput(InputError):
    """The input is missing, unreadable, binary, or not in a text encoding we can read."""

    code = "E101"


class EmptyInput(InputError):
    """The input holds no article text (empty, or nothing left after cleaning)."""

    code = "E102"


class MalformedInput(InputError):
    """The input's format is broken (JSON, JSONL, feed, WARC)."""

    code = "E103"


class FetchRefused(InputError):
    """A URL was not fetched: private or loopback address, too large, too slow, or an HTTP error."""

    code = "E104"


class NoArticles(NewsprismError):
    """A command was given no usable article at all; `rejections` say why each input failed."""

    code = "E200"

    def __init__(self, message: str, rejections: Sequence[Rejection] = ()) -> None:
        super().__init__(message)
        self.rejections = tuple(rejections)


class ModelError(NewsprismError):
    """A model file is missing or does not match its pinned hash."""

    code = "E300"


class StoreError(NewsprismError):
    """The store could not do what was asked."""

    code = "E400"


class StoreSchemaTooNew(StoreError):
    """The database was written by a newer newsprism than this one."""

    code = "E401"


class OutputExists(NewsprismError):
    """The output file exists and --force was not given."""

    code = "E500"


class ClaimPairsError(NewsprismError):
    """The labelled claim pairs cannot be resolved against the data set they reference."""

    code = "E700"


class InputTooLarge(InputError):
    """An input is over one of the limits in `newsprism.data.limits` (size, depth, count)."""

    code = "E105"


class BatchError(NewsprismError):
    """`newsprism batch` cannot run: --out holds something else, or the cluster is unreachable."""

    code = "E800"

"""Publication dates given with an input (JSON ``published``, WARC-Date): to naive UTC or None.

A date we cannot read is dropped with a warning and the record is kept: the article is still
usable, and cleaning falls back to the page's own date or a date in the file name.
"""

from __future__ import annotations

import logging
import math
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

LOGGER = logging.getLogger(__name__)
# Errors the datetime constructors raise on out-of-range or odd values (1e20, -1e15, year 0).
_DATE_ERRORS = (OverflowError, OSError, ValueError, TypeError, IndexError)


def parse_published(value: Any, source: str = "") -> datetime | None:
    """An ISO 8601 or RFC 2822 date (or epoch seconds) as naive UTC; None if absent or bad."""
    if value in (None, ""):
        return None
    moment: datetime | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        moment = _from_epoch(value)
    elif isinstance(value, str):
        moment = _from_text(value.strip())
    if moment is None:
        LOGGER.warning("%s: ignoring unreadable published date %.80r (use ISO 8601)", source, value)
        return None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        except _DATE_ERRORS:  # year 1 or 9999 shifted out of range by its UTC offset
            return None
    return moment


def _from_epoch(value: float) -> datetime | None:
    if not math.isfinite(value):
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except _DATE_ERRORS:
        return None


def _from_text(text: str) -> datetime | None:
    cleaned = text[:-1] + "+00:00" if text.endswith("Z") else text
    try:
        return datetime.fromisoformat(cleaned)
    except _DATE_ERRORS:
        pass
    try:
        return parsedate_to_datetime(text)
    except _DATE_ERRORS:
        return None

"""Input limits: how much of an untrusted input newsprism reads before it refuses it.

Every reader is bounded by these numbers so that one hostile or broken input (a gzip bomb, a
20 MB line, HTML nested 5000 deep, /dev/zero) costs bounded time and memory and becomes a
Rejection, while the rest of the batch goes on. Each limit is named in the rejection together
with the environment variable that raises it (``NEWSPRISM_LIMIT_<FIELD>``, e.g.
``NEWSPRISM_LIMIT_MAX_INPUT_BYTES=600000000``); `Limits.from_env` reads those.

The values, and why:

- ``max_input_bytes`` 256 MiB: one file, stdin or upload as stored. Inputs are read whole,
  so this bounds memory (about 2-3x this at peak for a WARC); a WARC segment of that size holds
  thousands of pages; larger crawls should be split.
- ``max_decompressed_bytes`` 512 MiB: everything gzip/zlib/WARC decompression may produce
  from one input. Real text compresses 3-10x; a bomb (1000x) is cut here, not at 24 GB.
- ``max_article_chars`` 200,000: the text of one article, as given or as cleaned from HTML.
  A brief costs time and memory with the length of its articles (measured on this 2-core
  machine, `newsprism brief` of one article: 100,000 characters 200 s and 0.73 GB peak;
  200,000 characters 360 s and 1.07 GB; 864,000 characters over 15 minutes and past 9 GB), so
  this bound keeps one input under the 2 GB and the server's 600 s job timeout. The longest
  real news articles are about 100,000 characters (the data sets here: at most 50,000).
- ``max_html_bytes`` 10 MiB: one HTML page (a file, a record's ``html``, a feed entry, a WARC
  response). News pages are 50 KB-3 MB; trafilatura itself stops at 20 MB.
- ``max_html_elements`` 100,000 and ``max_html_depth`` 250: trafilatura takes about 0.13 ms
  per element (measured: 12 s for 100,000, 26 s for 200,000, minutes for a million), and
  feedparser sanitises entry HTML at about 12,000 elements/s, so a whole feed is held to the
  same count. libxml2 stops
  nesting at 256 levels without XML_PARSE_HUGE and then silently drops the rest, so deeper
  pages are refused with that reason instead of "no main text found". Real pages: 2,000-20,000
  elements, depth under 40.
- ``max_record_bytes`` 16 MiB: one JSONL line (one record: an article's html plus metadata).
- ``max_json_bytes`` 64 MiB: a whole .json file, parsed at once (Python objects take ~5-10x).
- ``max_json_depth`` 32: records are flat; deep nesting only serves to exhaust the recursion
  limit (RecursionError at ~1000) or later pickling (issue 15: 900 deep hung the API queue).
- ``max_json_number_chars`` 40: a number literal in JSON. Epoch milliseconds take 13 digits;
  Python refuses ints over 4300 digits with a ValueError, and parsing long ones is quadratic.
- ``max_feed_bytes`` 32 MiB: one RSS/Atom feed, parsed at once by feedparser.
- ``max_records_per_input`` 100,000: records (documents + rejections) one input may yield;
  a 2 MB file of ``{}`` lines would otherwise make 700,000 rejections.
- ``max_paragraph_chars`` 2,000: one piece handed to the sentence splitter. pysbd is
  superlinear (measured on one loaded machine: 50 us/char at 2,000 chars, 88 at 5,000, 98 at
  40,000; a 1 MB paragraph of 22,000 sentences ran > 300 s), so longer paragraphs are cut at a
  sentence-like end first. Real paragraphs are mostly under 2,000 characters, so few are cut.
- ``max_story_id_chars`` 200: a ``story`` id given by a record. It is a name that becomes
  part of URLs (``/api/stories/<id>``), and servers and proxies refuse request lines of 8 KB
  or so; ids are names like ``kazakhstan-2022-01``, not texts.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass

ENV_PREFIX = "NEWSPRISM_LIMIT_"
_MIB = 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """How much of one input the readers accept (see the module docstring for each reason)."""

    max_input_bytes: int = 256 * _MIB
    max_decompressed_bytes: int = 512 * _MIB
    max_article_chars: int = 200_000
    max_html_bytes: int = 10 * _MIB
    max_html_elements: int = 100_000
    max_html_depth: int = 250
    max_record_bytes: int = 16 * _MIB
    max_json_bytes: int = 64 * _MIB
    max_json_depth: int = 32
    max_json_number_chars: int = 40
    max_feed_bytes: int = 32 * _MIB
    max_records_per_input: int = 100_000
    max_paragraph_chars: int = 2_000
    max_story_id_chars: int = 200

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """Defaults, with any ``NEWSPRISM_LIMIT_<FIELD>`` (a positive integer) applied.

        Raises:
            ValueError: a set variable is not a positive integer (names the variable).
        """
        environ = os.environ if environ is None else environ
        changes: dict[str, int] = {}
        for field in dataclasses.fields(cls):
            name = env_name(field.name)
            raw = environ.get(name)
            if raw is None:
                continue
            try:
                value = int(raw)
            except ValueError:
                value = 0
            if value <= 0:
                raise ValueError(f"{name}={raw!r} must be a positive integer")
            changes[field.name] = value
        return dataclasses.replace(cls(), **changes)


def env_name(field: str) -> str:
    """The environment variable that sets the limit *field*."""
    return ENV_PREFIX + field.upper()


def over_limit(field: str, limit: int, what: str) -> str:
    """The message for an input over *limit*: what was too big, the limit and how to raise it."""
    return f"{what}: over the limit {field}={limit:,}; raise it with {env_name(field)}=N if this input is genuine"


DEFAULT_LIMITS = Limits()

# libxml2's own limits without XML_PARSE_HUGE (lxml and trafilatura parse HTML with it, without
# that option): past them it drops the rest of the page, so such pages are refused, naming them.
LIBXML2_MAX_TEXT_BYTES = 10_000_000  # one text node, comment or attribute value
LIBXML2_MAX_DEPTH = 256  # levels of element nesting

# Fetching URLs (`newsprism.fetch.Fetcher` arguments). A page is one HTML file, so the size
# limit is about that of `max_html_bytes`. The deadline is per fetch, redirects included: a
# per-read timeout alone let a server dripping a byte every 10 s hold a fetch for 75 s.
FETCH_TIMEOUT_SECONDS = 15.0  # connect, and each read or write
FETCH_DEADLINE_SECONDS = 60.0  # the whole fetch: every hop, every read
FETCH_MAX_BYTES = 10 * _MIB
FETCH_MAX_REDIRECTS = 5

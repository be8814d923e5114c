"""How `newsprism watch` paces itself: poll intervals, per-host politeness, backoff.

The values, and why:

- ``DEFAULT_EVERY_S`` 600 (10 minutes): news feeds change a few times an hour; polling more
  often mostly earns 304s, and feed hosts ask for minutes between polls, not
  seconds.
- ``MIN_EVERY_S`` 1: an interval below a second is a typo, not a plan.
- ``DEFAULT_HOST_DELAY_S`` 5: the least time between two requests to one host (a site's
  several feeds, its robots.txt). A robots.txt ``Crawl-delay`` longer than this wins.
- ``ROBOTS_TTL_S`` 86,400: RFC 9309 (section 2.4) lets a crawler cache robots.txt for up to
  24 hours; after that it is fetched again before the next feed request to that host.
- ``MAX_RETRY_AFTER_S`` 86,400: a ``Retry-After`` is honoured as given up to a day; a longer
  one (or a date far ahead) is read as a day, so a feed is never dropped silently.
- ``MIN_RETRY_S`` 1: a ``Retry-After: 0`` (or a date in the past) is read as one second, so
  a server that keeps saying "now" never gets a tight loop of requests.
- ``BACKOFF_MAX_S`` 21,600 (6 hours): after failures without ``Retry-After`` (5xx, timeouts,
  404, a malformed feed) the next poll waits the interval times 2 per failure in a row, at
  most this long, so a broken feed costs its host a few requests a day, and a fixed one is
  read again within hours.
- ``STOP_JOIN_S`` 10: how long a stopping server waits for a poll in flight to end (a fetch
  is bounded by its own deadline; the thread is a daemon, so shutdown never hangs on it).
"""

from __future__ import annotations

DEFAULT_EVERY_S = 600.0
MIN_EVERY_S = 1.0
DEFAULT_HOST_DELAY_S = 5.0
ROBOTS_TTL_S = 86_400.0
MAX_RETRY_AFTER_S = 86_400.0
MIN_RETRY_S = 1.0
BACKOFF_MAX_S = 21_600.0
STOP_JOIN_S = 10.0
# The product token robots.txt rules are matched against (the User-Agent's first word).
ROBOTS_AGENT = "newsprism"

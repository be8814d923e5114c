"""Following feeds: poll RSS/Atom feeds and ingest their new entries (`newsprism watch`).

`Watcher` (newsprism.watch.poller) polls; `RecordPoll` (newsprism.watch.record) is the write
it hands to a sink (the caller's Service, or the server's write lane); `attach_watcher`
(newsprism.watch.server) runs a Watcher inside `newsprism serve --watch FILE`.
"""

from __future__ import annotations

from newsprism.watch.poller import (
    FAILED_KINDS,
    PollOutcome,
    Watcher,
    feed_list,
    normalise_feed,
)
from newsprism.watch.record import FeedEntry, PollReport, RecordPoll

__all__ = [
    "FAILED_KINDS",
    "FeedEntry",
    "PollOutcome",
    "PollReport",
    "RecordPoll",
    "Watcher",
    "feed_list",
    "normalise_feed",
]

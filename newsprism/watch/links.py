"""Entries that carry only a summary: their article is read from the entry's link.

Most news feeds give a teaser, not the article; the feed reader rejects such an entry ("only a
summary; fetch the entry's link"). The poller does that fetch, through the ingest stage's own
URL reader (`newsprism.ingest.read_inputs`, so the page is read as any ingested URL is) and
under the same politeness as the feed: robots.txt and the per-host pacing.
"""

from __future__ import annotations

import dataclasses

from newsprism.data.limits import Limits
from newsprism.errors import EmptyInput, FetchRefused
from newsprism.fetch import Fetcher
from newsprism.model import Rejection
from newsprism.watch.politeness import HostPacer, RobotsCache, WaitFn, host_of
from newsprism.watch.record import FeedEntry


def needs_link(entry: FeedEntry) -> bool:
    """Whether *entry* was rejected for holding only a summary, and names a link to read."""
    item = entry.item
    return (
        isinstance(item, Rejection)
        and item.code == EmptyInput.code
        and item.source.startswith(("http://", "https://"))
    )


@dataclasses.dataclass(frozen=True, slots=True)
class LinkReader:
    """Reads the article an entry links to, politely."""

    fetcher: Fetcher
    robots: RobotsCache
    pacer: HostPacer
    limits: Limits

    def read(self, entry: FeedEntry, wait: WaitFn) -> FeedEntry | None:
        """*entry* with its linked article (or the reason it could not be read) in place of
        the summary's rejection; None when the poller was asked to stop meanwhile."""
        from newsprism.ingest import read_inputs

        url = entry.item.source
        answer = self.robots.check(url, wait)
        if answer.stopped:
            return None
        if not answer.allowed:
            refused = Rejection.from_error(FetchRefused(url, answer.reason))
            return dataclasses.replace(entry, item=refused)
        result = self.pacer.request(
            host_of(url), wait, lambda: read_inputs([url], fetcher=self.fetcher, limits=self.limits)
        )
        if result is None:
            return None
        if result.documents:
            return dataclasses.replace(entry, item=result.documents[0])
        return dataclasses.replace(entry, item=result.rejections[0])

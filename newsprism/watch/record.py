"""The write side of a poll: new entries through the Service's ingest, then the feed's state.

`RecordPoll` is a command of the server's write lane (see `newsprism.api.writer`): the server
runs it where it runs every other ingest, and `newsprism watch` runs it on its own Service.
Each entry is ingested and marked seen in one transaction, and the feed's validators are
stored only after every entry: a crash midway leaves the next poll a full (not conditional)
request, whose entries already taken in are skipped and whose others are ingested, so a
restart neither ingests an entry twice nor misses one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from newsprism.model import RawDocument, Rejection
from newsprism.store import FeedState

if TYPE_CHECKING:
    from newsprism.api.writer import Lane
    from newsprism.service import IngestReport, Service


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedEntry:
    """One entry of a feed: its key (what makes it "seen") and what reading it gave."""

    key: str
    item: RawDocument | Rejection


@dataclass(slots=True, kw_only=True)
class PollReport:
    """What recording one poll stored: articles added (id, story), duplicates, rejections."""

    added: list[dict[str, str]] = field(default_factory=list)
    duplicates: list[dict[str, str]] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    already_seen: int = 0  # entries another poll took in meanwhile (skipped here)

    def take(self, report: IngestReport) -> None:
        self.added.extend(report.added)
        self.duplicates.extend(report.duplicates)
        self.rejected.extend(report.rejected)


@dataclass(frozen=True, slots=True)
class RecordPoll:
    """Ingest a poll's new entries, then store the feed's state (validators, poll times)."""

    lane: ClassVar[Lane] = "write"
    state: FeedState
    entries: tuple[FeedEntry, ...] = ()

    def run(self, service: Service) -> PollReport:
        return record_poll(service, self.state, self.entries)


def record_poll(service: Service, state: FeedState, entries: tuple[FeedEntry, ...]) -> PollReport:
    """See the module docstring; the store is written only through *service*'s ingest and
    the store's feed methods."""
    store = service.store
    report = PollReport()
    for entry in entries:
        with store.atomic():
            if store.seen_feed_entries(state.url, [entry.key]):
                report.already_seen += 1
                continue
            if isinstance(entry.item, RawDocument):
                report.take(service.ingest_documents([entry.item]))
            else:
                report.take(service.ingest_documents([], [entry.item]))
            store.mark_feed_entries(state.url, [entry.key])
    store.put_feed(state)
    return report

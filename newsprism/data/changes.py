"""Limits for story versions and their feeds (newsprism.changes, the Atom feeds), each with why."""

from __future__ import annotations

# Disagreement fields a later report can revise rather than contradict: a count (a toll of 50,
# then 53) is revised as news comes in. A differing date or speaker is not a count that grows:
# it stays a disagreement whatever the publication times.
REVISABLE_FIELDS = frozenset({"number"})

# Entries in one Atom feed: feed readers poll and keep what they saw, so a feed needs only the
# recent versions; 50 covers weeks of a busy story and keeps a poll under ~100 KB.
FEED_ENTRIES = 50

# Stories a search feed follows (its best-matching, newest first): the same page size a
# search shows, so the feed follows what a reader of that search sees.
SEARCH_FEED_STORIES = 25

# Items of one kind listed in an entry's text before "and N more" (a feed reader's summary is
# read at a glance).
FEED_ITEMS_LISTED = 3

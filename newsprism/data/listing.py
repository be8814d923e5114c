"""Limits for listing and searching stories (store, web UI), each with why."""

from __future__ import annotations

# The sorts a story list offers: name -> what a reader sees. "newest" is the default: a news
# reader first wants what changed last.
STORY_SORTS: dict[str, str] = {
    "newest": "Newest",
    "outlets": "Most outlets",
    "articles": "Most articles",
}
DEFAULT_SORT = "newest"

# Facet values shown per facet (outlets, entities): datasette shows 30; a story list is read on a
# phone too, and past a dozen values a facet is a list nobody scans.
FACET_LIMIT = 12

# A search snippet: FTS5 snippet() and ts_headline() both cut around the matched words; 24 words
# is about two lines, enough to see why a story matched.
SNIPPET_WORDS = 24
# Without a search, the snippet is the opening of the story's first article, cut at a word
# within this many characters (about two lines on a phone).
LEAD_CHARS = 220

# Characters that mark a highlighted match inside a snippet (Unicode private use: not text an
# article carries, and never HTML, so a snippet stays plain text until the template escapes it).
MARK_START = "\ue000"
MARK_END = "\ue001"

# The longest search query taken (characters): longer input is refused by the page and the API.
MAX_QUERY_CHARS = 500
# Terms kept from one query: a pasted paragraph must not become a 300-way AND.
MAX_QUERY_TERMS = 32

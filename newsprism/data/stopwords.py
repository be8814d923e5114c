"""Stop words: the one place the word lists are loaded, and the additions each use makes.

Two base lists, because the two uses want different things from them:

- `stopwords_en.txt` (the Glasgow IR list, 318 words) for story clustering, which compares whole
  articles and wants only the topical words: it drops "two", "first", "several" too.
- `function_words_en.txt` (126 function words) for comparing sentences (claim alignment and the
  summary's bigrams), where a number or an order word is what tells two claims apart.

Both get `NEWS_FILLER_WORDS`; clustering also drops the words every news report is full of.
"""

from __future__ import annotations

from importlib import resources


def word_list(name: str) -> frozenset[str]:
    """The words of the list file *name* in newsprism/data (one a line, "#" starts a comment)."""
    text = resources.files("newsprism.data").joinpath(name).read_text("utf-8")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


ENGLISH_STOP_WORDS = word_list("stopwords_en.txt")
FUNCTION_WORDS = word_list("function_words_en.txt")

# Attribution and titles: in nearly every sentence of every report, so they say nothing about
# what it reports.
NEWS_FILLER_WORDS = frozenset({"said", "says", "say", "mr", "mrs", "ms", "just"})

# Words that fill reports of any story (reporting verbs, calendar words, agency and media
# credits, web prompts): shared by unrelated stories, they would pull them together.
CLUSTERING_ADDITIONS = frozenset(
    {
        "told",
        "according",
        "reported",
        "report",
        "reports",
        "news",
        "new",
        "year",
        "years",
        "week",
        "day",
        "time",
        "like",
        "people",
        "dr",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "read",
        "click",
        "photo",
        "image",
        "video",
        "getty",
        "reuters",
        "ap",
        "afp",
    }
)

CLUSTERING_STOP_WORDS = ENGLISH_STOP_WORDS | NEWS_FILLER_WORDS | CLUSTERING_ADDITIONS
SENTENCE_STOP_WORDS = FUNCTION_WORDS | NEWS_FILLER_WORDS

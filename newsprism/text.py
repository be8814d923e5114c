"""Text normalisation shared by the stages: layout, folded words, and plural folds.

Each function names what it keeps and what it throws away, because the stages need different
things from "normalised" text:

- `normalise_layout`: cleaning's output. Only line breaks and blank runs change; characters inside
  lines never do, since every later span (citations) points into this text.
- `fold_for_hashing` / `words_of`: dedup's view. Case, punctuation and layout are dropped so
  reprints that differ only there compare equal.
- `stem_term` and `singular_noun`: two plural folds that differ on purpose (see each).
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from functools import lru_cache

from newsprism.data.synonyms import IRREGULAR_PLURALS

_WORD = re.compile(r"\w+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t\f\v]+$", re.MULTILINE)


# C0 controls but tab and newline, DEL, and C1 controls: what starts terminal escape sequences
# (screen clears, window titles, OSC 8 links) or moves the cursor (a carriage return).
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """*text* without the control characters a terminal would act on (article text and titles
    are untrusted: an ESC in them must not clear a screen or plant a link)."""
    return _TERMINAL_CONTROLS.sub("", text)


DEFAULT_WIDTH = 80  # the width of text output when neither $COLUMNS nor a terminal gives one
MIN_WIDTH = 20  # narrower than this, wrapped lists and tables no longer fit


def terminal_width() -> int:
    """$COLUMNS when set, else the width of the terminal on stdout, else 80 (a pipe)."""
    columns = shutil.get_terminal_size(fallback=(DEFAULT_WIDTH, 24)).columns
    return max(columns if columns > 0 else DEFAULT_WIDTH, MIN_WIDTH)


def normalise_layout(text: str) -> str:
    """Unify newlines, strip trailing spaces, collapse 3+ newlines, trim blank edges.

    Characters inside lines are never changed (curly quotes, dashes and spacing stay).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _TRAILING_SPACE.sub("", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n")


def fold_for_hashing(text: str) -> str:
    """Lower-cased words joined by single spaces: punctuation, quotes and layout do not count."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(_WORD.findall(text))


def words_of(text: str) -> list[str]:
    """The words of `fold_for_hashing(text)`."""
    return fold_for_hashing(text).split()


@lru_cache(maxsize=200_000)
def stem_term(word: str) -> str:
    """A clustering term: possessive and regular plural folded ("troops" -> "troop").

    Clustering compares words of every kind, so the fold stays light and safe: a word ending in
    -us or -is is left alone ("virus", "crisis", "Paris"), as dropping its "s" would merge it
    with unrelated words. The word is expected lower-cased.
    """
    if word.endswith(("'s", "’s")):  # "tokayev's" -> "tokayev"
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def singular_noun(word: str) -> str:
    """The grammatical singular of a unit noun ("inches" -> "inch", "people" -> "person").

    Figures compare their units ("3 inches" / "one inch"), so this fold needs the real singular
    that `stem_term` does not give: irregular plurals and -es after a sibilant. It is only ever
    given the head noun of a unit, never an arbitrary word. The word is expected lower-cased.
    """
    if word in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 article', '3 articles', '12,000 articles' ("story" -> "stories" given as *words*):
    the one home of counted nouns in the CLI, the renderers and the pages."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"

"""Thresholds and word lists for dedup (C4) and story clustering (C5), each with why.

One default configuration serves every data set: values were chosen on general grounds
(what a reprint or a wire sentence looks like) and checked on ECB+, UCI headlines and a
reprint benchmark built from multinews/ECB+ documents (``newsprism eval dedup|clustering``).
"""

from __future__ import annotations

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# ---------------------------------------------------------------- dedup: whole articles

# Words per shingle. 5-word shingles rarely repeat between independent reports of one event
# (same names and places, different sentences) but survive a few changed words in a reprint.
SHINGLE_WORDS = 5
# MinHash permutations: 128 gives a Jaccard estimate with standard error ~0.04.
NUM_PERM = 128
# LSH threshold on the *estimated* Jaccard: candidates only, kept low so reprints with added
# boilerplate or a trimmed end still collide; every candidate is verified exactly below.
LSH_THRESHOLD = 0.3
# Verified duplicate: containment = |A ∩ B| / min(|A|, |B|) of word-shingle sets. Containment,
# not plain Jaccard, because a reprint that trims the end or adds boilerplate keeps most of the
# shorter text. Independent reports of one event share well under 0.2 of their 5-word shingles.
DUPLICATE_CONTAINMENT = 0.5
# ... and the shorter must still be a real share of the longer (a one-paragraph excerpt of a
# long article is a shared passage, not a duplicate).
DUPLICATE_LENGTH_RATIO = 0.35
# Articles shorter than this many words are only compared exactly (too few shingles).
MIN_WORDS_NEAR = 12

# ---------------------------------------------------------------- dedup: shared passages

# A sentence takes part in passage matching when it has at least this many words: short
# sentences ("He declined to comment.") are shared by chance.
PASSAGE_MIN_WORDS = 8
# Two sentences are one passage when the shorter one's word 3-shingles are mostly (containment)
# in the other: a wire sentence reprinted with a few words changed ("despatch peacekeepers" /
# "dispatch troops") or with a clause added at the end keeps ~0.8 of its 3-shingles; two
# sentences written independently about one event share a few names, well under half.
PASSAGE_SHINGLE_WORDS = 3
PASSAGE_CONTAINMENT = 0.6
# ... and share at least this many 3-shingles (a short sentence inside a long one by chance).
PASSAGE_MIN_SHARED = 6
PASSAGE_NUM_PERM = 64
# LSH proposes on estimated Jaccard, which an added clause halves: keep it low, verify exactly.
PASSAGE_LSH_THRESHOLD = 0.2

# ---------------------------------------------------------------- stories

STOP_WORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | frozenset(
    {
        "said",
        "says",
        "say",
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
        "just",
        "like",
        "people",
        "mr",
        "ms",
        "mrs",
        "dr",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "read",
        "more",
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
# Words shorter than this are dropped (initials, "us", "un" are noise at document level).
WORD_MIN_LENGTH = 2
# The title says what the story is: its words and names count this many times.
TITLE_WEIGHT = 3
# Characters of text searched for capitalised phrases (the lead names the actors; later
# paragraphs drift to background and related events).
ENTITY_LEAD_CHARS = 100_000
# Characters of the lead that go to the embedder with the title.
LEAD_CHARS = 400

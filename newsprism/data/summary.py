"""Weights, thresholds and word lists of claim alignment and the extractive summary.

Kept apart from the logic (compare/align.py, brief/summary.py, brief/headline.py) so they can be
read and tuned in one place. The summary weights were chosen on the Multi-News dev clusters
(`newsprism eval summary`) as a handful of general knobs, never per cluster.
"""

from __future__ import annotations

from newsprism.data.stopwords import SENTENCE_STOP_WORDS

# --------------------------------------------------------------------------- alignment

# Two sentences of different articles state the same claim when their combined similarity
# (ALIGN_COSINE_WEIGHT * embedding cosine + (1 - ALIGN_COSINE_WEIGHT) * lexical overlap) reaches
# ALIGN_THRESHOLD. MiniLM puts paraphrases across outlets at ~0.8 and unrelated sentences of one
# story at 0.3-0.5, so the cosine alone is not enough: shared content words must back it up.
ALIGN_COSINE_WEIGHT = 0.6
ALIGN_THRESHOLD = 0.47
# A pair whose embedding says "same sentence" counts even with different wording.
ALIGN_COSINE_ALONE = 0.9
# Every pair inside a group must still be this similar (stops chains A~B~C with A far from C).
ALIGN_GROUP_MIN = 0.4
# An article repeating itself (duplicated captions, a lead restated) joins its own group only
# when the two sentences are near-identical.
ALIGN_SAME_ARTICLE = 0.9

# Lexical overlap is measured on lower-cased content words: these carry no claim (the list
# lives in data/stopwords.py; STOPWORDS is the name brief/ and compare/align.py read).
STOPWORDS = SENTENCE_STOP_WORDS

# --------------------------------------------------------------------------- summary

# Default length when the caller gives no word budget: stop at whichever comes first.
SUMMARY_MAX_SENTENCES = 7
SUMMARY_DEFAULT_WORDS = 150

# Sentences shorter than this (in words) are rarely informative summary sentences.
SUMMARY_MIN_WORDS = 8
# Very long sentences are usually run-on debris (tables, lists of links).
SUMMARY_MAX_WORDS_PER_SENTENCE = 80

# Sentence score = sum of these weighted features (each roughly in [0, 1]):
#   position    1 / (1 + index in its own article / POSITION_SCALE): news puts the gist first
#   centrality  mean cosine to the story's centroid: what the story is about
#   support     share of the story's independent sources that carry the claim: corroboration
#   bigrams     content bigrams shared with other articles (document frequency), normalised
WEIGHT_POSITION = 2.0
WEIGHT_CENTRALITY = 2.0
WEIGHT_SUPPORT = 1.0
WEIGHT_BIGRAMS = 1.0
POSITION_SCALE = 6.0
# The bigram feature is divided by (number of bigrams) ** this: 0 = sum (favours long
# sentences), 1 = density.
BIGRAM_LENGTH_POWER = 0.5
# The position feature is multiplied by the article's relevance (cosine of its mean sentence to
# the other articles', best article = 1) to this power, so a stray document's lead sinks.
RELEVANCE_POWER = 8.0

# MMR: a candidate's score is reduced by REDUNDANCY_WEIGHT * its highest cosine to any chosen
# sentence; a candidate above REDUNDANCY_MAX cosine to a chosen one is skipped outright.
REDUNDANCY_WEIGHT = 1.0
REDUNDANCY_MAX = 0.8

# Headlines: titles shorter than this many characters are not headlines ("AA", "Loading...").
HEADLINE_MIN_CHARS = 12
HEADLINE_MIN_WORDS = 3  # "Play Facebook", "Video": labels, not headlines
HEADLINE_MAX_WORDS = 25
# An outlet name shorter than this is too ambiguous to match inside an
# attribution ("X reported"): a claim an outlet attributes to another outlet of the story
# counts as that outlet's (compare/align.py).
CITED_OUTLET_MIN_CHARS = 3
# A title shares at least this share of its content words with its own article's text, or it
# is page furniture ("Tweet with a location", "Article Excerpt", a reprint notice), not the
# outlet's headline. Real headlines paraphrase their lead and share most of their words with it.
TITLE_MIN_SUPPORT = 0.3
# Pronouns that refer back: a sentence opening with one needs its referent before it, so the
# summary takes it only after the sentence before it in its article.
REFERRING_OPENERS: frozenset[str] = frozenset(
    [
        "he",
        "she",
        "they",
        "it",
        "his",
        "her",
        "their",
        "its",
        "this",
        "these",
        "those",
        "them",
        "him",
    ]
)

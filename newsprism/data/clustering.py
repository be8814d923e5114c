"""Thresholds and word lists for dedup (C4) and story clustering (C5), each with why.

One default configuration serves every data set: values were chosen on general grounds
(what a reprint or a wire sentence looks like) and checked on ECB+, UCI headlines and a
reprint benchmark built from multinews/ECB+ documents (``newsprism eval dedup|clustering``).
"""

from __future__ import annotations

from typing import Literal

# ---------------------------------------------------------------- dedup: whole articles

# Words per shingle. 5-word shingles rarely repeat between independent reports of one event
# (same names and places, different sentences) but survive a few changed words in a reprint.
SHINGLE_WORDS = 5
# MinHash permutations: 128 gives a Jaccard estimate with standard error ~0.04.
NUM_PERM = 128
# LSH threshold on the *estimated* Jaccard: candidates only, kept low so reprints with added
# boilerplate or a trimmed end still collide; every candidate is verified exactly below.
LSH_THRESHOLD = 0.3
# Confirmed duplicate: word coverage (`dedup/coverage.py`) of the shorter text by the longer,
# i.e. the share of its words inside a 5-word shingle the other also has. A changed word costs
# itself and, near a paragraph edge, a few neighbours; a trimmed end costs nothing on the
# shorter side. Independent reports of one event share names, quotes and stock phrases: well
# under half their words. 0.85 lets about one word in ten change. Between 0.6 and 0.85 lie
# agency stories re-edited by each outlet (ECB+ holds many); these stay separate origins.
DUPLICATE_COVERAGE = 0.85
# Boilerplate: a shingle held by at least this many articles of a batch, and by at least this
# share of them, is "common" (a newsletter prompt, a copyright line); coverage is also taken
# with the words under such shingles left out, so a short reprint wrapped in boilerplate
# still counts. Small batches (one story's brief) have no common shingles.
COMMON_MIN_DOCUMENTS = 10
COMMON_SHARE = 0.01
# An article joins a duplicate group through one confirmed member, and must share at least
# this coverage with every other member: two excerpts of different parts of one long article
# share almost nothing; two reprints that trimmed or edited one text differently share most.
GROUP_MIN_COVERAGE = 0.5
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

# The stop words clustering drops: CLUSTERING_STOP_WORDS in data/stopwords.py.
# Words shorter than this are dropped (initials, "us", "un" are noise at document level).
WORD_MIN_LENGTH = 2
# The title says what the story is: its words and names count this many times.
TITLE_WEIGHT = 2
# Characters of text searched for capitalised phrases (the lead names the actors; later
# paragraphs drift to background and related events).
ENTITY_LEAD_CHARS = 2_000
# Characters of the lead that go to the embedder with the title.
LEAD_CHARS = 400

# How much of the similarity comes from names (capitalised phrases) rather than all words.
# Names are what separate two events of one kind (two rehab check-ins, two pirate attacks).
ENTITY_WEIGHT = 0.5
# Similarity at which an article joins a story (online: average link to its members) and two
# clusters merge (batch: weighted linkage). Measured on ECB+ batch B-cubed F1: 0.913 at 0.20,
# 0.930 at 0.22, 0.901 at 0.24. Too high for headline-only input, whose pairs share a name or
# two: snippets link by centroid instead (SNIPPET_WORDS below).
JOIN_THRESHOLD = 0.22
# Online mode: an article joins the story whose centroid (its members' summed vectors, each
# part scaled to unit length) it is closest to by cosine, when that reaches ONLINE_THRESHOLD
# times the article's length scale. A centroid, unlike the average link, does not fall as a
# story grows diffuse (hundreds of headlines of one story share one or two names each).
# A text of fewer than SHORT_TEXT_WORDS distinct words is held to a lower bar, by the square
# root of its share of them: a headline can only share a name or two with its story, which is
# all the evidence it has (general grounds: 50 words is a paragraph, the least a report of
# an event says). A story of reports is re-clustered from its members' vectors at each join
# (stories/online.py `_recluster`: the batch linkage, parts split off), which takes back a
# join that mixed two events of one kind; so the bar can sit near the batch linkage's
# JOIN_THRESHOLD instead of above it to guard precision. Measured B-cubed F1 online (ECB+ /
# multinews_dev / UCI): without re-clustering, 0.25 (then the default): 0.868 / 0.901 /
# 0.751; with it, 0.28: 0.920 / 0.873 / -; 0.25: 0.928 / 0.895 / 0.751 (lone outliers split
# off: 0.912 / 0.895); 0.22: 0.920 / 0.905 / -; 0.20: 0.928 / 0.909 / 0.761; 0.18: 0.925 /
# 0.914 / 0.758. 0.18-0.22 is a plateau on all three; 0.20 is its middle.
ONLINE_THRESHOLD = 0.20
SHORT_TEXT_WORDS = 50
# Batch linkage of snippets: two clusters whose members have fewer than SNIPPET_WORDS distinct
# words on average (a headline, a headline and a sentence: UCI's have 4-9) are compared by
# the cosine of their centroids at ONLINE_THRESHOLD, as the online mode compares them (see
# stories/linkage.py `_snippets`); reports keep the weighted linkage at JOIN_THRESHOLD. The
# split pass leaves a snippet story's members where the centroid put them; the online mode's
# re-clustering of a story of reports uses the linkage of reports alone. Measured B-cubed F1
# in batch (ECB+ / UCI / multinews_dev): without the rule 0.930 / 0.353 / 0.928; at 30: 0.937
# / 0.756 / 0.928 (online unchanged: 0.928 / 0.761 / 0.909). ECB+ batch by SNIPPET_WORDS: 20:
# 0.936; 40: 0.939; 50: 0.931 (reports of 30-50 words start to link by centroid); UCI is the
# same from 20 to 50.
SNIPPET_WORDS = 30
# Optional MiniLM embedding of title + lead (off by default: measured 12-13 texts/s on the 2
# shared cores, far below the 100 articles/s target, and no gain on ECB+ with weighted linkage,
# +0.015 with average linkage). Its share of the similarity when on, and the matching threshold.
EMBEDDING_WEIGHT = 0.2
EMBEDDING_JOIN_THRESHOLD = 0.32
# Time proximity (when both dates are known): no penalty within GRACE days of a story's span,
# then the similarity decays by e every DECAY days.
TIME_GRACE_DAYS = 2.0
TIME_DECAY_DAYS = 5.0
# Candidate search: an article's and a story's heaviest terms go to an inverted index; only
# stories sharing one of them are scored, the best CANDIDATES of them by shared-term weight.
INDEX_TERMS = 20
CANDIDATES = 20
# Batch mode scores more candidate pairs per article: its global pass needs the graph of a
# story's members to be connected (ECB+ events hold up to 22 documents).
BATCH_CANDIDATES = 50
# Batch mode: in each term's posting list (publication order) an article looks at this many
# entries on either side of itself, so a term common to a whole year costs no more than one
# common to a week: the candidate search stays linear in the number of articles.
POSTING_WINDOW = 200
# A story keeps at most this many terms of its summed vector (the lightest are dropped).
STORY_TERMS = 300
# Retirement: a story not joined for RETIRE_DAYS of publication time (or, without dates, for
# RETIRE_ARTICLES arrivals) leaves the candidate index and memory.
RETIRE_DAYS = 4.0
RETIRE_ARTICLES = 20_000
# Online deferred decisions: an article whose best story scores under CONFIDENT_JOIN times its
# bar waits, as a story of its own, until DEFER_ARTICLES articles wait; then they are decided
# together, best first, with each other and their candidate stories (the batch linkage;
# stories never merge with each other there). Measured B-cubed F1 online (ECB+ /
# multinews_dev / UCI), centroid matching: waiting 32 at 1.0: 0.871 / 0.879 / 0.737; deciding
# at once (1): 0.868 / 0.881 / 0.755; everything waiting (CONFIDENT_JOIN 9): ECB+ 0.824. It
# never paid, and a waiting article is shown as a story of its own: off (1 decides at once).
CONFIDENT_JOIN = 1.0
DEFER_ARTICLES = 1
# Document-frequency table bound for an endless stream (pruned to half when exceeded).
MAX_VOCABULARY = 400_000
# Batch linkage: "weighted" (WPGMA) or "average" (UPGMA); see stories/batch.py `_linkage`.
LINKAGE: Literal["average", "weighted"] = "weighted"
# Batch split pass: move an article to the story it is on average closer to than its own.
REASSIGN = True
# ... and an article the linkage left alone joins the story it is on average closest to
# from half the join threshold: a story of one is no story to a reader, and the online mode
# keeps such a member where it joined (a lone outlier is no second event). Measured B-cubed
# F1 in batch (ECB+ / multinews_dev), from 0.924 / 0.903 without it: 0.20: 0.927 / 0.913;
# 0.15: 0.929 / 0.930; 0.12 and 0.11: 0.9296 / 0.9277; 0.08: 0.930 / 0.923. UCI headlines
# 0.341 -> 0.35. A plateau from 0.10 to 0.15; 0.11 is half of JOIN_THRESHOLD.
LONE_THRESHOLD = 0.11

# ---------------------------------------------------------------- online state in the store

# The online clusterer's state is stored with every this-many-th article it assigns (in that
# article's transaction); a restart loads it and replays only the articles stored after it.
# A snapshot of a 100k-article stream costs well under a second (benchmarks/restart.py), so
# every 500 articles keeps that under a few ms per article and the replay under a second.
CLUSTERER_SAVE_EVERY = 500

"""The story's headline: the most representative title, or a short lead sentence.

A title is scored by how much of it the story shares: for each content word, the share of
articles that use it, averaged over the title's words, plus the claim support of the title
when an article repeats it as its first line. Without titles, the lead sentence (first
summary-worthy one) of each article competes on embedding centrality.

A title is an outlet's own headline only when it reads as one (`usable_title`): one line, not
too long, no page furniture ("Tweet with a location", reprint notices, photo credits: the
debris rules of the summary), and about its own article: a real headline shares content words
with the text under it, page furniture shares none.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from newsprism.annotate.dates import MONTHS, WEEKDAYS
from newsprism.brief.summary import is_summary_worthy, refers_back
from newsprism.clean.debris import is_debris
from newsprism.compare.align import canonical_order, content_tokens
from newsprism.data import summary as cfg
from newsprism.datelines import without_dateline
from newsprism.model import AnnotatedArticle, ClaimGroup

__all__ = ["choose_headline", "usable_title"]


def usable_title(item: AnnotatedArticle) -> str | None:
    """The article's title as a headline, or None when it is boilerplate or a whole lead."""
    raw = item.article.title
    title = without_dateline(" ".join(raw.split()))  # "* Top investigator ..." loses its bullet
    if len(title) < cfg.HEADLINE_MIN_CHARS or "\n" in raw.strip() or _sentences(title) > 1:
        return None
    if not cfg.HEADLINE_MIN_WORDS <= len(title.split()) <= cfg.HEADLINE_MAX_WORDS:
        return None
    if is_debris(title) or not any(ch.islower() for ch in title):
        return None  # page furniture, or an ALL-CAPS kicker ("SINGER SCANDAL")
    if title[-1] in "|:–—-":
        return None  # cut off at a separator ("CHRISTCHURCH, New Zealand |")
    tokens = {t for t in content_tokens(title) if not _is_date_word(t)}
    if len(tokens) < 2:
        return None  # a date line ("Tuesday, October 16, 2018") or a label
    body = content_tokens(item.article.text)
    if len(tokens & body) / len(tokens) < cfg.TITLE_MIN_SUPPORT:
        return None
    return title


# A sentence ends at ".", "!" or "?" (and closing quotes) before a capital or an opening quote.
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’']*\s+(?=[\"“‘]?[A-Z])")
# Words that end in a full stop inside a sentence ("U.S.", "Dr.", "Sen.", "Jan.").
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]\.)+$|\b(?:[A-Z][a-z]{0,3}|St|vs|No)\.$")


def _sentences(text: str) -> int:
    """How many sentences *text* holds: a headline is one ("... said. “I thought ...”" is two)."""
    breaks = [
        m for m in _SENTENCE_BREAK.finditer(text) if not _ABBREVIATION.search(text[: m.start() + 1])
    ]
    return 1 + len(breaks)


# An attribution to a pronoun ("..., he said in an interview"): as a headline it names nobody.
_PRONOUN_SPEAKER = re.compile(r"[,”\"’']\s+(?:he|she|they)\s+(?:said|says|told|added)\b", re.I)

# A heading in capitals run into the lead ("EXTENDED SUMMARY THE IMPACT OF X Modern society is
# ..."): three or more words in capitals before a capitalised word of the sentence.
_HEADING_RUN = re.compile(r"^(?:[A-Z][A-Z'’&-]+\s+){3,}(?=[A-Z][a-z])")


def _without_heading(lead: str) -> str:
    lead = _trimmed(lead)
    heading = _HEADING_RUN.match(lead)
    return _trimmed(lead[heading.end() if heading else 0 :])


def _trimmed(text: str) -> str:
    """*text* without spaces or control characters at its edges (a C1 control left by a
    mis-decoded dash opens some scraped leads: "\x97 Police tracked down ...")."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or unicodedata.category(text[start])[0] == "C"):
        start += 1
    while end > start and (
        text[end - 1].isspace() or unicodedata.category(text[end - 1])[0] == "C"
    ):
        end -= 1
    return text[start:end]


# Weekday and month names (the date annotator's), and the words of a dateline stamp.
_DATE_WORDS = frozenset((*WEEKDAYS, *MONTHS, "updated", "published"))


def _is_date_word(token: str) -> bool:
    return token in _DATE_WORDS or token.rstrip("s") in _DATE_WORDS or token.isdigit()


def _title_score(title: str, token_share: dict[str, float]) -> float:
    tokens = content_tokens(title)
    if not tokens:
        return 0.0
    return sum(token_share.get(token, 0.0) for token in tokens) / len(tokens)


def _token_share(articles: Sequence[AnnotatedArticle]) -> dict[str, float]:
    counts: dict[str, int] = {}
    for item in articles:
        for token in content_tokens(item.article.text) | content_tokens(item.article.title):
            counts[token] = counts.get(token, 0) + 1
    return {token: count / len(articles) for token, count in counts.items()}


def _reads_alone(text: str) -> bool:
    """A lead that names who it is about: not "He said ...", not "..., he said"."""
    return not refers_back(text) and not _PRONOUN_SPEAKER.search(text)


def _lead_sentences(articles: Sequence[AnnotatedArticle]) -> list[tuple[str, float]]:
    leads: list[tuple[str, float]] = []
    centroid = _centroid(articles)
    for item in articles:
        captions = frozenset(item.captions)
        for number, sentence in enumerate(item.sentences):
            text = sentence.text
            if sentence.index not in captions and is_summary_worthy(text) and _reads_alone(text):
                score = 0.0
                if centroid is not None:
                    score = float(np.asarray(item.sentence_vectors)[number] @ centroid)
                leads.append((sentence.text, score))
                break
    return leads


def _centroid(articles: Sequence[AnnotatedArticle]) -> npt.NDArray[np.float32] | None:
    means = []
    for item in articles:
        vectors = item.sentence_vectors
        if vectors is None or np.asarray(vectors).shape[0] != len(item.sentences):
            return None
        if len(item.sentences):
            means.append(np.asarray(vectors, dtype=np.float32).mean(axis=0))
    if not means:
        return None
    centroid: npt.NDArray[np.float32] = np.mean(means, axis=0).astype(np.float32)
    norm = float(np.linalg.norm(centroid))
    return centroid / norm if norm > 0 else centroid


def choose_headline(articles: Sequence[AnnotatedArticle], facts: Sequence[ClaimGroup]) -> str:
    """The headline of a story.

    Args:
        articles: the story's annotated articles (any order).
        facts: its claim groups; a title some article also prints as a corroborated sentence
            gains that claim's support.

    Returns:
        The most representative title; without usable titles, the most central short lead
        sentence; "" for a story with no text at all.
    """
    ordered = canonical_order(articles)
    if not ordered:
        return ""
    share = _token_share(ordered)
    support = {fact.text.strip(): len(fact.members) for fact in facts}
    titles = []
    for rank, item in enumerate(ordered):
        title = usable_title(item)
        if title is not None:
            score = _title_score(title, share) + 0.1 * (support.get(title, 1) - 1)
            titles.append((round(score, 9), -rank, title))
    if titles:
        return _trimmed(max(titles)[2])
    leads = _lead_sentences(ordered)
    if leads:
        # A short lead reads as a headline; a long one only when no lead is short.
        def lead_key(k: int) -> tuple[bool, float, int]:
            short = len(leads[k][0].split()) <= cfg.HEADLINE_MAX_WORDS
            return (short, round(leads[k][1], 9) if short else -len(leads[k][0]), -k)

        return _without_heading(without_dateline(leads[max(range(len(leads)), key=lead_key)][0]))
    sentences = [s.text for item in ordered for s in item.sentences]
    usable = [text for text in sentences if not is_debris(text)]
    # A story of nothing but page furniture still gets its first line rather than no headline.
    return _trimmed(without_dateline((usable or sentences or [""])[0]))

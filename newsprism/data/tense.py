"""Cues that a bare weekday or month points forward from the publication date (annotate/dates,
compare/timeline). General English news usage, nothing story-specific.

A date resolves forward ("on Monday" in a Sunday article = the next day) when the clause that
governs it says the event is still to come: a future auxiliary ("will", "shall", "'ll",
"would"), a verb of planning or scheduling governing it ("plans to", "is expected to", "is set
to", "is scheduled for", "is due to", "is to be"), an adjective marking the event as ahead ("the
upcoming vote on Tuesday"), a phrase such as "up for re-election in" or "ahead of", or a
scheduling verb in the present tense ("the trial begins on Tuesday"). A governing verb in the
past tense ("met", "was set to") keeps the date in the past whatever else the sentence says.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of *text*: long lists stay readable."""
    return frozenset(text.split())


# Auxiliaries of the future (spaCy's "wo" is the "wo" of "won't").
FORWARD_AUXILIARIES: frozenset[str] = frozenset({"will", "shall", "'ll", "\u2019ll", "wo", "would"})
# Lemmas of verbs and adjectives that put what they govern ahead ("plans to visit on Thursday").
FORWARD_GOVERNORS: frozenset[str] = _words(
    """
    plan expect schedule reschedule set slate due poise aim intend hope prepare propose
    await anticipate
    """
)
# "is to be debated", "is going to meet": these lemmas point forward only with a to-infinitive.
FORWARD_WITH_INFINITIVE: frozenset[str] = frozenset({"be", "go"})
# Adjectives marking an event as ahead ("the upcoming vote on Tuesday").
FORWARD_ADJECTIVES: frozenset[str] = _words(
    "upcoming coming planned scheduled proposed future forthcoming next expected pending"
)
# Verbs of scheduled events: in the present tense they speak of what is ahead ("begins on
# Tuesday"); in the past tense they do not ("began on Tuesday").
SCHEDULE_VERBS: frozenset[str] = _words(
    """
    begin start open close end resume reopen meet convene vote arrive depart launch kick
    premiere debut expire
    """
)
# Cue words inside the date expression itself ("next Friday", "this coming Monday").
FORWARD_IN_EXPRESSION = re.compile(r"\b(?:next|coming|upcoming)\b")
# Words right before the expression that set a limit ahead ("halted traffic until Friday").
FORWARD_LIMITS: frozenset[str] = frozenset({"until", "till", "through"})
# Phrases in the governing clause that point forward when no past-tense verb governs the date
# ("coming" and "next" count only as adjectives of the event: "coming out of" is a verb).
FORWARD_PHRASES = re.compile(
    r"\b(?:up for (?:re-?)?election|ahead of|set to|due to|expected to|scheduled|slated|"
    r"plans? to|planning to|going to|poised to|intends? to|aims? to|later this)\b"
)
# For text without a parse (the timeline re-reads undated articles): the future auxiliaries,
# "next"/"coming"/"upcoming" and the phrases above.
FORWARD_WORDS = re.compile(
    r"\b(?:will|shall|would|'ll|\u2019ll|next|coming|upcoming)\b|" + FORWARD_PHRASES.pattern
)
# Past-tense auxiliaries ("was set to", "had planned to", "did not meet").
PAST_AUXILIARIES: frozenset[str] = frozenset({"was", "were", "had", "did"})
# How many dependency links from a date up to the verb that governs it.
GOVERNOR_CLIMB = 4

"""The timeline: sorted, cited, deduplicated, anchored; date disagreements between outlets."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from newsprism.compare.timeline import build_timeline, story_anchor
from newsprism.model import AnnotatedArticle, Article, DateMention, Sentence, Span


def _article(article_id: str, sentences: list[str], dates: list[tuple], published=None):
    text = " ".join(sentences)
    sents, cursor = [], 0
    for index, sentence in enumerate(sentences):
        sents.append(
            Sentence(
                span=Span(article_id=article_id, start=cursor, end=cursor + len(sentence)),
                text=sentence,
                index=index,
                paragraph=index,
            )
        )
        cursor += len(sentence) + 1
    mentions = []
    for index, words, value, end, precision in dates:
        start = text.index(words, sents[index].span.start)
        mentions.append(
            DateMention(
                span=Span(article_id=article_id, start=start, end=start + len(words)),
                text=words,
                value=value,
                end=end,
                precision=precision,
                sentence=index,
            )
        )
    article = Article(
        id=article_id,
        source=article_id,
        outlet=article_id,
        title="",
        text=text,
        published=published,
    )
    return AnnotatedArticle(article=article, sentences=tuple(sents), dates=tuple(mentions))


def test_timeline_sorted_cited_and_unknown_left_out():
    a = _article(
        "a",
        ["Troops arrived last week.", "They left yesterday."],
        [
            (0, "last week", "2022-01-03", "2022-01-09", "week"),
            (1, "yesterday", "2022-01-12", None, "day"),
        ],
        published=datetime(2022, 1, 13),
    )
    b = _article(
        "b",
        ["The deadline is January 22.", "It began in March."],
        [(0, "January 22", "2022-01-22", None, "day"), (1, "in March", None, None, "unknown")],
        published=datetime(2022, 1, 13),
    )
    entries, conflicts = build_timeline([b, a])
    assert [e.date for e in entries] == ["2022-01-03", "2022-01-12", "2022-01-22"]
    assert entries[0].precision == "week" and entries[0].end == "2022-01-09"
    texts = {"a": a.article.text, "b": b.article.text}
    for entry in entries:
        assert texts[entry.span.article_id][entry.span.start : entry.span.end] == entry.text
    assert conflicts == ()


def test_timeline_anchors_undated_article_to_the_story():
    dated = _article(
        "a",
        ["Troops began leaving on Thursday."],
        [(0, "Thursday", "2022-01-13", None, "day")],
        published=datetime(2022, 1, 14),
    )
    undated = _article("b", ["Protests erupted on Monday."], [(0, "Monday", None, None, "unknown")])
    assert story_anchor([dated, undated]).isoformat() == "2022-01-14"
    entries, _ = build_timeline([dated, undated])
    assert [(e.date, e.span.article_id) for e in entries] == [
        ("2022-01-10", "b"),
        ("2022-01-13", "a"),
    ]


def test_timeline_undated_article_reads_forward_cues_lexically():
    dated = _article(
        "a",
        ["Troops began leaving on Thursday."],
        [(0, "Thursday", "2022-01-13", None, "day")],
        published=datetime(2022, 1, 14),  # a Friday: the anchor
    )
    undated = _article(
        "b",
        ["The envoys are set to meet on Monday.", "The envoys met on Tuesday."],
        [(0, "Monday", None, None, "unknown"), (1, "Tuesday", None, None, "unknown")],
    )
    entries, _ = build_timeline([dated, undated])
    dates = {e.text: e.date for e in entries}
    assert dates["The envoys are set to meet on Monday."] == "2022-01-17"  # ahead
    assert dates["The envoys met on Tuesday."] == "2022-01-11"  # behind


def test_timeline_no_anchor_when_the_story_spreads_over_weeks():
    one = _article(
        "a",
        ["x on Thursday."],
        [(0, "Thursday", "2022-01-13", None, "day")],
        published=datetime(2022, 1, 14),
    )
    two = _article(
        "c",
        ["y on Friday."],
        [(0, "Friday", "2022-03-04", None, "day")],
        published=datetime(2022, 3, 4),
    )
    undated = _article("b", ["z on Monday."], [(0, "Monday", None, None, "unknown")])
    entries, _ = build_timeline([one, two, undated])
    assert {e.span.article_id for e in entries} == {"a", "c"}


def test_timeline_deduplicates_wire_copies_and_flags_conflicting_dates():
    words = "The president flew to the capital for talks with the rebel leaders"
    a = _article(
        "a",
        [f"{words} on Monday."],
        [(0, "Monday", "2022-01-10", None, "day")],
        published=datetime(2022, 1, 12),
    )
    b = _article(
        "b",
        [f"{words} on Monday."],
        [(0, "Monday", "2022-01-10", None, "day")],
        published=datetime(2022, 1, 12),
    )
    c = _article(
        "c",
        [f"{words} on Tuesday."],
        [(0, "Tuesday", "2022-01-11", None, "day")],
        published=datetime(2022, 1, 12),
    )
    entries, conflicts = build_timeline([a, b, c])
    assert [e.date for e in entries] == ["2022-01-10", "2022-01-11"]
    assert conflicts and all(d.field == "date" and d.kind == "incompatible" for d in conflicts)
    for conflict in conflicts:
        assert {claim.span.article_id for claim in conflict.claims} in ({"a", "c"}, {"b", "c"})


def test_timeline_a_date_counts_were_taken_at_conflicts_with_no_event_date():
    """ "As of August 2016" dates a count, not the event: no date disagreement, still listed."""
    words = "the agency had confirmed cases of the illness across the country"
    a = _article(
        "a",
        [f"In 2014 {words}."],
        [(0, "2014", "2014-01-01", "2014-12-31", "year")],
    )
    b = _article(
        "b",
        [f"As of August 2016 {words}."],
        [(0, "August 2016", "2016-08-01", "2016-08-31", "month")],
    )
    entries, conflicts = build_timeline([a, b])
    assert conflicts == ()
    assert [e.date for e in entries] == ["2014-01-01", "2016-08-01"]
    c = _article("c", [f"In 2015 {words}."], [(0, "2015", "2015-01-01", "2015-12-31", "year")])
    assert build_timeline([a, c])[1]  # two event dates of one statement do conflict


@given(st.lists(st.dates(min_value=datetime(2000, 1, 1).date()), min_size=1, max_size=8))
def test_timeline_is_sorted(days):
    sentences = [f"Event number {i} happened then." for i in range(len(days))]
    art = _article(
        "a", sentences, [(i, "then", d.isoformat(), None, "day") for i, d in enumerate(days)]
    )
    entries, _ = build_timeline([art])
    assert [e.date for e in entries] == sorted(e.date for e in entries)

"""Renderers: the JSON contract's field names, and md/html/text readable and safe."""

from __future__ import annotations

import json

import pytest

from newsprism.render import FORMATS, render
from newsprism.render.json import SCHEMA, brief_to_dict
from tests.fixtures_brief import small_brief

STORY_FIELDS = {
    "id",
    "headline",
    "article_ids",
    "summary",
    "facts",
    "disagreements",
    "quotes",
    "entities",
    "timeline",
    "coverage",
}


def test_render_json_contract_fields() -> None:
    data = brief_to_dict(small_brief())
    assert data["schema"] == SCHEMA
    assert {"id", "source", "outlet", "title", "published", "url", "text", "removed"} <= set(
        data["articles"][0]
    )
    story = data["stories"][0]
    assert STORY_FIELDS <= set(story)
    assert {"text", "status", "independent_sources", "citations"} <= set(story["facts"][0])
    claim = story["disagreements"][0]["claims"][1]
    assert {
        "value",
        "low",
        "high",
        "qualifier",
        "unit",
        "text",
        "article_id",
        "start",
        "end",
    } <= set(claim)
    assert claim["high"] is None  # an open interval is null, never Infinity (invalid JSON)
    quote_citation = story["quotes"][0]["citations"][0]
    assert {"article_id", "start", "end", "speaker_start", "speaker_end"} <= set(quote_citation)
    assert story["entities"][0]["mentions"] == 2
    assert {"date", "precision", "text", "article_id", "start", "end"} <= set(story["timeline"][0])
    assert {"article_id", "outlet", "unique_facts", "omits"} <= set(story["coverage"][0])
    json.loads(json.dumps(data, allow_nan=False))


def test_render_json_citations_are_exact_words() -> None:
    data = brief_to_dict(small_brief())
    texts = {a["id"]: a["text"] for a in data["articles"]}
    story = data["stories"][0]
    for item in story["summary"]:
        first = item["citations"][0]
        assert texts[first["article_id"]][first["start"] : first["end"]] == item["text"]
    for claim in story["disagreements"][0]["claims"]:
        assert texts[claim["article_id"]][claim["start"] : claim["end"]] == claim["value"]


def test_render_json_published_is_iso_date() -> None:
    data = brief_to_dict(small_brief())
    assert data["articles"][0]["published"] == "2024-03-04"
    assert data["articles"][1]["published"] is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_every_format_names_headline_and_outlets(fmt: str) -> None:
    out = render(brief_to_dict(small_brief()), fmt)
    assert "Bridge reopens" in out
    assert "Vellmar Post" in out


def test_render_html_escapes_untrusted_text() -> None:
    page = render(brief_to_dict(small_brief()), "html")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;b&gt;Radio&lt;/b&gt;" in page  # the outlet name is shown, escaped
    assert "Content-Security-Policy" in page


def test_render_markdown_sections() -> None:
    out = render(brief_to_dict(small_brief()), "md")
    for heading in ("## Summary", "## Disagreements", "## Quotes", "## Timeline", "## Coverage"):
        assert heading in out
    assert "incompatible" in out


def test_render_unknown_format_raises() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(brief_to_dict(small_brief()), "pdf")


def test_render_html_diff_marks_changed_words_and_escapes() -> None:
    from newsprism.render.html import diff_words

    marked = str(diff_words("We must <b>go</b> home now", "We must come home"))
    assert "<mark>" in marked
    assert "<b>" not in marked and "&lt;" in marked
    assert "We must" in marked
    assert str(diff_words("We must come home", "We must come home")).count("<mark>") == 0


def test_render_dates_are_written_to_their_precision() -> None:
    from newsprism.render.view import date_text

    assert date_text({"date": "2019-01-01", "precision": "year"}) == "2019"
    assert date_text({"date": "2024-03-01", "precision": "month"}) == "2024-03"
    week = {"date": "2024-03-04", "precision": "week", "end_date": "2024-03-10", "end": 451}
    assert date_text(week) == "2024-03-04 – 2024-03-10"  # `end` is the citation's offset
    assert date_text({"date": "2024-03-04", "precision": "range", "end": 451}) == "from 2024-03-04"
    assert date_text({"date": "2024-03-04", "precision": "day"}) == "2024-03-04"


def test_render_shows_what_one_outlet_adds_to_a_shared_fact() -> None:
    from dataclasses import replace

    from newsprism.model import AddedDetail
    from newsprism.render.markdown import render_markdown
    from newsprism.render.view import BriefView
    from tests.fixtures_brief import span_of

    brief = small_brief()
    story = brief.stories[0]
    monday = span_of(brief.article("aaaa"), "on Monday")
    fact = replace(story.facts[0], added=(AddedDetail(text="on Monday", span=monday),))
    data = brief_to_dict(replace(brief, stories=(replace(story, facts=(fact, *story.facts[1:])),)))
    view = BriefView(data)
    (line,) = view.added_by_outlet(data["stories"][0]["facts"][0])
    assert line == "Vellmar Post adds: on Monday"
    assert f"  - {line}" in render_markdown(data)
    assert line in render(data, "html")

"""The typed contract: brief_from_dict reads back exactly what brief_to_dict writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsprism.model import Brief
from newsprism.render.json import brief_to_dict
from newsprism.render.parse import brief_from_dict


@given(st.from_type(Brief))
def test_contract_round_trip_of_any_brief(brief: Brief) -> None:
    data = brief_to_dict(brief)
    again = brief_to_dict(brief_from_dict(data))
    assert again == data
    assert json.loads(json.dumps(again)) == again  # plain JSON values only


def test_contract_round_trip_of_the_seeds_brief(seeds_dir: Path, models) -> None:
    from newsprism.pipeline import run

    data = brief_to_dict(run([str(seeds_dir)], models=models))
    assert brief_to_dict(brief_from_dict(data)) == data


def test_contract_timeline_end_is_the_offset_and_end_date_the_date() -> None:
    from newsprism.model import Span, TimelineEntry
    from newsprism.render.json import timeline_to_dict

    entry = TimelineEntry(
        date="2022-01-03",
        end="2022-01-09",
        precision="week",
        text="last week",
        span=Span(article_id="a", start=440, end=451),
    )
    data = timeline_to_dict(entry)
    assert (data["start"], data["end"], data["end_date"]) == (440, 451, "2022-01-09")


def test_contract_refuses_another_schema() -> None:
    with pytest.raises(ValueError, match="brief@1"):
        brief_from_dict({"schema": "other", "articles": [], "stories": [], "rejections": []})  # type: ignore[typeddict-item]

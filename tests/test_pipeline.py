"""The pipeline's stage declarations and ordering rules."""

from __future__ import annotations

from datetime import datetime

import pytest

from newsprism.model import Article
from newsprism.pipeline import STAGES, Stage, article_order_key, check_stage_order, unique_articles


def test_pipeline_configured_order_meets_every_declaration() -> None:
    check_stage_order(STAGES)


def test_pipeline_order_check_names_the_stage_out_of_place() -> None:
    broken = (Stage(name="compare", requires=("annotated",), assigns=("facts",)), *STAGES)
    with pytest.raises(ValueError, match="'compare' requires"):
        check_stage_order(broken)


def _article(ident: str, source: str, published: datetime | None = None) -> Article:
    return Article(
        id=ident, source=source, outlet="x", title="t", text=f"text {ident}", published=published
    )


def test_pipeline_unique_articles_ignores_input_order_and_repeats() -> None:
    a = _article("a1", "z.txt", datetime(2024, 1, 2))
    b = _article("b2", "a.txt")
    c = _article("c3", "m.txt", datetime(2024, 1, 1))
    first = unique_articles([a, b, c, a])
    assert first == unique_articles([c, a, b])
    assert [x.id for x in first] == ["b2", "c3", "a1"]  # undated first, then by publication
    assert article_order_key(b) < article_order_key(c)

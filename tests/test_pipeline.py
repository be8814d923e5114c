"""The composer: stage declarations read from the live sequence, ordering rules, light imports."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import pytest

from newsprism.compare import compare_story
from newsprism.model import Article
from newsprism.pipeline import (
    CORPUS_STAGES,
    STORY_STAGES,
    CorpusState,
    StoryState,
    article_order_key,
    check_pipeline,
    run_corpus,
    stages_between,
    unique_articles,
)
from newsprism.stages import stage, stage_info


def test_pipeline_live_sequence_meets_every_declaration() -> None:
    check_pipeline()


def test_pipeline_declarations_name_real_state_fields() -> None:
    corpus_fields = set(CorpusState.__dataclass_fields__)
    story_fields = set(StoryState.__dataclass_fields__)
    for function in CORPUS_STAGES:
        info = stage_info(function)
        assert info.scope == "corpus"
        assert {*info.requires, *info.assigns} <= corpus_fields, info
    for function in STORY_STAGES:
        info = stage_info(function)
        assert info.scope == "story"
        assert {*info.requires, *info.assigns} <= story_fields, info


def test_pipeline_order_check_names_the_stage_out_of_place() -> None:
    with pytest.raises(ValueError, match="'compare' requires"):
        check_pipeline(story=(compare_story, *STORY_STAGES))
    with pytest.raises(ValueError, match="'annotate' requires"):
        check_pipeline(corpus=tuple(reversed(CORPUS_STAGES)))


def test_pipeline_refuses_an_undeclared_stage() -> None:
    with pytest.raises(TypeError, match="not a declared stage"):
        check_pipeline(corpus=(*CORPUS_STAGES, len))


def test_pipeline_runs_what_the_declarations_say() -> None:
    seen = {}

    @stage("probe", scope="corpus", requires=("articles",), assigns=("stories",))
    def probe(articles):
        seen["articles"] = articles
        return ()

    state, _ = run_corpus(
        CorpusState(articles=(_article("a1", "a.txt"),)), models=lambda: 1 / 0, stages=[probe]
    )
    assert state.stories == ()
    assert [a.id for a in seen["articles"]] == ["a1"]  # models never loaded: no stage used them
    with pytest.raises(ValueError, match="ran before"):
        run_corpus(CorpusState(), models=lambda: 1 / 0, stages=[probe])


def test_pipeline_stage_slices_by_name() -> None:
    assert [stage_info(f).name for f in stages_between(until="cluster")] == ["load", "cluster"]
    assert [stage_info(f).name for f in stages_between(start="cluster")] == [
        "cluster",
        "annotate",
    ]


def test_pipeline_import_loads_no_model_code() -> None:
    code = (
        "import sys, newsprism.pipeline, newsprism.cli.brief\n"
        "heavy = [m for m in ('spacy', 'onnxruntime', 'thinc') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


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

"""`Service.brief_stories` (what `newsprism ingest` runs after ingesting): the stale stories'
articles are annotated together, and every brief equals the one `story_brief` computes alone."""

from __future__ import annotations

import json
from pathlib import Path

from newsprism.evaluate.data import cluster_documents, read_rows
from newsprism.model import RawDocument
from newsprism.service import Service
from newsprism.store import open_store
from tests.conftest import data_path, shared_models


def _documents() -> list[RawDocument]:
    path = data_path("multinews_dev", "clusters.jsonl")
    return list(cluster_documents(read_rows(path, 4), given_story=False))


def test_brief_stories_equals_one_story_at_a_time(tmp_path: Path) -> None:
    documents = _documents()
    together = Service(open_store(str(tmp_path / "together.db")), models=shared_models())
    alone = Service(open_store(str(tmp_path / "alone.db")), models=shared_models())
    report = together.ingest_documents(documents)
    alone.ingest_documents(documents)
    story_ids = sorted({item["story_id"] for item in report.added})
    assert len(story_ids) >= 3, "the sample should make several stories"
    seen: list[int] = []
    together.brief_stories(story_ids, progress=lambda done, total: seen.append(done))
    assert seen == list(range(1, len(story_ids) + 1))
    for story_id in story_ids:
        stored_json = together.fresh_brief_json(story_id)
        assert stored_json is not None, f"{story_id} has no stored brief"
        computed, from_store = alone.story_brief(story_id)
        assert not from_store
        assert json.loads(stored_json) == computed

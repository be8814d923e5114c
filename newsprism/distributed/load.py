"""`newsprism batch --db URL`: a finished batch run loaded into the store, so `newsprism serve`
shows its stories with their briefs (stored as fresh, so none is recomputed).

Read back one story batch at a time (its part of briefs.jsonl and of the articles table), so
loading holds one batch in memory however large the run. Articles keep the batch's stories;
the store's online clusterer, when later articles are ingested, is rebuilt from the stored
articles as usual (`service.load_clusterer`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsprism.contract import BRIEF_SCHEMA, ArticleDict, BriefDict, StoryDict
from newsprism.distributed.datasets import table_files
from newsprism.distributed.manifest import MANIFEST
from newsprism.model import Rejection


def load_into_store(out: Path, url: str) -> dict[str, int]:
    """Load the batch run in *out* into the store at *url*; returns what was stored."""
    import pyarrow.parquet as pq

    from newsprism.render.parse import _article
    from newsprism.store import open_store

    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    store = open_store(url)
    counts = {"articles": 0, "stories": 0, "rejections": 0}
    try:
        for name in manifest["story_batches"]:
            articles = {
                row["id"]: _article_dict(row)
                for path in table_files(out, "articles", name)
                for row in pq.read_table(path).to_pylist()
            }
            part = (out / "briefs" / f"part-{name}.jsonl").read_text(encoding="utf-8")
            for line in part.splitlines():
                story: StoryDict = json.loads(line)
                members = [articles[i] for i in story["article_ids"]]
                with store.atomic():
                    store.touch_story(story["id"], headline=story["headline"])
                    for member in members:
                        counts["articles"] += store.put_article(
                            _article(member), story_id=story["id"]
                        )
                    row = store.get_story(story["id"])
                    assert row is not None  # touched above
                    data: BriefDict = {
                        "schema": BRIEF_SCHEMA,
                        "articles": members,
                        "stories": [story],
                        "rejections": [],
                    }
                    store.put_brief(story["id"], row.version, data)
                counts["stories"] += 1
        for row in pq.read_table(out / "rejections").to_pylist():
            store.put_rejection(
                Rejection(source=row["source"], reason=row["reason"], code=row["code"])
            )
            counts["rejections"] += 1
    finally:
        store.close()
    return counts


def _article_dict(row: dict[str, Any]) -> ArticleDict:
    article: ArticleDict = {
        "id": row["id"],
        "source": row["source"],
        "outlet": row["outlet"],
        "title": row["title"],
        "published": row["published"],
        "url": row["url"],
        "byline": row["byline"],
        "text": row["text"],
        "removed": json.loads(row["removed"]) if row["removed"] else [],
        "story": row["story"],
        "raw_ref": row["raw_ref"] or "",
    }
    return article

"""Where evaluations find their data, and how data-set rows become pipeline input.

Default paths come from one setting (`newsprism.settings.data_root`: $NEWSPRISM_DATA, else
../shared/data). Rows become the same RawDocuments a user's JSONL records would (through the
shipped `ingest.jsonl.record_to_document`), so every evaluation scores the shipped stages.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsprism.data.limits import Limits
from newsprism.ingest.jsonl import record_to_document
from newsprism.model import RawDocument
from newsprism.settings import data_root


def default_path(*parts: str) -> Path:
    """A path under the data root (see the module docstring)."""
    return data_root().joinpath(*parts)


def read_rows(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The JSON objects of a JSONL file, at most *limit* of them."""
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def cluster_documents(
    rows: Sequence[dict[str, Any]], *, given_story: bool = True
) -> list[RawDocument]:
    """The documents of cluster rows ({id, documents: [text, ...]}) as JSONL records would give
    them: source "<cluster id>#<index>", and with *given_story* the cluster id as their story."""
    documents = []
    for row in rows:
        for index, text in enumerate(row.get("documents", [])):
            if not text.strip():
                continue
            record = {"id": f"{row['id']}#{index}", "text": text}
            if given_story:
                record["story"] = str(row["id"])
            documents.append(record_to_document(record, record["id"], Limits()))
    return documents

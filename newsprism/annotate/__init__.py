"""Annotate: sentences, entities, quantities, dates, quotes and sentence embeddings.

`annotate_articles` (in `annotator.py`) runs spaCy once per article (batched with ``nlp.pipe``),
shares the parse with every annotator, then embeds all sentences in one batched call. It is
loaded lazily so that importing a light submodule (sentences) does not load spaCy.
"""

from __future__ import annotations

from typing import Any

__all__ = ["annotate_articles"]


def __getattr__(name: str) -> Any:
    if name == "annotate_articles":
        from newsprism.annotate.annotator import annotate_articles

        return annotate_articles
    raise AttributeError(f"module 'newsprism.annotate' has no attribute {name!r}")

"""Entity ruler patterns for what the small spaCy model misses or mislabels.

Word lists live in `newsprism/data/gazetteer.json`; this module only turns them into an
EntityRuler placed before the statistical NER (so its spans win).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language


def gazetteer() -> dict[str, list[str]]:
    """Label -> names, from the packaged data file."""
    text = resources.files("newsprism.data").joinpath("gazetteer.json").read_text("utf-8")
    data: dict[str, list[str]] = json.loads(text)
    return data


def add_entity_ruler(nlp: Language) -> None:
    """Add the gazetteer as an EntityRuler that runs before the model's NER."""
    patterns: list[dict[str, Any]] = []
    for label, names in gazetteer().items():
        for name in names:
            patterns.append({"label": label, "pattern": name})
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]

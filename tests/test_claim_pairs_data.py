"""The hand-labelled claim pairs resolve against ../shared/data and keep their promises.

Reads the texts from ../shared/data (skips, saying why, when it is absent). Checks every
reference, the sha prefixes, the label/split balance and the span rules of the guideline in
``newsprism/evaluate/claim_pairs.py``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from newsprism.errors import ClaimPairsError
from newsprism.evaluate.claim_pairs import (
    LABELS,
    PAIRS_FILE,
    SPLITS,
    ClaimPair,
    load_claim_pairs,
)
from tests.conftest import data_path

MIN_PAIRS = 400
COPY_RUN = 5  # a note sharing this many consecutive words with its spans copies the text


@pytest.fixture(scope="module")
def data_root() -> Path:
    for part in ("multinews_dev", "ecbplus", "seeds"):
        data_path(part)
    return data_path()


@pytest.fixture(scope="module")
def pairs(data_root: Path) -> list[ClaimPair]:
    return load_claim_pairs(data_root)


def test_enough_pairs_with_unique_ids(pairs: list[ClaimPair]) -> None:
    assert len(pairs) >= MIN_PAIRS
    assert len({p.id for p in pairs}) == len(pairs)


def test_every_split_holds_every_label(pairs: list[ClaimPair]) -> None:
    counts = Counter((p.split, p.label) for p in pairs)
    for split in SPLITS:
        for label in LABELS:
            assert counts[(split, label)] >= 10, (split, label, counts)


def test_split_is_stratified_halves(pairs: list[ClaimPair]) -> None:
    counts = Counter((p.label, p.split) for p in pairs)
    for label in LABELS:
        assert abs(counts[(label, "dev")] - counts[(label, "heldout")]) <= 1, label


def test_split_filter_partitions_the_set(data_root: Path, pairs: list[ClaimPair]) -> None:
    dev = load_claim_pairs(data_root, "dev")
    heldout = load_claim_pairs(data_root, "heldout")
    assert {p.split for p in dev} == {"dev"} and {p.split for p in heldout} == {"heldout"}
    assert sorted(p.id for p in dev + heldout) == sorted(p.id for p in pairs)


def test_sides_come_from_different_documents(pairs: list[ClaimPair]) -> None:
    for pair in pairs:
        assert (pair.a.dataset, pair.a.doc) != (pair.b.dataset, pair.b.doc), pair.id
        assert pair.a.span.article_id != pair.b.span.article_id, pair.id


def test_no_duplicate_pairs(pairs: list[ClaimPair]) -> None:
    keys = [
        frozenset(
            {
                (p.a.dataset, p.a.doc, p.a.span.start, p.a.span.end),
                (p.b.dataset, p.b.doc, p.b.span.start, p.b.span.end),
            }
        )
        for p in pairs
    ]
    assert len(set(keys)) == len(keys)


def test_spans_are_whole_words_within_one_line(data_root: Path, pairs: list[ClaimPair]) -> None:
    from newsprism.evaluate.claim_pairs import DocumentSource

    source = DocumentSource(data_root)
    for pair in pairs:
        for claim in (pair.a, pair.b):
            text = source.text(claim.dataset, claim.doc)
            start, end = claim.span.start, claim.span.end
            assert claim.text.strip() == claim.text and claim.text, pair.id
            assert "\n" not in claim.text, f"{pair.id}: a claim spans a line break"
            assert not (start > 0 and text[start - 1].isalnum() and text[start].isalnum()), pair.id
            assert not (end < len(text) and text[end - 1].isalnum() and text[end].isalnum()), (
                pair.id
            )


def _runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + COPY_RUN]) for i in range(len(words) - COPY_RUN + 1)}


def test_notes_are_own_words(pairs: list[ClaimPair]) -> None:
    for pair in pairs:
        if pair.note:
            assert not _runs(pair.note) & (_runs(pair.a.text) | _runs(pair.b.text)), pair.id


def test_file_stores_references_not_texts() -> None:
    for line in PAIRS_FILE.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert set(record) <= {"id", "split", "label", "a", "b", "note"}
        for side in (record["a"], record["b"]):
            assert set(side) == {"dataset", "doc", "start", "end", "sha"}


def test_changed_text_is_refused_naming_the_pair(data_root: Path, tmp_path: Path) -> None:
    record = json.loads(PAIRS_FILE.read_text(encoding="utf-8").splitlines()[0])
    record["b"]["start"] += 1  # the cited text no longer matches the stored sha
    edited = tmp_path / "pairs.jsonl"
    edited.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(ClaimPairsError, match=rf"pair {record['id']} side b: .* sha"):
        load_claim_pairs(data_root, pairs_file=edited)


def test_unknown_document_is_refused_naming_it(data_root: Path, tmp_path: Path) -> None:
    record = json.loads(PAIRS_FILE.read_text(encoding="utf-8").splitlines()[0])
    record["a"] = {"dataset": "ecbplus", "doc": "no_such_doc", "start": 0, "end": 1, "sha": "0"}
    edited = tmp_path / "pairs.jsonl"
    edited.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(ClaimPairsError, match="'no_such_doc' not found"):
        load_claim_pairs(data_root, pairs_file=edited)


def test_missing_data_root_says_where_and_how_to_fix(tmp_path: Path) -> None:
    missing = tmp_path / "shared" / "data"
    with pytest.raises(ClaimPairsError, match=r"data root .*shared/data not found.*NEWSPRISM_DATA"):
        load_claim_pairs(missing)


def test_bad_split_name_is_refused(data_root: Path) -> None:
    with pytest.raises(ClaimPairsError, match="split 'test'"):
        load_claim_pairs(data_root, "test")

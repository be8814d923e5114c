"""The hand-labelled claim pairs (``newsprism/data/claim_pairs.jsonl``) and their reader.

What the file is
    585 pairs of claims, each from two DIFFERENT documents of ``../shared/data``: Multi-News
    clusters (different outlets on one event), ECB+ (same ``event_id`` = same event; same topic
    but other sub-topic = a similar but different event) and the three seed articles. The file
    stores only references: data set, document, character offsets and a 12-hex sha256 prefix of
    the cited text, never the text itself; `load_claim_pairs` reads the texts from the data root
    and refuses a pair whose text no longer matches its sha.

    One line per pair: ``{"id", "split", "label", "a": {"dataset", "doc", "start", "end", "sha"},
    "b": {...}, "note"?}``. ``doc`` is ``<cluster id>#<document index>`` for multinews_dev, the
    ``doc_id`` for ecbplus and the file name for seeds; offsets index the raw text exactly as
    `DocumentSource` reads it (see there). ``note`` is the annotator's reason in own words.

Splits: held out means held out
    The split was drawn once, before any judge was built on the set: stratified by label, pairs
    ordered by a seeded sha256 of their id and alternated (``tools/claim_pair_candidates.py``,
    ``SPLIT_SEED``). ``dev`` is for building and tuning a judge. ``heldout`` is scored ONLY at the
    end, once, to report the targets of issue 10; tuning on it, or re-drawing the split, makes
    the reported numbers worthless.

How the pairs were made
    ``tools/claim_pair_candidates.py`` proposed sentence pairs (content-word overlap bands,
    figure-bearing pairs, negation on one side only, the same counted thing with different
    figures, ECB+ cross-event look-alikes); every pair here was read and labelled by hand, and
    the span narrowed to the clause that carries the claim. About 1,000 candidate pairs were read;
    contradictions were also searched for directly (tolls, ages, calibres, denials) in the
    documents of one event. Most candidates were rejected (fragments, boilerplate, unclear).

Annotation guideline (the gold standard)
    A claim is a span of at most one sentence that asserts something: a whole simple sentence,
    a main clause, an apposition or non-restrictive relative clause (``X, who was found ...``),
    or the content of an attribution (``X said (that) P`` -> ``P``). Headlines count as claims.

    same
        Both state the same thing about the same event or fact: same polarity, same modality,
        figures and dates compatible. Paraphrase, reordered quotes and a different attribution
        wording of the same words by the same speaker are `same`. Not counted as added content:
        the day on which the outlet says something was being done, a trailing attribution to
        the outlet's source, and style (a man vs the same man with his age, where the age is
        not the point of the claim). Compatible figures are `same`:
        rounding (about N vs nearly N plus one per cent), the same amount in two currencies or
        units (metres vs feet, pounds vs dollars at the day's rate), an exact count vs "more
        than" a lower round number. A background fact restated in documents of two different events (a
        politician's term of office) is `same`: the fact, not the event, is what is claimed.
    partial
        The same core claim, but one side adds a figure, a name, a place, a date or an extra
        asserted clause the other lacks, or is strictly more specific  (a two-month window vs
        an exact date; at least N dead vs an exact count above N; a number of countries vs the
        countries named). When both sides add something different, still `partial`.
    related
        Same topic or entities, but a different statement: different people, moments, figures
        in different roles (one operation's haul vs the season total; halftime vs final score;
        an old record vs the new one), an opinion vs the fact it is about, a conditional vs the
        act. Hard negatives are deliberate: near-identical headlines about two different ECB+
        events (two software patches a year apart), no injuries reported in two different
        fires, one team firing two coaches, negation traps (not saying how many shots were
        fired vs none fired by the police), and sequences that only look contradictory
        (aspiring to a rank vs having just been given it; entering one clinic vs leaving it
        for another).
    contradicting
        About the same matter, and both cannot be true: opposite polarity or stance (a denial
        vs the assertion it denies; a team said to be ready to spend big vs its owner saying it
        will not compete),
        incompatible figures or dates for the same counted thing at face value (tolls 30 vs at
        least 43, 12 vs 14 points for one player, a .38 vs a .357 revolver, arrested Tuesday vs
        Wednesday, 304 vs 306 electoral votes), or the same words given to different speakers.
        A reported toll that was later revised is still `contradicting` when both figures are
        stated without hedges that reconcile them: the brief must flag it. Hedged figures that
        overlap ("at least 50" / "80") are not contradictions; "about 100,000" vs "120,000" is
        (beyond the 10 % band of ``newsprism.data.hedges``).

    Decisions on edge cases: spelling variants of one name (Raite/Rait) are the same person;
    sentence-splitter fragments of ECB+ (a magnitude cut at its decimal point) were either
    re-spanned from the full text or dropped; direct quotes cut to the sentence that both outlets share; pairs
    whose reading depended on context outside the span (Samsung's two voice modes; a 2.5- vs
    3-year-old child) were left out rather than guessed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, cast, get_args

from newsprism.errors import ClaimPairsError
from newsprism.model import Span

Label = Literal["same", "partial", "related", "contradicting"]
Split = Literal["dev", "heldout"]
Dataset = Literal["multinews_dev", "ecbplus", "seeds"]

LABELS: tuple[Label, ...] = get_args(Label)
SPLITS: tuple[Split, ...] = get_args(Split)
DATASETS: tuple[Dataset, ...] = get_args(Dataset)

PAIRS_FILE = Path(__file__).resolve().parent.parent / "data" / "claim_pairs.jsonl"
SHA_LENGTH = 12  # hex digits of sha256 stored per span: enough to notice a changed data set


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """One side of a pair: where it comes from, its offsets and its text as read today.

    `doc` is the reference as stored (``<cluster id>#<index>``, an ECB+ doc_id or a seed file
    name); ``span.article_id`` is ``<dataset>:<doc>`` so spans of different documents differ.
    """

    dataset: Dataset
    doc: str
    span: Span
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimPair:
    """A labelled pair of claims from two different documents."""

    id: str
    split: Split
    label: Label
    a: Claim
    b: Claim
    note: str = ""


def default_data_root() -> Path:
    """``$NEWSPRISM_DATA`` when set, else ``../shared/data`` relative to the current directory."""
    return Path(os.environ.get("NEWSPRISM_DATA", "../shared/data"))


def span_sha(text: str) -> str:
    """The stored fingerprint of a span's text: the first hex digits of its sha256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:SHA_LENGTH]


def load_claim_pairs(
    data_root: Path | None = None, split: str | None = None, pairs_file: Path = PAIRS_FILE
) -> list[ClaimPair]:
    """The labelled pairs of *split* ("dev", "heldout" or None for both), texts resolved.

    Raises ClaimPairsError when the data root is absent, a reference does not resolve, or a
    span's text no longer matches its stored sha prefix (the data set changed).
    """
    root = default_data_root() if data_root is None else data_root
    if split is not None and split not in SPLITS:
        raise ClaimPairsError(
            f"split {split!r} is not one of {', '.join(SPLITS)} (or None for both)"
        )
    documents = DocumentSource(root)
    pairs: list[ClaimPair] = []
    for line_number, record in _records(pairs_file):
        if split is None or record.get("split") == split:
            pairs.append(_pair(record, documents, f"{pairs_file.name}:{line_number}"))
    return pairs


def _records(pairs_file: Path) -> Iterable[tuple[int, dict[str, object]]]:
    try:
        lines = pairs_file.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ClaimPairsError(f"cannot read {pairs_file}: {error}; reinstall newsprism") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ClaimPairsError(f"{pairs_file}:{number}: not JSON ({error})") from error
        if not isinstance(record, dict):
            raise ClaimPairsError(f"{pairs_file}:{number}: expected an object per line")
        yield number, record


def _pair(record: Mapping[str, object], documents: DocumentSource, where: str) -> ClaimPair:
    pair_id = str(record.get("id", where))
    label, split = record.get("label"), record.get("split")
    if label not in LABELS:
        raise ClaimPairsError(f"pair {pair_id}: label {label!r} is not one of {', '.join(LABELS)}")
    if split not in SPLITS:
        raise ClaimPairsError(f"pair {pair_id}: split {split!r} is not one of {', '.join(SPLITS)}")
    return ClaimPair(
        id=pair_id,
        split=split,
        label=label,
        a=_claim(record.get("a"), documents, f"pair {pair_id} side a"),
        b=_claim(record.get("b"), documents, f"pair {pair_id} side b"),
        note=str(record.get("note", "")),
    )


def _claim(side: object, documents: DocumentSource, where: str) -> Claim:
    if not isinstance(side, dict):
        raise ClaimPairsError(f"{where}: expected an object with dataset, doc, start, end, sha")
    dataset, doc = side.get("dataset"), side.get("doc")
    start, end, sha = side.get("start"), side.get("end"), side.get("sha")
    if dataset not in DATASETS or not isinstance(doc, str):
        raise ClaimPairsError(f"{where}: dataset {dataset!r} / doc {doc!r} not understood")
    if not isinstance(start, int) or not isinstance(end, int) or not isinstance(sha, str):
        raise ClaimPairsError(f"{where}: start, end (integers) and sha (string) are required")
    text = documents.text(cast(Dataset, dataset), doc)
    if not 0 <= start < end <= len(text):
        raise ClaimPairsError(
            f"{where}: offsets {start}-{end} fall outside {dataset} {doc} ({len(text)} characters)"
        )
    cited = text[start:end]
    if span_sha(cited) != sha:
        raise ClaimPairsError(
            f"{where}: the text at {dataset} {doc} [{start}:{end}] no longer matches its sha "
            f"{sha}; the data set under {documents.root} changed: use the release this file "
            "was labelled on (see the SOURCE.txt files) or relabel the pair"
        )
    span = Span(article_id=f"{dataset}:{doc}", start=start, end=end)
    return Claim(dataset=cast(Dataset, dataset), doc=doc, span=span, text=cited)


class DocumentSource:
    """The raw document texts that pair offsets index, read once per data root.

    - multinews_dev: ``record["documents"][i]`` of the line of ``multinews_dev/clusters.jsonl``
      whose ``id`` is the cluster id; the reference is ``<cluster id>#<i>``.
    - ecbplus: ``record["text"]`` of the line of ``ecbplus/docs.jsonl`` with that ``doc_id``.
    - seeds: the whole file ``seeds/<name>`` read as UTF-8 (no newline translation).
    """

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise ClaimPairsError(
                f"data root {root} not found (resolved from {Path.cwd()}): the claim pairs "
                "read their texts from ../shared/data; run from the repository root beside "
                "../shared, or set NEWSPRISM_DATA to the data folder"
            )
        self.root = root

    def text(self, dataset: Dataset, doc: str) -> str:
        """The raw text of one document, or ClaimPairsError naming the missing reference."""
        if dataset == "multinews_dev":
            cluster, _, index = doc.rpartition("#")
            documents = _multinews(self.root).get(cluster)
            if documents is None or not index.isdigit() or int(index) >= len(documents):
                raise self._missing(dataset, doc, "multinews_dev/clusters.jsonl")
            return documents[int(index)]
        if dataset == "ecbplus":
            found = _ecbplus(self.root).get(doc)
            if found is None:
                raise self._missing(dataset, doc, "ecbplus/docs.jsonl")
            return found
        return _seed(self.root, doc)

    def _missing(self, dataset: str, doc: str, file: str) -> ClaimPairsError:
        return ClaimPairsError(
            f"{dataset} document {doc!r} not found in {self.root / file}: the data set is not "
            "the release these pairs were labelled on"
        )


@cache
def _multinews(root: Path) -> dict[str, list[str]]:
    records = _jsonl(root / "multinews_dev/clusters.jsonl")
    return {str(r["id"]): [str(d) for d in cast(list[object], r["documents"])] for r in records}


@cache
def _ecbplus(root: Path) -> dict[str, str]:
    return {str(r["doc_id"]): str(r["text"]) for r in _jsonl(root / "ecbplus/docs.jsonl")}


def _seed(root: Path, name: str) -> str:
    path = root / "seeds" / name
    if "/" in name or "\\" in name or not path.is_file():
        raise ClaimPairsError(f"seed file {name!r} not found in {root / 'seeds'}")
    return path.read_bytes().decode("utf-8")


def _jsonl(path: Path) -> list[dict[str, object]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise ClaimPairsError(f"cannot read {path}: {error}; is the data root complete?") from error
    return [json.loads(line) for line in lines if line.strip()]

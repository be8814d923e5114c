"""Propose claim-pair candidates for hand labelling, show them, and build claim_pairs.jsonl.

The labels are a person's: this script only finds sentence pairs worth reading and turns the
annotator's decisions into references (data set, document, offsets, sha prefix), so no text of
../shared/data enters the project. Run from the repository root::

    python tools/claim_pair_candidates.py propose --out /tmp/cands.jsonl
    python tools/claim_pair_candidates.py show /tmp/cands.jsonl --kind fig --start 0 --count 50
    python tools/claim_pair_candidates.py sents ecbplus 1_10ecb --grep 'Promises'
    python tools/claim_pair_candidates.py build /tmp/cands.jsonl decisions.txt

Candidate kinds, each from two different documents of one group (a Multi-News cluster, an ECB+
event, the seeds): ``high`` / ``mid`` / ``low`` content-word overlap bands, ``fig`` (both carry
figures, share context words, the figures differ), ``neg`` (a negation or refusal cue on one side
only), and ``xev`` (ECB+ documents of the same topic but a different event: lexical hard
negatives).

A decisions file (kept outside the project: it quotes the documents) has one line per pair::

    c0123 same
    c0123 partial | a: first words||last words | b: an exact substring | n: reason in own words
    c0123.a+c0456.b contradicting | n: ...
    ecbplus@1_10ecb+ecbplus@1_11ecb related | a: ... | b: ...

``a:`` / ``b:`` narrow a side to a substring of its sentence (``from||to`` spans from the first
words to the last words); a ``dataset@doc`` side has no sentence, so its substring is searched in
the whole document and must occur once. Lines starting with ``#`` are skipped.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsprism.annotate.sentences import split_sentences
from newsprism.data.clustering import ENGLISH_STOP_WORDS
from newsprism.evaluate.claim_pairs import (
    LABELS,
    PAIRS_FILE,
    Dataset,
    DocumentSource,
    default_data_root,
    span_sha,
)
from newsprism.model import Article

SPLIT_SEED = "claim-pairs-2026-12-01"  # fixed: the held-out half must never be re-drawn
JUNK_PREFIX = "Starting in 1996, Alexa Internet"  # Multi-News Wayback stub, not an article
NEGATION = re.compile(
    r"\b(not|n't|no|never|nobody|none|denied|denies|deny|refused|refuses|declined|declines|"
    r"rejected|rejects|without|neither|nor)\b|n't\b",
    re.IGNORECASE,
)
WORD = re.compile(r"[a-z]+|\d[\d,.]*\d|\d")
MIN_WORDS, MAX_WORDS = 6, 70  # shorter are headlines/datelines; longer are run-on debris
CAPS = {"high": 2, "mid": 2, "low": 1, "fig": 3, "neg": 2}  # per document pair
BANDS = (("high", 0.5), ("mid", 0.3), ("low", 0.2))
UNIT = re.compile(
    r"(\d[\d,.]*)\s*(?:-\s*)?(?:[a-z]+\s+){0,2}?"
    r"(killed|dead|died|deaths|injured|wounded|hurt|people|persons|year|years|magnitude|percent|"
    r"per cent|points|yards|million|billion|miles|km|kilometers|metres|meters|feet|ft|minutes|"
    r"hours|days|weeks|months|seats|votes|troops|soldiers|arrested|detained|homes|houses|"
    r"children|victims|rounds|games|shots|times)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Sent:
    """A sentence of a document: its reference, offsets and content words."""

    dataset: Dataset
    doc: str
    start: int
    end: int
    text: str
    words: frozenset[str]


def content_words(text: str) -> frozenset[str]:
    """Lower-cased words that are not stop words, and figures (commas dropped)."""
    words = (w.replace(",", "") for w in WORD.findall(text.lower()))
    return frozenset(
        w for w in words if w[0].isdigit() or (len(w) > 2 and w not in ENGLISH_STOP_WORDS)
    )


def _sentences(dataset: Dataset, doc: str, text: str) -> list[Sent]:
    article = Article(id=doc, source=doc, outlet=doc, title="", text=text)
    out = []
    for sentence in split_sentences(article):
        if MIN_WORDS <= len(sentence.text.split()) <= MAX_WORDS:
            words = content_words(sentence.text)
            out.append(
                Sent(dataset, doc, sentence.span.start, sentence.span.end, sentence.text, words)
            )
    return out


def groups(root: Path) -> Iterator[tuple[str, list[tuple[Dataset, str]]]]:
    """(group name, documents) for every group whose documents report one event."""
    for line in (root / "multinews_dev/clusters.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        docs = [
            ("multinews_dev", f"{record['id']}#{i}")
            for i, text in enumerate(record["documents"])
            if text.strip() and not text.lstrip().startswith(JUNK_PREFIX)
        ]
        if len(docs) > 1:
            yield f"mn:{record['id'][:8]}", docs  # type: ignore[misc]
    by_event: dict[str, list[tuple[Dataset, str]]] = defaultdict(list)
    for line in (root / "ecbplus/docs.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        by_event[str(record["event_id"])].append(("ecbplus", str(record["doc_id"])))
    yield from ((f"ecb:{event}", docs) for event, docs in sorted(by_event.items()))
    seeds = sorted(p.name for p in (root / "seeds").glob("*.txt"))
    yield "seeds", [("seeds", name) for name in seeds]


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine of two word sets."""
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def _figures(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in words if w[0].isdigit())


def classify(a: Sent, b: Sent) -> str | None:
    """The candidate kind of a sentence pair, or None when not worth reading."""
    sim = similarity(a.words, b.words)
    fa, fb = _figures(a.words), _figures(b.words)
    shared_context = len((a.words - fa) & (b.words - fb))
    if fa and fb and fa != fb and shared_context >= 3 and sim >= 0.25:
        return "fig"
    if bool(NEGATION.search(a.text)) != bool(NEGATION.search(b.text)) and sim >= 0.3:
        return "neg"
    return next((band for band, floor in BANDS if sim >= floor), None)


def unit_figures(text: str) -> dict[str, set[str]]:
    """Figures by the counted thing that follows them ("10 killed", "5.6 magnitude")."""
    found: dict[str, set[str]] = defaultdict(set)
    for match in UNIT.finditer(text):
        found[match.group(2).lower()].add(match.group(1).replace(",", "").rstrip("."))
    return found


def unit_conflict(a: Sent, b: Sent) -> bool:
    """Both count the same thing with different figures and share context words."""
    ua, ub = unit_figures(a.text), unit_figures(b.text)
    differing = any(ua[u] != ub[u] for u in ua.keys() & ub.keys())
    shared = len((a.words - _figures(a.words)) & (b.words - _figures(b.words)))
    return differing and shared >= 3


def unit_candidates(
    sa: list[Sent], sb: list[Sent], cap: int
) -> list[tuple[str, float, Sent, Sent]]:
    """Sentence pairs of two documents counting the same thing differently, best first."""
    found = [
        (similarity(a.words, b.words), a, b)
        for a, b in itertools.product(sa, sb)
        if unit_conflict(a, b)
    ]
    found.sort(key=lambda item: -item[0])
    return [("unit", sim, a, b) for sim, a, b in found[:cap]]


def doc_pair_candidates(sa: list[Sent], sb: list[Sent]) -> list[tuple[str, float, Sent, Sent]]:
    """The best few candidates of each kind between two documents."""
    found: dict[str, list[tuple[float, Sent, Sent]]] = defaultdict(list)
    for a, b in itertools.product(sa, sb):
        kind = classify(a, b)
        if kind is not None:
            found[kind].append((similarity(a.words, b.words), a, b))
    out: list[tuple[str, float, Sent, Sent]] = []
    for kind, items in found.items():
        items.sort(key=lambda item: -item[0])
        used: set[tuple[str, int]] = set()
        for sim, a, b in items:
            if len([o for o in out if o[0] == kind]) >= CAPS[kind]:
                break
            if (a.doc, a.start) in used or (b.doc, b.start) in used:
                continue  # one sentence per candidate set keeps the reading varied
            used |= {(a.doc, a.start), (b.doc, b.start)}
            out.append((kind, sim, a, b))
    return out


def propose(
    root: Path, out: Path, max_doc_pairs: int, only_unit: bool = False, prefix: str = "c"
) -> None:
    """Write candidates of all groups, then the ECB+ cross-event ones, to *out*.

    With *only_unit*, only the ``unit`` kind (same counted thing, different figure) over every
    document pair of a group: the search for contradictions, written with ids ``<prefix>NNNN``.
    """
    source = DocumentSource(root)
    rng = random.Random(SPLIT_SEED)
    cache: dict[tuple[Dataset, str], list[Sent]] = {}

    def sents(ref: tuple[Dataset, str]) -> list[Sent]:
        if ref not in cache:
            cache[ref] = _sentences(ref[0], ref[1], source.text(*ref))
        return cache[ref]

    rows: list[dict[str, object]] = []
    for name, docs in groups(root):
        doc_pairs = list(itertools.combinations(docs, 2))
        rng.shuffle(doc_pairs)
        for da, db in doc_pairs if only_unit else doc_pairs[:max_doc_pairs]:
            found = (
                unit_candidates(sents(da), sents(db), 2)
                if only_unit
                else doc_pair_candidates(sents(da), sents(db))
            )
            rows.extend(_row(name, kind, sim, a, b) for kind, sim, a, b in found)
    if not only_unit:
        rows.extend(_cross_event(root, sents, rng))
    with out.open("w", encoding="utf-8") as handle:
        for number, row in enumerate(rows):
            handle.write(json.dumps({"cid": f"{prefix}{number:04d}", **row}) + "\n")
    print(f"{len(rows)} candidates -> {out}", Counter(str(r["kind"]) for r in rows))


def _cross_event(
    root: Path, sents: Callable[[tuple[Dataset, str]], list[Sent]], rng: random.Random
) -> list[dict[str, object]]:
    # Same topic, other sub-topic: a different event of the same type (two earthquakes).
    by_topic: dict[tuple[int, str], list[str]] = defaultdict(list)
    for line in (root / "ecbplus/docs.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        by_topic[(int(record["topic"]), str(record["subtopic"]))].append(str(record["doc_id"]))
    rows: list[dict[str, object]] = []
    for topic in sorted({t for t, _ in by_topic}):
        pairs = list(itertools.product(by_topic[(topic, "ecb")], by_topic[(topic, "ecbplus")]))
        rng.shuffle(pairs)
        scored = []
        for da, db in pairs[:12]:
            for a, b in itertools.product(sents(("ecbplus", da)), sents(("ecbplus", db))):
                sim = similarity(a.words, b.words)
                if sim >= 0.3:
                    scored.append((sim, a, b))
        scored.sort(key=lambda item: -item[0])
        rows.extend(_row(f"ecbx:{topic}", "xev", sim, a, b) for sim, a, b in scored[:4])
    return rows


def _reference(sent: Sent) -> dict[str, object]:
    return {"dataset": sent.dataset, "doc": sent.doc, "start": sent.start, "end": sent.end}


def _row(group: str, kind: str, sim: float, a: Sent, b: Sent) -> dict[str, object]:
    return {
        "group": group,
        "kind": kind,
        "sim": round(sim, 2),
        "a": _reference(a),
        "b": _reference(b),
    }


def show(
    root: Path, cands: Path, kind: str | None, group: str | None, start: int, count: int
) -> None:
    """Print candidates for reading."""
    source = DocumentSource(root)
    rows = [
        json.loads(line)
        for path in str(cands).split(",")
        for line in Path(path).read_text(encoding="utf-8").splitlines()
    ]
    rows = [
        r
        for r in rows
        if (kind is None or r["kind"] == kind) and (group is None or r["group"].startswith(group))
    ]
    for row in rows[start : start + count]:
        print(
            f"{row['cid']} [{row['kind']} {row['sim']}] {row['group']} {row['a']['doc']} | {row['b']['doc']}"
        )
        for tag in ("a", "b"):
            side = row[tag]
            text = source.text(side["dataset"], side["doc"])[side["start"] : side["end"]]
            print(f"  {tag.upper()}: {' '.join(text.split())}")


def show_sentences(root: Path, dataset: Dataset, doc: str, grep: str | None) -> None:
    """Print the sentences of one document (optionally only those matching a regex)."""
    text = DocumentSource(root).text(dataset, doc)
    article = Article(id=doc, source=doc, outlet=doc, title="", text=text)
    for sentence in split_sentences(article):
        if grep is None or re.search(grep, sentence.text, re.IGNORECASE):
            print(f"  [{sentence.span.start}] {' '.join(sentence.text.split())}")


# --------------------------------------------------------------------------- build


def _locate(text: str, lo: int, hi: int, needle: str, where: str) -> tuple[int, int]:
    """Offsets of *needle* (``exact`` or ``from||to``) inside ``text[lo:hi]``, found once."""
    window = text[lo:hi]
    if "||" in needle:
        first, last = (part.strip() for part in needle.split("||"))
        begin = _unique(window, first, where)
        stop = window.find(last, begin + len(first))
        if stop < 0:
            sys.exit(f"{where}: {last!r} not found after {first!r}")
        return lo + begin, lo + stop + len(last)
    begin = _unique(window, needle.strip(), where)
    return lo + begin, lo + begin + len(needle.strip())


def _unique(window: str, needle: str, where: str) -> int:
    flat = window
    if flat.count(needle) != 1:
        sys.exit(f"{where}: {needle!r} occurs {flat.count(needle)} times (must be once)")
    return flat.find(needle)


def _inside_word(text: str, start: int, end: int) -> bool:
    starts_inside = start > 0 and text[start - 1].isalnum() and text[start].isalnum()
    ends_inside = end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
    return starts_inside or ends_inside


def _side(
    ref: str,
    cands: dict[str, dict[str, object]],
    narrow: str | None,
    source: DocumentSource,
    where: str,
) -> dict[str, object]:
    if "@" in ref:
        dataset, doc = ref.split("@", 1)
        text = source.text(dataset, doc)  # type: ignore[arg-type]
        lo, hi = 0, len(text)
        if narrow is None:
            sys.exit(f"{where}: a document side needs a substring")
    else:
        cid, tag = ref.split(".")
        side = cands[cid][tag]
        assert isinstance(side, dict)
        dataset, doc = side["dataset"], side["doc"]
        text = source.text(dataset, doc)
        lo, hi = int(side["start"]), int(side["end"])
    start, end = _locate(text, lo, hi, narrow, where) if narrow else (lo, hi)
    while text[end - 1] in " ,;:":
        end -= 1  # a trailing comma or colon belongs to the sentence, not the claim
    if _inside_word(text, start, end):
        sys.exit(f"{where}: span {text[start:end]!r} starts or ends inside a word")
    return {
        "dataset": dataset,
        "doc": doc,
        "start": start,
        "end": end,
        "sha": span_sha(text[start:end]),
    }


def _parse(line: str) -> tuple[str, str, str, dict[str, str]]:
    head, *fields = (part.strip() for part in line.split(" | "))
    refs, label = head.split()
    extra = {}
    for field in fields:
        key, _, value = field.partition(":")
        extra[key.strip()] = value.strip()
    if "+" in refs:
        left, right = refs.split("+")
    else:
        left, right = f"{refs}.a", f"{refs}.b"
    return left, right, label, extra


def build(root: Path, cands_file: Path, decisions: Sequence[Path], out: Path) -> None:
    """Resolve every decision into a pair record, assign splits, write *out*."""
    source = DocumentSource(root)
    cands = {
        r["cid"]: r
        for path in str(cands_file).split(",")
        for r in map(json.loads, Path(path).read_text(encoding="utf-8").splitlines())
    }
    records: list[dict[str, object]] = []
    seen: set[tuple[tuple[object, ...], ...]] = set()
    for path in decisions:
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
            if not line:
                continue
            where = f"{path.name}:{number}"
            left, right, label, extra = _parse(line)
            if label not in LABELS:
                sys.exit(f"{where}: label {label!r} not one of {LABELS}")
            a = _side(left, cands, extra.get("a"), source, where)
            b = _side(right, cands, extra.get("b"), source, where)
            if (a["dataset"], a["doc"]) == (b["dataset"], b["doc"]):
                sys.exit(f"{where}: both sides come from one document")
            key = tuple(sorted((tuple(a.values()), tuple(b.values()))))
            if key in seen:
                print(f"{where}: duplicate pair skipped", file=sys.stderr)
                continue
            seen.add(key)
            record: dict[str, object] = {
                "id": f"p{len(records) + 1:04d}",
                "split": "",
                "label": label,
                "a": a,
                "b": b,
            }
            if extra.get("n"):
                record["note"] = extra["n"]
            records.append(record)
    _assign_splits(records)
    with out.open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    print(f"{len(records)} pairs -> {out}", Counter((r["label"], r["split"]) for r in records))


def _assign_splits(records: list[dict[str, object]]) -> None:
    # Stratified by label: within a label, order by a seeded hash and alternate the halves.
    by_label: dict[object, list[dict[str, object]]] = defaultdict(list)
    for record in records:
        by_label[record["label"]].append(record)
    for items in by_label.values():
        items.sort(key=lambda r: hashlib.sha256(f"{SPLIT_SEED}:{r['id']}".encode()).hexdigest())
        for position, record in enumerate(items):
            record["split"] = "heldout" if position % 2 == 0 else "dev"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=default_data_root())
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("propose")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--max-doc-pairs", type=int, default=4)
    p.add_argument("--only-unit", action="store_true")
    p.add_argument("--prefix", default="c")
    s = sub.add_parser("show")
    s.add_argument("cands", type=Path)
    s.add_argument("--kind")
    s.add_argument("--group")
    s.add_argument("--start", type=int, default=0)
    s.add_argument("--count", type=int, default=40)
    t = sub.add_parser("sents")
    t.add_argument("dataset")
    t.add_argument("doc")
    t.add_argument("--grep")
    b = sub.add_parser("build")
    b.add_argument("cands", type=Path)
    b.add_argument("decisions", type=Path, nargs="+")
    b.add_argument("--out", type=Path, default=PAIRS_FILE)
    args = parser.parse_args(argv)
    if args.command == "propose":
        propose(args.data, args.out, args.max_doc_pairs, args.only_unit, args.prefix)
    elif args.command == "show":
        show(args.data, args.cands, args.kind, args.group, args.start, args.count)
    elif args.command == "sents":
        show_sentences(args.data, args.dataset, args.doc, args.grep)
    else:
        build(args.data, args.cands, args.decisions, args.out)


if __name__ == "__main__":
    main()

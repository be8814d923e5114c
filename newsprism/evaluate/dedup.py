"""`newsprism eval dedup`: duplicate detection on reprints built from real articles.

From real articles (multinews documents, ECB+ documents) a seeded RNG builds reprints the way
outlets make them: boilerplate added, the end trimmed, paragraphs re-ordered, a few words
changed, or several of these at once. All originals and reprints go through
`find_duplicates` together. A flagged pair is right when both come from one original.
Prints pair recall (reprint pairs found), pair precision (flagged pairs that are right) and
how many distinct same-event ECB+ reports were flagged (should be 0).
"""

from __future__ import annotations

import difflib
import json
import random
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import click

from newsprism.dedup import find_duplicates
from newsprism.dedup.minhash import words_of
from newsprism.model import Article

DEFAULT_DATA = Path("../shared/data")
MIN_WORDS = 60  # originals shorter than this are not reprinted (too little to edit)
# Two originals are copies already in the data when common runs of >= COPY_RUN words cover
# >= COPY_COVERAGE of the shorter one (a trimmed agency copy is covered all through).
COPY_RUN = 8
COPY_COVERAGE = 0.8
# ... where a run may bridge up to this many substituted words (a changed word).
COPY_SUBSTITUTION = 2

# Boilerplate written for this benchmark (not taken from any data set).
_BOILERPLATE = (
    "Sign up for our daily newsletter to get the top stories in your inbox.",
    "Copyright 2024 Example Media Group. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
    "Follow us on social media for the latest updates. Share this article with your friends.",
    "Advertisement. Continue reading the main story below.",
    "This story has been updated with additional reporting from our correspondents.",
)
_REPLACEMENTS = ("said", "reported", "officials", "Tuesday", "several", "major", "new", "city")


def _paragraphs(text: str) -> list[str]:
    parts = [p for p in text.split("\n\n") if p.strip()]
    return parts if len(parts) > 1 else [p for p in text.split("\n") if p.strip()]


def make_reprint(text: str, rng: random.Random) -> tuple[str, str]:
    """A reprint of *text* and the edits made ("+" joined)."""
    edits = rng.sample(["boilerplate", "trim", "reorder", "words"], k=rng.choice((1, 1, 2, 3)))
    paragraphs = _paragraphs(text)
    if "reorder" in edits and len(paragraphs) > 2:
        rng.shuffle(paragraphs)
    if "trim" in edits and len(paragraphs) > 1:
        # Keep the leading paragraphs that make up 60-90 % of the words (at least one).
        target = len(" ".join(paragraphs).split()) * rng.uniform(0.6, 0.9)
        kept, kept_words = [paragraphs[0]], len(paragraphs[0].split())
        for paragraph in paragraphs[1:]:
            if kept_words >= target:
                break
            kept.append(paragraph)
            kept_words += len(paragraph.split())
        paragraphs = kept
    body = "\n\n".join(paragraphs)
    if "words" in edits:
        words = body.split(" ")
        # A changed word is a word: never a token holding a paragraph break.
        changeable = [i for i, w in enumerate(words) if "\n" not in w] or [0]
        for _ in range(rng.randint(2, 5)):
            words[rng.choice(changeable)] = rng.choice(_REPLACEMENTS)
        body = " ".join(words)
    if "boilerplate" in edits:
        head = rng.sample(_BOILERPLATE, k=rng.randint(1, 2))
        tail = rng.sample(_BOILERPLATE, k=rng.randint(1, 2))
        body = "\n\n".join([*head, body, *tail])
    return body, "+".join(sorted(edits))


def load_originals(root: Path) -> list[tuple[str, str, str | None]]:
    """(id, text, ECB+ event or None) for the real articles used as originals."""
    originals: list[tuple[str, str, str | None]] = []
    multinews = root / "multinews_dev" / "clusters.jsonl"
    if multinews.exists():
        for line in multinews.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            for number, document in enumerate(record["documents"]):
                originals.append((f"mn-{record['id'][:8]}-{number}", document.strip(), None))
    ecbplus = root / "ecbplus" / "docs.jsonl"
    if ecbplus.exists():
        for line in ecbplus.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            text = "\n".join(record["sentences"])
            originals.append((f"ecb-{record['doc_id']}", text, str(record["event_id"])))
    return [o for o in originals if o[1]]


def build_benchmark(
    root: Path, *, reprints: int = 400, seed: int = 7
) -> tuple[list[Article], dict[str, str], dict[str, str]]:
    """Articles (originals + reprints), each id's original id, and each ECB+ id's event."""
    rng = random.Random(seed)
    originals = load_originals(root)
    articles = [Article(id=i, source=i, outlet="", title="", text=t) for i, t, _ in originals]
    base = {i: i for i, _, _ in originals}
    events = {i: e for i, _, e in originals if e is not None}
    long_enough = [o for o in originals if len(o[1].split()) >= MIN_WORDS]
    for number, (original_id, text, _) in enumerate(
        rng.sample(long_enough, k=min(reprints, len(long_enough)))
    ):
        reprint, edits = make_reprint(text, rng)
        reprint_id = f"reprint-{number}-{edits}"
        articles.append(
            Article(id=reprint_id, source=reprint_id, outlet="", title="", text=reprint)
        )
        base[reprint_id] = original_id
    return articles, base, events


@click.command(name="dedup")
@click.option(
    "--data",
    "root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=DEFAULT_DATA,
    show_default=True,
    help="The shared data folder (multinews_dev/ and ecbplus/ are used).",
)
@click.option("--reprints", type=click.IntRange(min=1), default=400, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
def command(root: Path, reprints: int, seed: int) -> None:
    """Score duplicate detection: pair recall/precision, flagged same-event ECB+ pairs."""
    articles, base, events = build_benchmark(root, reprints=reprints, seed=seed)
    start = time.perf_counter()
    groups = find_duplicates(articles)
    elapsed = time.perf_counter() - start
    flagged = {tuple(sorted(pair)) for g in groups for pair in combinations(g.article_ids, 2)}
    texts = {a.id: a.text for a in articles}
    judge = CopyJudge({i: t for i, t in texts.items() if base[i] == i})
    truth = {(o, r) if o < r else (r, o) for r, o in base.items() if r != o}
    reprint_scores = sorted(
        run_coverage(texts[r], texts[base[r]])
        for r in base
        if "boilerplate" not in r and r != base[r]
    )
    recall = len(truth & flagged) / len(truth) if truth else 1.0
    right = {p for p in flagged if base[p[0]] == base[p[1]] or judge(*_bases(p, base))}
    wrong = flagged - right
    same_event = [p for p in wrong if p[0] in events and events[p[0]] == events.get(p[1])]
    click.echo(
        f"dedup ({len(articles)} articles, {len(truth)} reprint pairs, seed {seed}): "
        f"pair recall {recall:.4f} precision {len(right) / len(flagged) if flagged else 1.0:.4f} "
        f"| flagged pairs {len(flagged)}, wrong {len(wrong)}, distinct same-event ECB+ pairs "
        f"flagged {len(same_event)} | {len(articles) / elapsed:.0f} articles/s"
    )
    click.echo(
        f"  originals count as copies already in the data when the judge (paragraph-wise "
        f"difflib, runs of >= {COPY_RUN} words bridging <= {COPY_SUBSTITUTION} changed words) "
        f"covers >= {COPY_COVERAGE:.0%} of the shorter; {len(right - {p for p in flagged if base[p[0]] == base[p[1]]})} "
        f"flagged pairs are such copies. The judge scores the built reprints (boilerplate "
        f"aside) >= {reprint_scores[0] if reprint_scores else 1.0:.2f}"
        + (
            f", 1st percentile {reprint_scores[len(reprint_scores) // 100]:.2f}"
            if reprint_scores
            else ""
        )
    )
    for a, b in sorted(wrong)[:20]:
        click.echo(f"    wrong: {a} ~ {b} (judge {judge.coverage(*_bases((a, b), base)):.2f})")
    by_edit: dict[str, list[bool]] = defaultdict(list)
    for pair in truth:
        reprint = next(i for i in pair if i.startswith("reprint-"))
        by_edit[reprint.split("-", 2)[2]].append(pair in flagged)
    for edit, found in sorted(by_edit.items()):
        click.echo(f"  {edit:32s} {sum(found)}/{len(found)}")


def _bases(pair: tuple[str, ...], base: dict[str, str]) -> tuple[str, str]:
    return base[pair[0]], base[pair[1]]


class CopyJudge:
    """Are two originals already copies of each other? Judged apart from our own detector.

    ECB+ and multinews hold agency copies (one story printed by several sites), so a pair of
    originals can rightly be flagged. The judge aligns words with difflib (no shingles, no
    thresholds of ours): each paragraph of the shorter text against the whole longer text, so
    re-ordered paragraphs still align, and counts the words in common runs of at least
    `COPY_RUN` words. Its score is the share of the shorter text so covered.
    """

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        self.cache: dict[tuple[str, str], float] = {}

    def coverage(self, a: str, b: str) -> float:
        """Share of the shorter text's words in common runs of >= COPY_RUN words."""
        key = (min(a, b), max(a, b))
        if key not in self.cache:
            self.cache[key] = run_coverage(self.texts[a], self.texts[b])
        return self.cache[key]

    def __call__(self, a: str, b: str) -> bool:
        """True when *a* and *b* are copies of each other."""
        return self.coverage(a, b) >= COPY_COVERAGE


def run_coverage(a: str, b: str) -> float:
    """Share of the shorter of *a* and *b* aligned with the longer in runs of >= COPY_RUN words.

    Each paragraph of the shorter text is aligned (difflib) with the whole longer text, so
    re-ordered paragraphs still align. Two aligned blocks with at most COPY_SUBSTITUTION words
    between them on both sides are one run: a changed word is an edit of the same sentence.
    """
    if len(words_of(a)) > len(words_of(b)):
        a, b = b, a
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(words_of(b))
    covered = total = 0
    for paragraph in _paragraphs(a):
        words = words_of(paragraph)
        matcher.set_seq1(words)
        run = min(COPY_RUN, len(words))  # a paragraph shorter than a run counts when whole
        covered += sum(size for size in _edit_runs(matcher.get_matching_blocks()) if size >= run)
        total += len(words)
    return covered / total if total else 0.0


def _edit_runs(blocks: list[difflib.Match]) -> list[int]:
    """Lengths (in words of the first text) of aligned runs, bridging small substitutions."""
    runs: list[int] = []
    end_a = end_b = -(10**9)
    for a, b, size in blocks:
        if size == 0:
            continue
        gap_a, gap_b = a - end_a, b - end_b
        if runs and 0 <= gap_a <= COPY_SUBSTITUTION and 0 <= gap_b <= COPY_SUBSTITUTION:
            runs[-1] += gap_a + size
        else:
            runs.append(size)
        end_a, end_b = a + size, b + size
    return runs

"""`newsprism eval dedup`: duplicate detection on reprints built from real articles.

From real articles (multinews documents, ECB+ documents) a seeded RNG builds reprints the way
outlets make them: boilerplate added, the end trimmed, paragraphs re-ordered, a few words
changed, or several of these at once. All originals and reprints go through
`find_duplicates` together. A flagged pair is right when both come from one original.
Prints pair recall (reprint pairs found), pair precision (flagged pairs that are right) and
how many distinct same-event ECB+ reports were flagged (should be 0).
"""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import click

from newsprism.dedup import duplicate_similarity, find_duplicates
from newsprism.model import Article

DEFAULT_DATA = Path("../shared/data")
MIN_WORDS = 60  # originals shorter than this are not reprinted (too little to edit)

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
        keep = max(1, round(len(paragraphs) * rng.uniform(0.6, 0.9)))
        paragraphs = paragraphs[:keep]
    body = "\n\n".join(paragraphs)
    if "words" in edits:
        words = body.split(" ")
        for _ in range(rng.randint(2, 5)):
            words[rng.randrange(len(words))] = rng.choice(_REPLACEMENTS)
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
    by_base: dict[str, list[str]] = defaultdict(list)
    for article_id, original in base.items():
        by_base[original].append(article_id)
    truth = {tuple(sorted(p)) for ids in by_base.values() for p in combinations(ids, 2)}
    right = flagged & truth
    same_event = [p for p in flagged - truth if p[0] in events and events[p[0]] == events.get(p[1])]
    recall = len(right) / len(truth) if truth else 1.0
    precision = len(right) / len(flagged) if flagged else 1.0
    by_edit: dict[str, list[bool]] = defaultdict(list)
    for pair in truth:
        reprint = next(i for i in pair if i.startswith("reprint-"))
        by_edit[reprint.split("-", 2)[2]].append(pair in flagged)
    click.echo(
        f"dedup ({len(articles)} articles, {len(truth)} reprint pairs, seed {seed}): "
        f"pair recall {recall:.4f} precision {precision:.4f} | flagged pairs {len(flagged)}, "
        f"wrong {len(flagged - truth)}, distinct same-event ECB+ pairs flagged {len(same_event)} "
        f"| {len(articles) / elapsed:.0f} articles/s"
    )
    with_reprint = {p for p in flagged if any(i.startswith("reprint-") for i in p)}
    click.echo(
        f"  precision on flagged pairs that involve a reprint: "
        f"{len(with_reprint & truth) / len(with_reprint) if with_reprint else 1.0:.4f} "
        f"({len(with_reprint - truth)} wrong of {len(with_reprint)}); flagged pairs of two "
        f"originals (copies already in the data or false alarms): {len(flagged - with_reprint)}"
    )
    for edit, found in sorted(by_edit.items()):
        click.echo(f"  {edit:32s} {sum(found)}/{len(found)}")
    # ECB+ itself holds wire copies (one agency story printed by several sites): show how
    # close the flagged same-event pairs are, so copies can be told from real misses.
    texts = {a.id: a.text for a in articles}
    close = [duplicate_similarity(texts[a], texts[b]) for a, b in same_event]
    bands = [(0.9, 1.01), (0.8, 0.9), (0.7, 0.8), (0.0, 0.7)]
    click.echo(
        "  flagged same-event ECB+ pairs by shingle containment: "
        + ", ".join(
            f"[{lo:.1f},{min(hi, 1.0):.1f}]: {sum(lo <= c < hi for c in close)}" for lo, hi in bands
        )
    )

"""`newsprism eval disagreements`: print the disagreements the shipped pipeline finds in
Multi-News clusters.

There is no gold standard for cross-outlet disagreements, so this prints every one found
(cluster, kind, claims with their sentences) for a person to check; precision is hand-counted.
Each multi-document cluster is briefed as a given story, as `newsprism brief` briefs JSONL
records that share a `story`.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from newsprism.evaluate.data import cluster_documents, default_path, read_rows

DEFAULT = default_path("multinews_dev", "clusters.jsonl")


@click.command(name="disagreements")
@click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path),
    default=DEFAULT,
    show_default=True,
    help="Multi-News clusters.jsonl",
)
@click.option("--limit", type=int, default=20, show_default=True, help="multi-article clusters")
def command(data: Path, limit: int) -> None:
    """Print the disagreements found in the first LIMIT multi-article clusters."""
    from newsprism.annotate.models import load_models
    from newsprism.pipeline import load_documents, run_from
    from newsprism.settings import Settings, default_processes

    if not data.is_file():
        raise click.ClickException(f"{data} not found: pass --data PATH to clusters.jsonl")
    rows = [r for r in read_rows(data) if sum(1 for d in r["documents"] if d.strip()) >= 2]
    rows = rows[:limit]
    started = time.perf_counter()
    state = load_documents(cluster_documents(rows), source=str(data))
    brief = run_from(state, models=load_models, settings=Settings(n_process=default_processes()))
    outlets = {a.id: a.source for a in brief.articles}
    found = 0
    for number, story in enumerate(brief.stories, start=1):
        click.echo(f"== cluster {number} {story.id[:12]} ({len(story.article_ids)} docs)")
        for disagreement in story.disagreements:
            found += 1
            note = f"  note: {disagreement.note}" if disagreement.note else ""
            click.echo(f"  [{disagreement.kind} {disagreement.field}] {disagreement.subject}{note}")
            for claim in disagreement.claims:
                bounds = f"[{claim.low}, {claim.high}]"
                click.echo(
                    f"    {outlets[claim.span.article_id]}: {claim.value!r} {bounds}"
                    f" | {claim.text[:300]}"
                )
    seconds = time.perf_counter() - started
    click.echo(f"clusters={len(brief.stories)} disagreements={found} seconds={seconds:.1f}")

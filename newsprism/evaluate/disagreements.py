"""`newsprism eval disagreements`: the disagreements the shipped pipeline finds in Multi-News
clusters, and (with ``--inject``) its recall on figure conflicts injected into them.

There is no gold standard for cross-outlet disagreements. Without ``--inject`` every one found
is printed (cluster, kind, claims with their sentences) for a person to check. With ``--inject``
one shared figure per cluster is changed in one article (by each factor of
`newsprism.evaluate.inject.FACTORS`, and by a hedge flip), the changed clusters are briefed again
by the whole pipeline (`run_from` on the changed documents), and recall is reported per change
and overall; the disagreements of the unchanged clusters are listed for hand-checking, with the
count per story. Each multi-document cluster is briefed as a given story, as `newsprism brief`
briefs JSONL records that share a `story`.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from newsprism.evaluate import inject
from newsprism.evaluate.data import cluster_documents, default_path, read_rows

if TYPE_CHECKING:
    from newsprism.annotate.models import Models
    from newsprism.model import Brief, Disagreement, StoryBrief
    from newsprism.settings import Settings

DEFAULT = default_path("multinews_dev", "clusters.jsonl")
DEFAULT_CHANGES = ",".join([*(inject.change_label(f) for f in inject.FACTORS), inject.FLIP])


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
@click.option("--inject", "injecting", is_flag=True, help="inject figure conflicts, report recall")
@click.option(
    "--changes",
    default=DEFAULT_CHANGES,
    show_default=True,
    help="with --inject: comma-separated factors (x0.5, 2, ...) and/or 'flip'",
)
@click.option("--seed", type=int, default=0, show_default=True, help="with --inject: figure choice")
def command(data: Path, limit: int, injecting: bool, changes: str, seed: int) -> None:
    """Print the disagreements found in the first LIMIT multi-article clusters; with --inject,
    the recall on figures changed in them, and the disagreements of the unchanged clusters."""
    from newsprism.annotate.models import load_models
    from newsprism.settings import Settings, default_processes

    if not data.is_file():
        raise click.ClickException(f"{data} not found: pass --data PATH to clusters.jsonl")
    if limit < 1:
        raise click.BadParameter(
            f"{limit} is not a number of clusters; give 1 or more", param_hint="--limit"
        )
    labels = _change_labels(changes)
    rows = [r for r in read_rows(data) if sum(1 for d in r["documents"] if d.strip()) >= 2]
    rows = rows[:limit]
    settings = Settings(n_process=default_processes())
    started = time.perf_counter()
    models = load_models()
    if injecting:
        _measure_injections(rows, str(data), labels, seed, models=models, settings=settings)
    else:
        brief = _brief(rows, str(data), models, settings)
        found = _print_disagreements(brief, detail=True)
        click.echo(f"clusters={len(brief.stories)} disagreements={found}")
    click.echo(f"seconds={time.perf_counter() - started:.1f}")


def _change_labels(changes: str) -> list[str]:
    """The --changes list as change labels ("x2", "flip"), with a clear error for a bad one."""
    labels = []
    for item in (part.strip() for part in changes.split(",")):
        if not item:
            continue
        if item == inject.FLIP:
            labels.append(item)
            continue
        try:
            factor = float(item.removeprefix("x"))
        except ValueError:
            factor = 0.0
        if not factor > 0 or factor == 1:
            raise click.BadParameter(
                f"{item!r} is neither a factor (a positive number other than 1, e.g. 2 or x0.5)"
                f" nor {inject.FLIP!r}",
                param_hint="--changes",
            )
        labels.append(inject.change_label(factor))
    if not labels:
        raise click.BadParameter(
            "no change given; e.g. --changes 0.5,2,flip", param_hint="--changes"
        )
    return list(dict.fromkeys(labels))


def _brief(
    rows: Sequence[dict[str, Any]], source: str, models: Models, settings: Settings
) -> Brief:
    from newsprism.pipeline import load_documents, run_from

    state = load_documents(cluster_documents(rows), source=source)
    return run_from(state, models=models, settings=settings)


def _cluster_of(source: str) -> str:
    """The cluster id of an article from a cluster row (its source is "<cluster id>#<index>")."""
    return source.rpartition("#")[0]


def _stories_by_cluster(brief: Brief) -> dict[str, StoryBrief]:
    sources = {a.id: a.source for a in brief.articles}
    return {_cluster_of(sources[s.article_ids[0]]): s for s in brief.stories if s.article_ids}


def _print_disagreements(brief: Brief, *, detail: bool) -> int:
    """Every disagreement of *brief*, story by story; returns how many there were."""
    outlets = {a.id: a.source for a in brief.articles}
    found = 0
    for number, (cluster, story) in enumerate(_stories_by_cluster(brief).items(), start=1):
        count = len(story.disagreements)
        found += count
        if count or detail:
            docs = len(story.article_ids)
            click.echo(f"== cluster {number} {cluster[:12]} ({docs} docs): {count} found")
        for disagreement in story.disagreements:
            click.echo(f"  {_describe(disagreement, outlets)}")
            for claim in disagreement.claims if detail else ():
                bounds = f"[{claim.low}, {claim.high}]"
                click.echo(
                    f"    {outlets[claim.span.article_id]}: {claim.value!r} {bounds}"
                    f" | {claim.text[:300]}"
                )
    return found


def _describe(disagreement: Disagreement, outlets: dict[str, str]) -> str:
    """One line: kind, field, subject, and each claim's value with its document number."""
    note = f"  note: {disagreement.note}" if disagreement.note else ""
    values = " | ".join(
        f"{c.value!r} (#{outlets[c.span.article_id].rpartition('#')[2]})"
        for c in disagreement.claims
    )
    return f"[{disagreement.kind} {disagreement.field}] {disagreement.subject}: {values}{note}"


@dataclass(frozen=True, slots=True)
class _Cluster:
    """What the injections of one cluster start from: its row, its shared figures in seeded
    order, and each article's (cleaned text, input text)."""

    row: dict[str, Any]
    ordered: list[inject.Candidate]
    texts: dict[str, tuple[str, str]]


def _measure_injections(
    rows: Sequence[dict[str, Any]],
    source: str,
    labels: Sequence[str],
    seed: int,
    *,
    models: Models,
    settings: Settings,
) -> None:
    started = time.perf_counter()
    clusters = _shared_figures(rows, source, seed, models=models, settings=settings)
    with_figures = sum(1 for c in clusters.values() if c.ordered)
    _progress(f"{with_figures} of {len(rows)} clusters have a shared figure", started)
    baseline = _brief(rows, source, models, settings)
    _progress(f"briefed the {len(rows)} unchanged clusters", started)
    outcomes: dict[str, list[inject.Outcome]] = {}
    for label in labels:
        planned = [
            plan
            for cluster_id, cluster in clusters.items()
            if (plan := inject.plan_injection(cluster_id, cluster.ordered, label, cluster.texts))
        ]
        outcomes[label] = _score_change(planned, clusters, baseline, source, models, settings)
        _progress(f"{label}: briefed {len(planned)} changed clusters", started)
    _report(outcomes, baseline, len(rows))


def _progress(message: str, started: float) -> None:
    click.echo(f"[{time.perf_counter() - started:6.1f}s] {message}", err=True)


def _shared_figures(
    rows: Sequence[dict[str, Any]], source: str, seed: int, *, models: Models, settings: Settings
) -> dict[str, _Cluster]:
    """Each cluster's shared figures, found by the shipped load, cluster and annotate stages."""
    from newsprism.pipeline import load_documents, run_corpus, stages_between

    state = load_documents(cluster_documents(rows), source=source)
    stages = stages_between(start="cluster", until="annotate")
    state, _ = run_corpus(state, models=models, settings=settings, stages=stages)
    assert state.annotated is not None  # the annotate stage assigns it
    by_cluster: dict[str, list[Any]] = {}
    for annotated in state.annotated:
        by_cluster.setdefault(_cluster_of(annotated.article.source), []).append(annotated)
    clusters = {}
    for row in rows:
        cluster_id = str(row["id"])
        members = by_cluster.get(cluster_id, [])
        texts = {
            a.article.id: (
                a.article.text,
                row["documents"][int(a.article.source.rpartition("#")[2])],
            )
            for a in members
        }
        ordered = inject.seeded_order(inject.shared_figures(members), seed, cluster_id)
        clusters[cluster_id] = _Cluster(row=row, ordered=ordered, texts=texts)
    return clusters


def _score_change(
    planned: Sequence[inject.Injection],
    clusters: dict[str, _Cluster],
    baseline: Brief,
    source: str,
    models: Models,
    settings: Settings,
) -> list[inject.Outcome]:
    """Brief the clusters changed by *planned* (one injection each) and score every injection."""
    if not planned:
        return []
    changed_rows = []
    for plan in planned:
        row = clusters[plan.story].row
        documents = list(row["documents"])
        index = int(plan.candidate.source.rpartition("#")[2])
        documents[index] = plan.raw.apply(documents[index])
        changed_rows.append({**row, "documents": documents})
    brief = _brief(changed_rows, source, models, settings)
    changed = _stories_by_cluster(brief)
    unchanged = _stories_by_cluster(baseline)
    by_source = {a.source: a for a in brief.articles}
    return [
        inject.score(
            plan,
            old_text=clusters[plan.story].texts[plan.candidate.article_id][0],
            article=by_source.get(plan.candidate.source),
            changed=changed.get(plan.story),
            unchanged=unchanged.get(plan.story),
        )
        for plan in planned
    ]


def _report(outcomes: dict[str, list[inject.Outcome]], baseline: Brief, clusters: int) -> None:
    for label, results in outcomes.items():
        click.echo(f"== injections {label}")
        for outcome in results:
            click.echo(f"  {_outcome_line(outcome)}")
    click.echo("== recall per change (found / scored; 'not applied' are left out)")
    everything: list[inject.Outcome] = []
    for label, results in outcomes.items():
        everything.extend(results)
        click.echo(f"  {label:>6}: {_recall_text(results)}")
    click.echo(f"  {'all':>6}: {_recall_text(everything)}")
    stories = len(baseline.stories)
    click.echo(f"== disagreements in the {stories} unchanged stories (of {clusters} clusters)")
    found = _print_disagreements(baseline, detail=False)
    rate = found / stories if stories else 0.0
    click.echo(f"unchanged: stories={stories} disagreements={found} per_story={rate:.2f}")


def _outcome_line(outcome: inject.Outcome) -> str:
    plan = outcome.injection
    candidate = plan.candidate
    quantity = candidate.quantity
    field = ""
    if outcome.disagreement is not None:
        field = f" [{outcome.disagreement.kind} {outcome.disagreement.field}]"
    already = " (already reported unchanged)" if outcome.already else ""
    return (
        f"{outcome.status:>11} {plan.story[:12]} #{candidate.source.rpartition('#')[2]}:"
        f" {quantity.text!r} -> {plan.new_words!r} ({quantity.unit}, {quantity.event or '-'};"
        f" same figure: {len(candidate.partners)} in other articles){field}{already}"
    )


def _recall_text(results: Sequence[inject.Outcome]) -> str:
    found, scored, value = inject.recall(results)
    statuses = Counter(o.status for o in results)
    shown = f"{value:.3f}" if value is not None else "n/a"
    already = sum(1 for o in results if o.status == "found" and o.already)
    return (
        f"{found}/{scored} = {shown} (not applied {statuses['not applied']};"
        f" found but already reported unchanged {already})"
    )

"""`newsprism eval seeds`: the canonical three-outlet story, checked end to end.

Prints what a reader of the seeds checks first: one story, exact citations, the debris removed,
the figure disagreements, each quote's speaker, and the entities with their aliases.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from newsprism.contract import BriefDict
from newsprism.render.json import brief_to_dict

DEFAULT = Path("../shared/data/seeds")


def citation_errors(data: BriefDict) -> list[str]:
    """Every citation whose offsets do not give back the words it claims (should be none)."""
    texts = {a["id"]: a["text"] for a in data["articles"]}
    errors = []
    for story in data["stories"]:
        for item in story["summary"]:
            for cite in item["citations"][:1]:
                if texts[cite["article_id"]][cite["start"] : cite["end"]] != item["text"]:
                    errors.append(f"summary item {item['text'][:40]!r}")
        for fact in story["facts"]:
            cite = fact["citations"][0]
            if texts[cite["article_id"]][cite["start"] : cite["end"]] != fact["text"]:
                errors.append(f"fact {fact['text'][:40]!r}")
        for section in ("disagreements",):
            for d in story[section]:
                for claim in d["claims"]:
                    if not 0 <= claim["start"] <= claim["end"] <= len(texts[claim["article_id"]]):
                        errors.append(f"disagreement claim {claim['value']!r}")
        for quote in story["quotes"]:
            for cite in quote["citations"]:
                if not 0 <= cite["start"] <= cite["end"] <= len(texts[cite["article_id"]]):
                    errors.append(f"quote {quote['text'][:40]!r}")
    return errors


def evaluate_seeds(path: Path) -> dict[str, Any]:
    """Brief the seeds and return the contract dict plus the checks."""
    import newsprism

    start = time.perf_counter()
    data = brief_to_dict(newsprism.brief([str(path)]))
    return {
        "data": data,
        "seconds": time.perf_counter() - start,
        "citation_errors": citation_errors(data),
    }


@click.command(name="seeds")
@click.option(
    "--data",
    "path",
    type=click.Path(exists=True, path_type=Path),
    default=DEFAULT,
    show_default=True,
)
def command(path: Path) -> None:
    """Brief the seed articles and print the checks a careful reader makes."""
    result = evaluate_seeds(path)
    data = result["data"]
    outlets = {a["id"]: a["source"].rsplit("/", 1)[-1] for a in data["articles"]}
    click.echo(
        f"articles: {len(data['articles'])}  stories: {len(data['stories'])}  time: {result['seconds']:.2f} s"
    )
    click.echo(f"citation errors: {len(result['citation_errors'])}")
    for article in data["articles"]:
        removed = ", ".join(repr(r["text"][:30]) for r in article["removed"]) or "nothing"
        click.echo(f"removed from {outlets[article['id']]}: {removed}")
    for story in data["stories"]:
        click.echo(f"\nstory {story['id']}: {story['headline']}")
        for d in story["disagreements"]:
            sides = " vs ".join(f"{c['value']} ({outlets[c['article_id']]})" for c in d["claims"])
            click.echo(f"  disagreement [{d['kind']} {d['field']}] {d['subject']}: {sides}")
        for q in story["quotes"]:
            if q["kind"] == "direct":
                where = ", ".join(sorted({outlets[c["article_id"]] for c in q["citations"]}))
                click.echo(f"  quote: {q['speaker']}: {q['text'][:60]!r} [{where}]")
        for e in story["entities"]:
            if e["type"] in ("PERSON", "ORG"):
                click.echo(f"  entity {e['type']}: {e['name']} <- {e['aliases']}")

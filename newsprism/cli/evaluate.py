"""`newsprism eval TASK`: score one stage on a standard data set and print the numbers.

Each task lives in `newsprism/evaluate/<task>.py`, which exposes a click command named `command`.
"""

from __future__ import annotations

import click

from newsprism.cli import LazyGroup

EVAL_TASKS: dict[str, str] = {
    "extraction": "newsprism.evaluate.extraction:command",
    "summary": "newsprism.evaluate.summary:command",
    "clustering": "newsprism.evaluate.clustering:command",
    "dedup": "newsprism.evaluate.dedup:command",
    "quotes": "newsprism.evaluate.quotes:command",
    "disagreements": "newsprism.evaluate.disagreements:command",
    "seeds": "newsprism.evaluate.seeds:command",
    "claims": "newsprism.evaluate.claims:command",
}


@click.group(name="eval", cls=LazyGroup, lazy=EVAL_TASKS)
def eval_cli() -> None:
    """Score a stage on a standard data set (see ../shared/data) and print the metrics."""

"""The `newsprism` command line: each command parses, calls one library function, prints.

Commands live in their own modules and load lazily, so `newsprism --help` stays fast and a
command's heavy imports (spaCy, onnxruntime, FastAPI) are paid only when it runs.

Exit codes: 0 every input processed; 1 a handled error, or some inputs failed (listed on
stderr); 2 usage error.
"""

from __future__ import annotations

import importlib
import logging

import click

# command name -> "module:attribute" of a click.Command
COMMANDS: dict[str, str] = {
    "batch": "newsprism.cli.batch:batch_cli",
    "brief": "newsprism.cli.brief:brief_cli",
    "changes": "newsprism.cli.changes:changes_cli",
    "cluster": "newsprism.cli.cluster:cluster_cli",
    "eval": "newsprism.cli.evaluate:eval_cli",
    "ingest": "newsprism.cli.store:ingest_cli",
    "stories": "newsprism.cli.store:stories_cli",
    "show": "newsprism.cli.store:show_cli",
    "serve": "newsprism.cli.store:serve_cli",
    "watch": "newsprism.cli.watch:watch_cli",
}

EPILOG = """\b
Exit codes:
  0  every input processed
  1  a handled error, or some inputs failed (listed on stderr)
  2  usage error
"""


class LazyGroup(click.Group):
    """A click group whose commands are imported only when used."""

    def __init__(self, *args: object, lazy: dict[str, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._lazy))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self._lazy:
            module_name, attribute = self._lazy[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self._lazy[cmd_name]} is not a click command")
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, lazy=COMMANDS, epilog=EPILOG)
@click.version_option(package_name="newsprism")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """newsprism: see one story through every outlet.

    Ingest articles, group them into stories and write a cited cross-source brief per story.
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")

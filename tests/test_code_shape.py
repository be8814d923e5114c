"""The package's shape, read from its source with `ast`: short functions, no import cycle.

STYLE.md asks for functions of at most 60 lines and a package whose modules import each other
in one direction only. Both are checked on the source text, so nothing is imported or run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "newsprism"
MAX_FUNCTION_LINES = 60  # STYLE.md: a function that does not fit on one screen does too much

# Functions still over the limit, in modules being rewritten by others at the time this check
# was written (issue 11). The list may only shrink: a function split must leave it, and none
# may join it. It is empty now (all split): keep it so.
NOT_YET_SPLIT: frozenset[tuple[str, str]] = frozenset()


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _long_functions(path: Path) -> Iterator[tuple[str, int, int]]:
    """(name, line, length) of each function of *path* longer than MAX_FUNCTION_LINES."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            lines = node.end_lineno - node.lineno + 1  # from `def` to its last line
            if lines > MAX_FUNCTION_LINES:
                yield node.name, node.lineno, lines


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_time_statements(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported: not in functions, not for type checkers."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _import_time_statements(node.body)
            yield from _import_time_statements(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _import_time_statements(block)
            for handler in node.handlers:
                yield from _import_time_statements(handler.body)
        elif isinstance(node, ast.With | ast.ClassDef):
            yield from _import_time_statements(node.body)


def _imported(module: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that *module* imports at import time."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in _import_time_statements(tree.body):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*anchor, base] if base else anchor)
        targets.add(base)
        # `from newsprism.data import debris` imports the submodule newsprism.data.debris.
        targets.update(f"{base}.{alias.name}" for alias in node.names)
    return {target for target in targets if target in known and target != module}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imported(name, path, known) for name, path in modules.items()}


def test_no_function_is_longer_than_sixty_lines() -> None:
    long = {
        (str(path.relative_to(PACKAGE.parent)), name): f"line {line}, {lines} lines"
        for path in _modules().values()
        for name, line, lines in _long_functions(path)
    }
    new = {key: where for key, where in long.items() if key not in NOT_YET_SPLIT}
    assert new == {}, "split these functions (at most 60 lines each)"
    split = sorted(NOT_YET_SPLIT - set(long))
    assert split == [], "these are short now: take them out of NOT_YET_SPLIT"


def test_no_import_cycle_between_modules() -> None:
    cycles = _cycles(import_graph())
    assert cycles == [], "modules importing each other at import time: " + repr(cycles)


def test_the_checks_see_what_they_look_for(tmp_path: Path) -> None:
    # The checks themselves: a cycle of two modules is found, a TYPE_CHECKING import is not one.
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "import newsprism.x\n"
        "if TYPE_CHECKING:\n    import newsprism.y\n"
        "try:\n    from newsprism import z\nexcept ImportError:\n    pass\n"
        "def f():\n    import newsprism.w\n" + "    pass\n" * MAX_FUNCTION_LINES,
        encoding="utf-8",
    )
    known = {"newsprism", "newsprism.x", "newsprism.y", "newsprism.z", "newsprism.w"}
    assert _imported("newsprism.m", source, known) == {"newsprism", "newsprism.x", "newsprism.z"}
    assert [name for name, _, _ in _long_functions(source)] == ["f"]
    assert len(import_graph()) > 50  # the package itself was read

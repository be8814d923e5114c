"""Error codes: each exception class has its own code of the form E000, listed in errors.py.

Classes are found in the source (with `ast`), so one defined in any module of the package is
checked without importing the whole package.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from newsprism import errors
from newsprism.errors import EmptyInput, InputError, NewsprismError, NoArticles

PACKAGE = Path(errors.__file__).resolve().parent
CODE = re.compile(r"^E\d{3}$")


def _error_classes() -> list[tuple[str, str | None, str]]:
    """Every subclass of NewsprismError in the package: (name, its own code, where)."""
    classes: dict[str, list[tuple[list[str], str | None, str]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = [b.id if isinstance(b, ast.Name) else ast.unparse(b) for b in node.bases]
                where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                classes.setdefault(node.name, []).append((bases, _own_code(node), where))

    def is_error(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name == "NewsprismError":
            return True
        return name not in seen and any(
            is_error(base, seen | {name}) for bases, _, _ in classes.get(name, []) for base in bases
        )

    return [
        (name, code, where)
        for name, entries in classes.items()
        for _, code, where in entries
        if is_error(name)
    ]


def _own_code(node: ast.ClassDef) -> str | None:
    """The `code = "E..."` set in the class body itself (None when only inherited)."""
    for item in node.body:
        if not isinstance(item, ast.Assign) or not isinstance(item.value, ast.Constant):
            continue
        if [getattr(target, "id", None) for target in item.targets] == ["code"]:
            return str(item.value.value)
    return None


def test_every_error_class_has_its_own_code() -> None:
    found = _error_classes()
    names = {name for name, _, _ in found}
    assert {"NewsprismError", "InputError", "UnreadableInput", "NotFound", "WriteFailed"} <= names
    missing = [f"{name} ({where})" for name, code, where in found if code is None]
    assert missing == [], "classes without a code of their own: " + ", ".join(missing)
    malformed = {name: code for name, code, _ in found if not CODE.match(code or "")}
    assert malformed == {}
    by_code: dict[str, list[str]] = {}
    for name, code, where in found:
        by_code.setdefault(code or "", []).append(f"{name} ({where})")
    shared = {code: names for code, names in by_code.items() if len(names) > 1}
    assert shared == {}, f"codes given to more than one class: {shared}"


def test_the_table_in_errors_py_lists_every_class_with_its_code() -> None:
    table = {}
    for line in (errors.__doc__ or "").splitlines():
        match = re.match(r"^\s*(E\d{3})\s+[│├└─\s]*(\w+)\s", line + " ")
        if match:
            table[match.group(2)] = match.group(1)
    assert sorted(table.items()) == sorted((name, code) for name, code, _ in _error_classes())


def test_runtime_codes_match_and_messages_start_with_them() -> None:
    seen = set()
    stack: list[type[NewsprismError]] = [NewsprismError]
    while stack:
        cls = stack.pop()
        assert CODE.match(cls.code), cls
        assert cls.code not in seen, cls
        seen.add(cls.code)
        stack.extend(cls.__subclasses__())
    error = EmptyInput("story.txt", "the file is empty; give a file with article text")
    assert str(error) == "[E102] story.txt: the file is empty; give a file with article text"
    assert error.detail == "the file is empty; give a file with article text"
    assert isinstance(error, InputError)
    with pytest.raises(NoArticles, match=r"^\[E200\] nothing usable$") as raised:
        raise NoArticles("nothing usable", rejections=())
    assert raised.value.rejections == ()

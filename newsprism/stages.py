"""Stage declarations: what each stage function reads and what it adds.

As spaCy's ``@Language.component(..., requires=, assigns=)``, each stage function carries its
own declaration (`@stage`). The composer (`newsprism.pipeline`) runs a sequence of declared
functions over a frozen state: it passes a stage the state fields it `requires` (and the context
values it `uses`, such as the models), and writes what it returns into the fields it `assigns`.
`check_order` reads the declarations of the live sequence, so a stage moved before the stage
that produces its input is refused before anything runs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

Scope = Literal["corpus", "story"]
F = TypeVar("F", bound=Callable[..., Any])
S = TypeVar("S")


@dataclass(frozen=True, slots=True, kw_only=True)
class StageInfo:
    """A stage's declaration: its name, what it works on and the state fields it reads/adds."""

    name: str
    scope: Scope  # "corpus": once per run; "story": once per story, mapped by an executor
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    uses: tuple[str, ...] = ()  # context values passed by keyword: "models", "settings", ...


def stage(
    name: str,
    *,
    scope: Scope,
    requires: Iterable[str],
    assigns: Iterable[str],
    uses: Iterable[str] = (),
) -> Callable[[F], F]:
    """Declare a stage function (the function itself is returned unchanged)."""
    info = StageInfo(
        name=name, scope=scope, requires=tuple(requires), assigns=tuple(assigns), uses=tuple(uses)
    )

    def declare(function: F) -> F:
        function.__stage__ = info  # type: ignore[attr-defined]
        return function

    return declare


def stage_info(function: Callable[..., Any]) -> StageInfo:
    """The declaration of a stage function; TypeError for an undeclared function."""
    info = getattr(function, "__stage__", None)
    if not isinstance(info, StageInfo):
        raise TypeError(f"{function!r} is not a declared stage; decorate it with @stage(...)")
    return info


def check_order(stages: Sequence[Callable[..., Any]], *, available: Iterable[str]) -> None:
    """Raise ValueError naming the first stage whose inputs no earlier stage assigns."""
    have = set(available)
    for function in stages:
        info = stage_info(function)
        missing = [need for need in info.requires if need not in have]
        if missing:
            raise ValueError(
                f"stage {info.name!r} requires {missing} but no earlier stage assigns them; "
                "move it after the stage that does"
            )
        have.update(info.assigns)


def run_stage(function: Callable[..., Any], state: S, context: Mapping[str, Any]) -> S:
    """Run one declared stage on *state* (a frozen dataclass) and return the updated state."""
    info = stage_info(function)
    missing = [name for name in info.requires if getattr(state, name) is None]
    if missing:
        raise ValueError(f"stage {info.name!r} ran before {missing} were set")
    arguments = {name: getattr(state, name) for name in info.requires}
    arguments.update({name: context[name] for name in info.uses})
    result = function(**arguments)
    values = (result,) if len(info.assigns) == 1 else tuple(result)
    changes = dict(zip(info.assigns, values, strict=True))
    return dataclasses.replace(state, **changes)  # type: ignore[type-var]

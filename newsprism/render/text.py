"""The brief for a terminal, rendered with rich."""

from __future__ import annotations

import io
import re

from rich.console import Console
from rich.markdown import Markdown

from newsprism.contract import BriefDict
from newsprism.render.markdown import render_markdown
from newsprism.text import terminal_width

# rich pads every line to the full width; a piped or saved brief must not carry those spaces.
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def render_text(data: BriefDict, *, width: int | None = None, color: bool = False) -> str:
    """Terminal text for a contract dict (rich's rendering of the Markdown brief), wrapped to
    *width* (default `terminal_width()`), with no trailing spaces."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or terminal_width(),
        force_terminal=color,
        color_system=None if not color else "auto",
    )
    console.print(Markdown(render_markdown(data)))
    return _TRAILING_SPACE.sub("", buffer.getvalue())

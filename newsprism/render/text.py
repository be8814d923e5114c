"""The brief for a terminal, rendered with rich."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markdown import Markdown

from newsprism.contract import BriefDict
from newsprism.render.markdown import render_markdown


def render_text(data: BriefDict, *, width: int = 100, color: bool = False) -> str:
    """Terminal text for a contract dict (rich's rendering of the Markdown brief)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, force_terminal=color, color_system=None if not color else "auto"
    )
    console.print(Markdown(render_markdown(data)))
    return buffer.getvalue()

"""Render a brief: json (the contract), md, html (one self-contained page), text (terminal)."""

from __future__ import annotations

import json as jsonlib
from typing import Literal

from newsprism.contract import BriefDict

Format = Literal["json", "md", "html", "text"]
FORMATS: tuple[str, ...] = ("json", "md", "html", "text")


def render(data: BriefDict, fmt: str) -> str:
    """Render a contract dict in *fmt*; an unknown format raises ValueError."""
    if fmt == "json":
        return jsonlib.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        from newsprism.render.markdown import render_markdown

        return render_markdown(data)
    if fmt == "html":
        from newsprism.render.html import render_html

        return render_html(data)
    if fmt == "text":
        from newsprism.render.text import render_text

        return render_text(data)
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")

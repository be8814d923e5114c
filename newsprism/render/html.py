"""The brief as one self-contained HTML page (inline CSS and JS, no external requests).

Article text is untrusted: the template autoescapes everything, and citation cards are filled
from escaped text only. Citation markers reveal the source sentence and outlet on hover or click.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2

from newsprism.render.view import BriefView, interval_text


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("newsprism.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["interval"] = interval_text
    return env


def render_html(data: dict[str, Any]) -> str:
    """A standalone HTML page for a contract dict."""
    view = BriefView(data)
    return _environment().get_template("brief.html.j2").render(data=data, view=view)

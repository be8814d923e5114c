"""The brief as one self-contained HTML page (inline CSS and JS, no external requests).

Article text is untrusted: the template autoescapes everything, and citation cards are filled
from escaped text only. The page lists its sources once, numbered (`render.sources`), and
includes each article's cleaned text: a citation marker names the outlet and the source's
number, shows the cited words on hover or focus, and links to them, marked, in the text.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

import jinja2
from markupsafe import Markup, escape

from newsprism.contract import BriefDict
from newsprism.render.sources import Sources
from newsprism.render.view import BriefView, date_text, interval_text, safe_link, timeline_note
from newsprism.text import plural

_WORD = re.compile(r"\w+|[^\w\s]+")


def diff_words(variant: str, base: str) -> Markup:
    """*variant* with the words that differ from *base* wrapped in <mark> (all text escaped)."""
    variant_words = _WORD.findall(variant)
    base_words = [w.lower() for w in _WORD.findall(base)]
    matcher = difflib.SequenceMatcher(
        a=base_words, b=[w.lower() for w in variant_words], autojunk=False
    )
    pieces: list[str] = []
    for tag, _, _, start, end in matcher.get_opcodes():
        chunk = escape(" ".join(variant_words[start:end]))
        if not chunk:
            continue
        pieces.append(str(chunk) if tag == "equal" else f"<mark>{chunk}</mark>")
    return Markup(" ".join(pieces))


def code_spans(text: str) -> Markup:
    """*text* (escaped) with its `backticked` words set as <code>, as Markdown would."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unmatched backtick: leave the text as written
        return Markup(escape(text))
    return Markup(
        "".join(
            f"<code>{escape(p)}</code>" if i % 2 else str(escape(p)) for i, p in enumerate(parts)
        )
    )


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("newsprism.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["interval"] = interval_text
    env.filters["date_text"] = date_text
    env.filters["diff_words"] = diff_words
    env.filters["plural"] = plural
    env.filters["code_spans"] = code_spans
    env.filters["safe_link"] = safe_link
    env.globals["timeline_note"] = timeline_note
    return env


def render_html(data: BriefDict) -> str:
    """A standalone HTML page for a contract dict."""
    return (
        _environment()
        .get_template("brief.html.j2")
        .render(data=data, view=BriefView(data), sources=Sources(data))
    )

"""A story's changes (`newsprism/changes@1`) as plain text: the terminal and the Atom feeds.

One line per item, its citation as ``[article-id start-end]`` (the article's id and the
characters cited), so every line can be checked against its source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from newsprism.changes_contract import ChangeDict, ChangesDict

# (list in the change, singular, plural) in the order a reader wants them.
_KINDS = (
    ("new_articles", "new article", "new articles"),
    ("removed_articles", "article moved out", "articles moved out"),
    ("new_outlets", "new outlet", "new outlets"),
    ("new_facts", "new fact", "new facts"),
    ("newly_corroborated", "newly corroborated fact", "newly corroborated facts"),
    ("revised_figures", "revised figure", "revised figures"),
    ("new_disagreements", "new disagreement", "new disagreements"),
    ("dropped_disagreements", "disagreement no longer found", "disagreements no longer found"),
    ("new_quotes", "new quote", "new quotes"),
)
_SHORT_ID = 8  # characters of an article id shown in a citation: unique within one story


def cited(citation: Mapping[str, Any]) -> str:
    """A citation as ``[article-id start-end]``."""
    return f"[{str(citation['article_id'])[:_SHORT_ID]} {citation['start']}-{citation['end']}]"


def _cites(citations: Iterable[Mapping[str, Any]]) -> str:
    return " ".join(cited(c) for c in citations)


def change_summary(change: ChangeDict) -> str:
    """What a version changed, counted: "1 new article, 2 new facts, new headline"."""
    fields: Mapping[str, Any] = change
    parts = []
    for name, one, many in _KINDS:
        count = len(fields[name])
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    if (
        change["headline_before"] is not None
        and change["headline_before"] != change["headline_after"]
    ):
        parts.append("new headline")
    return ", ".join(parts) or "no change"


def _item_lines(name: str, item: Mapping[str, Any]) -> str:
    """One item of the list *name* as a line of text."""
    if name == "new_articles":
        when = f" ({item['published']})" if item.get("published") else ""
        return f"{item['outlet']}: {item['title'] or '(untitled)'}{when} [{item['id']}]"
    if name == "removed_articles":
        where = f" -> story {item['now_in']}" if item.get("now_in") else ""
        return f"{item['outlet']}: {item['title'] or '(untitled)'} [{item['id']}]{where}"
    if name == "new_outlets":
        kind = "" if item["named"] else " (a file: the articles name no outlet)"
        return f"{item['outlet']}{kind}"
    if name in ("new_facts", "newly_corroborated"):
        was = f" (was {item['status_before'].replace('_', ' ')})" if "status_before" in item else ""
        return f"{item['text']}{was} {_cites(item['citations'])}"
    if name == "revised_figures":
        before, after = item["before"], item["after"]
        return (
            f"{item['subject']}: {before['value']} ({before['published']}) {cited(before)} -> "
            f"{after['value']} ({after['published']}) {cited(after)}"
        )
    if name in ("new_disagreements", "dropped_disagreements"):
        sides = " vs ".join(f"{c['value']} {cited(c)}" for c in item["claims"])
        return f"{item['subject']} ({item['kind']} {item['field']}): {sides}"
    speaker = item.get("speaker") or "unattributed"
    return f"\u201c{item['text']}\u201d \u2014 {speaker} {_cites(item['citations'])}"


def change_lines(change: ChangeDict, *, per_kind: int | None = None) -> list[str]:
    """The change as lines: a heading per kind, then its items (at most *per_kind* each)."""
    fields: Mapping[str, Any] = change
    lines: list[str] = []
    before, after = change["headline_before"], change["headline_after"]
    if before is not None and before != after:
        lines.append(f"Headline: {before} -> {after}")
    for name, one, many in _KINDS:
        items = fields[name]
        if not items:
            continue
        lines.append(f"{len(items)} {one if len(items) == 1 else many}:")
        shown = items if per_kind is None else items[:per_kind]
        lines.extend(f"  - {_item_lines(name, item)}" for item in shown)
        if len(shown) < len(items):
            lines.append(f"  … and {len(items) - len(shown)} more")
    return lines


def render_changes_text(data: ChangesDict) -> str:
    """The terminal text of `newsprism changes`."""
    since = f" since {data['since']}" if data["since"] else ""
    count = len(data["changes"])
    lines = [f"Story {data['story_id']}: {count} version{'' if count == 1 else 's'}{since}"]
    for change in reversed(data["changes"]):  # newest first, as a reader catches up
        lines += ["", f"Version {change['version']} · {change['at']} · {change_summary(change)}"]
        lines += change_lines(change)
    return "\n".join(lines) + "\n"

"""The brief as Markdown: readable in a terminal, a wiki or a pull request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from newsprism.contract import BriefDict, StoryDict
from newsprism.render.view import BriefView, date_text, interval_text, timeline_note
from newsprism.text import plural


def _cites(view: BriefView, citations: Sequence[Mapping[str, Any]]) -> str:
    return ", ".join(view.outlets(citations))


def render_markdown(data: BriefDict) -> str:
    """Markdown for a contract dict (all stories)."""
    view = BriefView(data)
    out: list[str] = []
    for story in data["stories"]:
        out += _story(view, story)
    if data.get("rejections"):
        out += ["## Inputs not used", ""]
        out += [f"- `{r['source']}`: {r['reason']}" for r in data["rejections"]]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _story(view: BriefView, story: StoryDict) -> list[str]:
    return [
        *_summary(view, story),
        *_facts(view, story),
        *_disagreements(view, story),
        *_quotes(view, story),
        *_entities(story),
        *_timeline(view, story, note=timeline_note(view.data, story)),
        *_duplicates(view, story),
        *_coverage(story),
    ]


def _summary(view: BriefView, story: StoryDict) -> list[str]:
    out = [f"# {story['headline']}", ""]
    outlets = [view.outlet(i) for i in story["article_ids"]]
    out += [f"*{plural(len(outlets), 'article')}: {', '.join(outlets)}*", ""]
    out += ["## Summary", ""]
    for item in story["summary"]:
        out.append(f"- {item['text']} [{_cites(view, item['citations'])}]")
    out.append("")
    return out


def _facts(view: BriefView, story: StoryDict) -> list[str]:
    corroborated = [f for f in story["facts"] if f["status"] != "single_source"]
    single = [f for f in story["facts"] if f["status"] == "single_source"]
    out = ["## Established and disputed facts", ""]
    for fact in corroborated:
        mark = "⚠ disputed" if fact["status"] == "disputed" else "✓"
        out.append(
            f"- {mark} {fact['text']} — "
            f"{plural(fact['independent_sources'], 'independent source')}: "
            f"{_cites(view, fact['citations'])}"
        )
        out += [f"  - {added}" for added in view.added_by_outlet(fact)]
    out += ["", f"## Reported by one outlet only ({len(single)})", ""]
    for fact in single:
        out.append(f"- {fact['text']} — {_cites(view, fact['citations'])}")
    out.append("")
    return out


def _disagreements(view: BriefView, story: StoryDict) -> list[str]:
    if not story["disagreements"]:
        return []
    out = ["## Disagreements", ""]
    for d in story["disagreements"]:
        note = f" ({d['note']})" if d.get("note") else ""
        out.append(f"### {d['subject']}: {d['kind']} {d['field']}{note}")
        out += ["", "| outlet | value | interval | words |", "|---|---|---|---|"]
        for claim in d["claims"]:
            words = claim["text"].replace("|", "\\|")
            out.append(
                f"| {view.outlet(claim['article_id'])} | {claim['value']} | "
                f"{interval_text(claim)} | {words} |"
            )
        out.append("")
    return out


def _quotes(view: BriefView, story: StoryDict) -> list[str]:
    if not story["quotes"]:
        return []
    out = ["## Quotes", ""]
    for q in story["quotes"]:
        if q["kind"] != "direct":
            continue
        out.append(
            f"- **{q['speaker'] or 'unattributed'}**: “{q['text']}” — "
            f"{_cites(view, q['citations'])}"
        )
        for v in q["variants"]:
            flag = " (altered)" if v["altered"] else ""
            out.append(f"  - variant{flag} in {view.outlet(v['article_id'])}: “{v['text']}”")
    partial = [q for q in story["quotes"] if q["kind"] == "partial"]
    if partial:
        out += ["", "Quoted phrases: " + "; ".join(f"“{q['text']}”" for q in partial)]
    out.append("")
    return out


def _entities(story: StoryDict) -> list[str]:
    if not story["entities"]:
        return []
    out = ["## Who and what", ""]
    for kind in sorted({e["type"] for e in story["entities"]}):
        names = [
            e["name"]
            + (
                f" ({', '.join(a for a in e['aliases'] if a != e['name'])})"
                if len(e["aliases"]) > 1
                else ""
            )
            for e in story["entities"]
            if e["type"] == kind
        ]
        out.append(f"- **{kind}**: " + "; ".join(names))
    out.append("")
    return out


def _timeline(view: BriefView, story: StoryDict, *, note: str | None) -> list[str]:
    out = ["## Timeline", ""]
    if note:
        return [*out, f"*{note}*", ""]
    for t in story["timeline"]:
        out.append(
            f"- **{date_text(t)}** ({t['precision']}) {t['text']} — {view.outlet(t['article_id'])}"
        )
    out.append("")
    return out


def _duplicates(view: BriefView, story: StoryDict) -> list[str]:
    if not story.get("duplicates"):
        return []
    out = ["## Duplicates and reprints", ""]
    for group in story["duplicates"]:
        dup_outlets = ", ".join(view.outlet(i) for i in group["article_ids"])
        out.append(f"- {group['kind']} duplicates, briefed once: {dup_outlets}")
    out.append("")
    return out


def _coverage(story: StoryDict) -> list[str]:
    out = ["## Coverage", ""]
    facts = BriefView.facts_by_id(story)
    for c in story["coverage"]:
        out.append(
            f"- **{c['outlet']}** adds {plural(len(c['unique_facts']), 'fact')} no other outlet "
            f"has, omits {plural(len(c['omits']), 'corroborated fact')}"
        )
        for fact_id in c["omits"][:5]:
            if fact_id in facts:
                out.append(f"  - omits: {facts[fact_id]['text']}")
    out.append("")
    return out

"""A story's changes over HTTP: the JSON route, the Atom feeds, and the story page's
"What's new since …" block. Each builds its data from the service, then renders it.

The reader's last visit is theirs, not an account's: the page is asked for `?since=`, which
`web/static/changes.js` fills from the browser's local storage on a return visit.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response
from pydantic import BeforeValidator

from newsprism.api.writer import StoryBrief
from newsprism.changes import moment_text, parse_moment
from newsprism.changes_contract import ChangeDict, ChangesDict
from newsprism.data.changes import FEED_ENTRIES, SEARCH_FEED_STORIES
from newsprism.data.listing import MAX_QUERY_CHARS
from newsprism.render.atom import MEDIA_TYPE, Feed, FeedEntry, changes_feed
from newsprism.service import Service


async def fresh_brief(app: FastAPI, service: Service, story_id: str) -> str:
    """The story's brief JSON, computed in the compute lane first when stale (which records a
    version when the new brief changes anything)."""
    text = service.fresh_brief_json(story_id)
    if text is None:
        text, _ = await app.state.writer.run(StoryBrief(story_id))
    return str(text)


def _since_value(value: Any) -> Any:
    """`since` as an aware UTC datetime; pydantic answers 422 with this message otherwise."""
    if value is None or isinstance(value, datetime):
        return value
    return parse_moment(str(value))


def page_link(base: str, story_id: str, change: ChangeDict) -> str:
    """The story page showing what *change* (and any later version) brought."""
    just_before = parse_moment(change["at"]) - timedelta(microseconds=1)
    query = urlencode({"since": moment_text(just_before)})
    return f"{base}/stories/{quote(story_id, safe='')}?{query}#changes"


def _atom(body: bytes) -> Response:
    return Response(body, media_type=MEDIA_TYPE, headers={"X-Content-Type-Options": "nosniff"})


def install_changes_api(
    app: FastAPI, service: Service, *, errors: dict[int | str, dict[str, Any]]
) -> None:
    """GET /api/stories/{story_id}/changes; *errors* documents its error answers (OpenAPI)."""

    @app.get(
        "/api/stories/{story_id}/changes",
        tags=["stories"],
        operation_id="get_story_changes",
        responses=errors,
    )
    async def get_story_changes(
        story_id: str,
        since: Annotated[
            datetime | None,
            BeforeValidator(_since_value),
            Query(
                description="ISO date or date-time (UTC unless it names a zone): only the "
                "versions recorded after it",
            ),
        ] = None,
    ) -> ChangesDict:
        """What each version of the story's brief changed (`newsprism/changes@1`), oldest
        first: new articles and outlets, new facts, newly corroborated facts, revised figures,
        new disagreements, new quotes, the headline before and after. The brief is brought up
        to date first."""
        await fresh_brief(app, service, story_id)
        from newsprism.api.security import http_urls_only

        data: ChangesDict = http_urls_only(
            service.story_changes(story_id, since=since, refresh=False)
        )
        return data


def install_feeds(app: FastAPI, service: Service) -> None:
    """/stories/{id}.atom and /search.atom?q= (registered before /stories/{id})."""

    @app.get("/stories/{story_id}.atom", include_in_schema=False)
    async def story_feed(story_id: str, request: Request) -> Response:
        await fresh_brief(app, service, story_id)
        data = service.story_changes(story_id, refresh=False, latest=FEED_ENTRIES)
        row = service.store.get_story(story_id)
        headline = (row.headline if row else "") or "(untitled story)"
        base = str(request.base_url).rstrip("/")
        entries = [
            FeedEntry(
                story_id=story_id, headline=headline, change=c, link=page_link(base, story_id, c)
            )
            for c in reversed(data["changes"])
        ]
        path = quote(story_id, safe="")
        updated = entries[0].change["at"] if entries else _now()
        feed = Feed(
            id=f"urn:newsprism:story:{path}",
            title=f"{headline}: what changed",
            self_url=f"{base}/stories/{path}.atom",
            page_url=f"{base}/stories/{path}",
            updated=updated,
        )
        return _atom(changes_feed(feed, entries))

    @app.get("/search.atom", include_in_schema=False)
    def search_feed(
        request: Request, q: str = Query(min_length=1, max_length=MAX_QUERY_CHARS)
    ) -> Response:
        found = service.search_changes(q, stories=SEARCH_FEED_STORIES, limit=FEED_ENTRIES)
        base = str(request.base_url).rstrip("/")
        entries = [
            FeedEntry(
                story_id=row.id, headline=row.headline, change=c, link=page_link(base, row.id, c)
            )
            for row, c in found
        ]
        feed = Feed(
            id=f"urn:newsprism:search:{quote(q, safe='')}",
            title=f"newsprism: what changed in stories matching {q}",
            self_url=f"{base}/search.atom?{urlencode({'q': q})}",
            page_url=f"{base}/?{urlencode({'q': q})}",
            updated=entries[0].change["at"] if entries else _now(),
        )
        return _atom(changes_feed(feed, entries))


def _now() -> str:
    # A feed with no entry yet still needs its `updated`: the time it was asked for.
    return moment_text(datetime.now(UTC))


def moment_label(text: str) -> str:
    """A time (a version's, a visit's) as a reader sees it: "2022-01-13 08:00 UTC"."""
    return parse_moment(text).strftime("%Y-%m-%d %H:%M UTC")


def whats_new(service: Service, story_id: str, since: str | None) -> dict[str, Any]:
    """The story page's "What's new since …" block: the versions after *since* (newest first),
    the time of the latest (for the script), the feed's URL, and any problem with *since*."""
    every = service.story_changes(story_id, refresh=False)["changes"]
    latest_ms = int(parse_moment(every[-1]["at"]).timestamp() * 1000) if every else 0
    view: dict[str, Any] = {
        "since_label": None,
        "since_problem": None,
        "new_changes": [],
        "latest_change_ms": latest_ms,
        "feed_url": f"/stories/{quote(story_id, safe='')}.atom",
    }
    if since:
        try:
            moment = parse_moment(since)
        except ValueError as error:
            view["since_problem"] = f"the visit time in the address: {error}"
            return view
        key = moment_text(moment)
        view["since_label"] = moment_label(since)
        view["new_changes"] = [c for c in reversed(every) if c["at"] > key]
    return view

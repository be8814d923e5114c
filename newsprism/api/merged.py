"""HTTP 301 from the URL of a story that was merged into an older one (its id is kept)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from newsprism.service import Service


def merged_story_redirect(service: Service, request: Request) -> Response | None:
    """A 301 to the same route for the story *story_id* was merged into, or None."""
    story_id = request.path_params.get("story_id")
    route = request.scope.get("route")
    if not isinstance(story_id, str) or route is None:
        return None
    target = service.store.merged_story(story_id)
    if target is None:
        return None
    path = route.url_path_for(route.name, **{**request.path_params, "story_id": target})
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"{path}{query}", status_code=301)

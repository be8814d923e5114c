"""Serve a stored, up-to-date brief straight from the store, before routing.

GET /api/stories/{id} for a stored brief is the hot read. Answering it here costs two indexed
reads and one send (plus a scan that nulls non-http(s) `url`s, as every API answer does);
anything else (a stale brief, a missing story, other paths) goes on to the
FastAPI app unchanged, which gives the same answer, only slower.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

from newsprism.api.security import json_with_http_urls_only
from newsprism.errors import NewsprismError
from newsprism.service import Service

_STORY_PATH = re.compile(r"^/api/stories/([^/]+)$")


class StoredBriefFastPath:
    """ASGI middleware answering GET /api/stories/{id} when its brief is stored and fresh."""

    def __init__(self, app: ASGIApp, *, service: Service) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = _STORY_PATH.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        try:
            text = self.service.fresh_brief_json(match.group(1))
        except NewsprismError:
            text = None  # e.g. no such story: the app answers with the error shape
        if text is None:
            await self.app(scope, receive, send)
            return
        # backslashreplace: a lone surrogate (only possible inside a JSON string) goes out as
        # its JSON escape instead of failing the response.
        body = json_with_http_urls_only(text).encode("utf-8", "backslashreplace")
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"x-newsprism-brief", b"stored"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

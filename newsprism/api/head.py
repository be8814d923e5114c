"""HEAD on every GET route: run the GET, send its status and headers, drop the body.

FastAPI routes declared with GET answer HEAD with 405; HTTP says HEAD is GET without the body
(RFC 9110 9.3.2), and link checkers and caches use it.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """ASGI middleware answering HEAD as the GET of the same path, without a body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def bodiless_send(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # a streamed body: wait for its last part, then send nothing
                # Content-Length stays the GET's, as HTTP asks; no bytes follow.
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, bodiless_send)

"""One JSON error shape for every HTTP error: {"ok": false, "error", "status", "errors": [...]}.

Library code raises `newsprism.errors` classes; only here do they become HTTP statuses.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsprism.errors import InputError, NewsprismError, NoArticles, StoreError, StoreSchemaTooNew
from newsprism.service import NotFound

logger = logging.getLogger(__name__)


class WriteFailed(NewsprismError):
    """A job failed in a writer (or was refused before it ran); carries its HTTP status."""

    code = "E600"

    def __init__(self, message: str, status: int, headers: Mapping[str, str] | None = None) -> None:
        Exception.__init__(self, message)
        self.message = message
        self.status = status
        self.headers = dict(headers or {})


class ApiJSONResponse(JSONResponse):
    """JSON as UTF-8; a lone surrogate in stored text goes out as its JSON escape (it can only
    sit inside a JSON string), where plain encoding would fail the whole response."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8", "backslashreplace")


def error_body(status: int, message: str, errors: list[Any] | None = None) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status, "errors": errors or []}


def error_response(
    status: int,
    message: str,
    errors: list[Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> ApiJSONResponse:
    return ApiJSONResponse(error_body(status, message, errors), status_code=status, headers=headers)


async def send_error(
    send: Send, status: int, message: str, headers: Mapping[str, str] | None = None
) -> None:
    """Send the error shape from ASGI middleware (before any route ran)."""
    headers = headers or {}
    payload = json.dumps(error_body(status, message)).encode()
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        *(
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in headers.items()
        ),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": payload})


def status_of(error: NewsprismError) -> int:
    """The HTTP status for a library error."""
    if isinstance(error, WriteFailed):
        return error.status
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, InputError | NoArticles):
        return 422
    if isinstance(error, StoreSchemaTooNew | StoreError):
        return 503
    return 400


def validation_errors(error: RequestValidationError) -> list[dict[str, str]]:
    """Pydantic's error list as [{"location", "message"}], the shape clients see."""
    return [
        {
            "location": ".".join(str(part) for part in item.get("loc", ())),
            "message": str(item.get("msg", "")),
        }
        for item in error.errors()
    ]


def install_error_handlers(app: FastAPI) -> None:
    """Route every error the app raises on purpose through `error_response`.

    Unexpected exceptions are answered by `UnexpectedErrors` (a middleware), not by an
    `Exception` handler: Starlette re-raises after such a handler, which drops the connection.
    """

    @app.exception_handler(NewsprismError)
    async def _newsprism(request: Request, error: NewsprismError) -> Response:
        headers = error.headers if isinstance(error, WriteFailed) else None
        return error_response(status_of(error), str(error), headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        message = error.detail if isinstance(error.detail, str) else "request failed"
        headers = error.headers
        if error.status_code == 405:
            # Starlette names the methods of the first route on the path only; a path served
            # by two routes (GET and PATCH of one article) allows the methods of both.
            headers = {**(headers or {}), "Allow": ", ".join(_allowed(request))}
        return error_response(error.status_code, message, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> Response:
        errors = validation_errors(error)
        summary = "; ".join(f"{e['location']}: {e['message']}" for e in errors)
        return error_response(422, f"invalid request: {summary}", errors)


def _allowed(request: Request) -> list[str]:
    from starlette.routing import Route

    methods: set[str] = set()
    for route in request.app.routes:
        if isinstance(route, Route) and route.methods and route.path_regex.match(request.url.path):
            methods |= route.methods
    return sorted(methods)


class TrackedSend:
    """An ASGI `send` that remembers whether the response has started (after that, an error
    can no longer be answered with a response of its own)."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self.send(message)


class UnexpectedErrors:
    """Answer an unhandled exception with a 500 in the error shape, keeping the connection.

    The exception is logged with its traceback; the client sees its class name only.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tracked = TrackedSend(send)
        try:
            await self.app(scope, receive, tracked)
        except Exception as error:
            logger.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if tracked.started:  # half a response is out: only closing the connection is honest
                raise
            message = f"internal error ({type(error).__name__}); see the server log"
            await send_error(send, 500, message)

"""One JSON error shape for every HTTP error: {"ok": false, "error", "status", "errors": [...]}.

Library code raises `newsprism.errors` classes; only here do they become HTTP statuses.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsprism.errors import InputError, NewsprismError, NoArticles, StoreError, StoreSchemaTooNew
from newsprism.service import NotFound

logger = logging.getLogger(__name__)


def error_body(status: int, message: str, errors: list[Any] | None = None) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status, "errors": errors or []}


def error_response(
    status: int,
    message: str,
    errors: list[Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(status, message, errors), status_code=status, headers=headers)


def status_of(error: NewsprismError) -> int:
    """The HTTP status for a library error."""
    from newsprism.api.writer import WriteFailed

    if isinstance(error, WriteFailed):
        return error.status
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, InputError | NoArticles):
        return 422
    if isinstance(error, StoreSchemaTooNew | StoreError):
        return 503
    return 400


def install_error_handlers(app: FastAPI) -> None:
    """Route every error the app can raise through `error_response`."""

    @app.exception_handler(NewsprismError)
    async def _newsprism(request: Request, error: NewsprismError) -> Response:
        return error_response(status_of(error), str(error))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        message = error.detail if isinstance(error.detail, str) else "request failed"
        return error_response(error.status_code, message, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> Response:
        errors = [
            {
                "location": ".".join(str(part) for part in item.get("loc", ())),
                "message": item.get("msg", ""),
            }
            for item in error.errors()
        ]
        summary = "; ".join(f"{e['location']}: {e['message']}" for e in errors)
        return error_response(422, f"invalid request: {summary}", errors)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, f"internal error ({type(error).__name__}); see the server log")

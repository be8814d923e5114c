"""The HTTP API (FastAPI; OpenAPI at /docs) and, through `pages`, the web UI, over one store.

create_app("newsprism.db")                         # SQLite file
create_app("postgresql://...", token="secret")     # writes need "Authorization: Bearer secret"

Around the routes, outermost first: unexpected errors become a 500 in the error shape,
foreign Host headers are refused, HEAD runs as GET, cross-site and non-JSON writes are
refused, bodies are size-limited, and fresh stored briefs are answered before routing.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from starlette.datastructures import UploadFile

from newsprism.api.changes import install_changes_api
from newsprism.api.errors import (
    ApiJSONResponse,
    UnexpectedErrors,
    error_response,
    install_error_handlers,
)
from newsprism.api.fastpath import StoredBriefFastPath
from newsprism.api.head import HeadAsGet
from newsprism.api.records import payload_schema, read_articles, request_body
from newsprism.api.security import (
    BodyLimit,
    HostCheck,
    Refusals,
    WriteGuard,
    http_urls_only,
    json_with_http_urls_only,
    token_ok,
)
from newsprism.api.writer import (
    BriefRecords,
    IngestBytes,
    ProcessLane,
    SetOutlet,
    StoryBrief,
    ThreadLane,
    WorkerLimits,
    Workers,
)
from newsprism.data.api_limits import DEFAULT_MAX_BODY, MAX_OFFSET
from newsprism.service import IngestReport, Service
from newsprism.store import open_store

API_DESCRIPTION = """Ingest news articles, browse stories, and read each story's cited
cross-source brief (the `newsprism/brief@1` JSON contract). Every error has the shape
`{"ok": false, "error": message, "status": code, "errors": [...]}`.

Writes take JSON (`application/json`) or files (`multipart/form-data`) only. A browser page of
another origin cannot write (403) unless it sends the token. Requests naming another host
(`Host` header) are refused (421). Article `url`s are given only when they are http(s)."""

WRITE_PATHS = ("/api/articles", "/api/brief")
# Imported by a (re)started writer before it takes jobs: what every ingest needs.
WRITER_MODULES = ("newsprism.ingest", "newsprism.clean", "newsprism.stories.online")


class OutletCorrection(BaseModel):
    """The body of an outlet correction."""

    model_config = ConfigDict(extra="forbid")
    outlet: str = Field(
        min_length=1,
        max_length=120,
        # Some visible character, and no control characters (they would reach terminals).
        pattern=r"^[^\x00-\x1f]*[^\x00-\x1f\s][^\x00-\x1f]*$",
        description="the outlet's name as readers know it",
    )


class ApiError(BaseModel):
    """The one error shape."""

    ok: Literal[False]
    error: str
    status: int
    errors: list[Any]


# What a client can do next with an ingest report (OpenAPI links; schemathesis follows them).
_ADDED_LINKS = {
    "GetAddedArticle": {
        "operationId": "get_article",
        "parameters": {"article_id": "$response.body#/added/0/id"},
    },
    "GetAddedStory": {
        "operationId": "get_story",
        "parameters": {"story_id": "$response.body#/added/0/story_id"},
    },
    "GetAddedStoryChanges": {
        "operationId": "get_story_changes",
        "parameters": {"story_id": "$response.body#/added/0/story_id"},
    },
}


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    reasons = {
        400: "the body is not valid JSON",
        401: "a write token is configured and was not given",
        403: "a cross-site write without the token",
        404: "no such story or article",
        413: "the body, or the memory its input needs, is over the limit",
        415: "the body is neither JSON nor multipart",
        421: "the Host header names another server",
        422: "the request is invalid (the error names the field)",
        500: "the writer process died running this request (it is restarted)",
        503: "the server is busy or its store is unavailable; retry",
        504: "the job ran past its time limit and was stopped",
    }
    return {code: {"model": ApiError, "description": reasons[code]} for code in codes}


def mount_offline_docs(app: FastAPI) -> None:
    """Swagger UI at /docs from the files of the swagger-ui-bundle package (works offline).

    Swagger UI 5 reads OpenAPI 3.1 (what FastAPI writes). The page gets a language, a
    stylesheet of ours that brings Swagger UI's colours to WCAG AA contrast, a script that
    gives its scrollable code examples a tab stop, and no deep links
    (a deep link is a link nested in each operation's button, which screen readers cannot
    reach)."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs-static", StaticFiles(directory=swagger_ui_path), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="newsprism API",
            swagger_js_url="/docs-static/swagger-ui-bundle.js",
            swagger_css_url="/docs-static/swagger-ui.css",
            swagger_favicon_url="/docs-static/favicon-32x32.png",
            swagger_ui_parameters={"deepLinking": False},
        )
        html = bytes(page.body).decode("utf-8")
        html = html.replace("<html>", '<html lang="en">', 1).replace(
            "</head>",
            '<link rel="stylesheet" href="/static/docs.css">\n'
            '<script src="/static/docs.js" defer></script>\n</head>',
            1,
        )
        return HTMLResponse(html)


def make_workers(
    db: str,
    service: Service,
    kind: Literal["thread", "process"],
    limits: WorkerLimits | None = None,
) -> Workers:
    """The write and compute lanes, in threads of this process or in supervised children.

    *limits* apply to both lanes; by default each lane's come from the environment."""
    write = limits or WorkerLimits.from_env("write")
    compute = limits or WorkerLimits.from_env("compute")
    if kind == "process":
        return Workers(
            write=ProcessLane(db, "writer", limits=write, warm_modules=WRITER_MODULES),
            compute=ProcessLane(db, "brief-computer", limits=compute),
        )
    return Workers(
        write=ThreadLane(service, "write", write), compute=ThreadLane(service, "brief", compute)
    )


def allowed_hosts_from_env() -> list[str]:
    """NEWSPRISM_ALLOWED_HOSTS: extra names the server answers to (a proxy's public name)."""
    return [name for name in os.environ.get("NEWSPRISM_ALLOWED_HOSTS", "").split(",") if name]


def create_app(
    db: str,
    *,
    token: str | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    writer_kind: Literal["thread", "process"] = "thread",
    allowed_hosts: Iterable[str] | None = None,
    limits: WorkerLimits | None = None,
) -> FastAPI:
    """The ASGI app serving the store at *db*; *token*, when given, guards every write.

    *writer_kind* "process" runs ingest and brief computation in supervised child processes
    (what `newsprism serve` uses); "thread" keeps them on threads of this process (tests).
    The Host header may name the address a connection arrived on (with the loopback names for
    a loopback address) or one of *allowed_hosts* (default: NEWSPRISM_ALLOWED_HOSTS). *limits*
    bound each job of both lanes (default: each lane's from the environment, see
    `WorkerLimits.from_env`).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        workers.close()
        service.store.close()

    service = Service(open_store(db))
    workers = make_workers(db, service, writer_kind, limits)
    app = FastAPI(
        title="newsprism",
        description=API_DESCRIPTION,
        version="1",
        lifespan=lifespan,
        docs_url=None,  # served below from local files: the default page loads them from a CDN
        redoc_url=None,
        default_response_class=ApiJSONResponse,
        responses=_errors(421),
    )
    mount_offline_docs(app)
    app.state.service = service
    app.state.token = token
    app.state.writer = workers  # `api/pages.py` runs its writes and briefs here too
    # add_middleware wraps: the last added runs first.
    app.add_middleware(StoredBriefFastPath, service=service)
    app.add_middleware(BodyLimit, max_bytes=max_body)
    refusals = Refusals()
    app.state.refusals = refusals
    app.add_middleware(WriteGuard, token=token, body_paths=WRITE_PATHS, refusals=refusals)
    app.add_middleware(HeadAsGet)
    hosts = allowed_hosts_from_env() if allowed_hosts is None else list(allowed_hosts)
    app.add_middleware(HostCheck, allowed_hosts=hosts, refusals=refusals)
    app.add_middleware(UnexpectedErrors)
    install_error_handlers(app)
    install_routes(app, service, workers, refusals)
    _document_bodies(app)

    from newsprism.api.pages import install_pages

    install_pages(app, service)
    return app


def install_routes(app: FastAPI, service: Service, workers: Workers, refusals: Refusals) -> None:
    """The /api routes."""
    # In this order: the OpenAPI document lists the paths as they were registered.
    _install_health_route(app, service, workers, refusals)
    _install_ingest_route(app, workers)
    _install_read_routes(app, service, workers)
    install_changes_api(app, service, errors=_errors(404, 422, 500, 503, 504))
    _install_brief_route(app, workers)


def _unauthorized() -> ApiJSONResponse:
    return error_response(
        401,
        "this server needs a token for writes: send 'Authorization: Bearer <NEWSPRISM_TOKEN>'",
        headers={"WWW-Authenticate": "Bearer"},
    )


def _install_health_route(
    app: FastAPI, service: Service, workers: Workers, refusals: Refusals
) -> None:
    @app.get("/api/health", tags=["meta"], operation_id="health")
    def health() -> dict[str, Any]:
        """Liveness, store counts, the state of the writer lanes, and the requests refused by
        the Host and cross-site guards."""
        return {
            "ok": True,
            "store": type(service.store).__name__,
            "counts": service.store.counts(),
            "workers": workers.status(),
            "refused": refusals.as_dict(),
        }


def _install_ingest_route(app: FastAPI, workers: Workers) -> None:
    @app.post(
        "/api/articles",
        tags=["articles"],
        openapi_extra={"requestBody": request_body(multipart=True)},
        operation_id="post_articles",
        responses={
            201: {"description": "at least one article was added", "links": _ADDED_LINKS},
            **_errors(401, 403, 413, 415, 422, 500, 503, 504),
        },
    )
    async def post_articles(
        request: Request,
    ) -> ApiJSONResponse:
        """Ingest articles: a JSON body `{"articles": [record, ...]}` (or a list of records, or
        one record), or a multipart upload of files (field `files`, any input format: .txt,
        .html, .json, .jsonl, feeds, WARC). Stored idempotently by content hash; rejected
        inputs are kept with their reason. Answers the ingest report (added, duplicates,
        rejected): 201 when something was added, else 200."""
        if not token_ok(app.state.token, request.headers.get("authorization")):
            return _unauthorized()
        content_type = request.headers.get("content-type", "")
        if content_type.lower().startswith("multipart/form-data"):
            report = await _ingest_upload(workers, request)
        else:
            records = read_articles(await request.body())
            report = await workers.run(IngestBytes.of_records(records, source="api"))
        status = 201 if report.added else 200
        return ApiJSONResponse({"ok": not report.rejected, **report.as_dict()}, status_code=status)

    @app.patch(
        "/api/articles/{article_id}",
        tags=["articles"],
        operation_id="set_article_outlet",
        responses=_errors(400, 401, 403, 404, 415, 422, 500, 503, 504),
    )
    async def patch_article(
        article_id: str, correction: OutletCorrection, request: Request
    ) -> ApiJSONResponse:
        """Correct an article's outlet (`{"outlet": "The Guardian"}`): its story's outlet count
        is redone at once and its brief when next read. Answers `{"id", "outlet", "story_id"}`."""
        if not token_ok(app.state.token, request.headers.get("authorization")):
            return _unauthorized()
        if not request.headers.get("content-type", "").lower().startswith("application/json"):
            return error_response(415, "send the correction as application/json")
        result = await workers.run(SetOutlet(article_id, correction.outlet))
        return ApiJSONResponse(result)


def _install_read_routes(app: FastAPI, service: Service, workers: Workers) -> None:
    """GET of stories, one story's brief and one article."""

    @app.get("/api/stories", tags=["stories"], operation_id="list_stories")
    def get_stories(
        q: str | None = Query(default=None, max_length=500, description="full-text search"),
        since: Annotated[
            date | datetime | None,
            BeforeValidator(_iso_text_only),
            Query(description="ISO date or date-time (UTC unless it says): news since"),
        ] = None,
        limit: int = Query(default=50, ge=1, le=500),
        offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
    ) -> dict[str, Any]:
        """Stories, newest first, with outlet counts and dates; `q` searches titles and text."""
        page = service.list_stories(query=q, since=_iso_utc(since), limit=limit, offset=offset)
        following = offset + limit if offset + limit < page.total else None
        return {
            "ok": True,
            "total": page.total,
            "limit": limit,
            "offset": offset,
            "next_offset": following,
            "stories": [story.as_dict() for story in page.stories],
        }

    @app.get(
        "/api/stories/{story_id}",
        tags=["stories"],
        operation_id="get_story",
        responses=_errors(404, 500, 503, 504),
    )
    async def get_story(story_id: str) -> Response:
        """The story's brief as the `newsprism/brief@1` contract (computed when stale, stored).
        Header `X-Newsprism-Brief` says `stored` or `computed`."""
        # A fresh stored brief is usually answered by StoredBriefFastPath before routing.
        fresh = service.fresh_brief_json(story_id)
        if fresh is not None:
            text, stored = fresh, True
        else:
            # Computed in the compute lane: ingest goes on meanwhile.
            text, stored = await workers.run(StoryBrief(story_id))
        return Response(
            json_with_http_urls_only(text).encode("utf-8", "backslashreplace"),
            media_type="application/json",
            headers={"X-Newsprism-Brief": "stored" if stored else "computed"},
        )

    @app.get(
        "/api/articles/{article_id}",
        tags=["articles"],
        operation_id="get_article",
        responses=_errors(404),
    )
    def get_article(article_id: str) -> dict[str, Any]:
        """One stored article (cleaned text, removed debris, sources, story); `url` is null
        unless it is an http(s) URL."""
        data: dict[str, Any] = http_urls_only(service.get_article(article_id))
        return data


def _install_brief_route(app: FastAPI, workers: Workers) -> None:
    @app.post(
        "/api/brief",
        tags=["brief"],
        operation_id="post_brief",
        openapi_extra={"requestBody": request_body(multipart=False)},
        responses=_errors(401, 403, 413, 415, 422, 500, 503, 504),
    )
    async def post_brief(
        request: Request,
    ) -> ApiJSONResponse:
        """A one-shot brief of the posted records (clustered into stories); nothing is stored."""
        if not token_ok(app.state.token, request.headers.get("authorization")):
            return _unauthorized()
        records = read_articles(await request.body())
        data = await workers.run(BriefRecords(tuple(records)))
        return ApiJSONResponse(http_urls_only(data))


_ISO_DATE_START = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_text_only(value: Any) -> Any:
    """Refuse what pydantic would otherwise read as a date: "0.5" (epoch seconds) is not ISO."""
    if isinstance(value, str) and not _ISO_DATE_START.match(value):
        raise ValueError("write an ISO date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SS)")
    return value


def _iso_utc(moment: date | datetime | None) -> str | None:
    """*moment* as the store compares it: ISO text, naive UTC (as ingest stores dates)."""
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return None if moment is None else moment.isoformat()


def _document_bodies(app: FastAPI) -> None:
    """Add the record schemas the hand-written request bodies refer to to the OpenAPI."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            _, components = payload_schema()
            schema.setdefault("components", {}).setdefault("schemas", {}).update(components)
            if app.state.token:
                _document_token(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _document_token(schema: dict[str, Any]) -> None:
    """Mark the writes as needing the bearer token (only a server with a token needs one)."""
    schema["components"]["securitySchemes"] = {
        "token": {"type": "http", "scheme": "bearer", "description": "the NEWSPRISM_TOKEN"}
    }
    for path in WRITE_PATHS:
        schema["paths"][path]["post"]["security"] = [{"token": []}]


async def _ingest_upload(workers: Workers, request: Request) -> IngestReport:
    from starlette.exceptions import HTTPException as StarletteHTTPException

    try:
        form = await request.form()
    except StarletteHTTPException as error:  # Starlette's 400 for a broken multipart body
        raise RequestValidationError(
            [{"loc": ("body",), "msg": f"the multipart body is malformed ({error.detail})"}]
        ) from error
    unknown = sorted({name for name in form if name != "files"})
    if unknown:
        raise RequestValidationError(
            [
                {
                    "loc": ("body", unknown[0]),
                    "msg": f"unknown form fields {unknown}; send files in 'files'",
                }
            ]
        )
    uploads = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
    if not uploads:
        raise RequestValidationError(
            [{"loc": ("body", "files"), "msg": "no file uploaded; send files in the field 'files'"}]
        )
    report = IngestReport()
    for upload in uploads:
        data = await upload.read()
        name = upload.filename or "upload"
        part = await workers.run(IngestBytes(f"upload:{name}", data, filename=name))
        report.added += part.added
        report.duplicates += part.duplicates
        report.rejected += part.rejected
    return report

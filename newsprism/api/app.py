"""The HTTP API (FastAPI; OpenAPI at /docs) and, through `pages`, the web UI, over one store.

create_app("newsprism.db")                         # SQLite file
create_app("postgresql://...", token="secret")     # writes need "Authorization: Bearer secret"
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import FastAPI, Header, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from newsprism.api.errors import error_response, install_error_handlers
from newsprism.api.fastpath import StoredBriefFastPath
from newsprism.api.security import DEFAULT_MAX_BODY, BodyLimit, token_ok
from newsprism.api.writer import WriteProcess, Writer, WriteThread
from newsprism.contract import StoredArticleDict
from newsprism.service import IngestReport, Service
from newsprism.store import open_store

API_DESCRIPTION = """Ingest news articles, browse stories, and read each story's cited
cross-source brief (the `newsprism/brief@1` JSON contract). Every error has the shape
`{"ok": false, "error": message, "status": code, "errors": [...]}`."""


class ArticleRecord(BaseModel):
    """One article as a JSON record (the JSONL record shape); `text` or `html` is required."""

    model_config = {"extra": "allow"}

    id: str | None = None
    text: str | None = None
    html: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    story: str | None = None


class ArticlesBody(BaseModel):
    """Articles to ingest or brief."""

    articles: list[ArticleRecord] = Field(min_length=1, max_length=1000)


def _records(body: ArticlesBody) -> list[dict[str, Any]]:
    return [record.model_dump(exclude_none=True) for record in body.articles]


def mount_offline_docs(app: FastAPI) -> None:
    """Swagger UI at /docs from the files of the swagger-ui-bundle package (works offline)."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs-static", StaticFiles(directory=swagger_ui_path), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="newsprism API",
            swagger_js_url="/docs-static/swagger-ui-bundle.js",
            swagger_css_url="/docs-static/swagger-ui.css",
            swagger_favicon_url="/docs-static/favicon-32x32.png",
        )


def create_app(
    db: str,
    *,
    token: str | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    writer_kind: Literal["thread", "process"] = "thread",
) -> FastAPI:
    """The ASGI app serving the store at *db*; *token*, when given, guards every write.

    *writer_kind* "process" runs ingest and brief computation in a child process (what
    `newsprism serve` uses); "thread" keeps them on one thread of this process (tests).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        writer.close()
        service.store.close()

    service = Service(open_store(db))
    writer: Writer = WriteProcess(db) if writer_kind == "process" else WriteThread(service)
    app = FastAPI(
        title="newsprism",
        description=API_DESCRIPTION,
        version="1",
        lifespan=lifespan,
        docs_url=None,  # served below from local files: the default page loads them from a CDN
        redoc_url=None,
    )
    mount_offline_docs(app)
    app.state.service = service
    app.state.token = token
    app.state.writer = writer
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.add_middleware(StoredBriefFastPath, service=service)
    install_error_handlers(app)

    def _unauthorized() -> JSONResponse:
        return error_response(
            401,
            "this server needs a token for writes: send 'Authorization: Bearer <NEWSPRISM_TOKEN>'",
            headers={"WWW-Authenticate": "Bearer"},
        )

    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, Any]:
        """Liveness and store counts."""
        return {"ok": True, "store": type(service.store).__name__, "counts": service.store.counts()}

    @app.post("/api/articles", tags=["articles"])
    async def post_articles(
        request: Request, authorization: str | None = Header(default=None)
    ) -> JSONResponse:
        """Ingest articles: a JSON body `{"articles": [record, ...]}` (or a list of records), or
        a multipart upload of files (field `files`, any input format: .txt, .html, .json, .jsonl,
        feeds, WARC). Stored idempotently by content hash; rejected inputs are kept with their
        reason. Answers the ingest report (added, duplicates, rejected)."""
        if not token_ok(app.state.token, authorization):
            return _unauthorized()
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("multipart/form-data"):
            report = await _ingest_upload(writer, request)
        else:
            body = await _json_articles(request)
            report = await writer.run("ingest_records", _records(body), source="api")
        status = 201 if report.added else 200
        return JSONResponse({"ok": not report.rejected, **report.as_dict()}, status_code=status)

    @app.get("/api/stories", tags=["stories"])
    def get_stories(
        q: str | None = Query(default=None, max_length=500, description="full-text search"),
        since: str | None = Query(default=None, description="ISO date: stories with news since"),
        limit: int = Query(default=50, ge=1, le=500),
        offset: int = Query(default=0, ge=0),
    ) -> dict[str, Any]:
        """Stories, newest first, with outlet counts and dates; `q` searches titles and text."""
        page = service.list_stories(query=q, since=since, limit=limit, offset=offset)
        following = offset + limit if offset + limit < page.total else None
        return {
            "ok": True,
            "total": page.total,
            "limit": limit,
            "offset": offset,
            "next_offset": following,
            "stories": [story.as_dict() for story in page.stories],
        }

    @app.get("/api/stories/{story_id}", tags=["stories"])
    async def get_story(story_id: str) -> Response:
        """The story's brief as the `newsprism/brief@1` contract (computed when stale, stored).
        Header `X-Newsprism-Brief` says `stored` or `computed`."""
        # A stored brief is two indexed reads (well under a millisecond): answer it on the
        # event loop, skipping the thread hop; only a stale brief goes to a worker thread.
        fresh = service.fresh_brief_json(story_id)
        if fresh is not None:
            text, stored = fresh, True
        else:
            text, stored = await writer.run("story_brief_json", story_id)
        return Response(
            text,
            media_type="application/json",
            headers={"X-Newsprism-Brief": "stored" if stored else "computed"},
        )

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def get_article(article_id: str) -> StoredArticleDict:
        """One stored article (cleaned text, removed debris, sources, story)."""
        return service.get_article(article_id)

    @app.post("/api/brief", tags=["brief"])
    async def post_brief(
        body: ArticlesBody, authorization: str | None = Header(default=None)
    ) -> JSONResponse:
        """A one-shot brief of the posted records (clustered into stories); nothing is stored."""
        if not token_ok(app.state.token, authorization):
            return _unauthorized()
        # Model work: on the writer, away from the threads that answer reads.
        return JSONResponse(await writer.run("brief_records", _records(body)))

    from newsprism.api.pages import install_pages

    install_pages(app, service)
    return app


async def _json_articles(request: Request) -> ArticlesBody:
    from fastapi.exceptions import RequestValidationError
    from pydantic import ValidationError

    raw = await request.body()
    try:
        payload = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RequestValidationError(
            [{"loc": ("body",), "msg": f"not valid JSON ({error}); send {{'articles': [...]}}"}]
        ) from error
    if isinstance(payload, list):
        payload = {"articles": payload}
    elif isinstance(payload, dict) and "articles" not in payload:
        payload = {"articles": [payload]}
    try:
        return ArticlesBody.model_validate(payload)
    except ValidationError as error:
        raise RequestValidationError(error.errors()) from error


async def _ingest_upload(writer: Writer, request: Request) -> IngestReport:
    from fastapi.exceptions import RequestValidationError

    form = await request.form()
    uploads = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
    if not uploads:
        raise RequestValidationError(
            [{"loc": ("body", "files"), "msg": "no file uploaded; send files in the field 'files'"}]
        )
    report = IngestReport()
    for upload in uploads:
        data = await upload.read()
        name = upload.filename or "upload"
        part = await writer.run("ingest_bytes", f"upload:{name}", data, filename=name)
        report.added += part.added
        report.duplicates += part.duplicates
        report.rejected += part.rejected
    return report

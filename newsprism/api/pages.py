"""The web UI: server-rendered pages (Jinja2, autoescaped) over the same service as the API.

Each page has one function building its data from the service (the brief JSON contract for a
story), then a template renders it. Article text is untrusted and only ever reaches the page
through autoescaped template variables; the JS fills nothing from text (no innerHTML).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import UploadFile

from newsprism.api.security import token_ok
from newsprism.contract import BriefDict
from newsprism.errors import NewsprismError
from newsprism.render.view import date_text, interval_text
from newsprism.service import IngestReport, NotFound, Service

_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[_-]")  # "2031-03-10_valley-post" -> "valley-post"
WEB = Path(__file__).resolve().parent.parent / "web"
PAGE_SIZE = 25
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB / "templates"),
        autoescape=True,  # article text is untrusted: escape everything, always
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["outlet_name"] = lambda name: outlet_name(name, name)
    environment.filters["interval"] = interval_text
    environment.filters["date_text"] = date_text
    return environment


def _page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = _environment().get_template(template).render(**context)
    return HTMLResponse(
        html,
        status_code=status,
        headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"},
    )


def outlet_name(outlet: str | None, source: str) -> str:
    """The outlet to show: its name, else (plain-text inputs name none) the file it came from."""
    if outlet and outlet != "unknown":
        return outlet
    name = source.replace("\\", "/").rsplit("/", 1)[-1].removeprefix("upload:")
    stem = _DATE_PREFIX.sub("", name.rsplit(".", 1)[0])
    return stem or name or source


def story_page_data(service: Service, story_id: str, data: BriefDict) -> dict[str, Any]:
    """Everything the story page shows: the brief contract, indexed for the template."""
    from newsprism.render.view import BriefView

    class StoryView(BriefView):
        def outlet(self, article_id: str) -> str:
            article = self.articles.get(article_id)
            if article is None:
                return article_id
            return outlet_name(article.get("outlet"), str(article.get("source", "")))

    story = next(s for s in data["stories"] if s["id"] == story_id)
    numbers = {article["id"]: n for n, article in enumerate(data["articles"], start=1)}
    return {
        "data": data,
        "story": story,
        "view": StoryView(data),
        "numbers": numbers,
        "facts_by_id": {fact["id"]: fact for fact in story["facts"]},
        "row": service.store.get_story(story_id),
    }


def text_segments(text: str, start: int | None, end: int | None) -> list[dict[str, Any]]:
    """The article text as paragraphs (with their offsets), the cited range marked."""
    valid = start is not None and end is not None and 0 <= start < end <= len(text)
    paragraphs: list[dict[str, Any]] = []
    offset = 0
    for line in text.split("\n"):
        line_start, line_end = offset, offset + len(line)
        offset = line_end + 1
        if not line.strip():
            continue
        parts: list[tuple[str, bool]] = []
        if (
            valid
            and start is not None
            and end is not None
            and start < line_end
            and end > line_start
        ):
            cut_start, cut_end = max(start, line_start), min(end, line_end)
            parts = [
                (text[line_start:cut_start], False),
                (text[cut_start:cut_end], True),
                (text[cut_end:line_end], False),
            ]
        else:
            parts = [(line, False)]
        paragraphs.append({"start": line_start, "parts": [p for p in parts if p[0]]})
    return paragraphs


def _same_origin(request: Request) -> bool:
    """Refuse cross-site form posts (a page elsewhere posting into a local server)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def install_pages(app: FastAPI, service: Service) -> None:
    """Add the HTML pages and /static to *app*."""
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, error: NotFound) -> Response:
        if request.url.path.startswith("/api/"):
            from newsprism.api.errors import error_response

            return error_response(404, str(error))
        return _page("error.html", status=404, message=str(error), status_code=404)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(
        q: str | None = Query(default=None, max_length=500),
        page: int = Query(default=1, ge=1),
    ) -> HTMLResponse:
        result = service.list_stories(query=q, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        pages = max(1, -(-result.total // PAGE_SIZE))
        return _page(
            "stories.html",
            stories=result.stories,
            total=result.total,
            q=q or "",
            page=page,
            pages=pages,
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(story_id: str) -> HTMLResponse:
        text = service.fresh_brief_json(story_id)
        if text is None:
            text, _ = await app.state.writer.run("story_brief_json", story_id)
        data = json.loads(text)
        return _page("story.html", **story_page_data(service, story_id, data))

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(
        article_id: str,
        start: int | None = Query(default=None),
        end: int | None = Query(default=None),
    ) -> HTMLResponse:
        article = service.get_article(article_id)
        return _page(
            "article.html",
            article=article,
            outlet=outlet_name(article["outlet"], article["source"]),
            paragraphs=text_segments(article["text"], start, end),
            cited=start is not None,
        )

    @app.get("/add", response_class=HTMLResponse, include_in_schema=False)
    def add_page() -> HTMLResponse:
        return _page("add.html", need_token=bool(app.state.token))

    @app.post("/add", response_class=HTMLResponse, include_in_schema=False)
    async def add_submit(request: Request) -> HTMLResponse:
        writer = app.state.writer
        form = await request.form()
        field = form.get("token")
        if not _same_origin(request):
            return _page(
                "error.html", status=403, message="cross-site form post refused", status_code=403
            )
        if not token_ok(
            app.state.token,
            request.headers.get("authorization"),
            field if isinstance(field, str) else None,
        ):
            return _page(
                "add.html", status=401, need_token=True, message="a valid write token is needed"
            )
        report = IngestReport()
        text = form.get("text")
        if isinstance(text, str) and text.strip():
            record = {"text": text}
            for name in ("title", "outlet", "url", "published"):
                value = form.get(name)
                if isinstance(value, str) and value.strip():
                    record[name] = value.strip()
            _merge(report, await writer.run("ingest_records", [record], source="pasted"))
        for upload in form.getlist("files"):
            if isinstance(upload, UploadFile) and upload.filename:
                data = await upload.read()
                try:
                    part = await writer.run(
                        "ingest_bytes",
                        f"upload:{upload.filename}",
                        data,
                        filename=upload.filename,
                    )
                except NewsprismError as error:
                    return _page(
                        "add.html", status=422, need_token=bool(app.state.token), message=str(error)
                    )
                _merge(report, part)
        if not (report.added or report.duplicates or report.rejected):
            return _page(
                "add.html",
                status=422,
                need_token=bool(app.state.token),
                message="nothing to add: paste an article's text or choose files",
            )
        titles = {
            item["id"]: service.store.get_article(item["id"])
            for item in report.added + report.duplicates
        }
        return _page("added.html", report=report, articles=titles)


def _merge(report: IngestReport, part: IngestReport) -> None:
    report.added += part.added
    report.duplicates += part.duplicates
    report.rejected += part.rejected

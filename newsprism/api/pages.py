"""The web UI: server-rendered pages (Jinja2, autoescaped) over the same service as the API.

Each page has one function building its data from the service (the brief JSON contract for a
story), then a template renders it. Article text is untrusted and only ever reaches the page
through autoescaped template variables; the JS fills nothing from text (no innerHTML).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import FormData, UploadFile

from newsprism.api.changes import fresh_brief, install_feeds, moment_label, whats_new
from newsprism.api.merged import merged_story_redirect
from newsprism.api.security import token_ok
from newsprism.api.writer import IngestBytes, Lane
from newsprism.contract import BriefDict
from newsprism.data.listing import (
    DEFAULT_SORT,
    MARK_END,
    MARK_START,
    MAX_QUERY_CHARS,
    STORY_SORTS,
)
from newsprism.data.stopwords import ENGLISH_STOP_WORDS, NEWS_FILLER_WORDS
from newsprism.errors import NewsprismError
from newsprism.model import RawDocument, Rejection
from newsprism.outlets import is_named_outlet, outlet_label
from newsprism.render.view import BriefView, date_text, interval_text, safe_link
from newsprism.service import IngestReport, NotFound, Service
from newsprism.store import StoryFilter
from newsprism.text import plural, stem_term, words_of

WEB = Path(__file__).resolve().parent.parent / "web"
PAGE_SIZE = 25
# Items of a long story section shown before the rest is folded behind its count (<details>):
# about one phone screen of facts, quotes or dated events.
SECTION_VISIBLE = 6
FACT_GROUPS = (
    ("corroborated", "Corroborated", "stated by more than one independent source"),
    ("disputed", "Disputed", "outlets state it differently"),
    ("single_source", "Single source", "only one outlet reports it"),
)
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# An untitled article or story is named by its opening words, cut near this many characters.
UNTITLED_CHARS = 80
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB / "templates"),
        autoescape=True,  # article text is untrusted: escape everything, always
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["interval"] = interval_text
    environment.filters["timeline_date"] = timeline_date
    environment.filters["marked"] = marked_parts
    environment.filters["plural"] = plural
    environment.filters["short"] = short_text
    environment.filters["path_part"] = lambda value: quote(str(value), safe="")
    environment.filters["moment"] = moment_label
    return environment


def _page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = _environment().get_template(template).render(**context)
    return HTMLResponse(
        html,
        status_code=status,
        headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"},
    )


def short_text(text: str, limit: int = UNTITLED_CHARS) -> str:
    """The opening words of *text* (match marks removed), for an item that has no title."""
    flat = " ".join(text.replace(MARK_START, "").replace(MARK_END, "").split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + " …"


def marked_parts(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, matched) runs: the store marks matches with MARK_START/MARK_END."""
    parts: list[tuple[str, bool]] = []
    for index, chunk in enumerate(snippet.split(MARK_START)):
        if index == 0:
            parts.append((chunk, False))
            continue
        hit, _, rest = chunk.partition(MARK_END)
        parts.extend([(hit, True), (rest, False)])
    return [(text, hit) for text, hit in parts if text]


timeline_date = date_text  # the renderers' rule: one home for how a date is written


class StoryView(BriefView):
    """The brief indexed for the story page; outlets labelled by `outlet_label`."""

    def outlet(self, article_id: str) -> str:
        article = self.articles.get(article_id)
        if article is None:
            return article_id
        return outlet_label(str(article.get("outlet") or ""), str(article.get("source") or ""))

    def is_file(self, article_id: str) -> bool:
        """True when the article names no outlet (its label is a file name)."""
        article = self.articles.get(article_id)
        return article is None or not is_named_outlet(article["outlet"] or "")


def _fact_articles(fact: Mapping[str, Any]) -> list[str]:
    ids = fact.get("article_ids") or [c["article_id"] for c in fact.get("citations", [])]
    return sorted(set(ids))


def topical_words(text: str) -> frozenset[str]:
    """The words of *text* that say what it is about: stop words and reporting filler out,
    plurals folded (the clustering stage's fold)."""
    return frozenset(
        stem_term(word)
        for word in words_of(text)
        if len(word) > 2 and word not in ENGLISH_STOP_WORDS and word not in NEWS_FILLER_WORDS
    )


def fact_centrality(text: str, articles: Sequence[frozenset[str]]) -> float:
    """How central a fact is to its story: the mean share of the story's articles that use
    each of its topical words. A fact about what every article covers scores near 1, an aside
    that only its own article has near 1/n; 0 for a fact without topical words."""
    words = topical_words(text)
    if not words or not articles:
        return 0.0
    shares = [sum(1 for seen in articles if word in seen) / len(articles) for word in words]
    return sum(shares) / len(shares)


def fact_groups(
    facts: Sequence[Mapping[str, Any]],
    outlet: str | None,
    article_texts: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Facts grouped by status, ranked by independent sources, then articles carrying them,
    then centrality to the story (`fact_centrality` over *article_texts*); the brief's own
    order breaks ties. Only the facts of article *outlet* when given."""
    vocabularies = [topical_words(text) for text in article_texts]
    groups = []
    for status, title, meaning in FACT_GROUPS:
        chosen = [
            (index, fact)
            for index, fact in enumerate(facts)
            if fact.get("status") == status and (outlet is None or outlet in _fact_articles(fact))
        ]
        chosen.sort(
            key=lambda item: (
                -int(item[1].get("independent_sources") or 0),
                -len(_fact_articles(item[1])),
                -round(fact_centrality(str(item[1].get("text") or ""), vocabularies), 6),
                item[0],
            )
        )
        ranked = [fact for _, fact in chosen]
        groups.append(
            {
                "status": status,
                "title": title,
                "meaning": meaning,
                "count": len(ranked),
                "head": ranked[:SECTION_VISIBLE],
                "rest": ranked[SECTION_VISIBLE:],
            }
        )
    return groups


def story_page_data(
    service: Service, story_id: str, data: BriefDict, outlet: str | None = None
) -> dict[str, Any]:
    """Everything the story page shows: the brief contract, indexed for the template."""
    story = next(s for s in data["stories"] if s["id"] == story_id)
    numbers = {article["id"]: n for n, article in enumerate(data["articles"], start=1)}
    chosen = outlet if outlet in numbers else None
    dated = any(a.get("published") for a in data["articles"])
    return {
        "data": data,
        "story": story,
        "view": StoryView(data),
        "numbers": numbers,
        "facts_by_id": {fact["id"]: fact for fact in story["facts"]},
        "fact_groups": fact_groups(
            story["facts"], chosen, [str(a.get("text") or "") for a in data["articles"]]
        ),
        "outlet_filter": chosen,
        "articles_dated": dated,
        "visible": SECTION_VISIBLE,
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


@dataclass(frozen=True, slots=True, kw_only=True)
class ListParams:
    """What a story list was asked for (query string), checked; `problems` say what was not."""

    q: str = ""
    sort: str = DEFAULT_SORT
    since: str = ""
    until: str = ""
    outlet: str = ""
    entity: str = ""
    page: int = 1
    problems: tuple[str, ...] = ()

    def link(self, base: str = "/", **changes: Any) -> str:
        """The URL of this list with *changes* (a value of "" drops a filter); page 1 unless
        a page is given."""
        values = {
            "q": self.q,
            "sort": self.sort if self.sort != DEFAULT_SORT else "",
            "since": self.since,
            "until": self.until,
            "outlet": self.outlet,
            "entity": self.entity,
            "page": "",
        }
        values.update({key: str(value) for key, value in changes.items()})
        if values.get("sort") == DEFAULT_SORT:
            values["sort"] = ""
        if values.get("page") == "1":
            values["page"] = ""
        query = urlencode({k: v for k, v in values.items() if v})
        return f"{base}?{query}" if query else base

    @property
    def filtered(self) -> bool:
        return bool(self.q or self.since or self.until or self.outlet or self.entity)


def list_params(
    q: str | None, sort: str | None, since: str | None, until: str | None, **rest: Any
) -> ListParams:
    """Check a list request: a bad sort or date is dropped, with a message saying the fix."""
    problems: list[str] = []
    chosen_sort = sort or DEFAULT_SORT
    if chosen_sort not in STORY_SORTS:
        problems.append(
            f"unknown sort {chosen_sort!r}: choose one of {', '.join(STORY_SORTS)}; "
            f"showing {DEFAULT_SORT} first"
        )
        chosen_sort = DEFAULT_SORT
    days: dict[str, str] = {}
    for name, value in (("from", since), ("to", until)):
        value = (value or "").strip()
        if value and not _valid_day(value):
            problems.append(f"the {name} date {value!r} is not a date: write it as YYYY-MM-DD")
            value = ""
        days[name] = value
    return ListParams(
        q=(q or "").strip(),
        sort=chosen_sort,
        since=days["from"],
        until=days["to"],
        outlet=(rest.get("outlet") or "").strip(),
        entity=(rest.get("entity") or "").strip(),
        page=int(rest.get("page") or 1),
        problems=tuple(problems),
    )


def _valid_day(value: str) -> bool:
    if not _ISO_DAY.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def list_page(
    service: Service, params: ListParams, *, base: str = "/", entity_type: str | None = None
) -> HTMLResponse:
    """A story list (home, search or entity page): sorted, filtered, with facets."""
    store = service.store
    result = store.list_stories(
        query=params.q or None,
        since=params.since or None,
        until=params.until or None,
        outlet=params.outlet or None,
        entity=params.entity or None,
        sort=params.sort,
        limit=PAGE_SIZE,
        offset=(params.page - 1) * PAGE_SIZE,
    )
    where = StoryFilter(
        query=params.q or None,
        since=params.since or None,
        until=params.until or None,
        outlet=params.outlet or None,
        entity=params.entity or None,
    )
    return _page(
        "stories.html",
        status=422 if params.problems else 200,
        stories=result.stories,
        total=result.total,
        params=params,
        q=params.q,
        base=base,
        sorts=STORY_SORTS,
        facets=store.story_facets(where),
        pages=max(1, -(-result.total // PAGE_SIZE)),
        entity_type=entity_type,
    )


def _same_origin(request: Request) -> bool:
    """Refuse cross-site form posts (a page elsewhere posting into a local server)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def pasted_records(form: FormData) -> tuple[list[dict[str, str]], bytes | None]:
    """The articles pasted on the Add page: records (one article, or one per blank-line-
    separated block), or JSONL bytes for the ingest stage to read line by line."""
    text = form.get("text")
    if not isinstance(text, str) or not text.strip():
        return [], None
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # browsers post CRLF
    lines = [line for line in text.splitlines() if line.strip()]
    if form.get("split") == "jsonl" or all(line.lstrip().startswith("{") for line in lines):
        return [], text.encode("utf-8")
    shared: dict[str, str] = {}
    for name in ("outlet", "url", "published"):
        value = form.get(name)
        if isinstance(value, str) and value.strip():
            shared[name] = value.strip()
    if form.get("split") != "blocks":
        title = form.get("title")
        record = {"text": text, **shared}
        if isinstance(title, str) and title.strip():
            record["title"] = title.strip()
        return [record], None
    blocks = [block.strip() for block in re.split(r"\n[ \t]*\n", text) if block.strip()]
    return [{"text": block, **shared} for block in blocks], None


def added_rows(service: Service, report: IngestReport) -> dict[str, list[dict[str, Any]]]:
    """Each added or already stored article with its story: which it joined, or started."""
    rows: dict[str, list[dict[str, Any]]] = {"added": [], "duplicates": []}
    for kind in rows:
        for item in getattr(report, kind):
            article = service.store.get_article(item["id"])
            story = service.store.get_story(item["story_id"])
            first = service.store.story_articles(item["story_id"])[:1]
            rows[kind].append(
                {
                    "id": item["id"],
                    "title": (article.title or short_text(article.text) if article else "")
                    or "(untitled article)",
                    "outlet": outlet_label(article.outlet, article.source) if article else "",
                    "story_id": item["story_id"],
                    "story": (story.headline or short_text(story.snippet) if story else "")
                    or "(untitled story)",
                    "story_articles": story.article_count if story else 0,
                    "started": kind == "added" and bool(first) and first[0].id == item["id"],
                }
            )
    return rows


@dataclass(frozen=True, slots=True)
class IngestFetched:
    """Ingest the documents (and refusals) read from a URL given on the Add page.

    The page fetches in the server process (network I/O, bounded by the fetcher's deadline and
    size limit); only the read documents cross to the write lane."""

    lane: ClassVar[Lane] = "write"
    documents: tuple[RawDocument, ...]
    rejections: tuple[Rejection, ...]

    def run(self, service: Service) -> IngestReport:
        return service.ingest_documents(self.documents, self.rejections)


def fetch_page(url: str, *, allow_loopback: bool = False) -> IngestFetched:
    """Read *url* as `newsprism ingest URL` does (the same safe `Fetcher`: public addresses
    only, a deadline, a size limit); anything but an http(s) URL is refused, never read as a
    path on the server."""
    from newsprism.fetch import Fetcher
    from newsprism.ingest import read_inputs

    if safe_link(url) is None:
        refused = Rejection(
            source=url,
            reason="not a web address: give the page's full http:// or https:// URL",
            code="E000",
        )
        return IngestFetched(documents=(), rejections=(refused,))
    with Fetcher(allow_loopback=allow_loopback) as fetcher:
        result = read_inputs([url], fetcher=fetcher)
    return IngestFetched(documents=result.documents, rejections=result.rejections)


def install_pages(app: FastAPI, service: Service) -> None:
    """Add the HTML pages and /static to *app*."""
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    from newsprism.fetch import loopback_allowed

    app.state.fetch_allow_loopback = loopback_allowed()

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, error: NotFound) -> Response:
        moved = merged_story_redirect(service, request)
        if moved is not None:
            return moved
        if request.url.path.startswith("/api/"):
            from newsprism.api.errors import error_response

            return error_response(404, str(error))
        message = str(error).replace("list stories with GET /api/stories", "see the story list")
        return _page("error.html", status=404, message=message, status_code=404)

    _install_lists(app, service)
    install_feeds(app, service)  # before /stories/{story_id}, which would take "ID.atom"
    _install_reading(app, service)
    _install_add(app, service)


def _install_lists(app: FastAPI, service: Service) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(
        q: str | None = Query(default=None, max_length=MAX_QUERY_CHARS),
        sort: str | None = Query(default=None, max_length=20),
        since: str | None = Query(default=None, max_length=40),
        until: str | None = Query(default=None, max_length=40),
        outlet: str | None = Query(default=None, max_length=300),
        entity: str | None = Query(default=None, max_length=300),
        page: int = Query(default=1, ge=1),
    ) -> HTMLResponse:
        params = list_params(q, sort, since, until, outlet=outlet, entity=entity, page=page)
        return list_page(service, params)

    @app.get("/entities/{name}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(
        name: str,
        sort: str | None = Query(default=None, max_length=20),
        page: int = Query(default=1, ge=1),
    ) -> HTMLResponse:
        kind = service.store.entity_type(name)
        if kind is None:
            raise NotFound(
                f"no story names {name!r} (names come from the briefs: open a story to "
                "compute its brief, then its people and organisations link here)"
            )
        params = list_params(None, sort, None, None, entity=name, page=page)
        return list_page(
            service, params, base=f"/entities/{quote(name, safe='')}", entity_type=kind
        )


def _install_reading(app: FastAPI, service: Service) -> None:
    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(
        story_id: str,
        outlet: str | None = Query(default=None, max_length=200),
        since: str | None = Query(default=None, max_length=40),
    ) -> HTMLResponse:
        data = json.loads(await fresh_brief(app, service, story_id))
        news = whats_new(service, story_id, since)
        status = 422 if news["since_problem"] else 200
        context = {**story_page_data(service, story_id, data, outlet), **news}
        return _page("story.html", status=status, **context)

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
            outlet=outlet_label(article["outlet"] or "", article["source"] or ""),
            named_outlet=is_named_outlet(article["outlet"]),
            link=safe_link(article.get("url")),
            paragraphs=text_segments(article["text"], start, end),
            cited=start is not None,
        )


def _install_add(app: FastAPI, service: Service) -> None:
    def form_page(status: int, message: str | None = None, need: bool = False) -> HTMLResponse:
        return _page(
            "add.html", status=status, need_token=need or bool(app.state.token), message=message
        )

    @app.get("/add", response_class=HTMLResponse, include_in_schema=False)
    def add_page() -> HTMLResponse:
        return form_page(200)

    @app.post("/add", response_class=HTMLResponse, include_in_schema=False)
    async def add_submit(request: Request) -> HTMLResponse:
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
            return form_page(401, "a valid write token is needed", need=True)
        try:
            report = await _ingest_form(app, form)
        except NewsprismError as error:
            return form_page(422, str(error))
        if not (report.added or report.duplicates or report.rejected):
            return form_page(
                422, "nothing to add: give a page's URL, paste an article's text or choose files"
            )
        return _page("added.html", report=report, rows=added_rows(service, report))


async def _ingest_form(app: FastAPI, form: FormData) -> IngestReport:
    """Ingest what the Add form holds: a page to fetch, pasted text (one or several
    articles) and files."""
    writer = app.state.writer
    report = IngestReport()
    url = form.get("fetch_url")
    if isinstance(url, str) and url.strip():
        loopback = bool(app.state.fetch_allow_loopback)
        fetched = await asyncio.to_thread(fetch_page, url.strip(), allow_loopback=loopback)
        _merge(report, await writer.run(fetched))
    records, jsonl = pasted_records(form)
    if records:
        _merge(report, await writer.run(IngestBytes.of_records(records, source="pasted")))
    if jsonl is not None:
        _merge(report, await writer.run(IngestBytes("pasted", jsonl, filename="pasted.jsonl")))
    for upload in form.getlist("files"):
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read()
            try:
                part = await writer.run(
                    IngestBytes(f"upload:{upload.filename}", data, filename=upload.filename)
                )
            except NewsprismError as error:  # one bad file: say so, keep the others
                code = str(getattr(error, "code", "") or "E000")
                part = IngestReport(
                    rejected=[Rejection(source=upload.filename, reason=str(error), code=code)]
                )
            _merge(report, part)
    return report


def _merge(report: IngestReport, part: IngestReport) -> None:
    report.added += part.added
    report.duplicates += part.duplicates
    report.rejected += part.rejected

"""The local web UI: ``create_app(db_path)`` returns a FastAPI app, read-only unless
``allow_edits`` (then the corrections of ``web.edits`` are served, behind a CSRF token).

Pages are server-rendered with the same Jinja2 templates as the static report; a JSON API
under ``/api/`` returns ``storyline/v1`` objects; OpenAPI docs are at ``/docs``;
``/feeds/stories.atom`` is the Atom feed of stories (``report.atom``). The story list shows
what changed since the last poll, or since the reader last followed ``/seen`` (which only
sets a cookie; nothing is stored on the server). Every request
opens its own read-only connection (``Store(path, readonly=True)``), so the UI is safe to run
while ``storyline run`` writes to the same database (WAL). No endpoint fetches a URL; only
GET is served unless edits are allowed; Host headers are checked (DNS rebinding) and
security headers are set on every response (see ``web.security``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, replace
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Cookie, Depends, FastAPI, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from storyline.config import Settings
from storyline.errors import ConfigError, NotFoundError, QueryError, StoreError
from storyline.report.article import article_view
from storyline.report.atom import MEDIA_TYPE as ATOM_TYPE
from storyline.report.atom import AtomLinks, stories_atom
from storyline.report.changes import changes_for
from storyline.report.changes import now as changes_now
from storyline.report.html import STATIC_FILES, environment, index_context, index_page, static_file
from storyline.report.queries import (
    StoryFilter,
    article_metas,
    outlets,
    parse_day,
    raw_story_reports,
    story_rows,
)
from storyline.report.views import Urls, cached_story_view
from storyline.schema import SCHEMA, article_v1
from storyline.store import Store, fts_query
from storyline.web import edits
from storyline.web.cache import ResponseCache
from storyline.web.edits import EditGuard
from storyline.web.security import SecurityHeaders, docs_csp

#: Host headers accepted by default (the server binds to 127.0.0.1)
LOCAL_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]", "::1")
PER_PAGE = 50
#: the cookie holding when the reader last marked everything as seen ("what changed")
SEEN_COOKIE = "storyline_seen"
_TYPES = {
    "style.css": "text/css; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}


def _store(request: Request) -> Iterator[Store]:
    """A read-only connection for one request, closed when the response is done."""
    with Store(request.app.state.db_path, readonly=True) as opened:
        yield opened


Db = Annotated[Store, Depends(_store)]


def create_app(
    db_path: str,
    *,
    allowed_hosts: Sequence[str] = LOCAL_HOSTS,
    settings: Settings | None = None,
    per_page: int = PER_PAGE,
    allow_edits: bool = False,
) -> FastAPI:
    """The web UI over the database at ``db_path`` (opened read-only per request).
    ``allowed_hosts`` are the Host header values served (``"*"`` accepts any);
    ``allow_edits`` serves the correction forms and POST /edit/... endpoints."""
    settings = (settings or Settings()).with_(db=db_path)
    guard = EditGuard(enabled=allow_edits)
    threshold = settings.wire_family_threshold
    env = environment()
    urls = Urls(static_site=False)
    app = FastAPI(
        title="storyline",
        description="Read-only access to a storyline database (storyline/v1 objects).",
        docs_url=None,
        redoc_url=None,
    )
    docs_html = get_swagger_ui_html(openapi_url="/openapi.json", title="storyline API")
    if not allow_edits:  # an editor's pages carry forms; a read-only server keeps pages
        app.add_middleware(ResponseCache, db_path=db_path, cookies=(SEEN_COOKIE,))
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(
        SecurityHeaders, policies={"/docs": docs_csp(bytes(docs_html.body).decode())}
    )

    app.state.db_path = db_path

    def page(template: str, code: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(template).render(
            {"urls": urls, "mode": "served", "edits": guard.context(), **context}
        )
        return HTMLResponse(html, status_code=code)

    def failure(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status)
        return page("error.html", status, status=status, message=message)

    @app.exception_handler(NotFoundError)
    def not_found(request: Request, exc: NotFoundError) -> Response:
        return failure(request, 404, str(exc))

    @app.exception_handler(ConfigError)
    def bad_request(request: Request, exc: ConfigError) -> Response:
        return failure(request, 400, str(exc))

    @app.exception_handler(QueryError)
    def bad_query(request: Request, exc: QueryError) -> Response:
        return failure(request, 400, str(exc))

    @app.exception_handler(StoreError)
    def unavailable(request: Request, exc: StoreError) -> Response:
        return failure(request, 503, str(exc))

    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> Response:
        return failure(request, exc.status_code, str(exc.detail))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(
        db: Db,
        q: str = "",
        since: str = "",
        until: str = "",
        outlet: str = "",
        entity: str = "",
        page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
        seen: Annotated[str | None, Cookie(alias=SEEN_COOKIE)] = None,
    ) -> HTMLResponse:
        filters = _filters(q, since, until, outlet, entity, settings)
        changes = None if filters.active() or page_number > 1 else changes_for(db, seen)
        listed = index_page(db, filters, (page_number - 1) * per_page, per_page, threshold)
        pages = max(1, -(-listed.total // per_page))
        base = {k: v for k, v in (("q", q), ("since", since), ("until", until),
                                  ("outlet", outlet), ("entity", entity)) if v}  # fmt: skip

        def link(n: int) -> str | None:
            return "/?" + urlencode({**base, "page": n}) if 1 <= n <= pages else None

        hits = db.search(q, 10, settings) if q.strip() else []
        context = index_context(
            listed, urls, "served", filters, outlets(db), hits,
            link(page_number - 1), link(page_number + 1), f"page {page_number} of {pages}",
        )  # fmt: skip
        return page("index.html", **context, changes=changes)

    @app.get("/seen", include_in_schema=False)
    def mark_seen() -> Response:
        """Remember (in a cookie, nothing on the server) that everything until now was seen."""
        answer = RedirectResponse("/", status_code=303)
        answer.set_cookie(SEEN_COOKIE, changes_now(), max_age=400 * 86400, httponly=True,
                          samesite="strict")  # fmt: skip
        return answer

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(db: Db, story_id: str) -> HTMLResponse:
        return page("story.html", story=cached_story_view(db, story_id, threshold))

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline_page(
        db: Db,
        q: str = "",
        entity: str = "",
        dates: Annotated[int | None, Query(ge=1, le=200)] = None,
        per_date: Annotated[int | None, Query(ge=1, le=10)] = None,
    ) -> HTMLResponse:
        """The topic timeline of the stored articles matching ``q`` or naming ``entity``."""
        from storyline.api import stored_timeline
        from storyline.report.views import CitationBook, article_ref

        fts_query(q, settings)  # over the search limits: a QueryError (400) before any SQL
        fts_query(entity, settings)
        found = stored_timeline(db, settings, query=q, entity=entity, dates=dates,
                                per_date=per_date)  # fmt: skip
        ids = sorted({c.article for d in found.days for s in d.sentences for c in s.citations})
        metas = article_metas(db, ids)
        book = CitationBook({i: article_ref(i, metas.get(i)) for i in ids}, {})
        days = [{"date": d.date, "sentences": [
            {"text": s.text, "sources": s.sources, "citations": book.cite(
                [{"article": c.article, "sentence": c.sentence} for c in s.citations])}
            for s in d.sentences]} for d in found.days]  # fmt: skip
        subject = " ".join(q.split()) or " ".join(entity.split())
        return page("timeline.html", query=q, entity=entity, subject=subject, days=days,
                    articles=found.articles, dates=dates, per_date=per_date,
                    default_per_date=settings.timeline_per_date)  # fmt: skip

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(
        db: Db, article_id: str, s: Annotated[list[int] | None, Query()] = None
    ) -> HTMLResponse:
        return page("article.html", article=article_view(db, article_id, set(s or [])))

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in STATIC_FILES:
            raise NotFoundError(f"no static file {name!r}")
        headers = {"Cache-Control": "public, max-age=3600"}
        return Response(static_file(name), media_type=_TYPES[name], headers=headers)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return docs_html

    @app.get("/api/stories", summary="Stories, newest first (storyline/v1 story objects)")
    def api_stories(
        db: Db,
        q: str = "",
        since: str = "",
        until: str = "",
        outlet: str = "",
        entity: str = "",
        page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
        size: Annotated[int, Query(alias="per_page", ge=1, le=100)] = 20,
    ) -> Response:
        filters = _filters(q, since, until, outlet, entity, settings)
        listed = story_rows(db, filters, (page_number - 1) * size, size, threshold)
        head = {"schema": SCHEMA, "total": listed.total, "page": page_number, "per_page": size}
        stories = raw_story_reports(db, [row.id for row in listed.rows])
        return _json_with(head, stories=stories)

    @app.get("/api/stories/{story_id}", summary="One story and its articles (a v1 document)")
    def api_story(db: Db, story_id: str) -> Response:
        raw = raw_story_reports(db, [story_id])
        if not raw:
            raise NotFoundError(f"no story with id {story_id!r}")
        rows = db.db.execute(
            "SELECT value FROM stories, json_each(stories.report, '$.articles')"
            " WHERE stories.id = ?",
            (story_id,),
        )
        articles = _articles_v1(db, [str(r[0]) for r in rows])
        return _json_with({"schema": SCHEMA, "articles": articles}, stories=raw)

    @app.get(
        "/api/stories/{story_id}/provenance",
        summary="Sources and copying of one story: outlets, agency credits, why each article "
        "was grouped, wire families, first reporter, copy graph, coverage",
    )
    def api_provenance(db: Db, story_id: str) -> dict[str, Any]:
        trace = cached_story_view(db, story_id, threshold).provenance
        data = asdict(trace) if trace is not None else {}
        for drawn in ("graph", "coverage"):  # geometry is for the page; the data is above
            data.pop(drawn, None)
        data["edges"] = [dict(zip(("a", "b", "score", "shared", "family"), e, strict=True))
                         for e in data.get("edges", [])]  # fmt: skip
        return {"schema": SCHEMA, "story": story_id, **data}

    @app.get("/api/articles/{article_id}", summary="One article with text and sentences")
    def api_article(db: Db, article_id: str) -> dict[str, Any]:
        article = db.article(article_id)
        (item,) = _articles_v1(db, [article.id])
        doc = db.annotated_article(article)
        sentences = [{"index": s.index, "start": s.start, "end": s.end,
                      "paragraph": s.paragraph, "text": s.text} for s in doc.sentences]  # fmt: skip
        item = {**item, "text": article.text, "sentences": sentences}
        return {"schema": SCHEMA, "articles": [item], "stories": []}

    @app.get("/api/search", summary="Full-text search over titles and texts (FTS5)")
    def api_search(
        db: Db, q: str, limit: Annotated[int, Query(ge=1, le=100)] = 20
    ) -> dict[str, Any]:
        hits = db.search(q, limit, settings)
        return {"schema": SCHEMA, "query": q, "hits": [asdict(h) for h in hits]}

    edits.register(app, settings, guard, page)

    @app.get("/feeds/stories.atom", summary="Atom feed of stories, the latest changed first")
    def stories_feed(
        request: Request,
        db: Db,
        q: str = "",
        since: str = "",
        until: str = "",
        outlet: str = "",
        entity: str = "",
    ) -> Response:
        """One entry per story (filtered like the story list); answers If-None-Match."""
        filters = _filters(q, since, until, outlet, entity, settings)
        links = AtomLinks(urls, base=str(request.base_url), feed=str(request.url))
        body = stories_atom(db, filters, links, settings)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=ATOM_TYPE, headers=headers)

    return app


def _json_with(head: dict[str, Any], **raw: list[str]) -> Response:
    """``head`` plus keys whose values are lists of stored JSON texts, spliced in unparsed."""
    body = json.dumps(head, ensure_ascii=False)[:-1]
    for key, items in raw.items():
        body += f", {json.dumps(key)}: [" + ", ".join(items) + "]"
    return Response(body + "}", media_type="application/json")


def _filters(
    q: str, since: str, until: str, outlet: str, entity: str, settings: Settings
) -> StoryFilter:
    """Filters from query parameters; a date that is not YYYY-MM-DD is a ConfigError and a
    search over the limits of ``settings`` a QueryError (both 400). The search is checked
    here, before any SQL runs."""
    fts_query(q, settings)
    days = []
    for name, value in (("since", since), ("until", until)):
        day = parse_day(value.strip()) if value.strip() else None
        if value.strip() and day is None:
            raise ConfigError(f"{name}={value[:40]!r} is not a date YYYY-MM-DD")
        days.append(day)
    return StoryFilter(q, days[0], days[1], outlet[:200], entity[:200], settings)


def _articles_v1(db: Store, ids: list[str]) -> list[dict[str, Any]]:
    metas = article_metas(db, ids)
    found = {
        a.id: a
        for a in db.articles("WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(ids)])
    }
    return [  # ``source``: the outlet's name, as in the export
        article_v1(
            replace(found[aid], source=metas[aid].source),
            metas[aid].story,
            metas[aid].duplicate_of,
        )
        for aid in ids
        if aid in found and aid in metas
    ]

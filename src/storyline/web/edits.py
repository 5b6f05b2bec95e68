"""Corrections from the web UI: the same merge / move / detach / split / undo as the CLI,
served only when ``storyline serve --allow-edits`` is given.

Every edit is a POST of an ``application/x-www-form-urlencoded`` form that must carry the
server's CSRF token (a random secret drawn when the server starts and rendered into the
forms of its own pages, which another site cannot read). A request is refused (403) when
edits are not enabled, when the token is missing or wrong, or when the browser says it
comes from another site (``Origin`` / ``Sec-Fetch-Site``); a body over ``MAX_FORM_BYTES``
is refused (413) and another content type too (415). Edits go through ``api.correct`` /
``api.undo_correction``, so they are stored as constraints that later runs and rebuilds
keep, exactly like the CLI's.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from storyline.config import Settings
from storyline.errors import ConfigError
from storyline.store import Store

#: the largest edit form accepted (a split of many articles stays far below it)
MAX_FORM_BYTES = 64 * 1024
FORM_TYPE = "application/x-www-form-urlencoded"
READ_ONLY = "this server is read-only: start it with `storyline serve --allow-edits` to edit"


@dataclass(frozen=True, slots=True)
class EditGuard:
    """Whether edits are served, and the token every edit form must carry."""

    enabled: bool = False
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    def context(self) -> dict[str, Any] | None:
        """What templates need to render edit forms (None: render none)."""
        return {"token": self.token} if self.enabled else None


def _same_site(request: Request) -> bool:
    """What the browser says about where the request comes from. Pages are served with
    ``Referrer-Policy: no-referrer``, so a browser sends ``Origin: null`` on our own forms;
    ``Sec-Fetch-Site`` then tells. Clients that send neither (curl, scripts) still need the
    token."""
    fetched_from = request.headers.get("sec-fetch-site")
    if fetched_from is not None:
        return fetched_from in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()


async def read_form(request: Request, guard: EditGuard) -> dict[str, list[str]]:
    """The checked fields of an edit form; HTTPException (403/413/415) when refused."""
    if not guard.enabled:
        raise HTTPException(403, READ_ONLY)
    if not _same_site(request):
        raise HTTPException(403, "cross-site edit refused")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != FORM_TYPE:
        raise HTTPException(415, f"an edit is a form ({FORM_TYPE}), not {kind or 'nothing'}")
    declared = request.headers.get("content-length", "0")
    if not declared.isdigit() or int(declared) > MAX_FORM_BYTES:
        raise HTTPException(413, f"an edit form is at most {MAX_FORM_BYTES} bytes")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise HTTPException(413, f"an edit form is at most {MAX_FORM_BYTES} bytes")
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=2000)
    except (UnicodeDecodeError, ValueError) as exc:
        raise HTTPException(400, f"unreadable edit form: {exc}") from None
    sent = fields.get("csrf", [""])[0]
    if not sent or not hmac.compare_digest(sent.encode(), guard.token.encode()):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
    return fields


def _one(fields: dict[str, list[str]], name: str, *, required: bool = True) -> str | None:
    value = " ".join(fields.get(name, [""])[0].split())[:500]
    if required and not value:
        raise ConfigError(f"the edit form needs {name!r}")
    return value or None


def _shown_story(settings: Settings, article: str) -> str:
    with Store(settings.db, readonly=True, busy_timeout=settings.db_busy_timeout) as store:
        return store.story_of_shown(article) or ""


def register(
    app: FastAPI,
    settings: Settings,
    guard: EditGuard,
    page: Callable[..., HTMLResponse],
) -> None:
    """Add the edit endpoints (POST /edit/...) and the corrections page to ``app``."""
    from storyline import api

    def done(story: str) -> Response:
        target = f"/stories/{story}" if story else "/corrections"
        return RedirectResponse(target, status_code=303)

    def apply(kind: str, fields: dict[str, list[str]]) -> Response:
        note = _one(fields, "note", required=False)
        if kind == "merge":
            story, other = _one(fields, "story"), _one(fields, "other")
            made = api.correct(settings, "merge", story=story, other=other, note=note)
            return done(made.story or "")
        if kind in ("move", "detach"):
            article = str(_one(fields, "article"))
            story = _one(fields, "story") if kind == "move" else None
            api.correct(settings, kind, story=story, articles=[article], note=note)
            return done(_shown_story(settings, article))
        if kind == "split":
            articles = [a.strip()[:200] for a in fields.get("article", []) if a.strip()]
            if not articles:
                raise ConfigError("tick the articles that leave the story, then split")
            api.correct(settings, "split", story=_one(fields, "story"), articles=articles,
                        note=note)  # fmt: skip
            return done(_shown_story(settings, articles[0]))
        if kind == "undo":
            number = str(_one(fields, "correction"))
            if not number.isdigit():
                raise ConfigError(f"correction {number!r} is not a number")
            api.undo_correction(settings, int(number))
            return done("")
        raise HTTPException(404, f"no edit {kind[:40]!r}; known: merge, move, detach, split, undo")

    @app.post("/edit/{kind}", include_in_schema=False)
    async def edit(request: Request, kind: str) -> Response:
        fields = await read_form(request, guard)
        return await run_in_threadpool(apply, kind, fields)  # writes: off the event loop

    @app.get("/corrections", response_class=HTMLResponse, include_in_schema=False)
    def corrections_page() -> HTMLResponse:
        made = api.corrections(settings, active=True)
        rows = [{"id": c.id, "what": c.describe(), "note": c.note or "", "at": c.at,
                 "story": c.story} for c in made]  # fmt: skip
        return page("corrections.html", corrections=rows)

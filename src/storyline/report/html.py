"""The HTML pages, rendered with the web UI's Jinja2 templates, and the static report writer.

``environment()`` is the one Jinja2 environment both the static report and the web UI use:
autoescaping is on for every template (article data is never marked safe), undefined names
are errors. ``write_report`` writes a self-contained site into a folder: ``index.html``,
``stories/<id>.html``, ``articles/<id>.html``, ``stories.atom`` (the Atom feed of stories,
``report.atom``) and ``static/`` (CSS and a small optional JS);
no page loads anything from the network, and every page reads without JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from storyline.config import Settings
from storyline.report import svg
from storyline.report.article import article_view, snippet_pieces
from storyline.report.atom import AtomLinks, stories_atom
from storyline.report.manifest import plan_pages
from storyline.report.queries import StoryFilter, StoryRow, article_days, story_rows
from storyline.report.views import Urls, file_name, story_view
from storyline.store import SearchHit, Store

NO_FILTER = StoryFilter()
STATIC_FILES = ("style.css", "app.js", "favicon.svg")


def environment() -> Environment:
    """The Jinja2 environment of storyline's pages (templates in ``storyline/web/templates``)."""
    env = Environment(
        loader=PackageLoader("storyline.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["snippet"] = snippet_pieces
    return env


def static_file(name: str) -> bytes:
    """The bytes of one of ``STATIC_FILES``."""
    return resources.files("storyline.web").joinpath("static", name).read_bytes()


@dataclass(frozen=True, slots=True)
class IndexPage:
    rows: tuple[StoryRow, ...]
    total: int
    sparks: dict[str, svg.Sparkline | None]
    overall: svg.Sparkline | None


def index_page(
    store: Store,
    filters: StoryFilter = NO_FILTER,
    offset: int = 0,
    limit: int | None = None,
    family_threshold: float | None = None,
) -> IndexPage:
    """The story list (filtered, paged) with a sparkline per story and one for all articles."""
    listed = story_rows(store, filters, offset, limit, family_threshold)
    per_day = article_days(store)
    return IndexPage(
        rows=listed.rows,
        total=listed.total,
        sparks={r.id: svg.sparkline(r.per_day) for r in listed.rows},
        overall=svg.sparkline(per_day, width=240, height=28),
    )


def index_context(
    page: IndexPage,
    urls: Urls,
    mode: str,
    filters: StoryFilter = NO_FILTER,
    outlets: Sequence[str] = (),
    hits: Sequence[SearchHit] = (),
    prev_url: str | None = None,
    next_url: str | None = None,
    page_label: str = "",
) -> dict[str, Any]:
    """Template variables of ``index.html``; ``mode`` is "static" or "served"."""
    return {
        "urls": urls, "mode": mode, "rows": page.rows, "total": page.total,
        "sparks": page.sparks, "overall": page.overall, "filters": filters,
        "outlets": list(outlets), "hits": list(hits), "prev_url": prev_url,
        "next_url": next_url, "page_label": page_label,
    }  # fmt: skip


@dataclass(frozen=True, slots=True)
class ReportFiles:
    """What ``write_report`` wrote."""

    index: Path
    stories: int
    articles: int


def write_report(
    store: Store, folder: Path, settings: Settings | None = None, *, full: bool = False
) -> ReportFiles:
    """Write the static HTML report of ``store`` into ``folder`` (created when missing).

    Pages of stories or articles that no longer exist are removed from ``stories/`` and
    ``articles/``; nothing else in ``folder`` is touched."""
    threshold = (settings or Settings()).wire_family_threshold
    env = environment()
    static = Urls(static_site=True)
    folder.mkdir(parents=True, exist_ok=True)
    for sub in ("stories", "articles", "static"):
        (folder / sub).mkdir(exist_ok=True)
    for name in STATIC_FILES:
        (folder / "static" / name).write_bytes(static_file(name))

    page = index_page(store, family_threshold=threshold)
    index = folder / "index.html"
    index.write_text(
        env.get_template("index.html").render(index_context(page, static, "static")),
        encoding="utf-8",
    )
    atom = stories_atom(store, NO_FILTER, AtomLinks(static), settings)
    (folder / "stories.atom").write_bytes(atom)  # links relative to the report's folder
    plan = plan_pages(store, folder, full)
    story_template = env.get_template("story.html")
    written_stories: set[str] = set()
    for report in store.iter_story_reports(plan.stories):
        view = story_view(store, report, threshold)
        name = f"{file_name(view.id)}.html"
        html = story_template.render(urls=static.at("../"), mode="static", story=view)
        (folder / "stories" / name).write_text(html, encoding="utf-8")
        written_stories.add(name)
    article_template = env.get_template("article.html")
    written_articles: set[str] = set()
    for article_id in plan.article_ids(store):
        view_a = article_view(store, article_id)
        name = f"{file_name(article_id)}.html"
        html = article_template.render(urls=static.at("../"), mode="static", article=view_a)
        (folder / "articles" / name).write_text(html, encoding="utf-8")
        written_articles.add(name)
    if plan.full:
        _remove_stale(folder / "stories", written_stories)
        _remove_stale(folder / "articles", written_articles)
    else:
        for gone in plan.gone:
            (folder / "stories" / f"{file_name(gone)}.html").unlink(missing_ok=True)
    plan.done(folder)
    return ReportFiles(index, len(written_stories), len(written_articles))


def _remove_stale(folder: Path, keep: set[str]) -> None:
    for path in folder.glob("*.html"):
        if path.name not in keep:
            path.unlink()

"""What the story and article pages show, built from a read-only Store: numbered citations,
corroboration, the timeline chart, quote diffs, conflicts with outlets, wire families.

Shared by the static report (``report.html``) and the web UI (``web.app``): both render the
same templates with these views; only ``Urls`` differs. Article data stays plain text here;
the templates escape it.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, urlsplit

from storyline.config import Settings
from storyline.errors import NotFoundError
from storyline.report import svg
from storyline.report.copies import ProvenanceView, provenance_view
from storyline.report.queries import (
    ArticleMeta,
    article_metas,
    parse_day,
    sentence_texts,
)
from storyline.store import Store
from storyline.synthesize.quotes import DiffOp, word_diff

#: most items a story page lists per section (the JSON API and export have them all)
MAX_TIMELINE, MAX_QUOTES, MAX_ENTITIES, MAX_REUSE = 300, 100, 200, 100
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL without spaces or control characters, else
    None: a stored URL is only ever shown as a link when it cannot run script."""
    if not url:
        return None
    url = url.strip()
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def file_name(item_id: str) -> str:
    """A file name for a story or article id: the id itself when it is plain, else a hash."""
    if _SAFE_ID.match(item_id):
        return item_id
    return "x" + hashlib.sha256(item_id.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class Urls:
    """Links between pages: the static site (relative files; ``root`` leads back to the
    report's folder) or the web UI (absolute paths)."""

    static_site: bool
    root: str = ""

    def at(self, root: str) -> Urls:
        return Urls(self.static_site, root)

    def index(self) -> str:
        return f"{self.root}index.html" if self.static_site else "/"

    def story(self, story_id: str) -> str:
        if self.static_site:
            return f"{self.root}stories/{file_name(story_id)}.html"
        return f"/stories/{quote(story_id, safe='')}"

    def article(self, article_id: str, sentence: int | None = None) -> str:
        anchor = f"#s{sentence}" if sentence is not None else ""
        if self.static_site:
            return f"{self.root}articles/{file_name(article_id)}.html{anchor}"
        query = f"?s={sentence}" if sentence is not None else ""
        return f"/articles/{quote(article_id, safe='')}{query}{anchor}"

    def asset(self, name: str) -> str:
        return f"{self.root}static/{name}" if self.static_site else f"/static/{name}"


def date_label(value: str | None) -> str:
    """``2024-03-14`` -> ``14 Mar 2024``, ``2024-03`` -> ``Mar 2024``; other text unchanged."""
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) in (2, 3) and all(p.isdigit() for p in parts) and 1 <= int(parts[1]) <= 12:
        month = _MONTHS[int(parts[1]) - 1]
        return f"{int(parts[2])} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"
    return value


@dataclass(frozen=True, slots=True)
class ArticleRef:
    id: str
    title: str
    source: str
    published: str
    inferred: bool
    url: str | None  # http(s) only
    duplicate_of: str | None


def article_ref(article_id: str, meta: ArticleMeta | None) -> ArticleRef:
    if meta is None:
        return ArticleRef(article_id, article_id, "unknown outlet", "", False, None, None)
    return ArticleRef(
        meta.id, meta.title or f"(untitled article {meta.id})", meta.source or "unknown outlet",
        meta.published or "", meta.published_inferred, safe_url(meta.url), meta.duplicate_of,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class CitationRef:
    number: int
    article: str
    sentence: int
    source: str
    text: str  # the cited sentence, "" when it is not stored


class CitationBook:
    """Numbers each distinct (article, sentence) the first time a page cites it."""

    def __init__(self, refs: dict[str, ArticleRef], texts: dict[tuple[str, int], str]) -> None:
        self.refs, self.texts = refs, texts
        self.numbers: dict[tuple[str, int], int] = {}

    def cite(self, citations: Sequence[dict[str, Any]]) -> tuple[CitationRef, ...]:
        found = []
        for c in citations:
            key = (str(c.get("article")), int(c.get("sentence") or 0))
            number = self.numbers.setdefault(key, len(self.numbers) + 1)
            ref = self.refs.get(key[0]) or article_ref(key[0], None)
            found.append(CitationRef(number, key[0], key[1], ref.source, self.texts.get(key, "")))
        return tuple(found)


@dataclass(frozen=True, slots=True)
class SummaryItem:
    text: str
    citations: tuple[CitationRef, ...]
    sources: int
    corroborated: bool  # two or more independent sources


@dataclass(frozen=True, slots=True)
class KeyDay:
    """One key day of a story that spans weeks, with its cited sentences."""

    date: str
    label: str
    sentences: tuple[SummaryItem, ...]


@dataclass(frozen=True, slots=True)
class TimelineItem:
    anchor: str
    date: str
    label: str
    precision: str
    text: str
    expression: str
    citations: tuple[CitationRef, ...]
    outlets: tuple[str, ...]
    first: CitationRef | None = None  # the article that reported it first (first_reported)


@dataclass(frozen=True, slots=True)
class QuoteVariant:
    article: ArticleRef
    citation: CitationRef
    text: str
    diff: tuple[DiffOp, ...]
    same: bool


@dataclass(frozen=True, slots=True)
class QuoteView:
    speaker: str
    text: str
    variants: tuple[QuoteVariant, ...]


@dataclass(frozen=True, slots=True)
class ConflictValue:
    value: str
    text: str
    articles: tuple[ArticleRef, ...]


@dataclass(frozen=True, slots=True)
class ConflictView:
    kind: str
    topic: str
    values: tuple[ConflictValue, ...]


@dataclass(frozen=True, slots=True)
class ReusePair:
    a: ArticleRef
    b: ArticleRef
    score: float
    shared: int
    family: bool  # score reaches the wire-family threshold


@dataclass(frozen=True, slots=True)
class StoryView:
    id: str
    title: str
    first_seen: str | None
    last_seen: str | None
    articles: tuple[ArticleRef, ...]
    outlets: tuple[str, ...]
    sources: int
    summary: tuple[SummaryItem, ...]
    timeline: tuple[TimelineItem, ...]
    chart: svg.TimelineChart | None
    entities: tuple[dict[str, Any], ...]
    quotes: tuple[QuoteView, ...]
    conflicts: tuple[ConflictView, ...]
    reuse: tuple[ReusePair, ...]
    families: tuple[tuple[ArticleRef, ...], ...]  # wire families of two or more articles
    claims: int
    totals: dict[str, int]  # items per section in the report (pages show at most MAX_*)
    provenance: ProvenanceView | None = None  # outlets, why grouped, copy graph, coverage
    dek: str | None = None  # the longer lead under the short headline
    key_days: tuple[KeyDay, ...] = ()  # a story published over weeks: its key days


def _cited_keys(report: dict[str, Any]) -> set[tuple[str, int]]:
    keys = set()
    items = [*(report.get("summary") or []), *(report.get("timeline") or [])]
    items += [s for day in report.get("key_days") or [] for s in day.get("sentences") or []]
    for item in items:
        for c in item.get("citations") or []:
            keys.add((str(c.get("article")), int(c.get("sentence") or 0)))
    for quote_group in report.get("quotes") or []:
        for v in quote_group.get("variants") or []:
            keys.add((str(v.get("article")), int(v.get("sentence") or 0)))
    return keys


def story_view(store: Store, full: dict[str, Any], family_threshold: float) -> StoryView:
    """Everything the story page shows, from a ``storyline/v1`` story object (long sections
    cut to the MAX_* limits; ``totals`` says how many there are)."""
    limits = {"timeline": MAX_TIMELINE, "quotes": MAX_QUOTES, "entities": MAX_ENTITIES}
    totals = {k: len(full.get(k) or []) for k in (*limits, "reuse", "summary", "conflicts")}
    report = {**full, **{k: (full.get(k) or [])[:n] for k, n in limits.items()}}
    article_ids = [str(a) for a in report.get("articles") or []]
    metas = article_metas(store, article_ids)
    refs = {aid: article_ref(aid, metas.get(aid)) for aid in article_ids}
    settings = Settings().with_(wire_family_threshold=family_threshold)
    trace = provenance_view(store, report, metas, settings)  # outlets shown, not folder names
    refs = {a: replace(r, source=trace.outlets.get(a, r.source)) for a, r in refs.items()}
    book = CitationBook(refs, sentence_texts(store, _cited_keys(report)))
    summary = tuple(_summary_item(s, book) for s in report.get("summary") or [])
    timeline = []
    for i, t in enumerate(report.get("timeline") or []):
        cites = book.cite(t.get("citations") or [])
        timeline.append(
            TimelineItem(
                f"t{i}",
                t.get("date") or "",
                date_label(t.get("date")),
                t.get("precision") or "",
                t.get("text") or "",
                t.get("expression") or "",
                cites,
                tuple(dict.fromkeys(c.source for c in cites)),
                _first(t.get("first_reported"), cites, book),
            )
        )
    key_days = tuple(
        KeyDay(str(d.get("date")), date_label(d.get("date")),
               tuple(_summary_item(s, book) for s in d.get("sentences") or []))
        for d in full.get("key_days") or []
    )  # fmt: skip
    chart = svg.timeline_chart(
        [svg.ChartInput(t.anchor, t.date, None, t.label, t.text, ", ".join(t.outlets))
         for t in timeline],
        parse_day(report.get("first_seen")), parse_day(report.get("last_seen")),
    )  # fmt: skip
    reuse = sorted(report.get("reuse") or [], key=lambda r: -float(r.get("score") or 0))
    groups = [list(f) for f in trace.families]  # reuse, near-duplicates, agency credits
    return StoryView(
        id=str(report.get("id")),
        title=str(report.get("title") or ""),
        dek=str(report["dek"]) if report.get("dek") else None,
        first_seen=report.get("first_seen"),
        last_seen=report.get("last_seen"),
        articles=tuple(sorted(refs.values(), key=lambda r: (r.published or "9999", r.source))),
        outlets=tuple(sorted({r.source for r in refs.values()})),
        sources=len(groups),
        summary=summary,
        timeline=tuple(timeline),
        chart=chart,
        entities=tuple(report.get("entities") or []),
        quotes=tuple(_quote(q, refs, book) for q in report.get("quotes") or []),
        conflicts=tuple(_conflict(c, refs) for c in report.get("conflicts") or []),
        reuse=tuple(
            ReusePair(
                refs.get(r["a"]) or article_ref(r["a"], None),
                refs.get(r["b"]) or article_ref(r["b"], None),
                float(r.get("score") or 0),
                len(r.get("shared_sentences") or []),
                float(r.get("score") or 0) >= family_threshold,
            )
            for r in reuse[:MAX_REUSE]
        ),
        families=tuple(tuple(refs[a] for a in g) for g in groups if len(g) > 1),
        claims=len(report.get("claims") or []),
        totals=totals,
        provenance=trace,
        key_days=key_days,
    )


def _summary_item(item: dict[str, Any], book: CitationBook) -> SummaryItem:
    sources = int(item.get("sources") or 0)
    return SummaryItem(str(item["text"]), book.cite(item.get("citations") or []), sources,
                       sources >= 2)  # fmt: skip


def _first(first: Any, cites: Sequence[CitationRef], book: CitationBook) -> CitationRef | None:
    """The citation of a ``first_reported`` article: its cited sentence, else its first."""
    if not isinstance(first, dict) or not first.get("article"):
        return None
    article = str(first["article"])
    found = next((c for c in cites if c.article == article), None)
    return found or book.cite([{"article": article, "sentence": 0}])[0]


_VIEWS: OrderedDict[tuple[str, str, str, float], StoryView] = OrderedDict()
_VIEWS_LOCK = threading.Lock()
VIEW_CACHE_SIZE = 32


def cached_story_view(store: Store, story_id: str, family_threshold: float) -> StoryView:
    """``story_view`` of the stored story, reused while the story is unchanged (its
    ``updated_at``); NotFoundError for an unknown id."""
    row = store.db.execute("SELECT updated_at FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no story with id {story_id!r}")
    key = (str(store.path.resolve()), story_id, str(row[0]), family_threshold)
    with _VIEWS_LOCK:
        if key in _VIEWS:
            _VIEWS.move_to_end(key)
            return _VIEWS[key]
    view = story_view(store, store.story_report(story_id), family_threshold)
    with _VIEWS_LOCK:
        _VIEWS[key] = view
        while len(_VIEWS) > VIEW_CACHE_SIZE:
            _VIEWS.popitem(last=False)
    return view


def _quote(group: dict[str, Any], refs: dict[str, ArticleRef], book: CitationBook) -> QuoteView:
    text = str(group.get("text") or "")
    variants = []
    for v in group.get("variants") or []:
        aid = str(v.get("article"))
        vtext = str(v.get("text") or "")
        (citation,) = book.cite([v])
        diff = tuple(word_diff(text, vtext))
        same = all(op.op == "equal" for op in diff)
        variants.append(
            QuoteVariant(refs.get(aid) or article_ref(aid, None), citation, vtext, diff, same)
        )
    return QuoteView(str(group.get("speaker") or "unknown speaker"), text, tuple(variants))


def _conflict(conflict: dict[str, Any], refs: dict[str, ArticleRef]) -> ConflictView:
    values = tuple(
        ConflictValue(
            str(v.get("value")),
            str(v.get("text") or ""),
            tuple(refs.get(str(a)) or article_ref(str(a), None) for a in v.get("articles") or []),
        )
        for v in conflict.get("values") or []
    )
    return ConflictView(str(conflict.get("kind") or ""), str(conflict.get("topic") or ""), values)

"""The terminal report (rich): the story table that ends ``storyline run`` and one story for
``storyline show``. Needs a database path; adds nothing to it.

Article data, ids and paths are untrusted: they are passed to rich as ``Text`` (never
parsed as markup) after ``clean`` made control, bidi-override and invisible characters
visible as escapes (``\x1b``, ``\u202e``) and lone surrogates U+FFFD, so a title or a file
name cannot restyle the output, crash rich's markup parser or send escape sequences to the
terminal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from storyline.config import Settings
from storyline.report.queries import StoryRow, parse_day, story_rows
from storyline.report.views import CitationRef, StoryView, story_view
from storyline.store import Store

#: shown as escapes: C0 and C1 controls (tab and newline become spaces first), DEL, zero-width
#: spaces and marks, bidi embeddings, overrides and isolates, line and paragraph separators
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_BREAK = re.compile("\r\n|[\n\t]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: object, width: int | None = None) -> str:
    """``text`` on one line with control and bidi characters made visible (``\x1b``,
    ``\u202e``) and lone surrogates (undecodable file names) as U+FFFD, cut to ``width``."""
    flat = _BREAK.sub(" ", str("" if text is None else text))
    flat = _CONTROL.sub(_escape, _SURROGATE.sub("\ufffd", flat))
    if width is not None and len(flat) > width:
        return flat[: width - 1] + "…"
    return flat


def literal(text: object, style: str = "", width: int | None = None) -> Text:
    """``text`` as a rich ``Text`` printed literally: ``clean`` and never parsed as markup."""
    return Text(clean(text, width), style=style)


def _span(first: str | None, last: str | None) -> str:
    """``2024-03-14 +3d`` (first day and how many days later the last article came)."""
    start, end = parse_day(first), parse_day(last)
    if start is None:
        return first or "undated"
    if end is None or end <= start:
        return start.isoformat()
    return f"{start.isoformat()} +{(end - start).days}d"


def stories_table(rows: Sequence[StoryRow], total: int, title_chars: int = 70) -> Table:
    """Title, articles, outlets, independent sources, date span and conflicts per story."""
    shown = f"{len(rows)} of {total}" if total > len(rows) else str(total)
    table = Table(
        title=f"Stories ({shown}, newest first)", title_justify="left", box=box.SIMPLE_HEAD,
        caption="art. articles · outl. outlets · indep. independent sources (wire copies"
        " and duplicates count once) · confl. conflicts",
        caption_justify="left",
    )  # fmt: skip
    table.add_column("story", no_wrap=True)
    table.add_column("title", overflow="fold", ratio=1, min_width=10)
    for name in ("art.", "outl.", "indep.", "dates", "confl."):
        table.add_column(name, justify="left" if name == "dates" else "right", no_wrap=True)
    for row in rows:
        table.add_row(
            Text(clean(row.id, 16)),
            Text(clean(row.title, title_chars)),
            str(row.articles),
            str(len(row.outlets)),
            str(row.sources),
            literal(_span(row.first_seen, row.last_seen)),
            Text(str(row.conflicts), style="bold yellow" if row.conflicts else ""),
        )
    return table


def print_stories(
    console: Console,
    db: str | Path,
    limit: int = 25,
    report: Path | None = None,
    settings: Settings | None = None,
) -> None:
    """Print the story table of the database at ``db`` and where the HTML report is."""
    threshold = (settings or Settings()).wire_family_threshold
    with Store(db, readonly=True) as store:
        listed = story_rows(store, limit=limit, family_threshold=threshold)
    # titles get about two lines of whatever width the other columns leave
    title_chars = min(120, max(30, 2 * (console.width - 66)))
    console.print(stories_table(listed.rows, listed.total, title_chars))
    if listed.total > len(listed.rows):
        console.print(
            f"... and {listed.total - len(listed.rows)} more: `storyline serve` lists all"
        )
    if report is not None:
        console.print(literal(f"HTML report: {report}"))
    else:
        console.print(
            "HTML report: not written (add --out DIR, or run `storyline report --out DIR`)"
        )
    console.print("show one story: storyline show STORY_ID")


def _marks(citations: Sequence[CitationRef]) -> str:
    return "[" + ",".join(str(c.number) for c in citations) + "]" if citations else ""


def story_renderables(view: StoryView) -> list[RenderableType]:
    """Summary with citation markers and source counts, timeline, entities, quotes, conflicts
    and the list of cited sentences, as rich renderables."""
    dates = f"{view.first_seen or 'undated'} to {view.last_seen or '?'}"
    head = (
        f"{dates} · {len(view.articles)} articles from {len(view.outlets)} outlets · "
        f"{view.sources} independent sources · id {view.id}"
    )
    return [
        Text(clean(view.title), style="bold"),
        Text(clean(head), style="dim"),
        *_section("Summary", _summary(view)),
        *_section("Timeline", _timeline(view)),
        *_section("Entities", [_entities(view)]),
        *_section("Quotes", _quotes(view)),
        *_section("Conflicts", _conflicts(view) or [Text("none found", style="dim")]),
        *_section("Citations", _citations(view)),
    ]


def _section(title: str, body: list[RenderableType]) -> list[RenderableType]:
    return [Text(f"\n{title}", style="bold underline"), *body]


def _summary(view: StoryView) -> list[RenderableType]:
    lines: list[RenderableType] = []
    for n, item in enumerate(view.summary, start=1):
        line = Text(f"{n}. ")
        line.append(clean(item.text))
        line.append(f" {_marks(item.citations)}", style="cyan")
        plural = "s" if item.sources != 1 else ""
        line.append(
            f" ({item.sources} source{plural})", style="green" if item.corroborated else "yellow"
        )
        lines.append(line)
    return lines


def _timeline(view: StoryView) -> list[RenderableType]:
    lines: list[RenderableType] = []
    for t in view.timeline:
        line = Text(f"{clean(t.label or 'undated'):>12}  ", style="bold")
        line.append(clean(t.text, 160))
        line.append(f" {_marks(t.citations)}", style="cyan")
        lines.append(line)
    return lines


def _entities(view: StoryView) -> Table:
    table = Table("name", "type", "also written", "articles", "mentions", box=None)
    for e in view.entities:
        aliases = [a for a in e.get("aliases") or [] if a != e.get("name")]
        table.add_row(
            Text(clean(e.get("name"))),
            Text(clean(e.get("type"))),
            Text(clean(" · ".join(aliases))),
            str(len(e.get("articles") or [])),
            str(e.get("mentions", "")),
        )
    return table


def _quotes(view: StoryView) -> list[RenderableType]:
    lines: list[RenderableType] = []
    for q in view.quotes:
        line = Text(f"{clean(q.speaker)}: ", style="bold")
        line.append(f"“{clean(q.text)}”")
        line.append(f" {_marks([v.citation for v in q.variants])}", style="cyan")
        lines.append(line)
        for variant in q.variants:
            if variant.same:
                continue
            diff = Text(f"    {clean(variant.article.source)}: ", style="dim")
            for op in variant.diff:
                if op.op in ("delete", "replace"):
                    diff.append(f"-{clean(op.a_text)} ", style="red")
                if op.op in ("insert", "replace"):
                    diff.append(f"+{clean(op.b_text)} ", style="green")
                if op.op == "equal":
                    diff.append(clean(op.a_text, 40) + " ")
            lines.append(diff)
    return lines


def _conflicts(view: StoryView) -> list[RenderableType]:
    tables: list[RenderableType] = []
    for conflict in view.conflicts:
        table = Table(
            "value", "as written", "reported by",
            title=literal(f"{conflict.kind}: {conflict.topic}"), title_justify="left",
        )  # fmt: skip
        for value in conflict.values:
            outlets = ", ".join(dict.fromkeys(a.source for a in value.articles))
            table.add_row(
                Text(clean(value.value), style="bold"),
                Text(clean(value.text, 80)),
                Text(clean(outlets)),
            )
        tables.append(table)
    return tables


def _citations(view: StoryView) -> list[RenderableType]:
    seen: dict[int, CitationRef] = {}
    for group in [s.citations for s in view.summary] + [t.citations for t in view.timeline]:
        for citation in group:
            seen.setdefault(citation.number, citation)
    lines: list[RenderableType] = []
    for number, c in sorted(seen.items()):
        line = Text(clean(f"[{number}] {c.source}, article {c.article} sentence {c.sentence}"))
        if c.text:
            line.append(f": {clean(c.text, 100)}", style="dim")
        lines.append(line)
    return lines


def print_story(
    console: Console, db: str | Path, story_id: str, settings: Settings | None = None
) -> None:
    """Print one story; NotFoundError when ``story_id`` is not in the database."""
    threshold = (settings or Settings()).wire_family_threshold
    with Store(db, readonly=True) as store:
        view = story_view(store, store.story_report(story_id), threshold)
    console.print(Group(*story_renderables(view)))

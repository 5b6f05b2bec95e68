"""Commands that read the database or the given files: search, export, show, report, serve,
timex, summarize, timeline, reuse, settings."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from storyline import api
from storyline.cli.common import (
    DbOption,
    Paths,
    app,
    err,
    friendly,
    out,
    parse_day,
    say_skipped,
)
from storyline.config import Settings
from storyline.errors import ConfigError
from storyline.report import terminal
from storyline.schema import topic_date_v1


@app.command()
@friendly
def search(
    query: Annotated[str, typer.Argument(help='Words or "a phrase".')],
    db: DbOption = Path("storyline.db"),
    limit: Annotated[int, typer.Option(help="Most results to show.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Full-text search over titles and texts, best matches first."""
    hits = api.search(Settings().with_(db=str(db)), query, limit)
    if as_json:
        print(json.dumps([asdict(hit) for hit in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        out.print("no matches")
        return
    table = Table("article", "published", "source", "title / snippet")
    for hit in hits:
        cell = terminal.literal(hit.title)
        cell.append("\n").append(terminal.clean(hit.snippet), style="dim")
        table.add_row(terminal.literal(hit.article), terminal.literal(hit.published),
                      terminal.literal(hit.source), cell)  # fmt: skip
    out.print(table)


@app.command()
@friendly
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="json, jsonl or parquet.")] = "json",
    db: DbOption = Path("storyline.db"),
    output: Annotated[
        Path | None, typer.Option("--out", "-o", help="File (folder for parquet); default stdout.")
    ] = None,
) -> None:
    """Export the database (JSON follows the storyline/v1 schema)."""
    for path in api.export(Settings().with_(db=str(db)), fmt, output, sys.stdout):
        err.print(f"wrote {terminal.clean(path)}")


@app.command()
@friendly
def show(
    story_id: Annotated[str, typer.Argument(help="Story id (see `storyline run` or `serve`).")],
    db: DbOption = Path("storyline.db"),
) -> None:
    """One story: cited summary with source counts, timeline, entities, quotes, conflicts."""
    terminal.print_story(out, db, story_id)


@app.command()
@friendly
def report(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the static HTML report.")],
    db: DbOption = Path("storyline.db"),
    full: Annotated[
        bool, typer.Option("--full", help="Rewrite every page, not only what changed.")
    ] = False,
) -> None:
    """Write the static HTML report (index.html, one page per story and article)."""
    index = api.write_report(Settings().with_(db=str(db)), out_dir, full=full)
    out.print(f"report: {terminal.clean(index)}")


@app.command()
@friendly
def serve(
    db: DbOption = Path("storyline.db"),
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    allow_edits: Annotated[
        bool,
        typer.Option(
            "--allow-edits",
            help="Offer corrections (merge, move, detach, split) "
            "in the UI; 127.0.0.1 only, a CSRF token on every form.",
        ),
    ] = False,
    workers: Annotated[
        int, typer.Option(help="Server processes (read-only serving; 1 with --allow-edits).")
    ] = 1,
) -> None:
    """The local web UI and JSON API (read-only unless --allow-edits; safe while
    `storyline run` ingests)."""
    from storyline.web.serve import serve as run_server

    run_server(str(db), host, port, err, allow_edits=allow_edits, workers=workers)


@app.command()
@friendly
def timex(
    path: Annotated[Path, typer.Argument(help="A UTF-8 text file.")],
    dct: Annotated[str | None, typer.Option("--dct", help="Publication date YYYY-MM-DD.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Time expressions of FILE resolved against --dct (offsets into the file as read)."""
    found = api.timexes(path, parse_day(dct) if dct else None)
    if as_json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return
    table = Table("start", "end", "text", "type", "value")
    for item in found:
        table.add_row(
            *(terminal.literal(item[k]) for k in ("start", "end", "text", "type", "value"))
        )
    out.print(table)


def _sources(count: int) -> str:
    return f"{count} source" if count == 1 else f"{count} sources"


@app.command()
@friendly
def summarize(
    paths: Paths,
    max_words: Annotated[int | None, typer.Option("--max-words", help="Length in words.")] = None,
    max_bytes: Annotated[int | None, typer.Option("--max-bytes", help="Length in bytes.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """A cited summary of PATHS taken as one story (how summaries are evaluated)."""
    if fmt not in ("text", "json"):
        raise ConfigError(f"unknown format {fmt!r}; choose text or json")
    words = max_words if max_words is not None or max_bytes is not None else 120
    sentences = api.summarize(paths, Settings(), words, max_bytes, say_skipped)
    if fmt == "json":
        rows = [{"text": s.text, "sources": s.sources,
                 "citations": [{"article": c.article, "sentence": c.sentence}
                               for c in s.citations]} for s in sentences]  # fmt: skip
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for sentence in sentences:
        cited = ", ".join(f"{c.article}:{c.sentence}" for c in sentence.citations)
        typer.echo(terminal.clean(f"{sentence.text} [{_sources(sentence.sources)}: {cited}]"))


@app.command()
@friendly
def timeline(
    paths: Paths,
    dates: Annotated[
        int | None, typer.Option("--dates", help="Days to keep (default: chosen from the data).")
    ] = None,
    per_date: Annotated[
        int | None, typer.Option("--per-date", help="Sentences per day (default: setting).")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="First day YYYY-MM-DD (default: from the data).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--end", help="Last day YYYY-MM-DD (default: from the data).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """A topic timeline of PATHS taken as one topic: the key days, cited sentences for each."""
    if fmt not in ("text", "json"):
        raise ConfigError(f"unknown format {fmt!r}; choose text or json")
    first, last = (parse_day(day) if day else None for day in (start, end))
    days = api.timeline(paths, Settings(), dates, per_date, say_skipped, first, last)
    if fmt == "json":
        print(json.dumps([topic_date_v1(d) for d in days], ensure_ascii=False, indent=2))
        return
    for day in days:
        typer.echo(day.date)
        for sentence in day.sentences:
            cited = ", ".join(f"{c.article}:{c.sentence}" for c in sentence.citations)
            typer.echo(terminal.clean(f"  {sentence.text} [{_sources(sentence.sources)}: {cited}]"))


@app.command()
@friendly
def reuse(
    article: Annotated[str, typer.Argument(help="Article id.")],
    db: DbOption = Path("storyline.db"),
) -> None:
    """Which sentences of ARTICLE are copies or paraphrases of other articles, and of which."""
    found = api.reuse_of(Settings().with_(db=str(db)), article)
    if not found:
        out.print(f"no reused sentences found for {terminal.clean(article)}")
        return
    table = Table("sentence", "text", "also in (article:sentence)", "score")
    for row in found:
        table.add_row(str(row.sentence), terminal.literal(row.text),
                      terminal.literal(f"{row.other}:{row.other_sentence}"),
                      f"{row.score:.2f}")  # fmt: skip
    out.print(table)


Note = Annotated[str | None, typer.Option("--note", help="Why (kept with the correction).")]


@app.command("settings")
def list_settings() -> None:
    """Every setting with its default and help text."""
    table = Table("setting", "default", "help")
    defaults = Settings()
    for name, text in Settings.help().items():
        table.add_row(name, repr(getattr(defaults, name)), text)
    out.print(table)

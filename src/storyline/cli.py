"""The ``storyline`` command: parses arguments, builds Settings, calls the Python API and
turns StorylineErrors into one-line messages with non-zero exit codes. No logic here."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from storyline import api
from storyline.config import Settings
from storyline.errors import ConfigError, StorylineError
from storyline.report import terminal

app = typer.Typer(
    name="storyline",
    help="Turn news articles from many outlets into stories a reader can trust.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[Path, typer.Option("--db", help="SQLite database file.")]
Paths = Annotated[list[Path], typer.Argument(help="Files or folders of articles.")]
Workers = Annotated[
    int | None, typer.Option("--workers", "-w", help="Worker processes (default: cores).")
]
MaxBytes = Annotated[
    int | None, typer.Option("--max-file-bytes", help="Skip input files larger than this.")
]


def friendly(command: F) -> F:
    """Report StorylineErrors as one line on stderr with the error's exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except StorylineError as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("interrupted: run the same command again to continue where it stopped")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def settings_for(db: Path, workers: int | None = None, max_bytes: int | None = None) -> Settings:
    changes: dict[str, Any] = {"db": str(db)}
    if workers is not None:
        if workers < 1:
            raise ConfigError("--workers must be at least 1")
        changes["workers"] = workers
    if max_bytes is not None:
        changes["max_file_bytes"] = max_bytes
    return Settings().with_(**changes)


@contextmanager
def progress_bar() -> Iterator[api.Progress]:
    """A rich progress bar on a terminal; silent otherwise."""
    if not err.is_terminal:
        yield lambda step, done, total: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=err, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def update(step: str, done: int, total: int | None) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=total)
            bar.update(tasks[step], completed=done, total=total)

        yield update


def print_ingest(report: api.IngestReport) -> None:
    out.print(
        f"{report.files} files: {report.added} articles added, "
        f"{report.already} already stored, {len(report.skipped)} skipped"
    )
    for skip in report.skipped[:50]:
        typer.echo(f"skipped {skip.path}: {skip.reason}", err=True)
    if len(report.skipped) > 50:
        err.print(f"... and {len(report.skipped) - 50} more (see `storyline stats`)")


@app.command()
@friendly
def ingest(
    paths: Paths, db: DbOption = Path("storyline.db"), max_file_bytes: MaxBytes = None
) -> None:
    """Store articles (text, HTML, RSS/Atom, JSONL) without analysing them."""
    settings = settings_for(db, max_bytes=max_file_bytes)
    with progress_bar() as progress:
        report = api.ingest(paths, settings, progress)
    print_ingest(report)


@app.command()
@friendly
def run(
    paths: Paths,
    db: DbOption = Path("storyline.db"),
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder for the JSON export and reports.")
    ] = None,
    workers: Workers = None,
    max_file_bytes: MaxBytes = None,
    engine: Annotated[
        str, typer.Option("--engine", help="local (process pool) or spark (extra 'spark').")
    ] = "local",
    master: Annotated[
        str | None,
        typer.Option("--master", help="Spark master: local[2], spark://host:7077, yarn."),
    ] = None,
) -> None:
    """Ingest PATHS and run every stage: annotate, link, synthesize, report."""
    settings = settings_for(db, workers, max_file_bytes)
    if engine not in ("local", "spark"):
        raise ConfigError(f"unknown engine {engine!r}; choose local or spark")
    with progress_bar() as progress:
        if engine == "spark":
            parquet = out_dir / "parquet" if out_dir is not None else None
            report: Any = api.run_spark(paths, settings, progress, master=master, parquet=parquet)
        else:
            report = api.run(paths, settings, progress)
    print_ingest(report.ingest)
    out.print(
        f"{report.annotated} articles annotated; {report.stories} stories, "
        f"{report.duplicates} duplicates; database: {report.db}"
    )
    index = None
    if out_dir is not None:
        written = api.write_outputs(settings, out_dir)
        for path in written:
            out.print(f"wrote {path}")
        index = out_dir / "index.html"
    terminal.print_stories(out, settings.db, report=index, settings=settings)


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
        table.add_row(hit.article, hit.published or "", hit.source or "",
                      f"{hit.title or ''}\n[dim]{hit.snippet}[/]")  # fmt: skip
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
        err.print(f"wrote {path}")


@app.command()
@friendly
def stats(db: DbOption = Path("storyline.db")) -> None:
    """Counts of what the database holds, and the files skipped by the last run."""
    info = api.stats(Settings().with_(db=str(db)))
    table = Table("what", "count")
    for key, value in info.counts.items():
        table.add_row(key, str(value))
    out.print(table)
    for skip in info.last_skipped:
        typer.echo(f"skipped {skip.path}: {skip.reason}")


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
) -> None:
    """Write the static HTML report (index.html, one page per story and article)."""
    index = api.write_report(Settings().with_(db=str(db)), out_dir)
    out.print(f"report: {index}")


@app.command()
@friendly
def serve(
    db: DbOption = Path("storyline.db"),
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """The local web UI and JSON API (read-only; safe while `storyline run` ingests)."""
    from storyline.web.serve import serve as run_server

    run_server(str(db), host, port, err)


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
        table.add_row(*(str(item[k]) for k in ("start", "end", "text", "type", "value")))
    out.print(table)


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
    sentences = api.summarize(paths, Settings().with_(workers=1), words, max_bytes)
    if fmt == "json":
        rows = [{"text": s.text, "sources": s.sources,
                 "citations": [{"article": c.article, "sentence": c.sentence}
                               for c in s.citations]} for s in sentences]  # fmt: skip
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for sentence in sentences:
        cited = ", ".join(f"{c.article}:{c.sentence}" for c in sentence.citations)
        typer.echo(f"{sentence.text} [{sentence.sources} sources: {cited}]")


@app.command()
@friendly
def reuse(
    article: Annotated[str, typer.Argument(help="Article id.")],
    db: DbOption = Path("storyline.db"),
) -> None:
    """Which sentences of ARTICLE are copies or paraphrases of other articles, and of which."""
    found = api.reuse_of(Settings().with_(db=str(db)), article)
    if not found:
        out.print(f"no reused sentences found for {article}")
        return
    table = Table("sentence", "text", "also in (article:sentence)", "score")
    for row in found:
        table.add_row(str(row.sentence), row.text, f"{row.other}:{row.other_sentence}",
                      f"{row.score:.2f}")  # fmt: skip
    out.print(table)


@app.command("settings")
def list_settings() -> None:
    """Every setting with its default and help text."""
    table = Table("setting", "default", "help")
    defaults = Settings()
    for name, text in Settings.help().items():
        table.add_row(name, repr(getattr(defaults, name)), text)
    out.print(table)


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from exc


def main() -> None:  # pragma: no cover - console entry point
    app()

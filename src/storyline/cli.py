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
) -> None:
    """Ingest PATHS and run every stage: annotate, link, synthesize, report."""
    settings = settings_for(db, workers, max_file_bytes)
    with progress_bar() as progress:
        report = api.run(paths, settings, progress)
    print_ingest(report.ingest)
    out.print(
        f"{report.annotated} articles annotated; {report.stories} stories, "
        f"{report.duplicates} duplicates; database: {report.db}"
    )
    if out_dir is not None:
        written = api.write_outputs(settings, out_dir)
        for path in written:
            out.print(f"wrote {path}")


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

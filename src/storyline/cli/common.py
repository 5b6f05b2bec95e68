"""What every command shares: the typer app, the consoles, option types, error handling,
settings and progress."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from storyline import api
from storyline.config import Settings
from storyline.errors import ConfigError, InputError, StorylineError
from storyline.report import terminal
from storyline.store import Skip

app = typer.Typer(
    name="storyline",
    help="Turn news articles from many outlets into stories a reader can trust.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
#: markup is never parsed (a title or a path may hold '[/]'), and every value from outside
#: (titles, texts, ids, paths, reasons) is printed through ``terminal.clean``, which makes
#: control characters visible instead of sending them to the terminal
out = Console(markup=False)
err = Console(stderr=True, markup=False)

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
            message = Text.assemble(("error:", "bold red"), " ", terminal.clean(exc))
            err.print(message, highlight=False, soft_wrap=True)
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


def say_skipped(skip: Skip | InputError) -> None:
    """One line on stderr for an input that was skipped: its path and the reason."""
    typer.echo(f"skipped {terminal.clean(skip.path)}: {terminal.clean(skip.reason)}", err=True)


def print_ingest(report: api.IngestReport) -> None:
    out.print(
        f"{report.files} files"
        + (f" ({report.unchanged} unchanged, not read again)" if report.unchanged else "")
        + f": {report.added} articles added, "
        f"{report.already} already stored, {len(report.skipped)} skipped"
    )
    for skip in report.skipped[:50]:
        say_skipped(skip)
    if len(report.skipped) > 50:
        err.print(f"... and {len(report.skipped) - 50} more (see `storyline stats`)")


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from exc

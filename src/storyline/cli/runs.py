"""Commands that ingest and run the stages: ingest, run, stats, retry, rebuild."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from storyline import api
from storyline.cli.common import (
    DbOption,
    MaxBytes,
    Paths,
    Workers,
    app,
    err,
    friendly,
    out,
    print_ingest,
    progress_bar,
    settings_for,
)
from storyline.config import Settings
from storyline.errors import ConfigError
from storyline.report import terminal


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
    if getattr(report, "failed", 0):
        err.print(f"{report.failed} articles could not be annotated: see `storyline stats`,"
                  " then `storyline retry`")  # fmt: skip
    if engine == "local" and not (report.annotated or report.linked or report.synthesized):
        out.print(f"nothing new: {report.stories} stories, {report.duplicates} duplicates")
    else:
        out.print(
            f"{report.annotated} articles annotated, {getattr(report, 'linked', 0)} linked, "
            f"{getattr(report, 'synthesized', 0)} stories updated; {report.stories} stories, "
            f"{report.duplicates} duplicates; database: {terminal.clean(report.db)}"
        )
    index = None
    if out_dir is not None:
        written = api.write_outputs(settings, out_dir)
        for path in written:
            out.print(f"wrote {terminal.clean(path)}")
        index = out_dir / "index.html"
    terminal.print_stories(out, settings.db, report=index, settings=settings)


@app.command()
@friendly
def stats(db: DbOption = Path("storyline.db")) -> None:
    """Counts of what the database holds, the files skipped by the last run, the articles
    whose annotation failed and those of which only a part was analysed."""
    info = api.stats(Settings().with_(db=str(db)))
    table = Table("what", "count")
    for key, value in info.counts.items():
        table.add_row(key, str(value))
    out.print(table)
    for skip in info.last_skipped:
        typer.echo(f"skipped {terminal.clean(skip.path)}: {terminal.clean(skip.reason)}")
    if info.failed:
        typer.echo(f"{len(info.failed)} articles failed annotation (`storyline retry` retries):")
    for failed in info.failed:
        typer.echo(terminal.clean(f"failed {failed.id} {failed.path or '-'}: {failed.reason}"))
    for limited in info.limited:
        typer.echo(terminal.clean(f"limited {limited.id} {limited.path or '-'}: {limited.warning}"))


@app.command()
@friendly
def retry(db: DbOption = Path("storyline.db"), workers: Workers = None) -> None:
    """Annotate the articles whose annotation failed again, then link and synthesize."""
    settings = settings_for(db, workers)
    with progress_bar() as progress:
        report = api.retry(settings, progress=progress)
    out.print(
        f"{report.retried} failed articles retried: {report.annotated} annotated, "
        f"{len(report.failed)} still failed; {report.stories} stories"
    )
    for failed in report.failed:
        typer.echo(terminal.clean(f"failed {failed.id} {failed.path or '-'}: {failed.reason}"))


@app.command()
@friendly
def rebuild(db: DbOption = Path("storyline.db"), workers: Workers = None) -> None:
    """Recompute all stories, duplicates and reports from the stored annotations (after a
    change of settings or an upgrade); gives what incremental runs gave in the same order."""
    settings = settings_for(db, workers)
    with progress_bar() as progress:
        report = api.rebuild(settings, progress)
    out.print(
        f"{report.linked} articles linked again; {report.stories} stories, "
        f"{report.duplicates} duplicates; database: {terminal.clean(report.db)}"
    )

"""Commands that follow live sources: watch, sources."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from storyline import api
from storyline.cli.common import (
    DbOption,
    Workers,
    app,
    err,
    friendly,
    out,
    settings_for,
)
from storyline.config import Settings


@app.command()
@friendly
def watch(
    sources: Annotated[
        list[str],
        typer.Argument(metavar="SOURCE", help="Feed or sitemap URLs, OPML files, folders."),
    ],
    db: DbOption = Path("storyline.db"),
    every: Annotated[
        float | None, typer.Option("--every", help="Seconds between polls (default 600).")
    ] = None,
    once: Annotated[
        bool, typer.Option("--once", help="Poll every source once, process what is new, exit.")
    ] = False,
    workers: Workers = None,
) -> None:
    """Follow feeds, sitemaps and folders: poll, store what is new, run every stage.

    Without --once it polls again every --every seconds; Ctrl-C stops between steps."""
    settings = settings_for(db, workers)
    report = api.watch(sources, settings, once=once, every=every, on_poll=print_poll,
                       notice=lambda message: err.print(Text(message)))  # fmt: skip
    last = report.last
    if once and last is not None and last.sources and len(last.failed) == len(last.sources):
        raise typer.Exit(1)


def print_poll(report: Any) -> None:
    """One line per poll, and one per failing source (untrusted text as rich ``Text``, so
    it is printed literally whatever the console's markup setting)."""
    outcomes = [s.outcome for s in report.sources]
    counts = report.counts
    line = (
        f"poll {report.number}: {len(outcomes)} sources ({outcomes.count('new')} new, "
        f"{outcomes.count('unchanged')} unchanged, {outcomes.count('failed')} failed, "
        f"{outcomes.count('deferred')} deferred); {report.added} articles added, "
        f"{sum(s.updated for s in report.sources)} of them updates; {counts.pages} pages "
        f"fetched; {counts.requests} requests ({counts.not_modified} not modified), "
        f"{counts.bytes:,} bytes in {report.seconds:.1f} s"
    )
    if report.processed is not None:
        line += f"; {report.processed.annotated} annotated, {report.processed.stories} stories"
    out.print(Text(line), highlight=False)
    for failed in report.failed:
        err.print(Text(f"failed {failed.url}: {failed.error or ''}"), highlight=False)


@app.command("sources")
@friendly
def sources_table(db: DbOption = Path("storyline.db")) -> None:
    """The sources `storyline watch` follows: last poll, last success, errors, articles."""
    states = api.sources(Settings().with_(db=str(db)))
    if not states:
        out.print("no sources yet: follow some with `storyline watch SOURCE...`")
        return
    table = Table("source", "kind", "last poll", "last success", "articles", "status")
    for state in states:
        status = "ok"
        if state.failing:
            status = f"failing ({state.failures}x): {state.last_error}"
        elif state.last_error:
            status = f"ok (last error {state.last_error_at}: {state.last_error})"
        if state.not_before:
            status += f"; not polled before {state.not_before}"
        name = state.url if not state.title else f"{state.title}\n{state.url}"
        table.add_row(
            Text(name), Text(state.kind), state.last_poll or "never",
            state.last_success or "never", str(state.articles_added), Text(status),
        )  # fmt: skip
    out.print(table)

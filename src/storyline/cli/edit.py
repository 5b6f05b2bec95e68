"""Commands that correct what storyline decided: story membership and outlet identity."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from storyline import api
from storyline.cli.common import (
    DbOption,
    app,
    friendly,
    out,
    settings_for,
)
from storyline.config import Settings
from storyline.report import terminal

Note = Annotated[str | None, typer.Option("--note", help="Why (kept with the correction).")]


def print_correction(verb: str, made: Any) -> None:
    out.print(f"{verb} correction {made.id}: {terminal.literal(made.describe())}")


@app.command()
@friendly
def merge(
    story: Annotated[str, typer.Argument(help="The story to keep.")],
    other: Annotated[str, typer.Argument(help="The story shown as part of it.")],
    db: DbOption = Path("storyline.db"),
    note: Note = None,
) -> None:
    """Show story OTHER as part of STORY from now on (kept by later runs and rebuilds)."""
    made = api.correct(settings_for(db), "merge", story=story, other=other, note=note)
    print_correction("recorded", made)


@app.command()
@friendly
def move(
    article: Annotated[str, typer.Argument(help="Article id.")],
    story: Annotated[str, typer.Argument(help="The story it belongs to.")],
    db: DbOption = Path("storyline.db"),
    note: Note = None,
) -> None:
    """Show ARTICLE (and its copies) in STORY from now on."""
    made = api.correct(settings_for(db), "move", story=story, articles=[article], note=note)
    print_correction("recorded", made)


@app.command()
@friendly
def detach(
    article: Annotated[str, typer.Argument(help="Article id.")],
    db: DbOption = Path("storyline.db"),
    note: Note = None,
) -> None:
    """Show ARTICLE on its own and never group anything with it."""
    made = api.correct(settings_for(db), "detach", articles=[article], note=note)
    print_correction("recorded", made)


@app.command()
@friendly
def split(
    story: Annotated[str, typer.Argument(help="The story to split.")],
    articles: Annotated[list[str], typer.Argument(help="Articles that leave it together.")],
    db: DbOption = Path("storyline.db"),
    note: Note = None,
) -> None:
    """Move ARTICLES out of STORY into a new story of their own."""
    made = api.correct(settings_for(db), "split", story=story, articles=articles, note=note)
    print_correction("recorded", made)


@app.command("corrections")
@friendly
def list_corrections(
    db: DbOption = Path("storyline.db"),
    undo: Annotated[int | None, typer.Option("--undo", help="Undo correction ID.")] = None,
) -> None:
    """The corrections in force (or undo one with --undo ID)."""
    settings = settings_for(db)
    if undo is not None:
        print_correction("undid", api.undo_correction(settings, undo))
        return
    table = Table("id", "correction", "note", "at", box=None)
    for made in api.corrections(settings):
        what, note = terminal.literal(made.describe()), terminal.literal(made.note or "")
        table.add_row(str(made.id), what, note, made.at)
    out.print(table)


@app.command("outlets")
@friendly
def outlets_table(
    db: DbOption = Path("storyline.db"),
    rename: Annotated[
        tuple[str, str] | None,
        typer.Option("--rename", metavar="OUTLET NAME", help="Show OUTLET as NAME from now on."),
    ] = None,
    merge: Annotated[
        tuple[str, str] | None,
        typer.Option("--merge", metavar="OUTLET INTO", help="Fold OUTLET into outlet INTO."),
    ] = None,
) -> None:
    """The outlets (one per publisher: domains, feed titles, site names and folder names
    that name the same one), with their articles; rename or merge them."""
    records = api.outlets(Settings().with_(db=str(db)), rename=rename, merge=merge)
    table = Table("outlet", "id", "articles", "known as")
    for record in records:
        keys = ", ".join(k.split(":", 1)[1] for k in record.keys)
        table.add_row(Text(record.name), Text(record.id), str(record.articles), Text(keys))
    out.print(table if records else "no outlets yet: run `storyline run` first")

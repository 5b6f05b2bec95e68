"""The rich terminal report: the story table of `storyline run` and `storyline show`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from storyline.config import Settings
from storyline.errors import NotFoundError
from storyline.pipeline import run
from storyline.report.terminal import clean, print_stories, print_story
from storyline.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"
HOSTILE = {
    "title": "Styled [bold red]title[/] \x1b[2J\x1b[31mcleared \u202eevil",
    "text": (
        "FENWICK — A second recount of the Fenwick mayoral race was ordered on Friday. "
        "Officials said [link=file:///etc/passwd]the ballots[/link] were sealed. "
        "The count will begin on Monday, the election office said."
    ),
    "source": "[blink]Outlet[/blink]",
    "published": "2024-03-12",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("terminal")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    path = folder / "t.db"
    run([CORPUS / "valley-observer", CORPUS / "harbor-herald", hostile],
        Settings().with_(db=str(path), workers=1))  # fmt: skip
    return path


def render(fn: object, *args: object) -> str:
    console = Console(width=160, record=True, force_terminal=False, color_system=None)
    fn(console, *args)  # type: ignore[operator]
    return console.export_text()


def test_story_table_lists_every_story(db: Path) -> None:
    text = render(print_stories, db)
    with Store(db, readonly=True) as store:
        reports = store.story_reports()
    assert f"Stories ({len(reports)}, newest first)" in text
    positions = [text.index(r["id"]) for r in reports]
    assert positions == sorted(positions)
    first = reports[0]
    row = next(line for line in text.splitlines() if first["id"] in line)
    assert f" {len(first['articles'])} " in row and first["first_seen"] in row
    assert "show one story: storyline show STORY_ID" in text
    report = render(lambda c, d: print_stories(c, d, report=Path("out/index.html")), db)
    assert "HTML report: out/index.html" in report


def test_show_prints_summary_timeline_quotes_and_conflicts(db: Path) -> None:
    with Store(db, readonly=True) as store:
        report = max(store.story_reports(), key=lambda r: len(r["summary"]))
    text = render(print_story, db, report["id"])
    for heading in ("Summary", "Timeline", "Entities", "Quotes", "Conflicts", "Citations"):
        assert f"\n{heading}\n" in text
    flat = " ".join(text.split())
    for n, item in enumerate(report["summary"], start=1):
        marker = re.search(rf"{n}\. .*?\[[\d,]+\] \((\d+) sources?\)", flat)
        assert marker is not None and int(marker.group(1)) == item["sources"]
    assert "[1] " in text and "sentence" in text


def test_hostile_text_cannot_style_or_escape(db: Path) -> None:
    with Store(db, readonly=True) as store:
        (evil,) = list(store.articles("WHERE published = ? AND source LIKE ?",
                                      ["2024-03-12", "%Outlet%"]))  # fmt: skip
        story = store.article_links()[evil.id][0]
    assert story is not None
    console = Console(width=200, record=True, force_terminal=True, color_system="truecolor")
    print_stories(console, db)
    print_story(console, db, story)
    raw = console.export_text(styles=True)
    assert "\x1b[2J" not in raw and "\u202e" not in raw
    assert "[blink]Outlet[/blink]" in raw and "[bold red]title[/]" in raw  # printed literally
    assert "\x1b[5m" not in raw  # blink never applied


def test_clean_and_missing_story(db: Path) -> None:
    assert clean("a\x1b[31mb\nc\u202ed", 100) == "a\\x1b[31mb c\\u202ed"
    assert clean("x" * 10, 5) == "xxxx…"
    with pytest.raises(NotFoundError):
        print_story(Console(), db, "nope")


def test_cli_show_and_report(db: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    with Store(db, readonly=True) as store:
        story = store.story_reports()[0]["id"]
    shown = subprocess.run(
        [sys.executable, "-m", "storyline", "show", story, "--db", str(db)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert "Summary" in shown.stdout and "Timeline" in shown.stdout and story in shown.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "storyline", "show", "nope", "--db", str(db)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert missing.returncode != 0 and "no story with id 'nope'" in missing.stderr
    written = subprocess.run(
        [sys.executable, "-m", "storyline", "report", "--db", str(db), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert f"report: {tmp_path / 'index.html'}" in written.stdout
    assert (tmp_path / "stories" / f"{story}.html").is_file()

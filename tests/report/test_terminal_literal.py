"""Untrusted text reaches the terminal literally: rich markup in titles, texts, sources, ids and
paths is printed as written (never parsed, so never a MarkupError), and control characters
from a file name or an article are shown as escapes instead of being sent to the terminal."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.report.terminal import clean, literal
from storyline.store import Store

CLI = [sys.executable, "-m", "storyline"]
TITLE = "Recount [/] ordered [/nope]x [bold]loud[/bold] \x1b[2Jcleared"
TEXT = (
    "FENWICK — A second recount of the Fenwick mayoral race was ordered on Friday [/nope]x. "
    "Officials said [link=file:///etc/passwd]the ballots[/link] were sealed [/]. "
    "The count will begin on Monday, the election office said."
)
EVIL_NAME = "evil\x1b[31mname\x07.txt"


def storyline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """``storyline run`` over a hostile JSONL article and an empty file with escape sequences
    in its name (skipped, so its name is printed)."""
    folder = tmp_path_factory.mktemp("literal")
    inputs = folder / "in"
    inputs.mkdir()
    article = {"title": TITLE, "text": TEXT, "source": "Out[/]let", "published": "2024-03-12"}
    (inputs / "hostile.jsonl").write_text(json.dumps(article) + "\n", encoding="utf-8")
    (inputs / EVIL_NAME).write_text("")
    db = folder / "t[/].db"
    return db, storyline("run", str(inputs), "--db", str(db), "--workers", "1")


def test_run_prints_markup_and_file_names_literally(
    ran: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    db, result = ran
    assert result.returncode == 0, result.stderr
    assert "MarkupError" not in result.stderr and "Traceback" not in result.stderr
    assert "\x1b" not in result.stdout + result.stderr and "\x07" not in result.stderr
    skip = next(line for line in result.stderr.splitlines() if line.startswith("skipped"))
    assert "evil\\x1b[31mname\\x07.txt" in skip  # visible, not interpreted
    assert f"database: {db}" in " ".join(result.stdout.split())
    assert "Recount [/]" in result.stdout


def test_search_and_show_print_markup_literally(
    ran: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    db, _ = ran
    found = storyline("search", "recount", "--db", str(db))
    assert found.returncode == 0, found.stderr
    flat = " ".join(found.stdout.split())
    assert "Out[/]let" in flat and "[/nope]x" in flat and "\x1b" not in found.stdout
    with Store(db, readonly=True) as store:
        (story,) = [r["id"] for r in store.story_reports()]
    with sqlite3.connect(db) as raw:  # a stored title that still holds an escape sequence
        raw.execute("UPDATE stories SET report = json_set(report, '$.title', ?), title = ?",
                    ["Stored \x1b[2J[/nope]x title"] * 2)  # fmt: skip
    shown = storyline("show", story, "--db", str(db))
    assert shown.returncode == 0, shown.stderr
    flat = " ".join(shown.stdout.split())
    assert "Stored \\x1b[2J[/nope]x title" in flat and "Out[/]let" in flat
    assert "\x1b" not in shown.stdout


def test_error_lines_print_markup_literally(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["show", "[/nope]x", "--db", str(tmp_path / "none[/].db")])
    assert missing.exit_code == 4 and "none[/].db: no such database" in missing.output
    db = tmp_path / "s.db"
    Store(db).close()
    shown = runner.invoke(app, ["show", "[/]\x1b[2J", "--db", str(db)])
    assert shown.exit_code == 4
    assert "no story with id '[/]\\x1b[2J'" in shown.output and "\x1b" not in shown.output


def test_clean_makes_control_characters_visible() -> None:
    assert clean("a\x1b[31mb") == "a\\x1b[31mb"
    assert clean("nul\x00 bell\x07 del\x7f c1\x9b") == "nul\\x00 bell\\x07 del\\x7f c1\\x9b"
    assert clean("right\u202eleft \u2066iso\u2069 zero\u200bwidth") == (
        "right\\u202eleft \\u2066iso\\u2069 zero\\u200bwidth"
    )
    assert clean("line\none\ttab\r\nend\rback") == "line one tab end\\x0dback"
    assert clean("name-\udcff\udcfe.txt") == "name-\ufffd\ufffd.txt"  # undecodable file names
    assert clean("emoji 👩\u200d💻 and 日本語") == "emoji 👩\u200d💻 and 日本語"  # kept
    assert clean(None) == "" and clean(0) == "0" and clean("x" * 10, 5) == "xxxx…"
    text = literal("[bold]not bold[/]", style="dim")
    assert text.plain == "[bold]not bold[/]" and str(text.style) == "dim"

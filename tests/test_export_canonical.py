"""Exports are canonical (the same articles give byte-identical output whatever the order
they were ingested or stored in) and fail cleanly: an export path that cannot be written, or
a full disk, is one error line with its exit code, and no partial file is left."""

from __future__ import annotations

import io
import json
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from storyline import api
from storyline.cli import app
from storyline.config import Settings
from storyline.errors import OutputError
from storyline.export import build_document, export
from storyline.pipeline import run
from storyline.schema import PAGE_ONLY, problems
from storyline.store import Store

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
CLI = [sys.executable, "-m", "storyline"]


def build(folder: Path, name: str, files: list[Path]) -> Path:
    """A database of the seeds, ingested one file at a time in the order of ``files``."""
    settings = Settings().with_(db=str(folder / name), workers=1)
    for path in files:
        api.ingest([path], settings)
    run([SEEDS], settings)
    return Path(settings.db)


@pytest.fixture(scope="module")
def two_orders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    folder = tmp_path_factory.mktemp("orders")
    files = sorted(SEEDS.iterdir())
    return build(folder, "forward.db", files), build(folder, "backward.db", files[::-1])


def exported(db: Path, fmt: str = "json") -> str:
    """The export of ``db`` as text, without the stories' optional ``updated`` times (when
    the database was written, so they differ between any two databases)."""
    buffer = io.StringIO()
    with Store(db, readonly=True) as store:
        export(store, fmt, None, buffer)
    return _UPDATED.sub("", buffer.getvalue())


_UPDATED = re.compile(r',?\s*"updated": "[^"]*"')


def test_same_articles_in_other_orders_export_identically(
    two_orders: tuple[Path, Path], tmp_path: Path
) -> None:
    forward, backward = two_orders
    with sqlite3.connect(forward) as a, sqlite3.connect(backward) as b:
        order = "SELECT id FROM articles ORDER BY rowid"
        assert [r[0] for r in a.execute(order)] == [r[0] for r in b.execute(order)][::-1]
    assert exported(forward) == exported(backward)
    assert exported(forward, "jsonl") == exported(backward, "jsonl")
    document = json.loads(exported(forward))
    assert problems(document) == []
    keys = [(a["published"] is None, a["published"] or "", a["id"]) for a in document["articles"]]
    assert keys == sorted(keys)
    for db in (forward, backward):
        with Store(db, readonly=True) as store:
            export(store, "parquet", tmp_path / db.stem)
    for table in ("articles", "sentences", "mentions", "stories"):
        rows = [
            [{k: v for k, v in row.items() if k != "updated"} for row in
             pq.read_table(tmp_path / name / f"{table}.parquet").to_pylist()]
            for name in ("forward", "backward")
        ]  # fmt: skip
        assert rows[0] == rows[1]


def reversed_lists(story: dict[str, Any]) -> dict[str, Any]:
    """``story`` with every list whose order the export fixes reversed (what a re-run after
    kill -9 may store: the same facts, met in another order)."""
    out = dict(story, articles=story["articles"][::-1], claims=story["claims"][::-1],
               quotes=[dict(q, variants=q["variants"][::-1]) for q in story["quotes"][::-1]],
               reuse=[dict(r, shared_sentences=r["shared_sentences"][::-1])
                      for r in story["reuse"][::-1]])  # fmt: skip
    for key in ("summary", "timeline"):
        out[key] = [dict(i, citations=i["citations"][::-1]) for i in story[key]]
    out["entities"] = [dict(e, articles=e["articles"][::-1]) for e in story["entities"]]
    out["conflicts"] = [
        dict(c, values=[dict(v, articles=v["articles"][::-1]) for v in c["values"]])
        for c in story["conflicts"]
    ]
    return out


def test_stored_order_does_not_reach_the_export(
    two_orders: tuple[Path, Path], tmp_path: Path
) -> None:
    forward, _ = two_orders
    shuffled = Path(shutil.copyfile(forward, tmp_path / "shuffled.db"))
    with sqlite3.connect(shuffled) as raw:
        rows = raw.execute("SELECT id, report FROM stories").fetchall()
        for sid, report in rows:
            changed = json.dumps(reversed_lists(json.loads(report)), ensure_ascii=False)
            assert changed != report
            raw.execute("UPDATE stories SET report = ? WHERE id = ?", (changed, sid))
    assert exported(shuffled) == exported(forward)
    with Store(forward, readonly=True) as store:
        stored = build_document(store)["stories"][0]
        raw_story = store.story_report(stored["id"])
    assert "families" in raw_story  # stored for the pages and counts, not exported
    raw_story = {k: v for k, v in raw_story.items() if k not in PAGE_ONLY}
    assert list(stored) == list(raw_story)  # the same fields in the same order
    assert deep_sorted(stored) == deep_sorted(raw_story)  # and the same items: only order differs


def deep_sorted(value: Any) -> Any:
    """``value`` with every list sorted, recursively (what is left when order is ignored)."""
    if isinstance(value, dict):
        return {k: deep_sorted(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((deep_sorted(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def one_error_line(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert result.returncode == code, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_export_path_under_a_regular_file(two_orders: tuple[Path, Path], tmp_path: Path) -> None:
    db = Path(shutil.copyfile(two_orders[0], tmp_path / "s.db"))
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder")
    with (
        pytest.raises(OutputError, match="a file is in the way"),
        Store(db, readonly=True) as store,
    ):
        export(store, "json", blocker / "out" / "e.json")
    one_error_line(cli("export", "--db", str(db), "--out", str(blocker / "e.json")), 16,
                   str(blocker), "cannot write the JSON export", "--out")  # fmt: skip
    result = CliRunner().invoke(app, ["run", str(SEEDS), "--db", str(db), "--workers", "1",
                                      "--out", str(blocker / "site")])  # fmt: skip
    assert result.exit_code == 16 and "a file is in the way" in result.output
    assert str(blocker) in result.output and "Traceback" not in result.output
    assert blocker.read_text() == "not a folder"


def test_full_disk_export(two_orders: tuple[Path, Path], tmp_path: Path) -> None:
    """/dev/full answers every write with ENOSPC, like a disk that has no space left."""
    db, _ = two_orders
    full = Path("/dev/full")
    if not full.exists():
        pytest.skip("no /dev/full here")
    one_error_line(cli("export", "--db", str(db), "--out", str(full)), 15,
                   "/dev/full", "the disk is full")  # fmt: skip
    assert stat.S_ISCHR(full.stat().st_mode)  # written in place, never replaced by a file
    with full.open("w") as sink:
        result = subprocess.run([*CLI, "export", "--db", str(db)], stdout=sink,
                                stderr=subprocess.PIPE, text=True, timeout=120)  # fmt: skip
    one_error_line(result, 15, "standard output", "the disk is full")


def _can_unshare(folder: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = ["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=16k tmpfs '{folder}'"]
    return subprocess.run(probe, capture_output=True).returncode == 0


def test_outputs_on_read_only_and_small_disks(
    two_orders: tuple[Path, Path], tmp_path: Path
) -> None:
    """Real read-only and full file systems, in a private mount namespace (root only)."""
    db, _ = two_orders
    ro, small = tmp_path / "ro", tmp_path / "small"
    ro.mkdir()
    small.mkdir()
    if not _can_unshare(ro):
        pytest.skip("needs root (CAP_SYS_ADMIN) for a private mount namespace: unshare -m")
    commands = {
        "json": (["export", "--out", str(ro / "e.json")], 16, "cannot write the JSON export"),
        "parquet": (["export", "-f", "parquet", "--out", str(ro / "pq")], 16, "Parquet"),
        "report": (["report", "--out", str(ro / "site")], 16, "cannot write the report"),
        "small": (["export", "--out", str(small / "e.json")], 15, "the disk is full"),
    }
    script = "".join(
        f"{' '.join(CLI)} {' '.join(args)} --db '{db}' >/dev/null 2>'{tmp_path / name}.err';"
        f" echo {name} $?; ls -A '{small}' '{ro}' >> '{tmp_path}/left';"
        for name, (args, _, _) in commands.items()
    )
    setup = (f"mount --bind '{ro}' '{ro}' && mount -o remount,ro,bind '{ro}' '{ro}' && "
             f"mount -t tmpfs -o size=24k tmpfs '{small}'")  # fmt: skip
    done = subprocess.run(["unshare", "-m", "sh", "-c", f"{setup} && {script}"],
                          capture_output=True, text=True, timeout=180)  # fmt: skip
    codes = dict(line.split() for line in done.stdout.splitlines())
    for name, (_, code, words) in commands.items():
        stderr = (tmp_path / f"{name}.err").read_text()
        assert int(codes[name]) == code, (name, stderr)
        assert len(stderr.strip().splitlines()) == 1 and words in stderr, stderr
        assert "Traceback" not in stderr
    left = (tmp_path / "left").read_text()
    assert ".tmp" not in left and "e.json" not in left  # no partial or temporary file

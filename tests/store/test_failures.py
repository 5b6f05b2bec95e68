"""Unusable databases: one clear error line naming the file, with its own exit code, never a
traceback. Read-only folders and full disks are real: a read-only bind mount or a small tmpfs
in a private mount namespace (``unshare -m``, needs root), ``chattr +i``, a path under a
regular file, a truncated file, a process holding a lock, 60 processes at once."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.cli import runs as cli_runs
from storyline.config import Settings
from storyline.errors import (
    DamagedStoreError,
    DiskFullError,
    LockedStoreError,
    NotAStoreError,
    ReadOnlyStoreError,
    SchemaVersionError,
)
from storyline.ingest.normalize import article_id
from storyline.model import Article
from storyline.pipeline import run
from storyline.store import MIGRATIONS, Store
from storyline.store import db as db_module

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
CLI = [sys.executable, "-m", "storyline"]


def make(n: int) -> Article:
    text = f"Article number {n} about the harbour strike at Halvergate, told at length. " * 3
    return Article(id=article_id(text), text=text, title=f"Strike {n}", path=f"{n}.txt",
                   published=date(2024, 3, 4))  # fmt: skip


def small_db(path: Path, articles: int = 3) -> Path:
    with Store(path) as store:
        for n in range(articles):
            store.add_article(make(n))
    for suffix in ("-wal", "-shm"):  # a closed writer leaves them empty; a reader needs none
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def one_error_line(result: subprocess.CompletedProcess[str], code: int, *words: str) -> str:
    """The command failed with ``code`` and exactly one line on stderr holding ``words``."""
    assert result.returncode == code, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds, run through every stage (several pages of articles and story reports)."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    run([SEEDS], Settings().with_(db=str(path), workers=1))
    return path


def copy_db(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


# -- private mount namespaces (read-only folders, small disks) ----------------------------------
def _can_unshare(folder: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=16k tmpfs '{folder}'"],
        capture_output=True,
    )
    return probe.returncode == 0


def in_namespace(setup: str, script: str) -> subprocess.CompletedProcess[str]:
    """Run the shell ``script`` after ``setup`` (mounts) in a private mount namespace: the
    mounts are gone when it ends and nobody else sees them. ``$CLI`` runs storyline."""
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", f"set -e; {setup}; set +e; {script}"],
        capture_output=True, text=True, timeout=180,
        env={"CLI": " ".join(CLI), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )  # fmt: skip


@pytest.fixture
def mounts(tmp_path: Path) -> Path:
    probe = tmp_path / "probe"
    probe.mkdir()
    if not _can_unshare(probe):
        pytest.skip("needs root (CAP_SYS_ADMIN) for a private mount namespace: unshare -m")
    return tmp_path


def read_only(folder: Path) -> str:
    return f"mount --bind '{folder}' '{folder}'; mount -o remount,ro,bind '{folder}' '{folder}'"


def results(stdout: str) -> dict[str, tuple[int, str]]:
    """``name rc`` lines printed by the namespace scripts, with the stderr files they wrote."""
    found = {}
    for line in stdout.splitlines():
        if line.startswith("@@ "):
            _, name, code, err = line.split(" ", 3)
            found[name] = (int(code), Path(err).read_text(encoding="utf-8"))
    return found


def step(name: str, command: str, logs: Path) -> str:
    err = logs / f"{name}.err"
    return f'$CLI {command} >/dev/null 2>"{err}"; echo "@@ {name} $? {err}";'


def check_line(found: tuple[int, str], code: int, *words: str) -> None:
    returncode, stderr = found
    lines = stderr.strip().splitlines()
    assert returncode == code, (returncode, stderr)
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_read_only_folder_refuses_writes_and_still_reads(mounts: Path) -> None:
    folder = mounts / "ro"
    folder.mkdir()
    db = small_db(folder / "s.db")
    logs = mounts / "logs"
    logs.mkdir()
    script = "".join([
        step("existing", f"ingest '{SEEDS}' --db '{db}'", logs),
        step("new", f"ingest '{SEEDS}' --db '{folder / 'new.db'}'", logs),
        step("subfolder", f"ingest '{SEEDS}' --db '{folder / 'sub' / 'new.db'}'", logs),
        step("stats", f"stats --db '{db}'", logs),
    ])  # fmt: skip
    found = results(in_namespace(read_only(folder), script).stdout)
    check_line(found["existing"], 10, str(db), "cannot write the database", "read-only file system")
    check_line(found["new"], 10, str(folder / "new.db"), "read-only file system", "--db")
    check_line(found["subfolder"], 10, "cannot create the folder", str(folder / "sub"), "--db")
    assert found["stats"] == (0, "")  # reading still works (opened as immutable)
    assert not (folder / "new.db").exists() and not (folder / "sub").exists()


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[list[Path]]:
    """Paths to make immutable with ``chattr +i`` (undone afterwards); skips where the file
    system does not support it."""
    marked: list[Path] = []
    probe = tmp_path / "probe"
    probe.write_text("x")
    if subprocess.run(["chattr", "+i", str(probe)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not supported here")
    subprocess.run(["chattr", "-i", str(probe)], check=True)
    yield marked
    for path in marked:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)


def test_read_only_database_file_and_folder(tmp_path: Path, immutable: list[Path]) -> None:
    db = small_db(tmp_path / "s.db")
    before = db.read_bytes()
    subprocess.run(["chattr", "+i", str(db)], check=True)
    immutable.append(db)
    with pytest.raises(ReadOnlyStoreError, match="the file is read-only"):
        Store(db)
    result = cli("ingest", str(SEEDS), "--db", str(db))
    one_error_line(result, 10, str(db), "cannot write the database", "read-only", "--db")
    assert cli("stats", "--db", str(db)).returncode == 0
    assert db.read_bytes() == before
    locked_folder = tmp_path / "locked"
    locked_folder.mkdir()
    subprocess.run(["chattr", "+i", str(locked_folder)], check=True)
    immutable.append(locked_folder)
    with pytest.raises(ReadOnlyStoreError, match=r"its folder .* is not writable"):
        Store(locked_folder / "new.db")
    with pytest.raises(ReadOnlyStoreError, match="cannot create the folder"):
        Store(locked_folder / "sub" / "new.db")


def test_folder_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a regular file where a folder should be")
    target = blocker / "sub" / "s.db"
    with pytest.raises(ReadOnlyStoreError, match="a file is in the way"):
        Store(target)
    result = cli("ingest", str(SEEDS), "--db", str(target))
    one_error_line(result, 10, str(target), "cannot create the folder", "--db")


def test_truncated_database(seeds_db: Path, tmp_path: Path) -> None:
    db = copy_db(seeds_db, tmp_path / "t.db")
    with Store(db, readonly=True) as store:
        article = next(store.articles()).id
        story = store.story_reports()[0]["id"]
    size = db.stat().st_size
    with db.open("r+b") as handle:
        handle.truncate(size - 1000)  # the last page is cut short
    with pytest.raises(DamagedStoreError, match="truncated"):
        Store(db, readonly=True)
    for args in (["export"], ["reuse", article], ["report", "--out", str(tmp_path / "r")]):
        result = cli(*args, "--db", str(db))
        one_error_line(result, 11, str(db), "the database is damaged", "restore it")
    assert not (tmp_path / "r").exists()
    for command in (["show", story], ["ingest", str(SEEDS)]):
        shown = CliRunner().invoke(app, [*command, "--db", str(db)])
        assert shown.exit_code == 11 and "the database is damaged" in shown.output


def test_broken_json_inside_a_story_report(seeds_db: Path, tmp_path: Path) -> None:
    db = copy_db(seeds_db, tmp_path / "j.db")
    data = bytearray(db.read_bytes())
    at = data.find(b'"summary": [')
    assert at > 0
    data[at : at + 12] = b'"summary": }'  # same length: the file stays whole, the JSON not
    db.write_bytes(bytes(data))
    with Store(db, readonly=True) as store:
        article = next(store.articles()).id
    for args in (["export"], ["reuse", article], ["report", "--out", str(tmp_path / "r")]):
        result = cli(*args, "--db", str(db))
        one_error_line(result, 11, str(db), "the database is damaged")
    with pytest.raises(DamagedStoreError, match="broken JSON"), Store(db, readonly=True) as store:
        store.story_reports()


def test_not_sqlite_and_another_programs_database(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("these are my notes, not a database\n" * 20)
    for args in (["stats"], ["ingest", str(SEEDS)]):
        one_error_line(cli(*args, "--db", str(text)), 12, str(text), "not SQLite", "--db")
    assert text.read_text().startswith("these are my notes")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as raw:
        raw.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(NotAStoreError, match=r"another program .*recipes"):
        Store(other)
    with pytest.raises(NotAStoreError):
        Store(other, readonly=True)
    with sqlite3.connect(other) as raw:  # left as it was
        tables = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert tables == ["recipes"]


def test_newer_and_older_schemas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    newer = small_db(tmp_path / "newer.db")
    with sqlite3.connect(newer) as raw:
        raw.execute("INSERT INTO schema_version(version, applied) VALUES (999, 'x')")
    for readonly in (False, True):
        with pytest.raises(SchemaVersionError, match="newer than this storyline"):
            Store(newer, readonly=readonly)
    one_error_line(cli("stats", "--db", str(newer)), 13, str(newer), "upgrade storyline")
    with monkeypatch.context() as patch:  # a database of the storyline before the last migration
        patch.setattr(db_module, "MIGRATIONS", MIGRATIONS[:-1])
        older = small_db(tmp_path / "older.db", articles=0)  # its code may not insert now
    with pytest.raises(SchemaVersionError, match="older than this storyline"):
        Store(older, readonly=True)
    with Store(older) as store:  # a writer upgrades it, and then it takes articles
        assert store.version() == len(MIGRATIONS)
        assert store.add_article(make(0)) and store.article(make(0).id).text == make(0).text


_HOLD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


@pytest.fixture
def held_lock(tmp_path: Path) -> Iterator[Path]:
    """A database that another process holds an exclusive lock on for a few seconds."""
    db = small_db(tmp_path / "s.db")
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(db), "20"],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    yield db
    holder.kill()
    holder.wait()


def test_locked_database(held_lock: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = time.monotonic()
    waited = r"locked by another process \(waited 0.3 s\)"
    with pytest.raises(LockedStoreError, match=waited), Store(held_lock, busy_timeout=0.3) as store:
        store.add_article(make(99))
    assert time.monotonic() - started < 5
    quick = Settings().with_(db_busy_timeout=0.3)
    monkeypatch.setattr(db_module, "Settings", lambda: quick)
    monkeypatch.setattr(cli_runs, "settings_for", lambda db, *_, **__: quick.with_(db=str(db)))
    result = CliRunner().invoke(app, ["ingest", str(SEEDS), "--db", str(held_lock)])
    assert result.exit_code == 14, result.output
    assert "the database is locked by another process" in result.output
    assert str(held_lock) in result.output and "Traceback" not in result.output


def _open(path: str, barrier: object, results: object) -> None:
    barrier.wait()  # type: ignore[attr-defined]
    try:
        with Store(path) as store:
            results.put(str(store.version()))  # type: ignore[attr-defined]
    except Exception as exc:
        results.put(f"{type(exc).__name__}: {exc}")  # type: ignore[attr-defined]


def test_sixty_processes_create_one_new_database(tmp_path: Path) -> None:
    path = str(tmp_path / "new.db")
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(60)
    queue = context.Queue()
    processes = [context.Process(target=_open, args=(path, barrier, queue)) for _ in range(60)]
    for process in processes:
        process.start()
    outcomes = [queue.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert outcomes == [str(len(MIGRATIONS))] * 60
    with sqlite3.connect(path) as raw:
        versions = [r[0] for r in raw.execute("SELECT version FROM schema_version")]
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_full_database_keeps_what_was_stored(tmp_path: Path) -> None:
    """SQLite's max_page_count is a disk that fills up: the failing write is rolled back,
    the error is a DiskFullError, and everything committed before is still there."""
    db = small_db(tmp_path / "s.db", articles=1)
    with pytest.raises(DiskFullError, match="the disk is full"), Store(db) as store:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + 2}")
        for n in range(1, 200):
            store.add_article(make(n))
    with Store(db, readonly=True) as store:
        stored = store.count("articles")
    assert 1 <= stored < 200
    with Store(db) as store:  # and it is writable again once there is space
        store.add_article(make(500))
        assert store.count("articles") == stored + 1


def test_full_disk_during_run(mounts: Path) -> None:
    disk = mounts / "disk"
    disk.mkdir()
    logs = mounts / "logs"
    logs.mkdir()
    db = disk / "s.db"
    keep = mounts / "kept.db"
    script = "".join([
        step("full", f"run '{SEEDS}' --db '{db}' --workers 1", logs),
        f"mount -o remount,size=16m '{disk}';",
        step("again", f"ingest '{SEEDS}' --db '{db}'", logs),
        f"cp '{db}' '{keep}';",
    ])  # fmt: skip
    done = in_namespace(f"mount -t tmpfs -o size=96k tmpfs '{disk}'", script)
    found = results(done.stdout)
    check_line(found["full"], 15, str(db), "the disk is full", "what was stored before is kept")
    assert found["again"][0] == 0, found["again"]
    with Store(keep, readonly=True) as store:
        assert store.count("articles") == 3

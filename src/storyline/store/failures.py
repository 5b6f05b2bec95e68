"""Why a database cannot be used: SQLite's and the file system's failures as StoreErrors.

``Connection`` calls these before opening a database (``make_folder``, ``check_writable``,
``check_file``) and whenever an ``sqlite3`` error, an ``OSError`` for lack of space, or a
stored JSON text that does not parse ends a ``with Store(...)`` block (``explain``). Every
message names the database file and says what to do; the classes and exit codes are listed
in ``storyline.errors``.

Running as root, permission bits do not stop writes; a read-only mount, ``chattr +i`` or a
path under a regular file do, and are reported the same way.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import time
from pathlib import Path

from storyline.errors import (
    DamagedStoreError,
    DiskFullError,
    LockedStoreError,
    NotAStoreError,
    ReadOnlyStoreError,
    SchemaVersionError,
    StoreError,
    StorylineError,
)

SQLITE_HEADER = b"SQLite format 3\x00"

#: (table, column) pairs that hold JSON text; a value that does not parse means damage
JSON_COLUMNS: tuple[tuple[str, str], ...] = (
    ("stories", "report"),
    ("link_stories", "state"),
    ("postings", "stories"),
)

_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DENIED = {errno.EROFS, errno.EACCES, errno.EPERM}


def damaged(path: Path, detail: str) -> DamagedStoreError:
    return DamagedStoreError(
        f"{path}: the database is damaged ({detail}): restore it from a backup, or move it "
        "aside and run `storyline run` on the input files again to rebuild it"
    )


def disk_full(path: Path | str, what: str = "the database") -> DiskFullError:
    return DiskFullError(
        f"{path}: the disk is full (writing {what}): free some space and run the command "
        "again; what was stored before is kept"
    )


def locked(path: Path, timeout: float) -> LockedStoreError:
    return LockedStoreError(
        f"{path}: the database is locked by another process (waited {timeout:g} s): wait for "
        "the other storyline command to finish, or stop it, then run again"
    )


def too_new(path: Path, found: int, known: int) -> SchemaVersionError:
    return SchemaVersionError(
        f"{path}: schema version {found} is newer than this storyline ({known}); upgrade "
        "storyline to use this database"
    )


def too_old(path: Path, found: int, known: int) -> SchemaVersionError:
    return SchemaVersionError(
        f"{path}: schema version {found} is older than this storyline ({known}); run "
        "`storyline run` (or `storyline ingest`) on it once to upgrade it"
    )


def not_sqlite(path: Path) -> NotAStoreError:
    return NotAStoreError(
        f"{path}: not a usable storyline database: the file is not SQLite; check the --db "
        "path, or choose a new file"
    )


def foreign(path: Path, tables: list[str]) -> NotAStoreError:
    shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
    return NotAStoreError(
        f"{path}: an SQLite database of another program (tables {shown}), not a storyline "
        "one: choose another --db path"
    )


def _read_only_fs(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _folder_of(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def read_only(path: Path, detail: str | None = None) -> ReadOnlyStoreError:
    """The reason ``path`` cannot be written, found by looking at the file and its folder."""
    folder = _folder_of(path)
    if _read_only_fs(folder):
        why = f"it is on a read-only file system ({folder})"
    elif path.exists() and not os.access(path, os.W_OK):
        why = "the file is read-only (permissions, or `chattr +i`)"
    elif not os.access(folder, os.W_OK | os.X_OK):
        why = f"its folder {folder} is not writable (SQLite keeps -wal and -shm files beside it)"
    else:
        why = detail or "permission denied"
    return ReadOnlyStoreError(
        f"{path}: cannot write the database: {why}; make it writable, or choose a writable "
        "place with --db"
    )


def make_folder(path: Path) -> None:
    """Create the folder of a new database; one that cannot be made is a ReadOnlyStoreError."""
    folder = _folder_of(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if exc.errno in _SPACE:
            raise disk_full(path) from exc
        where = exc.filename or folder
        why = exc.strerror or str(exc)
        if exc.errno in (errno.EEXIST, errno.ENOTDIR):
            why = "a file is in the way: a part of that path is not a folder"
        raise ReadOnlyStoreError(
            f"{path}: cannot create the folder {where} for the database ({why}); choose a "
            "writable place with --db"
        ) from exc


def check_writable(path: Path) -> None:
    """Refuse, before SQLite does it half-way, a database file or folder that is read-only."""
    folder = _folder_of(path)
    if _read_only_fs(folder):
        raise read_only(path)
    if path.exists() and not os.access(path, os.W_OK):
        raise read_only(path)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise read_only(path)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _truncation(path: Path, head: bytes, size: int) -> str | None:
    """How much of the file is missing, by the page count in its header, or None.

    Only judged while no -wal or -journal file holds changes: a checkpoint in progress may
    write the header before the pages it announces."""
    if len(head) < 100:
        return f"only {size} bytes long"
    if head[24:28] != head[92:96]:  # the header's page count is not maintained
        return None
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    expected = int.from_bytes(head[28:32], "big") * page_size
    if expected <= size:
        return None
    return f"truncated: {size} bytes of the {expected} its header announces"


def check_file(path: Path) -> None:
    """A quick look at an existing database file: is it SQLite, is it whole?"""
    if _size(path) == 0:
        return
    problem: str | None = None
    for attempt in range(3):
        try:
            with path.open("rb") as handle:
                head = handle.read(100)
        except OSError:
            return  # SQLite's own error says more (and names the reason)
        if len(head) < len(SQLITE_HEADER) or not head.startswith(SQLITE_HEADER):
            raise not_sqlite(path)
        busy = any(_size(Path(f"{path}{suffix}")) > 0 for suffix in ("-wal", "-journal"))
        problem = None if busy else _truncation(path, head, _size(path))
        if problem is None:
            return
        if attempt < 2:
            time.sleep(0.05)  # a checkpoint finishing now would make the file whole
    raise damaged(path, problem or "truncated")


def find_damage(db: sqlite3.Connection, path: Path) -> str | None:
    """What is damaged in an open database (header, b-trees, stored JSON), or None. Reads
    the whole file: only called when something already failed."""
    try:
        with path.open("rb") as handle:
            problem = _truncation(path, handle.read(100), _size(path))
        if problem and not any(_size(Path(f"{path}{s}")) > 0 for s in ("-wal", "-journal")):
            return problem
        check = db.execute("PRAGMA quick_check(1)").fetchone()
        if check and check[0] != "ok":
            return str(check[0])
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table, column in JSON_COLUMNS:
            if table in tables:
                bad = db.execute(
                    f"SELECT rowid FROM {table} WHERE NOT json_valid({column}) LIMIT 1"
                ).fetchone()
                if bad is not None:
                    return f"{table} row {bad[0]} holds broken JSON"
    except sqlite3.DatabaseError as exc:
        return str(exc)
    except OSError:
        return None
    return None


def immutable_readable(path: Path, exc: sqlite3.OperationalError) -> bool:
    """Whether a read-only open that failed with ``exc`` may be retried as immutable: SQLite
    could not create the -shm file in a folder nobody can write, and no -wal file holds
    changes that an immutable reader would miss."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    folder = _folder_of(path)
    writable = not _read_only_fs(folder) and os.access(folder, os.W_OK | os.X_OK)
    return code == sqlite3.SQLITE_CANTOPEN and not writable and _size(Path(f"{path}-wal")) == 0


def explain(
    exc: BaseException,
    path: Path,
    db: sqlite3.Connection | None,
    timeout: float,
    *,
    writing: bool = True,
) -> StorylineError | None:
    """The StorylineError that ``exc`` (raised while using the database at ``path``) means,
    or None when it is not about the database."""
    if isinstance(exc, StorylineError):
        return None
    if isinstance(exc, sqlite3.Error):
        return _sqlite(exc, path, timeout, writing)
    if isinstance(exc, OSError) and exc.errno in _SPACE:
        named = Path(os.fsdecode(exc.filename)) if isinstance(exc.filename, str | bytes) else None
        if named is None:
            return disk_full(path, "the database or a file beside it")
        ours = named in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
        return disk_full(named, "the database" if ours else "a file")
    if isinstance(exc, json.JSONDecodeError | UnicodeDecodeError) and db is not None:
        problem = find_damage(db, path)
        return damaged(path, problem) if problem else None
    return None


def _sqlite(exc: sqlite3.Error, path: Path, timeout: float, writing: bool) -> StorylineError | None:
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    message = str(exc)
    if code == sqlite3.SQLITE_CORRUPT or "malformed" in message:
        return damaged(path, message)
    if code == sqlite3.SQLITE_NOTADB:
        return not_sqlite(path)
    if code == sqlite3.SQLITE_FULL:
        return disk_full(path)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return locked(path, timeout)
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN):
        if writing or code == sqlite3.SQLITE_READONLY:
            return read_only(path, message)
        return StoreError(
            f"{path}: cannot open the database for reading ({message}): check that the file "
            "and its folder can be read, and that a -wal file beside it is not left over"
        )
    if code == sqlite3.SQLITE_IOERR:
        return StoreError(
            f"{path}: the database cannot be read or written ({message}): check the disk "
            "and the file, then run again"
        )
    return None

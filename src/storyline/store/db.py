"""The connection to one storyline database: opening, migrations, transactions.

Opening looks at the file first (``storyline.store.failures``): a writer creates a missing
folder and refuses a read-only file, folder or file system before SQLite fails half-way;
both modes refuse a file that is not SQLite or is truncated. Migrations run in one
``BEGIN IMMEDIATE`` transaction that reads the version again inside it, so many processes
creating the same new database at once apply them exactly once. A reader of a database in a
read-only folder (where SQLite cannot create its ``-shm`` file) opens it as immutable when
no ``-wal`` file holds changes.

Any ``sqlite3`` failure (or broken stored JSON) that ends a ``with Store(...)`` block is
raised again as the StoreError it means: read-only, damaged, not SQLite, locked, disk full.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import quote

from storyline.config import Settings
from storyline.errors import NotFoundError, StoreError, StorylineError
from storyline.store import failures
from storyline.store.schema import MIGRATIONS, _split_sql


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


class Connection:
    """An open database; the store's parts (articles, annotations, links, search) build on it.

    ``busy_timeout`` (seconds; default the ``db_busy_timeout`` setting) is how long to wait
    for another process's lock before a LockedStoreError."""

    def __init__(
        self, path: str | Path, *, readonly: bool = False, busy_timeout: float | None = None
    ) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.busy_timeout = (
            Settings().db_busy_timeout if busy_timeout is None else float(busy_timeout)
        )
        self._closed = False
        if self.path.is_dir():
            raise StoreError(f"{self.path}: a folder, not a database file; name a file with --db")
        if readonly and not self.path.exists():
            raise NotFoundError(f"{self.path}: no such database; run `storyline run` first")
        if not readonly:
            failures.make_folder(self.path)
            failures.check_writable(self.path)
        failures.check_file(self.path)
        try:
            self.db = self._connect()
        except sqlite3.Error as exc:
            raise self._explained(exc) from exc
        try:
            self.db.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self._use_wal()
                self.db.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
            else:
                self._check_version()
        except BaseException as exc:
            self.db.close()
            self._closed = True
            if isinstance(exc, StorylineError) or not isinstance(exc, sqlite3.Error | OSError):
                raise
            raise self._explained(exc) from exc

    def _use_wal(self) -> None:
        """Switch the file to WAL (it stays so). The switch needs a moment when no other
        connection holds a lock, and SQLite answers "locked" at once instead of waiting
        through the busy timeout (many processes opening one new database meet this), so
        it is tried again, with growing pauses, until the busy timeout has passed."""
        deadline = time.monotonic() + self.busy_timeout
        pause = 0.005
        while True:
            try:
                self.db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(pause)
            pause = min(2 * pause, 0.1)

    def _explained(self, exc: sqlite3.Error | OSError) -> StorylineError:
        found = failures.explain(exc, self.path, None, self.busy_timeout, writing=not self.readonly)
        return found or StoreError(f"{self.path}: not a usable storyline database ({exc})")

    def _open(self, target: str, uri: bool) -> sqlite3.Connection:
        return sqlite3.connect(
            target, uri=uri, timeout=self.busy_timeout, isolation_level=None,
            check_same_thread=False,
        )  # fmt: skip

    def _connect(self) -> sqlite3.Connection:
        if not self.readonly:
            return self._open(str(self.path), uri=False)
        uri = f"file:{quote(str(self.path.absolute()))}?mode=ro"
        db = self._open(uri, uri=True)
        try:
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            db.close()
            if not failures.immutable_readable(self.path, exc):
                raise
            db = self._open(f"{uri}&immutable=1", uri=True)
        return db

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        explained = None
        if exc is not None and not self._closed:
            explained = failures.explain(
                exc, self.path, self.db, self.busy_timeout, writing=not self.readonly
            )
        self.close()
        if explained is not None:
            raise explained from exc

    def close(self) -> None:
        """Close; a writer first folds the WAL back into the database and empties it, so a
        WAL that concurrent readers kept from being reset does not keep growing. (When that
        fails, on a full disk or under another process's lock, the WAL stays and is folded
        back by the next writer: nothing is lost.) The checkpoint waits at most a moment for
        readers: while it waits it holds off every new writer, and a closing process must not
        keep a busy database locked for the whole busy timeout."""
        if self._closed:
            return
        self._closed = True
        try:
            if not self.readonly:
                self.db.execute("PRAGMA busy_timeout = 100")
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass
        finally:
            self.db.close()

    # -- schema -----------------------------------------------------------------------
    def version(self) -> int:
        has = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'"
        ).fetchone()
        if not has:
            return 0
        row = self.db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _foreign_tables(self) -> list[str]:
        rows = self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name != 'schema_version' ORDER BY name"
        )
        return [r[0] for r in rows]

    def _check_version(self) -> None:
        found, known = self.version(), len(MIGRATIONS)
        if found > known:
            raise failures.too_new(self.path, found, known)
        if found == 0:
            tables = self._foreign_tables()
            if tables:
                raise failures.foreign(self.path, tables)
            raise StoreError(f"{self.path}: the database is empty; run `storyline run` first")
        if found < known:
            raise failures.too_old(self.path, found, known)

    def _migrate(self) -> None:
        """Apply the missing migrations in one transaction; the version is read again under
        the write lock, so concurrent openers of a new database apply each migration once."""
        known = len(MIGRATIONS)
        if self.version() == known:
            return
        with self.transaction():
            current = self.version()
            if current > known:
                raise failures.too_new(self.path, current, known)
            if current == 0 and self._foreign_tables():
                raise failures.foreign(self.path, self._foreign_tables())
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS schema_version"
                " (version INTEGER PRIMARY KEY, applied TEXT)"
            )
            for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
                for statement in _split_sql(script):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(
                    "INSERT INTO schema_version(version, applied) VALUES (?, ?)", (number, _now())
                )

    def transaction(self) -> Transaction:
        return Transaction(self.db)


class Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``; any exception (or a failed COMMIT, e.g. on a full
    disk) rolls back, and a failing ROLLBACK never hides the error that caused it."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is not None:
            self._rollback()
            return
        try:
            self.db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self.db.in_transaction:
            with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
                self.db.execute("ROLLBACK")

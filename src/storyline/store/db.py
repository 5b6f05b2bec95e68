"""The connection to one storyline database: opening, migrations, transactions."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Self

from storyline.errors import NotFoundError, StoreError
from storyline.store.schema import MIGRATIONS, _split_sql


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


class Connection:
    """An open database; the store's parts (articles, annotations, links, search) build on it."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        if readonly and not self.path.exists():
            raise NotFoundError(f"{self.path}: no such database; run `storyline run` first")
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        uri = f"file:{self.path}?mode=ro" if readonly else str(self.path)
        try:
            self.db = sqlite3.connect(
                uri, uri=readonly, timeout=30, isolation_level=None, check_same_thread=False
            )
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
            else:
                self._check_version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable storyline database ({exc})") from exc

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close; a writer first folds the WAL back into the database and empties it, so a
        WAL that concurrent readers kept from being reset does not keep growing."""
        if not self.readonly:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
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

    def _check_version(self) -> None:
        found = self.version()
        if found > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: schema version {found} is newer than this storyline "
                f"({len(MIGRATIONS)}); upgrade storyline"
            )
        if found < len(MIGRATIONS):
            raise StoreError(f"{self.path}: schema version {found} is old; run `storyline run`")

    def _migrate(self) -> None:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied TEXT)"
        )
        current = self.version()
        if current > len(MIGRATIONS):
            self._check_version()
        for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
            statements = [s.strip() for s in _split_sql(script) if s.strip()]
            with self.transaction():
                for statement in statements:
                    self.db.execute(statement)
                self.db.execute(
                    "INSERT INTO schema_version(version, applied) VALUES (?, ?)", (number, _now())
                )

    def transaction(self) -> Transaction:
        return Transaction(self.db)


class Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")

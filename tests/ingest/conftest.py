"""Helpers of the ingest tests (as fixtures): a hard deadline, and ingesting a folder into a
real Store."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import FrameType

import pytest

from storyline.config import Settings
from storyline.pipeline import IngestReport, ingest
from storyline.store import Store

Deadline = Callable[[int], AbstractContextManager[None]]
Stored = list[dict[str, object]]
IngestFolder = Callable[[Path, Settings], tuple[IngestReport, Stored]]


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the block runs longer than ``seconds``."""

    def expired(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _ingest_folder(folder: Path, settings: Settings) -> tuple[IngestReport, Stored]:
    """Ingest ``folder`` into a real Store; the report and the stored articles."""
    with Store(settings.db) as store, _deadline(60):
        report = ingest([folder], store, settings)
        rows = store.db.execute(
            "SELECT path, entry, title, published, text FROM articles ORDER BY path, entry"
        ).fetchall()
        skipped = store.db.execute("SELECT COUNT(*) FROM skipped").fetchone()[0]
    assert skipped >= len(report.skipped)  # every skip is recorded in the database
    keys = ("path", "entry", "title", "published", "text")
    return report, [dict(zip(keys, row, strict=True)) for row in rows]


@pytest.fixture
def deadline() -> Deadline:
    return _deadline


@pytest.fixture
def ingest_folder() -> IngestFolder:
    return _ingest_folder


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """An empty input folder."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder

"""storyline's Python API: what the CLI, the web UI and other programs call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from storyline import export as exporter
from storyline.config import Settings
from storyline.pipeline import IngestReport, Progress, RunReport
from storyline.pipeline import ingest as _ingest
from storyline.pipeline import run as _run
from storyline.store import SearchHit, Skip, Store

__all__ = [
    "IngestReport",
    "Progress",
    "RunReport",
    "Stats",
    "export",
    "ingest",
    "run",
    "search",
    "stats",
    "write_outputs",
]


def _quiet(step: str, done: int, total: int | None) -> None:
    return None


def ingest(
    paths: Sequence[str | Path], settings: Settings, progress: Progress = _quiet
) -> IngestReport:
    """Store the articles under ``paths`` in ``settings.db`` (no analysis)."""
    with Store(settings.db) as store:
        return _ingest(paths, store, settings, progress)


def run(paths: Sequence[str | Path], settings: Settings, progress: Progress = _quiet) -> RunReport:
    """Ingest ``paths`` and run every stage over the database."""
    return _run(paths, settings, progress)


def search(settings: Settings, query: str, limit: int = 20) -> list[SearchHit]:
    with Store(settings.db, readonly=True) as store:
        return store.search(query, limit)


def export(settings: Settings, fmt: str, out: Path | None, stdout: TextIO) -> list[Path]:
    with Store(settings.db, readonly=True) as store:
        return exporter.export(store, fmt, out, stdout)


def write_outputs(settings: Settings, folder: Path) -> list[Path]:
    """The JSON export into ``folder`` (and the reports, once built)."""
    with Store(settings.db, readonly=True) as store:
        return exporter.export(store, "json", folder / "storyline.json", stdout=None)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Stats:
    counts: dict[str, int]
    last_skipped: list[Skip]


def stats(settings: Settings) -> Stats:
    with Store(settings.db, readonly=True) as store:
        counts = {t: store.count(t) for t in ("articles", "sentences", "stories", "mentions",
                                               "timexes", "quotes", "claims")}  # fmt: skip
        rows = store.db.execute(
            "SELECT path, reason FROM skipped WHERE run = (SELECT MAX(id) FROM runs)"
        ).fetchall()
        return Stats(counts, [Skip(p, r) for p, r in rows])

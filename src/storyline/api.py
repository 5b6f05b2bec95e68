"""storyline's Python API: what the CLI, the web UI and other programs call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from storyline import export as exporter
from storyline.config import Settings
from storyline.errors import InputError, NotFoundError
from storyline.model import SummarySentence
from storyline.pipeline import IngestReport, Progress, RunReport, summarize_paths
from storyline.pipeline import ingest as _ingest
from storyline.pipeline import run as _run
from storyline.store import SearchHit, Skip, Store

if TYPE_CHECKING:
    from storyline.spark.engine import SparkReport

__all__ = [
    "IngestReport",
    "Progress",
    "RunReport",
    "Stats",
    "export",
    "ingest",
    "run",
    "run_spark",
    "search",
    "stats",
    "write_outputs",
    "write_report",
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


def run_spark(
    paths: Sequence[str | Path],
    settings: Settings,
    progress: Progress = _quiet,
    *,
    master: str | None = "local[*]",
    parquet: str | Path | None = None,
    load_db: bool = True,
) -> SparkReport:
    """Run every stage on Spark (extra ``storyline[spark]``): Parquet tables under
    ``parquet`` (optional) and the results loaded into ``settings.db`` (a new database, or
    one holding only these articles) unless ``load_db`` is False. ``master`` None keeps
    what ``spark-submit`` configured."""
    from storyline.spark.engine import run_spark as _run_spark
    from storyline.spark.session import SparkOptions

    db = settings.db if load_db else None
    options = SparkOptions(master=master)
    return _run_spark(paths, settings, options, out=parquet, db=db, progress=progress)


def timexes(path: Path, dct: date | None) -> list[dict[str, object]]:
    """Time expressions of a UTF-8 file, with offsets into its content exactly as read."""
    from storyline.annotate.timex import timex_json

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise NotFoundError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read as UTF-8 text ({exc})") from exc
    return timex_json(text, dct)


def summarize(
    paths: Sequence[str | Path], settings: Settings, max_words: int | None, max_bytes: int | None
) -> list[SummarySentence]:
    """A cited summary of the articles under ``paths`` taken as one story."""
    return summarize_paths(paths, settings, max_words, max_bytes)


@dataclass(frozen=True, slots=True)
class ReusedSentence:
    sentence: int
    text: str
    other: str
    other_sentence: int
    score: float


def reuse_of(settings: Settings, article_id: str) -> list[ReusedSentence]:
    """The sentences of ``article_id`` shared with other articles of its story."""
    with Store(settings.db, readonly=True) as store:
        doc = store.annotated_article(store.article(article_id))
        story, _ = store.article_links().get(article_id, (None, None))
        if story is None:
            return []
        rows: list[ReusedSentence] = []
        for pair in store.story_report(story)["reuse"]:
            if article_id not in (pair["a"], pair["b"]):
                continue
            mine = 0 if pair["a"] == article_id else 1
            other = pair["b"] if mine == 0 else pair["a"]
            for shared in pair["shared_sentences"]:
                index = shared[mine]
                rows.append(ReusedSentence(index, doc.sentences[index].text, other,
                                           shared[1 - mine], pair["score"]))  # fmt: skip
        return sorted(rows, key=lambda r: (r.sentence, r.other))


def search(settings: Settings, query: str, limit: int = 20) -> list[SearchHit]:
    with Store(settings.db, readonly=True) as store:
        return store.search(query, limit)


def export(settings: Settings, fmt: str, out: Path | None, stdout: TextIO) -> list[Path]:
    with Store(settings.db, readonly=True) as store:
        return exporter.export(store, fmt, out, stdout)


def write_outputs(settings: Settings, folder: Path) -> list[Path]:
    """The JSON export and the static HTML report into ``folder``; returns storyline.json and
    index.html (the report also writes stories/, articles/ and static/ beside it)."""
    from storyline.report.html import write_report

    with Store(settings.db, readonly=True) as store:
        written = exporter.export(store, "json", folder / "storyline.json")
        return [*written, write_report(store, folder, settings).index]


def write_report(settings: Settings, folder: Path) -> Path:
    """The static HTML report of ``settings.db`` into ``folder``; returns its index.html."""
    from storyline.report.html import write_report as write

    with Store(settings.db, readonly=True) as store:
        return write(store, folder, settings).index


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

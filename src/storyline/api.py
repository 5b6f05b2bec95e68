"""storyline's Python API: what the CLI, the web UI and other programs call."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from storyline import export as exporter
from storyline.config import Settings
from storyline.errors import InputError, NotFoundError
from storyline.link.corrections import Correction
from storyline.model import SummarySentence
from storyline.pipeline import IngestReport, Progress, RunReport, SkipHandler, summarize_paths
from storyline.pipeline import ingest as _ingest
from storyline.pipeline import process as _process
from storyline.pipeline import run as _run
from storyline.report.topic import StoredTimeline, stored_timeline, topic_days
from storyline.store import SearchHit, Skip, Store
from storyline.store.annotations import FailedArticle, LimitedArticle
from storyline.store.outlets import OutletRecord

if TYPE_CHECKING:
    from storyline.model import TopicDate
    from storyline.spark.engine import SparkReport

__all__ = [
    "FailedArticle",
    "IngestReport",
    "LimitedArticle",
    "OutletRecord",
    "Progress",
    "RetryReport",
    "RunReport",
    "Stats",
    "StoredTimeline",
    "export",
    "ingest",
    "outlets",
    "rebuild",
    "retry",
    "run",
    "run_spark",
    "search",
    "sources",
    "stats",
    "stored_timeline",
    "timeline",
    "watch",
    "write_outputs",
    "write_report",
]


def _quiet(step: str, done: int, total: int | None) -> None:
    return None


def ingest(
    paths: Sequence[str | Path], settings: Settings, progress: Progress = _quiet
) -> IngestReport:
    """Store the articles under ``paths`` in ``settings.db`` (no analysis)."""
    with Store(settings.db, busy_timeout=settings.db_busy_timeout) as store:
        return _ingest(paths, store, settings, progress)


def run(paths: Sequence[str | Path], settings: Settings, progress: Progress = _quiet) -> RunReport:
    """Ingest ``paths`` and run every stage over the database (new articles are filed under
    their outlets first)."""
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
    paths: Sequence[str | Path],
    settings: Settings,
    max_words: int | None,
    max_bytes: int | None,
    on_skip: SkipHandler | None = None,
) -> list[SummarySentence]:
    """A cited summary of the articles under ``paths`` taken as one story. Bad input raises
    its InputError, or with ``on_skip`` is handed to it and skipped (``read_articles``)."""
    return summarize_paths(paths, settings, max_words, max_bytes, on_skip)


def timeline(
    paths: Sequence[str | Path],
    settings: Settings,
    dates: int | None,
    per_date: int | None,
    on_skip: SkipHandler | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[TopicDate]:
    """The topic timeline of the articles under ``paths`` taken as one topic: the ``dates``
    most important days from ``start`` to ``end`` (default: around the publication dates;
    ``dates`` None: chosen from the data) with up to ``per_date`` cited sentences each
    (None: setting ``timeline_per_date``), in date order. Bad input: as ``summarize``."""
    from storyline.pipeline import annotate_inputs

    docs = annotate_inputs(paths, settings, on_skip)
    return topic_days(docs, settings, dates, per_date, start=start, end=end)


@dataclass(frozen=True, slots=True)
class ReusedSentence:
    sentence: int
    text: str
    other: str
    other_sentence: int
    score: float


def reuse_of(settings: Settings, article_id: str) -> list[ReusedSentence]:
    """The sentences of ``article_id`` shared with other articles of its story."""
    with Store(settings.db, readonly=True, busy_timeout=settings.db_busy_timeout) as store:
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
    with Store(settings.db, readonly=True, busy_timeout=settings.db_busy_timeout) as store:
        return store.search(query, limit)


def export(settings: Settings, fmt: str, out: Path | None, stdout: TextIO) -> list[Path]:
    with Store(settings.db, readonly=True, busy_timeout=settings.db_busy_timeout) as store:
        return exporter.export(store, fmt, out, stdout)


def write_outputs(settings: Settings, folder: Path) -> list[Path]:
    """The JSON export and the static HTML report into ``folder``; returns storyline.json and
    index.html (the report also writes stories/, articles/ and static/ beside it). Only the
    pages of what changed since the last write are rewritten; the JSON export is written
    again only when something changed."""
    from storyline.report.html import write_report
    from storyline.report.manifest import plan_pages

    export_file = folder / "storyline.json"
    with (
        Store(settings.db, readonly=True, busy_timeout=settings.db_busy_timeout) as store,
        exporter.writing(folder, "the outputs"),
    ):
        plan = plan_pages(store, folder)
        changed = plan.full or bool(plan.stories or plan.gone or plan.articles)
        written = [export_file]
        if changed or not export_file.exists():
            written = exporter.export(store, "json", export_file)
        return [*written, write_report(store, folder, settings).index]


def write_report(settings: Settings, folder: Path, *, full: bool = False) -> Path:
    """The static HTML report of ``settings.db`` into ``folder``; returns its index.html.
    Only pages of what changed since the last write are rewritten unless ``full``."""
    from storyline.report.html import write_report as write

    with (
        Store(settings.db, readonly=True, busy_timeout=settings.db_busy_timeout) as store,
        exporter.writing(folder, "the report"),
    ):
        return write(store, folder, settings, full=full).index


def rebuild(settings: Settings, progress: Progress = _quiet) -> RunReport:
    """Recompute every link and story report of ``settings.db`` from the stored annotations
    (after a settings change or an upgrade)."""
    from storyline.pipeline import rebuild as _rebuild

    done = _rebuild(settings, progress)
    return RunReport(
        IngestReport(), done.annotated, done.stories, done.duplicates, settings.db,
        linked=done.linked.linked, synthesized=done.linked.synthesized,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Stats:
    counts: dict[str, int]
    last_skipped: list[Skip]
    failed: list[FailedArticle] = field(default_factory=list)  # annotation failed
    limited: list[LimitedArticle] = field(default_factory=list)  # a limit cut the analysis


def stats(settings: Settings) -> Stats:
    with Store(settings.db, readonly=True, busy_timeout=settings.db_busy_timeout) as store:
        counts = {t: store.count(t) for t in ("articles", "sentences", "stories", "mentions",
                                               "timexes", "quotes", "claims")}  # fmt: skip
        rows = store.db.execute(
            "SELECT path, reason FROM skipped WHERE run = (SELECT MAX(id) FROM runs)"
        ).fetchall()
        return Stats(counts, [Skip(p, r) for p, r in rows], store.failed(), store.limited())


@dataclass(frozen=True, slots=True)
class RetryReport:
    retried: int  # failed articles made pending again
    annotated: int  # articles annotated (the retried ones that succeeded, and any pending)
    failed: list[FailedArticle]  # articles whose annotation still fails
    stories: int
    duplicates: int


def retry(
    settings: Settings, ids: Sequence[str] | None = None, progress: Progress = _quiet
) -> RetryReport:
    """Annotate the articles whose annotation failed again (all, or those of ``ids``), then
    link and synthesize what changed. Articles that fail again stay marked failed."""
    if not Path(settings.db).exists():
        raise NotFoundError(f"{settings.db}: no such database; run `storyline run` first")
    with Store(settings.db, busy_timeout=settings.db_busy_timeout) as store:
        if ids is not None:
            failed = {f.id for f in store.failed()}
            unknown = [aid for aid in ids if aid not in failed]
            if unknown:
                raise NotFoundError(
                    f"no failed article with id {unknown[0]!r}; `storyline stats` lists them"
                )
        retried = store.clear_failures(ids)
        done = _process(store, settings, progress)
        return RetryReport(retried, done.annotated, store.failed(), done.stories, done.duplicates)


if TYPE_CHECKING:
    from collections.abc import Callable

    from storyline.fetch.watch import PollReport, WatchReport
    from storyline.store.sources import SourceState


def watch(
    sources: Sequence[str],
    settings: Settings,
    *,
    once: bool = False,
    every: float | None = None,
    on_poll: Callable[[PollReport], None] | None = None,
    progress: Progress = _quiet,
    notice: Callable[[str], None] | None = None,
) -> WatchReport:
    """Follow ``sources`` (feed or sitemap URLs, OPML files, folders) into ``settings.db``:
    poll them, store what is new and run every stage over it; once, or every ``every``
    seconds (default: setting ``watch_every``) until Ctrl-C, which stops between steps
    (``notice`` is told). ``on_poll`` gets each poll's report."""
    from storyline.fetch.sources import resolve_sources
    from storyline.fetch.watch import stop_on_interrupt
    from storyline.fetch.watch import watch as follow

    resolved = resolve_sources(sources)
    stop = threading.Event()
    with stop_on_interrupt(stop, notice):
        return follow(resolved, settings, once=once, every=every, stop=stop, on_poll=on_poll,
                      progress=progress)  # fmt: skip


def outlets(
    settings: Settings,
    *,
    rename: tuple[str, str] | None = None,
    merge: tuple[str, str] | None = None,
) -> list[OutletRecord]:
    """The outlets of ``settings.db`` (articles not filed yet are filed first), after
    renaming outlet ``rename[0]`` to ``rename[1]`` or merging outlet ``merge[0]`` into
    ``merge[1]``; NotFoundError for an unknown outlet or database."""
    if not Path(settings.db).exists():
        raise NotFoundError(f"{settings.db}: no such database; run `storyline run` first")
    with Store(settings.db) as store:
        store.sync_outlets()
        if rename is not None:
            store.rename_outlet(*rename)
        if merge is not None:
            store.merge_outlets(*merge)
        return store.outlet_records()


def sources(settings: Settings) -> list[SourceState]:
    """The state of every source ``storyline watch`` followed into ``settings.db``: failing
    ones first."""
    with Store(settings.db, readonly=True, busy_timeout=settings.db_busy_timeout) as store:
        return store.source_states()


def correct(
    settings: Settings,
    kind: str,
    *,
    story: str | None = None,
    articles: Sequence[str] = (),
    other: str | None = None,
    note: str | None = None,
) -> Correction:
    """Record a reader's correction of story membership (merge, move, detach, split) and
    write the reports of the stories it changes; later runs and rebuilds keep it."""
    from storyline.link.incremental import synthesize_stale

    with Store(settings.db, busy_timeout=settings.db_busy_timeout) as store:
        made = store.add_correction(kind, story=story, articles=articles, other=other, note=note)
        synthesize_stale(store, settings)
    return made


def undo_correction(settings: Settings, correction_id: int) -> Correction:
    """Undo one correction (the others stay) and write the stories it changes again."""
    from storyline.link.incremental import synthesize_stale

    with Store(settings.db, busy_timeout=settings.db_busy_timeout) as store:
        undone = store.undo_correction(correction_id)
        synthesize_stale(store, settings)
    return undone


def corrections(settings: Settings, *, active: bool = True) -> list[Correction]:
    with Store(settings.db, readonly=True, busy_timeout=settings.db_busy_timeout) as store:
        return store.corrections(active=active)

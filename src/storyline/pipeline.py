"""Runs the stages: ingest -> annotate (process pool) -> link -> synthesize -> store.

This is the local engine. Every step commits as it goes, so a run that is interrupted
(Ctrl-C, kill -9) can simply be started again: stored articles are not read twice,
annotated articles are not annotated twice, and cross-article results are recomputed.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storyline.annotate.runner import annotate_pending
from storyline.config import Settings
from storyline.errors import InputError, NotFoundError
from storyline.ingest.files import check_size, read_data, read_file, reader_of
from storyline.ingest.normalize import display_path
from storyline.ingest.registry import READERS, find_files
from storyline.link.incremental import LinkUpdate, update
from storyline.link.incremental import rebuild as rebuild_links
from storyline.model import AnnotatedArticle, Article, SummarySentence
from storyline.store import Skip, Store

__all__ = [
    "annotate_pending",
    "check_size",
    "read_data",
    "read_file",
    "reader_of",
]  # re-exported from ingest.files

#: progress callback: (step name, done, total or None)
Progress = Callable[[str, int, int | None], None]
#: what to do with a bad file or entry that is skipped (``read_articles``)
SkipHandler = Callable[[InputError], None]


@dataclass(slots=True)
class IngestReport:
    files: int = 0
    added: int = 0
    already: int = 0
    skipped: list[Skip] = field(default_factory=list)
    added_ids: list[str] = field(default_factory=list)
    unchanged: int = 0  # files read completely before and not changed since: not read again


def _stamp(path: Path) -> tuple[str, int, int] | None:
    """(absolute path as text, size, mtime in ns) of a regular file, else None."""
    try:
        info = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    name = os.fsencode(path.absolute()).decode("utf-8", "backslashreplace")
    return name, info.st_size, info.st_mtime_ns


@dataclass(frozen=True, slots=True)
class RunReport:
    ingest: IngestReport
    annotated: int
    stories: int
    duplicates: int
    db: str
    linked: int = 0  # articles linked in this run
    synthesized: int = 0  # story reports written in this run
    failed: int = 0  # articles whose annotation failed (this run or before; `retry` them)


def _quiet(step: str, done: int, total: int | None) -> None:
    return None


def ingest(
    paths: Sequence[str | Path],
    store: Store,
    settings: Settings,
    progress: Progress = _quiet,
) -> IngestReport:
    """Read every file under ``paths`` into ``store``. Bad files are skipped and counted."""
    report = IngestReport()
    run = store.start_run()
    for found in find_files(paths):
        report.files += 1
        progress("ingest", report.files, None)
        stamp = _stamp(found.path) if found.error is None else None
        if stamp is not None and store.file_unchanged(*stamp):
            report.unchanged += 1
            continue
        try:
            if found.error is not None:
                raise found.error
            results = read_file(found.path, settings, found.reader)
        except InputError as exc:
            results = [exc]
        for result in results:
            if isinstance(result, InputError):
                skip = Skip(result.path, result.reason)
                report.skipped.append(skip)
                store.record_skip(run, skip)
            elif store.add_article(result):
                report.added += 1
                report.added_ids.append(result.id)
            else:
                report.already += 1
        if stamp is not None and not any(isinstance(r, InputError) for r in results):
            store.remember_file(*stamp)  # stored whole: not read again while unchanged
    store.finish_run(run, report.added, report.already, len(report.skipped))
    return report


@dataclass(frozen=True, slots=True)
class ProcessReport:
    annotated: int
    linked: LinkUpdate
    stories: int
    duplicates: int


def process(store: Store, settings: Settings, progress: Progress = _quiet) -> ProcessReport:
    """Run every stage after ingest over what ``store`` holds that is new: annotate pending
    articles, link them against the stored link state, re-synthesize the stories they
    touched. With nothing new this reads a few index entries and returns. New articles are
    filed under their outlets first, so the stories written name outlets."""
    store.sync_outlets()
    annotated = annotate_pending(store, settings, progress)
    linked = update(store, settings, progress)
    return ProcessReport(annotated, linked, store.count("stories"), store.count_duplicates())


def rebuild(settings: Settings, progress: Progress = _quiet) -> ProcessReport:
    """Recompute all link and synthesis state of ``settings.db`` from the stored
    annotations (after a settings change or an upgrade)."""
    with Store(settings.db, busy_timeout=settings.db_busy_timeout) as store:
        store.sync_outlets()
        annotated = annotate_pending(store, settings, progress)
        linked = rebuild_links(store, settings, progress)
        return ProcessReport(annotated, linked, store.count("stories"), store.count_duplicates())


def run(paths: Sequence[str | Path], settings: Settings, progress: Progress = _quiet) -> RunReport:
    """Ingest ``paths`` into ``settings.db`` and run every stage."""
    with Store(settings.db, busy_timeout=settings.db_busy_timeout) as store:
        report = ingest(paths, store, settings, progress)
        done = process(store, settings, progress)
        failed = store.count_failed()
    return RunReport(
        report, done.annotated, done.stories, done.duplicates, settings.db,
        linked=done.linked.linked, synthesized=done.linked.synthesized, failed=failed,
    )  # fmt: skip


def read_articles(
    paths: Sequence[str | Path],
    settings: Settings,
    on_skip: SkipHandler | None = None,
) -> list[Article]:
    """The articles under ``paths`` without storing them.

    Without ``on_skip`` a bad file or entry raises its InputError. With it, each is handed
    to ``on_skip`` and skipped; when nothing at all could be read, a NotFoundError says
    what was skipped and which files no reader claims."""
    articles: dict[str, Article] = {}
    unclaimed: Counter[str] = Counter()
    skipped = 0
    for found in find_files(paths, unclaimed):
        items: Iterable[Article | InputError]
        try:
            if found.error is not None:
                raise found.error
            items = read_file(found.path, settings, found.reader)
        except InputError as exc:  # the whole file
            items = [exc]
        for item in items:
            if isinstance(item, Article):
                articles.setdefault(item.id, item)
            elif on_skip is None:
                raise item
            else:
                skipped += 1
                on_skip(item)
    if not articles and on_skip is not None:
        raise NotFoundError(_nothing_read(paths, skipped, unclaimed))
    return list(articles.values())


def annotate_inputs(
    paths: Sequence[str | Path], settings: Settings, on_skip: SkipHandler | None = None
) -> list[AnnotatedArticle]:
    """The articles under ``paths`` (``read_articles``), annotated on ``settings.workers``
    processes without storing them. An article whose annotation fails is an InputError:
    raised without ``on_skip``, else handed to it and left out."""
    from storyline.annotate.runner import annotate_articles

    articles = read_articles(paths, settings, on_skip)
    docs, failed = annotate_articles(articles, settings)
    for article in articles:
        if article.id in failed:
            where = article.path if article.entry is None else f"{article.path}:{article.entry + 1}"
            problem = InputError(where or article.id, f"annotation failed: {failed[article.id]}")
            if on_skip is None:
                raise problem
            on_skip(problem)
    if articles and not docs:
        raise NotFoundError(f"none of the {len(articles)} articles could be annotated")
    return docs


def _nothing_read(paths: Sequence[str | Path], skipped: int, unclaimed: Counter[str]) -> str:
    where = ", ".join(display_path(p) for p in paths)
    reasons = [f"{skipped} skipped"] if skipped else []
    if unclaimed:
        kinds = ", ".join(f"{suffix} ({n})" for suffix, n in unclaimed.most_common(5))
        reasons.append(
            f"{sum(unclaimed.values())} files in formats storyline does not read: {kinds}"
        )
    known = " ".join(s for reader in READERS for s in reader.suffixes)
    return (
        f"no articles in {where}"
        + (f" ({'; '.join(reasons)})" if reasons else "")
        + f"; articles are read from {known} files, SGML newswire and HTML documents"
    )


def summarize_paths(
    paths: Sequence[str | Path],
    settings: Settings,
    max_words: int | None,
    max_bytes: int | None,
    on_skip: SkipHandler | None = None,
) -> list[SummarySentence]:
    """A cited summary of the articles under ``paths``, taken as one story (bad input:
    ``read_articles``)."""
    from storyline.link.families import reused_families
    from storyline.synthesize.summary import summarize

    docs = annotate_inputs(paths, settings, on_skip)
    families = reused_families(docs, settings)
    return summarize(docs, families, max_words=max_words, max_bytes=max_bytes)

"""``storyline watch``: poll every source, process what is new, wait, and again.

One poll reads the OPML files again, ingests new or changed files of followed folders,
polls the feeds and sitemaps (``poll.poll_urls``), records the poll, and then runs every
stage after ingest over what is new (``pipeline.process``, which is incremental: cheap when
little or nothing is new, and it also finishes what an interrupted run left). ``--once``
stops after one poll (for cron); otherwise the next poll starts
``every`` seconds later. Stopping (Ctrl-C, or the ``stop`` event) takes effect between steps:
no new request is started, what was fetched is stored, and the loop ends; every write is a
transaction, so nothing half-done is left behind.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import FrameType

from storyline.config import Settings
from storyline.errors import ConfigError, InputError, StorylineError
from storyline.fetch.client import FetchCounts, Fetcher
from storyline.fetch.poll import FAILING, NEW, STOPPED, UNCHANGED, SourceResult, poll_urls
from storyline.fetch.sources import FOLDER, OPML, Source, read_opml
from storyline.ingest.registry import find_files
from storyline.pipeline import ProcessReport, Progress, ingest, process
from storyline.store import Store
from storyline.store.sources import STORED, EntryState, PollTotals, SourcePoll


def _quiet(step: str, done: int, total: int | None) -> None:
    return None


@dataclass(frozen=True, slots=True)
class PollReport:
    """One poll: what each source did, the requests it took, what processing did."""

    number: int
    started: str
    seconds: float
    sources: tuple[SourceResult, ...]
    counts: FetchCounts
    processed: ProcessReport | None = None
    stopped: bool = False

    @property
    def added(self) -> int:
        return sum(s.added for s in self.sources)

    @property
    def failed(self) -> tuple[SourceResult, ...]:
        return tuple(s for s in self.sources if s.outcome == FAILING)


@dataclass(frozen=True, slots=True)
class WatchReport:
    polls: int
    added: int
    stopped: bool
    last: PollReport | None


def watch(
    sources: Sequence[Source],
    settings: Settings,
    *,
    once: bool = False,
    every: float | None = None,
    stop: threading.Event | None = None,
    on_poll: Callable[[PollReport], None] | None = None,
    progress: Progress = _quiet,
) -> WatchReport:
    """Poll ``sources`` into ``settings.db`` until stopped (or once)."""
    interval = settings.watch_every if every is None else every
    if interval <= 0:
        raise ConfigError(f"--every must be a positive number of seconds, not {interval:g}")
    stop = stop or threading.Event()
    polls, added, last = 0, 0, None
    with Store(settings.db) as store, Fetcher(settings, stop) as fetcher:
        while not stop.is_set():
            polls += 1
            last = poll_once(sources, store, settings, fetcher, polls, progress)
            added += last.added
            if on_poll is not None:
                on_poll(last)
            if once or stop.wait(interval):
                break
    return WatchReport(polls, added, stop.is_set(), last)


def poll_once(
    sources: Sequence[Source],
    store: Store,
    settings: Settings,
    fetcher: Fetcher,
    number: int = 1,
    progress: Progress = _quiet,
    *,
    process_new: bool = True,
) -> PollReport:
    """One poll of every source, then every stage over what is new; ``process_new`` False
    only stores what is new (as ``storyline ingest`` does)."""
    started = datetime.now(UTC).isoformat(timespec="seconds")
    clock = time.monotonic()
    before = fetcher.stats.snapshot()
    poll_id = store.start_poll()
    results: list[SourceResult] = []
    urls: dict[str, Source] = {}
    for source in sources:
        if fetcher.stop.is_set():
            break
        if source.kind == FOLDER:
            results.append(poll_folder(source, store, settings, progress))
        elif source.kind == OPML:
            result, feeds = _read_opml(source, store, settings)
            results.append(result)
            for feed in feeds:
                urls.setdefault(feed.url, feed)
        else:
            urls.setdefault(source.url, source)
    if not fetcher.stop.is_set():
        results += poll_urls(list(urls.values()), store, settings, fetcher)
    counts = fetcher.stats.snapshot().minus(before)
    added = sum(r.added for r in results)
    failed = sum(r.outcome == FAILING for r in results)
    store.finish_poll(poll_id, PollTotals(len(results), failed, added, counts.requests,
                                          counts.bytes))  # fmt: skip
    processed = None
    if process_new and not fetcher.stop.is_set():
        try:
            processed = process(store, settings, progress)
        except KeyboardInterrupt:  # Ctrl-C reached the worker processes too
            fetcher.stop.set()
    seconds = time.monotonic() - clock
    return PollReport(number, started, seconds, tuple(results), counts, processed,
                      fetcher.stop.is_set())  # fmt: skip


def _read_opml(
    source: Source, store: Store, settings: Settings
) -> tuple[SourceResult, list[Source]]:
    try:
        feeds = read_opml(source, settings)
    except InputError as exc:
        store.record_source_poll(SourcePoll(source.url, OPML, False, error=exc.reason))
        return SourceResult(source.url, OPML, FAILING, error=exc.reason), []
    store.record_source_poll(SourcePoll(source.url, OPML, True))
    return SourceResult(source.url, OPML, UNCHANGED), feeds


def poll_folder(
    source: Source, store: Store, settings: Settings, progress: Progress = _quiet
) -> SourceResult:
    """Ingest the files of a followed folder that are new or changed since the last poll
    (by size and modification time); bad files are skipped with their reason as always."""
    try:
        known = store.source_entries(source.url)
        fresh: list[tuple[str, str]] = []
        for found in find_files([source.url]):
            if found.error is not None:
                continue
            stat = found.path.stat()
            digest = f"{stat.st_size}:{stat.st_mtime_ns}"
            entry = known.get(str(found.path))
            if entry is None or entry.digest != digest:
                fresh.append((str(found.path), digest))
        added = skipped = 0
        if fresh:
            report = ingest([path for path, _ in fresh], store, settings, progress)
            added, skipped = report.added, len(report.skipped)
            for path, digest in fresh:
                store.record_entry(EntryState(source.url, path, digest, STORED))
    except (StorylineError, OSError) as exc:
        reason = str(exc)
        store.record_source_poll(SourcePoll(source.url, FOLDER, False, error=reason))
        return SourceResult(source.url, FOLDER, FAILING, error=reason)
    store.record_source_poll(SourcePoll(source.url, FOLDER, True, added=added))
    outcome = NEW if added else UNCHANGED
    return SourceResult(source.url, FOLDER, outcome, added=added, skipped=skipped)


@contextmanager
def stop_on_interrupt(
    stop: threading.Event, notice: Callable[[str], None] | None = None
) -> Iterator[None]:
    """While inside: the first Ctrl-C sets ``stop`` (the watcher ends between steps), a
    second one interrupts at once. Only the main thread can install it; elsewhere this
    does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        if notice is not None:
            notice("stopping after the current step (press Ctrl-C again to stop now)")

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


__all__ = ["STOPPED", "PollReport", "WatchReport", "poll_folder", "poll_once", "watch"]

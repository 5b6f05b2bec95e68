"""Annotating articles in batches on a pool of worker processes: the store's pending ones
(``annotate_pending``), or inputs that are not stored (``annotate_articles``).

Poison pills never block a run: ``annotate_guarded`` turns an article whose annotation raises
into a failure that is stored with its reason (and not retried on the next run); the others
of its batch are saved. A worker process that dies (killed, out of memory) breaks the pool:
the articles it may have been working on are then annotated again one at a time in a fresh
single-worker pool, so the one that kills its worker is found and marked failed.

Workers die with their parent: each one asks the kernel for SIGKILL when its parent exits
(Linux ``PR_SET_PDEATHSIG``) and also watches its parent id from a thread (other systems,
and a parent that died before the worker started), so a main process killed with SIGKILL
leaves no worker behind.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from storyline.annotate.nlp import Limits
from storyline.annotate.version import ANNOTATION_VERSION
from storyline.config import Settings
from storyline.model import AnnotatedArticle, Article
from storyline.store import Store

if TYPE_CHECKING:  # the stages are imported only when there is something to annotate
    from storyline.annotate.stages import Outcome

#: progress callback: (step name, done, total or None)
Progress = Callable[[str, int, int | None], None]

#: how worker processes are started (tests may use "fork" to inject faults into workers)
START_METHOD = "spawn"
#: seconds between two checks of a worker that its parent is still alive
WATCH_INTERVAL = 0.5
#: the reason stored for an article during which its worker process died
WORKER_DIED = (
    "the worker process died while annotating this article (killed, or out of memory); "
    "`storyline retry` tries again"
)
_PR_SET_PDEATHSIG = 1


def _quiet(step: str, done: int, total: int | None) -> None:
    return None


class _Saver:
    """Stores outcomes as they come and reports progress."""

    def __init__(self, store: Store, total: int, progress: Progress) -> None:
        self.store, self.total, self.progress = store, total, progress
        self.done = 0  # articles annotated and saved
        self.handled = 0  # articles saved or marked failed

    def save(self, outcomes: Sequence[Outcome]) -> None:
        docs = [o.doc for o in outcomes if o.doc is not None]
        warnings = {o.article: "; ".join(o.warnings) for o in outcomes if o.warnings}
        failures = {o.article: o.error for o in outcomes if o.error is not None}
        self.store.save_annotations(docs, ANNOTATION_VERSION, warnings, failures)
        self.done += len(docs)
        self.handled += len(outcomes)
        self.progress("annotate", self.handled, self.total)

    def fail(self, article: Article, reason: str) -> None:
        from storyline.annotate.stages import Outcome

        self.save([Outcome(article.id, None, reason)])


class _Collector:
    """Keeps outcomes in memory (``annotate_articles``) and reports progress."""

    def __init__(self, total: int, progress: Progress) -> None:
        self.total, self.progress = total, progress
        self.docs: dict[str, AnnotatedArticle] = {}
        self.failed: dict[str, str] = {}

    def save(self, outcomes: Sequence[Outcome]) -> None:
        for outcome in outcomes:
            if outcome.doc is not None:
                self.docs[outcome.article] = outcome.doc
            else:
                self.failed[outcome.article] = outcome.error or "annotation failed"
        self.progress("annotate", len(self.docs) + len(self.failed), self.total)

    def fail(self, article: Article, reason: str) -> None:
        self.failed[article.id] = reason


_Sink = _Saver | _Collector


def annotate_pending(store: Store, settings: Settings, progress: Progress = _quiet) -> int:
    """Annotate every stored article not yet annotated at the current version; returns how
    many were annotated (failed ones are stored as failed, see ``Store.failed``)."""
    Limits.of(settings)  # a bad limit is a ConfigError here, not in every worker
    pending = store.pending(ANNOTATION_VERSION)
    if not pending:
        return 0
    saver = _Saver(store, len(pending), progress)
    _annotate(pending, settings, saver)
    return saver.done


def annotate_articles(
    articles: Sequence[Article], settings: Settings, progress: Progress = _quiet
) -> tuple[list[AnnotatedArticle], dict[str, str]]:
    """Annotate ``articles`` that are not stored (``summarize``, ``timeline``) the way
    ``annotate_pending`` does, on ``settings.workers`` processes and safe from poison pills:
    the annotated ones in the order of ``articles``, and why each other one failed (by id)."""
    Limits.of(settings)
    collector = _Collector(len(articles), progress)
    _annotate(articles, settings, collector)
    done = [collector.docs[a.id] for a in articles if a.id in collector.docs]
    return done, collector.failed


def _annotate(articles: Sequence[Article], settings: Settings, sink: _Sink) -> None:
    """Annotate ``articles`` in batches, in this process or on a pool (module docstring)."""
    from storyline.annotate.stages import annotate_guarded

    size = settings.batch_size
    batches = [list(articles[i : i + size]) for i in range(0, len(articles), size)]
    if settings.workers <= 1 or len(batches) <= 1:
        for batch in batches:
            sink.save(annotate_guarded(batch, settings))
        return
    suspects = _pooled(deque(batches), settings, sink)
    if suspects:
        _isolated(suspects, settings, sink)


def _pool(settings: Settings, workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(START_METHOD),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )


def _pooled(queue: deque[list[Article]], settings: Settings, saver: _Sink) -> list[Article]:
    """Run the batches of ``queue`` on ``settings.workers`` processes, at most two batches
    per worker in flight. When a worker dies, the articles of every batch in flight are
    returned (one of them may have killed it) and the rest of ``queue`` runs on a new pool."""
    from storyline.annotate.stages import annotate_guarded

    suspects: list[Article] = []
    while queue:
        running: dict[Future[list[Outcome]], list[Article]] = {}
        pool = _pool(settings, settings.workers)
        try:
            while queue or running:
                while queue and len(running) < 2 * settings.workers:
                    batch = queue.popleft()
                    running[pool.submit(annotate_guarded, batch, settings)] = batch
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    outcomes = future.result()
                    del running[future]
                    saver.save(outcomes)
        except BrokenProcessPool:
            for batch in running.values():
                suspects.extend(batch)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return suspects


def _isolated(articles: Sequence[Article], settings: Settings, saver: _Sink) -> None:
    """Annotate ``articles`` one at a time on one worker process; an article during which
    the worker dies is marked failed and the next one goes to a new worker."""
    from storyline.annotate.stages import annotate_guarded

    queue = deque(articles)
    while queue:
        pool = _pool(settings, 1)
        try:
            while queue:
                outcomes = pool.submit(annotate_guarded, [queue[0]], settings).result()
                queue.popleft()
                saver.save(outcomes)
        except BrokenProcessPool:
            saver.fail(queue.popleft(), WORKER_DIED)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def die_with_parent(parent: int) -> None:
    """Worker initializer: exit as soon as process ``parent`` is gone.

    On Linux the kernel sends SIGKILL when the parent exits (``PR_SET_PDEATHSIG``; that
    fires when the parent's thread that started the worker ends, and the pool lives inside
    one call, so that is the same). A parent that died before this ran is caught by the
    check below, and a daemon thread polls the parent id on every system (a dead parent's
    children are adopted by another process), for systems without the prctl."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no usable libc
            pass
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(
        target=_watch_parent, args=(parent,), name="storyline-parent-watch", daemon=True
    ).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)

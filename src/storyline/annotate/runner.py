"""Annotating what the store holds: pending articles in batches, on a pool of worker processes."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from storyline.annotate.stages import ANNOTATION_VERSION, annotate_batch
from storyline.config import Settings
from storyline.model import AnnotatedArticle
from storyline.store import Store

#: progress callback: (step name, done, total or None)
Progress = Callable[[str, int, int | None], None]


def _quiet(step: str, done: int, total: int | None) -> None:
    return None


def annotate_pending(store: Store, settings: Settings, progress: Progress = _quiet) -> int:
    """Annotate every stored article not yet annotated at the current version."""
    total = len(store.pending(ANNOTATION_VERSION))
    if total == 0:
        return 0
    done = 0
    batch = settings.batch_size

    def save(docs: Sequence[AnnotatedArticle]) -> None:
        nonlocal done
        store.save_annotations(docs, ANNOTATION_VERSION)
        done += len(docs)
        progress("annotate", done, total)

    pending = store.pending(ANNOTATION_VERSION)
    if settings.workers <= 1 or total <= batch:
        for i in range(0, len(pending), batch):
            save(annotate_batch(pending[i : i + batch], settings))
        return done
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=settings.workers, mp_context=context) as pool:
        running: set[Future[list[AnnotatedArticle]]] = set()
        chunks = iter(range(0, len(pending), batch))
        for start in chunks:
            running.add(pool.submit(annotate_batch, pending[start : start + batch], settings))
            if len(running) >= 2 * settings.workers:
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    save(future.result())
        for future in running:
            save(future.result())
    return done

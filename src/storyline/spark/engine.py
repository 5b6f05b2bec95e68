"""The Spark engine: ingest -> annotate -> link -> synthesize -> Parquet (and SQLite).

Every stage calls the local engine's functions: the readers (``pipeline.read_file``),
``annotate_batch`` inside ``mapPartitions`` (the spaCy pipeline is cached per Python
worker, and Spark reuses its workers), the duplicate index's signatures and thresholds
(``spark.dedup``), the stream clusterer per time block (``spark.blocks``) and
``synthesize_story`` per story (``spark.synthesis``); the corrections stored in the target
database are applied to the clusterer's stories before synthesis. Articles with the same id are read
once (the first in input order wins, as in the local store).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from storyline.annotate.stages import annotate_batch
from storyline.config import Settings
from storyline.link.corrections import Rules
from storyline.pipeline import IngestReport, Progress
from storyline.spark.blocks import Blocking, cluster_blocks, merge_blocks
from storyline.spark.dedup import find_duplicates_spark
from storyline.spark.output import load_database, local_path, write_tables
from storyline.spark.read import read_inputs
from storyline.spark.records import Annotated, Ingested
from storyline.spark.session import SparkOptions, get_session
from storyline.spark.synthesis import plans, synthesize_stories
from storyline.store import Store

if TYPE_CHECKING:
    from pyspark import RDD


@dataclass(frozen=True, slots=True)
class SparkReport:
    """What a Spark run did; ``seconds`` is the wall time of each step."""

    ingest: IngestReport
    annotated: int
    stories: int
    duplicates: int
    db: str | None
    tables: tuple[str, ...]
    blocks: int
    seconds: dict[str, float] = field(default_factory=dict)


def _quiet(step: str, done: int, total: int | None) -> None:
    return None


def _annotate_partition(rows: Iterable[Ingested], settings: Settings) -> Iterator[Annotated]:
    batch: list[Ingested] = []

    def flush() -> list[Annotated]:
        docs = annotate_batch([r.article for r in batch if r.article is not None], settings)
        return [Annotated(r.seq, doc) for r, doc in zip(batch, docs, strict=True)]

    for row in rows:
        batch.append(row)
        if len(batch) >= settings.batch_size:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def _first(a: Ingested, b: Ingested) -> Ingested:
    return a if a.seq <= b.seq else b


def annotate_inputs(entries: RDD[Ingested], settings: Settings, partitions: int) -> RDD[Annotated]:
    """Articles read once per id (first in input order), annotated per partition."""
    from pyspark import StorageLevel

    unique = (
        entries.filter(lambda i: i.article is not None)
        .map(lambda i: (i.article.id if i.article else "", i))
        .reduceByKey(_first, numPartitions=partitions)
        .values()
    )
    annotated = unique.mapPartitions(lambda rows: _annotate_partition(rows, settings))
    return annotated.persist(StorageLevel.MEMORY_AND_DISK)


def _corrections(db: str | None) -> Rules | None:
    """The active corrections of ``db`` (None when there is no such database yet)."""
    if db is None or not Path(db).exists():
        return None
    with Store(db, readonly=True) as store:
        return store.correction_rules()


def run_spark(
    paths: Sequence[str | Path],
    settings: Settings,
    options: SparkOptions | None = None,
    out: str | Path | None = None,
    db: str | None = None,
    progress: Progress = _quiet,
) -> SparkReport:
    """Run every stage on Spark over ``paths``; write Parquet tables under ``out`` and load
    the results into the SQLite database ``db`` (each optional)."""
    options = options or SparkOptions()
    spark = get_session(options)
    sc = spark.sparkContext
    partitions = options.partitions or max(2, 2 * sc.defaultParallelism)
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[step] = round(now - clock, 3)
        clock = now
        progress(step, 1, 1)

    entries = read_inputs(spark, paths, settings, partitions).cache()
    counts = entries.map(lambda i: (i.seq[0], i.article is not None)).collect()
    skips = [i.skip for i in entries.filter(lambda i: i.skip is not None).collect() if i.skip]
    read = sum(1 for _, is_article in counts if is_article)
    lap("read")
    annotated = annotate_inputs(entries, settings, partitions)
    total = annotated.count()
    entries.unpersist()
    lap("annotate")
    duplicates = find_duplicates_spark(annotated.map(lambda a: (a.order, a.doc.article)), settings)
    lap("duplicates")
    copies = sc.broadcast({d.article for d in duplicates})
    originals = annotated.filter(lambda a: a.doc.article.id not in copies.value)
    dated = originals.filter(lambda a: not a.order[0]).map(lambda a: a.order[1])
    first, last = (None, None) if dated.isEmpty() else (dated.min(), dated.max())
    blocking = Blocking.over(first, last, options.block_days, settings.cluster_window_days)
    stories = merge_blocks(cluster_blocks(originals, settings, blocking))
    rules = _corrections(db)
    if rules:  # the reader's corrections stored in the target database, as the local engine
        order = dict(originals.map(lambda a: (a.doc.article.id, a.order)).collect())
        stories = rules.regroup(stories, order)
    lap("cluster")
    outcomes = synthesize_stories(originals, plans(stories, duplicates), settings).collect()
    lap("synthesize")
    tables: list[str] = []
    if out is not None:
        tables = write_tables(spark, annotated, duplicates, outcomes, local_path(out))
        lap("parquet")
    ingest = IngestReport(files=len({number for number, _ in counts}), skipped=skips)
    if db is not None:
        ingest = load_database(db, annotated, skips, duplicates, outcomes, settings.batch_size)
        ingest.files = len({number for number, _ in counts})
        lap("sqlite")
    else:
        ingest.added = total
    ingest.already += read - total
    annotated.unpersist()
    return SparkReport(
        ingest=ingest,
        annotated=total,
        stories=len(outcomes),
        duplicates=len(duplicates),
        db=db,
        tables=tuple(tables),
        blocks=blocking.last + 1,
        seconds=seconds,
    )

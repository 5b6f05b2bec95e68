"""What a Spark run writes: Parquet tables, and optionally a storyline SQLite database.

Needs: the annotated articles, the duplicate links and the story outcomes of a run.
Adds: under the output folder one Parquet dataset per table (``articles``, ``sentences``,
``mentions``, ``timexes``, ``quotes``, ``claims``, ``stories``, ``story_reports``), with the
columns of ``storyline export --format parquet``; and, with a database, the same rows the
local engine stores (``Store.add_article`` / ``save_annotations`` / ``save_links``), so the
web UI and every other command work on it unchanged.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Sequence
from dataclasses import asdict, fields
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.annotate.stages import ANNOTATION_VERSION
from storyline.errors import ConfigError
from storyline.model import Claim, Duplicate, Mention, Quote, Sentence, Timex
from storyline.pipeline import IngestReport
from storyline.schema import article_v1
from storyline.spark.records import Annotated
from storyline.spark.synthesis import StoryOutcome
from storyline.store import Skip, Store

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession
    from pyspark.sql.types import DataType, StructType

RECORD_TABLES: dict[str, type[Any]] = {
    "sentences": Sentence,
    "mentions": Mention,
    "timexes": Timex,
    "quotes": Quote,
    "claims": Claim,
}
NESTED = ("summary", "timeline", "entities", "quotes", "claims", "conflicts", "reuse")
_ARTICLE_COLUMNS = (
    "id", "path", "source", "title", "url", "published", "language", "story",
    "duplicate_of", "text",
)  # fmt: skip


def _spark_type(hint: Any) -> DataType:
    from pyspark.sql import types as t

    if isinstance(hint, types.UnionType):
        (hint,) = [h for h in typing.get_args(hint) if h is not type(None)]
    simple: dict[Any, DataType] = {
        str: t.StringType(),
        int: t.LongType(),
        float: t.DoubleType(),
        bool: t.BooleanType(),
        date: t.DateType(),
    }
    return simple[hint]


def record_schema(record_type: type[Any]) -> StructType:
    """The Spark schema of a flat record dataclass (str, int, float, bool, date, optional)."""
    from pyspark.sql.types import StructField, StructType

    hints = typing.get_type_hints(record_type)
    return StructType(
        [StructField(f.name, _spark_type(hints[f.name])) for f in fields(record_type)]
    )


def _article_row(
    item: Annotated,
    story_of: dict[str, str],
    copy_of: dict[str, str],
    inferred: dict[str, date],
) -> dict[str, Any]:
    from dataclasses import replace

    article = item.doc.article
    if article.id in inferred:
        article = replace(article, published=inferred[article.id], published_inferred=True)
    row = article_v1(article, story_of.get(article.id), copy_of.get(article.id))
    return {**row, "text": article.text}


def _records(item: Annotated, name: str) -> list[dict[str, Any]]:
    return [asdict(r) for r in getattr(item.doc, name)]


def write_tables(
    spark: SparkSession,
    annotated: RDD[Annotated],
    duplicates: Sequence[Duplicate],
    outcomes: Sequence[StoryOutcome],
    folder: str,
) -> list[str]:
    """Write every table under ``folder`` (any Hadoop-compatible path); the paths written."""
    from pyspark.sql.types import BooleanType, StringType, StructField, StructType

    sc = spark.sparkContext
    story_of = {a: o.story.id for o in outcomes for a in o.story.articles}
    inferred = {a: d for o in outcomes for a, d in o.inferred.items()}
    maps = sc.broadcast((story_of, {d.article: d.duplicate_of for d in duplicates}, inferred))
    written: list[str] = []

    def save(name: str, rows: Any, schema: StructType) -> None:
        path = folder.rstrip("/") + "/" + name
        spark.createDataFrame(rows, schema).write.mode("overwrite").parquet(path)
        written.append(path)

    article_schema = StructType(
        [StructField(c, StringType()) for c in _ARTICLE_COLUMNS]
        + [StructField("published_inferred", BooleanType())]
    )
    save("articles", annotated.map(lambda a: _article_row(a, *maps.value)), article_schema)
    for name, record_type in RECORD_TABLES.items():
        rows = annotated.flatMap(partial(_records, name=name))
        save(name, rows, record_schema(record_type))
    story_columns = ["id", "title", "first_seen", "last_seen", *NESTED]
    story_schema = StructType([StructField(c, StringType()) for c in story_columns])
    stories = [
        {
            "id": o.report["id"],
            "title": o.report["title"],
            "first_seen": o.report["first_seen"],
            "last_seen": o.report["last_seen"],
            **{k: json.dumps(o.report[k], ensure_ascii=False) for k in NESTED},
        }
        for o in outcomes
    ]
    save("stories", stories, story_schema)
    reports = [
        {"id": o.report["id"], "report": json.dumps(o.report, ensure_ascii=False)} for o in outcomes
    ]
    save(
        "story_reports",
        reports,
        StructType([StructField(c, StringType()) for c in ("id", "report")]),
    )
    return written


def load_database(
    db: str,
    annotated: RDD[Annotated],
    skips: Sequence[Skip],
    duplicates: Sequence[Duplicate],
    outcomes: Sequence[StoryOutcome],
    batch_size: int,
) -> IngestReport:
    """Store the run in the SQLite database ``db`` as the local engine stores it.

    The Spark engine links only its own input, so a database holding other articles is a
    ConfigError (their stories would be replaced): use a new database file."""
    ordered = annotated.sortBy(lambda a: a.seq)
    report = IngestReport(skipped=list(skips))
    with Store(db) as store:
        stored = {row[0] for row in store.db.execute("SELECT id FROM articles")}
        if stored:
            ours = set(annotated.map(lambda a: a.doc.article.id).collect())
            others = len(stored - ours)
            if others:
                raise ConfigError(
                    f"{db}: holds {others} articles that are not in this Spark run's input; "
                    "the Spark engine links only its input: use a new --db file"
                )
        run = store.start_run()
        for skip in skips:
            store.record_skip(run, skip)
        batch = []
        for item in ordered.toLocalIterator():
            if store.add_article(item.doc.article):
                report.added += 1
                report.added_ids.append(item.doc.article.id)
            else:
                report.already += 1
            batch.append(item.doc)
            if len(batch) >= batch_size:
                store.save_annotations(batch, ANNOTATION_VERSION)
                batch = []
        store.save_annotations(batch, ANNOTATION_VERSION)
        store.finish_run(run, report.added, report.already, len(report.skipped))
        inferred = {a: d for o in outcomes for a, d in o.inferred.items()}
        reports = {o.story.id: o.report for o in outcomes}
        store.save_links(duplicates, [o.story for o in outcomes], reports, inferred)
    return report


def local_path(folder: str | Path) -> str:
    """``folder`` as Spark should see it (a plain local path becomes absolute)."""
    from storyline.spark.read import as_uri

    text = as_uri(str(folder))
    return text if "://" in text else str(Path(text).resolve())

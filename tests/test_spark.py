"""The Spark engine on ``local[2]`` gives the local engine's stories, duplicates and conflicts.

The corpus is the sample corpus plus one lightly edited wire copy (so the near-duplicate
join has something to find). Both engines run on it; the Spark run also writes Parquet.
The two engine tests take 40-100 s (JVM start, spaCy in each Python worker): marked slow.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from storyline.config import Settings
from storyline.model import Story
from storyline.pipeline import run
from storyline.spark.blocks import Blocking, merge_blocks
from storyline.spark.dedup import Match, resolve
from storyline.spark.records import BlockStory, order_of
from storyline.store import Store

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"
COPIED = "harbor-herald/halvergate-talks-begin.txt"


#: the corpus's own wire copies (GOLD.json) plus the edited copy the fixture adds
EXPECTED_DUPLICATES = (
    len(json.loads((CORPUS / "GOLD.json").read_text(encoding="utf-8"))["duplicates"]) + 1
)


def _spark_or_skip() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.skip("pyspark is not installed (pip install 'storyline[spark]')")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime on PATH: Spark needs Java 17")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("spark") / "corpus"
    shutil.copytree(CORPUS, folder)
    text = (CORPUS / COPIED).read_text(encoding="utf-8")
    edited = text.replace("No dockers, no lunch.", "No dockers, no lunch at all.")
    assert edited != text
    (folder / "copy-desk").mkdir()
    (folder / "copy-desk" / "talks-begin.txt").write_text(edited, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def engines(corpus: Path) -> Iterator[tuple[Path, Path, Any]]:
    """(local db, spark db, spark report) for the same corpus."""
    _spark_or_skip()
    from storyline.spark.engine import run_spark
    from storyline.spark.session import SparkOptions, get_session

    base = corpus.parent
    local_db, spark_db = base / "local.db", base / "spark.db"
    run([corpus], Settings().with_(db=str(local_db), workers=1))
    options = SparkOptions(master="local[2]", partitions=2)
    report = run_spark(
        [corpus], Settings().with_(db=str(spark_db)), options, out=base / "tables", db=str(spark_db)
    )
    yield local_db, spark_db, report
    get_session(options).stop()


def _reports(db: Path) -> dict[str, dict[str, Any]]:
    with Store(db) as store:
        return {r["id"]: r for r in store.story_reports()}


def _links(db: Path) -> dict[str, tuple[str | None, str | None]]:
    with Store(db) as store:
        return store.article_links()


def _conflicts(report: dict[str, Any]) -> list[tuple[str, str, tuple[Any, ...]]]:
    return sorted(
        (
            c["kind"],
            c["topic"],
            tuple(sorted((v["value"], tuple(sorted(v["articles"]))) for v in c["values"])),
        )
        for c in report["conflicts"]
    )


@pytest.mark.slow
def test_same_stories_duplicates_and_conflicts(engines: tuple[Path, Path, Any]) -> None:
    local_db, spark_db, report = engines
    local, spark = _reports(local_db), _reports(spark_db)
    assert report.blocks == 1  # the corpus spans 14 days, under the default block of 30
    assert len(local) == report.stories >= 6
    assert {frozenset(r["articles"]) for r in spark.values()} == {
        frozenset(r["articles"]) for r in local.values()
    }
    local_dups = {(a, d) for a, (_, d) in _links(local_db).items() if d}
    spark_dups = {(a, d) for a, (_, d) in _links(spark_db).items() if d}
    assert len(local_dups) == EXPECTED_DUPLICATES and spark_dups == local_dups
    assert report.duplicates == EXPECTED_DUPLICATES
    assert any(_conflicts(r) for r in local.values()), "the corpus has a death-toll conflict"
    assert {sid: _conflicts(r) for sid, r in spark.items()} == {
        sid: _conflicts(r) for sid, r in local.items()
    }
    # the same functions on the same articles: the whole reports agree, except for the
    # time each engine wrote them
    for reports in (local, spark):
        for story in reports.values():
            assert datetime.fromisoformat(story.pop("updated")).tzinfo is not None
    assert spark == local


@pytest.mark.slow
def test_database_and_parquet_tables(engines: tuple[Path, Path, Any]) -> None:
    import pyarrow.parquet as pq

    local_db, spark_db, report = engines
    with Store(local_db) as a, Store(spark_db) as b:
        for table in ("articles", "sentences", "mentions", "timexes", "quotes", "claims"):
            assert a.count(table) == b.count(table) > 0, table
        query = 'SELECT article, "index", start, "end" FROM sentences ORDER BY 1, 2'
        assert a.db.execute(query).fetchall() == b.db.execute(query).fetchall()
        order = "SELECT id, published, published_inferred, story FROM articles ORDER BY rowid"
        assert a.db.execute(order).fetchall() == b.db.execute(order).fetchall()
        sentences = b.count("sentences")
    assert (report.ingest.files, report.ingest.added, report.annotated) == (21, 37, 37)
    tables = Path(report.tables[0]).parent
    assert sorted(p.name for p in tables.iterdir()) == sorted(
        ["articles", "sentences", "mentions", "timexes", "quotes", "claims", "stories",
         "story_reports"]
    )  # fmt: skip
    articles = pq.read_table(tables / "articles").to_pylist()
    assert len(articles) == 37 and all(a["text"] and a["story"] for a in articles)
    assert sum(1 for a in articles if a["duplicate_of"]) == EXPECTED_DUPLICATES
    assert pq.read_table(tables / "sentences").num_rows == sentences
    stories = pq.read_table(tables / "story_reports").to_pylist()
    assert {s["id"] for s in stories} == set(_reports(local_db))


@pytest.mark.slow
def test_spark_honours_corrections(engines: tuple[Path, Path, Any], corpus: Path) -> None:
    """A split and a merge stored in the database: the Spark engine's stories, run again on
    it, are the local engine's stories with the same corrections."""
    from storyline import api
    from storyline.spark.engine import run_spark
    from storyline.spark.session import SparkOptions

    local_db, spark_db, _ = engines
    base = corpus.parent
    local_copy, spark_copy = base / "local-fixed.db", base / "spark-fixed.db"
    shutil.copy(local_db, local_copy)
    shutil.copy(spark_db, spark_copy)
    by_size = sorted(_reports(local_db).values(), key=lambda r: (-len(r["articles"]), r["id"]))
    big, other = by_size[0], by_size[1]
    with Store(local_db) as store:
        roots = [a for a in big["articles"] if store.article_links()[a][1] is None]
    leaving = roots[-2:]
    for db in (local_copy, spark_copy):
        settings = Settings().with_(db=str(db), workers=1)
        api.correct(settings, "split", story=big["id"], articles=leaving, note="two events")
        api.correct(settings, "merge", story=by_size[2]["id"], other=other["id"])
    run_spark([corpus], Settings().with_(db=str(spark_copy)),
              SparkOptions(master="local[2]", partitions=2), db=str(spark_copy))  # fmt: skip
    run([corpus], Settings().with_(db=str(local_copy), workers=1))  # a later local run
    local, spark = _links(local_copy), _links(spark_copy)
    assert spark == local
    assert len({spark[a][0] for a in leaving}) == 1 and spark[leaving[0]][0] != big["id"]
    assert {spark[a][0] for a in other["articles"]} == {by_size[2]["id"]}
    assert {frozenset(r["articles"]) for r in _reports(spark_copy).values()} == {
        frozenset(r["articles"]) for r in _reports(local_copy).values()
    }


def test_blocks_overlap_by_the_cluster_window() -> None:
    start = date(2024, 1, 1).toordinal()
    blocking = Blocking.over(start, start + 95, days=30, overlap=10)
    assert blocking.last == 3
    assert blocking.blocks(order_of(date(2024, 1, 5), (0, 0))) == [0]
    assert blocking.blocks(order_of(date(2024, 2, 3), (0, 0))) == [0, 1]  # day 33: overlap
    assert blocking.blocks(order_of(date(2024, 2, 15), (0, 0))) == [1]
    assert blocking.blocks(order_of(None, (0, 0))) == [3]  # undated: the stream's end


def test_stories_sharing_an_article_are_merged() -> None:
    def story(sid: str, *articles: str) -> Story:
        return Story(sid, sid.upper(), articles, None, None)

    found = [
        BlockStory(1, 0, story("c", "a3", "a4")),
        BlockStory(0, 0, story("a", "a1", "a2")),
        BlockStory(0, 1, story("b", "a5")),
        BlockStory(1, 1, story("d", "a2", "a6")),
    ]
    merged = merge_blocks(found)
    assert [(s.id, s.title, s.articles) for s in merged] == [
        ("a", "A", ("a1", "a2", "a6")),
        ("b", "B", ("a5",)),
        ("c", "C", ("a3", "a4")),
    ]


def test_resolve_replays_the_stream() -> None:
    day = date(2024, 3, 1)
    first, second, third = (order_of(day, (i, 0)) for i in range(3))
    matches = [
        Match("y", second, "x", first, 0.9, exact=False),
        Match("z", third, "y", second, 0.95, exact=False),
    ]
    links = resolve(matches)
    # z matches only y, which copies x: z points at the earliest copy, x
    assert [(d.article, d.duplicate_of, d.similarity) for d in links] == [
        ("y", "x", 0.9),
        ("z", "x", 0.95),
    ]

"""Reading the input of a Spark run into an RDD of ``Ingested`` entries.

Needs: paths, each one of: a local file or folder (files found on the driver with
``find_files``, read on the executors with ``pipeline.read_file``; the folder must be
visible to every executor, e.g. a shared mount), a local glob (``data/*.jsonl``), a URI
with a scheme (``hdfs://``, ``s3a://``, ``file://``: read with ``binaryFiles``, any
supported format), or a Parquet dataset of articles (a path ending in ``.parquet`` or a
folder holding ``*.parquet`` files; column ``text`` required, ``title``, ``source``,
``url``, ``published``, ``language`` optional). Adds: one ``Ingested`` per article or
skipped entry, articles built by the same readers as the local engine.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.config import Settings
from storyline.errors import InputError, NotFoundError
from storyline.ingest.base import build_article, parse_date
from storyline.ingest.registry import find_files
from storyline.pipeline import read_data, read_file
from storyline.spark.records import Ingested
from storyline.store import Skip

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

_GLOB = set("*?[")


_MANGLED = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]+):/([^/].*)$")


def as_uri(raw: str) -> str:
    """``raw`` with a URI scheme restored after ``pathlib.Path`` folded its ``//``
    (``s3a:/bucket/key`` -> ``s3a://bucket/key``; ``file:/x`` -> ``file:///x``). A plain
    path is returned as it is. Name the authority in a URI (``hdfs://namenode:8020/x``)."""
    match = _MANGLED.match(raw)
    if match is None or len(match.group(1)) < 2:  # "C:/..." is a Windows drive
        return raw
    scheme, rest = match.groups()
    return f"{scheme}:///{rest}" if scheme == "file" else f"{scheme}://{rest}"


def _has_scheme(raw: str) -> bool:
    return "://" in raw


def _is_dataset(raw: str) -> bool:
    if raw.rstrip("/").endswith(".parquet"):
        return True
    path = Path(raw)
    return not _has_scheme(raw) and path.is_dir() and any(path.glob("*.parquet"))


def _local_files(raw: str) -> list[Path]:
    """Local paths of ``raw`` (a glob is expanded, sorted); NotFoundError when none exist."""
    if _GLOB & set(raw):
        matches = sorted(glob.glob(raw, recursive=True))
        if not matches:
            raise NotFoundError(f"{raw}: the pattern matches no file")
        return [Path(m) for m in matches]
    return [Path(raw)]


def _read_local(entry: tuple[int, str], settings: Settings) -> Iterator[Ingested]:
    number, path = entry
    try:
        results = list(read_file(Path(path), settings))
    except InputError as exc:
        results = [exc]
    for position, result in enumerate(results):
        if isinstance(result, InputError):
            yield Ingested((number, position), skip=Skip(result.path, result.reason))
        else:
            yield Ingested((number, position), article=result)


def _read_bytes(
    entry: tuple[tuple[str, bytes], int], base: int, settings: Settings
) -> Iterator[Ingested]:
    (uri, data), index = entry
    number = base + index
    try:
        results: list[Any] = read_data(Path(uri), data, settings, where=uri)
    except InputError as exc:
        results = [exc]
    for position, result in enumerate(results):
        if isinstance(result, InputError):
            yield Ingested((number, position), skip=Skip(result.path, result.reason))
        else:
            yield Ingested((number, position), article=result)


def _dataset_row(entry: tuple[Any, int], source: str, number: int, settings: Settings) -> Ingested:
    row, index = entry
    values = row.asDict()
    where = f"{source}#{index}"
    text = values.get("text")
    if not isinstance(text, str) or not text.strip():
        return Ingested((number, index), skip=Skip(where, "row has no 'text'"))
    try:
        article = build_article(
            Path(source),
            text,
            settings,
            title=values.get("title"),
            source=values.get("source"),
            url=values.get("url"),
            published=parse_date(values.get("published")),
            language=values.get("language"),
            entry=index,
        )
    except InputError as exc:
        return Ingested((number, index), skip=Skip(exc.path, exc.reason))
    return Ingested((number, index), article=article)


def read_inputs(
    spark: SparkSession, paths: Sequence[str | Path], settings: Settings, partitions: int
) -> RDD[Ingested]:
    """Every entry of ``paths`` as an RDD of ``Ingested``, numbered in input order.

    Local paths that do not exist are a NotFoundError, as in the local engine."""
    sc = spark.sparkContext
    parts: list[RDD[Ingested]] = []
    local: list[tuple[int, str]] = []
    skipped: list[Ingested] = []
    number = 0
    for item in paths:
        raw = as_uri(str(item))
        base = number
        if _is_dataset(raw):
            rows = spark.read.parquet(raw).rdd.zipWithIndex()
            parts.append(
                rows.map(partial(_dataset_row, source=raw, number=base, settings=settings))
            )
            number += 1
        elif _has_scheme(raw):
            conf = sc._jsc.hadoopConfiguration()
            conf.set("mapreduce.input.fileinputformat.input.dir.recursive", "true")
            files: RDD[tuple[str, bytes]] = sc.binaryFiles(raw, partitions).sortByKey()
            numbered = files.zipWithIndex()
            parts.append(numbered.flatMap(partial(_read_bytes, base=base, settings=settings)))
            number += 1 << 40  # room for the numbering of this URI's files
        else:
            for path in _local_files(raw):
                for found in find_files([path]):
                    if found.error is not None:
                        skip = Skip(found.error.path, found.error.reason)
                        skipped.append(Ingested((number, 0), skip=skip))
                    else:
                        local.append((number, str(found.path)))
                    number += 1
    if local:
        slices = max(1, min(len(local), partitions))
        parts.append(sc.parallelize(local, slices).flatMap(lambda e: _read_local(e, settings)))
    if skipped:
        parts.append(sc.parallelize(skipped, 1))
    if not parts:
        return sc.emptyRDD()
    return sc.union(parts)

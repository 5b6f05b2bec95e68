"""Exports of a storyline database: JSON (``storyline/v1``), JSON Lines, Parquet tables."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any, TextIO

from storyline.errors import ConfigError, MissingDependencyError
from storyline.model import Claim, Mention, Quote, Sentence, Timex
from storyline.schema import article_v1, document
from storyline.store import Store

FORMATS = ("json", "jsonl", "parquet")


def articles_v1(store: Store) -> Iterator[dict[str, Any]]:
    links = store.article_links()
    for article in store.articles("ORDER BY published IS NULL, published, rowid"):
        story, duplicate_of = links.get(article.id, (None, None))
        yield article_v1(article, story, duplicate_of)


def build_document(store: Store) -> dict[str, Any]:
    """The whole database as one ``storyline/v1`` object."""
    return document(list(articles_v1(store)), store.story_reports())


def write_json(store: Store, out: TextIO) -> None:
    json.dump(build_document(store), out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(store: Store, out: TextIO) -> None:
    """One object per line: ``{"type": "article", ...}`` lines, then ``{"type": "story", ...}``."""
    for article in articles_v1(store):
        out.write(json.dumps({"type": "article", **article}, ensure_ascii=False) + "\n")
    for story in store.story_reports():
        out.write(json.dumps({"type": "story", **story}, ensure_ascii=False) + "\n")


_TABLES: dict[str, type[Any]] = {
    "sentences": Sentence,
    "mentions": Mention,
    "timexes": Timex,
    "quotes": Quote,
    "claims": Claim,
}


def write_parquet(store: Store, folder: Path) -> list[Path]:
    """One Parquet file per record type under ``folder``; returns the files written."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow is a core dependency
        raise MissingDependencyError("pyarrow", "core") from exc
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(name: str, rows: list[dict[str, Any]], columns: list[str]) -> None:
        table = (
            pa.Table.from_pylist(rows)
            if rows
            else pa.table({c: pa.array([], pa.string()) for c in columns})
        )
        path = folder / f"{name}.parquet"
        pq.write_table(table, path)
        written.append(path)

    articles = list(articles_v1(store))
    texts = {a.id: a.text for a in store.articles()}
    save("articles", [{**a, "text": texts[a["id"]]} for a in articles], ["id"])
    docs = list(store.annotated())
    for name, record_type in _TABLES.items():
        rows = [asdict(r) for d in docs for r in getattr(d, name)]
        save(name, rows, [f.name for f in fields(record_type)])
    stories = store.story_reports()
    save(
        "stories",
        [{**s, **{k: json.dumps(s[k], ensure_ascii=False) for k in _NESTED if k in s}}
         for s in stories],
        ["id"],
    )  # fmt: skip
    return written


_NESTED = ("summary", "timeline", "entities", "quotes", "claims", "conflicts", "reuse")


def export(store: Store, fmt: str, out: Path | None, stdout: TextIO | None = None) -> list[Path]:
    """Write ``fmt`` to ``out`` (a file; a folder for parquet) or, without ``out``, to
    ``stdout``."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        return write_parquet(store, out or Path("storyline-parquet"))
    writer = write_json if fmt == "json" else write_jsonl
    if out is None:
        if stdout is None:
            raise ConfigError("export needs a file to write to (--out) or standard output")
        writer(store, stdout)
        return []
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        writer(store, handle)
    return [out]

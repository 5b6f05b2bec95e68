"""Exports of a storyline database: JSON (``storyline/v1``), JSON Lines, Parquet tables.

Every export is canonical: articles by (published, id), stories newest first then by id, and
the lists inside a story in the order of ``storyline.schema.canonical_story``, so the same
articles give byte-identical output however (and in how many interrupted runs) they were
ingested. Files are written to a temporary name beside the target and renamed when complete,
so a failed export never leaves half a file; a folder or disk that cannot take the output is
an ``OutputError`` or ``DiskFullError`` naming the path (``writing``).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any, TextIO

from storyline.errors import ConfigError, DiskFullError, MissingDependencyError, OutputError
from storyline.model import Claim, Mention, Quote, Sentence, Timex
from storyline.schema import PAGE_ONLY, article_v1, canonical_stories, document
from storyline.store import Store

FORMATS = ("json", "jsonl", "parquet")
_ARTICLE_ORDER = "ORDER BY published IS NULL, published, id"
_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


@contextlib.contextmanager
def writing(path: Path | str, what: str = "the output") -> Iterator[None]:
    """Turn a failure to write ``path`` (a file, or a folder of outputs) into one clear
    error: ``DiskFullError`` when no space is left, ``OutputError`` otherwise."""
    try:
        yield
    except OSError as exc:
        named = exc.filename
        where = named if named and not str(named).endswith(".tmp") else path
        if exc.errno in _SPACE:
            raise DiskFullError(
                f"{where}: the disk is full (writing {what}): free some space and run the "
                "command again; the database is not affected"
            ) from exc
        if exc.errno == errno.EPIPE:
            raise OutputError(
                f"{where}: closed by the reader before {what} was complete (broken pipe)"
            ) from exc
        why = exc.strerror or str(exc)
        if exc.errno in (errno.EEXIST, errno.ENOTDIR):
            why = "a file is in the way: a part of that path is not a folder"
        raise OutputError(
            f"{where}: cannot write {what} ({why}): choose another --out, or make that "
            "folder writable"
        ) from exc


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[TextIO]:
    """A text file written under a temporary name beside ``path`` and renamed to ``path``
    only when complete; on any failure the temporary file is removed. A ``path`` that is a
    symlink or not a regular file (``/dev/stdout``, a pipe) is written in place."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        with path.open("w", encoding="utf-8") as direct:
            yield direct
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8") as handle:
            yield handle
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _discard(stream: TextIO) -> None:
    """Point ``stream``'s file descriptor at /dev/null, so the unwritable rest of its buffer
    does not fail again (with a traceback) when the interpreter flushes it at exit."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
    finally:
        os.close(null)


def articles_v1(store: Store) -> Iterator[dict[str, Any]]:
    """Every article as a v1 object; ``source`` is its outlet's name once it is filed under
    one (``storyline outlets``), else the source it was read with."""
    links = store.article_links()
    names = store.outlet_name_map()
    for article in store.articles(_ARTICLE_ORDER):
        story, duplicate_of = links.get(article.id, (None, None))
        shown = replace(article, source=names.get(article.id, article.source))
        yield article_v1(shown, story, duplicate_of)


def stories_v1(store: Store, articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored story objects in canonical order (``articles`` as ``articles_v1`` gives),
    without what is stored for the story page only."""
    stored = ({k: v for k, v in s.items() if k not in PAGE_ONLY} for s in store.story_reports())
    return canonical_stories(list(stored), articles)


def build_document(store: Store) -> dict[str, Any]:
    """The whole database as one ``storyline/v1`` object, in canonical order."""
    articles = list(articles_v1(store))
    return document(articles, stories_v1(store, articles))


def write_json(store: Store, out: TextIO) -> None:
    json.dump(build_document(store), out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(store: Store, out: TextIO) -> None:
    """One object per line: ``{"type": "article", ...}`` lines, then ``{"type": "story", ...}``."""
    articles = list(articles_v1(store))
    for article in articles:
        out.write(json.dumps({"type": "article", **article}, ensure_ascii=False) + "\n")
    for story in stories_v1(store, articles):
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
        temporary = folder / f".{name}.parquet.{os.getpid()}.tmp"
        try:
            pq.write_table(table, temporary)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                temporary.unlink()
        written.append(path)

    articles = list(articles_v1(store))
    texts = {a.id: a.text for a in store.articles()}
    save("articles", [{**a, "text": texts[a["id"]]} for a in articles], ["id"])
    docs = list(store.annotated(_ARTICLE_ORDER))
    for name, record_type in _TABLES.items():
        rows = [asdict(r) for d in docs for r in getattr(d, name)]
        save(name, rows, [f.name for f in fields(record_type)])
    stories = stories_v1(store, articles)
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
    ``stdout``. A target that cannot be written is an OutputError (DiskFullError when the
    disk is full); a failed export leaves no partial file."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        folder = out or Path("storyline-parquet")
        with writing(folder, "the Parquet export"):
            return write_parquet(store, folder)
    writer = write_json if fmt == "json" else write_jsonl
    if out is None:
        if stdout is None:
            raise ConfigError("export needs a file to write to (--out) or standard output")
        try:
            with writing("standard output", f"the {fmt.upper()} export"):
                writer(store, stdout)
                stdout.flush()
        except (DiskFullError, OutputError):
            _discard(stdout)
            raise
        return []
    with writing(out, f"the {fmt.upper()} export"), replacing(out) as handle:
        writer(store, handle)
    return [out]

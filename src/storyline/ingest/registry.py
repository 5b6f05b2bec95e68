"""The built-in readers, and finding the files of a set of paths.

A reader claims a file by its suffix. A file whose suffix no reader claims (archives of
SGML newswire name files ``APW19981016.0240`` or ``nyt_eng_200501``; saved pages end in
``.php`` or ``.asp``) is claimed by its first ``SNIFF_BYTES`` bytes when they show a format
(``sniffed``: SGML newswire or an HTML document), read only from a regular file
(``ingest.files.read_head``): anything else is left alone, as before.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from storyline.errors import InputError, NotFoundError
from storyline.ingest import feed, html, jsonl, sgml, text
from storyline.ingest.base import Reader
from storyline.ingest.normalize import display_path

READERS: tuple[Reader, ...] = (text.READER, html.READER, feed.READER, jsonl.READER, sgml.READER)

#: how many bytes of a file that no suffix claims are read to recognise its format
SNIFF_BYTES = 512


def reader_for(path: Path) -> Reader | None:
    """The reader that claims ``path`` by its suffix, or None for other files."""
    suffix = path.suffix.lower()
    for reader in READERS:
        if suffix in reader.suffixes:
            return reader
    return None


def sniffed(head: bytes) -> Reader | None:
    """The reader of a file whose suffix no reader claims, by its first bytes ``head``
    (after whitespace and a byte order mark): the SGML reader when they start with ``<DOC``,
    the HTML reader when they start an HTML document (``<!DOCTYPE html``, ``<html``), else
    None."""
    head = head[:SNIFF_BYTES]
    if sgml.looks_like_sgml(head):
        return sgml.READER
    return html.READER if html.looks_like_html(head) else None


def claim(path: Path) -> Reader | None:
    """The reader for the file ``path``: by its suffix, else by its first bytes when it is a
    regular file that can be read (at most ``SNIFF_BYTES``); None for other files."""
    reader = reader_for(path)
    if reader is not None:
        return reader
    from storyline.ingest.files import read_head  # ingest.files imports this module

    try:
        return sniffed(read_head(path, SNIFF_BYTES))
    except InputError:  # not a regular file, or unreadable: not claimed
        return None


@dataclass(frozen=True, slots=True)
class Found:
    """A file to read, or a path that could not be listed (``error`` set)."""

    path: Path
    reader: Reader | None = None
    error: InputError | None = None


def find_files(
    paths: Iterable[str | Path], unclaimed: Counter[str] | None = None
) -> Iterator[Found]:
    """Every file under ``paths`` that a reader claims (``claim``), in a stable order.

    Hidden files and folders are left out. A path that does not exist is a NotFoundError;
    a folder that cannot be listed is reported as a Found with an error. A path named
    directly that is not a folder is yielded whatever it is (a named pipe, say): reading
    it reports what it is. Names are not required to be UTF-8. The files of a folder that
    no reader claims are counted by suffix in ``unclaimed`` when it is given.
    """
    for raw in paths:
        root = Path(raw)
        if not root.exists():
            raise NotFoundError(f"{display_path(root)}: no such file or directory")
        if not root.is_dir():
            yield Found(root, claim(root))
            continue
        problems: list[OSError] = []
        for folder, dirs, files in os.walk(root, onerror=problems.append):
            yield from _unlisted(problems)
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                path = Path(folder) / name
                found = claim(path)
                if found is not None:
                    yield Found(path, found)
                elif unclaimed is not None:
                    unclaimed[path.suffix.lower() or "(no suffix)"] += 1
        yield from _unlisted(problems)


def _unlisted(problems: list[OSError]) -> Iterator[Found]:
    while problems:
        problem = problems.pop(0)
        where = display_path(str(problem.filename))
        reason = f"folder cannot be read ({problem.strerror or problem})"
        yield Found(Path(where), error=InputError(where, reason))

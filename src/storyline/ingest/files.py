"""Reading one input file (or bytes already in memory) into Articles with the right reader."""

from __future__ import annotations

from pathlib import Path

from storyline.config import Settings
from storyline.errors import InputError, TooLargeError
from storyline.ingest.base import Reader
from storyline.ingest.registry import READERS, reader_for
from storyline.model import Article


def reader_of(path: Path, where: str | None = None) -> Reader:
    """The reader for ``path`` by its suffix; an unsupported type is an InputError."""
    reader = reader_for(path)
    if reader is None:
        known = ", ".join(s for r in READERS for s in r.suffixes)
        raise InputError(
            where or str(path), f"unsupported file type {path.suffix!r} (known: {known})"
        )
    return reader


def check_size(size: int, where: str, settings: Settings) -> None:
    """A TooLargeError when ``size`` bytes are over the setting ``max_file_bytes``."""
    if size > settings.max_file_bytes:
        raise TooLargeError(
            where,
            f"file is {size:,} bytes, over the limit of {settings.max_file_bytes:,} "
            "(setting max_file_bytes)",
        )


def read_data(
    path: Path, data: bytes, settings: Settings, where: str | None = None
) -> list[Article | InputError]:
    """Articles (and per-entry errors) of a file's bytes already in memory; ``where`` names
    the file in errors (a URI, say) when ``path`` cannot."""
    reader = reader_of(path, where)
    check_size(len(data), where or str(path), settings)
    return list(reader.read(path, data, settings))


def read_file(path: Path, settings: Settings) -> list[Article | InputError]:
    """Articles (and per-entry errors) of one file; a whole-file problem raises InputError.
    The size is checked before the file is read."""
    reader = reader_of(path)
    try:
        check_size(path.stat().st_size, str(path), settings)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read file ({exc.strerror or exc})") from exc
    return list(reader.read(path, data, settings))

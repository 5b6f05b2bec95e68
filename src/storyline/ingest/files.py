"""Reading one input file (or bytes already in memory) into Articles with the right reader.

Only regular files are read (a symlink to one is followed): a named pipe, a device such
as ``/dev/zero``, a socket or a folder is skipped without being read, and a file is never
read past ``max_file_bytes`` + 1 bytes, however large it says it is or grows while read.
A file whose suffix no reader claims is read for its first ``SNIFF_BYTES`` bytes only
(``read_head``, the same checks) to see whether they show a format (``registry.sniffed``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from storyline.config import Settings
from storyline.errors import InputError, TooLargeError
from storyline.ingest.base import Reader
from storyline.ingest.normalize import display_path
from storyline.ingest.registry import READERS, SNIFF_BYTES, reader_for, sniffed
from storyline.model import Article

#: open without blocking (a FIFO with no writer) and without taking a terminal
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1 << 20

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def reader_of(path: Path, where: str | None = None, data: bytes | None = None) -> Reader:
    """The reader for ``path`` by its suffix, else by its first bytes (of ``data`` when the
    file is in memory, else read from the file); an unsupported type is an InputError."""
    reader = reader_for(path)
    if reader is None:
        head = data[:SNIFF_BYTES] if data is not None else read_head(path, SNIFF_BYTES)
        reader = sniffed(head)
    if reader is None:
        known = ", ".join(s for r in READERS for s in r.suffixes)
        raise InputError(
            where or display_path(path),
            f"unsupported file type {display_path(path.suffix)!r} (known: {known}; "
            "or SGML newswire, a file that starts with <DOC)",
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
    reader = reader_of(path, where, data)
    check_size(len(data), where or display_path(path), settings)
    return list(reader.read(path, data, settings))


def read_file(
    path: Path, settings: Settings, reader: Reader | None = None
) -> list[Article | InputError]:
    """Articles (and per-entry errors) of one file; a whole-file problem raises InputError.
    The file's type (``reader`` when the walk that found it already knows it) and size are
    checked before it is read, and the read is bounded."""
    reader = reader or reader_of(path)
    data = read_bounded(path, settings)
    return list(reader.read(path, data, settings))


def read_bounded(path: Path, settings: Settings) -> bytes:
    """The bytes of the regular file ``path``; an InputError for anything else, and a
    TooLargeError as soon as more than ``max_file_bytes`` can be read."""
    where = display_path(path)
    data = _read_regular(path, where, settings.max_file_bytes + 1, settings)
    if len(data) > settings.max_file_bytes:
        raise TooLargeError(
            where,
            f"file grew while read, over the limit of {settings.max_file_bytes:,} bytes "
            "(setting max_file_bytes)",
        )
    return data


def read_head(path: Path, limit: int = SNIFF_BYTES) -> bytes:
    """At most ``limit`` bytes from the start of the regular file ``path``, with the checks
    of ``read_bounded`` (a device or named pipe is never opened or read): an InputError for
    anything else."""
    return _read_regular(path, display_path(path), limit, None)


def _read_regular(path: Path, where: str, limit: int, settings: Settings | None) -> bytes:
    """At most ``limit`` bytes of the regular file ``path``: its kind is checked before it
    is opened (a device is never opened) and again on the opened file, which may differ;
    with ``settings``, its size too (``check_size``)."""
    try:
        _check_kind(os.stat(path).st_mode, where)
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise InputError(where, f"cannot read file ({exc.strerror or exc})") from exc
    try:
        info = os.fstat(fd)
        _check_kind(info.st_mode, where)
        if settings is not None:
            check_size(info.st_size, where, settings)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while size < limit and (chunk := os.read(fd, min(_CHUNK, limit - size))):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(where, f"cannot read file ({exc.strerror or exc})") from exc
    finally:
        os.close(fd)
    return b"".join(chunks)


def _check_kind(mode: int, where: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise InputError(where, f"not a regular file ({kind}): only regular files are read")

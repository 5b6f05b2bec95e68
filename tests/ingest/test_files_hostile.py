"""Only regular files are read, never past max_file_bytes, and file names that are not
UTF-8 are stored and shown with replacement characters (issue 20)."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.errors import InputError, TooLargeError
from storyline.ingest.files import read_bounded
from storyline.pipeline import IngestReport, ingest, read_file
from storyline.store import Store

IngestFolder = Callable[[Path, Settings], tuple[IngestReport, list[dict[str, object]]]]
Deadline = Callable[[int], AbstractContextManager[None]]

GOOD = "The council approved the new budget on Monday after a long debate, officials said."


def skipped(report: IngestReport) -> dict[str, str]:
    return {Path(s.path).name: s.reason for s in report.skipped}


def test_fifo_and_devices_in_the_folder_are_skipped_without_reading(
    inbox: Path, settings: Settings, ingest_folder: IngestFolder
) -> None:
    (inbox / "good.txt").write_text(GOOD)
    os.mkfifo(inbox / "pipe.txt")  # no writer: opening it for reading would block forever
    os.mkfifo(inbox / "pipe.jsonl")
    (inbox / "zero.txt").symlink_to("/dev/zero")  # endless NUL bytes
    (inbox / "random.xml").symlink_to("/dev/urandom")  # endless random bytes
    (inbox / "null.html").symlink_to("/dev/null")
    report, stored = ingest_folder(inbox, settings)  # within a deadline of 60 s
    assert [row["text"] for row in stored] == [GOOD]
    assert skipped(report) == {
        "pipe.txt": "not a regular file (a named pipe (FIFO)): only regular files are read",
        "pipe.jsonl": "not a regular file (a named pipe (FIFO)): only regular files are read",
        "zero.txt": "not a regular file (a character device): only regular files are read",
        "random.xml": "not a regular file (a character device): only regular files are read",
        "null.html": "not a regular file (a character device): only regular files are read",
    }


def test_a_fifo_named_directly_is_skipped(
    tmp_path: Path, settings: Settings, deadline: Deadline
) -> None:
    fifo = tmp_path / "named.jsonl"
    os.mkfifo(fifo)
    with deadline(10), pytest.raises(InputError, match="named pipe"):
        read_file(fifo, settings)
    with Store(settings.db) as store, deadline(10):
        report = ingest([fifo], store, settings)
    assert [s.reason for s in report.skipped] == [
        "not a regular file (a named pipe (FIFO)): only regular files are read"
    ]


def test_symlinks_to_regular_files_still_work(
    inbox: Path, tmp_path: Path, settings: Settings, ingest_folder: IngestFolder
) -> None:
    target = tmp_path / "elsewhere" / "story.txt"
    target.parent.mkdir()
    target.write_text(GOOD)
    (inbox / "link.txt").symlink_to(target)
    report, stored = ingest_folder(inbox, settings)
    assert report.skipped == []
    assert [(Path(str(row["path"])).name, row["text"]) for row in stored] == [("link.txt", GOOD)]


def test_size_is_checked_before_reading_and_the_read_is_bounded(
    tmp_path: Path, settings: Settings
) -> None:
    sparse = tmp_path / "sparse.txt"
    with sparse.open("wb") as handle:
        handle.truncate(5_000_000_000)  # 5 GB that take no disk space
    with pytest.raises(TooLargeError, match="file is 5,000,000,000 bytes, over the limit"):
        read_bounded(sparse, settings)
    exact = tmp_path / "exact.txt"
    exact.write_bytes(b"x" * 1_000)
    assert len(read_bounded(exact, settings.with_(max_file_bytes=1_000))) == 1_000
    with pytest.raises(TooLargeError, match="file is 1,000 bytes, over the limit of 999"):
        read_bounded(exact, settings.with_(max_file_bytes=999))


def test_a_file_longer_than_its_size_says_is_read_only_to_the_limit(
    tmp_path: Path, settings: Settings
) -> None:
    # /proc files are regular files of size 0 whatever they hold: only the bounded read
    # stops them (a file that grows while read is the same case)
    maps = tmp_path / "maps.txt"
    maps.symlink_to("/proc/self/maps")
    assert os.stat(maps).st_size == 0
    with pytest.raises(TooLargeError, match="file grew while read, over the limit of 100"):
        read_bounded(maps, settings.with_(max_file_bytes=100))


def test_file_names_that_are_not_utf8_are_stored_with_replacement_characters(
    inbox: Path, settings: Settings, ingest_folder: IngestFolder
) -> None:
    folder = os.fsencode(inbox) + b"/r\xe9daction"  # a Latin-1 folder name
    os.mkdir(folder)
    with open(folder + b"/caf\xff\xfe.txt", "wb") as handle:
        handle.write(GOOD.encode())
    with open(folder + b"/bad\xff.jsonl", "wb") as handle:
        handle.write(b'{"text": 1}\n')
    with open(os.fsencode(inbox) + b"/empty\xfe.txt", "wb"):
        pass
    report, stored = ingest_folder(inbox, settings)
    [row] = stored
    assert row["text"] == GOOD
    assert str(row["path"]).endswith("/r\ufffddaction/caf\ufffd\ufffd.txt")
    assert skipped(report) == {
        "bad\ufffd.jsonl:1": "field 'text' must be a string, not a number",
        "empty\ufffd.txt": "empty file",
    }
    for skip in report.skipped:
        skip.path.encode("utf-8")  # printable and storable: no surrogate escapes left
    with Store(settings.db) as store:
        [article] = store.articles()
    assert article.source == "r\ufffddaction"


def test_a_path_named_directly_that_is_not_utf8(
    tmp_path: Path, settings: Settings, ingest_folder: IngestFolder
) -> None:
    raw = os.fsencode(tmp_path) + b"/\xff\xfe.txt"
    with open(raw, "wb") as handle:
        handle.write(GOOD.encode())
    report, stored = ingest_folder(Path(os.fsdecode(raw)), settings)
    assert report.added == 1 and stored[0]["path"] == f"{tmp_path}/\ufffd\ufffd.txt"


def test_a_feed_file_holding_a_path_does_not_read_that_path(
    inbox: Path, fixtures: Path, settings: Settings, ingest_folder: IngestFolder
) -> None:
    # feedparser takes a byte string for a file name when such a file exists
    (inbox / "trap.xml").write_text(str(fixtures / "feed.xml"))
    (inbox / "zero.rss").write_text("/dev/zero")
    report, stored = ingest_folder(inbox, settings)
    assert stored == []
    reasons = skipped(report)
    assert set(reasons) == {"trap.xml", "zero.rss"}
    assert all(r.startswith("malformed feed") for r in reasons.values())


def test_symlink_loops_and_links_to_folders(
    inbox: Path, tmp_path: Path, settings: Settings, ingest_folder: IngestFolder
) -> None:
    (inbox / "a.txt").symlink_to(inbox / "b.txt")
    (inbox / "b.txt").symlink_to(inbox / "a.txt")
    (inbox / "good.txt").write_text(GOOD)
    (tmp_path / "folder.txt").mkdir()
    (inbox / "folder.txt").symlink_to(tmp_path / "folder.txt")  # a folder: not walked into
    report, stored = ingest_folder(inbox, settings)
    assert [row["text"] for row in stored] == [GOOD]
    reasons = skipped(report)
    assert set(reasons) == {"a.txt", "b.txt"}
    assert all(r.startswith("cannot read file (Too many levels of symbolic links") for r in
               reasons.values())  # fmt: skip

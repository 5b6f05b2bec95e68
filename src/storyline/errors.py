"""storyline's exceptions.

Hierarchy, with the exit code of the ``storyline`` command (``InputError``s are skipped with
their reason and counted; they never end a run)::

                                   exit
    StorylineError                   1  base of every error storyline raises on purpose
    ├── ConfigError                  2  an unknown setting or a setting with a bad value
    ├── QueryError                   2  a search over search_max_chars / search_max_terms
    ├── InputError                   -  one input file (or entry) cannot be read; carries the path
    │   ├── EmptyInputError             the file holds no text
    │   ├── TooLargeError               the file is over ``max_file_bytes``
    │   ├── DecodeError                 binary data or text that cannot be decoded
    │   └── ParseError                  the format is broken (feed, JSONL line, HTML, date header)
    ├── StoreError                   3  the SQLite database is unusable
    │   ├── RebuildNeededError       7  the stories were built with other settings: rebuild them
    │   ├── ReadOnlyStoreError      10  cannot be written or created: a read-only file, folder or
    │   │                               file system, no permission, a folder that cannot be made
    │   ├── DamagedStoreError       11  truncated or corrupted: restore a backup or rebuild it
    │   ├── NotAStoreError          12  not an SQLite file, or SQLite without storyline's tables
    │   ├── SchemaVersionError      13  written by a newer storyline (or, read-only, an older one)
    │   └── LockedStoreError        14  another process held a lock for over db_busy_timeout
    ├── DiskFullError               15  no space left writing the database or an output
    ├── OutputError                 16  an output file or folder (--out) cannot be written
    ├── FetchError                   6  one URL could not be fetched (network, HTTP status, size,
    │   │                               redirects, a malformed response); carries the URL
    │   ├── BlockedError                a URL refused on purpose: not http(s), a private address
    │   │                               named inside a feed, or disallowed by robots.txt
    │   └── StoppedError                the request was not made because the watcher is stopping
    ├── NotFoundError                4  an id or path the user named does not exist
    └── MissingDependencyError       5  an optional extra (spark, embeddings, browser) is missing

The CLI turns a ``StorylineError`` into one line on stderr and a non-zero exit code. Every
message says what was wrong with which input and, where it helps, what to do.
Interrupted commands exit with 130. Database errors name the database file, output errors
the file or folder written; ``Store`` turns SQLite's and the file system's failures into the
classes above (``storyline.store.failures``), so no ``sqlite3`` or ``OSError`` traceback
reaches the user for a read-only, full, damaged or locked database.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base class of storyline's errors."""

    exit_code = 1


class ConfigError(StorylineError):
    exit_code = 2


class InputError(StorylineError):
    """A single input cannot be used. The run skips it, counts it and goes on."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class EmptyInputError(InputError):
    pass


class TooLargeError(InputError):
    pass


class DecodeError(InputError):
    pass


class ParseError(InputError):
    pass


class StoreError(StorylineError):
    exit_code = 3


class RebuildNeededError(StoreError):
    """The stored link state was built with other result settings (or an older storyline):
    ``storyline rebuild`` recomputes it."""

    exit_code = 7


class FetchError(StorylineError):
    """One URL could not be fetched. ``transient`` says whether trying again later may help
    (timeouts, 429, 5xx); ``status`` is the HTTP status when there was one, ``retry_after``
    the seconds the server asked to wait. The watcher records the reason and goes on."""

    exit_code = 6

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        transient: bool = False,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.transient = transient
        self.status = status
        self.retry_after = retry_after


class BlockedError(FetchError):
    pass


class StoppedError(FetchError):
    pass


class ReadOnlyStoreError(StoreError):
    """The database cannot be written (or created): a read-only file, folder or file system,
    missing permission, or a folder for it that cannot be made."""

    exit_code = 10


class DamagedStoreError(StoreError):
    """The database file is truncated or corrupted."""

    exit_code = 11


class NotAStoreError(StoreError):
    """The file is not an SQLite database, or an SQLite database of some other program."""

    exit_code = 12


class SchemaVersionError(StoreError):
    """The database was written by a newer storyline (or, opened read-only, an older one)."""

    exit_code = 13


class LockedStoreError(StoreError):
    """Another process kept the database locked for longer than ``db_busy_timeout``."""

    exit_code = 14


class DiskFullError(StorylineError):
    """No space was left while writing the database or an output file."""

    exit_code = 15


class OutputError(StorylineError):
    """An output file or folder (``--out``, an export path) cannot be written."""

    exit_code = 16


class QueryError(StorylineError):
    """A search query over the limits (``search_max_terms``, ``search_max_chars``)."""

    exit_code = 2


class NotFoundError(StorylineError):
    exit_code = 4


class MissingDependencyError(StorylineError):
    exit_code = 5

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"{package} is not installed: install it with `pip install 'storyline[{extra}]'`"
        )

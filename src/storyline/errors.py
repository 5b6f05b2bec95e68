"""storyline's exceptions.

Hierarchy::

    StorylineError                 base of every error storyline raises on purpose
    ├── ConfigError                an unknown setting or a setting with a bad value
    ├── InputError                 one input file (or entry) cannot be read; carries the path
    │   ├── EmptyInputError        the file holds no text
    │   ├── TooLargeError          the file is over ``max_file_bytes``
    │   ├── DecodeError            binary data or text that cannot be decoded
    │   └── ParseError             the format is broken (feed, JSONL line, HTML, date header)
    ├── StoreError                 the SQLite database is unusable (not a storyline db, too new)
    ├── NotFoundError              an id or path the user named does not exist
    └── MissingDependencyError     an optional extra (spark, embeddings, browser) is not installed

The CLI turns a ``StorylineError`` into one line on stderr and a non-zero exit code. Every
message says what was wrong with which input and, where it helps, what to do.
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


class NotFoundError(StorylineError):
    exit_code = 4


class MissingDependencyError(StorylineError):
    exit_code = 5

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"{package} is not installed: install it with `pip install 'storyline[{extra}]'`"
        )

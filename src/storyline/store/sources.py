"""Live sources followed by ``storyline watch``: their state, the entries and pages they
gave, article versions and polls.

A source is a feed, a sitemap, an OPML file or a folder, named by its URL (or resolved path).
Its state says when it was last polled, when that last worked, the last error with its reason,
the validators for conditional GET (ETag, Last-Modified), and how many articles it added.
Entries are what the source listed (feed entries by guid or link, sitemap URLs, files of a
folder) with a digest of what they said, so an unchanged entry costs nothing, an updated one is
stored as a new version linked to the old article (``article_versions``), and a page that
failed for a passing reason is tried again. ``pages`` maps every URL an article page was
known by (the link, where redirects led, the canonical URL) to its article, so the page is
not fetched again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storyline.store.db import Connection, _now

#: entry states: an article is stored for it; it was skipped for good (reason says why);
#: its page failed for a passing reason and is tried again by a later poll
STORED, SKIPPED, FAILED = "stored", "skipped", "failed"


@dataclass(frozen=True, slots=True)
class SourceState:
    """What the store knows of one source. Times are ISO 8601 strings (UTC)."""

    url: str
    kind: str
    title: str | None = None
    listed_in: str | None = None
    last_poll: str | None = None
    last_success: str | None = None
    last_status: int | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    failures: int = 0
    not_before: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    articles_added: int = 0
    polls: int = 0

    @property
    def failing(self) -> bool:
        return self.failures > 0


@dataclass(frozen=True, slots=True)
class SourcePoll:
    """The outcome of polling one source once. ``validators`` (ETag, Last-Modified) replace
    the stored ones when given; None keeps them (a 304, or a poll that left work undone)."""

    url: str
    kind: str
    ok: bool
    title: str | None = None
    listed_in: str | None = None
    status: int | None = None
    error: str | None = None
    validators: tuple[str | None, str | None] | None = None
    added: int = 0
    not_before: str | None = None


@dataclass(frozen=True, slots=True)
class EntryState:
    """One entry a source listed: ``key`` is its guid (else its link, else a digest of its
    text); ``digest`` what it said the last time; ``page`` the article page to fetch."""

    source: str
    key: str
    digest: str
    state: str
    article: str | None = None
    page: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    reason: str | None = None
    attempts: int = 0


@dataclass(frozen=True, slots=True)
class PollTotals:
    sources: int
    failed: int
    added: int
    requests: int
    bytes: int


@dataclass(frozen=True, slots=True)
class PollRecord:
    started: str
    finished: str
    totals: PollTotals


_SOURCE_COLUMNS = (
    "url, kind, title, listed_in, last_poll, last_success, last_status, last_error,"
    " last_error_at, failures, not_before, etag, last_modified, articles_added, polls"
)
_ENTRY_COLUMNS = (
    "source, key, digest, state, article, page, title, outlet, published, reason, attempts"
)


class Sources(Connection):
    # -- sources ----------------------------------------------------------------------
    def source_state(self, url: str) -> SourceState | None:
        row = self.db.execute(
            f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE url = ?", (url,)
        ).fetchone()
        return SourceState(*row) if row else None

    def source_states(self) -> list[SourceState]:
        """Every source, failing ones first, then by URL."""
        rows = self.db.execute(
            f"SELECT {_SOURCE_COLUMNS} FROM sources ORDER BY failures = 0, listed_in IS NOT NULL,"
            " url"
        )
        return [SourceState(*row) for row in rows]

    def sources_listed_in(self, parent: str) -> list[SourceState]:
        """The sources a sitemap index (or OPML file) listed when it was last read."""
        rows = self.db.execute(
            f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE listed_in = ? ORDER BY url", (parent,)
        )
        return [SourceState(*row) for row in rows]

    def record_source_poll(self, poll: SourcePoll) -> None:
        """Record one poll of a source (created on its first poll)."""
        now = _now()
        with self.transaction():
            self.db.execute(
                "INSERT INTO sources(url, kind, title, listed_in) VALUES (?,?,?,?)"
                " ON CONFLICT(url) DO UPDATE SET kind = excluded.kind,"
                " title = coalesce(excluded.title, title),"
                " listed_in = coalesce(excluded.listed_in, listed_in)",
                (poll.url, poll.kind, poll.title, poll.listed_in),
            )
            self.db.execute(
                "UPDATE sources SET last_poll = ?, polls = polls + 1, last_status = ?,"
                " articles_added = articles_added + ?, not_before = ? WHERE url = ?",
                (now, poll.status, poll.added, poll.not_before, poll.url),
            )
            if poll.ok:
                self.db.execute(
                    "UPDATE sources SET last_success = ?, failures = 0 WHERE url = ?",
                    (now, poll.url),
                )
            else:
                self.db.execute(
                    "UPDATE sources SET last_error = ?, last_error_at = ?,"
                    " failures = failures + 1 WHERE url = ?",
                    (poll.error or "unknown error", now, poll.url),
                )
            if poll.validators is not None:
                self.db.execute(
                    "UPDATE sources SET etag = ?, last_modified = ? WHERE url = ?",
                    (*poll.validators, poll.url),
                )

    # -- entries ----------------------------------------------------------------------
    def source_entries(self, source: str) -> dict[str, EntryState]:
        rows = self.db.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM source_entries WHERE source = ?", (source,)
        )
        return {row[1]: EntryState(*row) for row in rows}

    def failed_entries(self, source: str) -> list[EntryState]:
        """Entries of ``source`` whose page is to be tried again."""
        rows = self.db.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM source_entries WHERE source = ? AND state = ?"
            " ORDER BY seen_at, key",
            (source, FAILED),
        )
        return [EntryState(*row) for row in rows]

    def record_entry(
        self, entry: EntryState, pages: Sequence[str] = (), previous: str | None = None
    ) -> None:
        """Save ``entry`` (its source row must exist or is created); map ``pages`` (URLs) to
        its article; record its article as a new version of ``previous``."""
        with self.transaction():
            self.db.execute(
                "INSERT OR IGNORE INTO sources(url, kind) VALUES (?, 'feed')", (entry.source,)
            )
            self.db.execute(
                f"INSERT OR REPLACE INTO source_entries({_ENTRY_COLUMNS}, seen_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    entry.source, entry.key, entry.digest, entry.state, entry.article,
                    entry.page, entry.title, entry.outlet, entry.published, entry.reason,
                    entry.attempts, _now(),
                ),
            )  # fmt: skip
            if entry.article is not None:
                self.db.executemany(
                    "INSERT OR REPLACE INTO pages(url, article, fetched_at) VALUES (?,?,?)",
                    [(url, entry.article, _now()) for url in dict.fromkeys(pages)],
                )
                if previous is not None and previous != entry.article:
                    self.db.execute(
                        "INSERT OR IGNORE INTO article_versions(article, previous, source,"
                        " entry, recorded_at) VALUES (?,?,?,?,?)",
                        (entry.article, previous, entry.source, entry.key, _now()),
                    )

    def page_article(self, url: str) -> str | None:
        """The article already stored for a page known by ``url`` (a link, a redirect
        target or a canonical URL, or an article's own URL), or None."""
        row = self.db.execute("SELECT article FROM pages WHERE url = ?", (url,)).fetchone()
        if row is None:
            row = self.db.execute(
                "SELECT id FROM articles WHERE url = ? LIMIT 1", (url,)
            ).fetchone()
        return str(row[0]) if row else None

    def article_versions(self, article: str) -> list[str]:
        """``article`` and its earlier versions, newest first."""
        chain = [article]
        while len(chain) < 1000:
            row = self.db.execute(
                "SELECT previous FROM article_versions WHERE article = ?", (chain[-1],)
            ).fetchone()
            if row is None or row[0] in chain:
                break
            chain.append(str(row[0]))
        return chain

    # -- polls ------------------------------------------------------------------------
    def start_poll(self) -> int:
        with self.transaction():
            cursor = self.db.execute("INSERT INTO polls(started) VALUES (?)", (_now(),))
        return int(cursor.lastrowid or 0)

    def finish_poll(self, poll: int, totals: PollTotals) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE polls SET finished = ?, sources = ?, failed = ?, added = ?,"
                " requests = ?, bytes = ? WHERE id = ?",
                (_now(), totals.sources, totals.failed, totals.added, totals.requests,
                 totals.bytes, poll),
            )  # fmt: skip

    def last_poll(self) -> PollRecord | None:
        """The latest finished poll, or None."""
        row = self.db.execute(
            "SELECT started, finished, sources, failed, added, requests, bytes FROM polls"
            " WHERE finished IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return PollRecord(row[0], row[1], PollTotals(*row[2:])) if row else None

"""One poll of the URL sources (feeds and sitemaps), with their state in the store.

1. Every source that is due (not deferred by a Retry-After) is fetched with a conditional GET
   (its stored ETag / Last-Modified), several hosts at a time (``fetch_workers``) and one
   request at a time per host. An unchanged source costs one 304.
2. Each answer is read in the main thread: a feed's entries, a sitemap's URLs, a sitemap
   index's child sitemaps (fetched in a next round). An entry that is unchanged since the
   last poll (same guid or link, same digest) costs nothing; a full-text entry is stored
   directly; a teaser or a sitemap URL becomes a page to fetch unless that page is stored.
3. The pages are fetched (``pages.fetch_page``) and stored (``pages.store_page``).
4. Every polled source's state is recorded: when, the status, the error with its reason,
   the new validators (kept as they were when work is left for the next poll, so that the
   next poll reads the source in full again), articles added.

A source that fails is recorded with its reason and never stops the others: every error of
one source, even an unexpected one, ends as its ``last_error``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from storyline.config import Settings
from storyline.errors import FetchError, InputError, StoppedError
from storyline.fetch.client import Fetched, Fetcher, Validators
from storyline.fetch.documents import is_sitemap, outlet_of, parse_feed, parse_sitemap
from storyline.fetch.pages import (
    PageJob,
    PageResult,
    Stored,
    entry_of,
    fetch_page,
    skip_entry,
    store_article,
    store_known,
    store_page,
)
from storyline.fetch.safety import link_policy
from storyline.fetch.sources import FEED, SITEMAP, Source
from storyline.store import Store
from storyline.store.sources import FAILED, EntryState, SourcePoll, SourceState

#: outcomes of one source in one poll
NEW, UNCHANGED, FAILING, DEFERRED, STOPPED = "new", "unchanged", "failed", "deferred", "stopped"
MAX_DEPTH = 2  # sitemap index -> sitemaps -> (an index of indexes) sitemaps

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class SourceResult:
    """What one poll did for one source."""

    url: str
    kind: str
    outcome: str
    added: int = 0
    updated: int = 0
    pages: int = 0
    skipped: int = 0
    error: str | None = None
    listed_in: str | None = None


@dataclass(slots=True)
class _Work:
    """One source during a poll (main thread, except ``fetched``/``error`` set by a worker)."""

    source: Source
    state: SourceState | None
    kind: str = ""
    fetched: Fetched | None = None
    error: FetchError | None = None
    problem: str | None = None
    title: str | None = None
    jobs: list[PageJob] = field(default_factory=list)
    children: list[Source] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    pages: int = 0
    skipped: int = 0
    leftover: bool = False

    def count(self, stored: Stored) -> None:
        self.added += stored.added
        self.updated += stored.updated
        self.skipped += stored.skipped
        self.leftover = self.leftover or stored.unfinished


def run_all(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``function`` over ``items`` on up to ``workers`` threads, results in order."""
    if workers <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(min(workers, len(items)), thread_name_prefix="fetch") as pool:
        return list(pool.map(function, items))


def poll_urls(
    sources: Sequence[Source], store: Store, settings: Settings, fetcher: Fetcher
) -> list[SourceResult]:
    """Poll ``sources`` once (see the module doc); one result per source polled or due."""
    results: list[SourceResult] = []
    done: list[_Work] = []
    seen: set[str] = set()
    todo = [_Work(s, store.source_state(s.url)) for s in sources]
    for _depth in range(MAX_DEPTH + 1):
        due = []
        for work in todo:
            if work.source.url in seen:
                continue
            seen.add(work.source.url)
            if work.state is not None and _deferred(work.state):
                until = f"deferred until {work.state.not_before}"
                results.append(_result(work, DEFERRED, until))
            else:
                due.append(work)
        run_all(lambda w: _fetch_document(w, fetcher), due, settings.fetch_workers)
        todo = []
        for work in due:
            _read(work, store, settings)
            todo += [_Work(c, store.source_state(c.url)) for c in work.children]
        done += due
        if not todo:
            break
    jobs = [job for work in done for job in work.jobs]
    by_source = {work.source.url: work for work in done}
    for result in _fetch_pages(jobs, fetcher, settings):
        work = by_source[result.job.source]
        work.pages += result.article is not None or result.error is not None
        work.count(_store_safely(result, store, settings, work))
    for work in done:
        results.append(_finish(work, store, settings))
    return results


def _deferred(state: SourceState) -> bool:
    if not state.not_before:
        return False
    try:
        return datetime.fromisoformat(state.not_before) > datetime.now(UTC)
    except ValueError:
        return False


def _fetch_document(work: _Work, fetcher: Fetcher) -> None:
    state = work.state
    validators = Validators(state.etag, state.last_modified) if state else None
    try:
        work.fetched = fetcher.get(
            work.source.url, policy=work.source.policy, validators=validators, purpose="feed"
        )
    except FetchError as exc:
        work.error = exc
    except Exception as exc:  # a broken server must not stop the poll
        reason = f"unexpected error ({type(exc).__name__}: {exc})"
        work.error = FetchError(work.source.url, reason)


def _read(work: _Work, store: Store, settings: Settings) -> None:
    """Read one fetched document: store full-text entries, plan pages, list children."""
    work.kind = work.state.kind if work.state and work.source.kind == "url" else work.source.kind
    fetched = work.fetched
    if fetched is None:
        return
    try:
        if fetched.not_modified:
            if work.kind == SITEMAP:
                policy = link_policy(work.source.url, settings)
                work.children = [Source(s.url, SITEMAP, work.source.url, s.title, policy)
                                 for s in store.sources_listed_in(work.source.url)]  # fmt: skip
        elif is_sitemap(fetched.body):
            work.kind = SITEMAP
            _read_sitemap(work, fetched, store, settings)
        else:
            work.kind = FEED
            _read_feed(work, fetched, store, settings)
        _retry_failed(work, store, settings)
    except InputError as exc:
        work.problem = exc.reason
    except FetchError as exc:
        work.problem = exc.reason
    except Exception as exc:  # one broken document must not stop the poll
        work.problem = f"unexpected error ({type(exc).__name__}: {exc})"
    if work.kind == "url":
        work.kind = FEED


def _read_feed(work: _Work, fetched: Fetched, store: Store, settings: Settings) -> None:
    doc = parse_feed(work.source.url, fetched.body, settings)
    work.title = doc.title
    outlet = outlet_of(work.source.url, doc.title)
    known = store.source_entries(work.source.url)
    policy = link_policy(fetched.final_url, settings)
    for item in doc.entries:
        prev = known.get(item.key)
        if prev is not None and prev.digest == item.digest and prev.state != FAILED:
            continue
        previous = prev.article if prev else None
        published = item.published.isoformat() if item.published else None
        entry = EntryState(work.source.url, item.key, item.digest, FAILED, previous, item.link,
                           item.title, outlet, published)  # fmt: skip
        teaser = item.article is None or item.chars < settings.teaser_chars
        if item.article is not None and (not teaser or item.link is None):
            pages = [item.link] if item.link else []
            work.count(store_article(store, entry, item.article, previous, pages))
        elif item.link is None:
            what = (
                f"its link {item.raw_link[:200]!r} is not http(s)" if item.raw_link else "no link"
            )
            work.count(skip_entry(store, entry, f"{item.problem or 'no text'}, and {what}"))
        else:
            attempts = prev.attempts if prev and prev.state == FAILED else 0
            job = PageJob(work.source.url, item.key, item.digest, item.link, policy,
                          item.title, outlet, item.published, item.index, previous,
                          attempts)  # fmt: skip
            _plan(work, job, store, settings, updated=prev is not None)


def _read_sitemap(work: _Work, fetched: Fetched, store: Store, settings: Settings) -> None:
    doc = parse_sitemap(work.source.url, fetched.body, settings)
    policy = link_policy(fetched.final_url, settings)
    for child in doc.sitemaps[: settings.fetch_pages_per_source]:
        work.children.append(Source(child, SITEMAP, work.source.url, None, policy))
    known = store.source_entries(work.source.url)
    for item in doc.urls:
        prev = known.get(item.loc)
        if prev is not None and prev.digest == item.digest and prev.state != FAILED:
            continue
        attempts = prev.attempts if prev and prev.state == FAILED else 0
        job = PageJob(work.source.url, item.loc, item.digest, item.loc, policy, item.title,
                      item.outlet, item.published, None, prev.article if prev else None,
                      attempts)  # fmt: skip
        _plan(work, job, store, settings, updated=prev is not None)


def _plan(work: _Work, job: PageJob, store: Store, settings: Settings, *, updated: bool) -> None:
    """Fetch ``job``'s page, unless it is stored already (a new entry only: an updated
    entry's page is fetched again) or this source has had its pages for this poll."""
    if not updated:
        known = store.page_article(job.url)
        if known is not None:
            work.count(store_known(store, entry_of(job), known, [job.url]))
            return
    if len(work.jobs) >= settings.fetch_pages_per_source:
        work.leftover = True
        return
    if all(j.key != job.key for j in work.jobs):
        work.jobs.append(job)


def _retry_failed(work: _Work, store: Store, settings: Settings) -> None:
    """Pages of this source that failed for a passing reason in an earlier poll."""
    planned = {job.key for job in work.jobs}
    policy = None
    for entry in store.failed_entries(work.source.url):
        if entry.key in planned or not entry.page:
            continue
        if len(work.jobs) >= settings.fetch_pages_per_source:
            work.leftover = True
            return
        policy = policy or link_policy(work.source.url, settings)
        published = datetime.fromisoformat(entry.published).date() if entry.published else None
        work.jobs.append(PageJob(work.source.url, entry.key, entry.digest, entry.page, policy,
                                 entry.title, entry.outlet, published, None, entry.article,
                                 entry.attempts))  # fmt: skip


def _fetch_pages(jobs: list[PageJob], fetcher: Fetcher, settings: Settings) -> list[PageResult]:
    """Each distinct page once (two feeds may list the same link in one poll)."""
    first: dict[str, PageJob] = {}
    for job in jobs:
        first.setdefault(job.url, job)
    unique = list(first.values())
    fetched = run_all(lambda j: fetch_page(j, fetcher, settings), unique, settings.fetch_workers)
    by_url = {result.job.url: result for result in fetched}
    return [replace_job(by_url[job.url], job) for job in jobs]


def replace_job(result: PageResult, job: PageJob) -> PageResult:
    return result if result.job is job else replace(result, job=job)


def _store_safely(result: PageResult, store: Store, settings: Settings, work: _Work) -> Stored:
    try:
        return store_page(result, store, settings)
    except InputError as exc:
        return skip_entry(store, entry_of(result.job), exc.reason)


def _finish(work: _Work, store: Store, settings: Settings) -> SourceResult:
    """Record the poll of one source and say what it did."""
    source, fetched, error = work.source, work.fetched, work.error
    kind = work.kind or (work.state.kind if work.state else source.kind)
    if isinstance(error, StoppedError):
        return _result(work, STOPPED, None)
    if error is not None:
        not_before = None
        if error.retry_after:
            wait = min(error.retry_after, 7 * 24 * 3600.0)
            not_before = (datetime.now(UTC) + timedelta(seconds=wait)).isoformat(timespec="seconds")
        store.record_source_poll(SourcePoll(source.url, kind, False, source.title,
                                            source.listed_in, error.status, error.reason,
                                            None, 0, not_before))  # fmt: skip
        return _result(work, FAILING, error.reason)
    assert fetched is not None
    ok = work.problem is None
    validators = None
    if fetched.status != 304 and ok and not work.leftover:
        validators = (fetched.etag, fetched.last_modified)
    store.record_source_poll(
        SourcePoll(source.url, kind, ok, work.title or source.title, source.listed_in,
                   fetched.status, work.problem, validators, work.added)
    )  # fmt: skip
    if not ok:
        return _result(work, FAILING, work.problem)
    changed = work.added or work.updated
    return _result(work, NEW if changed else UNCHANGED, None)


def _result(work: _Work, outcome: str, error: str | None) -> SourceResult:
    kind = work.kind or (work.state.kind if work.state else work.source.kind)
    return SourceResult(work.source.url, kind, outcome, work.added, work.updated, work.pages,
                        work.skipped, error, work.source.listed_in)  # fmt: skip

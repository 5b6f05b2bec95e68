"""Article pages: a feed entry that is only a teaser, or a URL a sitemap lists.

``plan_page`` decides in the main thread whether a page is to be fetched at all: a page
already stored (its link, a redirect target or its canonical URL is known, or an article has
that URL) is not fetched again. ``fetch_page`` runs in a worker thread: address checks,
robots.txt, the request, extraction with trafilatura (the HTML reader). ``store_page``
stores the result in the main thread: the article keeps the feed's title, outlet and
published time when the feed had them and the page's canonical URL; a page whose canonical
URL or text is already stored is not stored again; an updated entry's new text becomes a new
version linked to the old article. A page that failed for a passing reason is tried again by
later polls (``fetch_page_attempts``); any other failure skips the entry with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from storyline.config import Settings
from storyline.errors import FetchError, InputError, StoppedError
from storyline.fetch.client import Fetcher
from storyline.fetch.documents import is_html, page_article
from storyline.fetch.safety import Policy, check_url
from storyline.model import Article
from storyline.store import Store
from storyline.store.sources import FAILED, SKIPPED, STORED, EntryState


@dataclass(frozen=True, slots=True)
class PageJob:
    """A page to fetch for one entry of one source. ``previous`` is the entry's article
    before this poll (set for an updated entry); ``attempts`` the failed tries so far."""

    source: str
    key: str
    digest: str
    url: str
    policy: Policy
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    index: int | None = None
    previous: str | None = None
    attempts: int = 0


@dataclass(frozen=True, slots=True)
class PageResult:
    job: PageJob
    article: Article | None = None
    urls: tuple[str, ...] = ()
    canonical: str | None = None
    error: str | None = None
    transient: bool = False
    stopped: bool = False


@dataclass(frozen=True, slots=True)
class Stored:
    """What storing one entry did: ``added`` a new article, ``updated`` as a new version;
    ``unfinished``: nothing recorded (stopping), so the next poll must read the source again."""

    added: bool = False
    updated: bool = False
    skipped: bool = False
    unfinished: bool = False


def fetch_page(job: PageJob, fetcher: Fetcher, settings: Settings) -> PageResult:
    """Fetch and extract one page (in a worker thread; never raises)."""
    try:
        url = check_url(job.url, job.policy)
        if not fetcher.robots.allowed(url, job.policy):
            return PageResult(job, error="robots.txt of its host disallows fetching this page")
        fetched = fetcher.get(url, policy=job.policy, purpose="page")
        if not is_html(fetched.content_type, fetched.body):
            kind = fetched.content_type.split(";")[0][:60] or "no content type"
            return PageResult(job, error=f"not an HTML page ({kind})")
        article, canonical = page_article(fetched.final_url, fetched.body, settings)
    except StoppedError:
        return PageResult(job, stopped=True)
    except FetchError as exc:
        return PageResult(job, error=exc.reason, transient=exc.transient)
    except InputError as exc:
        return PageResult(job, error=exc.reason)
    except Exception as exc:  # a broken page must not stop the poll
        return PageResult(job, error=f"unexpected error ({type(exc).__name__}: {exc})")
    return PageResult(job, article, (job.url, fetched.final_url, canonical), canonical)


def store_article(
    store: Store,
    entry: EntryState,
    article: Article,
    previous: str | None,
    pages: Sequence[str] = (),
) -> Stored:
    """Store ``article`` for ``entry`` (a new version of ``previous`` when that differs)."""
    added = store.add_article(article)
    stored = replace(entry, state=STORED, article=article.id, reason=None, attempts=0)
    store.record_entry(stored, pages, previous=previous)
    return Stored(added=added, updated=added and previous is not None and previous != article.id)


def store_known(store: Store, entry: EntryState, article: str, pages: Sequence[str]) -> Stored:
    """Map ``entry`` to an article already stored (its page is known): nothing fetched."""
    store.record_entry(replace(entry, state=STORED, article=article, reason=None), pages)
    return Stored()


def skip_entry(store: Store, entry: EntryState, reason: str) -> Stored:
    store.record_entry(replace(entry, state=SKIPPED, reason=reason))
    return Stored(skipped=True)


def entry_of(job: PageJob) -> EntryState:
    published = job.published.isoformat() if job.published else None
    return EntryState(job.source, job.key, job.digest, FAILED, job.previous, job.url,
                      job.title, job.outlet, published, None, job.attempts)  # fmt: skip


def store_page(result: PageResult, store: Store, settings: Settings) -> Stored:
    """Store what ``fetch_page`` found (main thread)."""
    job = result.job
    entry = entry_of(job)
    if result.stopped:
        return Stored(unfinished=True)
    if result.article is None:
        attempts = job.attempts + 1
        reason = result.error or "unknown error"
        if result.transient and attempts < settings.fetch_page_attempts:
            failed = replace(entry, state=FAILED, reason=reason, attempts=attempts)
            store.record_entry(failed)  # tried again by the next polls, even after a 304
            return Stored()
        if result.transient:
            reason = f"{reason} (tried {attempts} times; setting fetch_page_attempts)"
        return skip_entry(store, replace(entry, attempts=attempts), reason)
    page = result.article
    article = replace(
        page,
        title=job.title or page.title,
        source=job.outlet or page.source,
        published=job.published or page.published,
        path=job.source,
        entry=job.index,
    )
    urls = [u for u in result.urls if u]
    if result.canonical and result.canonical != job.url:
        known = store.page_article(result.canonical)
        if known is not None and known not in (job.previous, article.id):
            return store_known(store, entry, known, urls)  # same canonical URL: stored
    return store_article(store, entry, article, job.previous, urls)

"""`watch` through every stage, in-process (loads spaCy once): the sample corpus's feeds
arrive over two polls; stories that grow keep their Atom entry id and get a new `updated`."""

from __future__ import annotations

import time
from pathlib import Path

import feedparser

from storyline import api
from storyline.config import Settings
from storyline.report.atom import AtomLinks, stories_atom
from storyline.report.queries import StoryFilter
from storyline.report.views import Urls
from storyline.store import Store

from .conftest import Reply, Site

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"


def _entries(settings: Settings) -> dict[str, tuple[str, int]]:
    """Atom entry id -> (updated, number of articles)."""
    with Store(settings.db, readonly=True) as store:
        body = stories_atom(store, StoryFilter(), AtomLinks(Urls(static_site=True)), settings)
    parsed = feedparser.parse(body)
    assert not parsed.bozo
    return {e.id: (e.updated, int(e.summary.split()[0])) for e in parsed.entries}


def test_watch_processes_new_entries_and_grown_stories_keep_their_entry(
    site: Site, fast: Settings
) -> None:
    site.routes["/northgate.xml"] = Reply((CORPUS / "northgate-courier" / "feed.xml").read_bytes())
    site.routes["/lakeshore.xml"] = Reply(b"", 503, validators=False)
    urls = [site.url("/northgate.xml"), site.url("/lakeshore.xml")]
    polls = []

    first = api.watch(urls, fast, once=True, on_poll=polls.append)
    assert first.polls == 1 and first.added == 4
    assert polls[0].processed is not None and polls[0].processed.annotated == 4
    before = _entries(fast)
    assert before

    time.sleep(1.1)  # updated_at has a resolution of one second
    site.routes["/lakeshore.xml"] = Reply((CORPUS / "lakeshore-gazette" / "rss.xml").read_bytes())
    second = api.watch(urls, fast, once=True, on_poll=polls.append)
    assert second.added == 4 and polls[1].counts.not_modified == 1  # northgate unchanged
    after = _entries(fast)
    grown = [i for i in before if i in after and after[i][1] > before[i][1]]
    assert grown, "some story of the first poll gets articles from the second feed"
    for entry_id in grown:
        assert after[entry_id][0] > before[entry_id][0]  # marked updated, same entry id
    for entry_id in set(before) & set(after) - set(grown):
        assert after[entry_id] == before[entry_id]  # untouched stories do not move
    with Store(fast.db, readonly=True) as store:
        state = store.source_state(site.url("/lakeshore.xml"))
        assert state is not None and state.failures == 0 and state.articles_added == 4

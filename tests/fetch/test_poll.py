"""Polling feeds against a real HTTP server on 127.0.0.1: changes, 304s, failures and
recovery, teasers, pages already stored, updated entries, sitemaps, OPML, folders."""

from __future__ import annotations

import gzip
from pathlib import Path

from storyline.config import Settings
from storyline.store import Store

from .conftest import Item, Reply, Site, html_page, poll, result_for, rss, text


def test_feed_that_changes_between_polls_and_304_when_unchanged(site: Site, fast: Settings) -> None:
    items = [Item(f"Story {i}", f"https://outlet.example/{i}", full=text(i)) for i in range(3)]
    site.routes["/feed.xml"] = Reply(rss("Halvik Herald", items))
    url = site.url("/feed.xml")

    first = poll(fast, url)
    assert result_for(first, url).outcome == "new" and first.added == 3
    assert first.counts.requests == 1 and first.counts.feeds == 1

    second = poll(fast, url)  # nothing changed: one conditional request answered 304
    assert second.added == 0 and result_for(second, url).outcome == "unchanged"
    assert second.counts.requests == 1 and second.counts.not_modified == 1
    assert second.counts.bytes == 0
    conditional = site.log[-1].headers
    assert conditional["if-none-match"].startswith('"') and "if-modified-since" in conditional

    items.insert(0, Item("Story 3", "https://outlet.example/3", full=text(3)))
    site.routes["/feed.xml"] = Reply(rss("Halvik Herald", items))
    third = poll(fast, url)  # one new entry; the three known ones are not stored again
    assert third.added == 1 and result_for(third, url).added == 1
    with Store(fast.db) as store:
        assert store.count("articles") == 4
        (article,) = store.articles("WHERE title = ?", ["Story 3"])
        assert article.source == "Halvik Herald" and article.url == "https://outlet.example/3"
        assert article.published is not None and article.published.isoformat() == "2024-03-05"
        state = store.source_state(url)
        assert state is not None and state.kind == "feed" and state.articles_added == 4
        assert state.polls == 3 and state.failures == 0 and state.etag
        assert state.title == "Halvik Herald"


def test_a_500_is_recorded_with_its_reason_then_the_source_recovers(
    site: Site, fast: Settings
) -> None:
    good = Reply(rss("Recovering", [Item("One", "https://o.example/1", full=text(1))]))
    site.routes["/flaky.xml"] = Reply(b"oops", 500, validators=False)
    site.routes["/good.xml"] = Reply(
        rss("Good", [Item("Two", "https://o.example/2", full=text(2))])
    )
    flaky, other = site.url("/flaky.xml"), site.url("/good.xml")

    report = poll(fast, flaky, other)
    failed = result_for(report, flaky)
    assert failed.outcome == "failed" and failed.error == "HTTP 500 Internal Server Error"
    assert result_for(report, other).added == 1  # a failing source never stops the others
    with Store(fast.db) as store:
        state = store.source_state(flaky)
        assert state is not None and state.failures == 1 and state.last_success is None
        assert state.last_error == "HTTP 500 Internal Server Error" and state.last_status == 500

    site.routes["/flaky.xml"] = good
    report = poll(fast, flaky, other)
    assert result_for(report, flaky).outcome == "new" and result_for(report, flaky).added == 1
    with Store(fast.db) as store:
        state = store.source_state(flaky)
        assert state is not None and state.failures == 0 and state.last_success is not None
        assert state.last_error == "HTTP 500 Internal Server Error"  # kept, with its time


def test_malformed_xml_is_recorded_and_the_next_poll_reads_it_again(
    site: Site, fast: Settings
) -> None:
    site.routes["/broken.xml"] = Reply(b"<rss><channel><title>Broken</title><item><title>x")
    url = site.url("/broken.xml")
    report = poll(fast, url)
    result = result_for(report, url)
    assert result.outcome == "failed" and "malformed feed" in (result.error or "")
    poll(fast, url)
    # no validators were kept for a broken document: the second poll asked unconditionally
    assert "if-none-match" not in site.log[-1].headers
    with Store(fast.db) as store:
        state = store.source_state(url)
        assert state is not None and state.failures == 2 and state.last_status == 200
        assert store.count("articles") == 0


def test_bytes_naming_a_local_file_are_not_read_as_that_file(
    site: Site, fast: Settings, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss("Secret", [Item("Local secret", full=text(9))]))
    site.routes["/path.xml"] = Reply(str(secret).encode())
    url = site.url("/path.xml")
    result = result_for(poll(fast, url), url)
    assert result.outcome == "failed" and "not XML" in (result.error or "")
    with Store(fast.db) as store:
        assert store.count("articles") == 0


def test_teaser_entries_get_their_pages_fetched_and_extracted(site: Site, fast: Settings) -> None:
    body = text(21, 10)
    site.routes["/teasers.xml"] = Reply(rss("Teaser Times", [
        Item("Bridge vote delayed", site.url("/news/bridge?utm_source=rss"),
             teaser="The council delayed the vote. Read more…"),
    ]))  # fmt: skip
    site.routes["/news/bridge"] = Reply(
        html_page("Bridge vote delayed", body, canonical="/articles/bridge-vote",
                  site_name="Teaser Times Online"),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )  # fmt: skip
    site.routes["/robots.txt"] = Reply(b"User-agent: *\nAllow: /\n")
    url = site.url("/teasers.xml")

    report = poll(fast, url)
    assert report.added == 1 and report.counts.pages == 1 and report.counts.robots == 1
    assert site.paths().count("/news/bridge") == 1  # tracking parameters dropped
    user_agent = site.log[-1].headers["user-agent"]
    assert user_agent.startswith("storyline/") and "httpx" in user_agent
    with Store(fast.db) as store:
        (article,) = store.articles()
        assert article.url == site.url("/articles/bridge-vote")  # the page's canonical URL
        assert article.source == "Teaser Times"  # the feed's outlet
        assert article.title == "Bridge vote delayed"
        assert article.published is not None and article.published.isoformat() == "2024-03-05"
        assert article.path == url
        assert "Officials in Halvik 21" in article.text
        for boilerplate in ("cookies", "Copyright", "Privacy", "Sport", "Read more"):
            assert boilerplate not in article.text

    # a second feed listing the same page (by its canonical URL): not fetched again
    site.routes["/other.xml"] = Reply(rss("Other", [
        Item("Bridge", site.url("/articles/bridge-vote"), teaser="Teaser."),
    ]))  # fmt: skip
    other = site.url("/other.xml")
    report = poll(fast, url, other)
    assert report.counts.pages == 0 and report.added == 0
    assert site.paths().count("/articles/bridge-vote") == 0
    with Store(fast.db) as store:
        assert store.count("articles") == 1
        entry = next(iter(store.source_entries(other).values()))
        assert entry.state == "stored" and entry.article == article.id


def test_a_page_with_the_same_text_as_a_stored_article_is_not_stored_again(
    site: Site, fast: Settings
) -> None:
    body = text(5, 10)
    site.routes["/full.xml"] = Reply(rss("Full", [Item("Full", "https://a.example/x", full=body)]))
    site.routes["/copy.html"] = Reply(
        html_page("Copy", body), headers={"Content-Type": "text/html"}
    )
    site.routes["/teaser.xml"] = Reply(rss("Teaser", [
        Item("Copy", site.url("/copy.html"), teaser="Short.")
    ]))  # fmt: skip
    report = poll(fast, site.url("/full.xml"), site.url("/teaser.xml"))
    assert report.added == 1 and report.counts.pages == 1
    with Store(fast.db) as store:
        assert store.count("articles") == 1


def test_an_entry_updated_in_place_is_a_new_version_of_its_article(
    site: Site, fast: Settings
) -> None:
    old, new = text(7), text(7) + " Late on Tuesday the ministry confirmed the figures."
    url = site.url("/live.xml")
    site.routes["/live.xml"] = Reply(rss("Live", [
        Item("Toll rises", "https://l.example/toll", guid="toll-1", full=old),
    ]))  # fmt: skip
    poll(fast, url)
    site.routes["/live.xml"] = Reply(rss("Live", [
        Item("Toll rises to ten", "https://l.example/toll", guid="toll-1", full=new),
    ]))  # fmt: skip
    report = poll(fast, url)
    assert result_for(report, url).updated == 1 and report.added == 1
    with Store(fast.db) as store:
        assert store.count("articles") == 2
        (entry,) = store.source_entries(url).values()
        latest = store.article(entry.article or "")
        assert latest.title == "Toll rises to ten" and latest.text.endswith("figures.")
        (first,) = store.articles("WHERE title = ?", ["Toll rises"])
        assert store.article_versions(latest.id) == [latest.id, first.id]
    assert poll(fast, url).added == 0  # the same update seen again adds nothing


def test_teaser_updated_in_place_fetches_its_page_again(site: Site, fast: Settings) -> None:
    site.routes["/robots.txt"] = Reply(b"", 404, validators=False)
    site.routes["/p.html"] = Reply(
        html_page("Flood", text(30, 9)), headers={"Content-Type": "text/html"}
    )
    site.routes["/t.xml"] = Reply(
        rss("T", [Item("Flood", site.url("/p.html"), guid="f", teaser="a")])
    )
    url = site.url("/t.xml")
    poll(fast, url)
    site.routes["/p.html"] = Reply(
        html_page("Flood", text(31, 9)), headers={"Content-Type": "text/html"}
    )
    site.routes["/t.xml"] = Reply(
        rss("T", [Item("Flood", site.url("/p.html"), guid="f", teaser="b")])
    )
    report = poll(fast, url)
    assert result_for(report, url).updated == 1 and site.count("/p.html") == 2
    with Store(fast.db) as store:
        (entry,) = store.source_entries(url).values()
        assert len(store.article_versions(entry.article or "")) == 2


def test_gzip_responses_are_decoded(site: Site, fast: Settings) -> None:
    body = rss("Zipped", [Item("Z", "https://z.example/1", full=text(11))])
    site.routes["/z.xml"] = Reply(gzip.compress(body), headers={"Content-Encoding": "gzip"})
    report = poll(fast, site.url("/z.xml"))
    assert report.added == 1
    assert site.log[-1].headers["accept-encoding"] == "gzip, deflate"
    assert report.counts.bytes < len(body)  # bytes on the wire, compressed


def test_slow_oversized_and_looping_feeds_are_recorded_and_others_go_on(
    site: Site, fast: Settings
) -> None:
    site.routes["/slow.xml"] = Reply(rss("Slow", []), delay=1.0)
    site.routes["/huge.xml"] = Reply(rss("Huge", [Item("Big", full=text(1) * 400)]))
    site.routes["/loop.xml"] = Reply(
        status=301, headers={"Location": "/loop.xml"}, validators=False
    )
    site.routes["/fine.xml"] = Reply(rss("Fine", [Item("F", "https://f.example/1", full=text(2))]))
    urls = [site.url(p) for p in ("/slow.xml", "/huge.xml", "/loop.xml", "/fine.xml")]
    report = poll(fast.with_(fetch_timeout=0.3, fetch_max_bytes=200_000), *urls)
    errors = {r.url: r.error for r in report.sources}
    assert "timed out after 0.3 s" in (errors[urls[0]] or "")
    assert "over 200,000 bytes" in (errors[urls[1]] or "")
    assert "redirect loop" in (errors[urls[2]] or "")
    assert errors[urls[3]] is None and report.added == 1
    with Store(fast.db) as store:
        failing = [s.url for s in store.source_states() if s.failing]
    assert sorted(failing) == sorted(urls[:3])

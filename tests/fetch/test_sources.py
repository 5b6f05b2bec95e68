"""Sources other than plain feeds, robots.txt in a poll, deferral, retries, stopping."""

from __future__ import annotations

import gzip
import threading
from pathlib import Path

from storyline.config import Settings
from storyline.fetch.client import Fetcher
from storyline.fetch.sources import resolve_sources
from storyline.fetch.watch import poll_once
from storyline.store import Store

from .conftest import Item, Reply, Site, html_page, poll, result_for, rss, text

HTML = {"Content-Type": "text/html; charset=utf-8"}


def _sitemap(site: Site, paths: list[str], news: bool = False) -> bytes:
    head = '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    head += ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
    items = []
    for n, path in enumerate(paths):
        extra = ""
        if news:
            extra = ("<news:news><news:publication><news:name>Sitemap Gazette</news:name>"
                     "<news:language>en</news:language></news:publication>"
                     f"<news:publication_date>2024-03-0{n + 1}T10:00:00Z</news:publication_date>"
                     f"<news:title>News title {n}</news:title></news:news>")  # fmt: skip
        items.append(f"<url><loc>{site.url(path)}</loc><lastmod>2024-03-0{n + 1}</lastmod>"
                     f"{extra}</url>")  # fmt: skip
    return (head + "".join(items) + "</urlset>").encode()


def test_news_sitemap_pages_are_fetched_once(site: Site, fast: Settings) -> None:
    for n in range(3):
        site.routes[f"/a{n}"] = Reply(html_page(f"Page {n}", text(40 + n, 8)), headers=HTML)
    site.routes["/news-sitemap.xml"] = Reply(_sitemap(site, ["/a0", "/a1", "/a2"], news=True))
    url = site.url("/news-sitemap.xml")
    report = poll(fast, url)
    assert result_for(report, url).kind == "sitemap" and report.added == 3
    with Store(fast.db) as store:
        (article,) = store.articles("WHERE title = ?", ["News title 1"])
        assert article.source == "Sitemap Gazette"
        assert article.published is not None and article.published.isoformat() == "2024-03-02"
    again = poll(fast, url)
    assert again.counts.requests == 1 and again.counts.not_modified == 1 and again.added == 0


def test_sitemap_index_gzip_children_and_age_limit(site: Site, fast: Settings) -> None:
    site.routes["/p1"] = Reply(html_page("One", text(50, 8)), headers=HTML)
    site.routes["/p2"] = Reply(html_page("Two", text(51, 8)), headers=HTML)
    site.routes["/s1.xml.gz"] = Reply(gzip.compress(_sitemap(site, ["/p1"])),
                                      headers={"Content-Type": "application/gzip"})  # fmt: skip
    site.routes["/s2.xml"] = Reply(_sitemap(site, ["/p2"]))
    index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
             f'sitemap/0.9"><sitemap><loc>{site.url("/s1.xml.gz")}</loc></sitemap>'
             f'<sitemap><loc>{site.url("/s2.xml")}</loc></sitemap>'
             "<sitemap><loc>file:///etc/passwd</loc></sitemap></sitemapindex>")  # fmt: skip
    site.routes["/sitemap.xml"] = Reply(index.encode())
    url = site.url("/sitemap.xml")
    report = poll(fast, url)
    assert report.added == 2
    assert {r.url for r in report.sources} == {url, site.url("/s1.xml.gz"), site.url("/s2.xml")}
    with Store(fast.db) as store:
        children = store.sources_listed_in(url)
        assert [c.url for c in children] == [site.url("/s1.xml.gz"), site.url("/s2.xml")]
    again = poll(fast, url)  # the index is unchanged (304), its sitemaps are still polled
    assert again.counts.requests == 3 and again.counts.not_modified == 3
    # pages listed with an old lastmod are not fetched when an age limit is set
    site.routes["/s2.xml"] = Reply(_sitemap(site, ["/p2", "/p3"]))
    recent = poll(fast.with_(sitemap_max_age_days=30), url)
    assert recent.counts.pages == 0 and "/p3" not in site.paths()


def test_robots_txt_disallowing_a_teaser_page(site: Site, fast: Settings) -> None:
    site.routes["/robots.txt"] = Reply(b"User-agent: storyline\nDisallow: /members/\n")
    site.routes["/members/1"] = Reply(html_page("Members", text(60, 8)), headers=HTML)
    site.routes["/open/2"] = Reply(html_page("Open", text(61, 8)), headers=HTML)
    site.routes["/f.xml"] = Reply(rss("Robots", [
        Item("Members only", site.url("/members/1"), teaser="Subscribe to read."),
        Item("Open", site.url("/open/2"), teaser="Free to read."),
    ]))  # fmt: skip
    url = site.url("/f.xml")
    report = poll(fast, url)
    assert report.added == 1 and "/members/1" not in site.paths()
    with Store(fast.db) as store:
        entries = {e.title: e for e in store.source_entries(url).values()}
    assert entries["Members only"].state == "skipped"
    assert entries["Members only"].reason == "robots.txt of its host disallows fetching this page"
    assert entries["Open"].state == "stored"


def test_opml_file_of_feeds_and_a_followed_folder(
    site: Site, fast: Settings, tmp_path: Path
) -> None:
    site.routes["/one.xml"] = Reply(rss("One", [Item("A", "https://x.example/a", full=text(70))]))
    site.routes["/two.xml"] = Reply(rss("Two", [Item("B", "https://x.example/b", full=text(71))]))
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>My feeds</title></head><body>'
        f'<outline text="News"><outline type="rss" text="One" xmlUrl="{site.url("/one.xml")}"/>'
        f'<outline type="rss" text="Two" xmlUrl="{site.url("/two.xml")}"/>'
        '<outline type="rss" text="Bad" xmlUrl="file:///etc/passwd"/></outline></body></opml>',
        encoding="utf-8",
    )
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "first.txt").write_text(text(72), encoding="utf-8")
    report = poll(fast, str(opml), str(folder))
    assert report.added == 3
    assert result_for(report, str(folder.resolve())).added == 1
    (folder / "second.txt").write_text(text(73), encoding="utf-8")
    report = poll(fast, str(opml), str(folder))  # the feeds 304, only the new file is read
    assert report.added == 1 and report.counts.not_modified == 2
    with Store(fast.db) as store:
        states = {s.url: s for s in store.source_states()}
    assert states[site.url("/one.xml")].listed_in == str(opml.resolve())
    assert states[str(opml.resolve())].kind == "opml"
    assert states[str(folder.resolve())].articles_added == 2
    assert "file:///etc/passwd" not in states


def test_a_long_retry_after_defers_the_source_to_a_later_poll(site: Site, fast: Settings) -> None:
    site.routes["/busy.xml"] = Reply(status=429, headers={"Retry-After": "3600"}, validators=False)
    url = site.url("/busy.xml")
    first = result_for(poll(fast, url), url)
    assert first.outcome == "failed" and "asks to wait 3600 s" in (first.error or "")
    second = poll(fast, url)
    assert result_for(second, url).outcome == "deferred" and second.counts.requests == 0


def test_a_page_that_times_out_is_tried_again_by_the_next_poll(site: Site, fast: Settings) -> None:
    site.routes["/robots.txt"] = Reply(b"", 404, validators=False)
    site.routes["/slow-page"] = Reply(html_page("Slow", text(80, 8)), headers=HTML, delay=0.6)
    site.routes["/f.xml"] = Reply(rss("F", [Item("Slow", site.url("/slow-page"), teaser="t")]))
    url = site.url("/f.xml")
    quick = fast.with_(fetch_timeout=0.3)
    assert poll(quick, url).added == 0
    with Store(fast.db) as store:
        (entry,) = store.source_entries(url).values()
        assert (
            entry.state == "failed" and entry.attempts == 1 and "timed out" in (entry.reason or "")
        )
    site.routes["/slow-page"] = Reply(html_page("Slow", text(80, 8)), headers=HTML)
    report = poll(quick, url)  # the feed is unchanged (304); the failed page is retried
    assert report.added == 1 and report.counts.not_modified == 1 and report.counts.pages == 1


def test_pages_per_source_are_capped_and_the_rest_come_next_poll(
    site: Site, fast: Settings
) -> None:
    site.routes["/robots.txt"] = Reply(b"", 404, validators=False)
    items = []
    for n in range(3):
        site.routes[f"/c{n}"] = Reply(html_page(f"C{n}", text(90 + n, 8)), headers=HTML)
        items.append(Item(f"C{n}", site.url(f"/c{n}"), teaser="t"))
    site.routes["/cap.xml"] = Reply(rss("Cap", items))
    capped = fast.with_(fetch_pages_per_source=2)
    url = site.url("/cap.xml")
    assert poll(capped, url).added == 2
    second = poll(capped, url)  # validators were not kept: the feed is read in full again
    assert second.added == 1 and second.counts.not_modified == 0
    assert poll(capped, url).counts.not_modified == 1


def test_stopping_makes_no_new_request(site: Site, fast: Settings) -> None:
    site.routes["/s.xml"] = Reply(rss("S", [Item("S", "https://s.example/1", full=text(95))]))
    stop = threading.Event()
    stop.set()
    with Store(fast.db) as store, Fetcher(fast, stop) as fetcher:
        report = poll_once(resolve_sources([site.url("/s.xml")]), store, fast, fetcher)
    assert report.stopped and site.paths() == [] and report.processed is None


def test_every_must_be_positive(site: Site, fast: Settings) -> None:
    import pytest

    from storyline import api
    from storyline.errors import ConfigError

    with pytest.raises(ConfigError, match="--every must be a positive"):
        api.watch([site.url("/x.xml")], fast, every=0)


def test_watch_once_exits_1_when_every_source_failed(site: Site, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli import app

    site.routes["/gone.xml"] = Reply(b"gone", 410, validators=False)
    db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(app, ["watch", "--once", "--db", db, site.url("/gone.xml")])
    assert result.exit_code == 1
    assert f"failed {site.url('/gone.xml')}: HTTP 410 Gone" in result.output
    listed = CliRunner().invoke(app, ["sources", "--db", db])
    assert listed.exit_code == 0 and "failing" in listed.output and "410 Gone" in listed.output

"""What may be fetched: schemes, private and metadata addresses, and a feed that lists
file:// and 169.254.169.254 links (never fetched, nothing stored)."""

from __future__ import annotations

import ipaddress

import pytest

from storyline.config import Settings
from storyline.errors import BlockedError, ConfigError
from storyline.fetch.safety import (
    INTRANET_LINKS,
    LINKS,
    USER,
    allows,
    check_url,
    clean_url,
    link_policy,
)
from storyline.fetch.sources import resolve_sources
from storyline.store import Store

from .conftest import Item, Reply, Site, poll, result_for, rss


def test_clean_url() -> None:
    assert clean_url("HTTPS://News.Example:443/a?utm_source=x&id=3#top") == (
        "https://news.example/a?id=3"
    )
    assert clean_url("/b", base="http://h.example:8080/feed") == "http://h.example:8080/b"
    bad_urls = (
        "file:///etc/passwd", "ftp://x/y", "data:text/plain,hi", "javascript:alert(1)",
        "http://", "mailto:a@b.example", "http://user:pw@h.example/", "http://a\nb/",
    )  # fmt: skip
    for bad in bad_urls:
        assert clean_url(bad) is None, bad


@pytest.mark.parametrize(
    ("address", "links", "intranet", "user"),
    [
        ("93.184.216.34", True, True, True),
        ("127.0.0.1", False, True, True),
        ("10.1.2.3", False, True, True),
        ("192.168.0.10", False, True, True),
        ("169.254.10.1", False, True, True),
        ("169.254.169.254", False, False, True),
        ("100.100.100.200", False, False, True),
        ("::1", False, True, True),
        ("fd00:ec2::254", False, False, True),
        ("::ffff:127.0.0.1", False, True, True),
        ("224.0.0.1", False, True, True),
        ("0.0.0.0", False, True, True),
    ],
)
def test_which_addresses_links_may_reach(
    address: str, links: bool, intranet: bool, user: bool
) -> None:
    ip = ipaddress.ip_address(address)
    assert (allows(LINKS, ip), allows(INTRANET_LINKS, ip), allows(USER, ip)) == (
        links, intranet, user,
    )  # fmt: skip


def test_link_policy_follows_the_feeds_own_host() -> None:
    settings = Settings()
    assert link_policy("http://93.184.216.34/feed.xml", settings) == LINKS
    assert link_policy("http://127.0.0.1:8000/feed.xml", settings) == INTRANET_LINKS
    assert link_policy("http://10.0.0.5/feed.xml", settings) == INTRANET_LINKS
    assert link_policy("http://93.184.216.34/f", settings.with_(allow_private_hosts=True)) == USER
    with pytest.raises(BlockedError, match="cloud metadata"):
        check_url("http://169.254.169.254/latest/meta-data/", INTRANET_LINKS)
    with pytest.raises(BlockedError, match="non-public"):
        check_url("http://[::1]:8000/x", LINKS)


def test_sources_must_be_http_opml_or_folders(tmp_path: object) -> None:
    for bad in ("file:///etc/passwd", "ftp://x.example/feed", "javascript:alert(1)"):
        with pytest.raises(ConfigError, match="a SOURCE is an http"):
            resolve_sources([bad])
    (source,) = resolve_sources(["https://News.example/feed.xml"])
    assert source.url == "https://news.example/feed.xml" and source.kind == "url"


def test_feed_with_file_and_metadata_links_fetches_neither(site: Site, fast: Settings) -> None:
    site.routes["/evil.xml"] = Reply(rss("Evil", [
        Item("Local file", "file:///etc/passwd", teaser="x"),
        Item("Metadata", "http://169.254.169.254/latest/meta-data/iam/credentials", teaser="y"),
        Item("Metadata by name", site.url("/redirect-to-metadata"), teaser="z"),
        Item("Script", "javascript:alert(document.cookie)", teaser="w"),
        Item("Data", "data:text/html;base64,PHNjcmlwdD4=", teaser="v"),
    ]))  # fmt: skip
    site.routes["/redirect-to-metadata"] = Reply(
        status=302, headers={"Location": "http://169.254.169.254/latest/"}, validators=False
    )
    url = site.url("/evil.xml")
    report = poll(fast, url)
    result = result_for(report, url)
    assert result.outcome == "unchanged" and result.added == 0 and result.skipped == 5
    # the only page request was to the local server, whose redirect was refused
    assert report.counts.pages == 1 and report.counts.requests == 1 + 1 + 1  # feed, robots, page
    assert "/latest/" not in " ".join(site.paths())
    with Store(fast.db) as store:
        assert store.count("articles") == 0
        reasons = {e.title: e.reason or "" for e in store.source_entries(url).values()}
    assert "is not http(s)" in reasons["Local file"] and "etc/passwd" in reasons["Local file"]
    assert "cloud metadata address" in reasons["Metadata"]
    assert "redirected to http://169.254.169.254/latest/" in reasons["Metadata by name"]
    assert "cloud metadata" in reasons["Metadata by name"]
    assert "is not http(s)" in reasons["Script"] and "is not http(s)" in reasons["Data"]

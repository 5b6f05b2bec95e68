"""The static HTML report on the sample corpus plus one hostile article."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.report.audit import active_content
from storyline.report.html import write_report
from storyline.report.views import safe_url
from storyline.store import Store


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory, hostile_corpus_db: Path
) -> tuple[Path, Path, str]:
    """(database, report folder, hostile article id) — built once for the module."""
    folder = tmp_path_factory.mktemp("report")
    db = hostile_corpus_db
    with Store(db, readonly=True) as store:
        (evil,) = [a.id for a in store.articles("WHERE url = ?", ["javascript:alert(1)"])]
        files = write_report(store, folder / "out")
        assert files.stories == store.count("stories") and files.articles == 37
    return db, folder / "out", evil


def test_index_lists_every_story_newest_first_with_sparklines(
    built: tuple[Path, Path, str],
) -> None:
    db, out, _ = built
    html = (out / "index.html").read_text(encoding="utf-8")
    with Store(db, readonly=True) as store:
        reports = store.story_reports()
    links = re.findall(r'<a href="(stories/[^"]+\.html)">', html)
    assert links == [f"stories/{r['id']}.html" for r in reports]
    last_seen = [r["last_seen"] for r in reports if r["last_seen"]]
    assert last_seen == sorted(last_seen, reverse=True)
    assert html.count('<svg class="sparkline"') == len(reports) + 1  # one per story + overall
    assert all((out / link).is_file() for link in links)


def test_story_page_cites_sentences_that_exist_in_article_pages(
    built: tuple[Path, Path, str],
) -> None:
    db, out, _ = built
    with Store(db, readonly=True) as store:
        report = max(store.story_reports(), key=lambda r: len(r["articles"]))
    page = (out / "stories" / f"{report['id']}.html").read_text(encoding="utf-8")
    cites = re.findall(r'<a class="cite" href="\.\./articles/([0-9a-f]+)\.html#s(\d+)"', page)
    assert len(cites) >= len(report["summary"])
    for article, sentence in cites[:20]:
        target = (out / "articles" / f"{article}.html").read_text(encoding="utf-8")
        assert f'id="s{sentence}"' in target
    # corroborated and single-source summary sentences are marked differently
    classes = re.findall(r'<li class="(corroborated|single)">', page)
    assert classes == ["corroborated" if s["sources"] >= 2 else "single" for s in report["summary"]]
    # the timeline is an inline SVG chart with one entry per dated timeline item (up to 80)
    assert '<svg class="timeline-chart"' in page
    assert page.count('<a class="entry"') == min(80, len(report["timeline"]))


def test_report_is_self_contained(built: tuple[Path, Path, str]) -> None:
    _, out, _ = built
    for page in [out / "index.html", *sorted((out / "stories").glob("*.html"))]:
        html = page.read_text(encoding="utf-8")
        loaded = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)
        assert loaded and all(
            not re.match(r"[a-z]+:", u) and not u.startswith("//") for u in loaded
        )
        assert "@import" not in html and "url(" not in html
    assert (out / "static" / "style.css").is_file() and (out / "static" / "app.js").is_file()
    assert "url(" not in (out / "static" / "style.css").read_text(encoding="utf-8")


def test_hostile_article_renders_as_text(built: tuple[Path, Path, str]) -> None:
    db, out, evil = built
    pages = [out / "index.html", out / "articles" / f"{evil}.html"]
    with Store(db, readonly=True) as store:
        story = store.article_links()[evil][0]
    assert story is not None
    pages.append(out / "stories" / f"{story}.html")
    for page in [*pages, *sorted((out / "stories").glob("*.html"))]:
        html = page.read_text(encoding="utf-8")
        assert active_content(html) == [], page
        assert "<script>alert" not in html and "<img" not in html and "<b onclick" not in html
        assert not re.search(r'(href|src)="\s*javascript', html, re.I)
    article = (out / "articles" / f"{evil}.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article  # shown, escaped
    assert "onmouseover=&#34;alert(1)&#34;" in article
    assert 'class="external"' not in article  # the javascript: URL is not a link
    assert unescape("Evil &lt;b onclick=alert(1)&gt;Outlet&lt;/b&gt;") in unescape(article)


def test_safe_url_allows_only_http_links() -> None:
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_url("http://example.org") == "http://example.org"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "//evil.org",
        "java\tscript:alert(1)",
        "https://exa mple.org",
        "ftp://example.org",
        "",
        None,
    ):
        assert safe_url(bad) is None, bad


def test_audit_finds_active_content() -> None:
    bad = (
        '<script>x()</script><a href=" javascript:x()">a</a><p onclick="x()">'
        '<script src="https://cdn.example/x.js"></script><iframe src="/x"></iframe>'
    )
    problems = [f.problem for f in active_content(bad)]
    assert len(problems) == 6  # inline script (tag + text), js href, on*, foreign src, iframe
    assert active_content('<script src="../static/app.js" defer></script><p>ok</p>') == []


def test_wire_families_count_once(built: tuple[Path, Path, str]) -> None:
    db, out, _ = built
    threshold = Settings().wire_family_threshold
    with Store(db, readonly=True) as store:
        reports = store.story_reports()
    copied = [r for r in reports if any(x["score"] >= threshold for x in r["reuse"])]
    assert copied, "the sample corpus has wire copies"
    for report in copied:
        page = (out / "stories" / f"{report['id']}.html").read_text(encoding="utf-8")
        families = re.search(r'<ul class="families">(.*?)</ul>', page, re.S)
        assert families is not None
        items = re.findall(r"<li>(.*?)</li>", families.group(1), re.S)
        for pair in (x for x in report["reuse"] if x["score"] >= threshold):
            assert any(f"articles/{pair['a']}.html" in li and f"articles/{pair['b']}.html" in li
                       for li in items)  # fmt: skip
        members = sum(li.count("<a ") for li in items)
        sources = len(report["articles"]) - members + len(items)
        assert f"· {sources} independent sources ·" in page
        index = (out / "index.html").read_text(encoding="utf-8")
        row = re.search(rf'href="stories/{report["id"]}\.html">.*?</tr>', index, re.S)
        assert row is not None
        assert re.findall(r'<td class="num[^"]*"[^>]*>(\d+)</td>', row.group(0))[2] == str(sources)


def test_write_outputs_writes_json_and_report(
    built: tuple[Path, Path, str], tmp_path: Path
) -> None:
    from storyline import api

    db, _, _ = built
    written = api.write_outputs(Settings().with_(db=str(db)), tmp_path)
    assert written == [tmp_path / "storyline.json", tmp_path / "index.html"]
    document = json.loads(written[0].read_text(encoding="utf-8"))
    assert len(list((tmp_path / "stories").glob("*.html"))) == len(document["stories"])


def test_story_pages_show_the_short_headline_and_its_dek(built: tuple[Path, Path, str]) -> None:
    db, out, _ = built
    with Store(db, readonly=True) as store:
        reports = [r for r in store.story_reports() if r.get("dek")]
    assert reports, "the corpus has stories whose headline was shortened"
    for report in reports:
        page = unescape((out / "stories" / f"{report['id']}.html").read_text(encoding="utf-8"))
        assert len(report["title"].split()) <= 14
        assert f"<h1>{report['title']}</h1>" in page
        assert f'<p class="dek">{report["dek"]}</p>' in page

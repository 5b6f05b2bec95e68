"""Feed entries and HTML pages that would make reading slow or unbounded (issue 20): each
is read in bounded time, or skipped with the reason, and the good ones beside it are kept."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.errors import InputError, TooLargeError
from storyline.ingest.markup import html_to_text
from storyline.model import Article
from storyline.pipeline import IngestReport, read_file

IngestFolder = Callable[[Path, Settings], tuple[IngestReport, list[dict[str, object]]]]
Deadline = Callable[[int], AbstractContextManager[None]]

GOOD = "The council approved the new budget on Monday after a long debate, officials said."


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


@pytest.mark.parametrize(
    "fragment",
    ["<" * 1_000_000, "<p" * 500_000, "<script" * 150_000, "<script>" * 150_000, "< " * 500_000,
     "<!--" * 250_000, "<b title='" * 100_000],
)  # fmt: skip
def test_html_to_text_is_linear(fragment: str) -> None:
    # these took hours with the former patterns (each unclosed "<" scanned to the end)
    assert timed(lambda: html_to_text(fragment)) < 2.0


def test_html_to_text_still_strips_markup() -> None:
    text = html_to_text(
        "<p>One<script>var x = '<p>';</script> two</p><STYLE>p {}</STYLE >"
        "<div class='a'>three &amp; <b>four</b></div><br/>five<script>never closed"
    )
    assert text.split() == ["One", "two", "three", "&", "four", "five"]
    assert "\n\n" in text


def test_feed_entry_of_many_unclosed_tags_is_read_quickly(
    tmp_path: Path, settings: Settings, deadline: Deadline
) -> None:
    path = tmp_path / "tags.xml"
    payload = "<p" * 600_000  # 1.2 MB; feedparser's sanitizer alone took 17 s on it
    path.write_text(
        "<rss><channel><title>F</title>"
        f"<item><title>Tags</title><description><![CDATA[{GOOD} {payload}]]></description></item>"
        f"<item><title>Good</title><description>{GOOD} Second.</description></item>"
        "</channel></rss>"
    )
    with deadline(20):
        elapsed = timed(lambda: read_file(path, settings))
    assert elapsed < 5.0
    titles = [r.title for r in read_file(path, settings) if isinstance(r, Article)]
    assert titles == ["Tags", "Good"]


def test_html_markup_titles_in_feeds_become_text(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "atom.xml"
    path.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry>'
        '<title type="html">&lt;b&gt;Budget&lt;/b&gt; &amp;amp; &lt;script&gt;x()&lt;/script&gt;'
        f'vote</title><content type="html">&lt;p&gt;{GOOD}&lt;/p&gt;&lt;script&gt;alert(1)'
        "&lt;/script&gt;</content></entry></feed>"
    )
    [article] = read_file(path, settings)
    assert isinstance(article, Article)
    assert (article.title, article.text) == ("Budget & vote", GOOD)


def test_html_page_of_100000_paragraphs_is_skipped_before_extraction(
    inbox: Path, settings: Settings, ingest_folder: IngestFolder
) -> None:
    body = "".join(f"<p>Short paragraph {n}.</p>" for n in range(100_000))  # 2.6 MB
    (inbox / "huge.html").write_text(f"<html><body><article>{body}</article></body></html>")
    (inbox / "good.txt").write_text(GOOD)
    start = time.perf_counter()
    report, stored = ingest_folder(inbox, settings)  # extraction took 29 s
    assert time.perf_counter() - start < 5.0
    assert [row["text"] for row in stored] == [GOOD]
    [skip] = report.skipped
    assert Path(skip.path).name == "huge.html"
    assert skip.reason == "HTML page has more than 30,000 elements (setting max_html_elements)"


def test_element_limit_is_a_setting(tmp_path: Path, settings: Settings) -> None:
    body = "".join(f"<p>{GOOD} Paragraph {n}.</p>" for n in range(50))
    path = tmp_path / "page.html"
    path.write_text(f"<html><body><article>{body}</article></body></html>")
    [article] = read_file(path, settings)
    assert isinstance(article, Article) and article.text.count("\n\n") == 49
    with pytest.raises(TooLargeError, match="more than 40 elements"):
        read_file(path, settings.with_(max_html_elements=40))
    # "<" in text and scripts is not an element
    path.write_text(f"<html><body><p>{GOOD} {'1 < 2 ' * 100}</p></body></html>")
    assert all(not isinstance(r, InputError) for r in read_file(path, settings))
    assert read_file(path, settings.with_(max_html_elements=40))

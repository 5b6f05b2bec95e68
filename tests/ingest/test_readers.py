"""Each reader on small real files: text (seed format), HTML, RSS, Atom, JSONL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.errors import InputError, ParseError
from storyline.ingest.normalize import article_id
from storyline.ingest.registry import find_files
from storyline.ingest.text import split_header
from storyline.model import Article
from storyline.pipeline import read_file


def articles(path: Path, settings: Settings) -> list[Article]:
    return [r for r in read_file(path, settings) if isinstance(r, Article)]


def errors(path: Path, settings: Settings) -> list[InputError]:
    return [r for r in read_file(path, settings) if isinstance(r, InputError)]


def test_seed_headers(seeds_dir: Path, settings: Settings) -> None:
    by_name = {p.name[:3]: articles(p, settings)[0] for p in sorted(seeds_dir.glob("*.txt"))}
    assert by_name["000"].published == date(2023, 1, 30)
    assert by_name["002"].published == date(2023, 1, 31)
    assert by_name["003"].published is None
    assert by_name["003"].title == (
        "Blinken calls for “urgent steps” to restore calm between Israel and the Palestinians"
    )
    assert by_name["000"].title is None
    assert by_name["000"].text.startswith("Egyptian President Abdel-Fattah al-Sisi held talks")
    assert "date 2023" not in by_name["002"].text
    assert by_name["003"].text.startswith("US Secretary of State Anthony Blinken")
    for article in by_name.values():
        assert article.source == "seeds"
        assert article.language == "en"
        assert "\n\n\n" not in article.text
        assert article.id == article_id(article.text)


def test_title_line_needs_blank_line_after_it() -> None:
    published, title, body = split_header("Short title\n\nBody text here.", "x.txt")
    assert (published, title, body.strip()) == (None, "Short title", "Body text here.")
    published, title, body = split_header("First line\nsecond line of the same paragraph", "x")
    assert title is None and body.startswith("First line")


def test_impossible_date_header_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="impossible date"):
        split_header("date 2023-02-30 Something happened on Monday.", "bad.txt")


def test_html_page(fixtures: Path, settings: Settings) -> None:
    [article] = articles(fixtures / "page.html", settings)
    assert article.title == "Flood waters recede in Marlow valley"
    assert article.source == "The Riverside Ledger"
    assert article.published == date(2024, 3, 6)
    assert article.url == "https://ledger.example/2024/03/06/flood-recede"
    assert article.text.startswith("Flood waters began to recede")
    assert "\n\n" in article.text  # paragraphs kept
    for boilerplate in ("Privacy", "Home", "tracker"):
        assert boilerplate not in article.text


def test_saved_pages_under_other_suffixes_are_read_as_html(
    fixtures: Path, tmp_path: Path, settings: Settings
) -> None:
    [expected] = articles(fixtures / "page.html", settings)
    page = (fixtures / "page.html").read_bytes()
    assert page.lstrip().lower().startswith(b"<!doctype html")
    saved = {
        "story.php": page,
        "story.aspx": b"\xef\xbb\xbf\n" + page,
        "saved.cont": b'<?xml version="1.0"?>\n<!-- saved -->\n' + page[page.index(b"<html") :],
        "story.utf16": page.decode("utf-8").encode("utf-16"),
    }
    for name, data in saved.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "notes.cont").write_text("Flood waters began to recede on Wednesday.\n")
    (tmp_path / "fragment.cont").write_text("<p>Flood waters began to recede.</p>\n")
    found = {f.path.name: f.reader.name if f.reader else None for f in find_files([tmp_path])}
    assert found == {name: "html" for name in saved}
    for name in saved:
        [article] = articles(tmp_path / name, settings)
        assert (article.id, article.title) == (expected.id, expected.title)


def test_rss_feed_one_article_per_entry(fixtures: Path, settings: Settings) -> None:
    found = articles(fixtures / "feed.xml", settings)
    assert [a.title for a in found] == [
        "Port workers vote to extend strike",
        "Ferry services suspended as strike bites",
    ]
    first = found[0]
    assert first.source == "Northern Courier"
    assert first.published == date(2024, 3, 5)
    assert first.entry == 0
    assert "“We are not going back without a contract,”" in first.text  # full content, decoded
    assert "teaser" not in first.text
    [empty] = errors(fixtures / "feed.xml", settings)
    assert empty.path.endswith("feed.xml:3") and "no text" in empty.reason


def test_atom_feed(fixtures: Path, settings: Settings) -> None:
    [article] = articles(fixtures / "atom.xml", settings)
    assert article.source == "Coastal Wire"
    assert article.published == date(2024, 3, 7)
    assert article.text.startswith("A full recount on Thursday")
    assert "<p>" not in article.text


def test_jsonl_lines(fixtures: Path, settings: Settings) -> None:
    found = articles(fixtures / "wire.jsonl", settings)
    assert [a.entry for a in found] == [0, 3]
    assert found[0].title == "Search continues after Dorn landslide"
    assert found[0].source == "Alpine Wire"
    assert found[1].published == date(2024, 3, 12)
    reasons = {
        e.path.rsplit(":", 1)[1]: e.reason for e in errors(fixtures / "wire.jsonl", settings)
    }
    assert reasons["2"].startswith("not valid JSON")
    assert reasons["3"] == "missing required field 'text'"
    assert "not an ISO 8601 date" in reasons["5"]


def test_source_defaults_to_folder_name(tmp_path: Path, settings: Settings) -> None:
    folder = tmp_path / "harbour-herald"
    folder.mkdir()
    (folder / "a.txt").write_text("A ferry ran aground near the harbour on Monday, officials said.")
    [article] = articles(folder / "a.txt", settings)
    assert article.source == "harbour-herald"

"""Publication dates outside min_year..max_year (0001-01-01, 9999-12-31) or impossible as
written never reach the store, in any reader (issue 20: they overflowed in later stages)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.errors import InputError, ParseError
from storyline.ingest.dates import parse_iso_date
from storyline.model import Article
from storyline.pipeline import IngestReport, read_file

IngestFolder = Callable[[Path, Settings], tuple[IngestReport, list[dict[str, object]]]]

GOOD = "The council approved the new budget on Monday after a long debate, officials said."


def rss(*dates: str) -> str:
    items = "".join(
        f"<item><title>Entry {n}</title><pubDate>{d}</pubDate>"
        f"<description>{GOOD} Entry {n}.</description></item>"
        for n, d in enumerate(dates)
    )
    channel = f"<channel><title>Wire</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'


def atom(*dates: str) -> str:
    entries = "".join(
        f"<entry><title>Entry {n}</title><id>urn:e{n}</id><published>{d}</published>"
        f"<content type='text'>{GOOD} Entry {n}.</content></entry>"
        for n, d in enumerate(dates)
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom wire</title>{entries}</feed>'


def page(published: str) -> str:
    body = "".join(f"<p>{GOOD} Paragraph {n} of the report on the budget.</p>" for n in range(4))
    return (
        f'<html><head><title>Budget</title><meta property="article:published_time" '
        f'content="{published}"></head><body><article><h1>Budget</h1>{body}</article></body></html>'
    )


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("date 0001-01-01", "date in header 0001-01-01 is outside the years 1900..2100 "
         "(settings min_year, max_year)"),
        ("date 9999-12-31", "date in header 9999-12-31 is outside the years 1900..2100 "
         "(settings min_year, max_year)"),
        ("date 2023-02-29", "impossible date in header: date 2023-02-29"),
    ],
)  # fmt: skip
def test_text_header_dates_out_of_range_skip_the_file(
    tmp_path: Path, settings: Settings, header: str, reason: str
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"{header} {GOOD}")
    with pytest.raises(ParseError) as caught:
        read_file(path, settings)
    assert caught.value.reason == reason
    path.write_text(f"date 1899-12-31 {GOOD}")
    [article] = read_file(path, settings.with_(min_year=1800))
    assert isinstance(article, Article) and article.published == date(1899, 12, 31)


def test_rss_entries_with_bad_dates_are_skipped_one_by_one(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "wire.xml"
    path.write_text(
        rss(
            "Tue, 28 Feb 2023 10:00:00 +0000",
            "Mon, 01 Jan 0001 00:00:00 +0000",
            "Fri, 31 Dec 9999 23:59:59 +0000",
            "Tue, 28 Feb 2023 25:61:00 +0000",
            "Tue, 28 Feb 2023 10:00:00 +9900",
            "Tuesday",
            "Tue, 28 Feb 2023 23:30:00 -0500",
        )
    )
    results = read_file(path, settings)
    found = [r for r in results if isinstance(r, Article)]
    errors = {r.path.rsplit(":", 1)[1]: r.reason for r in results if isinstance(r, InputError)}
    assert [(a.entry, a.published) for a in found] == [
        (0, date(2023, 2, 28)),
        (6, date(2023, 3, 1)),  # feedparser's reading, in UTC, as before
    ]
    assert errors == {
        "2": "published date 0001-01-01 is outside the years 1900..2100 "
        "(settings min_year, max_year)",
        "3": "published date 9999-12-31 is outside the years 1900..2100 "
        "(settings min_year, max_year)",
        "4": "published date is not a real date and time: 'Tue, 28 Feb 2023 25:61:00 +0000'",
        "5": "published date has an impossible UTC offset: 'Tue, 28 Feb 2023 10:00:00 +9900'",
        "6": "published date cannot be read: 'Tuesday'",
    }


def test_atom_entries_with_bad_dates_are_skipped_one_by_one(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "wire.atom"
    path.write_text(
        atom(
            "2023-02-28T10:00:00Z",
            "0001-01-01T00:00:00Z",  # the zero time some feed generators write
            "2023-02-28T25:61:00Z",
            "2023-02-28T10:00:00+99:00",
            "2023-02-28T10:00:00.000+01:00",
        )
    )
    results = read_file(path, settings)
    found = [r for r in results if isinstance(r, Article)]
    errors = {r.path.rsplit(":", 1)[1]: r.reason for r in results if isinstance(r, InputError)}
    assert [a.entry for a in found] == [0, 4]
    assert errors == {
        "2": "published date 0001-01-01 is outside the years 1900..2100 "
        "(settings min_year, max_year)",
        "3": "published date is not a real date and time: '2023-02-28T25:61:00Z'",
        "4": "published date has an impossible UTC offset: '2023-02-28T10:00:00+99:00'",
    }


@pytest.mark.parametrize("published", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
def test_html_dates_out_of_range_are_not_taken(
    tmp_path: Path, settings: Settings, published: str
) -> None:
    path = tmp_path / "page.html"
    path.write_text(page(published))
    [article] = read_file(path, settings)
    assert isinstance(article, Article) and article.published is None


def test_html_dates_follow_the_setting(fixtures: Path, settings: Settings) -> None:
    [article] = read_file(fixtures / "page.html", settings)
    assert isinstance(article, Article) and article.published == date(2024, 3, 6)
    [article] = read_file(fixtures / "page.html", settings.with_(min_year=2025))
    assert isinstance(article, Article) and article.published is None


def test_parse_iso_date_is_strict() -> None:
    settings = Settings()
    assert parse_iso_date(" 2023-02-28T10:00:00Z ", "x", settings) == date(2023, 2, 28)
    assert parse_iso_date("2023-02-28T10:00:00-14:00", "x", settings) == date(2023, 2, 28)
    assert parse_iso_date("2023-W09-2", "x", settings) == date(2023, 2, 28)  # a week date
    assert parse_iso_date("20230228T1000+0100", "x", settings) == date(2023, 2, 28)
    bad_values = ("2023-02-28x", "28/02/2023", "2023-02-28T10:00:00+14:01", "", "T10:00",
                  "2023-02-28510:00", "2023-02-28x10:00", "２０２３-02-28")  # fmt: skip
    for bad in bad_values:
        with pytest.raises(ParseError):
            parse_iso_date(bad, "x", settings)


def test_no_stored_date_is_out_of_range(
    inbox: Path, settings: Settings, ingest_folder: IngestFolder
) -> None:
    """The poison pills of issue 20 end as skips; what is stored is safe for later stages."""
    (inbox / "good.txt").write_text(f"date 2023-02-28 {GOOD}")
    (inbox / "zero.txt").write_text(f"date 0001-01-01 {GOOD} Zero.")
    (inbox / "max.txt").write_text(f"date 9999-12-31 {GOOD} Max.")
    (inbox / "lines.jsonl").write_text(
        f'{{"text": "{GOOD} One.", "published": "0001-01-01"}}\n'
        f'{{"text": "{GOOD} Two.", "published": "9999-12-31T00:00:00Z"}}\n'
        f'{{"text": "{GOOD} Three.", "published": "2023-03-01"}}\n'
    )
    (inbox / "feed.xml").write_text(rss("Mon, 01 Jan 0001 00:00:00 +0000", "Wed, 01 Mar 2023"))
    (inbox / "page.html").write_text(page("9999-12-31"))
    report, stored = ingest_folder(inbox, settings)
    assert {Path(s.path).name for s in report.skipped} == {
        "zero.txt", "max.txt", "lines.jsonl:1", "lines.jsonl:2", "feed.xml:1",
    }  # fmt: skip
    assert all("outside the years 1900..2100" in s.reason for s in report.skipped)
    assert sorted(str(row["published"]) for row in stored) == [
        "2023-02-28", "2023-03-01", "2023-03-01", "None",
    ]  # fmt: skip

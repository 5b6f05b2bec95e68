"""Publication dates from date-organised archives: the file's name, its folder, YYYY/MM/DD."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.ingest.dates import date_in_path

from .conftest import IngestFolder

BODY = "Officials said the talks would continue next week in the capital, according to aides.\n"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("polnear/breitbart_2015-11-11_the-ninth-circle.txt", date(2015, 11, 11)),
        ("archive/story_2016_03_01.html", date(2016, 3, 1)),
        ("archive/AFP.20160301.0042.txt", date(2016, 3, 1)),
        ("topic/InputDocs/2010-04-20/0042.htm", date(2010, 4, 20)),
        ("site/2024/03/15/story.html", date(2024, 3, 15)),
        ("site/2024/3/5/story.html", date(2024, 3, 5)),
        # the name's date comes before the folder's
        ("2010-04-20/notes-2010-04-22.txt", date(2010, 4, 22)),
        # an impossible date in the name leaves the folder's
        ("2010-04-20/draft-2010-02-30.txt", date(2010, 4, 20)),
    ],
)
def test_dates_named_by_the_archive(path: str, expected: date) -> None:
    assert date_in_path(Path("/data") / path, Settings()) == expected


@pytest.mark.parametrize(
    "path",
    [
        "notes/story.txt",
        "notes/id-120230126.txt",  # part of a longer number
        "notes/id-2023012601.txt",
        "notes/2023-13-01.txt",  # no such month
        "notes/2023-02-29.txt",  # not a leap year
        "notes/1850-06-01.txt",  # before min_year
        "notes/2023-01-2-draft.txt",
        "2023-01-26-backup/articles/story.txt",  # a date above the file's own folder
        "2024/03/15/articles/story.txt",
        "2024/13/15/story.txt",
    ],
)
def test_names_that_give_no_date(path: str) -> None:
    assert date_in_path(Path("/data") / path, Settings()) is None


def test_year_range_applies() -> None:
    late = Settings().with_(min_year=2020)
    assert date_in_path(Path("/data/story-2016-03-01.txt"), late) is None
    assert date_in_path(Path("/data/story-2021-03-01.txt"), late) == date(2021, 3, 1)


def test_ingest_dates_undated_articles_only(
    tmp_path: Path, settings: Settings, ingest_folder: IngestFolder
) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "2016" / "03" / "01").mkdir(parents=True)
    (inbox / "2016" / "03" / "01" / "talks.txt").write_text(BODY, encoding="utf-8")
    (inbox / "cnn_2016-02-09_primary.txt").write_text(
        "date 2016-02-10 " + BODY.replace("talks", "vote count"), encoding="utf-8"
    )
    (inbox / "undated.txt").write_text(BODY.replace("talks", "negotiations"), encoding="utf-8")
    line = json.dumps({"text": BODY.replace("talks", "meetings")})
    (inbox / "feed-2016-01-15.jsonl").write_text(line + "\n", encoding="utf-8")

    report, stored = ingest_folder(inbox, settings)
    assert not report.skipped
    published = {Path(str(row["path"])).name: row["published"] for row in stored}
    assert published == {
        "talks.txt": "2016-03-01",
        "cnn_2016-02-09_primary.txt": "2016-02-10",  # the header the article states wins
        "undated.txt": None,
        "feed-2016-01-15.jsonl": "2016-01-15",
    }


def test_setting_off_keeps_articles_undated(
    tmp_path: Path, settings: Settings, ingest_folder: IngestFolder
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "cnn_2016-02-09_primary.txt").write_text(BODY, encoding="utf-8")
    _, stored = ingest_folder(inbox, settings.with_(date_from_path=False))
    assert [row["published"] for row in stored] == [None]

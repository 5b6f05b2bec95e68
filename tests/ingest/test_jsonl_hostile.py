"""JSONL lines are decoded and checked one by one: a bad line is a `path:LINE: reason` skip
and the good lines beside it are stored (issue 20)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.errors import InputError, ParseError
from storyline.ingest.jsonl import MAX_BAD_LEADING, MAX_DEPTH
from storyline.model import Article
from storyline.pipeline import IngestReport, read_file

IngestFolder = Callable[[Path, Settings], tuple[IngestReport, list[dict[str, object]]]]

GENEVA = "Le président Müller a visité Genève mardi pour parler du budget de la ville."
GOOD = "The council approved the new budget on Monday after a long debate, officials said."


def line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def split(results: list[Article | InputError]) -> tuple[list[Article], dict[int, str]]:
    """The articles, and the skipped lines as line number -> reason."""
    found = [r for r in results if isinstance(r, Article)]
    skipped = {
        int(r.path.rsplit(":", 1)[1]): r.reason for r in results if isinstance(r, InputError)
    }
    return found, skipped


def test_one_latin1_line_does_not_turn_the_utf8_lines_into_mojibake(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "mixed.jsonl"
    utf8 = [line(text=f"{GENEVA} Ligne {n}.", title="Genève") for n in range(3)]
    latin1 = line(text=f"{GENEVA} Ligne latine.", title="Zürich").encode("latin-1")
    path.write_bytes(b"\n".join([utf8[0].encode(), utf8[1].encode(), latin1, utf8[2].encode()]))
    found, skipped = split(read_file(path, settings))
    assert skipped == {}
    assert [a.text for a in found] == [
        f"{GENEVA} Ligne 0.",
        f"{GENEVA} Ligne 1.",
        f"{GENEVA} Ligne latine.",  # decoded on its own, not as UTF-8
        f"{GENEVA} Ligne 2.",
    ]
    assert [a.title for a in found] == ["Genève", "Genève", "Zürich", "Genève"]
    assert all("Ã" not in a.text for a in found)


def test_field_types_are_checked_per_line(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "types.jsonl"
    lines = [
        line(text=GOOD),
        line(text=42),
        line(text=GOOD + " Title.", title=["a", "list"]),
        line(text=GOOD + " Source.", source={"name": "x"}),
        line(text=GOOD + " Date.", published=20230228),
        "[1, 2, 3]",
        '"just a string"',
        line(text=GOOD + " Url.", url=True),
        line(text=GOOD + " Null title.", title=None, published=""),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    found, skipped = split(read_file(path, settings))
    assert [a.entry for a in found] == [0, 8]
    assert found[1].title is None and found[1].published is None
    assert skipped == {
        2: "field 'text' must be a string, not a number",
        3: "field 'title' must be a string or null, not an array",
        4: "field 'source' must be a string or null, not an object",
        5: "field 'published' must be an ISO 8601 date string, not a number 20230228",
        6: "a line must be a JSON object, not an array",
        7: "a line must be a JSON object, not a string",
        8: "field 'url' must be a string or null, not a boolean",
    }


def test_huge_integer_and_deep_nesting_skip_only_their_line(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "hostile.jsonl"
    deep = "[" * 100_000 + "]" * 100_000
    lines = [
        line(text=GOOD),
        '{"text": "%s", "views": %s}' % (GOOD, "7" * 5_000),  # noqa: UP031
        '{"text": "%s", "shares": -%s}' % (GOOD, "1" * 101),  # noqa: UP031
        '{"text": "%s", "nested": %s}' % (GOOD, deep),  # noqa: UP031
        deep,
        line(text=GOOD + " The vote was close.", views=12345678901234567890),
        # brackets inside strings are not nesting
        line(text=GOOD + " Brackets " + "[{" * 5_000 + " in the text."),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    found, skipped = split(read_file(path, settings))
    assert [a.entry for a in found] == [0, 5, 6]
    assert skipped == {
        2: "an integer of 5,000 digits (at most 100)",
        3: "an integer of 101 digits (at most 100)",
        4: f"JSON nested more than {MAX_DEPTH} levels deep",
        5: f"JSON nested more than {MAX_DEPTH} levels deep",
    }


def test_nesting_up_to_the_limit_is_read(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "nested.jsonl"
    inner = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    path.write_text('{"text": "%s", "x": %s}\n' % (GOOD, inner))  # noqa: UP031
    found, skipped = split(read_file(path, settings))
    assert skipped == {} and len(found) == 1


def test_lone_surrogates_are_replaced_and_the_article_can_be_stored(
    inbox: Path, settings: Settings, ingest_folder: IngestFolder
) -> None:
    broken = '{"text": "Broken \\ud800 text: GOOD", "title": "Title \\udfff end", "url": "\\ud83d"}'
    emoji = '{"text": "A real emoji \\ud83d\\ude00 stays: GOOD"}'
    (inbox / "surrogates.jsonl").write_text(
        f"{broken}\n{emoji}\n".replace("GOOD", GOOD), encoding="utf-8"
    )
    report, stored = ingest_folder(inbox, settings)
    assert report.skipped == [] and report.added == 2
    assert [row["text"] for row in stored] == [
        f"Broken \ufffd text: {GOOD}",
        f"A real emoji \U0001f600 stays: {GOOD}",
    ]
    assert stored[0]["title"] == "Title \ufffd end"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2023-02-28T25:61:00", "'published' is not an ISO 8601 date: '2023-02-28T25:61:00' "
         "(hour must be in 0..23)"),
        ("2023-02-28 is when it happened", "'published' is not an ISO 8601 date: "
         "'2023-02-28 is when it happened'"),
        ("2023-02-28T10:00:00+99:00", "'published' is not an ISO 8601 date: "
         "'2023-02-28T10:00:00+99:00' (impossible UTC offset)"),
        ("2023-02-28T10:00:00+15:00", "'published' has an impossible UTC offset: "
         "'2023-02-28T10:00:00+15:00'"),
        ("2023-02-30", "'published' is not an ISO 8601 date: '2023-02-30' "
         "(day is out of range for month)"),
        ("yesterday", "'published' is not an ISO 8601 date: 'yesterday'"),
        ("0001-01-01", "'published' 0001-01-01 is outside the years 1900..2100 "
         "(settings min_year, max_year)"),
        ("9999-12-31T23:59:59Z", "'published' 9999-12-31 is outside the years 1900..2100 "
         "(settings min_year, max_year)"),
    ],
)  # fmt: skip
def test_bad_published_values_skip_the_line(
    tmp_path: Path, settings: Settings, value: str, reason: str
) -> None:
    path = tmp_path / "dates.jsonl"
    path.write_text(f"{line(text=GOOD, published=value)}\n{line(text=GOOD + ' Again.')}\n")
    found, skipped = split(read_file(path, settings))
    assert skipped == {1: reason}
    assert [a.entry for a in found] == [1]


def test_good_published_values(tmp_path: Path, settings: Settings) -> None:
    values = [
        *("2023-02-28", "2023-02-28T23:30:00-05:00", "2023-02-28T10:00:00Z"),
        *("2023-02-28 10:00", "2023-02-28T10:00:00.1+14:00", "1900-01-01", "2100-12-31"),
    ]
    path = tmp_path / "dates.jsonl"
    path.write_text("\n".join(line(text=f"{GOOD} {n}", published=v) for n, v in enumerate(values)))
    found, skipped = split(read_file(path, settings))
    assert skipped == {}
    assert [a.published for a in found] == [date(2023, 2, 28)] * 5 + [
        date(1900, 1, 1),
        date(2100, 12, 31),
    ]  # the date as written, in its own offset


def test_year_range_is_a_setting(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "old.jsonl"
    path.write_text(line(text=GOOD, published="1850-06-01"))
    assert isinstance(read_file(path, settings)[0], ParseError)
    [article] = read_file(path, settings.with_(min_year=1800))
    assert isinstance(article, Article) and article.published == date(1850, 6, 1)
    assert "outside the years 1900..2000" in str(
        read_file(path, settings.with_(min_year=1900, max_year=2000))[0]
    )


def test_line_separators_inside_strings_do_not_split_lines(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "separators.jsonl"
    text = f"{GOOD}\u2028Second line.\x85Third\u2029 part."
    path.write_text(line(text=text) + "\r\n" + line(text=GOOD + " Next.") + "\r\n")
    found, skipped = split(read_file(path, settings))
    assert skipped == {} and len(found) == 2


def test_utf16_jsonl_with_bom(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "utf16.jsonl"
    path.write_bytes(("\n".join([line(text=GENEVA), "nope"])).encode("utf-16"))
    found, skipped = split(read_file(path, settings))
    assert [a.text for a in found] == [GENEVA]
    assert skipped == {2: "not valid JSON (Expecting value at column 1)"}


def test_a_file_of_only_bad_lines_is_skipped_as_a_whole(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "notjsonl.jsonl"
    path.write_text("\n".join(f"name,value,{n}" for n in range(5_000)))
    with pytest.raises(ParseError) as caught:
        read_file(path, settings)
    assert caught.value.path == str(path)
    assert caught.value.reason.startswith(f"not JSON Lines: the first {MAX_BAD_LEADING} lines")
    # after a good line, bad lines are skipped one by one, however many
    path.write_text(line(text=GOOD) + "\n" + "\n".join("x" for _ in range(150)))
    found, skipped = split(read_file(path, settings))
    assert len(found) == 1 and len(skipped) == 150


def test_a_run_stores_the_good_lines_and_files_beside_the_bad_ones(
    inbox: Path, settings: Settings, ingest_folder: IngestFolder
) -> None:
    (inbox / "good.txt").write_text(GOOD)
    (inbox / "wire.jsonl").write_bytes(
        b"\n".join(
            [
                line(text=GENEVA, published="2023-02-28").encode(),
                ('{"text": "%s", "n": %s}' % (GOOD, "9" * 5_000)).encode(),  # noqa: UP031
                ("[" * 100_000).encode(),
                line(text=GOOD + " Dated badly.", published="2023-02-28T25:61:00").encode(),
                line(text=GOOD + " Too early.", published="0001-01-01").encode(),
                line(text=GOOD + " \ud800 surrogate.").encode("utf-8", "surrogatepass"),
                line(text=GENEVA + " Latin-1.").encode("latin-1"),
            ]
        )
    )
    report, stored = ingest_folder(inbox, settings)
    skipped = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(skipped) == {"wire.jsonl:2", "wire.jsonl:3", "wire.jsonl:4", "wire.jsonl:5"}
    assert "integer of 5,000 digits" in skipped["wire.jsonl:2"]
    assert "nested more than" in skipped["wire.jsonl:3"]
    assert "hour must be in 0..23" in skipped["wire.jsonl:4"]
    assert "outside the years" in skipped["wire.jsonl:5"]
    assert report.added == 4
    by_entry = {row["entry"]: row for row in stored if str(row["path"]).endswith(".jsonl")}
    assert by_entry[0]["text"] == GENEVA and by_entry[0]["published"] == "2023-02-28"
    assert by_entry[5]["text"] == f"{GOOD} \ufffd surrogate."
    assert by_entry[6]["text"] == f"{GENEVA} Latin-1."
    assert any(row["text"] == GOOD for row in stored)  # the good file beside it


def test_a_language_that_is_no_language_tag_is_detected_instead(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "languages.jsonl"
    values = ["fr-CH", "\\ud800", "english", "12", "de_AT"]
    path.write_text("\n".join(f'{{"text": "{GOOD} {n}", "language": "{v}"}}' for n, v in
                              enumerate(values)))  # fmt: skip
    found, skipped = split(read_file(path, settings))
    assert skipped == {}
    assert [a.language for a in found] == ["fr", "en", "en", "en", "de"]


def test_nesting_is_checked_in_linear_time(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "brackets.jsonl"
    lines = [
        "[" * 100_000,  # never closed: json recurses all the same
        "[" * 70 + '"' + '\\"' * 100_000,  # unterminated string of escaped quotes
        line(text=GOOD, flat=[[1]] * 500_000),  # wide, not deep
        line(text=GOOD + " Deep enough.", deep=[[[[[[[[[[1]]]]]]]]]]),
    ]
    path.write_text("\n".join(lines))
    start = time.perf_counter()
    found, skipped = split(read_file(path, settings))
    assert time.perf_counter() - start < 5.0
    assert [a.entry for a in found] == [2, 3]
    assert skipped == {
        1: f"JSON nested more than {MAX_DEPTH} levels deep",
        2: f"JSON nested more than {MAX_DEPTH} levels deep",
    }

"""Property-based fuzzing of the readers (Hypothesis) over raw bytes, JSONL lines and feed XML.

Whatever the input, a reader returns Articles and InputErrors (or raises one InputError for
the whole file): never another exception, never text that cannot be stored, never a date
outside min_year..max_year; what it returns can be stored in a real database.

In CI the examples are few and derandomized (well under a minute). A longer session:

    STORYLINE_FUZZ_EXAMPLES=3000 .venv/bin/pytest -q tests/ingest/test_fuzz.py
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st

from storyline.config import Settings
from storyline.errors import InputError
from storyline.ingest.files import read_data
from storyline.ingest.normalize import article_id, clean_text
from storyline.model import Article
from storyline.store import Skip, Store

EXAMPLES = int(os.environ.get("STORYLINE_FUZZ_EXAMPLES", "40"))
LONG = "STORYLINE_FUZZ_EXAMPLES" in os.environ
FUZZ = fuzz_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG,
    database=None if not LONG else fuzz_settings.default.database,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SETTINGS = Settings().with_(min_text_chars=10, workers=1)
SUFFIXES = (".txt", ".html", ".xml", ".jsonl")
WORDS = "The council approved the budget on Monday after a long debate, officials said."


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with Store(tmp_path_factory.mktemp("fuzz") / "fuzz.db") as opened:
        yield opened


def read(name: str, data: bytes) -> list[Article | InputError]:
    try:
        return read_data(Path(name), data, SETTINGS)
    except InputError as exc:  # a whole-file problem: one error
        return [exc]


def check(results: list[Article | InputError], store: Store) -> None:
    """The readers' contract, and that everything returned can be stored."""
    run = store.start_run()
    for result in results:
        if isinstance(result, InputError):
            assert result.reason and result.path
            result.path.encode("utf-8")
            result.reason.encode("utf-8")
            store.record_skip(run, Skip(result.path, result.reason))
            continue
        assert isinstance(result, Article)
        for value in (result.text, result.title, result.source, result.url, result.path):
            if value is not None:
                value.encode("utf-8")  # no lone surrogates
        assert clean_text(result.text) == result.text  # normalising is idempotent
        assert result.id == article_id(result.text)
        assert len(result.text) >= SETTINGS.min_text_chars
        if result.published is not None:
            assert SETTINGS.min_year <= result.published.year <= SETTINGS.max_year
        store.add_article(result)


#: text with what breaks things: lone surrogates, controls between letters and accents,
#: line and paragraph separators, BOMs, bidi controls, odd spaces (joined from pieces, so
#: that sequences such as letter + control + accent come up)
_PIECES = ("e", "A", " ", "\x00", "\x07", "\u0301", "\u0308", "\u2028", "\x85", "\ufeff",
           "\u202e", "\u200b", "\n", "\n\n", "\r", "\t", "\u2000", "\xa0", "\\", '"')  # fmt: skip
_nasty = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.characters(categories=["Cs"]), st.text(max_size=4)),
    max_size=30,
).map("".join)

# -- raw bytes --------------------------------------------------------------------------

_PREFIXES = (
    b"",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"date 2023-01-30 ",
    b"date 0001-01-01 ",
    b"<html><body><p>",
    b"<rss><channel><item><description>",
    b'{"text": "',
)
raw_bytes = st.one_of(
    st.binary(max_size=3_000),
    st.builds(
        lambda prefix, body: prefix + body,
        st.sampled_from(_PREFIXES),
        st.one_of(
            st.binary(max_size=2_000),
            st.one_of(st.text(max_size=600), _nasty).map(
                lambda t: t.encode("utf-8", "surrogatepass")
            ),
            st.text(st.characters(max_codepoint=255), max_size=600).map(
                lambda t: t.encode("latin-1")
            ),
        ),
    ),
)


@FUZZ
@given(data=raw_bytes, suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_in_any_reader(store: Store, data: bytes, suffix: str) -> None:
    check(read(f"fuzz{suffix}", data), store)


# -- JSONL lines ------------------------------------------------------------------------

_json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=80),
    _nasty,
)
_json_values = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
_dates = st.one_of(
    st.sampled_from(
        [
            "2023-02-28",
            "2023-02-28T25:61:00",
            "2023-02-28 is when it happened",
            "2023-02-28T10:00:00+99:00",
            "0001-01-01",
            "9999-12-31T23:59:59Z",
            "",
            "2023-02-28T10:00:00-05:00",
            "20230228",
            "2023-W09-2",
        ]
    ),
    st.dates().map(str),
    st.datetimes().map(lambda d: d.isoformat()),
    _json_values,
)
_texts = st.one_of(
    st.just(WORDS),
    st.text(min_size=0, max_size=300),
    st.builds(lambda t: f"{WORDS} {t}", st.one_of(st.text(max_size=100), _nasty)),
    _json_values,
)
_records = st.fixed_dictionaries(
    {},
    optional={
        "text": _texts,
        "title": st.one_of(st.text(max_size=60), _json_values),
        "source": st.one_of(st.text(max_size=30), st.none()),
        "url": st.one_of(st.text(max_size=40), st.none()),
        "published": _dates,
        "language": st.one_of(st.sampled_from(["en", "fr-CH", "xx", ""]), _json_values),
        "extra": _json_values,
    },
)


def _encode(line: str, encoding: str) -> bytes:
    try:
        return line.encode(encoding, "surrogatepass" if encoding == "utf-8" else "strict")
    except UnicodeEncodeError:
        return line.encode("utf-8", "surrogatepass")


_lines = st.one_of(
    st.builds(
        lambda record, ascii_only: json.dumps(record, ensure_ascii=ascii_only),
        _records,
        st.booleans(),
    ),
    st.builds(lambda value: json.dumps(value), _json_values),
    st.text(max_size=80),
    st.sampled_from(["[" * 5_000, '{"text": "' + WORDS + '", "n": ' + "9" * 5_000 + "}", ""]),
)


@FUZZ
@given(
    lines=st.lists(
        st.tuples(_lines, st.sampled_from(["utf-8", "latin-1", "cp1252"])), min_size=1, max_size=8
    ),
    ending=st.sampled_from([b"\n", b"\r\n"]),
)
def test_jsonl_lines(store: Store, lines: list[tuple[str, str]], ending: bytes) -> None:
    data = ending.join(_encode(line, encoding) for line, encoding in lines)
    results = read("fuzz.jsonl", data)
    check(results, store)
    if len(results) == 1 and not isinstance(results[0], Article):
        return  # the whole file refused (empty, binary)
    raw_lines = data.split(b"\n")
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 splits differently
        # one result per line that is not blank (ASCII printable: surely not blank)
        surely = sum(1 for line in raw_lines if re.search(rb"[!-~]", line))
        maybe = sum(1 for line in raw_lines if line.strip())
        assert surely <= len(results) <= maybe
    for result in results:
        if isinstance(result, Article):
            assert result.entry is not None and result.entry < len(raw_lines)
        else:
            assert result.path.startswith("fuzz.jsonl:")


# -- feed XML ---------------------------------------------------------------------------

_xml_text = st.one_of(
    st.text(max_size=120),
    st.builds(lambda t: f"{WORDS} {t}", st.text(max_size=80)),
    st.sampled_from(["<![CDATA[<p>" + WORDS + "</p>]]>", "&lt;p&gt;" + WORDS, "&bogus;", "<p"]),
)
_feed_dates = st.one_of(
    st.sampled_from(
        [
            "Tue, 28 Feb 2023 10:00:00 +0000",
            "Mon, 01 Jan 0001 00:00:00 +0000",
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "Tue, 28 Feb 2023 25:61:00 +0000",
            "Tue, 28 Feb 2023 10:00:00 +9900",
            "2023-02-28T10:00:00Z",
            "0001-01-01T00:00:00Z",
            "2023-02-30",
            "Tuesday",
            "",
        ]
    ),
    st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S +0000")),
    st.text(max_size=30),
)


def _rss(entries: list[dict[str, Any]], title: str) -> str:
    items = "".join(
        f"<item><title>{e['title']}</title><pubDate>{e['date']}</pubDate>"
        f"<link>{e['link']}</link><description>{e['text']}</description></item>"
        for e in entries
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'  # noqa: E501


def _atom(entries: list[dict[str, Any]], title: str) -> str:
    items = "".join(
        f"<entry><title type='html'>{e['title']}</title><published>{e['date']}</published>"
        f"<link href='{e['link']}'/><content type='html'>{e['text']}</content></entry>"
        for e in entries
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>{items}</feed>'


_entries = st.lists(
    st.fixed_dictionaries(
        {
            "title": st.one_of(_xml_text, _nasty),
            "date": _feed_dates,
            "text": _xml_text,
            "link": st.sampled_from(["https://x.example/a", "/dev/zero", "javascript:x", ""]),
        }
    ),
    min_size=1,
    max_size=5,
)


@FUZZ
@given(
    entries=_entries,
    title=_xml_text,
    kind=st.sampled_from([_rss, _atom]),
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=2_000)),
)
def test_feed_xml(
    store: Store, entries: list[dict[str, Any]], title: str, kind: Any, cut: int | None
) -> None:
    xml = kind(entries, title).encode("utf-8", "surrogatepass")
    if cut is not None:
        xml = xml[:cut]  # a feed cut short
    results = read("fuzz.xml", xml)
    check(results, store)
    for result in results:
        if isinstance(result, InputError):
            assert result.path == "fuzz.xml" or result.path.startswith("fuzz.xml:")

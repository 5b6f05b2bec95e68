"""The SGML newswire reader (TREC/LDC ``<DOC>`` files) on small real files, and files of
such archives found by their first bytes when their names have no known suffix."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as fuzz_settings
from hypothesis import strategies as st

from storyline.config import Settings
from storyline.errors import EmptyInputError, InputError, ParseError
from storyline.ingest.files import read_data, read_head
from storyline.ingest.registry import SNIFF_BYTES, find_files
from storyline.model import Article
from storyline.pipeline import IngestReport, read_file, run
from storyline.report.audit import active_content
from storyline.report.html import write_report
from storyline.store import Store

IngestFolder = Callable[[Path, Settings], tuple[IngestReport, list[dict[str, object]]]]
Deadline = Callable[[int], AbstractContextManager[None]]


def doc(
    text: str,
    docno: str | None = "APW19990105.0001",
    *,
    headline: str | None = "Bridge reopens after repairs",
    date_field: str = "",
) -> str:
    """One TDT-style ``<DOC>`` record."""
    parts = ["<DOC>"]
    if docno is not None:
        parts.append(f"<DOCNO> {docno} </DOCNO>")
    parts.append(date_field)
    parts.append("<BODY>")
    if headline is not None:
        parts.append(f"<HEADLINE>\n{headline}\n</HEADLINE>")
    parts.append(f"<TEXT>\n{text}\n</TEXT>\n</BODY>\n</DOC>\n")
    return "\n".join(parts)


BRIDGE = (
    "   MARLOW (AP) _ The old river bridge reopened on Tuesday after two years\n"
    "of repairs, the county said.\n"
    "   Drivers had used a ferry while the bridge was closed."
)


def articles(results: list[Article | InputError]) -> list[Article]:
    return [r for r in results if isinstance(r, Article)]


def test_one_article_per_doc_with_title_date_source(fixtures: Path, settings: Settings) -> None:
    path = fixtures / "newswire.sgml"
    ap, nyt, afp = read_file(path, settings)
    assert isinstance(ap, Article) and isinstance(nyt, Article) and isinstance(afp, Article)
    assert [a.entry for a in (ap, nyt, afp)] == [0, 1, 2]
    assert ap.title == "Ferry strike halts island traffic"
    assert ap.source == "Associated Press"
    assert (ap.published, ap.published_at) == (
        date(1999, 1, 1),
        datetime(1999, 1, 1, 10, 12, tzinfo=UTC),
    )
    assert ap.text.startswith("HALVERGATE (AP) _ Ferry workers walked off the job on Thursday,")
    assert "AP-NY" not in ap.text and "NEWS STORY" not in ap.text  # only <TEXT> is text
    assert nyt.title == "Islanders Stock Up as Ferry Strike Drags On"
    assert (nyt.source, nyt.published) == ("The New York Times", date(1999, 1, 2))
    assert nyt.published_at == datetime(1999, 1, 2, 21, 33, tzinfo=UTC)
    assert "Smith & Sons, the largest grocer" in nyt.text  # entity unescaped
    assert "A7422" not in nyt.text and "BC-FERRY" not in nyt.text
    # Gigaword style: id attribute, no DOCNO, no date field: date and source from the id
    assert (afp.title, afp.source, afp.language) == (
        "Ferry operator offers talks",
        "Agence France-Presse",
        "en",
    )
    assert (afp.published, afp.published_at) == (date(1999, 1, 3), None)
    assert "HALVERGATE, Jan 3" not in afp.text  # the DATELINE is not part of the text


def test_p_paragraphs_and_hard_wrapped_paragraphs(fixtures: Path, settings: Settings) -> None:
    ap, nyt, afp = articles(read_file(fixtures / "newswire.sgml", settings))
    # <P> starts a paragraph; a line break inside one is wrapping and stays a single break
    assert afp.text == (
        "The ferry operator offered on Sunday to meet the striking workers, a\n"
        "spokesman said.\n\n"
        "The strike has cut the islands off from the mainland since Thursday."
    )
    assert nyt.text.count("\n\n") == 1
    # no <P>: a line indented deeper than the sentence-final line before it starts one
    assert ap.text.split("\n\n") == [
        "HALVERGATE (AP) _ Ferry workers walked off the job on Thursday,\n"
        "halting traffic to the islands for the first time in a decade.",
        "The union said the strike would last until the operator agreed\n"
        "to a new contract. ``We have waited long enough,'' said\n"
        "union leader Marta Oyelaran.",
        "Talks are to resume on Monday.",
    ]


@pytest.mark.parametrize(
    ("field", "expected", "moment"),
    [
        ("<DATE_TIME> 1999-01-01 10:12 </DATE_TIME>", date(1999, 1, 1), (10, 12)),
        ("<DATE_TIME> 01/02/1999 10:12:00 </DATE_TIME>", date(1999, 1, 2), (10, 12)),
        ("<DATE> 19990103 </DATE>", date(1999, 1, 3), None),
        (
            "<DATE>\n<P>\nJanuary 4, 1999, Monday, Home Edition\n</P>\n</DATE>",
            date(1999, 1, 4),
            None,
        ),
        ("<DATE_TIME> sometime in winter </DATE_TIME>", date(1999, 1, 5), None),  # -> DOCNO
        ("", date(1999, 1, 5), None),  # no date field: from the DOCNO
    ],
)
def test_date_forms(
    tmp_path: Path,
    settings: Settings,
    field: str,
    expected: date,
    moment: tuple[int, int] | None,
) -> None:
    path = tmp_path / "dates.sgml"
    path.write_text(doc(BRIDGE, "APW19990105.0001", date_field=field), encoding="utf-8")
    [article] = read_file(path, settings)
    assert isinstance(article, Article)
    assert article.published == expected
    at = article.published_at
    assert (at.hour, at.minute) == moment if at is not None else moment is None


@pytest.mark.parametrize(
    ("docno", "source", "published"),
    [
        ("NYT19981016.0266", "The New York Times", date(1998, 10, 16)),
        ("XIE19981016.0013", "Xinhua", date(1998, 10, 16)),
        ("LTW19981016.0001", "Los Angeles Times/Washington Post", date(1998, 10, 16)),
        ("CNA_ENG_20050101.0002", "Central News Agency", date(2005, 1, 1)),
        ("ZZT19981016.0005", "ZZT", date(1998, 10, 16)),  # unknown code: the code itself
        ("APW19981399.0001", "Associated Press", None),  # digits that are no date: no date
        (None, "wire", None),  # nothing: the folder's name, as for other files
    ],
)
def test_source_and_date_from_the_docno(
    tmp_path: Path, settings: Settings, docno: str | None, source: str, published: date | None
) -> None:
    folder = tmp_path / "wire"
    folder.mkdir()
    path = folder / "one.sgml"
    path.write_text(doc(BRIDGE, docno, headline=None), encoding="utf-8")
    [article] = read_file(path, settings)
    assert isinstance(article, Article)
    assert (article.source, article.published, article.title) == (source, published, None)


def test_bad_docs_are_skipped_with_reasons_and_the_others_stored(
    inbox: Path, settings: Settings, ingest_folder: IngestFolder
) -> None:
    good = "The council approved the new budget on Monday after a long debate, officials said."
    records = [
        doc(good, "APW19990105.0001"),
        "<DOC>\n<DOCNO> APW19990105.0002 </DOCNO>\n<HEADLINE>No body</HEADLINE>\n</DOC>\n",
        doc("   ", "APW19990105.0003"),
        doc(good.replace("budget", "plan"), "APW19990105.0004",
            date_field="<DATE_TIME> 1999-02-30 09:00 </DATE_TIME>"),
        doc(good.replace("budget", "road"), "APW18500105.0005"),  # year outside the range
        doc(good.replace("budget", "school"), "NYT19990105.0006"),
        "<DOC>\n<DOCNO> APW19990105.0007 </DOCNO>\n<TEXT>\nA record cut short by the end",
    ]  # fmt: skip
    (inbox / "batch.sgml").write_text("".join(records), encoding="utf-8")
    report, stored = ingest_folder(inbox, settings)
    assert [(row["entry"], row["published"]) for row in stored] == [
        (0, "1999-01-05"),
        (5, "1999-01-05"),
    ]
    where = str(inbox / "batch.sgml")
    assert {s.path: s.reason for s in report.skipped} == {
        f"{where}:2": "<DOC> record has no <TEXT> (DOCNO 'APW19990105.0002')",
        f"{where}:3": "entry has no text (DOCNO 'APW19990105.0003')",
        f"{where}:4": "date in <DATE_TIME> is not a real date and time: '1999-02-30 09:00' "
        "(DOCNO 'APW19990105.0004')",
        f"{where}:5": "date in DOCNO APW18500105.0005 1850-01-05 is outside the years "
        "1900..2100 (settings min_year, max_year) (DOCNO 'APW18500105.0005')",
        f"{where}:7": "<DOC> record is not closed by </DOC> (DOCNO 'APW19990105.0007')",
    }
    kinds = [type(r) for r in read_file(inbox / "batch.sgml", settings)]
    assert kinds[1:3] == [ParseError, EmptyInputError]


def test_a_file_without_any_doc_is_a_parse_error(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "notes.sgml"
    path.write_text("<NOTE>nothing here</NOTE>\n", encoding="utf-8")
    with pytest.raises(ParseError, match="no <DOC> record") as caught:
        read_file(path, settings)
    assert caught.value.path == str(path)


def test_archive_files_without_a_known_suffix_are_found_by_their_first_bytes(
    inbox: Path, settings: Settings, ingest_folder: IngestFolder, deadline: Deadline
) -> None:
    (inbox / "APW19981016.0240").write_text(doc(BRIDGE, "APW19981016.0240"), encoding="utf-8")
    gigaword = doc(BRIDGE.replace("Tuesday", "Wednesday"), None).replace(
        "<DOC>", '<DOC id="NYT_ENG_20050101.0001" type="story">'
    )
    (inbox / "nyt_eng_200501").write_bytes(b"\xef\xbb\xbf \n\t" + gigaword.encode())
    (inbox / "README").write_text("Notes about this folder: <DOC> is the record tag.\n")
    (inbox / "late.0001").write_text(" " * SNIFF_BYTES + doc(BRIDGE))  # <DOC past the sniff
    (inbox / "image.0002").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (inbox / ".hidden").write_text(doc(BRIDGE.replace("river", "rail")))
    os.mkfifo(inbox / "pipe")  # no writer: opening it for reading would block
    (inbox / "zero").symlink_to("/dev/zero")
    with deadline(20):
        found = [(f.path.name, f.reader.name if f.reader else None) for f in find_files([inbox])]
        assert found == [("APW19981016.0240", "sgml"), ("nyt_eng_200501", "sgml")]
        report, stored = ingest_folder(inbox, settings)
    assert report.skipped == []
    assert [Path(str(row["path"])).name for row in stored] == [
        "APW19981016.0240",
        "nyt_eng_200501",
    ]
    assert [row["published"] for row in stored] == ["1998-10-16", "2005-01-01"]


def test_named_files_and_bytes_in_memory_are_sniffed_the_same_way(
    tmp_path: Path, settings: Settings, deadline: Deadline
) -> None:
    wire = tmp_path / "XIE19981016.0013"
    wire.write_text(doc(BRIDGE, "XIE19981016.0013"), encoding="utf-8")
    [article] = read_file(wire, settings)
    assert isinstance(article, Article) and article.source == "Xinhua"
    assert [f.reader.name for f in find_files([wire]) if f.reader] == ["sgml"]
    # the in-memory path (Spark's binaryFiles, say) picks the same reader for the same bytes
    [same] = read_data(Path("s3a://bucket/XIE19981016.0013"), wire.read_bytes(), settings)
    assert isinstance(same, Article) and same.id == article.id
    other = tmp_path / "README"
    other.write_text("The bridge reopened on Tuesday after two years of repairs.\n")
    assert [f.reader for f in find_files([other])] == [None]
    with pytest.raises(InputError, match="unsupported file type ''"):
        read_file(other, settings)
    with pytest.raises(InputError, match="unsupported file type ''"):
        read_data(other, other.read_bytes(), settings)
    fifo = tmp_path / "pipe.0001"
    os.mkfifo(fifo)
    with deadline(10):
        assert [f.reader for f in find_files([fifo])] == [None]
        with pytest.raises(InputError, match="named pipe"):
            read_file(fifo, settings)
        with pytest.raises(InputError, match="named pipe"):
            read_head(fifo)
    wire.write_text(doc(BRIDGE) * 3, encoding="utf-8")
    assert read_head(wire) == wire.read_bytes()[:SNIFF_BYTES]
    assert len(read_head(wire)) == SNIFF_BYTES < wire.stat().st_size


def test_hostile_markup_takes_linear_time(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "hostile.sgml"
    unclosed = "<DOC><TEXT>" * 20_000 + "<HEADLINE>" * 20_000 + "<DOC " * 20_000
    body = doc(BRIDGE, headline="<HEADLINE>" * 50_000 + "x") + unclosed
    path.write_text(body + "</DOC>", encoding="utf-8")
    started = time.perf_counter()
    results = read_file(path, settings)
    assert time.perf_counter() - started < 10
    assert isinstance(results[0], Article) and len(results) == 20_001
    assert all(isinstance(r, ParseError) for r in results[1:])


def test_script_in_the_text_stays_text_and_the_report_escapes_it(
    tmp_path: Path, settings: Settings
) -> None:
    text = (
        "   MARLOW (AP) _ The county said &lt;script&gt;alert(1)&lt;/script&gt; was painted\n"
        "on the new bridge on Tuesday. <script>alert(2)</script>Police are looking for the\n"
        "painter, the county said."
    )
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "APW19990105.0009"
    path.write_text(doc(text, headline="Bridge &lt;b&gt;defaced&lt;/b&gt;"), encoding="utf-8")
    [article] = read_file(path, settings)
    assert isinstance(article, Article)
    assert "said <script>alert(1)</script> was painted" in article.text  # text, not markup
    assert "alert(2)" not in article.text  # a script element is dropped with its content
    assert article.title == "Bridge <b>defaced</b>"
    run([folder], settings)
    with Store(settings.db, readonly=True) as store:
        write_report(store, tmp_path / "report")
    page = (tmp_path / "report" / "articles" / f"{article.id}.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page and active_content(page) == []


#: pieces of SGML newswire, well-formed and not, that the fuzz test strings together
PIECES = st.sampled_from(
    ["<DOC>", "</DOC>", '<DOC id="AFP_ENG_20050101.0001" type="story">', "<DOC id='x'", "<DOCNO>",
     " XIE19990230.0001 ", "APW18000101.0001", "</DOCNO>", "<TEXT>", "</TEXT>", "<P>", "</P>",
     "<HEADLINE>", "</HEADLINE>", "<DATE_TIME>", "</DATE_TIME>", "<DATE>", "</DATE>",
     "1999-02-30 25:61", "13/45/1999", "99999999", "Febtember 31, 1999", "2024-03-10 09:30",
     "&amp;", "&lt;script&gt;", "&#0;", "&#xd800;", "<script>", "\n   ", "\r\n", "\ufeff",
     "The bridge reopened on Tuesday after two years of repairs, the county said. ",
     "<TEXT>\n   The bridge reopened on Tuesday.\n   Drivers cheered.\n</TEXT>",
     "<DATE_TIME> 1999-02-30 </DATE_TIME>", "<DATE> 2024-03-10 09:30 </DATE>"]
)  # fmt: skip
RECORDS = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=12).map(
    lambda pieces: "<DOC>" + "".join(pieces) + "</DOC>\n"
)


@fuzz_settings(
    max_examples=60, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip
@given(st.lists(st.one_of(RECORDS, PIECES, st.text(max_size=12)), max_size=12))
def test_fuzzed_records_give_articles_or_reasons(pieces: list[str]) -> None:
    settings = Settings().with_(min_text_chars=10)
    data = "".join(pieces).encode("utf-8", "surrogatepass")
    try:
        results = read_data(Path("fuzz.sgml"), data, settings)
    except InputError as exc:  # the whole file: no <DOC>, not text
        assert exc.path == "fuzz.sgml"
        return
    for result in results:
        if isinstance(result, InputError):
            assert result.path.startswith("fuzz.sgml:") and result.reason
            continue
        assert isinstance(result, Article) and len(result.text) >= 10
        published = result.published
        assert published is None or settings.min_year <= published.year <= settings.max_year
        # markup is gone; only the escaped "&lt;script&gt;" comes back, as text
        assert re.search(r"<[^<>]*>", result.text.replace("<script>", "")) is None


STRIKE = [
    (
        "APW19990101.0001",
        "1999-01-01 10:12",
        "   HALVERGATE (AP) _ Ferry workers walked off the job on Thursday, halting\n"
        "traffic to the islands for the first time in a decade.\n"
        "   The union said the strike would last until the operator agreed to a\n"
        "new contract for its 400 workers.\n"
        "   Shops on the islands began to run short of bread and fuel.",
    ),
    (
        "NYT19990101.0188",
        "01/01/1999 18:40:00",
        "<P>\nFerry workers in Halvergate went on strike on Thursday, halting traffic to\n"
        "the islands for the first time in a decade.\n</P>\n<P>\n"
        "The operator said it was ready to negotiate a new contract with the union.\n</P>\n"
        "<P>\nIslanders said shops were running short of bread and fuel.\n</P>",
    ),
]


def test_summarize_a_folder_of_sgml_files_through_the_command(tmp_path: Path) -> None:
    folder = tmp_path / "duc"
    folder.mkdir()
    for docno, when, text in STRIKE:
        field = f"<DATE_TIME> {when} </DATE_TIME>"
        (folder / docno).write_text(doc(text, docno, date_field=field), encoding="utf-8")
    ids = {a.id for p in folder.iterdir() for a in articles(read_file(p, Settings()))}
    assert len(ids) == 2
    result = subprocess.run(
        [sys.executable, "-m", "storyline", "summarize", str(folder), "--max-words", "60",
         "--format", "json"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    sentences = json.loads(result.stdout)
    assert sentences and sum(len(s["text"].split()) for s in sentences) <= 60
    assert all(s["citations"] for s in sentences)
    assert {c["article"] for s in sentences for c in s["citations"]} <= ids
    assert any("Thursday" in s["text"] for s in sentences)

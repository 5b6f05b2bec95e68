"""TREC/LDC-style SGML newswire, the format of most research news archives (DUC, TAC, TDT,
English Gigaword, AQUAINT): one or many ``<DOC>`` ... ``</DOC>`` records per file, one
article each.

* text: the ``<TEXT>`` elements of the record (several are joined as paragraphs). A ``<P>``
  starts a paragraph; without ``<P>``, hard-wrapped copy keeps its paragraphs as the text
  reader has them (``text.indented_paragraphs``). Other tags are removed (a ``<script>`` or
  ``<style>`` with its content), entities unescaped, so ``&lt;script&gt;`` is text;
* title: the first ``<HEADLINE>`` (else ``<HEAD>``, TREC's AP and WSJ), on one line;
* date: ``<DATE_TIME>`` or ``<DATE>`` in a form below, else the date in the DOCNO (or the
  ``id`` attribute of Gigaword's ``<DOC id=...>``): ``APW19990101.0001``,
  ``AFP_ENG_20050101.0001``. Forms: ``1999-01-01 10:12``, ``01/01/1999 10:12:00`` (month
  first), ``19990101``, ``January 1, 1999``. A date in a known form that does not exist, or
  outside ``min_year..max_year``, skips the record with the reason; a field in another form
  is left for the DOCNO. A time of day becomes ``published_at`` (counted as UTC);
* source: the outlet of the LDC source code that starts the DOCNO (``SOURCES``), else the
  code itself; language: the ``_ENG``-style code of a Gigaword id, else detected.

A record that cannot be read (not closed, no ``<TEXT>``, too little text, a bad date) is
skipped as ``path:N: reason`` (N counts the records from 1) and the others are kept; a file
without any ``<DOC>`` record is a ParseError. Every scan runs in time linear in the file: a
closing tag is searched for once from where the last search stopped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from storyline.config import Settings
from storyline.errors import InputError, ParseError
from storyline.ingest.base import Reader, ReadResult, build_article
from storyline.ingest.dates import check_range, shown, utc_minute
from storyline.ingest.markup import html_to_text
from storyline.ingest.normalize import decode, display_path, sniff_head
from storyline.ingest.text import indented_paragraphs

#: LDC source codes (the letters a DOCNO starts with) and the outlets they stand for
SOURCES = {
    "AFE": "Agence France-Presse",
    "AFP": "Agence France-Presse",
    "AP": "Associated Press",
    "APE": "Associated Press",
    "APW": "Associated Press",
    "CNA": "Central News Agency",
    "LTW": "Los Angeles Times/Washington Post",
    "NYT": "The New York Times",
    "WSJ": "The Wall Street Journal",
    "XIE": "Xinhua",
    "XIN": "Xinhua",
}
#: Gigaword language codes (``AFP_ENG_...``) and their ISO 639-1 codes
LANGUAGES = {"ENG": "en", "SPA": "es", "FRE": "fr", "ARB": "ar", "CMN": "zh"}

_SNIFF = re.compile(rb"\A\s*<DOC[\s>]", re.IGNORECASE)
_OPEN_DOC = re.compile(r"<DOC(?=[\s>])[^<>]*>", re.IGNORECASE)
_CLOSE_DOC = re.compile(r"</DOC\s*>", re.IGNORECASE)
_ID = re.compile(r"""\bid\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)'|([^\s"'<>]+))""", re.IGNORECASE)
_P = re.compile(r"<P(?=[\s>/])", re.IGNORECASE)
#: DOCNO: source code, optional Gigaword language, optional "_", and then perhaps a date
_DOCNO = re.compile(r"\A([A-Za-z]+)(?:_([A-Za-z]{3})_?)?(?:(\d{8})(?!\d))?")
_TIME = r"(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
_ISO_DATE = re.compile(rf"\A(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TIME}(?![\d:])")
_US_DATE = re.compile(rf"\A(\d{{1,2}})/(\d{{1,2}})/(\d{{4}}){_TIME}(?![\d:])")
_COMPACT_DATE = re.compile(r"\A(\d{4})(\d{2})(\d{2})(?!\d)")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NAMED_DATE = re.compile(
    r"\A(?:[A-Za-z]+day,?\s+)?([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{1,2}),?\s+(\d{4})(?!\d)"
)


def looks_like_sgml(head: bytes) -> bool:
    """Whether the first bytes of a file show SGML newswire: ``<DOC`` after any whitespace
    and byte order mark."""
    return _SNIFF.match(sniff_head(head)) is not None


@dataclass(frozen=True, slots=True)
class Record:
    """One ``<DOC>`` record: its opening tag, its content, and whether ``</DOC>`` closed it
    (else the content runs to the next ``<DOC>`` or the end)."""

    tag: str
    body: str
    closed: bool = True


def records(text: str) -> Iterator[Record]:
    """The ``<DOC>`` records of ``text`` in order, closed or not."""
    opening = _OPEN_DOC.search(text)
    closing: re.Match[str] | None = None
    closed_after = 0  # where the search for the next closing tag starts
    while opening is not None:
        following = _OPEN_DOC.search(text, opening.end())
        if closing is None or closing.start() < opening.end():
            closing = _CLOSE_DOC.search(text, max(opening.end(), closed_after))
            closed_after = closing.end() if closing is not None else len(text)
        end = following.start() if following is not None else len(text)
        if closing is not None and closing.end() <= end:
            yield Record(opening.group(0), text[opening.end() : closing.start()])
        else:
            yield Record(opening.group(0), text[opening.end() : end], closed=False)
        opening = following


#: the elements read from a record: name -> (opening tag, closing tag)
_ELEMENTS = {
    name: (
        re.compile(rf"<{name}(?=[\s>])[^<>]*>", re.IGNORECASE),
        re.compile(rf"</{name}\s*>", re.IGNORECASE),
    )
    for name in ("DOCNO", "TEXT", "HEADLINE", "HEAD", "DATE_TIME", "DATE")
}


def elements(body: str, name: str) -> list[str]:
    """The contents of every ``<name>`` ... ``</name>`` element of ``body``, in order (name
    one of ``_ELEMENTS``)."""
    start, stop = _ELEMENTS[name]
    found: list[str] = []
    position = 0
    while (opening := start.search(body, position)) is not None:
        closing = stop.search(body, opening.end())
        if closing is None:
            break
        found.append(body[opening.end() : closing.start()])
        position = closing.end()
    return found


def record_text(body: str) -> str | None:
    """The text of a record's ``<TEXT>`` elements, paragraphs kept; None without one."""
    blocks = elements(body, "TEXT")
    if not blocks:
        return None
    parts = []
    for block in blocks:
        plain = html_to_text(block.replace("\r\n", "\n").replace("\r", "\n"))
        parts.append(plain if _P.search(block) else indented_paragraphs(plain))
    return "\n\n".join(parts)


def _one_line(markup: str) -> str:
    return " ".join(html_to_text(markup).split())


def _title(body: str) -> str | None:
    for name in ("HEADLINE", "HEAD"):
        for value in elements(body, name):
            if title := _one_line(value):
                return title
    return None


def _docno(record: Record) -> str | None:
    for value in elements(record.body, "DOCNO"):
        if number := _one_line(value):
            return number
    match = _ID.search(record.tag)
    if match is None:
        return None
    return next((g for g in match.groups() if g), None)


@dataclass(frozen=True, slots=True)
class Published:
    day: date | None
    moment: datetime | None = None


def _stated_date(value: str, where: str, what: str) -> Published | None:
    """The date (and time) of a date field in a known form; None for another form, and a
    ParseError for a date or time that does not exist."""
    fields: tuple[str | None, ...]
    if match := _ISO_DATE.match(value):
        fields = match.groups()
    elif match := _US_DATE.match(value):
        month, day, year, *clock = match.groups()
        fields = (year, month, day, *clock)
    elif match := _COMPACT_DATE.match(value):
        fields = (*match.groups(), None, None, None)
    elif (match := _NAMED_DATE.match(value)) and match[1].lower() in _MONTHS:
        fields = (match[3], str(_MONTHS.index(match[1].lower()) + 1), match[2], None, None, None)
    else:
        return None
    year, month, day, hour, minute, second = (int(f) if f else 0 for f in fields)
    try:
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise ParseError(where, f"{what} is not a real date and time: {shown(value)}") from exc
    return Published(moment.date(), utc_minute(moment) if fields[3] is not None else None)


def _published(body: str, docno: str | None, where: str, settings: Settings) -> Published:
    """The record's date from ``<DATE_TIME>`` / ``<DATE>``, else from its DOCNO (digits
    there that are no date are not an error: a DOCNO is a name, not a stated date)."""
    for name in ("DATE_TIME", "DATE"):
        for value in elements(body, name):
            what = f"date in <{name}>"
            stated = _stated_date(_one_line(value), where, what)
            if stated is not None and stated.day is not None:
                check_range(stated.day, where, settings, what)
                return stated
    match = _DOCNO.match(docno or "")
    if match is None or match[3] is None:
        return Published(None)
    what = f"date in DOCNO {docno}"
    try:
        stated = _stated_date(match[3], where, what)
    except ParseError:
        return Published(None)
    if stated is None or stated.day is None:
        return Published(None)
    check_range(stated.day, where, settings, what)
    return Published(stated.day)


def source_of(docno: str | None) -> str | None:
    """The outlet of a DOCNO's source code (``SOURCES``), else the code; None without one."""
    match = _DOCNO.match(docno or "")
    if match is None:
        return None
    code = match[1].upper()
    return SOURCES.get(code, code)


def _language(docno: str | None) -> str | None:
    match = _DOCNO.match(docno or "")
    return LANGUAGES.get(match[2].upper()) if match is not None and match[2] else None


def _article(path: Path, record: Record, index: int, settings: Settings) -> ReadResult:
    where = f"{display_path(path)}:{index + 1}"
    docno = _docno(record)
    try:
        if not record.closed:
            raise ParseError(where, "<DOC> record is not closed by </DOC>")
        text = record_text(record.body)
        if text is None:
            raise ParseError(where, "<DOC> record has no <TEXT>")
        published = _published(record.body, docno, where, settings)
        return build_article(
            path,
            text,
            settings,
            title=_title(record.body),
            source=source_of(docno),
            published=published.day,
            published_at=published.moment,
            language=_language(docno),
            entry=index,
            where=where,
        )
    except InputError as exc:
        if docno is None:
            return exc
        return type(exc)(exc.path, f"{exc.reason} (DOCNO {shown(docno)})")


def read_sgml(path: Path, data: bytes, settings: Settings) -> Iterator[ReadResult]:
    name = display_path(path)
    text = decode(data, name)
    found = False
    for index, record in enumerate(records(text)):
        found = True
        yield _article(path, record, index, settings)
    if not found:
        raise ParseError(name, "no <DOC> record: not SGML newswire (TREC/LDC <DOC> ... </DOC>)")


READER = Reader(name="sgml", suffixes=(".sgml", ".sgm"), read=read_sgml)

"""Wire-agency credits: which news agencies an article credits in its byline or dateline.

Needs: an ``Article`` (optionally its sentences, for provenance). Adds: ``AgencyCredit``
records (canonical agency name, where the credit is, the text as written). Articles of one
story credited to the same agency form one wire family (``link.stage.story_links``): a
rewrite of an AFP story counts as one source with AFP's other copies even when it was
rewritten too much for sentence reuse to see it.

Only the places where outlets credit agencies are read, never running text:

* datelines at the start of one of the first paragraphs: ``JERUSALEM (AFP) -``,
  ``HEMPSTEAD, N.Y., Sept. 26 (UPI) —``, ``(Reuters) —``, ``PARIS (dpa/AFP) –``;
* short byline lines among the first and last paragraphs: ``By Jane Doe, with AFP``,
  ``dpa/AFP``, ``By JOHN DOE Associated Press``;
* sign-offs at the end of one of the last paragraphs: ``... said. — AP``, ``(AFP)``,
  ``The Associated Press contributed to this report.``, Reuters' ``(Reporting by ...;
  Editing by ...)``;
* the article's own outlet when it is an agency (``source`` "Reuters", a URL on apnews.com).

"according to an AFP tally", "told Reuters" or a photo credit "(Photo: AFP)" are not credits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from storyline.model import Article, Sentence

#: canonical agency name -> the ways outlets write it (case-sensitive)
AGENCIES: dict[str, tuple[str, ...]] = {
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "AP": ("AP", "Associated Press", "The Associated Press"),
    "Reuters": ("Reuters", "REUTERS", "Thomson Reuters"),
    "UPI": ("UPI", "United Press International"),
    "dpa": ("dpa", "DPA", "Deutsche Presse-Agentur"),
    "ANSA": ("ANSA",),
    "EFE": ("EFE",),
    "Xinhua": ("Xinhua", "XINHUA"),
    "PA": ("PA Media", "Press Association"),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap",),
    "TASS": ("TASS",),
    "Interfax": ("Interfax",),
    "Anadolu": ("Anadolu Agency", "Anadolu"),
    "PTI": ("PTI",),
    "IANS": ("IANS",),
    "ANI": ("ANI",),
    "AAP": ("AAP", "Australian Associated Press"),
    "Canadian Press": ("The Canadian Press", "Canadian Press"),
    "Bloomberg": ("Bloomberg",),
    "Bernama": ("Bernama",),
    "MENA": ("MENA",),
    "WAFA": ("WAFA", "Wafa"),
}
#: registered domains of agencies' own sites
AGENCY_DOMAINS: dict[str, str] = {
    "afp.com": "AFP", "apnews.com": "AP", "ap.org": "AP", "reuters.com": "Reuters",
    "upi.com": "UPI", "dpa.com": "dpa", "ansa.it": "ANSA", "efe.com": "EFE",
    "xinhuanet.com": "Xinhua", "news.cn": "Xinhua", "kyodonews.net": "Kyodo",
    "yna.co.kr": "Yonhap", "tass.com": "TASS", "interfax.com": "Interfax", "aa.com.tr": "Anadolu",
    "ptinews.com": "PTI", "aap.com.au": "AAP", "thecanadianpress.com": "Canadian Press",
    "bloomberg.com": "Bloomberg", "bernama.com": "Bernama", "wafa.ps": "WAFA",
}  # fmt: skip
_NAME_OF = {alias: name for name, aliases in AGENCIES.items() for alias in aliases}
_ALIASES = sorted(_NAME_OF, key=len, reverse=True)
_AG = "(?:" + "|".join(re.escape(a) for a in _ALIASES) + ")"
_AGS = rf"{_AG}(?:\s*[/,&]\s*{_AG}|\s+and\s+{_AG})*"
_DASH = r"[-—–:]"

#: a dateline: place (and date) words that start upper case or with a digit, then the credit
_DATELINE = re.compile(
    rf"\A(?:date \d{{4}}-\d\d-\d\d\s+)?(?P<place>(?:[A-Z0-9][\w.'’-]*,?\s+){{0,7}}?)"
    rf"\(\s*(?P<credit>{_AGS})\s*\)\s*{_DASH}"
)
_SIGN_OFF = re.compile(rf"(?:[-—–]\s*|\(\s*)(?P<credit>{_AGS})\s*\)?\s*\.?\s*\Z")
_PICTURE = re.compile(r"(?i)\b(?:photos?|pictures?|images?|videos?|files?|graphics?)\W*\Z")
_CONTRIBUTED = re.compile(
    rf"\A(?:Additional reporting by\s+)?(?P<credit>{_AGS})\s+contributed"
    r"(?:\s+to\s+this\s+(?:report|story|article)|\s+reporting)"
)
_REUTERS_SIGN_OFF = re.compile(
    r"\((?:Additional )?(?:[Rr]eporting|[Ww]riting) by [^()]{2,300}Editing by [^()]{2,200}\)"
)
_BYLINE = re.compile(
    rf"\A(?:(?:By|BY)\s+[^\n()]{{1,80}}?\s*(?:,|\||/|-|—|–)?\s*)?"
    rf"\(?\s*(?:(?:[Ww]ith|and|&)\s+)?(?P<credit>{_AGS})\s*\)?\.?\s*\Z"
)
_BYLINE_MAX = 120
#: paragraphs read at the start and at the end of an article
_HEAD, _TAIL = 3, 2


@dataclass(frozen=True, slots=True)
class AgencyCredit:
    """One agency credited by ``article``: ``kind`` is dateline | byline | signoff |
    publisher (the outlet is the agency); ``start``/``end`` are the characters of ``text``
    in the article's text (-1 for a publisher credit), ``sentence`` its sentence or None."""

    article: str
    agency: str
    kind: str
    text: str
    start: int
    end: int
    sentence: int | None = None


def agency_name(written: str) -> str | None:
    """The canonical name of an agency as written ("Agence France-Presse" -> "AFP")."""
    return _NAME_OF.get(written.strip())


def _names(credit: str) -> list[str]:
    found = [_NAME_OF[m.group(0)] for m in re.finditer(_AG, credit)]
    return list(dict.fromkeys(found))


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each non-empty line of ``text``."""
    out = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group(0)
        stripped = line.strip()
        if stripped:
            out.append((match.start() + line.index(stripped[0]), stripped))
    return out


def _sentence_of(sentences: Sequence[Sentence], start: int) -> int | None:
    for sentence in sentences:
        if sentence.start <= start < sentence.end:
            return sentence.index
    return None


def find_credits(article: Article, sentences: Sequence[Sentence] = ()) -> tuple[AgencyCredit, ...]:
    """The agencies ``article`` credits (see the module docstring), one record per agency
    and place, in text order; the outlet's own agency credit (if any) comes first."""
    found: list[tuple[str, str, str, int, int]] = []
    outlet = outlet_agency(article)
    paragraphs = _paragraphs(article.text)
    head = paragraphs[:_HEAD]
    tail = paragraphs[-_TAIL:]
    for offset, line in head:
        match = _DATELINE.match(line)
        if match:
            found.append(("dateline", match.group(0), match.group("credit"), offset,
                          offset + match.end()))  # fmt: skip
    for offset, line in dict.fromkeys(head + tail):
        if len(line) > _BYLINE_MAX:
            continue
        match = _BYLINE.match(line) or _CONTRIBUTED.match(line)
        if match:
            found.append(("byline", match.group(0), match.group("credit"), offset,
                          offset + match.end()))  # fmt: skip
    for offset, line in tail:
        sign_off = _SIGN_OFF.search(line)
        if (sign_off and not _BYLINE.match(line) and sign_off.start() > 0
                and not _PICTURE.search(line[: sign_off.start() + 1])):  # fmt: skip
            start = offset + sign_off.start()
            found.append(("signoff", sign_off.group(0).strip(), sign_off.group("credit"), start,
                          offset + sign_off.end()))  # fmt: skip
        contributed = _CONTRIBUTED.search(line)
        if contributed and contributed.start() > 0:  # "... said. AFP contributed to this report"
            found.append(("signoff", contributed.group(0), contributed.group("credit"),
                          offset + contributed.start(), offset + contributed.end()))  # fmt: skip
        reuters = _REUTERS_SIGN_OFF.search(line)
        if reuters:
            found.append(("signoff", reuters.group(0), "Reuters", offset + reuters.start(),
                          offset + reuters.end()))  # fmt: skip
    credits: list[AgencyCredit] = []
    if outlet is not None:
        credits.append(AgencyCredit(article.id, outlet, "publisher", outlet, -1, -1))
    seen = {(outlet, -1)}
    for kind, text, credit, start, end in sorted(found, key=lambda f: (f[3], f[0])):
        for name in _names(credit):
            if (name, start) in seen:
                continue
            seen.add((name, start))
            credits.append(AgencyCredit(article.id, name, kind, text, start, end,
                                        _sentence_of(sentences, start)))  # fmt: skip
    return tuple(credits)


def outlet_agency(article: Article) -> str | None:
    """The agency ``article``'s outlet is, from its source name or URL domain, else None."""
    if article.source:
        name = agency_name(article.source) or agency_name(article.source.removesuffix(" News"))
        if name is not None:
            return name
    if article.url:
        host = (urlsplit(article.url.strip()).hostname or "").lower()
        parts = host.split(".")
        for size in (2, 3):
            agency = AGENCY_DOMAINS.get(".".join(parts[-size:]))
            if agency is not None:
                return agency
    return None


def credited_agencies(article: Article) -> frozenset[str]:
    """The canonical names of every agency ``article`` credits (or is)."""
    return frozenset(c.agency for c in find_credits(article))


def merge_by_agency(
    families: Sequence[frozenset[str]], credits: Mapping[str, frozenset[str]]
) -> list[frozenset[str]]:
    """``families`` with those whose members credit one same agency joined (``credits``:
    article id -> agencies). Order: by each resulting family's first original family."""
    owner: dict[str, int] = {}
    parent = list(range(len(families)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for number, family in enumerate(families):
        for article in sorted(family):
            for agency in sorted(credits.get(article, ())):
                other = owner.setdefault(agency, number)
                a, b = root(other), root(number)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    joined: dict[int, set[str]] = {}
    for number, family in enumerate(families):
        joined.setdefault(root(number), set()).update(family)
    return [frozenset(members) for members in joined.values()]

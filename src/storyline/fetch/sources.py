"""What ``storyline watch SOURCE...`` follows: feed and sitemap URLs, OPML files, folders.

A SOURCE is

* an ``http://`` or ``https://`` URL: an RSS/Atom feed or a sitemap (news sitemaps and
  sitemap indexes included), told apart by what the server returns;
* an OPML file (``.opml``, or any XML file whose root is ``<opml>``), what every feed reader
  exports: each ``<outline xmlUrl="...">`` is a feed; the file is read again on every poll;
* a folder: new or changed files in it are ingested like ``storyline ingest`` does.

Any other scheme (``file:``, ``ftp:``, ``data:``, ``javascript:`` ...) is refused. URLs
named here or in an OPML file are the user's choice: they may be on any host (an intranet
feed), while links found inside feeds are checked (``safety``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from storyline.config import Settings
from storyline.errors import ConfigError, InputError, NotFoundError, ParseError
from storyline.fetch.documents import local, parse_xml, root_name
from storyline.fetch.safety import USER, Policy, clean_url, scheme_of

URL, FEED, SITEMAP, OPML, FOLDER = "url", "feed", "sitemap", "opml", "folder"


@dataclass(frozen=True, slots=True)
class Source:
    """One thing to follow. ``kind`` is URL until a fetch tells a feed from a sitemap;
    ``listed_in`` names the OPML file or sitemap index that listed it; ``policy`` is how
    its own URL is checked (a child sitemap is a link found inside its index)."""

    url: str
    kind: str
    listed_in: str | None = None
    title: str | None = None
    policy: Policy = USER


def resolve_sources(arguments: Sequence[str]) -> list[Source]:
    """The sources named on the command line, in order, each once. A ConfigError names an
    argument that is no source, a NotFoundError one that does not exist."""
    found: dict[str, Source] = {}
    for argument in arguments:
        source = _resolve(argument)
        found.setdefault(source.url, source)
    if not found:
        raise ConfigError("no SOURCE given: name feed or sitemap URLs, OPML files or folders")
    return list(found.values())


def _resolve(argument: str) -> Source:
    text = argument.strip()
    scheme = scheme_of(text)
    if scheme in ("http", "https"):
        url = clean_url(text)
        if url is None:
            raise ConfigError(f"{argument!r} is not a usable URL (no host?)")
        return Source(url, URL)
    if len(scheme) > 1:  # "c:" is a Windows drive, not a scheme
        raise ConfigError(
            f"{argument[:200]!r} is a {scheme}: URL; a SOURCE is an http(s) feed or sitemap "
            "URL, an OPML file or a folder"
        )
    path = Path(text).expanduser()
    if not path.exists():
        raise NotFoundError(f"{argument}: no such file or folder")
    if path.is_dir():
        return Source(str(path.resolve()), FOLDER)
    if path.suffix.lower() == ".opml" or _is_opml(path):
        return Source(str(path.resolve()), OPML)
    raise ConfigError(
        f"{argument}: not an OPML file; to read article files once use `storyline ingest`, "
        "to follow a folder name the folder"
    )


def _is_opml(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return root_name(handle.read(8192)) == "opml"
    except OSError:
        return False


def read_opml(source: Source, settings: Settings) -> list[Source]:
    """The feeds an OPML file lists (http(s) ``xmlUrl``s, each once, in order); an
    InputError when the file cannot be read or is not OPML. Other URLs are left out."""
    path = Path(source.url)
    try:
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            raise InputError(source.url, f"OPML file is {size:,} bytes (setting max_file_bytes)")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(source.url, f"cannot read OPML file ({exc.strerror or exc})") from exc
    return parse_opml(data, source.url)


def parse_opml(data: bytes, where: str) -> list[Source]:
    """The feeds of an OPML document's bytes (see ``read_opml``)."""
    root = parse_xml(data, where)
    if local(root.tag) != "opml":
        raise ParseError(where, f"not an OPML file (root element <{local(root.tag)[:40]}>)")
    feeds: dict[str, Source] = {}
    for outline in root.iter():
        if local(outline.tag) != "outline":
            continue
        attributes = {key.lower(): value for key, value in outline.attrib.items()}
        url = clean_url(attributes.get("xmlurl"))
        if url is None:
            continue
        title = (attributes.get("title") or attributes.get("text") or "").strip() or None
        feeds.setdefault(url, Source(url, URL, listed_in=where, title=title))
    return list(feeds.values())

"""Outlet identity: which publisher an article comes from, whatever the input called it.

Needs an ``Article`` (its ``source``: a feed title, a page's site name, a JSONL field or the
plain-text file's folder name; its ``url``; and, when it has neither, the agency its
dateline credits). Adds an ``OutletIdentity``: the keys under which the outlet is known and
a display name (a folder-like name such as ``wire-feeds`` yields to the URL's domain when
there is one). ``www.reuters.com``, ``Reuters``, ``reuters.com/world`` and a folder named
``reuters`` all give the key ``name:reuters``, so the store (``store.outlets``) files them
under one outlet record, which the user can rename or merge (``storyline outlets``).

Registered domains come from the public suffix list bundled with the ``tld`` package (read
from disk, never downloaded): ``news.bbc.co.uk`` -> ``bbc.co.uk``. Hosts under suffixes it
does not list (``.example``, ``.local``) keep their last two labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from storyline.link.agencies import AGENCY_DOMAINS, agency_name, find_credits
from storyline.link.features import fold
from storyline.model import Article

_DOMAIN_LIKE = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\d?\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/.*)?$"
)
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")
_LEADING = ("the ",)


@dataclass(frozen=True, slots=True)
class OutletIdentity:
    """``keys``: ``domain:reuters.com`` and ``name:reuters`` forms, strongest first;
    ``name``: how to show the outlet until the user renames it; ``domain`` if known."""

    keys: tuple[str, ...]
    name: str
    domain: str | None


@lru_cache(maxsize=4096)
def registered_domain(value: str) -> str | None:
    """The registered domain of a URL or host (``https://www.reuters.com/world`` ->
    ``reuters.com``); None for IP addresses, one-label hosts and non-URLs."""
    text = value.strip().lower()
    if not text or " " in text:
        return None
    if "://" not in text:
        text = "http://" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return None
    if not host or "." not in host or host.replace(".", "").isdigit() or ":" in host:
        return None
    from tld import get_fld

    found = get_fld(f"http://{host}", fail_silently=True)
    if isinstance(found, str) and found:
        return found
    labels = [label for label in host.split(".") if label]
    return ".".join(labels[-2:]) if len(labels) >= 2 else None


def name_key(name: str) -> str:
    """The matching key of an outlet name: folded, no leading "the", letters and digits only
    (``The Meridian Post`` and ``meridian-post`` -> ``meridianpost``); a name that is a
    domain or URL gives its domain's first label (``reuters.com/world`` -> ``reuters``)."""
    folded = fold(name).strip()
    domain = registered_domain(folded) if _DOMAIN_LIKE.match(folded) else None
    if domain is not None:
        folded = domain.split(".")[0]
    for leading in _LEADING:
        if folded.startswith(leading):
            folded = folded[len(leading) :]
    return re.sub(r"[^a-z0-9]+", "", folded)


def _display(name: str) -> str:
    """A folder slug as words (``harbor-herald`` -> ``Harbor Herald``); names kept."""
    stripped = " ".join(name.split())
    if _SLUG.match(stripped):
        return " ".join(w.capitalize() for w in re.split(r"[-_]", stripped))
    return stripped


def identify(article: Article) -> OutletIdentity | None:
    """The outlet of ``article`` (see the module docstring); None when nothing names it."""
    domain = registered_domain(article.url) if article.url else None
    source = (article.source or "").strip()
    if source and _DOMAIN_LIKE.match(fold(source)):
        domain = domain or registered_domain(fold(source))
        source = ""  # a domain written as the name: shown as the domain
    if source and domain and _SLUG.match(source):
        source = ""  # a folder name (readers fall back to it): the URL says more
    keys: list[str] = []
    name = _display(source) if source else None
    if domain is not None:
        keys.append(f"domain:{domain}")
        agency = AGENCY_DOMAINS.get(domain)
        keys.append(f"name:{name_key(agency) if agency else name_key(domain)}")
        name = name or agency or domain
    if source:
        agency = agency_name(source)
        keys.append(f"name:{name_key(agency or source)}")
    if not keys:
        credited = sorted({c.agency for c in find_credits(article) if c.kind != "publisher"})
        if len(credited) != 1:
            return None
        keys.append(f"name:{name_key(credited[0])}")
        name = credited[0]
    unique = tuple(dict.fromkeys(k for k in keys if k.split(":", 1)[1]))
    if not unique or name is None:
        return None
    return OutletIdentity(unique, name, domain)

"""What may be fetched, checked before every request and again when a socket is opened.

* Only ``http`` and ``https`` URLs are fetched; ``file:``, ``ftp:``, ``data:``,
  ``javascript:`` and every other scheme are refused, for sources, links and redirects alike.
* A link found *inside* a feed or sitemap (an article page, a child sitemap, and wherever it
  redirects) is refused when its host resolves to an address that is not globally routable:
  loopback, private (RFC 1918, unique-local), link-local (169.254.0.0/16, where cloud
  metadata services answer, e.g. 169.254.169.254), shared, reserved, unspecified or
  multicast. It is allowed when the feed itself is on such a host (an intranet feed links to
  intranet pages), except for cloud metadata endpoints (169.254.169.254 and the like), which
  a link never reaches unless the setting ``allow_private_hosts`` is on (it allows all of
  them). URLs the user named (command line, OPML file) are the user's choice and are not
  address-checked.

The address check runs twice: on the URL before the request, for a clear reason, and in the
connection itself (``GuardedBackend``), on the very addresses the socket connects to, so a
name that resolves differently the second time (DNS rebinding) cannot slip through. With a
proxy (setting ``fetch_proxy``) only the first check is possible.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpcore

from storyline.config import Settings
from storyline.errors import BlockedError, FetchError

ALLOWED_SCHEMES = ("http", "https")
#: cloud metadata endpoints, named in reasons (all of them are non-global addresses anyway)
METADATA = frozenset({"169.254.169.254", "fd00:ec2::254", "100.100.100.200", "192.0.0.192"})
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class Policy:
    """How a URL is checked: ``private_ok`` lets it reach non-global addresses,
    ``metadata_ok`` cloud metadata endpoints."""

    private_ok: bool
    metadata_ok: bool = False

    @property
    def checks(self) -> bool:
        return not (self.private_ok and self.metadata_ok)


#: URLs the user named, and links when allow_private_hosts is on: any host
USER = Policy(private_ok=True, metadata_ok=True)
#: links found inside a public feed: public addresses only
LINKS = Policy(private_ok=False)
#: links found inside a feed on a non-public host: anything but metadata endpoints
INTRANET_LINKS = Policy(private_ok=True)


def clean_url(url: str | None, base: str | None = None) -> str | None:
    """``url`` (resolved against ``base``) as an absolute http(s) URL in a canonical
    spelling: lower-case scheme and host, no default port, no fragment, no tracking
    parameters (utm_*, fbclid, ...). None when it is not an http(s) URL with a host."""
    if not url:
        return None
    text = url.strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        return None
    if base:
        text = urljoin(base, text)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != (80 if scheme == "http" else 443):
        host = f"{host}:{port}"
    if parts.username or parts.password:
        return None
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
         if not k.lower().startswith(_TRACKING)]
    )  # fmt: skip
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def scheme_of(url: str) -> str:
    """The scheme of ``url`` in lower case ("" when it has none)."""
    head, sep, _ = url.strip().partition(":")
    return head.lower() if sep and head.isascii() and head.replace("+", "").isalnum() else ""


def check_scheme(url: str) -> str:
    """``url`` cleaned (see ``clean_url``); a BlockedError when it is not http(s)."""
    cleaned = clean_url(url)
    if cleaned is None:
        scheme = scheme_of(url)
        what = f"a {scheme}: URL" if scheme else "not an absolute URL"
        raise BlockedError(url[:300], f"{what}; only http and https URLs are fetched")
    return cleaned


def _plain(address: Address) -> Address:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_public(address: Address) -> bool:
    """Whether ``address`` is globally routable (not loopback, private, link-local, ...)."""
    address = _plain(address)
    return address.is_global and not address.is_multicast and str(address) not in METADATA


def allows(policy: Policy, address: Address) -> bool:
    """Whether ``policy`` lets a connection reach ``address``."""
    if str(_plain(address)) in METADATA:
        return policy.metadata_ok
    return policy.private_ok or is_public(address)


def resolve(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to; an IP literal is its own address."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(host, f"cannot resolve host ({exc})", transient=True) from exc
    found: list[Address] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in found:
            found.append(address)
    return found


def _refusal(host: str, address: Address) -> str:
    if str(_plain(address)) in METADATA:
        what = "a cloud metadata address; links found inside feeds never reach it"
    else:
        what = (
            "a non-public address (loopback, private, link-local ...); links found inside "
            "a public feed are not fetched from such addresses"
        )
    return f"{host} resolves to {address}, {what} (setting allow_private_hosts allows it)"


def check_addresses(host: str, addresses: Iterable[Address], policy: Policy = LINKS) -> None:
    for address in addresses:
        if not allows(policy, address):
            raise BlockedError(host, _refusal(host, address))


def check_url(url: str, policy: Policy) -> str:
    """``url`` cleaned; BlockedError when its scheme, or the addresses its host resolves to,
    may not be fetched under ``policy``."""
    cleaned = check_scheme(url)
    if not policy.checks:
        return cleaned
    parts = urlsplit(cleaned)
    host = parts.hostname or ""
    try:
        check_addresses(host, resolve(host, parts.port or 443), policy)
    except BlockedError as exc:
        raise BlockedError(url, exc.reason) from None
    except FetchError as exc:
        raise FetchError(url, exc.reason, transient=True) from None
    return cleaned


def on_private_host(url: str) -> bool:
    """Whether ``url``'s host resolves to a non-global address (an intranet or local feed)."""
    cleaned = clean_url(url)
    if cleaned is None:
        return False
    parts = urlsplit(cleaned)
    try:
        return not all(is_public(a) for a in resolve(parts.hostname or "", parts.port or 443))
    except FetchError:
        return False


def link_policy(document_url: str, settings: Settings) -> Policy:
    """The policy for links found inside the feed or sitemap at ``document_url``."""
    if settings.allow_private_hosts:
        return USER
    return INTRANET_LINKS if on_private_host(document_url) else LINKS


class GuardedBackend(httpcore.SyncBackend):
    """A network backend that connects only to the addresses ``policy`` allows."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve(host, port)
        check_addresses(host, addresses, self.policy)
        problem: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                problem = exc
        raise problem or httpcore.ConnectError(f"cannot connect to {host}")

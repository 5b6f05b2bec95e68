"""Bounded decoding of response bodies: identity, gzip and deflate, never more than a limit.

Decompression is asked for at most ``room + 1`` bytes at a time, so a small compressed body
that would inflate to gigabytes (a gzip bomb) is stopped as soon as it passes the limit.
"""

from __future__ import annotations

import zlib

from storyline.errors import FetchError


class Inflater:
    """Bounded decoding of one Content-Encoding (identity, gzip, deflate)."""

    def __init__(self, encoding: str | None, url: str) -> None:
        self.url = url
        name = (encoding or "identity").strip().lower()
        if name not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise FetchError(url, f"unsupported Content-Encoding {name[:40]!r}")
        self.name = name
        self.z: zlib._Decompress | None = None
        if name in ("gzip", "x-gzip"):
            self.z = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        """Decoded ``data``; a FetchError when that is more than ``room`` bytes."""
        if self.name == "deflate" and self.z is None and data:
            # "deflate" is zlib-wrapped by the standard, raw deflate by some servers
            wrapped = len(data) > 1 and data[0] & 0x0F == 8 and (data[0] * 256 + data[1]) % 31 == 0
            self.z = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        if self.z is None:
            out = data
        else:
            try:
                out = self.z.decompress(data, room + 1)
            except zlib.error as exc:
                raise FetchError(self.url, f"corrupt {self.name} response ({exc})") from exc
        if len(out) > room:
            raise TooLarge
        return out

    def finish(self, room: int) -> bytes:
        if self.z is None:
            return b""
        try:
            out = self.z.flush()
        except zlib.error as exc:
            raise FetchError(self.url, f"corrupt {self.name} response ({exc})") from exc
        if len(out) > room:
            raise TooLarge
        return out


class TooLarge(Exception):
    """Raised inside reading when the body is over its bound (turned into a FetchError)."""


def inflate(data: bytes, limit: int, url: str) -> bytes:
    """A gzip file's content (a sitemap.xml.gz), at most ``limit`` bytes (else FetchError)."""
    inflater = Inflater("gzip", url)
    try:
        return inflater.feed(data, limit) + inflater.finish(limit)
    except TooLarge:
        reason = f"gzip content is over {limit:,} bytes (setting fetch_max_bytes)"
        raise FetchError(url, reason) from None

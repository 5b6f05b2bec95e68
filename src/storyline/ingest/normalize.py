"""Decoding and normalising raw input: bytes -> clean Unicode text, and article ids.

* Decoding: a BOM or valid UTF-8 wins; otherwise charset-normalizer guesses the encoding.
  Data that looks binary (NUL bytes, many control bytes) is refused.
* Normalising: lone surrogates (from JSON escapes such as ``"\\ud800"``) become U+FFFD,
  control characters removed, Unicode NFC, runs of spaces and tabs collapsed,
  line ends unified, and paragraphs (blocks separated by blank lines) kept as exactly one
  blank line. Single line breaks inside a paragraph are kept.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

from storyline.errors import DecodeError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[ \t\xa0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")
_SURROGATES = re.compile("[\ud800-\udfff]")


#: tie-break between equally plausible legacy encodings, most common in news first
_PREFERRED = ("cp1252", "latin_1", "iso8859_15", "cp1251", "cp1250", "shift_jis", "gb18030")


def decode(data: bytes, path: str) -> str:
    """Decode ``data`` read from ``path``; raise DecodeError for binary or undecodable data."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeError(path, f"invalid UTF-16 ({exc.reason})") from exc
    sample = data[:8192]
    if b"\x00" in sample:
        raise DecodeError(path, "binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if sample and controls / len(sample) > 0.05:
        raise DecodeError(path, "binary file (control bytes), not text")
    encoding = guess_encoding(data)
    if encoding is None:
        raise DecodeError(path, "not valid UTF-8 and no other text encoding fits")
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DecodeError(path, f"not valid UTF-8 and not valid {encoding} either") from exc


def sniff_head(head: bytes) -> bytes:
    """The first bytes of a file as UTF-8 without a byte order mark (a UTF-16 start is
    re-encoded), to recognise its format by them."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("utf-8", "ignore")
    return head.removeprefix(b"\xef\xbb\xbf")


def guess_encoding(data: bytes) -> str | None:
    """The most plausible legacy encoding of ``data`` (charset-normalizer), or None."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    # equally plausible guesses are common on short texts: prefer the most widespread one
    top = min((m.chaos, -m.coherence) for m in matches)
    tied = [m for m in matches if (m.chaos, -m.coherence) == top]
    tied.sort(key=lambda m: _PREFERRED.index(m.encoding) if m.encoding in _PREFERRED else 99)
    return str(tied[0].encoding)


def clean_text(text: str) -> str:
    """NFC, no control characters, collapsed spaces, paragraphs separated by one blank line."""
    text = _SURROGATES.sub("\ufffd", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # NFC after the controls go: a control between a letter and its accent kept them apart
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text))
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def clean_line(text: str | None) -> str | None:
    """A metadata value (title, outlet) on one line, or None when empty."""
    if text is None:
        return None
    value = clean_text(text).replace("\n", " ")
    return value or None


def article_id(text: str) -> str:
    """Stable id of an article: the first 16 hex digits of SHA-256 of its normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def display_path(path: str | Path) -> str:
    """``path`` as text that can be stored and shown: bytes of a file name that are not
    UTF-8 (kept by Python as surrogate escapes) become U+FFFD replacement characters."""
    text = os.fspath(path)
    try:
        return os.fsencode(text).decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate that no file name decoding produced
        return _SURROGATES.sub("\ufffd", text)

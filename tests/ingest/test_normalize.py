from __future__ import annotations

import pytest

from storyline.errors import DecodeError
from storyline.ingest.normalize import article_id, clean_text, decode


def test_clean_text_keeps_paragraphs_and_normalises() -> None:
    raw = "Cafe\u0301  au\tlait\r\n\r\n\r\n\r\nSecond\x07 para\u00a0graph \nline two  "
    assert clean_text(raw) == "Café au lait\n\nSecond para graph\nline two"


def test_decode_utf8_bom_and_latin1() -> None:
    assert decode("\ufeffZürich".encode(), "a") == "Zürich"
    latin = "Le ministre a déclaré à Genève que la réunion était très importante.".encode("cp1252")
    assert (
        decode(latin, "a") == "Le ministre a déclaré à Genève que la réunion était très importante."
    )


def test_decode_refuses_binary() -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "img.txt")


def test_article_id_is_stable_hash_of_text() -> None:
    assert article_id("same text") == article_id("same text")
    assert article_id("same text") != article_id("other text")
    assert len(article_id("x")) == 16

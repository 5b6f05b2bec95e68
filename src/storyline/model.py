"""Typed records that flow between storyline's stages.

Every record is a frozen dataclass. Derived facts keep their provenance: the id of the
article they come from, the 0-based index of the sentence, and a character span into
the article's stored (normalised) text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as stored. ``id`` is a hash of the normalised text."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: date | None = None
    published_inferred: bool = False
    language: str | None = None
    path: str | None = None
    entry: int | None = None  # index of the entry inside a feed / JSONL file
    #: publication time when the source gives one (a date-time of a feed entry or JSONL
    #: line); None when only the day is known. First-reporter order uses it within a day.
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    article: str
    index: int
    start: int
    end: int
    paragraph: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention; ``role`` is a title next to the name ("Secretary of State")."""

    article: str
    sentence: int
    start: int
    end: int
    text: str
    label: str
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Timex:
    """A TIMEX3-style time expression resolved against an anchor date.

    ``value`` is an ISO 8601 value at the known precision ("2023-01-30", "2022-11",
    "P3D", "PAST_REF") or None while unresolved (article without a date).
    """

    article: str
    sentence: int
    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str | None
    mod: str | None = None
    anchor: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    article: str
    sentence: int
    start: int
    end: int
    text: str
    speaker: str | None
    cue: str | None
    direct: bool = True
    speaker_start: int | None = None
    speaker_end: int | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    article: str
    sentence: int
    start: int
    end: int
    subject: str
    predicate: str
    value: float
    unit: str | None
    text: str
    qualifier: str | None = None


@dataclass(frozen=True, slots=True)
class AnnotatedArticle:
    article: Article
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...] = ()
    timexes: tuple[Timex, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()


@dataclass(frozen=True, slots=True)
class Citation:
    article: str
    sentence: int


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One sentence of a story summary. ``text`` is a cited sentence, whitespace collapsed,
    less ``dropped`` (a leading dateline or byline, "WASHINGTON (AP) —"); ``truncated``: the
    sentence was cut at the summary's length budget and ends with "…". Nothing is merged."""

    text: str
    citations: tuple[Citation, ...]
    sources: int
    dropped: str = ""
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class TopicDate:
    """One day of a topic timeline and its cited sentences (most important first)."""

    date: str
    sentences: tuple[SummarySentence, ...]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    date: str
    end: str | None
    precision: str  # day | month | year
    text: str
    expression: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    articles: tuple[str, ...]
    mentions: int


@dataclass(frozen=True, slots=True)
class QuoteVariant:
    article: str
    sentence: int
    text: str


@dataclass(frozen=True, slots=True)
class QuoteGroup:
    speaker: str | None
    speaker_entity: str | None
    text: str
    variants: tuple[QuoteVariant, ...]


@dataclass(frozen=True, slots=True)
class ConflictValue:
    value: str
    articles: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class Conflict:
    kind: str  # number | date | spelling
    topic: str
    values: tuple[ConflictValue, ...]


@dataclass(frozen=True, slots=True)
class Reuse:
    """Sentence-level reuse between articles ``a`` (earlier) and ``b``."""

    a: str
    b: str
    score: float
    shared_sentences: tuple[tuple[int, int], ...]  # (sentence of a, sentence of b)
    #: of those, the pairs that repeat a run of words outside quotations (storyline.link.reuse)
    verbatim: int = 0


@dataclass(frozen=True, slots=True)
class Duplicate:
    article: str
    duplicate_of: str
    similarity: float


@dataclass(frozen=True, slots=True)
class Story:
    """``title``: a short headline; ``dek``: the longer lead under it (None when the title
    says it all)."""

    id: str
    title: str
    articles: tuple[str, ...]
    first_seen: date | None
    last_seen: date | None
    dek: str | None = None


@dataclass(frozen=True, slots=True)
class FirstReport:
    """The article that published something first: ``published`` is its ISO date or
    date-time (the precision known); ``tied`` are other articles published as early at
    that precision (same day without times, or the same minute)."""

    article: str
    published: str
    tied: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryReport:
    story: Story
    summary: tuple[SummarySentence, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[QuoteGroup, ...] = ()
    claims: tuple[Claim, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    reuse: tuple[Reuse, ...] = ()
    inferred_dates: dict[str, date] = field(default_factory=dict)
    #: which article reported each timeline entry / claim first (parallel to those tuples)
    timeline_first: tuple[FirstReport | None, ...] = ()
    claims_first: tuple[FirstReport | None, ...] = ()
    #: a story published over weeks: its key days (storyline.synthesize.topic_timeline)
    key_days: tuple[TopicDate, ...] = ()
    #: the wire families synthesis counted as independent sources (each in story order)
    families: tuple[tuple[str, ...], ...] = ()

"""Archives of N articles for bench/incremental.py and bench/web_load.py, built fast.

What an archive holds: all 772 real ECB+ development documents (topics 1-35 of
``../shared/data/ecbplus``; the held-out topics are never read) plus N - 772 recombined
articles, so an archive of N holds exactly N articles. Nothing is copied into the repository.

Templates: the 6 stories of examples/corpus (GOLD.json; units = their paragraphs, 4-10 per
article, as bench/corpus_gen.py) and the 66 ECB+ events (units = the sentences of the event's
documents, 6-13 per article, as bench/cluster_scale.py). A recombined article is a random
sample of at most a third of one template's units joined as paragraphs (so two articles of
one template are not near-copies; templates with fewer than 3 x their minimum units, three
tiny ECB+ events, only give their real documents); its title is its first unit (cut to 120
characters) and its outlet one of 25 ``outlet-K``.

Time: the archive grows at a constant rate, not in density. Templates are grouped into 38
kinds (TF-IDF cosine of their words >= ``KIND_SIMILARITY``: the two events of an ECB+ topic,
two riots, two earthquakes). Each kind has one story slot every ``PERIOD`` = 15 days, at a
phase spread evenly over the period, taken by its templates in turn; a slot's story has 3-30
articles dated over 4 days. Two stories of one kind are thus at least 11 days apart, longer
than the clusterer's 10-day window, so recurring stories of the same text pools do not chain
into giant ones by construction (with one slot a template, two similar templates at phases
4 days apart chained a riot story over 2 years at 100k). Each real ECB+ event takes a slot
of its kind in a period drawn at random over the archive's span (the periods with fewest
real events first), its documents dated over that slot's 4 days. That is ~40 articles a day:
100k articles span ~6.7 years (1k: ~33 days, most of them the real documents). New articles
(``new_articles``) are dated after the archive's last day: about half continue the stories
of the archive's last 4 days (the same templates), the rest start the next slots.

Annotation (the fast, exact part): every distinct unit is parsed once by spaCy (the
``annotate`` pipeline of the settings, ``nlp.pipe``). An article's paragraphs are parsed
independently by the real annotator too (``annotate.nlp.parse_many``: sentences never cross
a paragraph break), so an article's parse is its units' cached Docs at their offsets; the
real stage functions (``annotate.stages.run_stages``: segment, entities, timex against the
article's date, quotes, claims) then run on every article. The result is what
``annotate_batch`` gives; the build checks that on its first ``VERIFY`` articles and fails
otherwise. Articles are inserted in date order with ``Store.add_article`` and
``Store.save_annotations(docs, ANNOTATION_VERSION)``; the link state is then built by
``storyline.pipeline.rebuild`` (bench/incremental.py runs and times that as (d)).
"""

from __future__ import annotations

import json
import math
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_gen import paragraphs_by_story
from ecbplus import load as load_ecb
from storyline.annotate.nlp import Limits, Parsed, load, pieces, sentences_of
from storyline.annotate.stages import ANNOTATION_VERSION, Work, annotate_batch, run_stages
from storyline.annotate.wrapping import unwrap
from storyline.config import Settings
from storyline.ingest.base import build_article
from storyline.ingest.normalize import clean_text
from storyline.model import AnnotatedArticle, Article
from storyline.store import Store

START = date(2021, 1, 1)
PERIOD = 15  # days between two story slots of one template
STORY_DAYS = 4  # a story's articles are dated over this many days
OUTLETS = 25
VERIFY = 25  # articles checked against annotate_batch
CHUNK = 500
KIND_SIMILARITY = 0.15  # templates this similar are one kind: their stories never overlap


@dataclass(frozen=True, slots=True)
class Template:
    key: str
    units: tuple[int, ...]  # indexes into Units.texts
    low: int  # units per recombined article
    high: int


@dataclass(frozen=True, slots=True)
class Planned:
    """One article of an archive or of a batch of new articles."""

    day: int  # days after START
    template: int
    units: tuple[int, ...]
    outlet: int
    real: bool  # a real ECB+ document


@dataclass(slots=True)
class Units:
    """Every distinct paragraph the articles are made of, and the templates over them."""

    texts: list[str] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)
    real: dict[int, list[tuple[int, ...]]] = field(default_factory=dict)  # template -> docs
    ids: dict[str, int] = field(default_factory=dict)

    def index(self, text: str) -> int:
        found = self.ids.get(text)
        if found is None:
            found = self.ids[text] = len(self.texts)
            self.texts.append(text)
        return found


def _unit(text: str) -> str | None:
    """The normalised paragraph, or None when normalising splits or empties it."""
    cleaned = clean_text(text)
    return cleaned if cleaned and "\n" not in cleaned else None


def units() -> Units:
    """The templates of the module docstring over their distinct units."""
    found = Units()
    for key, paragraphs in sorted(paragraphs_by_story().items()):
        ids = tuple(dict.fromkeys(found.index(u) for p in paragraphs if (u := _unit(p))))
        found.templates.append(Template(key, ids, 4, 10))
    events: dict[str, list[tuple[int, ...]]] = {}
    for item in load_ecb(range(1, 36)):
        doc = tuple(found.index(u) for s in item.doc.sentences if (u := _unit(s.text)))
        events.setdefault(item.event, []).append(doc)
    for event in sorted(events, key=lambda e: (int(e.rstrip("ecbplus")), e)):
        ids = tuple(dict.fromkeys(u for doc in events[event] for u in doc))
        found.real[len(found.templates)] = events[event]
        found.templates.append(Template(f"ecb+{event}", ids, 6, 13))
    return found


_WORD = re.compile(r"[a-z]{3,}")
_STOP = frozenset(
    "the and was for that with from his her said has have are were this had but not they who"
    " which its after their been will would than more also about when out one two new over"
    " into".split()
)


def kinds(found: Units) -> list[list[int]]:
    """Templates grouped by kind: connected by a TF-IDF cosine of their units' words of at
    least ``KIND_SIMILARITY`` (two riots, two earthquakes), in template order."""
    counts = [Counter(w for u in t.units for w in _WORD.findall(found.texts[u].lower())
                      if w not in _STOP) for t in found.templates]  # fmt: skip
    df = Counter(w for c in counts for w in c)
    vectors = []
    for c in counts:
        weights = {w: (1 + math.log(n)) * math.log(len(counts) / df[w]) for w, n in c.items()}
        norm = math.sqrt(sum(x * x for x in weights.values())) or 1.0
        vectors.append({w: x / norm for w, x in weights.items()})
    parent = list(range(len(vectors)))

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for i, a in enumerate(vectors):
        for j in range(i + 1, len(vectors)):
            if sum(x * vectors[j].get(w, 0.0) for w, x in a.items()) >= KIND_SIMILARITY:
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for t in range(len(vectors)):
        groups.setdefault(root(t), []).append(t)
    return sorted(groups.values())


def _recombinable(template: Template) -> bool:
    return len(template.units) >= 3 * template.low


def _story(rng: random.Random, template: Template, t: int, start: int, size: int) -> list[Planned]:
    out = []
    for _ in range(size):
        k = min(len(template.units) // 3, rng.randint(template.low, template.high))
        picked = tuple(rng.sample(template.units, k))
        out.append(Planned(start + rng.randrange(STORY_DAYS), t, picked, rng.randrange(OUTLETS),
                           False))  # fmt: skip
    return out


@dataclass(frozen=True, slots=True)
class Schedule:
    """The slots of the module docstring: kind g has one story slot a period, at its phase,
    taken by its recombinable templates in turn."""

    groups: list[list[int]]
    members: list[list[int]]  # recombinable templates of each kind

    @classmethod
    def of(cls, found: Units) -> Schedule:
        groups = kinds(found)
        members = [[t for t in g if _recombinable(found.templates[t])] for g in groups]
        return cls(groups, members)

    def start(self, g: int, period: int) -> int:
        return period * PERIOD + g * PERIOD // len(self.groups)

    def member(self, g: int, period: int) -> int | None:
        members = self.members[g]
        return members[period % len(members)] if members else None


def plan(found: Units, n: int, seed: int = 1) -> list[Planned]:
    """The N articles of an archive (see the module docstring), in date order."""
    rng = random.Random(seed)
    schedule = Schedule.of(found)
    real_docs = sum(len(d) for d in found.real.values())
    if n < real_docs:
        raise SystemExit(f"an archive holds the {real_docs} real ECB+ documents: N >= {real_docs}")
    periods = max(1, -(-n // int(len(schedule.groups) * 16.5)))
    real_at: dict[tuple[int, int], list[int]] = {}
    for g, group in enumerate(schedule.groups):
        for t in group:
            if t in found.real:  # a period of this kind with the fewest real events so far
                load = [(len(real_at.get((g, p), [])), rng.random(), p) for p in range(periods)]
                real_at.setdefault((g, min(load)[2]), []).append(t)
    left = n - real_docs
    out: list[Planned] = []
    period = 0
    while left > 0 or period < periods:
        for g in range(len(schedule.groups)):
            start = schedule.start(g, period)
            t = schedule.member(g, period)
            if (g, period) in real_at:
                for real in real_at[g, period]:
                    for doc in found.real[real]:
                        day = start + rng.randrange(STORY_DAYS)
                        out.append(Planned(day, real, doc, rng.randrange(OUTLETS), True))
            elif left > 0 and t is not None:
                size = min(rng.randint(3, 30), left)
                out.extend(_story(rng, found.templates[t], t, start, size))
                left -= size
        period += 1
    out.sort(key=lambda p: p.day)
    return out


def new_articles(found: Units, archive: list[Planned], count: int, seed: int) -> list[Planned]:
    """``count`` articles dated after the archive's last day (see the module docstring)."""
    rng = random.Random(seed)
    schedule = Schedule.of(found)
    last = max(p.day for p in archive)
    recent = {p.template for p in archive if p.day > last - STORY_DAYS}
    live = sorted(t for t in recent if _recombinable(found.templates[t]))
    out: list[Planned] = []
    slot = (last // PERIOD + 1) * len(schedule.groups)
    while len(out) < count:
        if live and rng.random() < 0.5:
            t = rng.choice(live)
            out.extend(_story(rng, found.templates[t], t, last + 1, 1))
            continue
        period, g = divmod(slot, len(schedule.groups))
        member = schedule.member(g, period)
        slot += 1
        if member is not None:
            start = max(last + 1, schedule.start(g, period))
            size = min(rng.randint(3, 30), count - len(out))
            out.extend(_story(rng, found.templates[member], member, start, size))
    return sorted(out[:count], key=lambda p: p.day)


def record(found: Units, item: Planned, number: int) -> dict[str, Any]:
    """A JSON Lines record of one planned article."""
    text = "\n\n".join(found.texts[u] for u in item.units)
    first = found.texts[item.units[0]]
    title = first if len(first) <= 120 else first[:120].rsplit(" ", 1)[0]
    return {
        "text": text,
        "title": title,
        "source": f"outlet-{item.outlet}",
        "published": (START + timedelta(days=item.day)).isoformat(),
    }


def write_jsonl(found: Units, items: list[Planned], path: Path, first: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for number, item in enumerate(items, start=first):
            handle.write(json.dumps(record(found, item, number)) + "\n")
    return path


class Annotator:
    """The real stages over articles whose units were parsed once (see the module docstring)."""

    def __init__(self, found: Units, settings: Settings) -> None:
        self.found, self.settings = found, settings
        self.nlp = load(settings.spacy_model, "annotate")
        self.limits = Limits.of(settings)
        self.docs: dict[int, Any] = {}

    def parse(self, wanted: set[int]) -> float:
        todo = sorted(u for u in wanted if u not in self.docs)
        start = time.perf_counter()
        size = min(self.limits.piece_chars, self.nlp.max_length)
        for u in todo:
            text = self.found.texts[u]
            if list(pieces(text, 0, len(text), size)) != [(0, len(text))]:
                raise SystemExit(f"unit {u} is longer than one piece: {text[:60]!r}")
        texts = [unwrap(self.found.texts[u]) for u in todo]  # as parse_many sends them
        for u, doc in zip(todo, self.nlp.pipe(texts, batch_size=64), strict=True):
            self.docs[u] = doc
        return time.perf_counter() - start

    def annotate(self, article: Article, item: Planned) -> AnnotatedArticle:
        docs, offset = [], 0
        for u in item.units:
            docs.append((offset, self.docs[u]))
            offset += len(self.found.texts[u]) + 2
        sentences = sentences_of(article, docs, list(range(len(docs))))
        if len(sentences) > self.limits.sentences:
            raise SystemExit(f"article {article.id} has more sentences than the limit")
        parsed = Parsed(article, tuple(docs), sentences, article.text)
        return run_stages(Work(parsed))


def build(db: Path, n: int, settings: Settings, seed: int = 1, log: Any = print) -> dict[str, Any]:
    """Write the archive of ``n`` articles into the new database ``db`` (no link state yet)."""
    if db.exists():
        raise SystemExit(f"{db} exists; remove it first")
    started = time.perf_counter()
    found = units()
    items = plan(found, n, seed)
    annotator = Annotator(found, settings)
    parse_seconds = annotator.parse({u for item in items for u in item.units})
    log(f"parsed {len(annotator.docs):,} distinct units once in {parse_seconds:.0f} s")
    stage_seconds = insert_seconds = 0.0
    with Store(db) as store:
        pending: list[AnnotatedArticle] = []
        for number, item in enumerate(items):
            data = record(found, item, number)
            article = build_article(
                Path(f"archive-{n}/part-{number // 1000:05d}.jsonl"), data["text"], settings,
                title=data["title"], source=data["source"],
                published=date.fromisoformat(data["published"]), entry=number % 1000,
            )  # fmt: skip
            if article.text != data["text"]:
                raise SystemExit(f"article {number}: normalising changed its text")
            t0 = time.perf_counter()
            doc = annotator.annotate(article, item)
            if number < VERIFY and annotate_batch([article], settings) != [doc]:
                raise SystemExit(
                    f"article {number}: composed annotations differ from annotate_batch"
                )
            t1 = time.perf_counter()
            stage_seconds += t1 - t0
            if store.add_article(article):  # False: the same text twice, stored once
                pending.append(doc)
            if len(pending) >= CHUNK:
                store.save_annotations(pending, ANNOTATION_VERSION)
                pending = []
            insert_seconds += time.perf_counter() - t1
            if (number + 1) % 10_000 == 0:
                log(f"  {number + 1:,} articles annotated and stored")
        store.save_annotations(pending, ANNOTATION_VERSION)
        stored = store.count("articles")
    days = items[-1].day - items[0].day + 1
    info = {
        "n": n, "stored": stored, "real_ecb": sum(p.real for p in items), "days": days,
        "first_day": (START + timedelta(days=items[0].day)).isoformat(),
        "last_day": (START + timedelta(days=items[-1].day)).isoformat(),
        "units_parsed": len(annotator.docs), "parse_seconds": parse_seconds,
        "stage_seconds": stage_seconds, "insert_seconds": insert_seconds,
        "verified": min(VERIFY, n), "seed": seed,
        "build_seconds": time.perf_counter() - started,
    }  # fmt: skip
    log(f"stored {stored:,} articles over {days:,} days ({stored / days:.0f}/day) in "
        f"{info['build_seconds']:.0f} s (stages {stage_seconds:.0f} s, "
        f"inserts {insert_seconds:.0f} s)")  # fmt: skip
    return info

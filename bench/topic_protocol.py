"""A Timeline17-style development protocol on SemEval-2015 TimeLine (used by timeline_eval).

Timeline17 (Tran et al. 2013) as evaluated by Ghalandari & Ifrim (2020): for each reference
timeline the input is every article of its topic published inside the timeline's date range,
L = the number of reference days, K = the mean sentences per reference day (rounded), and the
system's days are restricted to that range. Built here from the SemEval gold timelines:

* reference days: the day-precision dates of the gold events (2005-01-18; 2005-01-XX and
  XXXX-XX-XX are dropped); a day's reference summary: the gold sentences cited for it.
* timelines: one per corpus (the union of its target-entity timelines: the topic "Apple",
  "Airbus and Boeing") and one per target entity with at least ``MIN_DAYS`` reference days
  (its articles: those naming the entity, as in ``timeline_eval.patterns``).
* input: the timeline's articles published from its first reference day to 7 days after its
  last one (an article reports its last event on the day or a little after).

Scores are averaged over timelines (macro), as in the published tables. PUBCOUNT is the
baseline of Ghalandari & Ifrim: the L days with most articles (ties: earlier first), each
summarised by the first K sentences of its earliest articles' leads (first sentence of each
article, then second sentences, ...).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from storyline.config import Settings
from storyline.link.families import reused_families
from storyline.model import AnnotatedArticle
from storyline.synthesize.topic_timeline import topic_timeline, units_of
from tls_metrics import METRICS, Timeline, scores

MIN_DAYS = 4
MIN_DOCS = 3
AFTER = 7
_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")


@dataclass(frozen=True, slots=True)
class Reference:
    label: str
    days: dict[date, list[str]]
    docs: list[AnnotatedArticle]

    @property
    def k(self) -> int:
        return max(1, round(sum(len(v) for v in self.days.values()) / len(self.days)))


def _gold_days(path: Path) -> dict[date, set[tuple[str, int]]]:
    days: dict[date, set[tuple[str, int]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 3 or not _DAY.match(cols[1]):
            continue
        refs = {(r.split("-")[0], int(r.split("-")[1])) for r in cols[2:] if r}
        days.setdefault(date.fromisoformat(cols[1]), set()).update(refs)
    return days


def _reference(
    label: str,
    gold: dict[date, set[tuple[str, int]]],
    texts: dict[tuple[str, int], str],
    docs: list[AnnotatedArticle],
) -> Reference:
    days = {day: sorted({texts[r] for r in refs if r in texts}) for day, refs in gold.items()}
    return Reference(label, {d: v for d, v in days.items() if v}, in_range(docs, gold))


def in_range(docs: list[AnnotatedArticle], days: Collection[date]) -> list[AnnotatedArticle]:
    """The articles published from the first of ``days`` to ``AFTER`` days after the last."""
    start, end = min(days), max(days) + timedelta(days=AFTER)
    return [d for d in docs if d.article.published and start <= d.article.published <= end]


def pubcount(docs: list[AnnotatedArticle], ref: Reference) -> Timeline:
    """The PUBCOUNT baseline (see the module docstring)."""
    start, end = min(ref.days), max(ref.days)
    by_day: dict[date, list[AnnotatedArticle]] = {}
    for d in sorted(docs, key=lambda d: (d.article.published or date.max, d.article.id)):
        day = d.article.published
        if day is not None and start <= day <= end:
            by_day.setdefault(day, []).append(d)
    ranked = sorted(by_day, key=lambda day: (-len(by_day[day]), day))[: len(ref.days)]
    out: dict[date, list[str]] = {}
    for day in ranked:
        leads = [[u.text for u in units_of(d, 0)] for d in by_day[day]]
        order = [s for rank in range(max(map(len, leads), default=0))
                 for lead in leads if rank < len(lead) for s in [lead[rank]]]  # fmt: skip
        if order:
            out[day] = order[: ref.k]
    return out


def storyline_timeline(
    docs: list[AnnotatedArticle],
    ref: Reference,
    settings: Settings,
    families: list[frozenset[str]] | None = None,
) -> Timeline:
    if families is None:
        families = reused_families(docs, settings)
    found = topic_timeline(docs, families, dates=len(ref.days), per_date=ref.k,
                           start=min(ref.days), end=max(ref.days))  # fmt: skip
    return {date.fromisoformat(d.date): [s.text for s in d.sentences] for d in found}


def references(
    root: Path,
    name: str,
    docs_dir: str,
    gold_dir: str,
    read_doc: Callable[[Path], Any],
    annotate: Callable[[list[Any]], list[AnnotatedArticle]],
    patterns: Callable[[str], list[re.Pattern[str]]],
) -> list[Reference]:
    docs = [read_doc(p) for p in sorted((root / docs_dir).glob("*.tml"))]
    annotated = annotate(docs)
    texts: dict[tuple[str, int], str] = {}
    for doc in docs:
        for sid, text in zip(doc.sentence_ids, doc.text.split("\n\n"), strict=True):
            texts[(doc.docid, sid)] = text
    targets = root / name / f"list_target_entities_{name}.txt"  # "Air Froce" in a gold file
    lines = targets.read_text(encoding="utf-8").splitlines() if targets.is_file() else []
    known = {re.sub(r"\W+", "_", n.strip().lower()): n.strip() for n in lines if n.strip()}
    union: dict[date, set[tuple[str, int]]] = {}
    refs: list[Reference] = []
    for path in sorted((root / gold_dir).glob("*.txt")):
        gold = _gold_days(path)
        for day, cited in gold.items():
            union.setdefault(day, set()).update(cited)
        if len(gold) < MIN_DAYS:
            continue
        pats = patterns(known.get(path.stem) or path.read_text(encoding="utf-8").split("\n")[0])
        naming = [a for a in annotated if any(p.search(a.article.text) for p in pats)]
        ref = _reference(f"{name}/{path.stem}", gold, texts, naming)
        if len(ref.docs) >= MIN_DOCS:
            refs.append(ref)
    return [_reference(f"{name} (topic)", union, texts, annotated), *refs]


def run_topics(
    root: Path,
    corpora: dict[str, tuple[str, str]],
    read_doc: Callable[[Path], Any],
    annotate: Callable[[list[Any]], list[AnnotatedArticle]],
    patterns: Callable[[str], list[re.Pattern[str]]],
    norm_date: Callable[[str], str | None],
) -> dict[str, dict[str, float]]:
    """Print per-timeline and mean scores of storyline and PUBCOUNT; return the means."""
    settings = Settings()
    refs = [r for name, (d, g) in corpora.items()
            for r in references(root, name, d, g, read_doc, annotate, patterns)]  # fmt: skip
    heading = "topic timelines (Timeline17-style protocol, bench/topic_protocol.py)"
    return score_table(refs, settings, heading)


System = Callable[[list[AnnotatedArticle], Reference, Settings], Timeline]


def score_table(
    refs: list[Reference], settings: Settings, heading: str, system: System = storyline_timeline
) -> dict[str, dict[str, float]]:
    """Score ``system`` (storyline) and PUBCOUNT on ``refs``: print per-timeline and mean
    scores under ``heading``; return the means."""
    print(f"\n{heading}:")
    print(f"  {'timeline':<38}{'docs':>5}{'L':>4}{'K':>3}  " + "  ".join(
        f"{m:>9}" for m in METRICS) + "   (storyline / PUBCOUNT)")  # fmt: skip
    totals: dict[str, dict[str, list[float]]] = {"storyline": {}, "PUBCOUNT": {}}
    started = time.perf_counter()
    for ref in refs:
        mine = scores(system(ref.docs, ref, settings), ref.days)
        base = scores(pubcount(ref.docs, ref), ref.days)
        for name, got in (("storyline", mine), ("PUBCOUNT", base)):
            for m, v in got.items():
                totals[name].setdefault(m, []).append(v)
        cells = "  ".join(f"{mine[m]:.3f}/{base[m]:.3f}" for m in METRICS)
        print(f"  {ref.label:<38}{len(ref.docs):>5}{len(ref.days):>4}{ref.k:>3}  {cells}")
    means = {s: {m: sum(v) / len(v) for m, v in t.items()} for s, t in totals.items()}
    print(f"\n  mean over {len(refs)} timelines ({time.perf_counter() - started:.1f} s):")
    print(f"  {'system':<12}" + "".join(f"{m:>11}" for m in METRICS))
    for name, got in means.items():
        print(f"  {name:<12}" + "".join(f"{got[m]:>11.3f}" for m in METRICS))
    return means

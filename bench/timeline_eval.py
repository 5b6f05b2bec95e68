"""Timeline quality on SemEval-2015 Task 4 (TimeLine), trial (Apple) + corpus_1 (Airbus/Boeing).

Usage:  .venv/bin/python bench/timeline_eval.py [--data ../shared/data/semeval2015-timeline]
            [--election [--polnear ../shared/data/polnear] [--cache DIR]]

For each corpus, all 30 TimeML documents (raw Track A text: tokens, sentences, the DCT; the
gold EVENT/TIMEX tags are not used) go through storyline as one story: every gold sentence
becomes one paragraph (so ``storyline.annotate.nlp.segment`` keeps the gold sentence ids),
time expressions come from ``storyline.annotate.timex.find_timexes`` with the document's DCT,
and ``storyline.synthesize.timeline.build_timeline`` builds one timeline over the corpus.

For each gold target-entity timeline (``rank<TAB>date<TAB>docid-sent-token...``):

* (entity, date) pairs: storyline's entries whose text mentions the entity (case-sensitive
  match of the full name, or of its head: the last word, "Air Force" for "United States Air
  Force", "iTunes" for "iTunes store"), against the gold dated events (dates with X are
  truncated to their known precision: 2005-01-XX -> 2005-01). Micro precision/recall/F1.
* event sentence recall: the share of gold dated events one of whose sentences is cited by an
  entry on exactly the gold date (and, looser, on a date compatible with it: same prefix).
* a baseline for scale: every sentence mentioning the entity dated by its document's DCT.

Then the *topic timeline* (``storyline timeline``, ``synthesize.topic_timeline``) under a
Timeline17-style protocol built from the same data (``bench/topic_protocol.py``): Date F1,
concat ROUGE-1/2 and align+ m:1 ROUGE-1/2 (``bench/tls_metrics.py``) beside PUBCOUNT.

``--election`` adds the same protocol at Timeline17 scale (``bench/election_protocol.py``:
~900 PolNeAR articles, the 2016 US election, a reference written from general knowledge).
It is a flag because it adds ~40 s to the ~6 s of the default run (linking ~900 articles;
annotation is cached under ``--cache``, ~15 s more on a first run).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

from storyline.annotate.nlp import segment_many
from storyline.annotate.timex import find_timexes
from storyline.model import AnnotatedArticle, Article, TimelineEntry
from storyline.synthesize.timeline import build_timeline

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2015-timeline"
CORPORA = {
    "trial": ("trial/Corpus-trial-data_task4_TimeML", "trial/TimeLines_trial_data_task4_v1.2"),
    "corpus_1": ("corpus_1/corpus_trackA_TimeML", "corpus_1/TimeLines_Gold_Standard"),
}
GENERIC = {"airlines", "airways", "store", "corps", "force", "inc", "company", "group"}


@dataclass(frozen=True, slots=True)
class Doc:
    docid: str
    dct: date
    sentence_ids: tuple[int, ...]  # gold sentence id of each paragraph
    text: str


@dataclass(frozen=True, slots=True)
class GoldEvent:
    date: str  # normalised: 2005-01-18, 2005-01, 2005
    sentences: frozenset[tuple[str, int]]  # (docid, gold sentence id)


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    events: int = 0
    exact: int = 0
    compatible: int = 0
    per_entity: list[str] = field(default_factory=list)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def detokenize(text: str) -> str:
    """Undo the corpus' tokenisation ("Apple 's", "2005 ,") so the timex patterns read it."""
    text = re.sub(r" ([,.;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    return re.sub(r" ('s|'|n't|'re|'ve|'ll|'d)\b", r"\1", text)


def read_doc(path: Path) -> Doc:
    root = ElementTree.parse(path).getroot()
    docid = (root.findtext("DOCID") or path.name.split("_")[0].split("-")[0]).strip()
    dct_node = root.find("DCT/TIMEX3")
    if dct_node is None:
        raise SystemExit(f"{path}: no DCT")
    dct = date.fromisoformat(dct_node.get("value", "")[:10])
    sentences: list[tuple[int, str]] = []
    body = root.find("TEXT")
    for node in body.iter("s") if body is not None else ():
        sentences.append((int(node.get("id", "0")), detokenize("".join(node.itertext()))))
    if sentences and sentences[0][0] != 0:  # trial files keep the title in EXTRAINFO only
        sentences.insert(0, (0, (root.findtext("EXTRAINFO") or "").strip()))
    ids = tuple(i for i, _ in sentences)
    return Doc(docid, dct, ids, "\n\n".join(s or "-" for _, s in sentences))


def norm_date(value: str) -> str | None:
    parts = value.split("-")
    kept = []
    for part in parts:
        if "X" in part:
            break
        kept.append(part)
    return "-".join(kept) or None


def read_gold(path: Path, known: dict[str, str]) -> tuple[str, list[GoldEvent]]:
    """The entity (from the corpus' target list when it has one: a gold file misspells
    "Air Froce") and the dated events of one gold timeline."""
    lines = path.read_text(encoding="utf-8").splitlines()
    entity = known.get(path.stem, lines[0].strip())
    events: list[GoldEvent] = []
    for line in lines[1:]:
        cols = line.split("\t")
        if len(cols) < 3 or (day := norm_date(cols[1])) is None:
            continue
        refs = frozenset((r.split("-")[0], int(r.split("-")[1])) for r in cols[2:] if r)
        events.append(GoldEvent(day, refs))
    return entity, events


def patterns(entity: str) -> list[re.Pattern[str]]:
    """The full name and its head (see the module docstring), as word-bounded regexes."""
    tokens = entity.split()
    names = {entity}
    if len(tokens) > 1:
        last = tokens[-1]
        if last.isdigit():
            names.add(" ".join(tokens[-2:]))
        elif last.lower() in GENERIC:
            names.add(" ".join(tokens[:-1]))
            if len(tokens) >= 3:
                names.add(" ".join(tokens[-2:]))
        else:
            names.add(last)
    return [re.compile(rf"(?<![\w-]){re.escape(n)}(?![\w])") for n in names]


def mentions(text: str, pats: Iterable[re.Pattern[str]]) -> bool:
    return any(p.search(text) for p in pats)


def annotate(docs: list[Doc]) -> list[AnnotatedArticle]:
    articles = [Article(id=d.docid, text=d.text, published=d.dct) for d in docs]
    out = []
    for article, sentences in zip(articles, segment_many(articles), strict=True):
        timexes = find_timexes(article.id, article.text, sentences, article.published)
        out.append(AnnotatedArticle(article, sentences, timexes=tuple(timexes)))
    return out


def evaluate(
    entity: str,
    gold: list[GoldEvent],
    timeline: list[TimelineEntry],
    gold_sentence: dict[tuple[str, int], tuple[str, int]],
    sentence_text: dict[tuple[str, int], str],
    dct: dict[str, date],
    counts: Counts,
    baseline: Counts,
) -> None:
    pats = patterns(entity)
    gold_pairs = {e.date for e in gold}
    system = {e.date for e in timeline if mentions(e.text, pats)}
    tp = len(gold_pairs & system)
    counts.tp += tp
    counts.fp += len(system - gold_pairs)
    counts.fn += len(gold_pairs - system)
    base = {
        dct[doc].isoformat() for (doc, _), text in sentence_text.items() if mentions(text, pats)
    }
    baseline.tp += len(gold_pairs & base)
    baseline.fp += len(base - gold_pairs)
    baseline.fn += len(gold_pairs - base)
    by_sentence: dict[tuple[str, int], set[str]] = {}
    for entry in timeline:
        for c in entry.citations:
            by_sentence.setdefault(gold_sentence[(c.article, c.sentence)], set()).add(entry.date)
    for event in gold:
        counts.events += 1
        dates = set().union(*(by_sentence.get(s, set()) for s in event.sentences))
        counts.exact += event.date in dates
        counts.compatible += any(
            d.startswith(event.date) or event.date.startswith(d) for d in dates
        )
    counts.per_entity.append(
        f"    {entity:<26} gold dates {len(gold_pairs):3d}  system {len(system):3d}  hit {tp:3d}"
    )


def run_corpus(root: Path, name: str, docs_dir: str, gold_dir: str) -> tuple[Counts, Counts]:
    started = time.perf_counter()
    docs = [read_doc(p) for p in sorted((root / docs_dir).glob("*.tml"))]
    annotated = annotate(docs)
    timeline = build_timeline(annotated)
    elapsed = time.perf_counter() - started
    gold_sentence: dict[tuple[str, int], tuple[str, int]] = {}
    sentence_text: dict[tuple[str, int], str] = {}
    by_doc = {d.docid: d for d in docs}
    for item in annotated:
        doc = by_doc[item.article.id]
        for s in item.sentences:
            key = (doc.docid, doc.sentence_ids[s.paragraph])
            gold_sentence[(doc.docid, s.index)] = key
            sentence_text[key] = sentence_text.get(key, "") + " " + s.text
    counts, baseline = Counts(), Counts()
    dct = {d.docid: d.dct for d in docs}
    targets = root / name / f"list_target_entities_{name}.txt"
    known = {}
    if targets.is_file():
        for line in targets.read_text(encoding="utf-8").splitlines():
            if line.strip():
                known[re.sub(r"\W+", "_", line.strip().lower())] = line.strip()
    for path in sorted((root / gold_dir).glob("*.txt")):
        entity, gold = read_gold(path, known)
        evaluate(entity, gold, timeline, gold_sentence, sentence_text, dct, counts, baseline)
    print(f"\n{name}: {len(docs)} docs, {len(timeline)} timeline entries, {elapsed:.1f} s")
    print("\n".join(counts.per_entity))
    report(counts, baseline)
    return counts, baseline


def report(counts: Counts, baseline: Counts) -> None:
    p, r, f = counts.prf()
    bp, br, bf = baseline.prf()
    print(f"  (entity, date) pairs   storyline P {p:.3f} R {r:.3f} F1 {f:.3f}")
    print(f"                         DCT baseline P {bp:.3f} R {br:.3f} F1 {bf:.3f}")
    if counts.events:
        print(
            f"  gold dated events whose sentence is on the right date: "
            f"{counts.exact}/{counts.events} = {counts.exact / counts.events:.3f} exact, "
            f"{counts.compatible / counts.events:.3f} on a compatible date"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument(
        "--election",
        action="store_true",
        help="also run bench/election_protocol.py (PolNeAR, 2016 election)",
    )
    parser.add_argument("--polnear", type=Path, default=None, help="PolNeAR data directory")
    parser.add_argument("--cache", type=Path, default=None, help="election annotation cache")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"{args.data}: not found (pass --data)", file=sys.stderr)
        return 2
    polnear = args.polnear or Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"
    if args.election and not (polnear / "metadata.tsv").is_file():
        print(f"{polnear}: no metadata.tsv (pass --polnear)", file=sys.stderr)
        return 2
    print(f"dataset: {args.data}")
    print("command: " + " ".join(["python", *sys.argv]))
    total, total_base = Counts(), Counts()
    for name, (docs_dir, gold_dir) in CORPORA.items():
        counts, baseline = run_corpus(args.data, name, docs_dir, gold_dir)
        for mine, theirs in ((total, counts), (total_base, baseline)):
            for attr in ("tp", "fp", "fn", "events", "exact", "compatible"):
                setattr(mine, attr, getattr(mine, attr) + getattr(theirs, attr))
    print("\nall (micro over trial + corpus_1):")
    report(total, total_base)
    from topic_protocol import run_topics  # bench/ is on sys.path when run as a script

    run_topics(args.data, CORPORA, read_doc, annotate, patterns, norm_date)
    if args.election:
        import election_protocol as election

        election.run_election(polnear, election.REFERENCE, args.cache or election.CACHE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

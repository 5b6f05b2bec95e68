"""A second Timeline17-style development protocol, at Timeline17 scale: the 2016 US election.

Usage:  .venv/bin/python bench/election_protocol.py [--data ../shared/data/polnear]
            [--reference bench/data/election2016_timeline.tsv] [--cache DIR]
(also run by ``bench/timeline_eval.py --election``)

* input: PolNeAR train + dev (never test), US political news from 7 outlets. PolNeAR is
  split by time: 84 articles per month from the 8th to the 7th; train is 2015-11-08 to
  2016-09-07, dev the month to 2016-10-07, test (held out) the last month to the election,
  so the reference's days after 2016-10-07 are left out of the scoring (a timeline's
  range is that of its input, as in Timeline17). The topic (the presidential campaign):
  every article with trump_count + clinton_count > 0 in ``metadata.tsv`` (all of them, by
  PolNeAR's design); an article's date is its metadata publication_date, its title the metadata
  title (the text file's first line is dropped).
* reference: ``bench/data/election2016_timeline.tsv``, written from general knowledge of
  the campaign independently of storyline's output (see its header).
* the rest is ``bench/topic_protocol.py``: the articles published from the first reference
  day to 7 days after the last, L = reference days, K = mean sentences per reference day,
  storyline (sentence reuse -> wire families -> ``topic_timeline``) beside PUBCOUNT, scored
  by ``bench/tls_metrics.py``.

Articles are annotated as ``timeline_eval`` does (``segment_many`` + ``find_timexes`` with
the publication date); the annotations are cached under ``--cache`` (default: a directory in
the system temp dir, never the repository), one pickle per article keyed by the hash of its
file, its metadata and the source of ``storyline.annotate`` (a code change re-annotates).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import pickle
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

import storyline.annotate
from storyline.annotate.nlp import segment_many
from storyline.annotate.timex import find_timexes
from storyline.annotate.version import ANNOTATION_VERSION
from storyline.config import Settings
from storyline.link.families import reused_families
from storyline.model import AnnotatedArticle, Article
from tls_metrics import Timeline
from topic_protocol import Reference, in_range, score_table, storyline_timeline

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"
REFERENCE = Path(__file__).resolve().parent / "data" / "election2016_timeline.tsv"
CACHE = Path(tempfile.gettempdir()) / "storyline-bench-election"
SPLITS = ("train", "dev")  # test is held out


def read_reference(path: Path) -> dict[date, list[str]]:
    """``date<TAB>sentence`` lines (``#`` comments skipped) as {day: [sentence, ...]}."""
    days: dict[date, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            day, sentence = line.split("\t", 1)
            days.setdefault(date.fromisoformat(day.strip()), []).append(sentence.strip())
    return days


def topic_rows(root: Path) -> list[dict[str, str]]:
    """Metadata rows of the train/dev articles about the campaign (see the docstring)."""
    with (root / "metadata.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [r for r in rows if r["compartment"] in SPLITS
            and int(r["trump_count"]) + int(r["clinton_count"]) > 0]  # fmt: skip


def read_article(raw: str, row: dict[str, str]) -> Article:
    first, _, body = raw.replace("\r\n", "\n").partition("\n")
    return Article(
        id=row["filename"],
        text=body.lstrip("\n"),
        title=row["title"].strip() or first.strip(),
        source=row["publisher"],
        published=date.fromisoformat(row["publication_date"]),
    )


def _code_hash() -> str:
    """The annotation code's fingerprint: ANNOTATION_VERSION and the annotate sources."""
    digest = hashlib.sha256(str(ANNOTATION_VERSION).encode())
    for path in sorted(Path(storyline.annotate.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def annotate_cached(root: Path, rows: list[dict[str, str]], cache: Path) -> list[AnnotatedArticle]:
    """Annotations of the articles of ``rows``, from ``cache`` where present."""
    cache.mkdir(mode=0o700, parents=True, exist_ok=True)  # pickles: keep it private
    code = _code_hash()
    keys: list[Path] = []
    missing: list[tuple[int, Article]] = []
    found: list[AnnotatedArticle | None] = []
    for i, row in enumerate(rows):
        data = (root / row["compartment"] / "text" / f"{row['filename']}.txt").read_bytes()
        meta = "\t".join((row["filename"], row["title"], row["publisher"], row["publication_date"]))
        key = hashlib.sha256(data + meta.encode() + code.encode()).hexdigest()
        keys.append(cache / f"{key}.pickle")
        if keys[-1].is_file():
            found.append(pickle.loads(keys[-1].read_bytes()))
        else:
            found.append(None)
            missing.append((i, read_article(data.decode("utf-8"), row)))
    started = time.perf_counter()
    articles = [a for _, a in missing]
    for (i, article), sentences in zip(missing, segment_many(articles), strict=True):
        timexes = find_timexes(article.id, article.text, sentences, article.published)
        found[i] = AnnotatedArticle(article, sentences, timexes=tuple(timexes))
        keys[i].write_bytes(pickle.dumps(found[i], protocol=pickle.HIGHEST_PROTOCOL))
    print(f"  annotated {len(missing)} articles ({time.perf_counter() - started:.1f} s), "
          f"{len(rows) - len(missing)} from the cache {cache}")  # fmt: skip
    return [a for a in found if a is not None]


def describe(docs: list[AnnotatedArticle], days: dict[date, list[str]]) -> None:
    """Per-day publication counts and the reference days the articles cannot reach."""
    per_day = Counter(d.article.published for d in docs if d.article.published)
    first, last = min(per_day), max(per_day)
    span = (last - first).days + 1
    counts = [per_day.get(date.fromordinal(first.toordinal() + i), 0) for i in range(span)]
    histogram = " ".join(f"{n}:{c}" for n, c in sorted(Counter(counts).items()))
    print(f"  input: {len(docs)} articles published {first} .. {last}, {len(per_day)} of "
          f"{span} days with an article; per day: mean {statistics.mean(counts):.2f}, "
          f"median {statistics.median(counts):g}, max {max(counts)}")  # fmt: skip
    print(f"  days by article count (count:days): {histogram}")
    by_month = Counter(day.strftime("%Y-%m") for day in per_day.elements())
    print("  per month: " + " ".join(f"{m[2:]}:{n}" for m, n in sorted(by_month.items())))
    late = sorted(day for day in days if day > last)
    on_pub = sum(1 for day in days if per_day.get(day))
    print(f"  reference: {len(days)} days, {sum(map(len, days.values()))} sentences; "
          f"{on_pub} days with an article published; {len(late)} after the last article "
          f"({', '.join(map(str, late))})")  # fmt: skip


def run_election(root: Path, reference: Path, cache: Path) -> dict[str, dict[str, float]]:
    """Print the protocol's table (storyline / PUBCOUNT) and timings; return the means."""
    days = read_reference(reference)
    rows = topic_rows(root)
    print("\nelection 2016 timeline (Timeline17-style protocol, bench/election_protocol.py)")
    print(f"  dataset: {root} ({'+'.join(SPLITS)}: {len(rows)} articles with "
          f"trump_count + clinton_count > 0)\n  reference: {reference}")  # fmt: skip
    docs = in_range(annotate_cached(root, rows, cache), days)
    describe(docs, days)
    last = max(d.article.published for d in docs if d.article.published)
    days = {day: sentences for day, sentences in days.items() if day <= last}
    print(f"  scored: the {len(days)} reference days up to the last article ({last})")
    ref = Reference("election 2016 (PolNeAR train+dev)", days, docs)
    timings: dict[str, float] = {}

    def timed(docs: list[AnnotatedArticle], ref: Reference, settings: Settings) -> Timeline:
        started = time.perf_counter()
        families = reused_families(docs, settings)
        linked = time.perf_counter()
        found = storyline_timeline(docs, ref, settings, families)
        timings.update(link=linked - started, timeline=time.perf_counter() - linked)
        timings["families"] = float(len(families))
        return found

    means = score_table([ref], Settings(), "  scores", timed)
    print(
        f"\n  storyline on {len(docs)} articles: link (reuse, {timings['families']:.0f} wire "
        f"families) {timings['link']:.1f} s, topic_timeline {timings['timeline']:.1f} s"
    )
    return means


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--reference", type=Path, default=REFERENCE)
    parser.add_argument("--cache", type=Path, default=CACHE, help="annotation cache directory")
    args = parser.parse_args(argv)
    if not (args.data / "metadata.tsv").is_file():
        print(f"{args.data}: no metadata.tsv (pass --data)", file=sys.stderr)
        return 2
    print("command: " + " ".join(["python", *sys.argv]))
    run_election(args.data, args.reference, args.cache)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

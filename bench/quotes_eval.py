"""Quote extraction on PolNeAR dev: storyline's rules vs textacy's direct_quotations.

Usage:  .venv/bin/python bench/quotes_eval.py [--data ../shared/data/polnear/dev] [--limit N]
        (textacy: .venv/bin/pip install -r bench/requirements-quotes.txt)

Gold: brat Attribution events (Source / Cue / Content); a text annotated by several
annotators is scored against its first .ann (sorted by name). A gold Content is *direct*
when each of its fragments (trailing .,;:?! removed) is enclosed in quote marks: it starts
with an opening mark or directly follows one, and ends with a closing mark or directly
precedes one.
Match: a predicted content span matches a gold Content when the characters they share are
>= 50 % of the longer of the two (overlap / max(len_pred, len_gold) >= 0.5; gold length is
the sum of its fragments); one-to-one, greedy by overlap.
Speaker accuracy (on matched pairs whose gold has a Source): correct when the predicted
speaker span overlaps the gold Source span, or the predicted speaker string's last word
equals the gold Source's last word (case-insensitive).
"Direct" scores predicted direct quotes against gold direct Contents; "all" scores every
predicted quote against every gold Content.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from storyline.annotate.nlp import load, segment
from storyline.annotate.quotes import extract_quotes
from storyline.model import Article, Mention

OPEN = "“\"‘'"
CLOSE = "”\"’'"


@dataclass(frozen=True)
class Gold:
    fragments: tuple[tuple[int, int], ...]
    source: tuple[int, int] | None
    source_text: str
    direct: bool

    @property
    def length(self) -> int:
        return sum(e - s for s, e in self.fragments)


@dataclass(frozen=True)
class Pred:
    start: int
    end: int
    speaker: str | None
    speaker_span: tuple[int, int] | None
    direct: bool


@dataclass
class Score:
    pred: int = 0
    gold: int = 0
    matched: int = 0
    spk_total: int = 0
    spk_ok: int = 0

    def line(self, name: str) -> str:
        p = self.matched / self.pred if self.pred else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        acc = self.spk_ok / self.spk_total if self.spk_total else 0.0
        return (
            f"{name:<28} P={p:.3f} R={r:.3f} F1={f:.3f}  speaker acc={acc:.3f} "
            f"({self.spk_ok}/{self.spk_total})  pred={self.pred} gold={self.gold} "
            f"matched={self.matched}"
        )


def _enclosed(text: str, start: int, end: int) -> bool:
    frag = text[start:end].strip()
    lead = len(text[start:end]) - len(text[start:end].lstrip())
    start += lead
    frag = frag.rstrip(".,;:?! ")
    if not frag:
        return False
    end = start + len(frag)
    opened = frag[0] in OPEN or (start > 0 and text[start - 1] in OPEN)
    closed = (
        frag[-1] in CLOSE
        or (end < len(text) and text[end] in CLOSE)
        or (end + 1 < len(text) and text[end + 1] in CLOSE)
    )
    return opened and closed


def read_gold(ann: Path, text: str) -> list[Gold]:
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...], str]] = {}
    events: list[dict[str, str]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, info, surface = [*line.split("\t"), ""][:3]
            label, offsets = info.split(" ", 1)
            frags = tuple((int(a), int(b)) for a, b in (p.split() for p in offsets.split(";")))
            spans[tid] = (label, frags, surface)
        elif line.startswith("E"):
            parts = line.split("\t")[1].split()
            events.append(dict(p.split(":", 1) for p in parts))
    golds: list[Gold] = []
    for event in events:
        content = spans.get(event.get("Content", ""))
        if content is None:
            continue
        source = spans.get(event.get("Source", ""))
        src_span = (source[1][0][0], source[1][-1][1]) if source else None
        direct = all(_enclosed(text, s, e) for s, e in content[1])
        golds.append(Gold(content[1], src_span, source[2] if source else "", direct))
    return golds


def _overlap(pred: Pred, gold: Gold) -> float:
    shared = sum(max(0, min(pred.end, e) - max(pred.start, s)) for s, e in gold.fragments)
    return shared / max(pred.end - pred.start, gold.length, 1)


def _last_word(text: str | None) -> str:
    words = re.findall(r"[\w-]+", (text or "").lower())
    return words[-1] if words else ""


def score(preds: list[Pred], golds: list[Gold], text: str, out: Score) -> None:
    out.pred += len(preds)
    out.gold += len(golds)
    pairs = sorted(
        ((_overlap(p, g), i, j) for i, p in enumerate(preds) for j, g in enumerate(golds)),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    for ov, i, j in pairs:
        if ov < 0.5:
            break
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.matched += 1
        gold, pred = golds[j], preds[i]
        if gold.source is None:
            continue
        out.spk_total += 1
        span_ok = pred.speaker_span is not None and (
            pred.speaker_span[0] < gold.source[1] and gold.source[0] < pred.speaker_span[1]
        )
        head = _last_word(pred.speaker)
        if span_ok or (head and head == _last_word(gold.source_text)):
            out.spk_ok += 1


def storyline_preds(doc_id: str, text: str) -> list[Pred]:
    article = Article(id=doc_id, text=text)
    sentences = segment(article)
    ner = load(variant="ner")
    mentions = [
        Mention(doc_id, s.index, s.start + e.start_char, s.start + e.end_char, e.text, e.label_)
        for s, doc in zip(sentences, ner.pipe([s.text for s in sentences]), strict=True)
        for e in doc.ents
    ]
    started = time.perf_counter()
    quotes = extract_quotes(doc_id, text, sentences, mentions)
    storyline_preds.rule_seconds += time.perf_counter() - started  # type: ignore[attr-defined]
    return [
        Pred(
            q.start,
            q.end,
            q.speaker,
            (q.speaker_start, q.speaker_end)
            if q.speaker_start is not None and q.speaker_end is not None
            else None,
            q.direct,
        )
        for q in quotes
    ]


storyline_preds.rule_seconds = 0.0  # type: ignore[attr-defined]


def textacy_preds(text: str) -> list[Pred]:
    """textacy on the whole text; when it refuses (unbalanced quote marks), per paragraph."""
    from textacy.extract import direct_quotations

    from storyline.annotate.nlp import paragraphs

    nlp = load(variant="full")
    try:
        chunks = [(0, nlp(text))]
        triples = [(0, t) for t in direct_quotations(chunks[0][1])]
    except ValueError:
        triples = []
        spans = list(paragraphs(text))
        for (offset, _), doc in zip(spans, nlp.pipe(text[s:e] for s, e in spans), strict=True):
            try:
                triples.extend((offset, t) for t in direct_quotations(doc))
            except ValueError:
                textacy_preds.refused += 1  # type: ignore[attr-defined]
    preds = []
    for offset, triple in triples:
        speaker = triple.speaker
        span = (
            (offset + speaker[0].idx, offset + speaker[-1].idx + len(speaker[-1]))
            if speaker
            else None
        )
        name = " ".join(t.text for t in speaker) if speaker else None
        start, end = offset + triple.content.start_char, offset + triple.content.end_char
        preds.append(Pred(start, end, name, span, True))
    return preds


textacy_preds.refused = 0  # type: ignore[attr-defined]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=str(Path(__file__).parents[2] / "shared/data/polnear/dev")
    )
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--no-textacy", action="store_true")
    args = parser.parse_args()
    data = Path(args.data)
    texts = sorted((data / "text").glob("*.txt"))
    if args.limit:
        texts = texts[: args.limit]
    anns = sorted((data / "attributions").glob("*.ann"))
    use_textacy = not args.no_textacy
    if use_textacy:
        try:
            import textacy
        except ImportError:
            print("textacy missing: pip install -r bench/requirements-quotes.txt", file=sys.stderr)
            use_textacy = False
    systems = ["storyline"] + (["textacy"] if use_textacy else [])
    scores = {(s, k): Score() for s in systems for k in ("direct", "all")}
    seconds = dict.fromkeys(systems, 0.0)
    load(variant="ner")
    load(variant="senter")
    if use_textacy:
        load(variant="full")
    for path in texts:
        text = path.read_text(encoding="utf-8")
        ann = next((a for a in anns if a.name.startswith(path.stem + "_")), None)
        if ann is None:
            continue
        golds = read_gold(ann, text)
        for system in systems:
            started = time.perf_counter()
            preds = (
                storyline_preds(path.stem, text) if system == "storyline" else textacy_preds(text)
            )
            seconds[system] += time.perf_counter() - started
            score(
                [p for p in preds if p.direct],
                [g for g in golds if g.direct],
                text,
                scores[(system, "direct")],
            )
            score(preds, golds, text, scores[(system, "all")])
    print(f"dataset: {data} ({len(texts)} texts, first .ann per text)")
    print("command: " + " ".join(["python", *sys.argv]))
    if use_textacy:
        print(f"textacy {textacy.__version__}")
    for system in systems:
        for kind in ("direct", "all"):
            print(scores[(system, kind)].line(f"{system} / {kind}"))
    rule = storyline_preds.rule_seconds  # type: ignore[attr-defined]
    print(
        f"runtime storyline: {seconds['storyline']:.1f}s total (senter+ner+rules), "
        f"rules alone {rule:.2f}s"
    )
    if use_textacy:
        refused = textacy_preds.refused  # type: ignore[attr-defined]
        print(
            f"runtime textacy: {seconds['textacy']:.1f}s (full spaCy pipeline + "
            f"direct_quotations); paragraphs refused (unbalanced marks): {refused}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

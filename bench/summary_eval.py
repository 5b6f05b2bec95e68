"""ROUGE-1/2 of storyline's story summary against LexRank and a lead baseline, same run.

Usage:
    .venv/bin/pip install -r bench/requirements-summary.txt
    .venv/bin/python bench/summary_eval.py --refs DIR [--max-bytes 665] [--limit N]

Reference layouts under ``--refs DIR`` (detected per run):

* storyline layout: one folder per topic, ``DIR/<topic>/docs/*`` (plain text; a seed-style
  first line ``date YYYY-MM-DD ...`` gives the date) and ``DIR/<topic>/refs/*`` (one human
  reference summary per file).
* DUC-like layout: ``DIR/docs/<topic>/<document>`` (SGML with ``<TEXT>``; the date is read from
  a ``<DATE_TIME>``/``<DATE>`` tag or the 8 digits of the DOCNO, e.g. APW19981016.0240) and
  reference summaries in ``DIR/models/`` (or ``DIR/refs/``) named after the topic
  (``D30001.M.100.T.A`` belongs to ``docs/d30001t``).

Systems, each cut to ``--max-bytes`` bytes (the DUC convention, ``ROUGE -b 665``):

* storyline: ``storyline.synthesize.summary.summarize`` (sentences by rank, then truncated);
  also "storyline exact": its own byte budget, nothing truncated, as the product outputs it;
* LexRank: ``sumy`` (``LexRankSummarizer``, English stemmer and stop words) over all the
  topic's sentences, ranked, then truncated;
* lead: the first sentences of the earliest article, truncated.

Sentences come from ``storyline.annotate.nlp`` for every system. Scores are rouge-score's
ROUGE-1/2 with the Porter stemmer, averaged over a topic's references, then over topics.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from pathlib import Path

from storyline.annotate.nlp import segment_many
from storyline.model import AnnotatedArticle, Article
from storyline.synthesize.similarity import strip_header, words
from storyline.synthesize.summary import summarize

_HEADER_DATE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})")
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_DOCNO_DATE = re.compile(r"(19\d{2}|20\d{2})(\d{2})(\d{2})")
_TOPIC = re.compile(r"[a-z]*\d+")


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    articles: tuple[Article, ...]
    references: tuple[str, ...]


@dataclass(slots=True)
class Scores:
    r1: list[float] = field(default_factory=list)
    f1: list[float] = field(default_factory=list)
    r2: list[float] = field(default_factory=list)
    f2: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def _date_of(name: str, raw: str) -> date | None:
    header = _HEADER_DATE.match(raw)
    if header:
        return date.fromisoformat(header[1])
    for source in (re.search(r"<DATE_TIME>(.*?)</DATE_TIME>", raw, re.S), re.search(
        r"<DOCNO>(.*?)</DOCNO>", raw, re.S), None):  # fmt: skip
        text = source[1] if source else name
        match = _DOCNO_DATE.search(text)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                continue
    return None


def read_document(path: Path, topic: str) -> Article:
    """One document as an Article: the <TEXT> of SGML, or the whole plain text."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    bodies = _TEXT.findall(raw)
    if bodies:
        paragraphs = re.split(r"<P>|\n\s*\n", " ".join(bodies), flags=re.IGNORECASE)
        text = "\n\n".join(" ".join(unescape(_TAG.sub(" ", p)).split()) for p in paragraphs)
        text = re.sub(r"\n{3,}", "\n\n", text).strip()
    else:
        text = raw
    return Article(
        id=f"{topic}/{path.name}", text=text, published=_date_of(path.name, raw), path=str(path)
    )


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def load_topics(root: Path) -> list[Topic]:
    """Topics of either layout (see the module docstring)."""
    topics: list[Topic] = []
    if (root / "docs").is_dir():  # DUC-like
        models = next((root / n for n in ("models", "refs") if (root / n).is_dir()), None)
        if models is None:
            raise SystemExit(f"{root}: a DUC-like layout needs models/ or refs/")
        refs: dict[str, list[str]] = {}
        for path in _files(models):
            key = _TOPIC.match(path.name.lower())
            if key:
                refs.setdefault(key[0], []).append(path.read_text(errors="replace"))
        for folder in sorted(p for p in (root / "docs").iterdir() if p.is_dir()):
            key = _TOPIC.match(folder.name.lower())
            found = refs.get(key[0], []) if key else []
            if found:
                docs = tuple(read_document(p, folder.name) for p in _files(folder))
                topics.append(Topic(folder.name, docs, tuple(found)))
        return topics
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if (folder / "docs").is_dir() and (folder / "refs").is_dir():
            docs = tuple(read_document(p, folder.name) for p in _files(folder / "docs"))
            texts = tuple(p.read_text(encoding="utf-8") for p in _files(folder / "refs"))
            if docs and texts:
                topics.append(Topic(folder.name, docs, texts))
    return topics


def truncate(text: str, max_bytes: int) -> str:
    """``text`` cut to ``max_bytes`` UTF-8 bytes (at a character boundary)."""
    return text.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore")


def storyline_ranked(story: Sequence[AnnotatedArticle], budget: int) -> str:
    summary = summarize(story, max_words=None, max_bytes=budget + 400, by_rank=True)
    return truncate(" ".join(s.text for s in summary), budget)


def storyline_exact(story: Sequence[AnnotatedArticle], budget: int) -> str:
    return " ".join(s.text for s in summarize(story, max_words=None, max_bytes=budget))


class _Words:
    """A sumy tokenizer over storyline's segmentation (no NLTK data download needed)."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return (paragraph,)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(words(sentence))


def lexrank(story: Sequence[AnnotatedArticle], budget: int) -> str:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    tokenizer = _Words()
    paragraphs = [
        Paragraph([Sentence(strip_header(s.text), tokenizer) for s in a.sentences])
        for a in story
        if a.sentences
    ]
    document = ObjectDocumentModel(paragraphs)
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    sentence_words = [summarizer._to_words_set(s) for s in document.sentences]
    tf = summarizer._compute_tf(sentence_words)
    idf = summarizer._compute_idf(sentence_words)
    matrix = summarizer._create_matrix(sentence_words, summarizer.threshold, tf, idf)
    scores = summarizer.power_method(matrix, summarizer.epsilon)
    ranked = sorted(zip(scores, range(len(scores)), document.sentences, strict=True),
                    key=lambda item: (-item[0], item[1]))  # fmt: skip
    return truncate(" ".join(str(s) for _, _, s in ranked[:60]), budget)


def lead(story: Sequence[AnnotatedArticle], budget: int) -> str:
    first = min(story, key=lambda a: (a.article.published or date.max, a.article.id))
    return truncate(" ".join(strip_header(s.text) for s in first.sentences), budget)


SYSTEMS: dict[str, Callable[[Sequence[AnnotatedArticle], int], str]] = {
    "storyline": storyline_ranked,
    "storyline exact": storyline_exact,
    "LexRank (sumy)": lexrank,
    "lead": lead,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refs", type=Path, required=True, help="reference set (see layouts)")
    parser.add_argument("--max-bytes", type=int, default=665, help="summary length in bytes")
    parser.add_argument("--limit", type=int, default=0, help="only the first N topics")
    args = parser.parse_args(argv)
    try:
        from rouge_score import rouge_scorer
    except ImportError:
        print("install bench/requirements-summary.txt first", file=sys.stderr)
        return 2
    if not args.refs.is_dir():
        print(f"{args.refs}: not a folder", file=sys.stderr)
        return 2
    topics = load_topics(args.refs)[: args.limit or None]
    if not topics:
        print(f"{args.refs}: no topic with documents and references", file=sys.stderr)
        return 2
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    scores = {name: Scores() for name in SYSTEMS}
    segment_seconds = 0.0
    for topic in topics:
        started = time.perf_counter()
        story = [
            AnnotatedArticle(a, s)
            for a, s in zip(topic.articles, segment_many(topic.articles), strict=True)
        ]
        segment_seconds += time.perf_counter() - started
        for name, system in SYSTEMS.items():
            started = time.perf_counter()
            summary = system(story, args.max_bytes)
            scores[name].seconds.append(time.perf_counter() - started)
            results = [scorer.score(ref, summary) for ref in topic.references]
            for metric, recall, fmeasure in (("rouge1", "r1", "f1"), ("rouge2", "r2", "f2")):
                getattr(scores[name], recall).append(
                    statistics.mean(r[metric].recall for r in results)
                )
                getattr(scores[name], fmeasure).append(
                    statistics.mean(r[metric].fmeasure for r in results)
                )
    refs = sum(len(t.references) for t in topics)
    print(f"dataset: {args.refs}  topics: {len(topics)}  references: {refs}")
    print(
        f"budget: {args.max_bytes} bytes; segmentation {segment_seconds / len(topics):.3f} s/topic"
    )
    print(f"{'system':<18}{'R1 recall':>10}{'R1 F':>8}{'R2 recall':>11}{'R2 F':>8}{'s/topic':>10}")
    for name, s in scores.items():
        print(
            f"{name:<18}{100 * statistics.mean(s.r1):>10.2f}{100 * statistics.mean(s.f1):>8.2f}"
            f"{100 * statistics.mean(s.r2):>11.2f}{100 * statistics.mean(s.f2):>8.2f}"
            f"{statistics.mean(s.seconds):>10.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""ECB+ loader shared by bench/cluster_eval.py and bench/cluster_scale.py.

Reads the token XML of ``../shared/data/ecbplus/ECB+/<topic>/<n>ecb(plus).xml`` and turns
each document into an ``AnnotatedArticle``: tokens are joined with light detokenisation,
each gold sentence becomes its own paragraph (the first is the title), URL lines and
date-only lines (present only in the ``ecbplus`` half, so they would leak the gold
sub-topic through formatting) are dropped. ECB+ has no publication dates: every article gets
the same synthetic date, so time says nothing about the gold.

Gold labels: topic = folder; event (sub-topic) = folder + ``ecb``/``ecbplus``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

from storyline.model import AnnotatedArticle, Article, Mention, Sentence

ECB_ROOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus" / "ECB+"
SYNTHETIC_DATE = date(2020, 1, 1)

_URL = re.compile(r"^\s*(https?\s*:|www\s*\.)", re.IGNORECASE)
_MONTHS = "january february march april may june july august september october november december"
_DAYS = "monday tuesday wednesday thursday friday saturday sunday"
#: words a date/byline stamp ("Posted on Thu Jun 13, 2013 08: 45 AM PDT") is made of
_STAMP_WORDS = frozenset(
    _MONTHS.split()
    + [m[:3] for m in _MONTHS.split()]
    + ["sept"]
    + _DAYS.split()
    + [d[:3] for d in _DAYS.split()]
    + "tues thur thurs published originally posted updated last first on at am pm a p m".split()
    + "edt est et pt pdt pst gmt bst utc cet cest cst cdt mst ist aest akdt hkt".split()
    + "by th st nd rd".split()
    + "uk hrs time edited created story release".split()
)
_WORDS = re.compile(r"[^\W\d_]+")


def is_stamp(line: str) -> bool:
    """True for a line that is only a date/time stamp (it has a digit and no other words)."""
    words = [w.lower() for w in _WORDS.findall(line)]
    return any(c.isdigit() for c in line) and all(w in _STAMP_WORDS for w in words)


_NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", "%", ")", "]", "'s", "n't", "'", "’s"}
_NO_SPACE_AFTER = {"(", "[", "$", "``"}


@dataclass(frozen=True, slots=True)
class EcbDoc:
    """One ECB+ document as an annotated article with its gold labels."""

    doc: AnnotatedArticle
    topic: str
    event: str


def detokenise(tokens: Iterable[str]) -> str:
    """Join tokens with spaces except before closing and after opening punctuation."""
    out = ""
    previous = ""
    for token in tokens:
        if out and token not in _NO_SPACE_BEFORE and previous not in _NO_SPACE_AFTER:
            out += " "
        out += token
        previous = token
    return out


def _sentences(path: Path) -> list[str]:
    root = ElementTree.parse(path).getroot()
    by_sentence: dict[int, list[str]] = {}
    for token in root.iter("token"):
        by_sentence.setdefault(int(token.get("sentence", "0")), []).append(token.text or "")
    texts = [detokenise(by_sentence[k]) for k in sorted(by_sentence)]
    return [t for t in texts if t.strip() and not _URL.match(t) and not is_stamp(t)]


def _article(doc_id: str, sentences: list[str], published: date | None) -> AnnotatedArticle:
    text = "\n\n".join(sentences)
    records: list[Sentence] = []
    offset = 0
    for number, sentence in enumerate(sentences):
        records.append(Sentence(doc_id, number, offset, offset + len(sentence), number, sentence))
        offset += len(sentence) + 2
    article = Article(id=doc_id, text=text, title=sentences[0], published=published)
    return AnnotatedArticle(article=article, sentences=tuple(records))


def load(topics: Iterable[int] = range(1, 36), root: Path = ECB_ROOT) -> list[EcbDoc]:
    """Documents of the given ECB+ topics (missing topics are skipped), sorted by id."""
    docs: list[EcbDoc] = []
    for topic in topics:
        folder = root / str(topic)
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.xml")):
            suffix = "ecbplus" if path.stem.endswith("ecbplus") else "ecb"
            sentences = _sentences(path)
            if not sentences:
                continue
            doc = _article(path.stem, sentences, SYNTHETIC_DATE)
            docs.append(EcbDoc(doc, str(topic), f"{topic}{suffix}"))
    return docs


def add_mentions(docs: list[EcbDoc]) -> tuple[list[EcbDoc], float]:
    """The same documents with spaCy NER mentions, and the NER wall time in seconds."""
    from storyline.annotate.nlp import load as load_nlp

    nlp = load_nlp(variant="ner")
    start = time.perf_counter()
    out: list[EcbDoc] = []
    for item in docs:
        doc = item.doc
        mentions: list[Mention] = []
        texts = [s.text for s in doc.sentences]
        for sentence, parsed in zip(doc.sentences, nlp.pipe(texts, batch_size=64), strict=True):
            for ent in parsed.ents:
                mentions.append(
                    Mention(
                        article=doc.article.id,
                        sentence=sentence.index,
                        start=sentence.start + ent.start_char,
                        end=sentence.start + ent.end_char,
                        text=ent.text,
                        label=ent.label_,
                    )
                )
        annotated = AnnotatedArticle(doc.article, doc.sentences, tuple(mentions))
        out.append(EcbDoc(annotated, item.topic, item.event))
    return out, time.perf_counter() - start

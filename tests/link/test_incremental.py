"""The incremental engine: one run over everything equals many small runs, a run with
nothing new does nothing, a rebuild reproduces the incremental result, and changed
result settings ask for a rebuild instead of mixing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from storyline import pipeline
from storyline.config import Settings
from storyline.errors import RebuildNeededError
from storyline.model import Article
from storyline.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"
RUNS = 20


def _stream(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (a.published is None, a.published or date.min, a.id))


def _line(article: Article) -> str:
    record = {
        "text": article.text, "title": article.title, "source": article.source,
        "url": article.url, "language": article.language,
        "published": article.published.isoformat() if article.published else None,
    }  # fmt: skip
    return json.dumps(record, ensure_ascii=False)


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The sample corpus in publication order, cut into 20 JSONL files of a few articles."""
    articles = _stream(pipeline.read_articles([CORPUS], Settings()))
    folder = tmp_path_factory.mktemp("batches")
    size = -(-len(articles) // RUNS)
    paths = []
    for number in range(RUNS):
        part = articles[number * size : (number + 1) * size]
        if part:
            path = folder / f"{number:02d}.jsonl"
            path.write_text("\n".join(_line(a) for a in part) + "\n", encoding="utf-8")
            paths.append(path)
    return paths


def _results(db: Path) -> dict[str, Any]:
    """Everything the link and synthesis stages decided, without timestamps."""
    with Store(db, readonly=True) as store:
        links = {a: (s, d) for a, (s, d) in store.article_links().items()}
        reports = store.story_reports()
        dates = dict(store.db.execute("SELECT id, published FROM articles").fetchall())
    for report in reports:
        report.pop("updated", None)
    return {"links": links, "reports": sorted(reports, key=lambda r: str(r["id"])),
            "dates": dates}  # fmt: skip


@pytest.fixture(scope="module")
def one_run(batches: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("one") / "one.db"
    pipeline.run([batches[0].parent], Settings(db=str(db), workers=1))
    return db


@pytest.fixture(scope="module")
def many_runs(batches: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("many") / "many.db"
    for path in batches:
        pipeline.run([path], Settings(db=str(db), workers=1))
    return db


def test_one_run_equals_twenty_small_runs(one_run: Path, many_runs: Path) -> None:
    one, many = _results(one_run), _results(many_runs)
    assert len(one["reports"]) >= 5
    duplicates = [d for _, d in one["links"].values() if d]
    assert len(duplicates) >= 2  # the corpus's wire copies
    conflicts = [c for r in one["reports"] for c in r["conflicts"] if c["kind"] == "number"]
    assert conflicts  # GOLD's 12 vs 14 killed
    assert many["links"] == one["links"]  # the same stories and duplicates
    assert many["reports"] == one["reports"]  # same titles, reuse, families, conflicts, ...
    assert many["dates"] == one["dates"]  # the same inferred dates


def test_nothing_new_does_nothing(many_runs: Path, batches: list[Path]) -> None:
    with Store(many_runs) as store:
        before = store.db.execute("SELECT id, updated_at FROM stories ORDER BY id").fetchall()
    report = pipeline.run([batches[-1]], Settings(db=str(many_runs), workers=1))
    assert (report.ingest.added, report.annotated, report.linked, report.synthesized) == (
        0, 0, 0, 0,
    )  # fmt: skip
    with Store(many_runs) as store:
        after = store.db.execute("SELECT id, updated_at FROM stories ORDER BY id").fetchall()
    assert after == before


def test_only_touched_stories_are_synthesized(batches: list[Path], tmp_path: Path) -> None:
    db = tmp_path / "touched.db"
    for path in batches[:-1]:
        pipeline.run([path], Settings(db=str(db), workers=1))
    with Store(db) as store:
        stories_before = store.count("stories")
    report = pipeline.run([batches[-1]], Settings(db=str(db), workers=1))
    assert report.linked == report.ingest.added > 0
    assert 1 <= report.synthesized <= report.linked
    assert report.synthesized < stories_before


def test_rebuild_reproduces_the_incremental_result(many_runs: Path, tmp_path: Path) -> None:
    copy = tmp_path / "rebuilt.db"
    with sqlite3.connect(many_runs) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    done = pipeline.rebuild(Settings(db=str(copy), workers=1))
    assert done.linked.linked == len(_results(many_runs)["links"])
    assert _results(copy) == _results(many_runs)


def test_changed_settings_ask_for_a_rebuild(many_runs: Path, tmp_path: Path) -> None:
    copy = tmp_path / "changed.db"
    with sqlite3.connect(many_runs) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    settings = Settings(db=str(copy), workers=1, cluster_threshold=0.35)
    with pytest.raises(RebuildNeededError, match=r"cluster_threshold: 0\.2 -> 0\.35"):
        pipeline.run([], settings)
    pipeline.rebuild(settings)
    pipeline.run([], settings)  # the state now carries the new settings


def test_a_setting_added_by_an_upgrade_counts_as_its_default(
    many_runs: Path, tmp_path: Path
) -> None:
    """A state recorded before a result setting existed needs no rebuild while the setting
    keeps its default (the behaviour the state was built with), and does with another."""
    copy = tmp_path / "older.db"
    with sqlite3.connect(many_runs) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with Store(copy) as store:
        recorded = store.link_settings()
        assert recorded is not None and "reuse_paraphrase_signal" in recorded
        del recorded["reuse_paraphrase_signal"]
        store.set_link_settings(recorded)
        store.db.commit()
    settings = Settings(db=str(copy), workers=1)
    pipeline.run([], settings)
    with pytest.raises(RebuildNeededError, match=r"reuse_paraphrase_signal: 'ngram' -> 'minilm'"):
        pipeline.run([], settings.with_(reuse_paraphrase_signal="minilm"))


def test_a_late_article_finds_its_story(batches: list[Path], tmp_path: Path) -> None:
    """The earliest article of a story arrives after the rest of the stream."""
    articles = _stream(pipeline.read_articles(batches, Settings()))
    first, rest = articles[0], articles[1:]
    early, late = tmp_path / "rest.jsonl", tmp_path / "late.jsonl"
    early.write_text("\n".join(_line(a) for a in rest) + "\n", encoding="utf-8")
    late.write_text(_line(first) + "\n", encoding="utf-8")
    db = tmp_path / "late.db"
    pipeline.run([early], Settings(db=str(db), workers=1))
    pipeline.run([late], Settings(db=str(db), workers=1))
    one = _results(Path(str(db)))["links"]
    whole = tmp_path / "whole.db"
    pipeline.run([batches[0].parent], Settings(db=str(whole), workers=1))
    expected = _results(whole)["links"]
    partners = {a for a, (s, _) in expected.items() if s == expected[first.id][0]} - {first.id}
    assert partners, "the first article's story has other articles"
    assert {a for a, (s, _) in one.items() if s == one[first.id][0]} >= partners


def test_two_runs_at_once_link_every_article_once(batches: list[Path], tmp_path: Path) -> None:
    db = tmp_path / "both.db"
    half = len(batches) // 2
    left, right = tmp_path / "left", tmp_path / "right"
    for folder, part in ((left, batches[:half]), (right, batches[half:])):
        folder.mkdir()
        for path in part:
            (folder / path.name).write_bytes(path.read_bytes())
    command = [sys.executable, "-m", "storyline", "run", "--db", str(db), "--workers", "1"]
    runs = [subprocess.Popen([*command, str(f)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True) for f in (left, right)]  # fmt: skip
    for process in runs:
        _, errors = process.communicate(timeout=600)
        assert process.returncode == 0, errors
    with Store(db, readonly=True) as store:
        rows = store.db.execute("SELECT linked, link_seq, story FROM articles").fetchall()
        stale = store.db.execute("SELECT COUNT(*) FROM stale_stories").fetchone()
        reported = {r["id"] for r in store.story_reports()}
    assert rows and all(linked == 1 and story for linked, _, story in rows)
    assert len({seq for _, seq, _ in rows}) == len(rows)  # one stream position each
    assert stale[0] == 0
    assert reported == {story for _, _, story in rows}


def test_corrections_last_through_later_runs_and_a_rebuild(
    batches: list[Path], tmp_path: Path
) -> None:
    from storyline import api

    db = tmp_path / "fix.db"
    settings = Settings(db=str(db), workers=1)
    for path in batches[:-2]:
        pipeline.run([path], settings)
    links = _results(db)["links"]
    by_story: dict[str, list[str]] = {}
    for article, (story, copy) in sorted(links.items()):
        if story and not copy:
            by_story.setdefault(story, []).append(article)
    big = max(by_story, key=lambda s: len(by_story[s]))
    loner, mover = by_story[big][0], by_story[big][1]
    other = next(s for s in by_story if s != big)
    api.correct(settings, "detach", articles=[loner], note="not about this")
    api.correct(settings, "move", story=other, articles=[mover])

    def check() -> dict[str, Any]:
        now = _results(db)
        stories = {a: s for a, (s, _) in now["links"].items()}
        assert stories[mover] == other
        alone = [a for a, s in stories.items() if s == stories[loner]]
        assert alone == [loner]  # nothing is grouped with a detached article
        assert {r["id"] for r in now["reports"]} == set(stories.values())
        return now

    check()
    for path in batches[-2:]:  # later runs keep the corrections
        pipeline.run([path], settings)
    before = check()
    pipeline.rebuild(settings)  # so does a rebuild
    assert check() == before
    undone = api.corrections(settings)[-1]
    api.undo_correction(settings, undone.id)
    assert _results(db)["links"][mover][0] != other

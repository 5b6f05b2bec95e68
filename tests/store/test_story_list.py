"""The precomputed story list (storyline.store.story_list, migration 7): its rows equal what
the members and the stored reports give, filters use its indexes, a deleted story takes its
rows along, and the migration fills the rows of stories stored before it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from storyline.model import Article
from storyline.report.queries import (
    StoryFilter,
    article_days,
    article_metas,
    independent_sources,
    outlets,
    story_rows,
)
from storyline.store import MIGRATIONS, Store
from storyline.store.schema import _split_sql

THRESHOLD = 0.5  # the default wire_family_threshold the fixture was linked with


@pytest.fixture
def copy(hostile_corpus_db: Path, tmp_path: Path) -> Path:
    """A writable copy of the session's corpus database."""
    target = tmp_path / "copy.db"
    shutil.copyfile(hostile_corpus_db, target)
    return target


def _expected(store: Store, threshold: float) -> dict[str, dict[str, Any]]:
    """Each story's list values computed from scratch: its member articles and its report."""
    out = {}
    for report in store.story_reports():
        sid = str(report["id"])
        members = list(store.articles("WHERE story = ? ORDER BY rowid", [sid]))
        metas = list(article_metas(store, [m.id for m in members]).values())
        days = Counter(m.published for m in members if m.published)
        out[sid] = {
            "articles": len(members),
            "outlets": tuple(sorted({m.source for m in metas if m.source})),  # outlet names
            "per_day": sorted(days.items()),
            "conflicts": len(report["conflicts"]),
            "sources": independent_sources(
                [m.id for m in members], metas, report["reuse"], threshold
            ),
        }
    return out


def _values(store: Store, threshold: float = THRESHOLD) -> dict[str, dict[str, Any]]:
    listed = story_rows(store, family_threshold=threshold)
    assert listed.total == store.count("stories") == len(listed.rows)
    return {
        row.id: {
            "articles": row.articles,
            "outlets": row.outlets,
            "per_day": [(d.day, d.articles) for d in row.per_day],
            "conflicts": row.conflicts,
            "sources": row.sources,
        }
        for row in listed.rows
    }


def test_rows_equal_members_and_reports(hostile_corpus_db: Path) -> None:
    with Store(hostile_corpus_db, readonly=True) as store:
        unknown = store.db.execute("SELECT COUNT(*) FROM story_list WHERE sources IS NULL")
        assert unknown.fetchone()[0] == 0  # every story was stored with its source count
        expected = _expected(store, THRESHOLD)
        got = _values(store)
    assert len(got) >= 6
    for sid, values in got.items():
        want = expected[sid]
        assert values["articles"] == want["articles"]
        assert values["outlets"] == want["outlets"]
        assert values["per_day"] == want["per_day"]
        assert values["conflicts"] == want["conflicts"]
        assert values["sources"] == want["sources"]
    assert any(v["sources"] < v["articles"] for v in got.values())  # wire copies count once
    assert any(v["conflicts"] > 0 for v in got.values())


def test_unknown_or_other_threshold_sources_are_counted_on_read(copy: Path) -> None:
    with Store(copy) as store:
        before = _values(store)
        expected = _expected(store, 0.99)
        store.db.execute("UPDATE story_list SET sources = NULL, threshold = NULL")
        assert _values(store) == before
        strict = _values(store, 0.99)
    assert {sid: v["sources"] for sid, v in strict.items()} == {
        sid: v["sources"] for sid, v in expected.items()
    }


def test_a_deleted_story_takes_its_rows_along(copy: Path) -> None:
    with Store(copy) as store:
        sid, name = store.db.execute(
            "SELECT story, name FROM story_names WHERE length(name) > 5 ORDER BY id LIMIT 1"
        ).fetchone()
        found = story_rows(store, StoryFilter(entity=name))
        assert sid in {r.id for r in found.rows}
        store.db.execute("DELETE FROM stories WHERE id = ?", (sid,))
        for table, column in (("story_list", "id"), ("story_outlets", "story"),
                              ("story_names", "story")):  # fmt: skip
            rows = store.db.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (sid,))
            assert rows.fetchone()[0] == 0
        hits = store.db.execute(
            "SELECT COUNT(*) FROM story_names n WHERE n.story = ? AND n.id IN (SELECT rowid"
            " FROM story_names_fts WHERE story_names_fts MATCH ?)",
            (sid, json.dumps(name)),
        )
        assert hits.fetchone()[0] == 0
        assert sid not in {r.id for r in story_rows(store, StoryFilter(entity=name)).rows}


@pytest.mark.parametrize(
    "name", ["halvergate", "HALVERGATE", "alverg", "ate", "al", "a", "Ferr", '"', "zzqx"]
)
def test_entity_filter_is_a_case_insensitive_substring_match(
    hostile_corpus_db: Path, name: str
) -> None:
    with Store(hostile_corpus_db, readonly=True) as store:
        reports = store.story_reports()
        got = {r.id for r in story_rows(store, StoryFilter(entity=name)).rows}
    expected = {
        str(r["id"])
        for r in reports
        if any(name.lower() in n.lower() for e in r["entities"] for n in [e["name"], *e["aliases"]])
    }
    assert got == expected
    if name in ("halvergate", "a"):
        assert got


def test_outlet_filter_uses_the_outlet_index(hostile_corpus_db: Path) -> None:
    with Store(hostile_corpus_db, readonly=True) as store:
        links = store.article_links()
        for outlet in ("Northgate Courier", "Evil <b onclick=alert(1)>Outlet</b>"):
            ids = {a.id for a in store.articles("WHERE source = ?", [outlet])}
            got = {r.id for r in story_rows(store, StoryFilter(outlet=outlet)).rows}
            assert ids and got == {links[a][0] for a in ids}
        plan = store.db.execute(
            "EXPLAIN QUERY PLAN SELECT story FROM story_outlets WHERE outlet = ?", ("x",)
        ).fetchall()
    assert "USING PRIMARY KEY" in str(plan)


def test_migration_fills_stories_stored_before_it(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied TEXT)")
    for number, script in enumerate(MIGRATIONS[:6], start=1):
        for statement in _split_sql(script):
            if statement.strip():
                db.execute(statement)
        db.execute("INSERT INTO schema_version VALUES (?, 'then')", (number,))
    for aid, source, day in (("a1", "Outlet B", "2024-03-01"), ("a2", "Outlet A", "2024-03-01"),
                             ("a3", "Outlet B", None), ("a4", None, "2024-03-04")):  # fmt: skip
        db.execute(
            "INSERT INTO articles(id, source, published, text, ingested_at, story)"
            " VALUES (?, ?, ?, 'text', 'then', 's1')",
            (aid, source, day),
        )
    report = {
        "id": "s1",
        "entities": [{"name": "Kelmir Port", "aliases": ["Port of Kelmir", "KP"]}],
        "conflicts": [{"kind": "number"}, {"kind": "date"}],
        "reuse": [{"a": "a1", "b": "a2", "score": 0.9}],
    }
    db.execute(
        "INSERT INTO stories(id, title, first_seen, last_seen, report, updated_at)"
        " VALUES ('s1', 'Kelmir', '2024-03-01', '2024-03-04', ?, 'then')",
        (json.dumps(report),),
    )
    db.close()
    with Store(path) as store:
        assert store.version() == len(MIGRATIONS)
        row = store.db.execute(
            "SELECT articles, conflicts, outlets, per_day, sources FROM story_list"
        ).fetchone()
        assert row == (4, 2, '["Outlet A","Outlet B"]', '[["2024-03-01",2],["2024-03-04",1]]',
                       None)  # fmt: skip
        names = store.db.execute("SELECT name FROM story_names ORDER BY name").fetchall()
        assert names == [("KP",), ("Kelmir Port",), ("Port of Kelmir",)]
        (listed,) = story_rows(store, StoryFilter(entity="of kel")).rows
        assert (listed.id, listed.articles, listed.sources) == ("s1", 4, 3)  # a1+a2 one family
        assert story_rows(store, StoryFilter(outlet="Outlet A")).total == 1
        assert story_rows(store, StoryFilter(outlet="Outlet C")).total == 0
        days = store.db.execute("SELECT day, articles FROM article_days ORDER BY day")
        assert days.fetchall() == [("2024-03-01", 2), ("2024-03-04", 1)]
        counts = store.db.execute("SELECT outlet, articles FROM article_outlets ORDER BY outlet")
        assert counts.fetchall() == [("Outlet A", 1), ("Outlet B", 2)]


def test_articles_per_day_and_outlet_follow_every_change(tmp_path: Path) -> None:
    with Store(tmp_path / "counts.db") as store:
        for number, (source, published) in enumerate(
            [
                ("B", date(2024, 3, 1)),
                ("A", date(2024, 3, 1)),
                ("B", None),
                (None, date(2024, 3, 2)),
            ]
        ):
            store.add_article(Article(f"a{number}", f"text {number}", source=source,
                                      published=published))  # fmt: skip
        assert not store.add_article(Article("a0", "text 0", source="C"))  # ignored: not counted
        assert outlets(store) == ["A", "B"]
        assert [(d.day.isoformat(), d.articles) for d in article_days(store)] == [
            ("2024-03-01", 2), ("2024-03-02", 1)
        ]  # fmt: skip
        store.db.execute("UPDATE articles SET published = '2024-03-02' WHERE id = 'a2'")
        store.db.execute("UPDATE articles SET published = NULL WHERE id = 'a1'")
        store.db.execute("DELETE FROM articles WHERE id = 'a1'")
        assert outlets(store) == ["B"]
        assert [(d.day.isoformat(), d.articles) for d in article_days(store)] == [
            ("2024-03-01", 1), ("2024-03-02", 2)
        ]  # fmt: skip
        direct = store.db.execute(
            "SELECT published, COUNT(*) FROM articles WHERE length(published) = 10"
            " GROUP BY published ORDER BY published"
        ).fetchall()
        assert [(d.day.isoformat(), d.articles) for d in article_days(store)] == direct


@pytest.mark.parametrize(
    "chosen",
    [StoryFilter(query="strike"), StoryFilter(outlet="Northgate Courier"),
     StoryFilter(entity="a"), StoryFilter(query="zzqx"), StoryFilter()],
)  # fmt: skip
def test_filtered_pages_and_totals_agree_with_the_whole_list(
    hostile_corpus_db: Path, chosen: StoryFilter
) -> None:
    """Paging a filtered list (total from the page's own statement) gives the whole list in
    order, and every page, also one past the end, reports the same total."""
    with Store(hostile_corpus_db, readonly=True) as store:
        whole = story_rows(store, chosen)
        pages = [story_rows(store, chosen, offset, 2) for offset in range(0, whole.total + 3, 2)]
    assert [r.id for p in pages for r in p.rows] == [r.id for r in whole.rows]
    assert {p.total for p in pages} == {whole.total} == {len(whole.rows)}
    assert not pages[-1].rows
    if chosen.query == "strike" or chosen.outlet:
        assert whole.total > 0


def test_search_ranks_best_first_with_a_snippet_of_each_hit(hostile_corpus_db: Path) -> None:
    with Store(hostile_corpus_db, readonly=True) as store:
        every = store.search("strike", limit=1000)
        best = store.search("strike", limit=3)
    assert len(every) > 3
    assert [h.article for h in best] == [h.article for h in every[:3]]
    assert [h.rank for h in every] == sorted(h.rank for h in every)
    assert all("[" in h.snippet and "]" in h.snippet for h in every)

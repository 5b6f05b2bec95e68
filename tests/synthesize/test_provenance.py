"""Who reported first (per timeline entry and claim), and the seeds' sources and copying."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from storyline.config import Settings
from storyline.model import Article, Citation, Claim, TimelineEntry
from storyline.pipeline import run
from storyline.report.copies import story_families
from storyline.store import Store
from storyline.synthesize.provenance import claims_first, first_report, timeline_first

DAY = date(2024, 3, 12)


def _at(article_id: str, hour: int, minute: int, tz: timezone = UTC) -> Article:
    moment = datetime(2024, 3, 12, hour, minute, tzinfo=tz)
    return Article(id=article_id, text="x", published=DAY, published_at=moment)


def test_first_reporter_by_minutes() -> None:
    first = first_report([_at("late", 9, 14), _at("early", 9, 7), _at("later", 11, 0)])
    assert first is not None
    assert (first.article, first.published, first.tied) == ("early", "2024-03-12T09:07+00:00", ())


def test_times_are_compared_in_utc() -> None:
    paris = timezone(timedelta(hours=1))
    first = first_report([_at("utc", 9, 5), _at("paris", 10, 2, paris)])  # 09:02 UTC
    assert first is not None and first.article == "paris"


def test_same_minute_and_unknown_times_are_ties() -> None:
    same = first_report([_at("b", 9, 7), _at("a", 9, 7), _at("c", 9, 8)])
    assert same is not None and (same.article, same.tied) == ("a", ("b",))
    no_time = Article(id="dated", text="x", published=DAY)
    mixed = first_report([_at("timed", 9, 7), no_time])
    assert mixed is not None and (mixed.article, mixed.tied) == ("timed", ("dated",))
    earlier_day = Article(id="monday", text="x", published=DAY - timedelta(days=1))
    assert first_report([_at("timed", 0, 1), earlier_day]).article == "monday"  # type: ignore[union-attr]


def test_inferred_dates_never_make_an_article_first() -> None:
    inferred = Article(id="guess", text="x", published=DAY - timedelta(days=3),
                       published_inferred=True)  # fmt: skip
    assert first_report([inferred, _at("real", 23, 0)]).article == "real"  # type: ignore[union-attr]
    assert first_report([inferred]) is None


def test_timeline_entries_and_claims_name_their_first_reporter() -> None:
    articles = {a.id: a for a in (_at("a", 8, 30), _at("b", 8, 5), _at("c", 12, 0))}
    entry = TimelineEntry("2024-03-11", None, "day", "The dam gate jammed.", "on Monday",
                          (Citation("a", 1), Citation("c", 0)))  # fmt: skip
    (found,) = timeline_first([entry], articles)
    assert found is not None and found.article == "a"
    claims = [Claim("a", 2, 0, 5, "people", "killed", 10.0, None, "ten people were killed"),
              Claim("b", 4, 0, 5, "Palestinians", "killed", 10.0, None, "ten Palestinians"),
              Claim("c", 1, 0, 5, "people", "killed", 9.0, None, "nine people")]  # fmt: skip
    firsts = [f.article if f else None for f in claims_first(claims, articles)]
    assert firsts == ["b", "b", "c"]


def test_seeds_quote_drift_conflict_sources_and_first_reporters(
    seeds_dir: Path, settings: Settings
) -> None:
    run([seeds_dir], settings)
    with Store(settings.db, readonly=True) as store:
        (story,) = store.story_reports()
        (sources,) = store.db.execute("SELECT sources FROM stories").fetchone()
        rows = store.db.execute("SELECT id, path, published, published_inferred, duplicate_of"
                                " FROM articles").fetchall()  # fmt: skip
    seed = {Path(path).name[:3]: aid for aid, path, *_ in rows}
    published = {aid: (day, bool(inferred)) for aid, _, day, inferred, _ in rows}
    # 002 and 003 rewrite one wire story: one source with each other, 000 is another
    assert sources == 2
    families = story_families(story["articles"], story["reuse"], {}, {}, Settings())
    assert sorted(sorted(f) for f in families) == sorted(
        [sorted([seed["002"], seed["003"]]), [seed["000"]]]
    )
    # the quote drift between 002 and 003 stays one quote group
    drifted = [q for q in story["quotes"]
               if {v["article"] for v in q["variants"]} >= {seed["002"], seed["003"]}]  # fmt: skip
    assert drifted and any(len({v["text"] for v in q["variants"]}) > 1 for q in drifted)
    # the nine-vs-ten conflict stays
    tolls = [c for c in story["conflicts"] if c["kind"] == "number"]
    assert any({v["value"] for v in c["values"]} >= {"9", "10"} for c in tolls)
    # every timeline entry says who reported it first: the earliest cited dated article
    assert story["timeline"] and all("first_reported" in t for t in story["timeline"])
    for entry in story["timeline"]:
        cited = {c["article"] for c in entry["citations"]}
        dated = sorted((published[a][0], a) for a in cited if not published[a][1])
        first = entry["first_reported"]
        if not dated:
            assert first is None
            continue
        assert first["article"] in cited and first["published"] == dated[0][0]
        assert published[first["article"]][0] == dated[0][0]
    assert all("first_reported" in c for c in story["claims"])
    nine = [c for c in story["claims"] if c["value"] == 9 and c["predicate"] == "killed"]
    assert nine and all(c["first_reported"]["article"] == seed["000"] for c in nine)
    json.dumps(story)  # the export stays plain JSON


def _report(number: int, wording: str) -> str:
    """One event told three ways: the dated sentence is shared, the rest is each outlet's."""
    rest = {
        4: "Officials at the regional water authority sent four pumps overnight. Shops on "
        "the river road stayed shut and a bakery owner counted the damage.",
        5: "Residents waded through knee-deep water to reach the station. The mayor asked "
        "volunteers to fill sandbags near the old bridge until the evening.",
        6: "Police closed the main square while firefighters pumped out cellars. A school "
        "gym became a shelter for families whose homes were flooded.",
    }[number]
    return f"The Kelmir dam gate jammed on Monday and flooded the lower town, {wording}. {rest}"


def test_first_reporter_by_minutes_from_stored_times(tmp_path: Path, settings: Settings) -> None:
    """Publication times minutes apart, read from JSONL and an RSS feed, are stored (UTC, to
    the minute) and decide who reported first; the file order does not."""
    lines = [
        {"title": "Dam gate jams", "source": "Late Ledger", "text": _report(4, "officials said"),
         "published": "2024-03-12T09:20:00Z"},
        {"title": "Kelmir flood", "source": "Early Echo", "text": _report(5, "residents said"),
         "published": "2024-03-12T10:14:30+01:00"},  # 09:14 UTC: six minutes earlier
    ]  # fmt: skip
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", "utf-8")
    (folder / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Night Desk</title>'
        "<item><title>Kelmir dam</title><pubDate>Tue, 12 Mar 2024 09:17:00 GMT</pubDate>"
        f"<description>{_report(6, 'police said')}</description></item>"
        "</channel></rss>",
        "utf-8",
    )
    run([folder], settings)
    with Store(settings.db, readonly=True) as store:
        stored = {a.title: a.published_at for a in store.articles()}
        (story,) = store.story_reports()
    assert stored == {
        "Dam gate jams": datetime(2024, 3, 12, 9, 20, tzinfo=UTC),
        "Kelmir flood": datetime(2024, 3, 12, 9, 14, tzinfo=UTC),
        "Kelmir dam": datetime(2024, 3, 12, 9, 17, tzinfo=UTC),
    }
    with Store(settings.db, readonly=True) as store:
        early = next(a.id for a in store.articles() if a.title == "Kelmir flood")
    shared = [t for t in story["timeline"] if len({c["article"] for c in t["citations"]}) > 1]
    assert shared, "no timeline entry cited by several articles"
    for entry in shared:
        assert entry["first_reported"]["article"] == early
        assert entry["first_reported"]["published"] == "2024-03-12T09:14+00:00"

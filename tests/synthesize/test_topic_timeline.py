"""Topic timelines: the seeds as one topic, L and K, undated articles, no time expressions."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline import api
from storyline.cli import app
from storyline.config import Settings
from storyline.model import Article
from storyline.synthesize.dates import apply_dates, infer_dates
from storyline.synthesize.topic_timeline import choose_dates, score_dates, topic_timeline, units_of

from .conftest import Annotate

SEED_DAYS = ["2023-01-26", "2023-01-27", "2023-01-28", "2023-01-29", "2023-01-30"]


@pytest.fixture(scope="module")
def seed_timeline(seeds_dir: Path) -> list[dict[str, object]]:
    result = CliRunner().invoke(app, ["timeline", str(seeds_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.output)
    return rows


@pytest.fixture(scope="module")
def seeds_dir() -> Path:
    path = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not path.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    return path


def test_seeds_as_a_topic_give_the_five_days_with_cited_sentences(
    seed_timeline: list[dict[str, object]],
) -> None:
    assert [row["date"] for row in seed_timeline] == SEED_DAYS
    texts = {row["date"]: " ".join(s["text"] for s in row["sentences"])  # type: ignore[attr-defined]
             for row in seed_timeline}  # fmt: skip
    assert "Jenin" in texts["2023-01-26"] and "Thursday" in texts["2023-01-26"]
    assert "synagogue" in texts["2023-01-27"]
    assert "Saturday night" in texts["2023-01-28"]
    assert "Sunday" in texts["2023-01-29"]
    assert "Monday" in texts["2023-01-30"]
    for row in seed_timeline:
        for sentence in row["sentences"]:  # type: ignore[attr-defined]
            assert sentence["citations"] and sentence["sources"] >= 1
            assert set(sentence) == {"text", "citations", "sources"}
            for c in sentence["citations"]:
                assert set(c) == {"article", "sentence"} and isinstance(c["sentence"], int)


def test_cited_sentence_is_the_text_and_sources_count_families(
    seeds_dir: Path, seed_timeline: list[dict[str, object]]
) -> None:
    settings = Settings().with_(workers=1)
    from storyline.annotate.stages import annotate_batch
    from storyline.pipeline import read_articles

    docs = {d.article.id: d for d in annotate_batch(read_articles([seeds_dir], settings), settings)}
    for row in seed_timeline:
        for sentence in row["sentences"]:  # type: ignore[attr-defined]
            first = sentence["citations"][0]
            cited = docs[first["article"]].sentences[first["sentence"]].text
            assert " ".join(sentence["text"].split()) in " ".join(cited.split())
            assert sentence["sources"] <= len(sentence["citations"])


def test_dates_and_per_date_are_honoured(seeds_dir: Path) -> None:
    settings = Settings().with_(workers=1)
    for dates, per_date in ((1, 1), (3, 2), (2, 3)):
        days = api.timeline([seeds_dir], settings, dates, per_date)
        assert len(days) == dates
        assert all(1 <= len(d.sentences) <= per_date for d in days)
        assert [d.date for d in days] == sorted(d.date for d in days)
    assert api.timeline([seeds_dir], settings, 0, 2) == []
    (best,) = api.timeline([seeds_dir], settings, 1, 1)
    assert best.date in SEED_DAYS


#: "[1 source: id:n]", "[3 sources: id:n, ...]"
CITED = re.compile(r" \[(?:1 source|(?!1 )\d+ sources): [0-9a-f]+:\d+")


def test_text_output_and_bad_arguments(seeds_dir: Path) -> None:
    runner = CliRunner()
    text = runner.invoke(app, ["timeline", str(seeds_dir), "--dates", "2", "--per-date", "1"])
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert sum(1 for line in lines if not line.startswith(" ")) == 2
    cited = [line for line in lines if line.startswith("  ")]
    assert cited and all(CITED.search(line) for line in cited)
    assert runner.invoke(app, ["timeline", str(seeds_dir), "--format", "xml"]).exit_code != 0
    assert runner.invoke(app, ["timeline", str(seeds_dir), "--dates", "-1"]).exit_code != 0


def test_undated_article_gets_its_date_from_the_topic(
    seed_articles: list[Article], with_timexes: Annotate
) -> None:
    docs = with_timexes(seed_articles)
    undated = [d for d in docs if d.article.published is None]
    assert undated  # 003 has no date: its "on Monday" is unresolved until a date is inferred
    assert not any(d in u.days for u in units_of(undated[0], 0) for d in [date(2023, 1, 30)])
    dated = apply_dates(docs, infer_dates(docs))
    days = {d.date for d in topic_timeline(dated, dates=10, per_date=3)}
    assert set(SEED_DAYS) <= days
    # without inference the undated article still contributes its explicit dates only
    assert {d.date for d in topic_timeline(docs, dates=10)} <= days | {"2023-01-31"}


def test_articles_without_time_expressions_or_dates(with_timexes: Annotate) -> None:
    plain = [
        Article(id="a", text="Workers at the harbour went on strike over pay and hours. "
                "The union said the talks had failed and that more strikes would follow."),
        Article(id="b", text="The harbour strike continued as the union and the port owners "
                "failed to agree on pay. Ships queued outside the port entrance."),
    ]  # fmt: skip
    docs = with_timexes(plain)
    assert topic_timeline(docs) == []  # no date at all: nothing to put on a timeline
    dated = with_timexes([Article(id=a.id, text=a.text, published=date(2024, 3, d))
                          for a, d in zip(plain, (4, 4), strict=True)])  # fmt: skip
    (day,) = topic_timeline(dated, dates=3, per_date=2)
    assert day.date == "2024-03-04"  # the publication day, from two independent sources
    assert {c.article for s in day.sentences for c in s.citations} <= {"a", "b"}
    assert topic_timeline([], dates=3) == []


def test_date_scores_count_independent_sources_and_later_mentions(
    seed_articles: list[Article], with_timexes: Annotate
) -> None:
    docs = with_timexes(seed_articles)
    family = {d.article.id: 0 for d in docs}  # all one wire family: every signal counts once
    units = [u for d in docs for u in units_of(d, 0)]
    scores = {s.day: s for s in score_dates(units, docs, family, None)}
    assert all(s.named_by <= 1 and s.published <= 1 for s in scores.values())
    friday = scores[date(2023, 1, 27)]
    assert friday.named_by == 1 and friday.mentions == 1.5  # named by articles of later days
    assert choose_dates(list(scores.values()), 2, 40) == list(scores)[:2]


def test_story_spanning_weeks_gets_key_days_on_its_page(seeds_dir: Path, tmp_path: Path) -> None:
    """A story published over ``story_key_days_span`` days or more stores its key days (the
    topic timeline of its articles) for its page; the v1 export leaves them out."""
    from storyline.export import build_document
    from storyline.store import Store

    # the seeds were published over two days: a span of 2 makes their story "long"
    settings = Settings().with_(db=str(tmp_path / "k.db"), workers=1, story_key_days_span=2)
    api.run([seeds_dir], settings)
    with Store(settings.db, readonly=True) as store:
        (story,) = [s for s in store.story_reports() if len(s["articles"]) > 1]
        exported = build_document(store)["stories"]
    days = story["key_days"]
    assert 1 <= len(days) <= settings.story_key_days
    assert [d["date"] for d in days] == sorted(d["date"] for d in days)
    assert {d["date"] for d in days} <= set(SEED_DAYS)
    for day in days:
        for sentence in day["sentences"]:
            assert sentence["citations"] and sentence["sources"] >= 1
            assert {c["article"] for c in sentence["citations"]} <= set(story["articles"])
    assert all("key_days" not in s for s in exported)
    page = (api.write_report(settings, tmp_path / "out").parent / "stories"
            / f"{story['id']}.html").read_text(encoding="utf-8")  # fmt: skip
    assert 'id="key-days"' in page and f'id="k{days[0]["date"]}"' in page
    short = Settings().with_(db=str(tmp_path / "s.db"), workers=1)  # default span: 21 days
    api.run([seeds_dir], short)
    with Store(short.db, readonly=True) as store:
        assert all("key_days" not in s for s in store.story_reports())


def test_bad_files_are_skipped_and_said_and_nothing_read_is_an_error(
    seeds_dir: Path, tmp_path: Path
) -> None:
    topic = tmp_path / "topic"
    topic.mkdir()
    for seed in seeds_dir.glob("*.txt"):
        (topic / seed.name).write_bytes(seed.read_bytes())
    (topic / "empty.txt").write_bytes(b"")
    (topic / "broken.txt").write_bytes(b"\x00\x01binary")
    runner = CliRunner()
    result = runner.invoke(app, ["timeline", str(topic), "--dates", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "skipped " in result.stderr and "empty.txt: empty file" in result.stderr
    assert "broken.txt: binary file" in result.stderr
    assert len(json.loads(result.stdout)) == 2  # the seeds still make their timeline
    summary = runner.invoke(app, ["summarize", str(topic), "--format", "json"])
    assert summary.exit_code == 0 and json.loads(summary.stdout)

    other = tmp_path / "other"
    other.mkdir()
    for n in range(3):  # plain text under a suffix no reader claims is not guessed at
        (other / f"{n}.htm.cont").write_bytes((seeds_dir / "000_10b7c76482722ab4.txt").read_bytes())
    (other / "empty.txt").write_bytes(b"")
    nothing = runner.invoke(app, ["timeline", str(other)])
    assert nothing.exit_code == 4
    assert "no articles in" in nothing.stderr
    assert "1 skipped" in nothing.stderr and ".cont (3)" in nothing.stderr


def test_start_and_end_bound_the_days(seeds_dir: Path) -> None:
    runner = CliRunner()
    args = ["timeline", str(seeds_dir), "--format", "json", "--dates", "5"]
    bounded = runner.invoke(app, [*args, "--start", "2023-01-28", "--end", "2023-01-29"])
    assert bounded.exit_code == 0, bounded.output
    days = [d["date"] for d in json.loads(bounded.stdout)]
    assert days and set(days) <= {"2023-01-28", "2023-01-29"}
    everything = [d["date"] for d in json.loads(runner.invoke(app, args).stdout)]
    assert set(everything) - set(days)  # the bounds left days out
    backwards = runner.invoke(app, [*args, "--start", "2023-01-29", "--end", "2023-01-28"])
    assert backwards.exit_code == 2 and "is after --end" in backwards.stderr
    assert runner.invoke(app, [*args, "--start", "Jan 28"]).exit_code == 2

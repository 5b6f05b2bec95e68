"""The command line: thin, one-line errors, and the seed acceptance run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from storyline.schema import problems


def storyline(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyline", *args],
        capture_output=True, text=True, timeout=300, cwd=cwd,
    )  # fmt: skip


def test_run_seeds_then_export_json(seeds_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    result = storyline("run", str(seeds_dir), "--db", db, "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert "3 articles added" in result.stdout
    exported = storyline("export", "--db", db, "--format", "json")
    assert exported.returncode == 0, exported.stderr
    document = json.loads(exported.stdout)
    assert problems(document) == []
    by_file = {Path(a["path"]).name[:3]: a for a in document["articles"]}
    assert (by_file["000"]["published"], by_file["000"]["published_inferred"]) == (
        "2023-01-30",
        False,
    )
    assert (by_file["002"]["published"], by_file["002"]["published_inferred"]) == (
        "2023-01-31",
        False,
    )
    assert by_file["003"]["title"].startswith("Blinken calls for “urgent steps”")
    # 003 has no date of its own: its story gives it one, marked as inferred
    assert by_file["003"]["published"] in ("2023-01-30", "2023-01-31")
    assert by_file["003"]["published_inferred"] is True


def test_ingest_only_keeps_the_missing_date(seeds_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    assert storyline("ingest", str(seeds_dir), "--db", db).returncode == 0
    document = json.loads(storyline("export", "--db", db).stdout)
    published = sorted((a["published"] or "") for a in document["articles"])
    assert published == ["", "2023-01-30", "2023-01-31"]


def test_search_and_stats(seeds_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    assert storyline("ingest", str(seeds_dir), "--db", db).returncode == 0
    found = storyline("search", "Shoukry", "--db", db, "--json")
    hits = json.loads(found.stdout)
    assert len(hits) == 2 and all("[Shoukry]" in h["snippet"] for h in hits)
    stats = storyline("stats", "--db", db)
    assert stats.returncode == 0 and "articles" in stats.stdout and "3" in stats.stdout


def test_user_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    missing = storyline("run", str(tmp_path / "nope"), "--db", str(tmp_path / "x.db"))
    assert missing.returncode == 4
    assert missing.stderr.strip().count("\n") == 0
    assert "no such file or directory" in missing.stderr and "Traceback" not in missing.stderr
    no_db = storyline("search", "x", "--db", str(tmp_path / "absent.db"))
    assert no_db.returncode == 4 and "no such database" in no_db.stderr
    bad_format = storyline("export", "--db", str(tmp_path / "x.db"), "--format", "xml")
    assert bad_format.returncode != 0 and "Traceback" not in bad_format.stderr


def test_skipped_files_are_reported(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "ok.txt").write_text("Workers repaired the bridge over the river on Friday.")
    result = storyline("ingest", str(tmp_path / "in"), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 0
    assert "1 articles added, 0 already stored, 1 skipped" in result.stdout
    assert "empty.txt: empty file" in result.stderr


def test_timex_offsets_are_into_the_file_as_read(seeds_dir: Path) -> None:
    path = seeds_dir / "002_7aab83144a0a2c32.txt"
    result = storyline("timex", str(path), "--dct", "2023-01-31", "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    raw = path.read_text(encoding="utf-8")
    for item in found:
        assert raw[item["start"] : item["end"]] == item["text"]
    values = {item["text"]: item["value"] for item in found}
    assert values["late on Sunday"] == "2023-01-29"
    assert values["Thursday"] == "2023-01-26"
    bad = storyline("timex", str(path), "--dct", "2023-02-30")
    assert bad.returncode != 0 and "not a date" in bad.stderr


def test_summarize_treats_paths_as_one_story(seeds_dir: Path) -> None:
    result = storyline("summarize", str(seeds_dir), "--max-words", "90", "--format", "json")
    assert result.returncode == 0, result.stderr
    sentences = json.loads(result.stdout)
    assert len(sentences) >= 2
    assert sum(len(s["text"].split()) for s in sentences) <= 90
    assert all(s["citations"] and s["sources"] >= 1 for s in sentences)


def test_reuse_lists_shared_sentences(seeds_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    assert storyline("run", str(seeds_dir), "--db", db, "--workers", "1").returncode == 0
    document = json.loads(storyline("export", "--db", db).stdout)
    undated = next(
        a["id"] for a in document["articles"] if a["path"].endswith("003_5ba02de47a85b3c3.txt")
    )
    result = storyline("reuse", undated, "--db", db)
    assert result.returncode == 0, result.stderr
    assert "Ramallah" in result.stdout
    missing = storyline("reuse", "0000000000000000", "--db", db)
    assert missing.returncode == 4 and "no article" in missing.stderr

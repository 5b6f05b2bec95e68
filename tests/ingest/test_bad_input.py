"""Every kind of bad input is skipped with `path: reason`, counted, and loses nothing stored."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.pipeline import ingest
from storyline.store import Store

GOOD = "The council approved the new budget on Monday after a long debate, officials said."


def make_bad_inputs(folder: Path) -> dict[str, str]:
    """Bad files in ``folder``; returns file name -> expected piece of the reason."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03 not text \xff\xfe" * 40)
    (folder / "huge.txt").write_bytes(b"word " * 300_000)  # 1.5 MB, over the test limit
    (folder / "invalid-utf8.txt").write_bytes(bytes(range(128, 256)) * 20)
    (folder / "nobody.html").write_text(
        "<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>"
    )
    (folder / "broken.xml").write_text("<rss><channel><title>Broken</title><item><title>x")
    (folder / "lines.jsonl").write_text('not json\n{"title": "no text"}\n')
    (folder / "baddate.txt").write_text("date 2023-02-30 " + GOOD)
    (folder / "dangling.txt").symlink_to(folder / "does-not-exist.txt")
    return {
        "empty.txt": "empty file",
        "binary.txt": "binary",
        "huge.txt": "over the limit",
        "invalid-utf8.txt": "not valid UTF-8",
        "nobody.html": "no article body",
        "broken.xml": "malformed feed",
        "lines.jsonl:1": "not valid JSON",
        "lines.jsonl:2": "missing required field 'text'",
        "baddate.txt": "impossible date",
        "dangling.txt": "cannot read file",
    }


def test_bad_inputs_are_skipped_counted_and_nothing_is_lost(
    tmp_path: Path, settings: Settings
) -> None:
    settings = settings.with_(max_file_bytes=1_000_000)
    good = tmp_path / "in" / "good.txt"
    good.parent.mkdir()
    good.write_text(GOOD)
    with Store(settings.db) as store:
        first = ingest([good], store, settings)
        assert first.added == 1
        expected = make_bad_inputs(tmp_path / "in" / "bad")
        report = ingest([tmp_path / "in"], store, settings)
        # the good file is stored already (or, unchanged since, not even read again)
        assert report.added == 0 and report.already + report.unchanged == 1
        reasons = {Path(s.path).name: s.reason for s in report.skipped}
        for name, piece in expected.items():
            assert name in reasons, f"{name} was not reported: {reasons}"
            assert piece in reasons[name], (name, reasons[name])
        assert len(report.skipped) == len(expected)
        assert store.count("articles") == 1
        stored = store.db.execute("SELECT COUNT(*) FROM skipped").fetchone()[0]
        assert stored == len(expected)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file regardless of mode")
def test_unreadable_folder_and_file(tmp_path: Path, settings: Settings) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(GOOD)
    secret = tmp_path / "secret.txt"
    secret.write_text(GOOD + " Again.")
    locked.chmod(0)
    secret.chmod(0)
    try:
        with Store(settings.db) as store:
            report = ingest([tmp_path], store, settings)
    finally:
        locked.chmod(0o755)
        secret.chmod(0o644)
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert "cannot be read" in reasons["locked"]
    assert "cannot read file" in reasons["secret.txt"]

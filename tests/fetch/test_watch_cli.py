"""`storyline watch` and `storyline sources` as a user runs them (subprocesses), against a
real local server serving the sample corpus's feeds: the full pipeline, cron-style --once,
the sources table, the Atom feed of the result, and Ctrl-C. Subprocesses that load spaCy:
marked slow (``test_watch_pipeline`` runs the same pipeline in-process)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest

from storyline.store import Store

from .conftest import Item, Reply, Site, rss, text

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"


ENV = {**os.environ, "COLUMNS": "300"}


def storyline(*args: str) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "storyline", *args],
        capture_output=True, text=True, timeout=300, env=ENV,
    )  # fmt: skip
    print(args[0], f"{time.monotonic() - started:.1f} s")
    return done


@pytest.mark.slow
def test_watch_once_runs_every_stage_and_sources_shows_the_state(
    site: Site, tmp_path: Path
) -> None:
    feeds = {
        "/northgate.xml": CORPUS / "northgate-courier" / "feed.xml",
        "/lakeshore.xml": CORPUS / "lakeshore-gazette" / "rss.xml",
        "/ridgeline.atom": CORPUS / "ridgeline-daily" / "atom.xml",
    }
    for path, file in feeds.items():
        site.routes[path] = Reply(file.read_bytes())
    site.routes["/evil.xml"] = Reply(rss("[bold red]Evil[/] outlet", [
        Item("Evil", "https://evil.example/1", full=text(1))
    ]))  # fmt: skip
    site.routes["/down.xml"] = Reply(b"[red]down[/]", 404, validators=False)
    db = str(tmp_path / "live.db")
    urls = [site.url(p) for p in (*feeds, "/evil.xml", "/down.xml")]

    first = storyline("watch", "--once", "--db", db, "--workers", "1", *urls)
    assert first.returncode == 0, first.stderr
    assert "poll 1: 5 sources (4 new, 0 unchanged, 1 failed, 0 deferred)" in first.stdout
    assert "annotated" in first.stdout and "stories" in first.stdout
    assert f"failed {site.url('/down.xml')}: HTTP 404 Not Found" in first.stderr
    with Store(db, readonly=True) as store:
        articles = store.count("articles")
        assert articles > 10 and store.count("stories") > 0

    second = storyline("watch", "--once", "--db", db, "--workers", "1", *urls)
    assert second.returncode == 0, second.stderr
    assert "0 articles added" in second.stdout and "(4 not modified)" in second.stdout

    table = storyline("sources", "--db", db)
    assert table.returncode == 0, table.stderr
    assert "[bold red]Evil[/] outlet" in table.stdout  # printed literally, not as markup
    assert "Northgate" in table.stdout and "failing (2x): HTTP 404" in table.stdout

    out = tmp_path / "report"
    assert storyline("report", "--out", str(out), "--db", db).returncode == 0
    parsed = feedparser.parse((out / "stories.atom").read_bytes())
    with Store(db, readonly=True) as store:
        assert len(parsed.entries) == store.count("stories") and not parsed.bozo


@pytest.mark.slow
def test_ctrl_c_stops_the_watcher_cleanly_between_steps(site: Site, tmp_path: Path) -> None:
    site.routes["/quiet.xml"] = Reply(rss("Quiet", []))
    db = str(tmp_path / "quiet.db")
    watcher = subprocess.Popen(
        [sys.executable, "-m", "storyline", "watch", "--every", "60", "--db", db,
         site.url("/quiet.xml")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60  # wait until the watcher polled (it is in its loop)
        while site.count("/quiet.xml") == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        watcher.send_signal(signal.SIGINT)
        stdout, stderr = watcher.communicate(timeout=30)
    finally:
        if watcher.poll() is None:
            watcher.kill()
    assert watcher.returncode == 0, stderr
    assert "poll 1: 1 sources" in stdout
    assert "stopping after the current step" in stderr and "Traceback" not in stderr
    assert site.count("/quiet.xml") == 1
    with Store(db, readonly=True) as store:
        poll = store.last_poll()
        assert poll is not None and poll.totals.sources == 1

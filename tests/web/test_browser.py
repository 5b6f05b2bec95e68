"""The served UI in a real browser: Python playwright driving Debian's chromium.

Skips (with the reason) when playwright (extra ``browser``) or /usr/bin/chromium is missing.
Never downloads a browser. Saves a screenshot of a story page to bench/screenshots/.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyline.config import Settings
from storyline.pipeline import run
from storyline.report.html import write_report
from storyline.store import Store
from storyline.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "examples" / "corpus"
SCREENSHOTS = ROOT / "bench" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
HIGHLIGHT = "rgb(255, 240, 154)"  # --hl in style.css

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[browser]')"
)
if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is missing (apt-get install chromium)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "corpus.db"
    run([CORPUS], Settings().with_(db=str(path), workers=1))
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    yield from serving(create_app(str(db)))


def serving(app: Any) -> Iterator[str]:
    """``app`` under uvicorn on a free 127.0.0.1 port, in a thread."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not instance.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield launched
        launched.close()


def test_search_story_citation_highlight_and_timeline(browser: Any, server: str) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(server + "/")
    page.fill("input[name=q]", "Raman")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"q=Raman"))
    rows = page.locator("tr.story-row")
    assert rows.count() >= 1
    assert "Raman" in page.locator("section.hits").inner_text()
    rows.first.locator("td.title a").click()
    page.wait_for_url(re.compile(r"/stories/"))

    entries = page.locator("svg.timeline-chart a.entry")
    assert entries.count() > 0
    marks = page.locator("svg.timeline-chart a.entry circle, svg.timeline-chart a.entry rect")
    assert marks.count() > 0 and marks.first.bounding_box()["width"] > 0
    assert (page.locator("svg.timeline-chart text.label").first.text_content() or "").strip()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "story.png"), full_page=True)

    cite = page.locator("ol.summary a.cite").first
    href = cite.get_attribute("href") or ""
    sentence = re.search(r"#s(\d+)$", href)
    assert sentence is not None
    cite.click()
    page.wait_for_url(re.compile(r"/articles/"))
    target = page.locator(f"#s{sentence.group(1)}")
    assert "hl" in (target.get_attribute("class") or "").split()
    color = target.evaluate("e => getComputedStyle(e).backgroundColor")
    assert color == HIGHLIGHT
    assert target.is_visible() and target.inner_text().strip()
    assert page.locator(".sent.hl").count() == 1
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p]
    assert problems == []
    page.close()


def test_static_report_without_javascript(browser: Any, db: Path, tmp_path: Path) -> None:
    with Store(db, readonly=True) as store:
        index = write_report(store, tmp_path / "out").index
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(index.as_uri())
    page.locator("table.stories td.title a").first.click()
    assert page.locator("svg.timeline-chart a.entry").count() > 0
    cite = page.locator("ol.summary a.cite").first
    sentence = (cite.get_attribute("href") or "").rsplit("#s", 1)[1]
    cite.click()
    target = page.locator(f"#s{sentence}")
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") == HIGHLIGHT  # :target
    assert all(u.startswith("file://") for u in requests)  # nothing from the network
    context.close()


def test_split_and_undo_in_the_browser(browser: Any, db: Path, tmp_path: Path) -> None:
    """``serve --allow-edits``: tick two articles of a story, split them out, undo."""
    import shutil

    copy = tmp_path / "edits.db"
    shutil.copy(db, copy)  # the run is finished and checkpointed: the file is the database
    with Store(copy, readonly=True) as store:
        story, count = store.db.execute(
            "SELECT story, count(*) FROM articles GROUP BY story ORDER BY 2 DESC LIMIT 1"
        ).fetchone()
    assert count >= 3
    for base in serving(create_app(str(copy), allow_edits=True)):
        page = browser.new_page()
        page.goto(f"{base}/stories/{story}")
        boxes = page.locator("input[type=checkbox][form=split-form]")
        assert boxes.count() == count
        boxes.nth(0).check()
        boxes.nth(1).check()
        page.fill("#split-form input[name=note]", "not the same event")
        page.click("#split-form button[type=submit]")
        page.wait_for_url(re.compile(r"/stories/s[0-9a-f]{12}$"))
        assert not page.url.endswith(story)
        assert page.locator("ol.articles > li").count() == 2
        page.goto(f"{base}/corrections")
        assert "not the same event" in page.locator("table.corrections").inner_text()
        page.click("table.corrections button[type=submit]")
        page.wait_for_url(re.compile(r"/corrections$"))
        assert "No corrections." in page.locator("table.corrections").inner_text()
        page.goto(f"{base}/stories/{story}")
        assert page.locator("ol.articles > li").count() == count
        page.close()

"""`storyline serve --workers N`: several server processes answer the same pages."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from storyline.web.app import create_app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_workers_serve_pages_and_the_api(hostile_corpus_db: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "storyline", "serve", "--db", str(hostile_corpus_db),
         "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/stories?per_page=1", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=10) as client:
            pages = [client.get("/") for _ in range(6)]
            stories = client.get("/api/stories").json()["stories"]
            story = client.get(f"/stories/{stories[0]['id']}")
            refused = client.get("/", headers={"host": "evil.example"})
        assert {p.status_code for p in pages} == {200}
        assert len({p.text for p in pages}) == 1  # every process renders the same list
        with TestClient(create_app(str(hostile_corpus_db)), base_url="http://127.0.0.1") as one:
            assert story.status_code == 200
            assert story.text == one.get(f"/stories/{stories[0]['id']}").text
            assert pages[0].text == one.get("/").text
        assert refused.status_code == 400
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)


def test_edits_are_served_by_one_process_only(hostile_corpus_db: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "storyline", "serve", "--db", str(hostile_corpus_db),
         "--allow-edits", "--workers", "2"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode != 0
    assert "--workers 2" in done.stderr and "--allow-edits" in done.stderr

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.pipeline import run

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = ROOT / "examples" / "corpus"


@pytest.fixture
def seeds_dir() -> Path:
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    return path


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings().with_(db=str(tmp_path / "test.db"), workers=1)


#: an article whose every field tries to inject active content into HTML pages
HOSTILE = {
    "title": 'Evil <script>alert(1)</script> "><img src=x onerror=alert(1)> title',
    "text": (
        "HALVERGATE — Dock workers at Halvergate said on Monday <script>alert(1)</script> that "
        "the strike would go on. A union official wrote <img src=x onerror=alert(1)> on a "
        'banner and said " onmouseover="alert(1)" x=" was a slogan. Talks will resume on '
        "Tuesday, the union said."
    ),
    "url": "javascript:alert(1)",
    "source": "Evil <b onclick=alert(1)>Outlet</b>",
    "published": "2024-03-10",
}


@pytest.fixture(scope="session")
def hostile_corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of examples/corpus plus the HOSTILE article, built once per session.
    Tests must not write to it."""
    folder = tmp_path_factory.mktemp("hostile-corpus")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    path = folder / "corpus.db"
    run([CORPUS, hostile], Settings().with_(db=str(path), workers=1))
    return path

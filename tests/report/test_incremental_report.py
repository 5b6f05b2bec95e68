"""The static report rewrites only the pages of what changed; --full rewrites all."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from storyline import api, pipeline
from storyline.config import Settings
from storyline.model import Article
from storyline.report.views import file_name
from storyline.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"
MARK = "<!-- not rewritten -->"


def _jsonl(path: Path, articles: list[Article]) -> Path:
    lines = [
        json.dumps({"text": a.text, "title": a.title, "source": a.source,
                    "published": a.published.isoformat() if a.published else None})
        for a in articles
    ]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _mark(folder: Path) -> None:
    for page in [*folder.glob("stories/*.html"), *folder.glob("articles/*.html")]:
        page.write_text(MARK, encoding="utf-8")


def _unmarked(folder: Path, sub: str) -> set[str]:
    return {p.stem for p in (folder / sub).glob("*.html") if p.read_text("utf-8") != MARK}


def test_only_changed_pages_are_written(tmp_path: Path) -> None:
    articles = sorted(
        pipeline.read_articles([CORPUS], Settings()),
        key=lambda a: (a.published is None, a.published or date.min, a.id),
    )
    dated = [a for a in articles if a.published is not None]
    first, last = dated[:-1], dated[-1:]
    settings = Settings(db=str(tmp_path / "r.db"), workers=1)
    out = tmp_path / "out"
    pipeline.run([_jsonl(tmp_path / "a.jsonl", first)], settings)
    api.write_outputs(settings, out)
    _mark(out)

    api.write_outputs(settings, out)  # nothing changed: nothing rewritten
    assert _unmarked(out, "stories") == set() and _unmarked(out, "articles") == set()

    report = pipeline.run([_jsonl(tmp_path / "b.jsonl", last)], settings)
    assert report.linked == 1
    api.write_outputs(settings, out)
    with Store(settings.db, readonly=True) as store:
        story = store.article_links()[last[0].id][0]
        assert story is not None
        members = {a for a, (s, _) in store.article_links().items() if s == story}
        total = store.count("stories")
    assert _unmarked(out, "stories") == {file_name(story)}
    assert _unmarked(out, "articles") == {file_name(a) for a in members}
    assert total > 1  # so the other stories' pages were really left alone

    api.write_report(settings, out, full=True)
    assert len(_unmarked(out, "stories")) == total

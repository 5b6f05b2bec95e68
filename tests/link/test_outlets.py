"""Outlet identity: one record per publisher however the input names it; rename and merge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline import api
from storyline.config import Settings
from storyline.errors import ConfigError, NotFoundError
from storyline.link.outlets import identify, name_key, registered_domain
from storyline.model import Article
from storyline.store import Store

TEXT = "Dock workers at Halvergate said on Monday that the strike would go on for a week."


def test_registered_domains_use_the_bundled_suffix_list() -> None:
    assert registered_domain("https://www.reuters.com/world/africa") == "reuters.com"
    assert registered_domain("news.bbc.co.uk") == "bbc.co.uk"
    assert registered_domain("https://www.meridianpost.example/x") == "meridianpost.example"
    assert registered_domain("https://127.0.0.1/x") is None
    assert registered_domain("not a url") is None


def test_names_domains_and_folders_give_one_key() -> None:
    keys = [identify(Article(id="x", text=TEXT, source=s, url=u)) for s, u in (
        ("www.reuters.com", None), ("Reuters", None), ("reuters.com/world", None),
        (None, "https://www.reuters.com/world/x"), ("reuters", None),
    )]  # fmt: skip
    assert all(k is not None and "name:reuters" in k.keys for k in keys)
    assert name_key("The Meridian Post") == name_key("meridian-post") == "meridianpost"
    folder = identify(Article(id="x", text=TEXT, source="harbor-herald"))
    assert folder is not None and folder.name == "Harbor Herald"
    nothing = identify(Article(id="x", text=TEXT))
    assert nothing is None
    wire = identify(Article(id="x", text="PARIS (AFP) - " + TEXT))  # only a dateline credit
    assert wire is not None and wire.name == "AFP"


def _articles(folder: Path) -> Path:
    lines = [
        {"text": TEXT + " One.", "source": "www.reuters.com", "published": "2024-03-04"},
        {"text": TEXT + " Two.", "source": "Reuters", "published": "2024-03-04"},
        {"text": TEXT + " Three.", "url": "https://reuters.com/world/x", "published": "2024-03-05"},
        {"text": TEXT + " Four.", "source": "Harbour Herald", "published": "2024-03-05"},
        {"text": TEXT + " Five.", "source": "The Harbor Herald", "published": "2024-03-05",
         "url": "https://harborherald.example/a"},
    ]  # fmt: skip
    path = folder / "wire.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_one_outlet_per_publisher_renamed_and_merged(tmp_path: Path) -> None:
    settings = Settings().with_(db=str(tmp_path / "o.db"), workers=1)
    with Store(settings.db) as store:
        from storyline.pipeline import ingest

        ingest([_articles(tmp_path)], store, settings)
        assert store.sync_outlets() == 5
        assert store.sync_outlets() == 0  # filed once
    records = {r.name: r for r in api.outlets(settings)}
    assert records["Reuters"].articles == 3
    assert {"Harbour Herald", "The Harbor Herald"} <= set(records)  # spelt apart: two records
    merged = {r.name: r for r in api.outlets(settings, merge=("Harbour Herald", "harborherald"))}
    assert merged["The Harbor Herald"].articles == 2 and "Harbour Herald" not in merged
    renamed = {r.name: r for r in api.outlets(settings, rename=("reuters.com", "Reuters News"))}
    assert renamed["Reuters News"].articles == 3
    with Store(settings.db, readonly=True) as store:
        ids = [a.id for a in store.articles()]
        shown = {o.name for o in store.outlet_names(ids).values()}
    assert shown == {"Reuters News", "The Harbor Herald"}
    with pytest.raises(ConfigError, match="--merge"):
        api.outlets(settings, rename=("Reuters News", "The Harbor Herald"))
    with pytest.raises(NotFoundError, match="no outlet named"):
        api.outlets(settings, merge=("Nobody", "Reuters News"))


def test_articles_not_filed_yet_are_named_read_only(tmp_path: Path) -> None:
    settings = Settings().with_(db=str(tmp_path / "o.db"), workers=1)
    with Store(settings.db) as store:
        from storyline.pipeline import ingest

        ingest([_articles(tmp_path)], store, settings)
    with Store(settings.db, readonly=True) as store:
        names = store.outlet_names([a.id for a in store.articles()])
    assert sorted({o.name for o in names.values()}) == ["Harbour Herald", "Reuters",
                                                        "The Harbor Herald"]  # fmt: skip


def test_outlet_names_are_shown_instead_of_sources(tmp_path: Path) -> None:
    """The export, the story list and its outlet filter name one outlet per publisher, and
    follow a rename."""
    from storyline.export import articles_v1
    from storyline.report.queries import outlets

    settings = Settings().with_(db=str(tmp_path / "o.db"), workers=1)
    api.run([_articles(tmp_path)], settings)

    def shown() -> tuple[set[str], set[str], list[str]]:
        with Store(settings.db, readonly=True) as store:
            exported = {a["source"] for a in articles_v1(store)}
            listed = {o for (row,) in store.db.execute("SELECT outlets FROM story_list")
                      for o in json.loads(row)}  # fmt: skip
            return exported, listed, outlets(store)

    exported, listed, filter_names = shown()
    assert exported == {"Reuters", "Harbour Herald", "The Harbor Herald"}
    assert "www.reuters.com" not in listed and "Reuters" in listed
    assert filter_names == sorted(exported)
    api.outlets(settings, rename=("Reuters", "Reuters News"))
    exported, listed, filter_names = shown()
    assert "Reuters News" in exported and "Reuters" not in exported
    assert "Reuters News" in listed and "Reuters" not in listed
    assert "Reuters News" in filter_names

"""The incremental link stage: link only what is new against the stored link state, then
synthesize only the stories that changed.

``link_new`` takes the annotated articles that are not linked yet, in stream order (see
``Store.unlinked``), in chunks: each is checked for near-duplicates against the stored
MinHash bands and then added to the streaming clusterer whose state is loaded from the
store where the chunk touches it; a copy joins its original's story. Each chunk commits in
one transaction (assignments, merges, the changed state, the stories to synthesize), so a
run killed at any point continues where it stopped. ``synthesize_stale`` rebuilds the
report of each story marked stale, one transaction per story.

Settings that change link or synthesis results are recorded with the state; a run with
different ones raises ``RebuildNeededError`` instead of mixing two configurations.
``rebuild`` forgets the state and links every article again in the order it was first
linked, which gives what the incremental runs gave.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from storyline.config import Settings
from storyline.errors import RebuildNeededError
from storyline.model import Story
from storyline.store import Store
from storyline.store.link_state import Assignment

if TYPE_CHECKING:  # numpy and the clusterer are imported only when there is work
    from storyline.link.cluster_state import JoinReason

#: bump when linking or synthesis changes what it produces: stored state must be rebuilt
LINK_VERSION = 1

#: the settings whose values change link or synthesis results
RESULT_SETTINGS = tuple(
    f.name
    for f in fields(Settings)
    if f.name.startswith(("dedup_", "cluster_", "reuse_", "wire_", "summary_"))
    or f.name == "use_embeddings"
)

Progress = Callable[[str, int, int | None], None]


def _quiet(step: str, done: int, total: int | None) -> None:
    return None


@dataclass(frozen=True, slots=True)
class LinkUpdate:
    linked: int  # articles linked in this call
    duplicates: int  # of them, copies of an earlier article
    merges: int
    synthesized: int  # story reports written


def fingerprint(settings: Settings) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(settings, name) for name in RESULT_SETTINGS}
    from storyline.annotate.version import ANNOTATION_VERSION

    values["link_version"] = LINK_VERSION
    values["annotation_version"] = ANNOTATION_VERSION  # new annotations: link them again
    return values


def check_settings(store: Store, settings: Settings) -> None:
    """Record the result settings with a new state; different ones need a rebuild (a
    setting missing from the recorded ones, added by an upgrade, counts as its default)."""
    wanted = fingerprint(settings)
    stored = store.link_settings()
    if stored is None:  # a new state: results loaded from elsewhere (Spark) are redone
        store.reset_links(wanted)
        return
    # a setting added after the state was recorded had its default then: the old behaviour
    defaults = {name: getattr(Settings(), name) for name in RESULT_SETTINGS}
    recorded = {**{k: v for k, v in defaults.items() if k not in stored}, **stored}
    changed = sorted(k for k in set(wanted) | set(recorded) if wanted.get(k) != recorded.get(k))
    if changed:
        what = ", ".join(f"{k}: {recorded.get(k)!r} -> {wanted.get(k)!r}" for k in changed)
        raise RebuildNeededError(
            f"{store.path}: the stories were built with other settings ({what}); run "
            f"`storyline rebuild --db {store.path}` to rebuild them with these, or run "
            "without the changes"
        )


def link_new(
    store: Store, settings: Settings, progress: Progress = _quiet, chunk: int = 500
) -> LinkUpdate:
    """Link every annotated article not linked yet (see the module docstring)."""
    from storyline.annotate.version import ANNOTATION_VERSION

    check_settings(store, settings)
    todo = store.unlinked(ANNOTATION_VERSION)
    if not todo:
        return LinkUpdate(0, 0, 0, 0)
    from storyline.link.cluster import StoryClusterer  # numpy, features: only when needed
    from storyline.link.dedup_state import StoredDuplicateIndex
    from storyline.link.state import StoredState

    linked = duplicates = merges = 0
    for start in range(0, len(todo), chunk):
        part = todo[start : start + chunk]
        docs = store.linked_docs([aid for aid, _ in part])
        with store.transaction():
            waiting = store.not_linked([aid for aid, _ in part])  # another run may have
            part = [(aid, seq) for aid, seq in part if aid in waiting]  # linked some since
            next_seq = store.next_link_seq()  # inside the lock: positions stay unique
            state = StoredState(store.db)
            clusterer = StoryClusterer(settings, state=state)
            index = StoredDuplicateIndex(store.db, settings)
            copies: list[tuple[str, str, int, float]] = []
            originals: list[tuple[str, int]] = []
            for aid, seq in part:
                if seq is None:
                    seq, next_seq = next_seq, next_seq + 1
                index.assign(aid, seq)
                duplicate = index.add(docs[aid].article)
                if duplicate is None:
                    clusterer.add(docs[aid])
                    originals.append((aid, seq))
                else:
                    copies.append((aid, duplicate.duplicate_of, seq, duplicate.similarity))
            assignments = [
                _assignment(aid, seq, clusterer.story_of(aid), clusterer.reasons.get(aid))
                for aid, seq in originals
            ]
            here = {aid for aid, _ in originals}
            for aid, root, seq, similarity in copies:
                home = clusterer.story_of(root) if root in here else store.story_of(root)
                if home is None:
                    raise RebuildNeededError(
                        f"{store.path}: article {root} has no story; run `storyline rebuild`"
                    )
                story = clusterer.resolve(home)
                assignments.append(Assignment(aid, seq, story, root, round(similarity, 4)))
            touched = {clusterer.resolve(s) for s in clusterer.touched}
            touched.update(a.story for a in assignments)
            made = list(state.merges)
            state.flush()
            store.save_assignments(assignments, made, touched, store.correction_rules())
            index.clear()
        linked += len(part)
        duplicates += len(copies)
        merges += len(made)
        progress("link", linked, len(todo))
    return LinkUpdate(linked, duplicates, merges, 0)


def _assignment(aid: str, seq: int, story: str, reason: JoinReason | None) -> Assignment:
    if reason is None:
        return Assignment(aid, seq, story, None)
    detail = json.dumps({"terms": list(reason.terms), "entities": list(reason.entities)})
    return Assignment(aid, seq, story, None, reason.similarity, detail)


def synthesize_stale(store: Store, settings: Settings, progress: Progress = _quiet) -> int:
    """Write the report of every story marked stale; returns how many were written."""
    stale = store.stale_stories()
    if not stale:
        return 0
    from storyline.link.stage import story_links
    from storyline.schema import story_v1
    from storyline.synthesize.report import synthesize_story

    for number, (sid, title) in enumerate(stale, start=1):
        members = store.story_members(sid)
        if not members:  # merged away, or emptied by a correction
            store.drop_story(sid)
            continue
        roots = [aid for aid, original in members if original is None]
        copies: dict[str, list[str]] = {}
        for aid, original in members:
            if original is not None:
                copies.setdefault(original, []).append(aid)
        docs = store.linked_docs(roots)
        if not title:  # a story made by a correction: the headline of its first article
            first = docs[roots[0]]
            title = first.article.title or (first.sentences[0].text if first.sentences else "")
        story = Story(sid, title, tuple(roots), None, None)
        links = story_links(story, docs, copies, settings)
        report = synthesize_story(links, settings)
        data = story_v1(report)
        data["updated"] = datetime.now(UTC).isoformat(timespec="seconds")
        store.save_story(report.story, data, dict(report.inferred_dates), len(links.families))
        progress("synthesize", number, len(stale))
    return len(stale)


def update(store: Store, settings: Settings, progress: Progress = _quiet) -> LinkUpdate:
    """Link what is new and synthesize what changed (also what an interrupted run left)."""
    done = link_new(store, settings, progress)
    written = synthesize_stale(store, settings, progress)
    return LinkUpdate(done.linked, done.duplicates, done.merges, written)


def rebuild(store: Store, settings: Settings, progress: Progress = _quiet) -> LinkUpdate:
    """Recompute every link and story report from the stored annotations, in the order
    the articles were first linked, with ``settings``."""
    store.reset_links(fingerprint(settings))
    return update(store, settings, progress)

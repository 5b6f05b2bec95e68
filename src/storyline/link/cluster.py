"""Streaming story clustering: each article joins the best current story or starts one.

Needs: AnnotatedArticles (sentences; mentions when available, else capitalised words stand
in for entities) arriving in publication order. Adds: story ids and ``Story`` records.

Per article the clusterer builds a TF-IDF vector (sublinear tf, incremental IDF, headline
counted twice; with ``cluster_bigrams`` also adjacent content-word pairs within a sentence,
which tell "Red Sox offer Teixeira" from "Angels offer Teixeira"; only the ``article_terms``
heaviest terms are kept) and an entity vector (normalised mention texts; a PERSON also by
last name).
Candidate stories come from an inverted index over each article's most weighted terms and
its entity keys; a posting list keeps only its ``posting_limit`` most recent stories and
stories idle for more than ``cluster_window_days`` are archived, so the cost per article
does not grow with the archive. The similarity to a candidate story is::

    (1 - we - wm) * cos(text, story text) + we * cos(entities, story entities)
      + wm * cos(MiniLM, story MiniLM) - time_weight * min(1, gap_days / window)

(we = ``entity_weight`` when the article has entities, wm = ``embedding_weight`` when
``use_embeddings``). The best story at or above ``cluster_threshold`` is joined; any other
candidate at or above ``merge_threshold`` is merged into it (the article bridges the two;
the older story's id survives). Story ids are ``"s" + sha1(founding article id)[:12]``.
The threshold and weight defaults (``Settings.cluster_*``) were chosen by 5-fold
cross-validation over ECB+ topics 1-35 (bench/cluster_eval.py).
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections.abc import Sequence
from datetime import date

import numpy as np

from storyline.config import Settings
from storyline.link.cluster_state import (
    ClusterState,
    Features,
    JoinReason,
    StoryState,
    join_reason,
)
from storyline.link.embed import Encoder, load_encoder
from storyline.link.features import (
    article_entity_keys,
    content_terms,
    headline,
    strip_header,
    with_pairs,
)
from storyline.link.vectors import Centroid, sublinear_tf, tf_vector
from storyline.model import AnnotatedArticle, Story


def story_id(article_id: str) -> str:
    """The deterministic id of a story founded by ``article_id``."""
    return "s" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:12]


def _given(value: float | None, default: float) -> float:
    return default if value is None else value


class StoryClusterer:
    """A streaming story clusterer; see the module docstring for the similarity."""

    def __init__(
        self,
        settings: Settings,
        *,
        entity_weight: float | None = None,
        embedding_weight: float | None = None,
        time_weight: float | None = None,
        merge_threshold: float | None = None,
        index_terms: int = 12,
        article_terms: int = 200,
        candidates: int = 12,
        posting_limit: int = 64,
        title_candidates: int = 16,
        encoder: Encoder | None = None,
        state: ClusterState | None = None,
    ) -> None:
        self.settings = settings
        self.threshold = settings.cluster_threshold
        self.entity_weight = _given(entity_weight, settings.cluster_entity_weight)
        embedding = _given(embedding_weight, settings.cluster_embedding_weight)
        self.embedding_weight = embedding if settings.use_embeddings else 0.0
        self.time_weight = _given(time_weight, settings.cluster_time_weight)
        self.merge_threshold = _given(
            merge_threshold, settings.cluster_threshold + settings.cluster_merge_margin
        )
        self.index_terms = index_terms
        self.article_terms = article_terms
        self.max_candidates = candidates
        self.posting_limit = posting_limit
        self.title_candidates = title_candidates
        self._encoder = encoder
        if settings.use_embeddings and encoder is None:
            self._encoder = load_encoder()
        self.state = state if state is not None else ClusterState()
        self._terms = self.state.terms
        self._entity_vocab = self.state.entity_vocab
        self._alias = self.state.alias
        self._assigned: dict[str, str] = {}  # articles added or seeded in this session
        self.touched: set[str] = set()  # stories changed in this session (ids at the time)
        self.reasons: dict[str, JoinReason] = {}  # why articles added in this session joined

    # -- public API ---------------------------------------------------------------------------
    def add(self, doc: AnnotatedArticle) -> str:
        """Assign ``doc`` to the best current story or start a new one; returns the story id
        (after any merge this article caused). Adding an article id again returns its story."""
        if doc.article.id in self._assigned:
            return self.story_of(doc.article.id)
        published = doc.article.published
        self._advance(published)
        features = self._features(doc)
        state = self.state
        candidates = self._candidates(features, published)
        state.load(candidates)
        stories = {sid: story for sid in candidates if (story := state.story(sid)) is not None}
        scored = sorted(
            ((self._similarity(features, story, published), sid) for sid, story in stories.items()),
            key=lambda pair: (-pair[0], stories[pair[1]].founded),
        )
        if scored and scored[0][0] >= self.threshold:
            target = stories[scored[0][1]]
            self.reasons[doc.article.id] = join_reason(features, target, scored[0][0])
            for similarity, other in scored[1:]:
                if similarity >= self.merge_threshold and state.story(other) is not None:
                    target = self._merge(target, stories[other])
        else:
            target = self._new_story(story_id(doc.article.id))
        self._join(target, doc, features)
        return target.id

    def seed(self, doc: AnnotatedArticle, story: str) -> None:
        """Put ``doc`` into ``story`` without a decision (rebuilding state from stored
        assignments, in publication order); a later ``add`` continues the stream."""
        if doc.article.id in self._assigned:
            return
        self._advance(doc.article.published)
        features = self._features(doc)
        sid = self._resolve(story)
        self.state.load([sid])
        target = self.state.story(sid) or self._new_story(sid)
        self._join(target, doc, features)

    def story_of(self, article_id: str) -> str:
        """The current story id of an added or seeded article (KeyError if unknown)."""
        return self._resolve(self._assigned[article_id])

    def resolve(self, sid: str) -> str:
        """The id a story has now (stories merged away point at the survivor)."""
        return self._resolve(sid)

    def stories(self) -> list[Story]:
        """All stories, oldest first, with their most representative headline as title."""
        ordered = sorted(self.state.all_stories(), key=lambda s: s.founded)
        return [_story(story) for story in ordered]

    # -- features and similarity --------------------------------------------------------------
    def _features(self, doc: AnnotatedArticle) -> Features:
        head = headline(doc)
        body = [strip_header(s.text) if s.index == 0 else s.text for s in doc.sentences]
        if not body:
            body = [strip_header(doc.article.text)]
        raw = sublinear_tf(self._terms_of([head, *body]))
        entity_tf = tf_vector(k.key for k in article_entity_keys(doc))
        self._terms.add(raw)
        self._entity_vocab.add(entity_tf)
        term_idf = self._terms.idfs(raw)
        entity_idf = self._entity_vocab.idfs(entity_tf)
        weighted = {t: v * term_idf[t] for t, v in raw.items()}  # tf * idf, not normalised
        ranked = sorted(weighted, key=weighted.__getitem__)
        ranked.reverse()  # heaviest first; ties latest-first (the tuned defaults assume it)
        del ranked[self.article_terms :]  # the article's vector keeps its heaviest terms
        scale = 1.0 / (math.sqrt(sum(raw[t] * raw[t] for t in ranked)) or 1.0)
        text_tf = {t: raw[t] * scale for t in ranked}  # unit length
        text = {t: weighted[t] * term_idf[t] * scale for t in ranked}
        text_norm = math.sqrt(sum(weighted[t] * weighted[t] for t in ranked)) * scale
        entities = {k: v * entity_idf[k] ** 2 for k, v in entity_tf.items()}
        keys = [(t, term_idf[t]) for t in ranked[: self.index_terms]]
        keys += [("e:" + k, w) for k, w in entity_idf.items()]
        embedding = None
        if self._encoder is not None and self.embedding_weight > 0.0:
            embedding = self._encoder([head + "\n" + " ".join(body[:8])])[0]
        return Features(
            text=text,
            text_norm=text_norm,
            entities=entities,
            entity_norm=math.sqrt(sum((v * entity_idf[k]) ** 2 for k, v in entity_tf.items())),
            text_tf=text_tf,
            entity_tf=entity_tf,
            text_idf=term_idf,
            entity_idf=entity_idf,
            index_keys=keys,
            headline=head,
            embedding=embedding,
        )

    def _terms_of(self, texts: Sequence[str]) -> list[str]:
        """Content terms of ``texts``, with adjacent pairs if ``cluster_bigrams`` is on."""
        if not self.settings.cluster_bigrams:
            return [t for text in texts for t in content_terms(text)]
        return [t for text in texts for t in with_pairs(content_terms(text))]

    def _similarity(self, features: Features, story: StoryState, published: date | None) -> float:
        if story.text is None or story.entities is None:
            return 0.0
        we = self.entity_weight if features.entities and story.entities.weights else 0.0
        wm = self.embedding_weight if features.embedding is not None else 0.0
        score = (1.0 - we - wm) * story.text.cosine(features.text, features.text_norm)
        if we:
            score += we * story.entities.cosine(features.entities, features.entity_norm)
        if wm and story.embedding is not None and features.embedding is not None:
            norm = float(np.linalg.norm(story.embedding)) or 1.0
            score += wm * float(features.embedding @ story.embedding) / norm
        if published is not None and story.last_seen is not None and self.time_weight:
            gap = abs((published - story.last_seen).days)
            window = max(1, self.settings.cluster_window_days)
            score -= self.time_weight * min(1.0, gap / window)
        return score

    def _candidates(self, features: Features, published: date | None) -> list[str]:
        """The live stories sharing the most index-key weight with the article (at most
        ``candidates`` of them; ties go to the older story). This runs over every posting
        entry of every key of every article, so it is written for speed."""
        votes: dict[str, float] = {}
        alias, postings = self._alias, self.state.postings
        self.state.prepare(key for key, _ in features.index_keys)
        for key, weight in features.index_keys:
            for sid in postings.get(key, ()):
                if sid in alias:
                    sid = self._resolve(sid)
                votes[sid] = votes.get(sid, 0.0) + weight
        when = published or self.state.clock
        today = when.toordinal() if when else None
        window = self.settings.cluster_window_days
        header = self.state.header
        live: list[tuple[float, int, str]] = []
        for sid, vote in votes.items():
            found = header(sid)
            if found is None:
                continue
            founded, seen = found
            if today is not None and seen is not None and abs(today - seen.toordinal()) > window:
                continue  # idle for longer than the window
            live.append((-vote, founded, sid))
        live.sort()
        return [sid for _, _, sid in live[: self.max_candidates]]

    # -- state changes ------------------------------------------------------------------------
    def _new_story(self, sid: str) -> StoryState:
        story = StoryState(id=sid, founded=self.state.joined)
        self.state.add_story(story)
        return story

    def _join(self, story: StoryState, doc: AnnotatedArticle, features: Features) -> None:
        article_id = doc.article.id
        state = self.state
        self._assigned[article_id] = story.id
        state.joined += 1
        story.articles.append(article_id)
        if story.text is None or story.entities is None:  # an archived story seeded again
            story.text, story.entities = Centroid(), Centroid()
        story.text.add(features.text_tf, self._terms, features.text_idf)
        story.entities.add(features.entity_tf, self._entity_vocab, features.entity_idf)
        if features.embedding is not None:
            story.embedding = (
                features.embedding.copy()
                if story.embedding is None
                else story.embedding + features.embedding
            )
        if len(story.headlines) < self.title_candidates:
            story.headlines.append((features.headline, tf_vector(content_terms(features.headline))))
        published = doc.article.published
        revived = story.archived
        story.archived = False
        if published is not None:
            story.first_seen = min(story.first_seen or published, published)
            if story.last_seen is None or published > story.last_seen:
                story.last_seen = published
                revived = True
        if revived and story.last_seen is not None:
            heapq.heappush(state.expiry, (story.last_seen.toordinal(), story.founded, story.id))
        for key, _ in features.index_keys:
            posting = state.posting(key)
            posting.pop(story.id, None)
            posting[story.id] = None
            if len(posting) > self.posting_limit:
                del posting[next(iter(posting))]
        story.title = self._title(story)
        state.changed(story)
        self.touched.add(story.id)

    def _merge(self, keep: StoryState, other: StoryState) -> StoryState:
        """Merge two stories; the one founded first survives and is returned."""
        if other.founded < keep.founded:
            keep, other = other, keep
        keep.articles.extend(other.articles)
        if keep.text is not None and other.text is not None:
            keep.text.merge(other.text, self._terms)
        if keep.entities is not None and other.entities is not None:
            keep.entities.merge(other.entities, self._entity_vocab)
        if other.embedding is not None:
            keep.embedding = (
                other.embedding if keep.embedding is None else keep.embedding + other.embedding
            )
        room = self.title_candidates - len(keep.headlines)
        keep.headlines.extend(other.headlines[: max(0, room)])
        dates = [d for d in (keep.first_seen, other.first_seen) if d is not None]
        keep.first_seen = min(dates) if dates else None
        dates = [d for d in (keep.last_seen, other.last_seen) if d is not None]
        if dates and (keep.last_seen is None or max(dates) > keep.last_seen):
            keep.last_seen = max(dates)
            heapq.heappush(self.state.expiry, (keep.last_seen.toordinal(), keep.founded, keep.id))
        self.state.merged(other.id, keep.id)
        self.state.changed(keep)
        self.touched.add(keep.id)
        return keep

    def _resolve(self, sid: str) -> str:
        root = sid
        while root in self._alias:
            root = self._alias[root]
        while sid != root:
            self._alias[sid], sid = root, self._alias[sid]
        return root

    def _advance(self, published: date | None) -> None:
        """Move the clock to ``published`` and archive stories idle for longer than the
        window (in memory their vectors are dropped). A story's title is the one chosen at
        its last change, so archiving does not change it."""
        state = self.state
        if published is None or (state.clock is not None and published <= state.clock):
            return
        state.clock = published
        horizon = published.toordinal() - self.settings.cluster_window_days
        expiry = state.expiry
        while expiry and expiry[0][0] < horizon:
            ordinal, _, sid = heapq.heappop(expiry)
            state.load([sid])
            story = state.story(sid)
            if story is None or story.last_seen is None or story.archived:
                continue
            if story.last_seen.toordinal() != ordinal:
                continue
            story.archived = True
            if not state.keeps_archived:
                story.text = story.entities = story.embedding = None
                story.headlines = []
            state.changed(story)

    def _title(self, story: StoryState) -> str:
        """The headline of a member article closest to the story's text centroid."""
        if not story.headlines:
            return ""
        if story.text is None:
            return story.headlines[0][0]
        best, best_score = story.headlines[0][0], -1.0
        for text, tf in story.headlines:
            idf = self._terms.idfs(tf)
            query = {t: v * idf[t] ** 2 for t, v in tf.items()}
            norm = math.sqrt(sum((v * idf[t]) ** 2 for t, v in tf.items()))
            score = story.text.cosine(query, norm)
            if score > best_score:
                best, best_score = text, score
        return best


def _story(story: StoryState) -> Story:
    return Story(
        id=story.id,
        title=story.title,
        articles=tuple(story.articles),
        first_seen=story.first_seen,
        last_seen=story.last_seen,
    )


def cluster_stories(
    docs: Sequence[AnnotatedArticle], settings: Settings, **options: float
) -> list[Story]:
    """Cluster ``docs`` as one stream: sorted by publication date (undated last, input
    order on ties), then added one by one. ``options`` go to ``StoryClusterer``."""
    clusterer = StoryClusterer(settings, **options)  # type: ignore[arg-type]
    ordered = sorted(
        docs, key=lambda d: (d.article.published is None, d.article.published or date.min)
    )
    for doc in ordered:
        clusterer.add(doc)
    return clusterer.stories()

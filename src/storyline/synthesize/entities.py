"""Entities of one story: the mentions of all its articles merged into people, organisations
and places.

Needs the story's ``AnnotatedArticle`` records (mentions from ``annotate.entities``); adds
``Entity`` records and the map from each mention to its entity. Merge rules:

- names are compared after folding case, accents, hyphens, possessives and particles
  (al-, el-, bin, van, de): "Abdel-Fattah al-Sisi" = "Abdel Fattah el Sisi" = "El-Sisi";
- given names and surnames may differ by transliteration ("Mahmud" / "Mahmoud",
  "Antony" / "Anthony"), never by a different given name ("Eli Cohen" is not "Avi Cohen");
- a surname alone ("Sisi", "Cohen") joins the one person of that surname in the story, or,
  when there are several, the one its own article names (the nearest one before it; a role
  written with it, "Foreign Minister Cohen", decides too); otherwise it stays apart;
- a role-only reference ("the US secretary", label ROLE) joins the one person whose recorded
  roles contain it; it counts as a mention but is not a name alias;
- other entities merge on their folded name; an acronym joins the one name it abbreviates.

The canonical name is the most frequent full form; ``aliases`` keeps every distinct surface.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from storyline.annotate.entities import ROLE_HEADS, ROLE_LABEL, ROLE_WORDS
from storyline.model import AnnotatedArticle, Entity, Mention
from storyline.synthesize.names import (
    PARTICLES,
    PersonName,
    compatible,
    fold,
    key,
    person_key,
    person_name,
    same_token,
    strip_possessive,
    tokens,
)

#: preferred label order when the label vote is tied
_LABEL_ORDER = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT")


@dataclass(frozen=True, slots=True)
class EntityResolution:
    """The merged entities of a story, each mention's entity, and the roles seen per entity."""

    entities: tuple[Entity, ...]
    assignments: dict[tuple[str, int], str]  # (article id, mention start) -> entity id
    roles: dict[str, tuple[str, ...]]  # entity id -> roles written next to its names


@dataclass(slots=True)
class _Cluster:
    """Mentions being merged into one entity."""

    person: bool
    name: PersonName | None = None
    mentions: list[Mention] = field(default_factory=list)


def merge_entities(articles: Sequence[AnnotatedArticle]) -> list[Entity]:
    """The entities of one story, most mentioned first (see the module docstring)."""
    return list(resolve_entities(articles).entities)


def mention_entity_map(
    articles: Sequence[AnnotatedArticle], entities: Sequence[Entity]
) -> dict[tuple[str, int], str]:
    """(article id, mention start) -> id of the entity in ``entities`` it was merged into."""
    wanted = {entity.id for entity in entities}
    resolution = resolve_entities(articles)
    return {at: eid for at, eid in resolution.assignments.items() if eid in wanted}


def resolve_entities(articles: Sequence[AnnotatedArticle]) -> EntityResolution:
    """Merge the mentions of ``articles`` (one story) into entities."""
    names = [m for a in articles for m in a.mentions if m.label != ROLE_LABEL]
    role_refs = [m for a in articles for m in a.mentions if m.label == ROLE_LABEL]
    person = _person_keys(names)
    clusters = _person_clusters([m for m in names if person_key(m.text) in person])
    clusters += _other_clusters([m for m in names if person_key(m.text) not in person])
    roles = _cluster_roles(clusters)
    for mention in role_refs:
        target = _role_target(mention, clusters, roles)
        if target is not None:
            target.mentions.append(mention)
    order = {a.article.id: i for i, a in enumerate(articles)}
    built: list[tuple[Entity, _Cluster]] = []
    seen: set[str] = set()
    for cluster in clusters:
        entity = _entity(cluster, order, seen)
        if entity is not None:
            built.append((entity, cluster))
    built.sort(key=lambda pair: (-pair[0].mentions, pair[0].name, pair[0].id))
    assignments = {(m.article, m.start): e.id for e, c in built for m in c.mentions}
    role_map = {e.id: tuple(sorted(roles.get(id(c), ()))) for e, c in built}
    return EntityResolution(tuple(e for e, _ in built), assignments, role_map)


def _person_keys(mentions: Sequence[Mention]) -> set[str]:
    """Folded names that stand for people: PERSON names, and names the model also tagged
    otherwise ("Blinken" as GPE) when PERSON tags of that name or surname outnumber them."""
    votes: Counter[str] = Counter()
    others: Counter[str] = Counter()
    for mention in mentions:
        name = person_key(mention.text)
        if mention.label == "PERSON":
            votes[name] += 1
            surname = person_name(name)
            if surname.full:
                votes[surname.surname] += 1
        elif mention.label != "NORP":
            others[name] += 1
    return {name for name, count in votes.items() if count >= others[name]}


def _person_clusters(mentions: Sequence[Mention]) -> list[_Cluster]:
    """Merge PERSON mentions: full names by compatibility, then surnames by context."""
    groups: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        groups[person_key(mention.text)].append(mention)
    full = sorted(
        (k for k in groups if person_name(k).full), key=lambda k: (-len(groups[k]), -len(k), k)
    )
    clusters: list[_Cluster] = []
    members: list[list[PersonName]] = []
    for group in full:
        name = person_name(group)
        fits = [i for i, names in enumerate(members) if all(compatible(name, n) for n in names)]
        if len(fits) == 1:
            clusters[fits[0]].mentions.extend(groups[group])
            members[fits[0]].append(name)
        else:  # no match, or ambiguous ("J. Smith" with John and Jane Smith): keep apart
            clusters.append(_Cluster(True, name, list(groups[group])))
            members.append([name])
    singles = sorted(k for k in groups if not person_name(k).full)
    alone: dict[str, _Cluster] = {}
    for group in singles:
        surname = person_name(group).surname
        candidates = [c for c in clusters if c.name and c.name.full and _same(c, surname)]
        for mention in groups[group]:
            target = _surname_target(mention, candidates)
            if target is None:
                target = alone.get(group)
                if target is None:
                    target = alone[group] = _Cluster(True, person_name(group))
            target.mentions.append(mention)
    return clusters + [alone[k] for k in sorted(alone)]


def _same(cluster: _Cluster, surname: str) -> bool:
    return cluster.name is not None and same_token(cluster.name.surname, surname)


def _surname_target(mention: Mention, candidates: Sequence[_Cluster]) -> _Cluster | None:
    """The person a surname-only mention names, when the story or its article makes it clear."""
    if mention.role:
        by_role = [c for c in candidates if _holds_role(_role_tokens(mention.role), c)]
        if len(by_role) == 1:
            return by_role[0]
        candidates = by_role or candidates
    if len(candidates) == 1:
        return candidates[0]
    before: list[tuple[int, int]] = []
    local: list[int] = []
    for index, cluster in enumerate(candidates):
        starts = [m.start for m in cluster.mentions if m.article == mention.article]
        if starts:
            local.append(index)
            earlier = [s for s in starts if s < mention.start]
            if earlier:
                before.append((max(earlier), index))
    if len(local) == 1:
        return candidates[local[0]]
    if before:
        return candidates[max(before)[1]]
    return None


def _holds_role(wanted: frozenset[str], cluster: _Cluster) -> bool:
    return any(_role_contains(_role_tokens(m.role), wanted) for m in cluster.mentions if m.role)


def _other_clusters(mentions: Sequence[Mention]) -> list[_Cluster]:
    """Merge non-person mentions on their folded name; an acronym ("US") joins the one name
    whose initials it spells ("United States")."""
    groups: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        groups[key(mention.text)].append(mention)
    initials: dict[str, list[str]] = defaultdict(list)
    for group in groups:
        parts = group.split()
        if len(parts) > 1:
            initials["".join(p[0] for p in parts)].append(group)
    clusters: dict[str, _Cluster] = {}
    for group in sorted(groups):
        surfaces = [strip_possessive(m.text) for m in groups[group]]
        acronym = all(s.isupper() and " " not in s for s in surfaces)
        targets = initials.get(group, []) if acronym else []
        home = targets[0] if len(targets) == 1 else group
        clusters.setdefault(home, _Cluster(False)).mentions.extend(groups[group])
    return [clusters[k] for k in sorted(clusters)]


def _role_tokens(role: str) -> frozenset[str]:
    """Folded words of a role, without "the" and function words."""
    return frozenset(t for t in tokens(role) if t not in ("the", "of", "for", "and"))


def _token_match(a: str, b: str) -> bool:
    """Role words match when equal or one is a demonym-like form of the other
    ("egypt" ~ "egyptian", "palestine" ~ "palestinian")."""
    if a == b:
        return True
    common = 0
    for ca, cb in zip(a, b, strict=False):
        if ca != cb:
            break
        common += 1
    return common >= 5 and common >= min(len(a), len(b)) - 1


def _role_contains(held: frozenset[str], wanted: frozenset[str]) -> bool:
    return bool(wanted) and all(any(_token_match(w, h) for h in held) for w in wanted)


def _cluster_roles(clusters: Sequence[_Cluster]) -> dict[int, set[str]]:
    """id(cluster) -> the roles written next to its person mentions."""
    roles: dict[int, set[str]] = {}
    for cluster in clusters:
        if cluster.person:
            held = {m.role for m in cluster.mentions if m.role}
            if held:
                roles[id(cluster)] = held
    return roles


def _role_target(
    mention: Mention, clusters: Sequence[_Cluster], roles: Mapping[int, set[str]]
) -> _Cluster | None:
    """The one person whose roles contain the role-only reference ``mention``."""
    wanted = _role_tokens(mention.role or mention.text)
    if not any(w in ROLE_HEADS for w in wanted):
        return None
    holders = [
        c
        for c in clusters
        if any(_role_contains(_role_tokens(r), wanted) for r in roles.get(id(c), ()))
    ]
    if len(holders) == 1:
        return holders[0]
    if len(wanted) > 1:
        local = [c for c in holders if any(m.article == mention.article for m in c.mentions)]
        if len(local) == 1:
            return local[0]
    return None


def _entity(cluster: _Cluster, order: Mapping[str, int], seen: set[str]) -> Entity | None:
    """The Entity record of ``cluster``; None for a cluster of role references only."""
    named = [m for m in cluster.mentions if m.label != ROLE_LABEL]
    if not named:
        return None
    labels = Counter(m.label for m in named)
    best = max(labels.values())
    label = min(
        (lab for lab, n in labels.items() if n == best),
        key=lambda lab: (_LABEL_ORDER.index(lab) if lab in _LABEL_ORDER else 99, lab),
    )
    surfaces = Counter(" ".join(strip_possessive(m.text).split()) for m in named)
    pool = surfaces
    if cluster.person:
        full = Counter({s: n for s, n in surfaces.items() if person_name(s).full})
        pool = full or surfaces
    name = min(pool, key=lambda s: _canonical_rank(s, pool, surfaces))
    entity_id = _entity_id(label, name, seen)
    articles = sorted({m.article for m in cluster.mentions}, key=lambda a: (order.get(a, 0), a))
    aliases = tuple(sorted(surfaces, key=lambda s: (-surfaces[s], s)))
    return Entity(
        id=entity_id,
        name=name,
        type=label,
        aliases=aliases,
        articles=tuple(articles),
        mentions=len(cluster.mentions),
    )


def _canonical_rank(
    surface: str, pool: Mapping[str, int], surfaces: Mapping[str, int]
) -> tuple[int, int, int, bool, int, str]:
    """Sort key of a candidate canonical name: most frequent, most used surname spelling,
    not all capitals, longest, then alphabetical."""
    folded, exact = _tail_support(surface, surfaces)
    return (-pool[surface], -folded, -exact, surface.isupper(), -len(surface), surface)


def _tail_support(surface: str, surfaces: Mapping[str, int]) -> tuple[int, int]:
    """How many mentions end like ``surface``'s surname with its particle ("al-Sisi"), folded
    and then as written: breaks ties between equally frequent full forms in favour of the
    spelling most used."""
    words = surface.split()
    tail = [words.pop()] if words else []
    while words and fold(words[-1]) in PARTICLES:
        tail.insert(0, words.pop())
    ending, exact = tokens(" ".join(tail)), " ".join(tail)
    folded = sum(n for s, n in surfaces.items() if tokens(s)[-len(ending) :] == ending)
    return folded, sum(n for s, n in surfaces.items() if s.endswith(exact))


def _entity_id(label: str, name: str, seen: set[str]) -> str:
    """ "e" + 10 hex digits of sha1(label, name); a second entity with the same label and name
    (kept apart on purpose) gets a numbered variant."""
    number = 1
    while True:
        basis = f"{label}\x1f{name}" + (f"\x1f{number}" if number > 1 else "")
        entity_id = "e" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:10]
        if entity_id not in seen:
            seen.add(entity_id)
            return entity_id
        number += 1


def entity_for(
    name: str,
    entities: Sequence[Entity],
    roles: Mapping[str, Sequence[str]] | None = None,
) -> Entity | None:
    """The entity a name string (e.g. a quote's speaker) refers to, or None when no entity or
    several fit. Tries, in order: an alias with the same folded name; a person whose full
    names are compatible; for a surname alone, the one person with that surname. A role
    written before the name is ignored ("Egyptian President Sisi" -> Sisi); a role alone
    ("the US secretary") is matched against ``roles`` (entity id -> roles, from
    ``resolve_entities``) when given."""
    text = name.strip()
    if not text:
        return None
    words = text.split()
    cut = max((i for i, w in enumerate(words) if w.lower() in ROLE_WORDS), default=-1)
    candidates = [" ".join(words[cut + 1 :])] if 0 <= cut < len(words) - 1 else []
    for candidate in [text, *candidates]:
        found = _by_name(candidate, entities)
        if found is not None:
            return found
    if roles and cut >= 0:
        wanted = _role_tokens(text)
        holders = [
            e
            for e in entities
            if any(_role_contains(_role_tokens(r), wanted) for r in roles.get(e.id, ()))
        ]
        if len(holders) == 1:
            return holders[0]
    return None


def _by_name(name: str, entities: Sequence[Entity]) -> Entity | None:
    exact_key, exact_person = key(name), person_key(name)
    exact = [
        e
        for e in entities
        if any(
            (person_key(a) == exact_person if e.type == "PERSON" else key(a) == exact_key)
            for a in e.aliases
        )
    ]
    if len(exact) == 1:
        return exact[0]
    wanted = person_name(name)
    people = [e for e in entities if e.type == "PERSON"]
    if wanted.full:
        fits = [
            e
            for e in people
            if any(person_name(a).full and compatible(wanted, person_name(a)) for a in e.aliases)
        ]
    else:
        fits = [
            e
            for e in people
            if any(
                same_token(person_name(a).surname, wanted.surname)
                for a in e.aliases
                if person_name(a).full
            )
        ]
    return fits[0] if len(fits) == 1 else None

"""Resolver: map mentions to canonical entities.

Input: the `Extraction`s of a corpus. Output: a `Resolution`, the entities (future graph
nodes) and, for every kept mention, the entity it names. A name is one entity across the
corpus whatever the document; a name typed differently in different places gets its
majority type.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from graph.model import ENTITY_TYPES, Entity, Extraction, MentionKey, Resolution


def resolve(
    extractions: Sequence[Extraction],
    *,
    aliases_path: Path | None = None,
    exclude_path: Path | None = None,
) -> Resolution:
    """Group mentions by name; each name becomes one entity of its most frequent type."""
    type_votes: dict[str, Counter[str]] = defaultdict(Counter)
    surfaces: dict[str, set[str]] = defaultdict(set)
    for extraction in extractions:
        for mention in extraction.mentions:
            type_votes[mention.name][mention.label] += 1
            surfaces[mention.name].add(mention.text)

    type_order = list(ENTITY_TYPES)
    ids: dict[str, str] = {}
    entities: dict[str, Entity] = {}
    for name in sorted(type_votes):
        # Ties go to the type listed first in ENTITY_TYPES, so the result is stable.
        votes = type_votes[name]
        entity_type = max(votes, key=lambda t: (votes[t], -type_order.index(t)))
        entity_id = unique_id(f"{entity_type}_{slug(name)}", entities)
        ids[name] = entity_id
        entities[entity_id] = Entity(entity_id, name, entity_type, tuple(sorted(surfaces[name])))

    links: dict[MentionKey, str] = {}
    for extraction in extractions:
        for mention in extraction.mentions:
            links[(extraction.doc_id, mention.start, mention.end)] = ids[mention.name]
    return Resolution(entities, links)


def slug(name: str) -> str:
    """A lowercase id fragment that is a valid XML NMTOKEN: letters, digits and '_'."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[^\w]+", "_", text).strip("_")
    return text or "x"


def unique_id(candidate: str, taken: dict[str, Entity]) -> str:
    """`candidate`, or `candidate_2`, `_3`... when distinct names slug alike."""
    entity_id, number = candidate, 1
    while entity_id in taken:
        number += 1
        entity_id = f"{candidate}_{number}"
    return entity_id

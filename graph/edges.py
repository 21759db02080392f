"""Edge builder: what one document adds to the graph's nodes and links.

Input: one document's statements (`NamedStatement`: offsets, text, paragraph, the entity
each of its mentions names or None, its relations), the window (what one statement is),
how many example sentences a link keeps, and the entity each country a nationality
adjective names stands for. Output: a `Contribution`: per entity its mentions and the
statements naming it; per pair of entities the statements naming both and its first
examples; per relation between two entities the statements showing it and the first; the
statements naming at least one entity (npmi's N counts those). The graph is the sum of
every document's contribution (graph.store.update sums them in SQL), so a rebuild sums
again only what a changed document touches.

A statement is a sentence, or with window "paragraph" a paragraph (its sentences' names
together); two entities in one statement are linked once for it; there are no
self-loops. A link's examples are its first statements with distinct texts (syndicated
copies repeat sentences word for word: one copy is evidence enough); in a paragraph, the
sentences naming either entity, joined. npmi = log(p(x,y) / (p(x) p(y))) / -log(p(x,y)),
where p(x) is the share of the N statements naming at least one entity that name x, and
p(x,y) the share naming both; it is 1 for two entities named in every statement.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations, groupby
from typing import NamedTuple

from graph.model import Relation, parse_choices

WINDOWS = ("sentence", "paragraph")
# Phrases a link shows: the few that say what the link is, not every wording of it.
PHRASES_KEPT = 10
# npmi is rounded so that the same counts give the same bytes on every platform.
NPMI_DIGITS = 4

Pair = tuple[int, int]
"""Two entity numbers, the smaller first: an undirected link."""


class NamedStatement(NamedTuple):
    """A statement with the entity each of its mentions names (None: a dropped name)."""

    start: int
    end: int
    text: str
    paragraph: int
    entities: tuple[int | None, ...]
    relations: tuple[Relation, ...] = ()


class Example(NamedTuple):
    """A statement that shows a link or a relation: where it is and what it says."""

    start: int
    end: int
    text: str


class RelationKey(NamedTuple):
    """A relation of a link: a role of the scheme (phrase "") or a phrase (role ""), from
    entity `source` to entity `target`."""

    role: str
    phrase: str
    source: int
    target: int


@dataclass
class Contribution:
    """What one document adds to the graph."""

    # entity -> [mentions, statements naming it]
    entities: dict[int, list[int]] = field(default_factory=dict)
    # pair -> statements naming both
    links: Counter[Pair] = field(default_factory=Counter)
    # pair -> its first examples with distinct texts, at most the number asked for
    examples: dict[Pair, list[Example]] = field(default_factory=dict)
    # relation -> [statements showing it, the first]
    relations: dict[RelationKey, list] = field(default_factory=dict)
    # statements naming at least one entity
    named: int = 0


def contribution(
    statements: Sequence[NamedStatement],
    *,
    window: str = "sentence",
    evidence: int = 3,
    countries: Mapping[str, int] | None = None,
) -> Contribution:
    """What a document's statements (in text order) add to the graph."""
    countries = countries or {}
    found = Contribution()
    for unit in _units(statements, window):
        # entity -> the statements of this unit naming it (one, in sentence mode)
        named: dict[int, list[NamedStatement]] = {}
        for statement in unit:
            for entity in statement.entities:
                if entity is None:
                    continue
                counts = found.entities.setdefault(entity, [0, 0])
                counts[0] += 1
                naming = named.setdefault(entity, [])
                if not naming or naming[-1] is not statement:
                    naming.append(statement)
            if statement.relations:
                _add_relations(found.relations, statement, countries)
        if not named:
            continue
        found.named += 1
        for entity in named:
            found.entities[entity][1] += 1
        for pair in combinations(sorted(named), 2):
            found.links[pair] += 1
            kept = found.examples.setdefault(pair, [])
            if len(kept) < evidence:
                example = _example(named[pair[0]], named[pair[1]])
                if all(e.text != example.text for e in kept):
                    kept.append(example)
    return found


def _add_relations(
    relations: dict[RelationKey, list], statement: NamedStatement, countries: Mapping[str, int]
) -> None:
    """Count the statement's relations between two distinct entities, a role and a phrase
    apart, each once per statement. Roles are kept whatever the entities' types: the
    types are the corpus', and the store drops a role they do not fit when it sums."""
    keys = set()
    for relation in statement.relations:
        source = statement.entities[relation.source]
        target = statement.entities[relation.target] if relation.target is not None else countries.get(relation.country)
        if source is None or target is None or source == target:
            continue
        if relation.role:
            keys.add(RelationKey(relation.role, "", source, target))
        if relation.phrase:
            keys.add(RelationKey("", relation.phrase, source, target))
    for key in keys:
        seen = relations.get(key)
        if seen is None:
            relations[key] = [1, Example(statement.start, statement.end, statement.text)]
        else:
            seen[0] += 1


def parse_window(spec: str) -> str:
    """"sentence" or "paragraph" (any case); anything else raises EntigraphError."""
    return parse_choices(spec, WINDOWS, "window")[0]


def npmi(both: int, first: int, second: int, total: int) -> float:
    """Normalised pointwise mutual information of two entities named together in `both`
    of `total` statements, each alone in `first` and `second` of them (both included),
    rounded to NPMI_DIGITS: -1 never together, 0 as often as chance, 1 always together."""
    if both <= 0:
        return -1.0
    if both >= total:
        return 1.0
    joint = both / total
    value = math.log(joint / ((first / total) * (second / total))) / -math.log(joint)
    # + 0.0 turns -0.0 into 0.0, which writes the same bytes.
    return round(min(1.0, max(-1.0, value)), NPMI_DIGITS) + 0.0


def _units(statements: Sequence[NamedStatement], window: str) -> Iterator[Sequence[NamedStatement]]:
    """The statements of a document grouped as the window counts them."""
    if window == "sentence":
        for statement in statements:
            yield (statement,)
    else:
        for _, group in groupby(statements, key=lambda s: s.paragraph):
            yield tuple(group)


def _example(first: list[NamedStatement], second: list[NamedStatement]) -> Example:
    """The statement naming both, or in a paragraph the sentences naming either, joined."""
    sentences = sorted({id(s): s for s in first + second}.values(), key=lambda s: s.start)
    text = " ".join(s.text for s in sentences)
    return Example(sentences[0].start, sentences[-1].end, text)

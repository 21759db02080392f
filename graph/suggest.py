"""Alias suggestions: pairs of nodes of a built graph that are probably one entity.

Input: a built graph: its output directory or store (or a GraphML file, a networkx graph;
see graph.query.open_graph), whose names are read with the word lists of the languages
it was built in (the store's `languages`; English where it names none).
Output: `Suggestions`, frozen dataclasses (`to_dict` for JSON), best first, each with its
evidence: the rule that proposed it, the neighbours the two nodes share, their mentions;
and, with `output`, an aliases file in the format `--aliases` reads, every suggestion's
rows commented out, so that accepting one is deleting its "# ".

A pair must be of one type, and one of its names must be
- a short form of the other: its first or last words ("Netanyahu" of "Benjamin
  Netanyahu", "Gaza" of "Gaza Strip"), a surname without its particle ("Sisi" of "Abdel
  Fattah al-Sisi");
- an acronym of the other: written in capitals, the initials of the other's words ("EU"
  for "European Union");
- the other spelled another way: the same letters once spaces, hyphens and periods go
  ("Al-Araby" and "Al Araby"), or word by word the same or a variant (`names.
  spelling_variants`: "Haniyeh" and "Haniya");
- or, for places, the same country in another language or form, as the demonym tables
  (data/tables/demonyms*.csv) name it: "Égypte" and "Egypt" in a corpus of French and
  English texts, which the resolver keeps apart (it never translates).
Each node's label and aliases are indexed by key, by initials and by sound, and only the
names an index pairs are compared: the work grows with the names, never with the pairs of
nodes. A pair scores by its rule, by the share of neighbours the two nodes have in common
(the same entity is named with the same people and places), and less when its short name
could stand for several longer ones ("Le Goff" for two people). The resolver has already
joined what it could prove; these are what it could not, for a person to judge.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.atomic import atomic_write
from graph.names import (
    NameWords,
    acronym_letters,
    initials,
    key,
    sound_key,
    spelling_variants,
    surname_forms,
    tokens,
)
from graph.query import open_graph
from graph.relations import read_demonyms
from graph.store import Store

if TYPE_CHECKING:
    import networkx as nx

# How much each rule says on its own, before the neighbours are looked at: an acronym's
# initials and a name's own words are rarely chance, a near spelling more often is.
RULE_WEIGHTS = {"acronym": 0.9, "country": 0.9, "short form": 0.8, "spelling": 0.7}
# A pair with no shared neighbour keeps this share of its rule's weight; shared
# neighbours bring the rest, counted against the smaller node's neighbours plus this
# many (one shared neighbour of one is weak evidence, three of three strong).
ALONE_SHARE = 0.4
NEIGHBORS_SMOOTHING = 1
# A word that other names share names a kind of thing ("Council", "Board",
# "University"): an organization or place whose longer name adds one is mostly a body of
# its own ("IMF Executive Board" beside "IMF", "Liverpool City Council" beside
# "Liverpool"), and the pair keeps this share of its score.
KIND_SHARE = 0.4
DEFAULT_LIMIT = 100
# The fewest letters of a word that `names.spelling_variants` compares.
SPELLED_LETTERS = 4
# Shared neighbours named in a suggestion's evidence.
NEIGHBORS_SHOWN = 5
_NOT_LETTER = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Node:
    """A node of the graph as a suggestion names it."""

    id: str
    label: str
    type: str
    mentions: int
    documents: int
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    """Two nodes that are probably one entity: `alias` would join `keep`.

    `rule` is "short form", "acronym" or "spelling", `why` says it in words; `shared`
    counts the neighbours both are linked to (`neighbors` names a few), `linked` the
    statements naming both; `rows` are the aliases-file rows that join them.
    """

    keep: Node
    alias: Node
    type: str
    rule: str
    why: str
    shared: int
    neighbors: tuple[str, ...]
    linked: float
    score: float
    rows: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Suggestions:
    """Every suggestion found in `graph` (`found` of them), the best `limit` kept."""

    graph: str
    entities: int
    found: int
    suggestions: tuple[Suggestion, ...]
    output: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def suggest_aliases(
    source: Store | nx.Graph | str | Path, *, limit: int = DEFAULT_LIMIT, output: str | Path | None = None
) -> Suggestions:
    """The `limit` most likely pairs of nodes of one entity in `source` (an output
    directory, a store, a GraphML file or a graph), best first; with `output`, also written
    there as an aliases file (atomically), each suggestion commented out."""
    store, where = open_graph(source)
    words = NameWords.of([code for (code,) in store.rows("SELECT code FROM languages")] or ["en"])
    nodes = _nodes(store)
    candidates = _candidates(nodes, words, read_demonyms().spellings)
    kinds = _kind_words(nodes)
    neighbors = _neighbors(store, {node for pair in candidates for node in pair[:2]})
    # A short name that could stand for several longer ones counts once among them.
    choices: dict[tuple[str, str], int] = defaultdict(int)
    for keep, alias, rule, _ in candidates:
        choices[(alias, rule)] += 1
    found = []
    for keep, alias, rule, why in candidates:
        common = (set(neighbors[keep]) & set(neighbors[alias])) - {keep, alias}
        fewest = min(len(set(neighbors[keep]) - {alias}), len(set(neighbors[alias]) - {keep}))
        overlap = len(common) / (fewest + NEIGHBORS_SMOOTHING)
        score = RULE_WEIGHTS[rule] * (ALONE_SHARE + (1 - ALONE_SHARE) * overlap) / choices[(alias, rule)]
        kind = _added_kind(nodes[keep], nodes[alias], nodes, kinds, words) if rule == "short form" else None
        if kind is not None:
            score *= KIND_SHARE
            why += f", which adds {kind!r}, a word other names have: perhaps a body of its own"
        shown = sorted(common, key=lambda n: (-nodes[n].mentions, nodes[n].label))[:NEIGHBORS_SHOWN]
        linked = neighbors[keep].get(alias, 0.0)
        found.append(
            Suggestion(
                keep=nodes[keep],
                alias=nodes[alias],
                type=nodes[keep].type,
                rule=rule,
                why=why,
                shared=len(common),
                neighbors=tuple(nodes[n].label for n in shown),
                linked=linked,
                score=round(score, 3),
                rows=_rows(nodes[keep], nodes[alias]),
            )
        )
    found.sort(key=lambda s: (-s.score, -s.shared, -(s.keep.mentions + s.alias.mentions), s.keep.label, s.alias.label))
    kept = tuple(found[:limit])
    if output is not None:
        with atomic_write(Path(output), newline="") as handle:
            handle.write(aliases_file(kept, where))
    return Suggestions(where, len(nodes), len(found), kept, None if output is None else str(output))


def _nodes(store: Store) -> dict[str, Node]:
    """Every entity as a suggestion names it, by id."""
    aliases: dict[int, list[str]] = defaultdict(list)
    for entity, alias in store.rows("SELECT entity, alias FROM aliases ORDER BY entity, alias"):
        aliases[entity].append(alias)
    return {
        entity_id: Node(entity_id, label, kind, mentions, documents, tuple(aliases.get(entity, ())))
        for entity, entity_id, label, kind, mentions, documents in store.rows(
            "SELECT entity, id, label, type, mentions, documents FROM entities ORDER BY id"
        )
    }


def _neighbors(store: Store, nodes: set[str]) -> dict[str, dict[str, float]]:
    """Each of `nodes`' linked entities with the weight of the link."""
    found: dict[str, dict[str, float]] = {}
    for node in nodes:
        found[node] = {
            other: weight
            for other, weight in store.rows(
                "SELECT o.id, l.weight FROM entities e JOIN links l ON e.entity IN (l.source, l.target) "
                "JOIN entities o ON o.entity = CASE WHEN l.source = e.entity THEN l.target ELSE l.source END "
                "WHERE e.id = ? AND l.kept", (node,),
            )
        }  # fmt: skip
    return found


def aliases_file(suggestions: Iterable[Suggestion], graph: str) -> str:
    """The text of an aliases file (CSV, as `--aliases` reads it) holding `suggestions`,
    each as a comment saying why, then its rows commented out."""
    suggestions = list(suggestions)
    lines = [
        f"# {len(suggestions)} {'alias' if len(suggestions) == 1 else 'aliases'} suggested by "
        f"`entigraph suggest-aliases` for {graph}, best first.",
        "# Every row is commented out. To accept a suggestion, delete the \"# \" in front of its",
        "# rows (a node known by several names has one row per name), then build again with",
        "# --aliases on this file. A name may be accepted as the alias of one name only.",
        "name,alias,type",
    ]
    for number, suggestion in enumerate(suggestions, start=1):
        lines.append(f"# {number}. {_evidence(suggestion)}")
        lines.extend(f"# {_csv_row(row)}" for row in suggestion.rows)
    return "\n".join(lines) + "\n"


def _evidence(s: Suggestion) -> str:
    neighbors = f" ({', '.join(s.neighbors)}{', ...' if s.shared > len(s.neighbors) else ''})" if s.neighbors else ""
    linked = f"; named together in {s.linked:g} statements" if s.linked else ""
    return (
        f"{s.alias.label} -> {s.keep.label} ({s.type}), {s.rule}, score {s.score:.3f}: {s.why}; "
        f"{s.shared} shared {'neighbour' if s.shared == 1 else 'neighbours'}{neighbors}; "
        f"mentions {s.alias.mentions} and {s.keep.mentions}{linked}"
    )


def _csv_row(row: tuple[str, str, str]) -> str:
    # Every field quoted: a name starting with "#" must not read as a comment once the
    # row is accepted.
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="").writerow(row)
    return buffer.getvalue()


def _rows(keep: Node, alias: Node) -> tuple[tuple[str, str, str], ...]:
    """One row per name of `alias` (label and aliases, one per key): every mention of
    the node must be renamed for the node to join `keep`."""
    names: dict[str, str] = {}
    for name in (alias.label, *alias.aliases):
        names.setdefault(key(name), name)
    return tuple((keep.label, name, keep.type) for name in names.values())


def _names(node: Node) -> dict[str, str]:
    """A node's names by key: its label and every alias."""
    names: dict[str, str] = {}
    for name in (node.label, *node.aliases):
        if key(name):
            names.setdefault(key(name), name)
    return names


def _candidates(
    nodes: dict[str, Node], words: NameWords, countries: Mapping[str, tuple[str, ...]]
) -> list[tuple[str, str, str, str]]:
    """(keep, alias, rule, why) for every pair an index proposes, each pair once (its
    first rule in the order short form, acronym, spelling, country), in a stable order;
    `countries`: each country's names in every language. A short
    form or an acronym must be the label of the node that would join: "Joe Biden",
    known also as "Biden", is no short form of "Hunter Biden"."""
    by_label: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_initials: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_sound: dict[tuple[str, tuple[str, ...]], set[str]] = defaultdict(set)
    by_letters: dict[tuple[str, str], set[str]] = defaultdict(set)
    names = {node_id: _names(node) for node_id, node in nodes.items()}
    for node_id, node in nodes.items():
        by_label[(node.type, key(node.label))].add(node_id)
        for name_key in names[node_id]:
            if initials(name_key, words):
                by_initials[(node.type, initials(name_key, words))].add(node_id)
            parts = tokens(name_key)
            # Words under SPELLED_LETTERS are never variants: their sounds would gather
            # thousands of short names in one bucket.
            if any(len(w) >= SPELLED_LETTERS for w in parts):
                by_sound[(node.type, tuple(sound_key(w) for w in parts))].add(node_id)
            by_letters[(node.type, _NOT_LETTER.sub("", name_key))].add(node_id)

    pairs: dict[frozenset[str], tuple[str, str, str, str]] = {}

    def propose(keep: str, alias: str, rule: str, why: str) -> None:
        if keep != alias:
            pairs.setdefault(frozenset((keep, alias)), (keep, alias, rule, why))

    for node_id in sorted(nodes):
        node = nodes[node_id]
        for name_key, name in sorted(names[node_id].items()):
            for part, first in _parts(name_key, node.type, words):
                for other in sorted(by_label.get((node.type, part), ())):
                    short = nodes[other].label
                    propose(node_id, other, "short form", f"{short!r} {'begins' if first else 'ends'} {name!r}")
        letters = acronym_letters(node.label)
        for other in sorted(by_initials.get((node.type, letters), ())) if letters else ():
            full = next(n for k, n in sorted(names[other].items()) if initials(k, words) == letters)
            propose(other, node_id, "acronym", f"{node.label!r} is the initials of {full!r}")
    for (entity_type, _), members in sorted(by_sound.items(), key=lambda item: repr(item[0])):
        for a, b in _within(members):
            why = _variant(names[a], names[b])
            if why is not None:
                propose(*_by_use(nodes[a], nodes[b]), "spelling", why)
    for (entity_type, letters), members in sorted(by_letters.items()):
        for a, b in _within(members):
            shown = sorted(n for n in (*names[a].values(), *names[b].values()) if _NOT_LETTER.sub("", key(n)) == letters)
            propose(*_by_use(nodes[a], nodes[b]), "spelling", f"{shown[0]!r} and {shown[-1]!r} have the same letters")
    for country, members in sorted(_by_country(nodes, countries).items()):
        for a, b in _within(members):
            keep, alias = _by_use(nodes[a], nodes[b])
            propose(keep, alias, "country", f"{nodes[keep].label!r} and {nodes[alias].label!r} both name {country}")
    return sorted(pairs.values(), key=lambda p: (p[0], p[1]))


def _by_country(nodes: dict[str, Node], countries: Mapping[str, tuple[str, ...]]) -> dict[str, set[str]]:
    """Each country -> the places going by one of its names (case folded)."""
    country_of: dict[str, str] = {}
    for country, names in sorted(countries.items()):
        for name in names:
            country_of.setdefault(name.casefold(), country)
    found: dict[str, set[str]] = defaultdict(set)
    for node_id, node in nodes.items():
        if node.type == "PLACE":
            for name in (node.label, *node.aliases):
                if name.casefold() in country_of:
                    found[country_of[name.casefold()]].add(node_id)
    return found


def _kind_words(nodes: dict[str, Node]) -> dict[str, list[str]]:
    """Each word of the organizations' and places' names -> the nodes whose names have it."""
    having: dict[str, list[str]] = defaultdict(list)
    for node_id, node in sorted(nodes.items()):
        if node.type != "PERSON":
            for word in sorted({w for name_key in _names(node) for w in tokens(name_key)}):
                having[word].append(node_id)
    return having


def _added_kind(
    keep: Node, alias: Node, nodes: dict[str, Node], kinds: dict[str, list[str]], words: NameWords
) -> str | None:
    """A word naming a kind of thing that `keep`'s name adds to `alias`'s, if any: one
    that another name has, not a part of `keep`'s own ("executive" of "IMF Executive
    Board", beside "UEFA Executive Committee"; not "packers" of "Green Bay Packers"
    beside "Packers"). People's first names are shared too ("John"): a person's name
    adds none."""
    if keep.type == "PERSON":
        return None
    full = f" {key(keep.label)} "
    short = {w for name_key in _names(alias) for w in tokens(name_key)}
    for word in tokens(key(keep.label)):
        if word in short or word in words.function_words:
            continue
        for other in kinds.get(word, ()):
            if other not in (keep.id, alias.id) and any(f" {k} " not in full for k in _names(nodes[other])):
                return word
    return None


def _parts(name_key: str, entity_type: str, words: NameWords) -> list[tuple[str, bool]]:
    """The short forms a name may stand under: its first and last words (one, two, ...
    up to all but one), with whether they open the name, none starting or ending with a
    joining word ("of the united nations") but a person's ("le goff" of "claire le
    goff"); for a person, the surname without its particle too ("sisi" of "al-sisi")."""
    found = tokens(name_key)
    person = entity_type == "PERSON"
    parts = []
    for size in range(1, len(found)):
        for part, first in ((found[:size], True), (found[-size:], False)):
            if person or (part[0] not in words.function_words and part[-1] not in words.function_words):
                parts.append((" ".join(part), first))
    if entity_type == "PERSON" and len(found) > 1:
        parts.extend((form, False) for form in surname_forms(name_key, words) if form != found[-1])
    return parts


def _within(members: set[str]) -> Iterable[tuple[str, str]]:
    ordered = sorted(members)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            yield a, b


def _variant(a: dict[str, str], b: dict[str, str]) -> str | None:
    """How two nodes' names are one name spelled two ways, word by word, if they are."""
    for key_a, name_a in sorted(a.items()):
        for key_b, name_b in sorted(b.items()):
            words_a, words_b = tokens(key_a), tokens(key_b)
            if key_a == key_b or len(words_a) != len(words_b):
                continue
            if all(x == y or spelling_variants(x, y) for x, y in zip(words_a, words_b)):
                return f"{name_a!r} and {name_b!r} are spelled alike"
    return None


def _by_use(a: Node, b: Node) -> tuple[str, str]:
    """(keep, alias): the more mentioned name is kept, else the longer."""
    ranked = sorted((a, b), key=lambda n: (-n.mentions, -len(n.label), n.label, n.id))
    return ranked[0].id, ranked[1].id

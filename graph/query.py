"""Questions answered from a built graph's store, without re-reading any text.

Input: an output directory (its `graph.db`), a store's path, a `Store`, or, for graphs
built elsewhere or before the store, a GraphML file (read into a store in memory) or a
networkx graph. Output: plain frozen dataclasses, ready to print as tables or JSON
(`to_dict`): `stats` (corpus figures, the top entities of each type, the strongest and the
most specific links, the most frequent typed relations, the largest communities and their
main members) and `neighbors` (who is linked to one entity, by weight or by npmi, with
its typed relations, its top phrase and one evidence sentence each).

Every answer is SQL over the store's indexes (`open_graph`): an entity by a name of its
(the `names` table, case folded) or by whole words of one (FTS5 where the interpreter's
SQLite has it), an entity's links by weight, the top entities of a type: none loads the
graph, so they stay fast at a million entities. Anything a graph lacks (npmi, sources,
centralities in a GraphML file from before them) is left out of the answer (None), never
guessed; ranking falls back from PageRank to mentions.

Names are matched ignoring case against every label and alias; a name that is no
entity's but is part of several (a surname shared by two people) is ambiguous, and the
candidates are listed rather than one picked.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import EntigraphError
from graph.export.graphml import GraphFileError, read_graphml
from graph.store import STORE_NAME, Store, StoreError
from graph.store.graphs import from_networkx
from graph.store.entities import fold

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "AmbiguousNameError", "Community", "Corpus", "EntitySummary", "Evidence", "GraphFileError", "Link", "Neighbor",
    "Neighbors", "QueryError", "RelationCount", "Stats", "UnknownEntityError", "find_entity", "neighbors",
    "open_graph", "stats",
]  # fmt: skip

# The fewest statements a link needs to be listed among the most specific (by npmi).
SPECIFIC_MIN_WEIGHT = 2
# Ways to order a node's links in `neighbors`.
ORDERS = ("weight", "npmi")
MEMBERS_SHOWN = 5
CANDIDATES_SHOWN = 10
# Names compared for "did you mean": those sharing a word's first letters with the name.
NEAR_CANDIDATES = 2_000


class UnknownEntityError(EntigraphError):
    """No entity has the name asked for."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.suggestions = suggestions


class AmbiguousNameError(EntigraphError):
    """The name asked for could be several entities; `candidates` are their labels."""

    def __init__(self, message: str, candidates: tuple[str, ...]) -> None:
        super().__init__(message)
        self.candidates = candidates


class QueryError(EntigraphError):
    """The question cannot be answered from this graph (an order it has no data for)."""


@dataclass(frozen=True)
class EntitySummary:
    id: str
    label: str
    type: str
    mentions: int
    documents: int
    degree: int | None
    pagerank: float | None
    betweenness: float | None
    community: int | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Evidence:
    doc_id: str
    text: str


@dataclass(frozen=True)
class RelationCount:
    """A typed relation of a link: its role, its ends' labels in its direction, its count."""

    role: str
    source: str
    target: str
    count: int


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    weight: float
    documents: int
    sources: int | None
    npmi: float | None
    evidence: Evidence | None
    relations: tuple[RelationCount, ...] = ()
    # The most frequent linking phrase, when the graph has phrases.
    phrase: str | None = None


@dataclass(frozen=True)
class Community:
    number: int
    size: int
    members: tuple[str, ...]


@dataclass(frozen=True)
class Corpus:
    documents: int | None
    entities: int
    links: int
    mentions: int
    communities: int
    types: dict[str, int]


@dataclass(frozen=True)
class Stats:
    corpus: Corpus
    ranked_by: str
    top_entities: dict[str, tuple[EntitySummary, ...]]
    strongest_links: tuple[Link, ...]
    specific_links: tuple[Link, ...]
    communities: tuple[Community, ...]
    # The most frequent typed relations over every link.
    relations: tuple[RelationCount, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Neighbor:
    entity: EntitySummary
    link: Link


@dataclass(frozen=True)
class Neighbors:
    entity: EntitySummary
    by: str
    total: int
    neighbors: tuple[Neighbor, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def open_graph(source: Store | nx.Graph | str | Path) -> tuple[Store, str]:
    """The store to answer from, and how to name it in messages: an output directory or a
    `graph.db` (read only), a GraphML file or a networkx graph (loaded into a store in
    memory). StoreError or GraphFileError say in one line why one cannot be read."""
    if isinstance(source, Store):
        return source, str(source.path or "the graph")
    if not isinstance(source, (str, Path)):
        return from_networkx(source), "the graph"
    path = Path(source)
    if path.is_dir():
        return Store.read(path / STORE_NAME), str(path)
    if path.suffix.lower() in (".graphml", ".xml"):
        return from_networkx(read_graphml(path)), str(path)
    if not path.exists():
        raise StoreError(f"no graph at {path}: name an output directory of `entigraph build`, its graph.db or a GraphML file")
    return Store.read(path), str(path)


_SUMMARY = "e.entity, e.id, e.label, e.type, e.mentions, e.documents, e.degree, e.pagerank, e.betweenness, e.community"


def stats(source: Store | nx.Graph | str | Path, *, top: int = 5) -> Stats:
    """Corpus figures and the `top` entities of each type, links and communities of the
    graph `source`."""
    store, _ = open_graph(source)
    ranked_by = "pagerank" if store.value(
        "SELECT count(*) FROM entities WHERE pagerank IS NULL"
    ) == 0 and store.value("SELECT count(*) FROM entities") else "mentions"  # fmt: skip
    order = "e.pagerank DESC, e.mentions DESC, e.label" if ranked_by == "pagerank" else "e.mentions DESC, e.label"
    types = dict(store.rows("SELECT type, count(*) FROM entities GROUP BY type ORDER BY type"))
    top_entities = {
        kind: tuple(_summaries(store, f"SELECT {_SUMMARY} FROM entities e WHERE e.type = ? ORDER BY {order} LIMIT ?",
                               (kind, top)))  # fmt: skip
        for kind in types
    }
    ends = "JOIN entities a ON a.entity = l.source JOIN entities b ON b.entity = l.target"
    labels = "min(a.label, b.label), max(a.label, b.label)"
    strongest = _links(store, f"SELECT l.source, l.target FROM links l {ends} WHERE l.kept "
                              f"ORDER BY l.weight DESC, l.documents DESC, {labels} LIMIT ?", (top,))  # fmt: skip
    # A pair named together once scores npmi 1 by chance; specific links are repeated ones.
    specific = _links(store, f"SELECT l.source, l.target FROM links l {ends} WHERE l.kept AND l.npmi IS NOT NULL "
                             f"AND l.weight >= ? ORDER BY l.npmi DESC, l.weight DESC, {labels} LIMIT ?",
                      (SPECIFIC_MIN_WEIGHT, top))  # fmt: skip
    communities = []
    for number, size in store.rows(
        "SELECT community, count(*) FROM entities WHERE community IS NOT NULL GROUP BY community "
        "ORDER BY count(*) DESC, community LIMIT ?", (top,),
    ):
        members = [s.label for s in _summaries(
            store, f"SELECT {_SUMMARY} FROM entities e WHERE e.community = ? ORDER BY {order} LIMIT ?", (number, MEMBERS_SHOWN)
        )]  # fmt: skip
        communities.append(Community(number, size, tuple(members)))
    corpus = Corpus(
        documents=store.meta("documents"),
        entities=store.value("SELECT count(*) FROM entities", default=0),
        links=store.value("SELECT count(*) FROM links WHERE kept", default=0),
        mentions=store.value("SELECT sum(mentions) FROM entities", default=0),
        communities=store.value("SELECT count(DISTINCT community) FROM entities", default=0),
        types=types,
    )
    typed = tuple(
        RelationCount(role, source, target, count)
        for role, source, target, count in store.rows(
            "SELECT r.role, f.label, t.label, r.statements FROM link_relations r JOIN links l USING (source, target) "
            "JOIN entities f ON f.entity = r.from_entity JOIN entities t ON t.entity = r.to_entity "
            "WHERE l.kept AND r.role != '' ORDER BY r.statements DESC, r.role, f.label, t.label LIMIT ?", (top,),
        )
    )  # fmt: skip
    return Stats(corpus, ranked_by, top_entities, tuple(strongest), tuple(specific), tuple(communities), typed)


def neighbors(source: Store | nx.Graph | str | Path, name: str, *, by: str = "weight", limit: int = 10) -> Neighbors:
    """The entities linked to the one called `name` in `source`, strongest (or most
    specific) first, at most `limit`."""
    if by not in ORDERS:
        raise QueryError(f"unknown order {by!r}; choose from {', '.join(ORDERS)}")
    store, where = open_graph(source)
    entity = _find(store, name, where)
    total = store.value(
        "SELECT count(*) FROM links WHERE kept AND (source = ? OR target = ?)", (entity, entity), default=0
    )
    if by == "npmi":
        if store.value(
            "SELECT count(*) FROM links WHERE kept AND (source = ? OR target = ?) AND npmi IS NULL", (entity, entity)
        ):  # fmt: skip
            raise QueryError(f"the links in {where} carry no npmi (built before it existed): order by weight")
        order = "l.npmi DESC, l.weight DESC, o.label"
    else:
        order = "l.weight DESC, l.documents DESC, o.label"
    pairs = list(store.rows(
        "SELECT l.source, l.target, o.entity FROM links l JOIN entities o ON o.entity = "
        f"CASE WHEN l.source = ? THEN l.target ELSE l.source END WHERE l.kept AND (l.source = ? OR l.target = ?) "
        f"ORDER BY {order} LIMIT ?",
        (entity, entity, entity, limit),
    ))  # fmt: skip
    summaries = {s[0]: s[1] for s in _summaries_by_number(store, [entity, *(other for _, _, other in pairs)])}
    links = _link_rows(store, [(s, t) for s, t, _ in pairs])
    shown = tuple(Neighbor(summaries[other], links[(s, t)]) for s, t, other in pairs)
    return Neighbors(summaries[entity], by, total, shown)


def find_entity(source: Store | nx.Graph | str | Path, name: str, *, where: str | None = None) -> str:
    """The id of the one entity `name` (any case) names.

    Its label or an alias equal to `name` wins; failing that, an entity whose label or
    alias holds `name` as whole words ("biden" in "Joe Biden"). Several entities either
    way raise AmbiguousNameError; none raises UnknownEntityError with near spellings.
    """
    store, named = open_graph(source)
    entity = _find(store, name, where or named)
    return store.value("SELECT id FROM entities WHERE entity = ?", (entity,))


def _find(store: Store, name: str, where: str) -> int:
    wanted = fold(name)
    if not wanted:
        raise UnknownEntityError("no entity has an empty name")
    exact = [e for (e,) in store.rows("SELECT DISTINCT entity FROM names WHERE folded = ?", (wanted,))]
    if not exact:
        words = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
        exact = sorted({e for e, folded in _word_candidates(store, wanted) if words.search(folded)})
    if len(exact) == 1:
        return exact[0]
    if exact:
        ranked = sorted(
            store.rows(
                f"SELECT entity, label, type, mentions, id FROM entities WHERE entity IN ({','.join('?' * len(exact))})",
                exact,
            ),
            key=lambda r: (-r[3], r[4]),
        )
        shown = tuple(f"{label} ({kind})" for _, label, kind, _, _ in ranked[:CANDIDATES_SHOWN])
        more = f" and {len(ranked) - CANDIDATES_SHOWN} more" if len(ranked) > CANDIDATES_SHOWN else ""
        raise AmbiguousNameError(f"{name!r} could be {len(ranked)} entities in {where}: {', '.join(shown)}{more}", shown)
    labels = _near(store, wanted)
    hint = f"; did you mean {', '.join(labels)}?" if labels else ""
    raise UnknownEntityError(f"no entity named {name!r} in {where}{hint}", labels)


def _word_candidates(store: Store, wanted: str) -> list[tuple[int, str]]:
    """(entity, folded name) of the names that may hold `wanted` as whole words: from the
    word index where there is one, else every name holding its text."""
    if store.search:
        words = re.findall(r"\w+", wanted)
        if words:
            query = " ".join('"' + w.replace('"', '""') + '"' for w in words)
            return list(store.rows(
                "SELECT n.entity, n.folded FROM name_search s JOIN names n ON n.number = s.rowid "
                "WHERE name_search MATCH ?", (query,),
            ))  # fmt: skip
    return list(store.rows("SELECT entity, folded FROM names WHERE instr(folded, ?) > 0", (wanted,)))


def _near(store: Store, wanted: str) -> tuple[str, ...]:
    """Labels of the entities with names spelled close to `wanted`: compared among the
    names sharing the first letters of one of its words (or every name in a small graph)."""
    if store.value("SELECT count(*) FROM names", default=0) <= NEAR_CANDIDATES or not store.search:
        names = list(store.rows("SELECT entity, folded FROM names LIMIT ?", (NEAR_CANDIDATES * 10,)))
    else:
        heads = [w[:2] for w in re.findall(r"\w+", wanted) if len(w) >= 2]
        query = " OR ".join(f'"{h}"*' for h in heads) or '""'
        names = list(store.rows(
            "SELECT n.entity, n.folded FROM name_search s JOIN names n ON n.number = s.rowid "
            "WHERE name_search MATCH ? LIMIT ?", (query, NEAR_CANDIDATES),
        ))  # fmt: skip
    every = sorted({folded for _, folded in names})
    close = difflib.get_close_matches(wanted, every, n=5, cutoff=0.75)
    found: list[str] = []
    for form in close:
        for entity, folded in sorted(names, key=lambda n: n[0]):
            if folded == form:
                label = store.value("SELECT label FROM entities WHERE entity = ?", (entity,))
                if label not in found:
                    found.append(label)
    return tuple(found)


def _summaries(store: Store, sql: str, parameters: tuple) -> list[EntitySummary]:
    rows = list(store.rows(sql, parameters))
    aliases = _aliases(store, [r[0] for r in rows])
    return [_summary(row, aliases.get(row[0], ())) for row in rows]


def _summaries_by_number(store: Store, entities: list[int]) -> list[tuple[int, EntitySummary]]:
    rows = list(store.rows(
        f"SELECT {_SUMMARY} FROM entities e WHERE e.entity IN ({','.join('?' * len(entities))})", entities
    ))  # fmt: skip
    aliases = _aliases(store, entities)
    return [(row[0], _summary(row, aliases.get(row[0], ()))) for row in rows]


def _aliases(store: Store, entities: list[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for entity, alias in store.rows(
        f"SELECT entity, alias FROM aliases WHERE entity IN ({','.join('?' * len(entities))}) ORDER BY entity, alias",
        entities,
    ):
        found.setdefault(entity, []).append(alias)
    return {e: tuple(a) for e, a in found.items()}


def _summary(row: tuple, aliases: tuple[str, ...]) -> EntitySummary:
    _, entity_id, label, kind, mentions, documents, degree, pagerank, betweenness, community = row
    return EntitySummary(entity_id, label, kind, mentions, documents, degree, pagerank, betweenness, community, aliases)


def _links(store: Store, sql: str, parameters: tuple) -> list[Link]:
    pairs = list(store.rows(sql, parameters))
    found = _link_rows(store, pairs)
    return [found[pair] for pair in pairs]


def _link_rows(store: Store, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], Link]:
    """Each link of `pairs` with its first evidence, its typed relations and top phrase."""
    found = {}
    for source, target in pairs:
        label_a, label_b, weight, documents, sources, score = store.execute(
            "SELECT a.label, b.label, l.weight, l.documents, l.sources, l.npmi FROM links l "
            "JOIN entities a ON a.entity = l.source JOIN entities b ON b.entity = l.target "
            "WHERE l.source = ? AND l.target = ?", (source, target),
        ).fetchone()  # fmt: skip
        first = store.execute(
            "SELECT d.doc_id, e.text FROM evidence e JOIN documents d USING (doc) WHERE e.source = ? AND e.target = ? "
            "ORDER BY e.rank LIMIT 1", (source, target),
        ).fetchone()  # fmt: skip
        relations = store.rows(
            "SELECT r.role, r.phrase, f.label, t.label, r.statements, f.id, t.id FROM link_relations r "
            "JOIN entities f ON f.entity = r.from_entity JOIN entities t ON t.entity = r.to_entity "
            "WHERE r.source = ? AND r.target = ?", (source, target),
        )  # fmt: skip
        ranked = sorted(relations, key=lambda r: (-r[4], r[0], r[1], r[5], r[6]))
        phrase = next((r[1] for r in ranked if r[1]), None)
        a, b = sorted((label_a, label_b))
        found[(source, target)] = Link(
            a, b, float(weight), documents, sources, score, Evidence(*first) if first else None,
            tuple(RelationCount(r[0], r[2], r[3], r[4]) for r in ranked if r[0]), phrase,
        )  # fmt: skip
    return found

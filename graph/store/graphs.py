"""The store as a networkx graph, and a networkx graph as a store: reader and writer together.

Job: hand Python users (and the exporters that lay a graph out) the graph a store holds,
as the `nx.Graph` the project has always described, and load a graph made elsewhere (by
hand, or read back from a GraphML file) into a store, so that every exporter and query
works from one place.
Input: a `Store` (optionally only some of its entities), or an `nx.Graph`. Output: an
`nx.Graph` whose nodes are entity ids with `label`, `type`, `mentions`, `documents`,
`sources`, `aliases`, `merges`, `color`, `community`, `degree`, `weighted_degree`,
`pagerank`, `betweenness` and, when dated, `first_seen`/`last_seen`; whose edges carry
`weight`, `documents`, `sources`, `npmi`, dates, `evidence` (`Evidence`s), `relations` and
`phrases` (`LinkRelation`s, most frequent first; the PHRASES_KEPT first phrases); graph
attributes `documents`, `statements`, `window`. Nodes come sorted by id, edges by their
ends' ids. Or a `Store` in memory holding such a graph (what it lacks is left empty).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from graph.edges import PHRASES_KEPT
from graph.model import TYPE_COLORS, Entity, Evidence, LinkRelation, Resolution
from graph.store import Store
from graph.store.entities import write_names

if TYPE_CHECKING:
    import networkx as nx

# Colour of a type the project does not know (a graph made elsewhere).
UNKNOWN_COLOR = "#9c9c9c"


def to_networkx(store: Store, entities: Collection[int] | None = None, *, only_kept: bool = True) -> nx.Graph:
    """The graph the store holds (its `kept` links), or the part of it among `entities`."""
    import networkx as nx

    graph = nx.Graph()
    for name in ("documents", "statements", "window"):
        value = store.meta(name)
        if value is not None:
            graph.graph[name] = value
    where = ""
    if entities is not None:
        store.fill("wanted", "entity INTEGER PRIMARY KEY", ((e,) for e in entities))
        where = "WHERE entity IN (SELECT entity FROM wanted)"
    ids: dict[int, str] = {}
    aliases, merges = aliases_and_merges(store, where)
    for row in store.rows(
        "SELECT entity, id, label, type, mentions, documents, sources, first_seen, last_seen, community, degree, "
        f"weighted_degree, pagerank, betweenness FROM entities {where} ORDER BY id"
    ):
        entity, node = row[0], row[1]
        ids[entity] = node
        graph.add_node(node, **node_attributes(row, aliases.get(entity, ()), merges.get(entity, ())))
    # (unary + keeps SQLite from looking the pairs up as wanted x wanted: quadratic)
    linked = "AND +links.source IN (SELECT entity FROM wanted) AND +links.target IN (SELECT entity FROM wanted)" if where else ""
    kept = "links.kept" if only_kept else "1"
    evidence: dict[tuple[int, int], list[Evidence]] = {}
    for source, target, doc_id, start, end, text in store.rows(
        "SELECT e.source, e.target, d.doc_id, e.start, e.end, e.text FROM evidence e JOIN documents d USING (doc) "
        f"JOIN links USING (source, target) WHERE {kept} {linked} ORDER BY e.source, e.target, e.rank"
    ):
        evidence.setdefault((source, target), []).append(Evidence(doc_id, start, end, text))
    relations: dict[tuple[int, int], list[LinkRelation]] = {}
    for source, target, role, phrase, from_entity, to_entity, count, doc_id, start, end, text in store.rows(
        "SELECT r.source, r.target, r.role, r.phrase, r.from_entity, r.to_entity, r.statements, d.doc_id, r.start, "
        "r.end, r.text FROM link_relations r JOIN documents d USING (doc) JOIN links USING (source, target) "
        f"WHERE {kept} {linked}"
    ):
        relations.setdefault((source, target), []).append(LinkRelation(
            role, phrase, ids[from_entity], ids[to_entity], count, Evidence(doc_id, start, end, text)
        ))  # fmt: skip
    edges = []
    for source, target, weight, documents, sources, score, first, last in store.rows(
        "SELECT source, target, weight, documents, sources, npmi, first_seen, last_seen FROM links "
        f"WHERE {kept} {linked}"
    ):
        u, v = sorted((ids[source], ids[target]))
        data: dict[str, Any] = {"weight": float(weight), "documents": documents}
        data.update({k: v for k, v in (("sources", sources), ("npmi", score)) if v is not None})
        if first is not None:
            data.update(first_seen=first, last_seen=last)
        data["evidence"] = tuple(evidence.get((source, target), ()))
        found = sorted(
            relations.get((source, target), ()), key=lambda r: (-r.count, r.role, r.phrase, r.source, r.target)
        )
        data["relations"] = tuple(r for r in found if r.role)
        data["phrases"] = tuple(r for r in found if r.phrase)[:PHRASES_KEPT]
        edges.append((u, v, data))
    edges.sort(key=lambda e: (e[0], e[1]))
    graph.add_edges_from(edges)
    return graph


def aliases_and_merges(store: Store, where: str = "") -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Each entity's aliases (sorted) and merge lines (in order), of the entities `where`
    (a WHERE clause on `entity`) picks."""
    aliases: dict[int, list[str]] = {}
    for entity, alias in store.rows(f"SELECT entity, alias FROM aliases {where} ORDER BY entity, alias"):
        aliases.setdefault(entity, []).append(alias)
    merges: dict[int, list[str]] = {}
    for entity, line in store.rows(f"SELECT entity, merge FROM merges {where} ORDER BY entity, number"):
        merges.setdefault(entity, []).append(line)
    return aliases, merges


def node_attributes(row: tuple, aliases: Collection[str], merges: Collection[str]) -> dict[str, Any]:
    """A node's attributes from its `entities` row (entity, id, label, type, mentions,
    documents, sources, first_seen, last_seen, community, degree, weighted_degree,
    pagerank, betweenness), its aliases and merges."""
    _, _, label, kind, mentions, documents, sources, first, last, community, degree, strength, pagerank, between = row
    data: dict[str, Any] = {
        "label": label, "type": kind, "mentions": mentions, "documents": documents,
        "aliases": tuple(aliases), "merges": tuple(merges), "color": TYPE_COLORS.get(kind, UNKNOWN_COLOR),
    }  # fmt: skip
    if sources is not None:
        data["sources"] = sources
    if first is not None:
        data.update(first_seen=first, last_seen=last)
    for name, value in (("community", community), ("degree", degree), ("weighted_degree", strength),
                        ("pagerank", pagerank), ("betweenness", between)):  # fmt: skip
        if value is not None:
            data[name] = value
    return data


def resolution_of(store: Store) -> Resolution:
    """The store's resolution as the resolver hands it out: entities by id, and the entity
    of every kept mention by (doc_id, start, end)."""
    aliases: dict[int, list[str]] = {}
    for entity, alias in store.rows("SELECT entity, alias FROM aliases ORDER BY entity, alias"):
        aliases.setdefault(entity, []).append(alias)
    merges: dict[int, list[str]] = {}
    for entity, line in store.rows("SELECT entity, merge FROM merges ORDER BY entity, number"):
        merges.setdefault(entity, []).append(line)
    entities = {
        entity_id: Entity(entity_id, label, kind, tuple(aliases.get(entity, ())), tuple(merges.get(entity, ())))
        for entity, entity_id, label, kind in store.rows("SELECT entity, id, label, type FROM entities ORDER BY label, type, id")
    }
    links = {
        (doc_id, start, end): entity_id
        for doc_id, start, end, entity_id in store.rows(
            "SELECT d.doc_id, m.start, m.end, e.id FROM mentions m JOIN documents d USING (doc) "
            "JOIN entities e USING (entity) ORDER BY d.position, m.start"
        )
    }
    return Resolution(entities, links)


def countries_of(store: Store) -> dict[str, str]:
    """Country (as the demonym table names it) -> the id of the place entity going by one
    of its names, for the countries the corpus names."""
    return dict(store.rows("SELECT c.country, e.id FROM countries c JOIN entities e USING (entity) ORDER BY c.country"))


def as_store(source: Store | nx.Graph) -> Store:
    """`source` if it is a store, else the graph loaded into one (see `from_networkx`)."""
    return source if isinstance(source, Store) else from_networkx(source)


def from_networkx(graph: nx.Graph) -> Store:
    """A store in memory holding `graph` (nodes with at least a label or an id, edges with
    at least a weight), for the exporters and queries: a graph read back from a GraphML
    file, or one made by hand. Evidence names its documents by id; each becomes a row of
    `documents` with no text."""
    store = Store.memory()
    number = {node: position + 1 for position, node in enumerate(sorted(graph, key=str))}
    docs: dict[str, int] = {}

    def doc(doc_id: str) -> int:
        if doc_id not in docs:
            docs[doc_id] = len(docs) + 1
            store.execute(
                "INSERT INTO documents (doc, doc_id, position, text_sha256, source, sentences) VALUES (?, ?, ?, x'', '', 0)",
                (docs[doc_id], doc_id, docs[doc_id] - 1),
            )
        return docs[doc_id]

    with store.transaction():
        for name in ("documents", "statements", "window"):
            if graph.graph.get(name) is not None:
                store.set_meta(name, graph.graph[name])
        for node, data in graph.nodes(data=True):
            entity = number[node]
            store.execute(
                "INSERT INTO entities (entity, name_key, id, label, type, mentions, documents, sources, statements, "
                "first_seen, last_seen, community, degree, weighted_degree, pagerank, betweenness) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (entity, str(node), str(node), str(data.get("label", node)), str(data.get("type", "")),
                 int(data.get("mentions", 0)), int(data.get("documents", 0)), _optional(data.get("sources"), int), 0,
                 data.get("first_seen"), data.get("last_seen"), _optional(data.get("community"), int),
                 _optional(data.get("degree"), int), _optional(data.get("weighted_degree"), float),
                 _optional(data.get("pagerank"), float), _optional(data.get("betweenness"), float)),
            )  # fmt: skip
            aliases = [str(a) for a in data.get("aliases", ())]
            store.executemany("INSERT OR IGNORE INTO aliases VALUES (?, ?)", ((entity, a) for a in aliases))
            write_names(store, entity, (str(data.get("label", node)), *aliases))
            store.executemany(
                "INSERT INTO merges VALUES (?, ?, ?)", ((entity, i, str(m)) for i, m in enumerate(data.get("merges", ())))
            )
        for u, v, data in graph.edges(data=True):
            source, target = sorted((number[u], number[v]))
            store.execute(
                "INSERT INTO links VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
                (source, target, float(data.get("weight", 1.0)), int(data.get("documents", 0)),
                 _optional(data.get("sources"), int), _optional(data.get("npmi"), float),
                 data.get("first_seen"), data.get("last_seen")),
            )  # fmt: skip
            for rank, example in enumerate(data.get("evidence", ())):
                store.execute(
                    "INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (source, target, rank, doc(example.doc_id), int(example.start), int(example.end), str(example.text)),
                )
            for relation in (*data.get("relations", ()), *data.get("phrases", ())):
                example = relation.example
                store.execute(
                    "INSERT OR IGNORE INTO link_relations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (source, target, relation.role, relation.phrase, number[relation.source], number[relation.target],
                     relation.count, doc(example.doc_id), example.start, example.end, example.text),
                )  # fmt: skip
    return store


def _optional(value: Any, kind: type) -> Any:
    return None if value is None or value == "" else kind(value)

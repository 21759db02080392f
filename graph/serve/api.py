"""The served view's questions to the store, each one bounded: search, an entity, its
neighbours, a link's evidence, the documents' histogram and the opening window.

Job: answer the JSON API of `entigraph serve` (docs/serve.md) with SQL over the store.
Input: a `Store` opened read-only and the request's parameters, already parsed.
Output: JSON-ready dicts; `NotFound` for an id the store does not hold.

Every query reads a page through an index with LIMIT: an entity's links strongest first
come from `links_source_weight`/`links_target_weight`, search from `names_folded` and
the FTS5 word index, the opening window from `entities_mentions`. Nothing is loaded
whole: the server's memory does not grow with the graph. Dates travel as ISO strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from graph.export.paragraphs import evidence_paragraphs
from graph.export.view_data import COMMUNITY_COLORS, UNKNOWN_TYPE_COLOR, relation_order, relation_rows, time_histogram
from graph.layout import layout
from graph.errors import EntigraphError
from graph.model import TYPE_COLORS, Evidence, LinkRelation
from graph.store import Store
from graph.store.entities import fold

# Entities the view draws when it opens: the most mentioned, laid out here (physics off).
OPENING = 300
# Links read per opening entity when finding the links among them (its strongest).
OPENING_LINKS_EACH = 40
# Names gathered for a prefix before ranking them by mentions; past it the prefix is a
# common one, and the entities are walked by mentions instead (the first hits are the top).
# Each gathered name costs a random read of its entity (~10 us at 1M entities), each step
# of the walk a read among the most mentioned, which stay cached (~2 us): at 1M entities
# search p95 was 12 ms from 500 to 2,000 here, 36 ms at 4,000.
PREFIX_CANDIDATES = 1_000
# Aliases and merge lines sent per entity (a hub of a big corpus can have hundreds).
NAMES_SENT = 50
RELATIONS_SENT = 20
LARGEST_PAGE = 200

ENTITY_COLUMNS = (
    "entity, id, label, type, mentions, documents, weighted_degree, community, pagerank, betweenness, "
    "degree, first_seen, last_seen"
)


class NotFound(EntigraphError):
    """The request names an entity, link or merge the store does not hold."""


class BadRequest(EntigraphError):
    """A parameter the API cannot read (a negative page, an unknown type...)."""


@dataclass(frozen=True)
class NeighbourFilter:
    """Which neighbours a page lists: of these types (empty: every type), links at least
    `min_weight` heavy, seen within `start`..`end` (ISO dates, either may be open)."""

    types: tuple[str, ...] = ()
    min_weight: float = 0.0
    start: str | None = None
    end: str | None = None


# ---- entities ---------------------------------------------------------------------


def entity_number(store: Store, entity_id: str) -> int:
    number = store.value("SELECT entity FROM entities WHERE id = ?", (entity_id,))
    if number is None:
        raise NotFound(f"no entity with id {entity_id!r}")
    return int(number)


def entity(store: Store, entity_id: str) -> dict[str, Any]:
    """An entity: its attributes, aliases, merge lines, and the relations it takes part in."""
    number = entity_number(store, entity_id)
    found = summaries(store, [number])[number]
    found["relations"] = [
        {"role": role, "from": a, "to": b, "statements": statements}
        for role, a, b, statements in store.rows(
            "SELECT r.role, f.id, t.id, r.statements FROM link_relations r "
            "JOIN entities f ON f.entity = r.from_entity JOIN entities t ON t.entity = r.to_entity "
            "WHERE r.source = ?1 OR r.target = ?1 ORDER BY r.statements DESC, r.role LIMIT ?2",
            (number, RELATIONS_SENT),
        )
    ]
    return found


def summaries(store: Store, numbers: list[int]) -> dict[int, dict[str, Any]]:
    """Entity number -> what the view shows of it (see view-data-served.js)."""
    marks = ",".join("?" * len(numbers))
    names: dict[tuple[str, int], list[str]] = {}
    # one query per kind for the whole page, not two per entity
    for kind, sql in (
        ("aliases", f"SELECT entity, alias FROM aliases WHERE entity IN ({marks}) ORDER BY entity, alias"),
        ("merges", f"SELECT entity, merge FROM merges WHERE entity IN ({marks}) ORDER BY entity, number"),
    ):
        for number, name in store.rows(sql, numbers):
            listed = names.setdefault((kind, number), [])
            if len(listed) < NAMES_SENT:
                listed.append(name)
    found: dict[int, dict[str, Any]] = {}
    for row in store.rows(f"SELECT {ENTITY_COLUMNS} FROM entities WHERE entity IN ({marks})", numbers):
        number, node, label, kind, mentions, documents, strength, community, pagerank, between, degree, first, last = row
        found[number] = {
            "id": node, "label": label, "type": kind, "mentions": mentions, "documents": documents,
            "strength": round(float(strength or 0), 3), "community": community, "pagerank": pagerank,
            "betweenness": between, "degree": degree, "first": first, "last": last,
            "aliases": names.get(("aliases", number), []), "merges": names.get(("merges", number), []),
        }  # fmt: skip
    return found


# ---- search -----------------------------------------------------------------------


def search(store: Store, query: str, limit: int) -> dict[str, Any]:
    """Entities by name or alias, case-insensitively: the exact name, then names starting
    with the query, then names with a word starting with it; each group by mentions."""
    wanted = fold(query)
    found: list[tuple[int, str, str]] = []  # (entity, name, how)
    if wanted:
        taken: set[int] = set()
        groups: tuple[tuple[str, Callable[[], Iterable[tuple[int, str]]]], ...] = (
            ("exact", lambda: store.rows(
                "SELECT n.entity, n.name FROM names n JOIN entities e USING (entity) WHERE n.folded = ? "
                "ORDER BY e.mentions DESC, e.id LIMIT ?", (wanted, limit))),
            ("prefix", lambda: _prefixed(store, wanted, limit)),
            ("inside", lambda: _word_prefixed(store, wanted, limit)),
        )  # fmt: skip
        for how, rows in groups:  # a later group is asked only when the earlier ones fall short
            for number, name in rows():
                if len(found) < limit and number not in taken:
                    taken.add(number)
                    found.append((number, name, how))
            if len(found) >= limit:
                break
    about = summaries(store, [number for number, _, _ in found]) if found else {}
    return {"query": query, "results": [{"entity": about[n], "name": name, "how": how} for n, name, how in found]}


def _prefixed(store: Store, wanted: str, limit: int) -> list[tuple[int, str]]:
    upper = wanted + "\U0010ffff"
    # counted on the index alone first: a common prefix skips gathering its names
    common = store.value(
        "SELECT count(*) FROM (SELECT 1 FROM names WHERE folded >= ? AND folded < ? LIMIT ?)",
        (wanted, upper, PREFIX_CANDIDATES),
    ) >= PREFIX_CANDIDATES
    if not common:
        # an entity may have two names with the prefix: ask for more than a page
        return list(store.rows(
            "SELECT n.entity, n.name FROM names n JOIN entities e USING (entity) "
            "WHERE n.folded >= ? AND n.folded < ? AND n.folded != ? ORDER BY e.mentions DESC, e.id LIMIT ?",
            (wanted, upper, wanted, 2 * limit),
        ))  # fmt: skip
    # A common prefix: walking the entities most mentioned first finds the top ones at once.
    return list(store.rows(
        "SELECT e.entity, (SELECT n.name FROM names n WHERE n.entity = e.entity AND n.folded >= ?1 "
        "AND n.folded < ?2 LIMIT 1) AS name FROM entities e INDEXED BY entities_mentions "
        "WHERE name IS NOT NULL ORDER BY e.mentions DESC LIMIT ?3",
        (wanted, upper, limit),
    ))  # fmt: skip


def _word_prefixed(store: Store, wanted: str, limit: int) -> list[tuple[int, str]]:
    words = wanted.split()
    if not store.search or not words:
        return []
    query = " ".join('"' + w.replace('"', '""') + '"' for w in words) + "*"
    return list(store.rows(
        "SELECT n.entity, n.name FROM (SELECT rowid FROM name_search WHERE name_search MATCH ? LIMIT ?) s "
        "JOIN names n ON n.number = s.rowid JOIN entities e ON e.entity = n.entity ORDER BY e.mentions DESC, e.id LIMIT ?",
        (query, PREFIX_CANDIDATES, 2 * limit),
    ))  # fmt: skip


# ---- neighbours and evidence ----------------------------------------------------------


def neighbours(store: Store, entity_id: str, offset: int, limit: int, where: NeighbourFilter) -> dict[str, Any]:
    """A page of an entity's links, strongest first (then by the other's number), with
    the entity at the other end; `more` says whether another page follows."""
    _page(offset, limit)
    number = entity_number(store, entity_id)
    conditions, parameters = ["kept = 1", "weight >= :weight"], {"e": number, "weight": where.min_weight}
    if where.start is not None:
        conditions.append("last_seen >= :start")
        parameters["start"] = where.start
    if where.end is not None:
        conditions.append("first_seen <= :end")
        parameters["end"] = where.end
    if where.types:
        marks = ", ".join(f":t{i}" for i in range(len(where.types)))
        parameters.update({f"t{i}": t for i, t in enumerate(where.types)})
        typed = f" AND (SELECT type FROM entities WHERE entity = other) IN ({marks})"
    else:
        typed = ""
    kept = " AND ".join(conditions)
    rows = list(store.rows(
        f"SELECT * FROM ({_links_of(kept)}) WHERE 1 {typed} ORDER BY weight DESC, other LIMIT :limit OFFSET :offset",
        {**parameters, "limit": limit + 1, "offset": offset},
    ))  # fmt: skip
    more = len(rows) > limit
    rows = rows[:limit]
    about = summaries(store, [r[0] for r in rows]) if rows else {}
    total = store.value("SELECT degree FROM entities WHERE entity = ?", (number,))
    return {
        "entity": entity_id, "offset": offset, "more": more, "total": total,
        "neighbours": [
            {"other": about[other], "link": _link(entity_id, about[other]["id"], weight, docs, sources, npmi, first, last)}
            for other, weight, docs, sources, npmi, first, last in rows
        ],
    }  # fmt: skip


def evidence(store: Store, first_id: str, second_id: str, offset: int, limit: int) -> dict[str, Any]:
    """A page of a link's evidence, each statement with its document, date and paragraph
    (the names in it marked with their entities)."""
    _page(offset, limit)
    a, b = sorted((entity_number(store, first_id), entity_number(store, second_id)))
    row = store.execute(
        "SELECT weight, documents, sources, npmi, first_seen, last_seen FROM links WHERE source = ? AND target = ?",
        (a, b),
    ).fetchone()
    if row is None:
        raise NotFound(f"no link between {first_id!r} and {second_id!r}")
    statements = list(store.rows(
        "SELECT d.doc_id, d.date, v.start, v.end, v.text FROM evidence v JOIN documents d USING (doc) "
        "WHERE v.source = ? AND v.target = ? ORDER BY v.rank LIMIT ? OFFSET ?", (a, b, limit + 1, offset),
    ))  # fmt: skip
    more = len(statements) > limit
    statements = statements[:limit]
    paragraphs = evidence_paragraphs(store, [Evidence(doc, start, end, text) for doc, _, start, end, text in statements])
    marked = sorted({m[2] for p in paragraphs.values() for m in p.marks})
    numbers = [n for (n,) in store.rows(
        f"SELECT entity FROM entities WHERE id IN ({','.join('?' * len(marked))})", marked)] if marked else []
    ids = sorted({first_id, second_id})
    items = []
    for doc, day, start, end, text in statements:
        found = paragraphs.get((doc, start))
        paragraph = None if found is None else {
            "start": found.start, "text": found.text, "marks": [list(m) for m in found.marks],
            "cutBefore": found.cut_before, "cutAfter": found.cut_after,
        }  # fmt: skip
        items.append({"doc": doc, "date": day, "start": start, "end": end, "text": text, "paragraph": paragraph})
    answer = {
        "link": _link(ids[0], ids[1], *row), "offset": offset, "more": more, "evidence": items,
        "entities": list(summaries(store, numbers).values()) if numbers else [],
    }  # fmt: skip
    if offset == 0:  # the first page also says how the text relates the two
        answer["relations"], answer["phrases"] = _link_relations(store, a, b, ids[0])
    return answer


def _link_relations(store: Store, a: int, b: int, first: str) -> tuple[list[list[Any]], list[list[Any]]]:
    """The link's relations and phrases as the file's view carries them: [role or phrase,
    1 when it runs from `first`'s partner to `first`, statements, [doc, start, end, sentence]]."""
    found = sorted((
        LinkRelation(role, phrase, source, target, statements, Evidence(doc, start, end, text))
        for role, phrase, source, target, statements, doc, start, end, text in store.rows(
            "SELECT r.role, r.phrase, f.id, t.id, r.statements, d.doc_id, r.start, r.end, r.text "
            "FROM link_relations r JOIN entities f ON f.entity = r.from_entity "
            "JOIN entities t ON t.entity = r.to_entity JOIN documents d ON d.doc = r.doc "
            "WHERE r.source = ? AND r.target = ?", (a, b))
    ), key=relation_order)  # fmt: skip
    return relation_rows([r for r in found if r.role], [r for r in found if r.phrase], first)


def _links_of(kept: str) -> str:
    """SQL of entity :e's links that meet `kept`, the other end as `other`. Each half
    walks its weight index strongest first and SQLite merges the two ordered streams, so
    a page of a hub reads about a page of rows, not all its links."""
    columns = "weight, documents, sources, npmi, first_seen, last_seen"
    return (
        f"SELECT target AS other, {columns} FROM links INDEXED BY links_source_weight WHERE source = :e AND {kept} "
        f"UNION ALL SELECT source AS other, {columns} FROM links INDEXED BY links_target_weight WHERE target = :e AND {kept}"
    )


def _link(a: str, b: str, weight: float, documents: int, sources: int | None, npmi: float | None,
          first: str | None, last: str | None) -> dict[str, Any]:  # fmt: skip
    return {
        "a": a, "b": b, "weight": int(weight) if float(weight).is_integer() else weight, "documents": documents,
        "sources": sources, "npmi": None if npmi is None else round(float(npmi), 4), "first": first, "last": last,
    }  # fmt: skip


def _page(offset: int, limit: int) -> None:
    if offset < 0 or not 1 <= limit <= LARGEST_PAGE:
        raise BadRequest(f"offset must be 0 or more and limit 1 to {LARGEST_PAGE}")


# ---- the documents over time and the opening window ----------------------------------------


def histogram(store: Store) -> dict[str, Any] | None:
    """Documents per day (per week past DAILY_UP_TO days), from the first dated document;
    None when none is dated."""
    dated = list(store.rows("SELECT date, count(*) FROM documents WHERE date IS NOT NULL GROUP BY date"))
    if not dated:
        return None
    first = date.fromisoformat(dated[0][0])
    span = (date.fromisoformat(dated[-1][0]) - first).days
    return time_histogram(first, span, (((date.fromisoformat(day) - first).days, count) for day, count in dated), "documents")


def opening(store: Store, count: int = OPENING) -> dict[str, Any]:
    """What the view draws when it opens: the `count` most mentioned entities, laid out,
    the links among them (read from each one's strongest), the types, the histogram."""
    chosen = summaries(store, [n for (n,) in store.rows(
        "SELECT entity FROM entities INDEXED BY entities_mentions ORDER BY mentions DESC LIMIT ?", (count,))])
    graph = nx.Graph()
    for number, node in chosen.items():
        graph.add_node(number, mentions=node["mentions"], community=node["community"])
    links = []
    for number in chosen:
        for other, weight, documents, sources, npmi, first, last in store.rows(
            f"SELECT * FROM ({_links_of('kept = 1')}) ORDER BY weight DESC, other LIMIT :limit", {"e": number, "limit": OPENING_LINKS_EACH}
        ):
            if other in chosen and number < other:
                graph.add_edge(number, other, weight=weight)
                links.append(_link(chosen[number]["id"], chosen[other]["id"], weight, documents, sources, npmi, first, last))
    positions = layout(graph)
    typed = dict(store.rows("SELECT type, count(*) FROM entities GROUP BY type ORDER BY type"))
    return {
        "entities": list(chosen.values()),
        "opening": [[chosen[n]["id"], *positions[n]] for n in chosen],
        "links": links,
        "types": {t: TYPE_COLORS.get(t, UNKNOWN_TYPE_COLOR) for t in typed},
        "typeCounts": typed,
        "communityColors": list(COMMUNITY_COLORS),
        "time": histogram(store),
    }

"""The data the HTML view carries: every entity and link within a budget, compactly.

Job: choose what the page holds and encode it as the JSON the view's data module reads.
Input: the store's graph (`carry`: the part the page can hold), how many entities to draw at opening, optionally each
document's `DocumentInfo` (for dates) and the evidence paragraphs (graph.export.paragraphs).
Output: one JSON-ready dict, the same for the same graph.

What the page holds: every entity and link up to CARRY_ENTITIES and CARRY_LINKS (above,
the most central entities by PageRank and the heaviest links among them, and the page
says so); the `opening` entities (the most mentioned) with their seeded layout; evidence
sentences up to SENTENCE_BYTES and their paragraphs up to PARAGRAPH_BYTES, given out
first-example-of-every-link first, heaviest links first, so every link keeps a sentence
before any gets a third. Dates travel as day numbers from the corpus' first date.

Rows are arrays (their order is documented at each `_row` call and in view-data.js),
with trailing empty fields dropped: at 100,000 links keys and nulls would be a third of
the page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from graph.export.paragraphs import EvidenceParagraph
from graph.layout import layout
from graph.model import TYPE_COLORS, DocumentInfo, Evidence, LinkRelation
from graph.store import Store
from graph.store.graphs import aliases_and_merges

if TYPE_CHECKING:
    import networkx as nx

# The page carries the whole graph up to here (25 MB at this top, measured by
# benchmarks/html_view.py); larger graphs keep their most central part.
CARRY_ENTITIES = 20_000
CARRY_LINKS = 100_000
# UTF-8 bytes of evidence text and of paragraph text the page may carry.
# A link's phrases the page carries, the most frequent first (the GraphML has them all).
PHRASES_CARRIED = 5
SENTENCE_BYTES = 8_000_000
PARAGRAPH_BYTES = 6_000_000
# Above this many drawn nodes the browser would spend seconds simulating physics, so the
# page opens on the positions computed here with physics off.
FIXED_LAYOUT_ABOVE = 300
# vis-network takes ~0.1 ms to build an edge and redraws every edge each frame: past this
# many drawn, the page opens with the lightest links filtered out (the slider brings them back).
EDGE_BUDGET = 15_000
# Colour for a type the model does not know (the page must still draw it).
UNKNOWN_TYPE_COLOR = "#9c9c9c"
# Tableau 10 plus two: community ids cycle through these.
COMMUNITY_COLORS = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295",
)  # fmt: skip
# A corpus spanning more days than this gets a histogram of weeks, not days.
DAILY_UP_TO = 180

Edge = tuple[str, str, dict[str, Any]]


@dataclass(frozen=True)
class Carried:
    """What the page holds: each entity's attributes (`nodes`, by id), the entity ids
    sorted, links (u < v) sorted, and the whole graph's counts when it holds less."""

    nodes: dict[str, dict[str, Any]]
    entities: list[str]
    links: list[Edge]
    of_entities: int
    of_links: int
    # (link number, (doc_id, start, end, text)) in the order the budgets give evidence out
    # (see _ranked_evidence)
    evidence: list[tuple[int, tuple[str, int, int, str]]]


def carry(store: Store) -> Carried:
    """What the page carries of the store's graph, read with SQL: its `CARRY_ENTITIES`
    most central entities (PageRank, else mentions, then id) and the `CARRY_LINKS`
    heaviest links among them (then by ids), with their evidence and relations."""
    count = store.value("SELECT count(*) FROM entities", default=0)
    of_links = store.value("SELECT count(*) FROM links WHERE kept", default=0)
    picked = ""
    if count > CARRY_ENTITIES:
        store.fill("carried", "entity INTEGER PRIMARY KEY", ())
        store.execute(
            "INSERT INTO carried SELECT entity FROM entities ORDER BY coalesce(pagerank, mentions) DESC, id LIMIT ?",
            (CARRY_ENTITIES,),
        )
        picked = "WHERE entity IN (SELECT entity FROM carried)"
    listed, merged = aliases_and_merges(store, picked)
    nodes: dict[str, dict[str, Any]] = {}
    ids: dict[int, str] = {}
    for entity, node, label, kind, mentions, documents, strength, community, pagerank, between, degree, first, last in (
        store.rows(
            "SELECT entity, id, label, type, mentions, documents, weighted_degree, community, pagerank, betweenness, "
            f"degree, first_seen, last_seen FROM entities {picked} ORDER BY id"
        )
    ):
        ids[entity] = node
        nodes[node] = {
            "label": label, "type": kind, "mentions": mentions, "documents": documents,
            "aliases": listed.get(entity, []), "merges": merged.get(entity, []), "weighted_degree": strength,
            "community": community, "pagerank": pagerank, "betweenness": between, "degree": degree,
            "first_seen": first, "last_seen": last,
        }  # fmt: skip
    rows = [
        row for row in store.rows(
            "SELECT source, target, weight, documents, sources, npmi, first_seen, last_seen FROM links WHERE kept"
        )
        if row[0] in ids and row[1] in ids
    ]  # fmt: skip
    if len(rows) > CARRY_LINKS:
        rows = sorted(rows, key=lambda r: (-r[2], *sorted((ids[r[0]], ids[r[1]]))))[:CARRY_LINKS]
    pairs = {(r[0], r[1]) for r in rows}
    # (doc_id, start, end, text): tuples hash faster than Evidence, 100,000 times
    evidence: dict[tuple[int, int], list[tuple[str, int, int, str]]] = {}
    for source, target, *example in store.rows(
        "SELECT e.source, e.target, d.doc_id, e.start, e.end, e.text FROM evidence e JOIN documents d ON d.doc = e.doc "
        "ORDER BY e.source, e.target, e.rank"
    ):
        if (source, target) in pairs:
            evidence.setdefault((source, target), []).append(tuple(example))  # type: ignore[arg-type]
    related: dict[tuple[int, int], list[LinkRelation]] = {}
    for source, target, role, phrase, start, end, count_, doc_id, begin, stop, text in store.rows(
        "SELECT r.source, r.target, r.role, r.phrase, r.from_entity, r.to_entity, r.statements, d.doc_id, r.start, "
        "r.end, r.text FROM link_relations r JOIN documents d ON d.doc = r.doc"
    ):
        if (source, target) in pairs:
            related.setdefault((source, target), []).append(
                LinkRelation(role, phrase, ids[start], ids[end], count_, Evidence(doc_id, begin, stop, text))
            )
    links: list[Edge] = []
    for source, target, weight, documents, sources, score, first, last in rows:
        u, v = sorted((ids[source], ids[target]))
        found = related.get((source, target), [])
        if len(found) > 1:
            found.sort(key=relation_order)
        links.append((u, v, {
            "weight": float(weight), "documents": documents, "sources": sources, "npmi": score,
            "first_seen": first, "last_seen": last, "evidence": tuple(evidence.get((source, target), ())),
            "relations": tuple(r for r in found if r.role), "phrases": tuple(r for r in found if r.phrase),
        }))  # fmt: skip
    links.sort(key=lambda e: (e[0], e[1]))
    strength: dict[str, float] = {}
    for u, v, attrs in links:  # a graph made elsewhere may lack the weighted degree
        strength[u] = strength.get(u, 0.0) + attrs["weight"]
        strength[v] = strength.get(v, 0.0) + attrs["weight"]
    for node, attrs in nodes.items():
        if attrs["weighted_degree"] is None:
            attrs["weighted_degree"] = strength.get(node, 0.0)
    return Carried(nodes, list(nodes), links, count, of_links, _ranked_evidence(links))


def opening_nodes(chosen: Carried, count: int) -> list[str]:
    """The ids of the `count` most-mentioned carried entities (ties broken by id), sorted by id."""
    ranked = sorted(chosen.entities, key=lambda n: (-int(chosen.nodes[n]["mentions"]), n))
    return sorted(ranked[:count])


def wanted_evidence(chosen: Carried) -> list[Evidence]:
    """The carried links' evidence in the order the budgets give it out."""
    return [Evidence(*example) for _, example in chosen.evidence]


def payload(
    chosen: Carried,
    opening: list[str],
    *,
    documents: Sequence[DocumentInfo] | None = None,
    paragraphs: dict[tuple[str, int], EvidenceParagraph] | None = None,
) -> dict[str, Any]:
    """The page's data: see the module docstring and view-data.js for the layout."""
    paragraphs = paragraphs or {}
    index = {node: i for i, node in enumerate(chosen.entities)}
    day_zero, span = _span(chosen, documents)
    day = _Days(day_zero)
    entities = []
    for node in chosen.entities:
        attrs = chosen.nodes[node]
        # [id, label, type, mentions, documents, aliases, merges, strength, community,
        #  pagerank, betweenness, degree, first day, last day]
        entities.append(_row(
            node, attrs["label"], attrs["type"], attrs["mentions"], attrs["documents"], attrs["aliases"],
            attrs["merges"],
            # over the whole graph (the store's weighted degree): cutting must not shrink one
            _number(round(float(attrs["weighted_degree"]), 3)),
            attrs["community"], attrs["pagerank"], attrs["betweenness"], attrs["degree"],
            day(attrs["first_seen"]), day(attrs["last_seen"]),
        ))  # fmt: skip

    evidence_rows: list[list[Any]] = []
    evidence_index: dict[tuple[str, int, int, str], int] = {}
    doc_index: dict[str, int] = {}
    paragraph_rows: list[list[Any]] = []
    paragraph_index: dict[tuple[str, int], int] = {}
    dates = {info.doc_id: info.date for info in documents or ()}
    carried_examples: dict[int, list[int]] = {}
    sentence_bytes = paragraph_bytes = 0
    ranked = chosen.evidence
    for link, example in ranked:
        if example not in evidence_index:
            doc_id, start, end, text = example
            cost = len(text.encode("utf-8")) + len(doc_id) + 16
            if sentence_bytes + cost > SENTENCE_BYTES:
                continue
            sentence_bytes += cost
            if doc_id not in doc_index:
                doc_index[doc_id] = len(doc_index)
            evidence_index[example] = len(evidence_rows)
            # [document, start, end, text, paragraph]
            evidence_rows.append([doc_index[doc_id], start, end, text])
        carried_examples.setdefault(link, []).append(evidence_index[example])
    # Paragraphs in the same order: the strongest links' first examples first.
    for _, example in ranked:
        row = evidence_rows[evidence_index[example]] if example in evidence_index else None
        key = (example[0], example[1])
        if row is None or len(row) > 4 or key not in paragraphs:
            continue
        if key not in paragraph_index:
            found = paragraphs[key]
            marks = [[a, b - a, index[e]] for a, b, e in found.marks if e in index]
            cost = len(found.text.encode("utf-8")) + 12 * len(marks) + 16
            if paragraph_bytes + cost > PARAGRAPH_BYTES:
                continue
            paragraph_bytes += cost
            paragraph_index[key] = len(paragraph_rows)
            # [start in the document, text, [[offset, length, entity], ...], cut before, cut after]
            paragraph_rows.append(_row(found.start, found.text, marks, found.cut_before or None, found.cut_after or None))
        row.append(paragraph_index[key])

    links = []
    for number, (u, v, attrs) in enumerate(chosen.links):
        examples = carried_examples.get(number, [])
        # [from, to, weight, documents, [evidence], evidence left out, sources, npmi,
        #  first day, last day, [relation], [phrase]]
        links.append(_row(
            index[u], index[v], _number(attrs["weight"]), attrs["documents"],
            examples, len(attrs["evidence"]) - len(examples) or None, attrs["sources"],
            None if attrs["npmi"] is None else round(float(attrs["npmi"]), 4),
            day(attrs["first_seen"]), day(attrs["last_seen"]),
            *relation_rows(attrs["relations"], attrs["phrases"], u),
        ))  # fmt: skip

    positions = layout(_drawn(chosen, opening), opening)
    drawn_weights = [float(a.get("weight", 1.0)) for u, v, a in _links_among(chosen, set(opening))]
    types = sorted({str(chosen.nodes[n].get("type", "")) for n in chosen.entities})
    return {
        "layout": "fixed" if len(opening) > FIXED_LAYOUT_ABOVE else "physics",
        "minWeight": default_min_weight(drawn_weights, EDGE_BUDGET),
        "types": {t: TYPE_COLORS.get(t, UNKNOWN_TYPE_COLOR) for t in types},
        "communityColors": list(COMMUNITY_COLORS),
        "entities": entities,
        # [entity, x, y]: what the page draws when it opens, and where
        "opening": [[index[n], *positions[n]] for n in opening],
        "links": links,
        "evidence": evidence_rows,
        # [doc_id, day]
        "documents": [_row(doc, _day(dates.get(doc), day_zero)) for doc in doc_index],
        "paragraphs": paragraph_rows,
        "time": _time(day_zero, span, documents, chosen),
        "carried": {
            "entities": len(chosen.entities), "ofEntities": chosen.of_entities,
            "links": len(chosen.links), "ofLinks": chosen.of_links,
        },  # fmt: skip
    }


def default_min_weight(weights: list[float], budget: int) -> float:
    """The lowest weight filter that leaves at most `budget` links (0: show them all).

    When even the heaviest weight has more than `budget` links, all are shown: an empty
    view would hide that the filter, not the data, is the problem.
    """
    if len(weights) <= budget:
        return 0.0
    cut = sorted(weights, reverse=True)[budget]
    heavier = [w for w in weights if w > cut]
    return min(heavier) if heavier else 0.0


def _ranked_evidence(links: list[Edge]) -> list[tuple[int, tuple[str, int, int, str]]]:
    """(link number, example) for every example, by its rank among its link's examples,
    then by the link's weight (heaviest first), then by the link's order."""
    order = sorted(range(len(links)), key=lambda i: -float(links[i][2].get("weight", 1.0)))
    examples = [(i, links[i][2].get("evidence", ())) for i in order]
    ranked: list[tuple[int, tuple[str, int, int, str]]] = []
    depth = max((len(e) for _, e in examples), default=0)
    for rank in range(depth):
        ranked.extend((i, e[rank]) for i, e in examples if rank < len(e))
    return ranked


def _links_among(chosen: Carried, nodes: set[str]) -> Iterable[Edge]:
    return (e for e in chosen.links if e[0] in nodes and e[1] in nodes)


def _drawn(chosen: Carried, opening: list[str]) -> nx.Graph:
    """The entities the page opens on and the links among them, for the layout."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from((n, chosen.nodes[n]) for n in opening)
    drawn = set(opening)
    graph.add_edges_from((u, v, {"weight": a["weight"]}) for u, v, a in _links_among(chosen, drawn))
    return graph


def _span(chosen: Carried, documents: Sequence[DocumentInfo] | None) -> tuple[date | None, int]:
    """The first date of the corpus (of its documents, else of its links and entities)
    and the number of days to the last."""
    seen = [info.date for info in documents or () if info.date]
    if not seen:
        for _, _, attrs in chosen.links:
            seen.extend(attrs[k] for k in ("first_seen", "last_seen") if attrs.get(k))
        for node in chosen.entities:
            seen.extend(chosen.nodes[node][k] for k in ("first_seen", "last_seen") if chosen.nodes[node].get(k))
    if not seen:
        return None, 0
    first, last = date.fromisoformat(min(seen)), date.fromisoformat(max(seen))
    return first, (last - first).days


def _time(
    day_zero: date | None, span: int, documents: Sequence[DocumentInfo] | None, chosen: Carried
) -> dict[str, Any] | None:
    """The date control's data: first date, days spanned, and a histogram of documents
    (or, without document dates, of links first seen) per day or per week."""
    if day_zero is None:
        return None
    dated = [info.date for info in documents or () if info.date]
    what = "documents"
    if not dated:
        dated = [attrs["first_seen"] for _, _, attrs in chosen.links if attrs.get("first_seen")]
        what = "links first seen"
    return time_histogram(day_zero, span, Counter(_day(d, day_zero) for d in dated).items(), what)


def time_histogram(day_zero: date, span: int, per_day: Iterable[tuple[int, int]], what: str) -> dict[str, Any]:
    """The date control's histogram from (days after `day_zero`, count) pairs: per day
    over spans up to DAILY_UP_TO days, per week past them."""
    unit = 1 if span <= DAILY_UP_TO else 7
    counts = [0] * (span // unit + 1)
    for day, count in per_day:
        counts[day // unit] += count
    return {"start": day_zero.isoformat(), "days": span, "unit": unit, "counts": counts, "counting": what}


class _Days:
    """Dates as day numbers from the corpus' first, each date read once (a corpus names a
    few thousand days, a page a hundred thousand times)."""

    def __init__(self, day_zero: date | None) -> None:
        self.day_zero = day_zero
        self.found: dict[Any, int | None] = {}

    def __call__(self, value: Any) -> int | None:
        if value not in self.found:
            self.found[value] = _day(value, self.day_zero)
        return self.found[value]


def _day(value: Any, day_zero: date | None) -> int | None:
    if not value or day_zero is None:
        return None
    return (date.fromisoformat(str(value)) - day_zero).days


def _optional(value: Any, kind: type) -> Any:
    return None if value is None else kind(value)


def relation_order(relation: LinkRelation) -> tuple:
    """A link's relations and phrases in the order the view lists them: most seen first."""
    return (-relation.count, relation.role, relation.phrase, relation.source, relation.target)


def relation_rows(
    relations: Sequence[LinkRelation], phrases: Sequence[LinkRelation], first: str
) -> tuple[list[list[Any]], list[list[Any]]]:
    """The page's rows of a link's relations and of its PHRASES_CARRIED most seen phrases
    (each list in `relation_order`), for the link whose first end is `first`."""
    return _relations(relations, first, "role"), _relations(phrases[:PHRASES_CARRIED], first, "phrase")


def _relations(found: Sequence[LinkRelation], first: str, kind: str) -> list[list[Any]]:
    """[role or phrase, 1 when it runs from the link's second end to its first, count,
    [doc, start, end, sentence]] for each relation of a link."""
    return [
        [getattr(r, kind), int(r.source != first), int(r.count),
         [str(r.example.doc_id), int(r.example.start), int(r.example.end), str(r.example.text)]]
        for r in found
    ]  # fmt: skip


def _number(value: float) -> int | float:
    """Whole numbers as ints: "6" is two bytes fewer than "6.0", 100,000 times."""
    return int(value) if value == int(value) else value


def _row(*fields: Any) -> list[Any]:
    """The fields with trailing empty ones (None, []) dropped; the view reads a missing
    field as empty."""
    row = list(fields)
    while row and (row[-1] is None or row[-1] == []):
        row.pop()
    return row


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
from typing import Any

import networkx as nx

from graph.export.paragraphs import EvidenceParagraph
from graph.layout import layout
from graph.model import TYPE_COLORS, DocumentInfo, Evidence, LinkRelation
from graph.store import Store
from graph.store.graphs import to_networkx

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
    """What the page holds: entity ids sorted by id, links (u < v) sorted, and the whole
    graph's counts when it holds less."""

    entities: list[str]
    links: list[Edge]
    of_entities: int
    of_links: int
    # (link number, example) in the order the budgets give evidence out (see _ranked_evidence)
    evidence: list[tuple[int, Evidence]]


def carry(store: Store) -> tuple[nx.Graph, Carried]:
    """What the page carries of the store's graph: its `CARRY_ENTITIES` most central
    entities (PageRank, then id) as a networkx graph with the links among them, and
    `carried` of that graph, counted against the whole."""
    count = store.value("SELECT count(*) FROM entities", default=0)
    chosen = None
    if count > CARRY_ENTITIES:
        chosen = [e for (e,) in store.rows(
            "SELECT entity FROM entities ORDER BY coalesce(pagerank, mentions) DESC, id LIMIT ?", (CARRY_ENTITIES,)
        )]  # fmt: skip
    graph = to_networkx(store, chosen)
    links = store.value("SELECT count(*) FROM links WHERE kept", default=0)
    return graph, carried(graph, of=(count, links))


def carried(
    graph: nx.Graph, entities: int | None = None, links: int | None = None, *, of: tuple[int, int] | None = None
) -> Carried:
    """The `entities` most central entities (PageRank, then mentions, then id) and the
    `links` heaviest links among them (then by ids); default: the page's budget. `of`:
    the whole graph's entities and links, when `graph` is a part of it."""
    entities = CARRY_ENTITIES if entities is None else entities
    links = CARRY_LINKS if links is None else links
    nodes = list(graph.nodes)
    if len(nodes) > entities:
        nodes = sorted(nodes, key=lambda n: (-_centrality(graph.nodes[n]), str(n)))[:entities]
    kept = set(nodes)
    edges = [
        (min(u, v, key=str), max(u, v, key=str), attrs)
        for u, v, attrs in graph.edges(data=True)
        if u in kept and v in kept
    ]
    if len(edges) > links:
        edges = sorted(edges, key=lambda e: (-float(e[2].get("weight", 1.0)), str(e[0]), str(e[1])))[:links]
    edges = sorted(edges, key=lambda e: (str(e[0]), str(e[1])))
    of_entities, of_links = of or (graph.number_of_nodes(), graph.number_of_edges())
    return Carried(sorted(nodes, key=str), edges, of_entities, of_links, _ranked_evidence(edges))


def opening_nodes(graph: nx.Graph, among: Iterable[str], count: int) -> list[str]:
    """The ids of the `count` most-mentioned of `among` (ties broken by id), sorted by id."""
    ranked = sorted(among, key=lambda n: (-int(graph.nodes[n].get("mentions", 0)), str(n)))
    return sorted(ranked[:count], key=str)


def wanted_evidence(chosen: Carried) -> list[Evidence]:
    """The carried links' evidence in the order the budgets give it out."""
    return [example for _, example in chosen.evidence]


def payload(
    graph: nx.Graph,
    chosen: Carried,
    opening: list[str],
    *,
    documents: Sequence[DocumentInfo] | None = None,
    paragraphs: dict[tuple[str, int], EvidenceParagraph] | None = None,
) -> dict[str, Any]:
    """The page's data: see the module docstring and view-data.js for the layout."""
    paragraphs = paragraphs or {}
    index = {node: i for i, node in enumerate(chosen.entities)}
    day_zero, span = _span(graph, chosen, documents)
    # over the whole graph (the store's weighted degree): cutting must not shrink one
    strength = {n: graph.nodes[n].get("weighted_degree", w) for n, w in graph.degree(weight="weight")}

    entities = []
    for node in chosen.entities:
        attrs = graph.nodes[node]
        # [id, label, type, mentions, documents, aliases, merges, strength, community,
        #  pagerank, betweenness, degree, first day, last day]
        entities.append(_row(
            str(node), str(attrs.get("label", node)), str(attrs.get("type", "")),
            int(attrs.get("mentions", 0)), int(attrs.get("documents", 0)),
            [str(a) for a in attrs.get("aliases", ())], [str(m) for m in attrs.get("merges", ())],
            _number(round(float(strength.get(node, 0.0)), 3)),
            _optional(attrs.get("community"), int), _optional(attrs.get("pagerank"), float),
            _optional(attrs.get("betweenness"), float), _optional(attrs.get("degree"), int),
            _day(attrs.get("first_seen"), day_zero), _day(attrs.get("last_seen"), day_zero),
        ))  # fmt: skip

    evidence_rows: list[list[Any]] = []
    evidence_index: dict[Evidence, int] = {}
    doc_index: dict[str, int] = {}
    paragraph_rows: list[list[Any]] = []
    paragraph_index: dict[tuple[str, int], int] = {}
    dates = {info.doc_id: info.date for info in documents or ()}
    carried_examples: dict[int, list[int]] = {}
    sentence_bytes = paragraph_bytes = 0
    ranked = chosen.evidence
    for link, example in ranked:
        if example not in evidence_index:
            cost = len(example.text.encode("utf-8")) + len(example.doc_id) + 16
            if sentence_bytes + cost > SENTENCE_BYTES:
                continue
            sentence_bytes += cost
            if example.doc_id not in doc_index:
                doc_index[example.doc_id] = len(doc_index)
            evidence_index[example] = len(evidence_rows)
            # [document, start, end, text, paragraph]
            evidence_rows.append([doc_index[example.doc_id], int(example.start), int(example.end), str(example.text)])
        carried_examples.setdefault(link, []).append(evidence_index[example])
    # Paragraphs in the same order: the strongest links' first examples first.
    for _, example in ranked:
        row = evidence_rows[evidence_index[example]] if example in evidence_index else None
        key = (example.doc_id, example.start)
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
            index[u], index[v], _number(float(attrs.get("weight", 1.0))), int(attrs.get("documents", 0)),
            examples, len(attrs.get("evidence", ())) - len(examples) or None,
            _optional(attrs.get("sources"), int),
            None if attrs.get("npmi") is None else round(float(attrs["npmi"]), 4),
            _day(attrs.get("first_seen"), day_zero), _day(attrs.get("last_seen"), day_zero),
            _relations(attrs.get("relations", ()), u, "role"),
            _relations(attrs.get("phrases", ())[:PHRASES_CARRIED], u, "phrase"),
        ))  # fmt: skip

    positions = layout(graph, opening)
    drawn_weights = [float(a.get("weight", 1.0)) for u, v, a in _links_among(chosen, set(opening))]
    types = sorted({str(graph.nodes[n].get("type", "")) for n in chosen.entities})
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


def _ranked_evidence(links: list[Edge]) -> list[tuple[int, Evidence]]:
    """(link number, example) for every example, by its rank among its link's examples,
    then by the link's weight (heaviest first), then by the link's order."""
    order = sorted(range(len(links)), key=lambda i: -float(links[i][2].get("weight", 1.0)))
    examples = [(i, links[i][2].get("evidence", ())) for i in order]
    ranked: list[tuple[int, Evidence]] = []
    depth = max((len(e) for _, e in examples), default=0)
    for rank in range(depth):
        ranked.extend((i, e[rank]) for i, e in examples if rank < len(e))
    return ranked


def _links_among(chosen: Carried, nodes: set[str]) -> Iterable[Edge]:
    return (e for e in chosen.links if e[0] in nodes and e[1] in nodes)


def _centrality(attrs: dict[str, Any]) -> float:
    pagerank = attrs.get("pagerank")
    return float(pagerank) if pagerank is not None else float(attrs.get("mentions", 0))


def _span(
    graph: nx.Graph, chosen: Carried, documents: Sequence[DocumentInfo] | None
) -> tuple[date | None, int]:
    """The first date of the corpus (of its documents, else of its links and entities)
    and the number of days to the last."""
    seen = [info.date for info in documents or () if info.date]
    if not seen:
        for _, _, attrs in chosen.links:
            seen.extend(attrs[k] for k in ("first_seen", "last_seen") if attrs.get(k))
        for node in chosen.entities:
            seen.extend(graph.nodes[node][k] for k in ("first_seen", "last_seen") if graph.nodes[node].get(k))
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
    unit = 1 if span <= DAILY_UP_TO else 7
    counts = [0] * (span // unit + 1)
    for day, count in Counter(_day(d, day_zero) for d in dated).items():
        counts[day // unit] += count
    return {"start": day_zero.isoformat(), "days": span, "unit": unit, "counts": counts, "counting": what}


def _day(value: Any, day_zero: date | None) -> int | None:
    if not value or day_zero is None:
        return None
    return (date.fromisoformat(str(value)) - day_zero).days


def _optional(value: Any, kind: type) -> Any:
    return None if value is None else kind(value)


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


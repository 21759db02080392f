"""GEXF 1.3 exporter: the graph as Gephi opens it, already arranged and coloured.

Input: the store, whose graph is laid out whole (graph.store.graphs.to_networkx). Output: one UTF-8 `.gexf` file that validates
against the GEXF 1.3 RELAX NG schema, nodes before edges:
- each node has its `label`, `viz:color` (its type colour), `viz:size` (sqrt of its
  mentions, as in the GraphML and the HTML view) and `viz:position` (the seeded layout
  of `graph.layout`, the HTML view's, computed here over every node; y points up in
  Gephi, so it is negated to look the same as the page);
- node attributes: type, mentions, documents, aliases, merges, community and the
  centralities (degree, weighted_degree, pagerank, betweenness); edge attributes:
  documents, evidence, sources/npmi on graphs that carry them, and relations/phrases on
  edges that have any (written as in the GraphML); the edge `weight` is GEXF's own;
- nodes and edges carrying `first_seen`/`last_seen` get `start`/`end` (ISO dates), and
  only then is the graph `mode="dynamic"` with `timeformat="date"`, so Gephi's timeline
  plays it.

What GEXF cannot hold, and what is done instead:
- lists (aliases, merges, evidence, relations, phrases): joined into one string like the
  GraphML, aliases with " | ", merges and evidence one per line, evidence lines as
  `[doc_id] sentence` (GEXF's liststring cannot carry the separators a sentence may
  contain);
- direction on an undirected edge: as in the GraphML, inside the relations string;
- times of day: `start`/`end` are dates, so a datetime keeps only its day;
- characters XML 1.0 forbids (most control characters) are dropped from text;
- `<graph>` carries no name and the root no `xsi:schemaLocation`: the 1.3 schema
  rejects both (networkx' own writer emits them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import networkx as nx

from graph.atomic import atomic_write
from graph.errors import OutputError
from graph.export.graphml import node_size, phrases_text, relations_text, xml_text
from graph.layout import layout
from graph.store import Store
from graph.store.graphs import to_networkx

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
UNKNOWN_COLOR = "#9c9c9c"

# (attribute id, title: the networkx attribute it holds, GEXF type); an attribute is
# declared only when some node (edge) has it. Ids double as titles where they can.
NODE_ATTRIBUTES: tuple[tuple[str, str, str], ...] = (
    ("type", "type", "string"),
    ("mentions", "mentions", "integer"),
    ("documents", "documents", "integer"),
    ("aliases", "aliases", "string"),
    ("merges", "merges", "string"),
    ("community", "community", "integer"),
    ("degree", "degree", "integer"),
    ("weighted_degree", "weighted_degree", "double"),
    ("pagerank", "pagerank", "double"),
    ("betweenness", "betweenness", "double"),
)
EDGE_ATTRIBUTES: tuple[tuple[str, str, str], ...] = (
    ("edge_documents", "documents", "integer"),
    ("evidence", "evidence", "string"),
    ("sources", "sources", "integer"),
    ("npmi", "npmi", "double"),
    ("relations", "relations", "string"),
    ("phrases", "phrases", "string"),
)


def write_gexf(store: Store, path: Path) -> None:
    """Write the store's graph to `path` atomically (it is laid out whole, in memory)."""
    write_gexf_graph(to_networkx(store), path)


def write_gexf_graph(graph: nx.Graph, path: Path) -> None:
    """Write a networkx graph (as graph.store.graphs describes it) to `path` atomically."""
    root = ET.Element("gexf", {"xmlns": GEXF_NS, "xmlns:viz": VIZ_NS, "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "entigraph"
    dated = any(_has_dates(data) for _, data in graph.nodes(data=True)) or any(
        _has_dates(data) for _, _, data in graph.edges(data=True)
    )
    body = ET.SubElement(root, "graph", {"defaultedgetype": "undirected"})
    if dated:
        body.set("mode", "dynamic")
        body.set("timeformat", "date")
    node_keys = _declare(body, "node", NODE_ATTRIBUTES, (d for _, d in graph.nodes(data=True)))
    # Relations and phrases as the GraphML writes them; None where an edge has none.
    edge_data = {
        (u, v): {**d, "relations": relations_text(graph, d) or None, "phrases": phrases_text(d) or None}
        for u, v, d in graph.edges(data=True)
    }
    edge_keys = _declare(body, "edge", EDGE_ATTRIBUTES, edge_data.values())

    positions = layout(graph)
    top = max((int(data.get("mentions", 0)) for _, data in graph.nodes(data=True)), default=1)
    nodes = ET.SubElement(body, "nodes", {"count": str(graph.number_of_nodes())})
    for node, data in sorted(graph.nodes(data=True), key=lambda item: str(item[0])):
        element = ET.SubElement(nodes, "node", {"id": str(node), "label": xml_text(str(data.get("label", node)))})
        _times(element, data, f"node {node}")
        _values(element, node_keys, data, _node_value)
        r, g, b = _rgb(str(data.get("color", UNKNOWN_COLOR)))
        ET.SubElement(element, "viz:color", {"r": str(r), "g": str(g), "b": str(b)})
        ET.SubElement(element, "viz:size", {"value": repr(node_size(int(data.get("mentions", 0)), top))})
        x, y = positions[node]
        ET.SubElement(element, "viz:position", {"x": f"{x:.1f}", "y": f"{-y:.1f}"})

    edges = ET.SubElement(body, "edges", {"count": str(graph.number_of_edges())})
    ordered = sorted((min(u, v, key=str), max(u, v, key=str), d) for (u, v), d in edge_data.items())
    for number, (source, target, data) in enumerate(ordered):
        element = ET.SubElement(edges, "edge", {
            "id": f"e{number}", "source": str(source), "target": str(target),
            "weight": repr(float(data.get("weight", 1.0))),
        })  # fmt: skip
        _times(element, data, f"edge {source} - {target}")
        _values(element, edge_keys, data, _edge_value)

    ET.indent(root, space="  ")
    with atomic_write(Path(path), binary=True) as handle:
        handle.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        # ElementTree escapes a carriage return only in attributes; text needs it too.
        handle.write(ET.tostring(root, encoding="utf-8", xml_declaration=False).replace(b"\r", b"&#13;"))
        handle.write(b"\n")


def _declare(
    body: ET.Element, kind: str, attributes: tuple[tuple[str, str, str], ...], items: Iterable[dict[str, Any]]
) -> list[tuple[str, str, str]]:
    present: set[str] = set()
    for data in items:
        present.update(key for key, value in data.items() if value is not None)
    declared = [a for a in attributes if a[1] in present]
    if declared:
        element = ET.SubElement(body, "attributes", {"class": kind})
        for key_id, title, kind_name in declared:
            ET.SubElement(element, "attribute", {"id": key_id, "title": title, "type": kind_name})
    return declared


def _values(
    element: ET.Element,
    keys: list[tuple[str, str, str]],
    data: dict[str, Any],
    render: Callable[[str, Any], str],
) -> None:
    values = [(key_id, render(title, data[title])) for key_id, title, _ in keys if data.get(title) is not None]
    if values:
        holder = ET.SubElement(element, "attvalues")
        for key_id, value in values:
            ET.SubElement(holder, "attvalue", {"for": key_id, "value": xml_text(value)})


def _node_value(title: str, value: Any) -> str:
    if title == "aliases":
        return " | ".join(str(a) for a in value)
    if title == "merges":
        return "\n".join(str(m) for m in value)
    return _scalar(value)


def _edge_value(title: str, value: Any) -> str:
    if title == "evidence":
        return "\n".join(f"[{e.doc_id}] {e.text}" for e in value)
    return _scalar(value)


def _scalar(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _has_dates(data: dict[str, Any]) -> bool:
    return data.get("first_seen") is not None or data.get("last_seen") is not None


def _times(element: ET.Element, data: dict[str, Any], what: str) -> None:
    for attribute, key in (("start", "first_seen"), ("end", "last_seen")):
        if data.get(key) is not None:
            element.set(attribute, _iso_date(data[key], f"{what} {key}"))


def _iso_date(value: Any, what: str) -> str:
    """`value` (a date, a datetime or an ISO 8601 string) as YYYY-MM-DD."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError as err:
        raise OutputError(f"cannot write GEXF: {what} {value!r} is not an ISO 8601 date") from err


def _rgb(color: str) -> tuple[int, int, int]:
    try:
        return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)
    except ValueError:
        return _rgb(UNKNOWN_COLOR)

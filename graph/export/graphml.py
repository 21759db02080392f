"""GraphML exporter, written for Gephi and checked against the GraphML 1.0 schema.

Input: the edge builder's `nx.Graph`. Output: one UTF-8 `.graphml` file, nodes before
edges, with keys Gephi maps to its own properties by name: `label`, `size`, `color`
(`#rrggbb`) and `r`/`g`/`b` (integers) on nodes, `weight` (double) on edges; the
rest with their types (`sources` int, `npmi` double, `first_seen`/`last_seen` strings
`YYYY-MM-DD`; a node or edge without a dated document has no `first_seen`/`last_seen`
value; `relations` and `phrases` strings on edges that have any); the centralities typed for Gephi's Ranking panel; the graph's `documents` (corpus
size), `statements` (npmi's N) and `window`.

What GraphML cannot hold, and what is done instead:
- lists (aliases, merges, evidence, relations, phrases) have no GraphML type: they are
  joined into one string, aliases with " | ", merges and evidence one per line, each
  evidence line prefixed with its document id in brackets, relations one per line as
  `role:Source label>Target label count`, phrases as `phrase count` joined by "; ";
- direction on an undirected edge: a relation's direction is written inside its string
  (`>`); phrases are counted over both directions (relations.csv and the HTML view keep
  each phrase's direction), and only the edge builder's most frequent ones are kept;
- characters XML 1.0 forbids (most control characters) are dropped from text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx

from graph.atomic import atomic_write

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
# (key id, domain, attr.name, attr.type); the id doubles as the name where it can,
# because Gephi matches a key by id first and by attr.name second.
NODE_KEYS = (
    ("label", "node", "label", "string"),
    ("type", "node", "type", "string"),
    ("mentions", "node", "mentions", "int"),
    ("documents", "node", "documents", "int"),
    ("sources", "node", "sources", "int"),
    ("first_seen", "node", "first_seen", "string"),
    ("last_seen", "node", "last_seen", "string"),
    ("aliases", "node", "aliases", "string"),
    ("merges", "node", "merges", "string"),
    ("community", "node", "community", "int"),
    ("degree", "node", "degree", "int"),
    ("weighted_degree", "node", "weighted_degree", "double"),
    ("pagerank", "node", "pagerank", "double"),
    ("betweenness", "node", "betweenness", "double"),
    ("size", "node", "size", "double"),
    ("color", "node", "color", "string"),
    ("r", "node", "r", "int"),
    ("g", "node", "g", "int"),
    ("b", "node", "b", "int"),
)
# The corpus size, so `entigraph stats` can report it from the file alone; the statements
# npmi was computed over (N) and what one statement was.
GRAPH_KEYS = (
    ("graph_documents", "graph", "documents", "int"),
    ("graph_statements", "graph", "statements", "int"),
    ("graph_window", "graph", "window", "string"),
)
EDGE_KEYS = (
    ("weight", "edge", "weight", "double"),
    ("edge_documents", "edge", "documents", "int"),
    ("edge_sources", "edge", "sources", "int"),
    ("npmi", "edge", "npmi", "double"),
    ("edge_first_seen", "edge", "first_seen", "string"),
    ("edge_last_seen", "edge", "last_seen", "string"),
    ("evidence", "edge", "evidence", "string"),
    ("relations", "edge", "relations", "string"),
    ("phrases", "edge", "phrases", "string"),
)
# XML 1.0 allows tab, newline, carriage return and most of the rest of Unicode.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MIN_SIZE, MAX_SIZE = 10.0, 50.0


def xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 cannot carry."""
    return _XML_FORBIDDEN.sub("", value)


def write_graphml(graph: nx.Graph, path: Path) -> None:
    """Write `graph` to `path` atomically, element by element as text: memory stays that
    of the graph however many edges (a whole ElementTree of 1M edges took 2.6 GB more).
    The bytes are those ElementTree wrote, indented by two spaces, escaped as it does."""
    top = max((data["mentions"] for _, data in graph.nodes(data=True)), default=1)
    with atomic_write(path, binary=True) as handle:
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<graphml xmlns="{GRAPHML_NS}">']
        for key_id, domain, name, kind in NODE_KEYS + EDGE_KEYS + GRAPH_KEYS:
            lines.append(
                f'  <key id="{key_id}" for="{domain}" attr.name="{name}" attr.type="{kind}" />'
            )
        graph_values = [
            (key_id, str(graph.graph[name]))
            for key_id, _, name, _ in GRAPH_KEYS
            if graph.graph.get(name) is not None
        ]
        if graph.number_of_nodes() == 0 and not graph_values:
            lines.append('  <graph id="G" edgedefault="undirected" />')
        else:
            lines.append('  <graph id="G" edgedefault="undirected">')
            lines += [_data(key_id, value, indent=4) for key_id, value in graph_values]
        handle.write(_lines(lines))
        for node, data in graph.nodes(data=True):
            lines = [f'    <node id="{_attribute(node)}">']
            lines += [_data(key_id, value) for key_id, value in _node_values(data, top)]
            lines.append("    </node>")
            handle.write(_lines(lines))
        for number, (source, target, data) in enumerate(graph.edges(data=True)):
            lines = [
                f'    <edge id="e{number}" source="{_attribute(source)}" target="{_attribute(target)}">',
                _data("weight", repr(float(data["weight"]))),
                _data("edge_documents", str(data["documents"])),
            ]
            if "sources" in data:
                lines.append(_data("edge_sources", str(data["sources"])))
            if "npmi" in data:
                lines.append(_data("npmi", repr(float(data["npmi"]))))
            lines += [_data(f"edge_{name}", data[name]) for name in ("first_seen", "last_seen") if name in data]
            evidence = "\n".join(f"[{e.doc_id}] {e.text}" for e in data["evidence"])
            lines.append(_data("evidence", evidence))
            lines += [_data(key, text) for key, text in (("relations", relations_text(graph, data)), ("phrases", phrases_text(data))) if text]
            lines.append("    </edge>")
            handle.write(_lines(lines))
        closing = ["  </graph>"] if graph.number_of_nodes() or graph_values else []
        handle.write(_lines([*closing, "</graphml>"]))


def relations_text(graph: nx.Graph, data: dict[str, Any]) -> str:
    """An edge's roles, one per line: `head_of:Hassan Rashad>Egyptian General Intelligence 3`."""
    return "\n".join(
        f"{r.role}:{_label(graph, r.source)}>{_label(graph, r.target)} {r.count}" for r in data.get("relations", ())
    )


def phrases_text(data: dict[str, Any]) -> str:
    """An edge's phrases over both directions, most frequent first: `meet 4; call 2`."""
    counts: Counter[str] = Counter()
    for relation in data.get("phrases", ()):
        counts[relation.phrase] += relation.count
    return "; ".join(f"{phrase} {n}" for phrase, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _label(graph: nx.Graph, node: str) -> str:
    return str(graph.nodes[node].get("label", node))


def _lines(lines: list[str]) -> bytes:
    return "".join(line + "\n" for line in lines).encode("utf-8")


def _data(key: str, value: str, *, indent: int = 6) -> str:
    text = _text(xml_text(value))
    pad = " " * indent
    return f'{pad}<data key="{key}">{text}</data>' if text else f'{pad}<data key="{key}" />'


def _text(value: str) -> str:
    # A parser reads a raw carriage return in text as a line feed: it needs a reference.
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attribute(value: str) -> str:
    for raw, escaped in _ATTRIBUTE_ESCAPES:
        value = value.replace(raw, escaped)
    return value


_ATTRIBUTE_ESCAPES = (
    ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
    ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"),
)


def node_size(mentions: int, top: int) -> float:
    """Area grows with mentions: sqrt scaling between MIN_SIZE and MAX_SIZE."""
    return round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(mentions / max(top, 1)), 2)


def _node_values(data: dict, top: int) -> list[tuple[str, str]]:
    color = data["color"]
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    values = [
        ("label", data["label"]),
        ("type", data["type"]),
        ("mentions", str(data["mentions"])),
        ("documents", str(data["documents"])),
        *((name, str(data[name])) for name in ("sources", "first_seen", "last_seen") if name in data),
        ("aliases", " | ".join(data["aliases"])),
        ("merges", "\n".join(data["merges"])),
    ]
    if "community" in data:
        values.append(("community", str(data["community"])))
    # Hand-built graphs may lack the centralities; the edge builder always sets them.
    for key in ("degree", "weighted_degree", "pagerank", "betweenness"):
        if key in data:
            values.append((key, str(data[key]) if key == "degree" else repr(float(data[key]))))
    values += [
        ("size", repr(node_size(data["mentions"], top))),
        ("color", color),
        ("r", str(r)),
        ("g", str(g)),
        ("b", str(b)),
    ]
    return values

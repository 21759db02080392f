"""GraphML exporter, written for Gephi and checked against the GraphML 1.0 schema.

Input: the store (or, for `relations_text` and `phrases_text`, the GEXF writer's
networkx graph). Output: one UTF-8 `.graphml` file, nodes before edges, with keys Gephi maps to its own properties by name: `label`, `size`, `color`
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
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xml.etree.ElementTree import ParseError

from graph.atomic import atomic_write
from graph.edges import PHRASES_KEPT
from graph.errors import EntigraphError
from graph.model import TYPE_COLORS, Evidence, LinkRelation
from graph.store import Store
from graph.store.graphs import UNKNOWN_COLOR

if TYPE_CHECKING:
    import networkx as nx

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


def write_graphml(store: Store, path: Path) -> None:
    """Write the store's graph to `path` atomically, streamed from SQL element by element
    as text: memory stays flat however many edges (a whole ElementTree of 1M edges took
    2.6 GB more). The bytes are those ElementTree wrote, indented by two spaces, escaped
    as it does."""
    top = store.value("SELECT max(mentions) FROM entities", default=1)
    graph_values = [
        (key_id, str(store.meta(name)))
        for key_id, _, name, _ in GRAPH_KEYS
        if store.meta(name) is not None
    ]
    empty = not store.value("SELECT count(*) FROM entities")
    with atomic_write(path, binary=True) as handle:
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<graphml xmlns="{GRAPHML_NS}">']
        for key_id, domain, name, kind in NODE_KEYS + EDGE_KEYS + GRAPH_KEYS:
            lines.append(
                f'  <key id="{key_id}" for="{domain}" attr.name="{name}" attr.type="{kind}" />'
            )
        if empty and not graph_values:
            lines.append('  <graph id="G" edgedefault="undirected" />')
        else:
            lines.append('  <graph id="G" edgedefault="undirected">')
            lines += [_data(key_id, value, indent=4) for key_id, value in graph_values]
        handle.write(_lines(lines))
        aliases = _Grouped(store.rows(
            "SELECT e.id, a.alias FROM aliases a JOIN entities e USING (entity) ORDER BY e.id, a.alias"
        ))  # fmt: skip
        merges = _Grouped(store.rows(
            "SELECT e.id, m.merge FROM merges m JOIN entities e USING (entity) ORDER BY e.id, m.number"
        ))  # fmt: skip
        for row in store.rows(
            "SELECT entity, id, label, type, mentions, documents, sources, first_seen, last_seen, community, degree, "
            "weighted_degree, pagerank, betweenness FROM entities ORDER BY id"
        ):
            handle.write(_node(row, aliases.take(row[1]), merges.take(row[1]), top).encode("utf-8"))
        # Links, evidence and relations read in the store's order and sorted here by
        # their ends' ids: SQLite sorting them by text took longer than writing them.
        ids = dict(store.rows("SELECT entity, id FROM entities"))
        labels = dict(store.rows("SELECT entity, label FROM entities"))
        evidence: dict[tuple[int, int], list[str]] = {}
        for source, target, doc_id, text in store.rows(
            "SELECT e.source, e.target, d.doc_id, e.text FROM evidence e JOIN documents d ON d.doc = e.doc "
            "ORDER BY e.source, e.target, e.rank"
        ):
            evidence.setdefault((source, target), []).append(f"[{doc_id}] {text}")
        relations: dict[tuple[int, int], list[tuple]] = {}
        for source, target, role, phrase, start, end, count in store.rows(
            "SELECT source, target, role, phrase, from_entity, to_entity, statements FROM link_relations"
        ):
            relations.setdefault((source, target), []).append(
                (role, phrase, ids[start], labels[start], ids[end], labels[end], count)
            )
        links = sorted(
            (min(ids[row[0]], ids[row[1]]), max(ids[row[0]], ids[row[1]]), row)
            for row in store.rows(
                "SELECT source, target, weight, documents, sources, npmi, first_seen, last_seen FROM links WHERE kept"
            )
        )
        pending: list[str] = []
        for number, (u, v, (source, target, weight, documents, sources, score, first, last)) in enumerate(links):
            lines = (
                f'    <edge id="e{number}" source="{_attribute(u)}" target="{_attribute(v)}">\n'
                f'      <data key="weight">{float(weight)!r}</data>\n'
                f'      <data key="edge_documents">{documents}</data>\n'
            )
            if sources is not None:
                lines += f'      <data key="edge_sources">{sources}</data>\n'
            if score is not None:
                lines += f'      <data key="npmi">{float(score)!r}</data>\n'
            if first is not None:
                lines += _element("edge_first_seen", first) + _element("edge_last_seen", last)
            lines += _element("evidence", "\n".join(evidence.get((source, target), ())))
            related = relations.get((source, target))
            if related:
                roles, phrases = _relation_lines(related)
                if roles:
                    lines += _element("relations", roles)
                if phrases:
                    lines += _element("phrases", phrases)
            pending.append(lines + "    </edge>\n")
            if len(pending) >= 1000:
                handle.write("".join(pending).encode("utf-8"))
                pending.clear()
        handle.write("".join(pending).encode("utf-8"))
        closing = ["  </graph>"] if not empty or graph_values else []
        handle.write(_lines([*closing, "</graphml>"]))


def _relation_lines(rows: list[tuple]) -> tuple[str, str]:
    """An edge's `relations` and `phrases` strings from its link_relations rows (role,
    phrase, from id, from label, to id, to label, statements), ranked as the edge builder
    ranks them."""
    ranked = sorted(rows, key=lambda r: (-r[6], r[0], r[1], r[2], r[4]))
    roles = "\n".join(f"{r[0]}:{r[3]}>{r[5]} {r[6]}" for r in ranked if r[0])
    counts: Counter[str] = Counter()
    for r in [r for r in ranked if r[1]][:PHRASES_KEPT]:
        counts[r[1]] += r[6]
    phrases = "; ".join(f"{phrase} {n}" for phrase, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return roles, phrases


class _Grouped:
    """Rows sorted by their leading `width` columns, handed out one key at a time."""

    def __init__(self, rows: Iterator[tuple], width: int = 1) -> None:
        self.rows, self.width = rows, width
        self.head: tuple | None = next(rows, None)

    def take(self, wanted: object) -> list:
        found = []
        while self.head is not None and self._key() < wanted:  # type: ignore[operator]
            self.head = next(self.rows, None)
        while self.head is not None and self._key() == wanted:
            found.append(self.head if self.width > 1 else self.head[1])
            self.head = next(self.rows, None)
        return found

    def _key(self) -> object:
        assert self.head is not None
        return self.head[0] if self.width == 1 else self.head[: self.width]


def read_graphml(path: Path) -> nx.Graph:
    """A GraphML file written by entigraph (or any GraphML graph), as graph.store.graphs
    describes the graph: the joined strings read back into lists (aliases, merges,
    evidence as `Evidence`, relations and phrases as `LinkRelation`s). Raises GraphFileError
    naming the file and the problem. A file of another tool keeps what it has."""
    import networkx as nx

    path = Path(path)
    try:
        graph = nx.read_graphml(path)
    except OSError as err:
        raise GraphFileError(f"cannot read {path}: {err.strerror or err}") from err
    except (ParseError, nx.NetworkXError, ValueError, KeyError, TypeError) as err:
        raise GraphFileError(f"{path} is not a GraphML graph: {err}") from err
    if graph.is_directed() or graph.is_multigraph():
        graph = nx.Graph(graph)
    for _, data in graph.nodes(data=True):
        data["aliases"] = tuple(a for a in str(data.get("aliases", "")).split(" | ") if a)
        data["merges"] = tuple(m for m in str(data.get("merges", "")).split("\n") if m)
    for u, v, data in graph.edges(data=True):
        data["evidence"] = tuple(_evidence(line) for line in str(data.get("evidence", "")).split("\n") if line)
        a, b = sorted((u, v), key=lambda n: _label(graph, n))
        data["relations"] = _relations(graph, str(data.get("relations", "")), a, b)
        data["phrases"] = tuple(
            LinkRelation("", phrase, a, b, count, Evidence("", 0, 0, ""))
            for phrase, count in _phrases(str(data.get("phrases", "")))
        )
    return graph


class GraphFileError(EntigraphError):
    """The graph file is missing or is not a GraphML graph."""


def _evidence(line: str) -> Evidence:
    """An evidence line, `[doc_id] sentence`."""
    match = re.match(r"\[(.*?)\] (.*)", line, re.S)
    return Evidence(match.group(1), 0, 0, match.group(2)) if match else Evidence("", 0, 0, line)


def _relations(graph: nx.Graph, text: str, a: str, b: str) -> tuple[LinkRelation, ...]:
    """The `role:Source>Target count` lines of a relations string; the ends are the link's
    two labels, which may themselves hold ">"."""
    found = []
    label_a, label_b = _label(graph, a), _label(graph, b)
    for line in text.split("\n"):
        role, _, rest = line.partition(":")
        ends, _, count = rest.rpartition(" ")
        if not role or not count.isdigit():
            continue
        source, target = (b, a) if ends == f"{label_b}>{label_a}" and ends != f"{label_a}>{label_b}" else (a, b)
        found.append(LinkRelation(role, "", source, target, int(count), Evidence("", 0, 0, "")))
    return tuple(found)


def _phrases(text: str) -> list[tuple[str, int]]:
    """The `phrase count; ...` of a phrases string."""
    found = []
    for part in text.split("; ") if text else ():
        phrase, _, count = part.rpartition(" ")
        if phrase and count.isdigit():
            found.append((phrase, int(count)))
    return found


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
    if _ATTRIBUTE_SPECIAL.search(value) is None:
        return value  # an id of letters, digits and _, as the project makes them
    for raw, escaped in _ATTRIBUTE_ESCAPES:
        value = value.replace(raw, escaped)
    return value


_ATTRIBUTE_SPECIAL = re.compile('[&<>"\r\n\t]')


_ATTRIBUTE_ESCAPES = (
    ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
    ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"),
)


def node_size(mentions: int, top: int) -> float:
    """Area grows with mentions: sqrt scaling between MIN_SIZE and MAX_SIZE."""
    return round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(mentions / max(top, 1)), 2)


def _node(row: tuple, aliases: list[str], merges: list[str], top: int) -> str:
    """A node's element from its `entities` row (entity, id, label, type, mentions,
    documents, sources, first_seen, last_seen, community, degree, weighted_degree,
    pagerank, betweenness), its aliases and merges: the keys in NODE_KEYS order, those a
    node has no value for left out."""
    _, node, label, kind, mentions, documents, sources, first, last, community, degree, strength, pagerank, between = row
    color = TYPE_COLORS.get(kind, UNKNOWN_COLOR)
    text = (
        f'    <node id="{_attribute(node)}">\n'
        + _element("label", label) + _element("type", kind)
        + f'      <data key="mentions">{mentions}</data>\n      <data key="documents">{documents}</data>\n'
    )
    if sources is not None:
        text += f'      <data key="sources">{sources}</data>\n'
    if first is not None:
        text += _element("first_seen", first) + _element("last_seen", last)
    text += _element("aliases", " | ".join(aliases)) + _element("merges", "\n".join(merges))
    if community is not None:
        text += f'      <data key="community">{community}</data>\n'
    if degree is not None:
        text += f'      <data key="degree">{degree}</data>\n'
    for key, value in (("weighted_degree", strength), ("pagerank", pagerank), ("betweenness", between)):
        if value is not None:
            text += f'      <data key="{key}">{float(value)!r}</data>\n'
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return text + (
        f'      <data key="size">{node_size(mentions, top)!r}</data>\n      <data key="color">{color}</data>\n'
        f'      <data key="r">{r}</data>\n      <data key="g">{g}</data>\n      <data key="b">{b}</data>\n    </node>\n'
    )


def _element(key: str, value: str) -> str:
    """A `<data>` element holding text, escaped; the empty one closed at once."""
    if _NEEDS_ESCAPING.search(value) is not None:
        value = _text(xml_text(value))
    return f'      <data key="{key}">{value}</data>\n' if value else f'      <data key="{key}" />\n'


# What `_text` and `xml_text` would change: most text has none of it and is written as is.
_NEEDS_ESCAPING = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

"""Interactive HTML view of the entity graph: one self-contained, offline page.

Job: turn the co-occurrence graph into a page an analyst opens from disk (file://) to
search, filter and read the evidence behind each link.
Input: the networkx Graph built by the edge builder (node attrs label/type/mentions/
documents/aliases/merges/community, and pagerank/betweenness/degree when present; edge
attrs weight/documents/evidence, and sources/npmi/relations/phrases when present).
Output: one UTF-8 HTML file holding vis-network (inlined from the pyvis package), our own
CSS/JS and the graph as JSON; it makes no network request and is byte-identical for the
same graph.
What it cannot hold: more than `max_nodes` entities (the most mentioned are kept, with a
visible note); graph attributes other than those listed; positions the analyst drags
into place (nothing is saved back). Every node carries the seeded layout of
`graph.layout` (communities apart, unlinked entities on a shelf below); up to 300 nodes the page refines it with physics, above that it opens with physics off,
because the browser cannot simulate thousands of nodes quickly; past 15,000 links
the page opens with the lightest filtered out (a note says so; the slider restores them).

pyvis' own template is not used: it loads bootstrap and tom-select from CDNs even when
told to inline, and its `add_edge` scans every edge per call (quadratic), so we build
the vis-network data ourselves and reuse only pyvis' copy of vis-network.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

import networkx as nx

from graph.atomic import atomic_write
from graph.errors import OutputError
from graph.layout import layout
from graph.model import TYPE_COLORS

# Above this many shown nodes the browser would spend seconds simulating physics, so the
# page opens on the positions computed here with physics off.
FIXED_LAYOUT_ABOVE = 300
# vis-network takes ~0.1 ms to build an edge and redraws every edge each frame: past this
# many, the page opens with the lightest links filtered out (the slider brings them back).
EDGE_BUDGET = 15_000
# Colour for a type the model does not know (the page must still draw it).
UNKNOWN_TYPE_COLOR = "#9c9c9c"
# Tableau 10 plus two: community ids cycle through these.
COMMUNITY_COLORS = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295",
)  # fmt: skip

# Characters that could end the <script> element or a JS string early.
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def write_html(graph: nx.Graph, path: Path, *, max_nodes: int = 500, title: str = "entigraph") -> None:
    """Write the interactive view of `graph` to `path` (atomically)."""
    page = render_html(graph, max_nodes=max_nodes, title=title)
    with atomic_write(Path(path)) as handle:
        handle.write(page)


def render_html(graph: nx.Graph, *, max_nodes: int = 500, title: str = "entigraph") -> str:
    """The page `write_html` writes, as a string."""
    if max_nodes < 1:
        raise OutputError(f"max_nodes must be at least 1 to draw a graph, got {max_nodes}")
    kept = select_nodes(graph, max_nodes)
    payload = _payload(graph, kept)
    notes = []
    if len(kept) < graph.number_of_nodes():
        notes.append(
            f'<p id="note">showing {len(kept):,} of {graph.number_of_nodes():,} entities '
            "(the most mentioned)</p>"
        )
    if payload["minWeight"] > 0:
        notes.append(
            f'<p id="edge-note">links lighter than {payload["minWeight"]:g} are hidden to keep '
            "the view responsive: lower the min link weight to see them</p>"
        )
    vis_dir = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    assets = resources.files("graph.export") / "assets"
    return Template(_read(assets / "view.html")).substitute(
        title=html.escape(title),
        note="\n  ".join(notes),
        vis_css=_inline(_read(vis_dir / "vis-network.css"), "</style"),
        view_css=_inline(_read(assets / "view.css"), "</style"),
        data=script_json(payload),
        vis_js=_inline(_read(vis_dir / "vis-network.min.js"), "</script", "<!--"),
        view_js=_inline(_read(assets / "view.js"), "</script", "<!--"),
    )


def select_nodes(graph: nx.Graph, max_nodes: int) -> list[str]:
    """The ids of the `max_nodes` most-mentioned nodes (ties broken by id), sorted by id."""
    ranked = sorted(graph.nodes, key=lambda n: (-int(graph.nodes[n].get("mentions", 0)), str(n)))
    return sorted(ranked[:max_nodes], key=str)


def script_json(value: Any) -> str:
    """JSON that is safe inside `<script type="application/json">`: no `</script>` breakout."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


def _payload(graph: nx.Graph, kept: list[str]) -> dict[str, Any]:
    kept_set = set(kept)
    # weighted degree over the whole graph: truncating the view must not shrink a node
    strength = dict(graph.degree(weight="weight"))
    edges = sorted(
        ((min(u, v, key=str), max(u, v, key=str), attrs)
         for u, v, attrs in graph.edges(data=True)
         if u in kept_set and v in kept_set),
        key=lambda edge: (str(edge[0]), str(edge[1])),
    )  # fmt: skip
    fixed = len(kept) > FIXED_LAYOUT_ABOVE
    # Small graphs still get physics in the page, but from these positions: it settles in
    # a fraction of the iterations a random start needs.
    positions = layout(graph, kept)

    nodes = []
    for node_id in kept:
        attrs = graph.nodes[node_id]
        node: dict[str, Any] = {
            "id": str(node_id),
            "label": str(attrs.get("label", node_id)),
            "type": str(attrs.get("type", "")),
            "mentions": int(attrs.get("mentions", 0)),
            "documents": int(attrs.get("documents", 0)),
            "aliases": [str(a) for a in attrs.get("aliases", ())],
            "merges": [str(m) for m in attrs.get("merges", ())],
            "strength": round(float(strength.get(node_id, 0.0)), 3),
        }
        if attrs.get("community") is not None:
            node["community"] = int(attrs["community"])
        # the edge builder sets these; hand-built graphs may not
        for key in ("pagerank", "betweenness"):
            if attrs.get(key) is not None:
                node[key] = float(attrs[key])
        if attrs.get("degree") is not None:
            node["degree"] = int(attrs["degree"])
        node["x"], node["y"] = positions[node_id]
        nodes.append(node)

    types = sorted({n["type"] for n in nodes})
    index = {node_id: i for i, node_id in enumerate(kept)}
    return {
        "layout": "fixed" if fixed else "physics",
        "minWeight": default_min_weight([float(a.get("weight", 1.0)) for _, _, a in edges], EDGE_BUDGET),
        "types": {t: TYPE_COLORS.get(t, UNKNOWN_TYPE_COLOR) for t in types},
        "communityColors": list(COMMUNITY_COLORS),
        "nodes": nodes,
        # [from index, to index, weight, documents, [[doc, start, end, text], ...], extra?]:
        # arrays and node indexes are a third of the bytes of objects and ids at 50,000
        # edges; `extra` ({"sources": n, "npmi": x, "relations": [...], "phrases": [...]})
        # only on edges that carry any of them
        "edges": [_edge_row(index[u], index[v], u, attrs) for u, v, attrs in edges],
    }


def _edge_row(source: int, target: int, source_id: str, attrs: dict[str, Any]) -> list[Any]:
    row: list[Any] = [
        source,
        target,
        float(attrs.get("weight", 1.0)),
        int(attrs.get("documents", 0)),
        [[str(e.doc_id), int(e.start), int(e.end), str(e.text)] for e in attrs.get("evidence", ())],
    ]
    extra: dict[str, Any] = {}
    if attrs.get("sources") is not None:
        extra["sources"] = int(attrs["sources"])
    if attrs.get("npmi") is not None:
        extra["npmi"] = round(float(attrs["npmi"]), 4)
    # [role or phrase, 1 when it runs from the edge's second end to its first, count,
    # [doc, start, end, sentence]]
    for key, name in (("relations", "role"), ("phrases", "phrase")):
        if attrs.get(key):
            extra[key] = [
                [getattr(r, name), int(r.source != source_id), int(r.count),
                 [str(r.example.doc_id), int(r.example.start), int(r.example.end), str(r.example.text)]]
                for r in attrs[key]
            ]
    if extra:
        row.append(extra)
    return row


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


def _read(resource: Any) -> str:
    try:
        return resource.read_text(encoding="utf-8")
    except OSError as err:
        raise OutputError(f"cannot read the HTML view asset {resource}: {err}") from err


def _inline(text: str, *forbidden: str) -> str:
    # Inlined code must not contain what would end its element early in the HTML parser.
    for marker in forbidden:
        if marker in text.lower():
            raise OutputError(f"cannot inline an asset containing {marker!r}")
    return text

"""Interactive HTML view of the entity graph: one self-contained, offline page.

Job: turn the co-occurrence graph into a page an analyst opens from disk (file://) to
find any entity, open its neighbourhood, follow the story over time, read the evidence
behind each link in its paragraph and mark names that are one entity.
Input: the store: the most central entities up to the page's budget and the links among
them (as a networkx graph, graph.store.graphs), the documents' dates (for the histogram)
and the paragraphs each evidence sentence stands in (graph.export.paragraphs).
Output: one UTF-8 HTML file holding vis-network (inlined from the pyvis package), our own
CSS, the view's script (assets/view-*.js, inlined in VIEW_SCRIPTS order inside one
function) and the data as JSON (graph.export.view_data); it makes no network request and
is byte-identical for the same graph.
What it cannot hold: more than view_data.CARRY_ENTITIES entities or CARRY_LINKS links
(the most central are kept, with a visible note), more evidence and paragraph text than
its byte budgets; graph attributes other than those listed; positions the analyst drags
into place and merges marked (nothing is saved back: merges leave as a downloaded
aliases file). It opens drawing the `max_nodes` most mentioned entities, laid out by
`graph.layout`; up to 300 the page refines them with physics, above that physics is off.

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
from typing import TYPE_CHECKING, Any

from graph.atomic import atomic_write
from graph.errors import OutputError
from graph.export import view_data
from graph.export.paragraphs import evidence_paragraphs
from graph.model import DocumentInfo
from graph.store import Store
from graph.store.graphs import as_store

if TYPE_CHECKING:
    import networkx as nx

# The view's script, one file per job, inlined in this order: data access first (the only
# code that reads the JSON), then drawing, the date control, the panels, and the wiring.
VIEW_SCRIPTS = ("view-data.js", "view-draw.js", "view-timeline.js", "view-panels.js", "view-main.js")
# The offline page reaches nothing: no request leaves it, not even to its own origin.
OFFLINE_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"

# Characters that could end the <script> element or a JS string early.
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def write_html(source: Store | nx.Graph, path: Path, *, max_nodes: int = 500, title: str = "entigraph") -> None:
    """Write the interactive view of the store's graph (or of a networkx graph) to `path`
    (atomically)."""
    page = render_html(source, max_nodes=max_nodes, title=title)
    with atomic_write(Path(path)) as handle:
        handle.write(page)


def render_html(source: Store | nx.Graph, *, max_nodes: int = 500, title: str = "entigraph") -> str:
    """The page `write_html` writes, as a string: the graph's most central entities up to
    the page's budget, their links, the documents' dates and the evidence paragraphs."""
    store = as_store(source)
    if max_nodes < 1:
        raise OutputError(f"max_nodes must be at least 1 to draw a graph, got {max_nodes}")
    chosen = view_data.carry(store)
    opening = view_data.opening_nodes(chosen, max_nodes)
    paragraphs = evidence_paragraphs(store, view_data.wanted_evidence(chosen))
    documents = [
        DocumentInfo(doc_id, position, date)
        for doc_id, position, date in store.rows("SELECT doc_id, position, date FROM documents ORDER BY position")
    ]
    payload = view_data.payload(chosen, opening, documents=documents, paragraphs=paragraphs)
    return page(payload, chosen, opening, title)


def page(payload: dict[str, Any], chosen: view_data.Carried, opening: list[str], title: str) -> str:
    """The HTML of the view around its data."""
    notes = []
    if len(chosen.entities) < chosen.of_entities or len(chosen.links) < chosen.of_links:
        notes.append(
            f'<p id="carry-note">this page holds the {len(chosen.entities):,} most central of '
            f"{chosen.of_entities:,} entities and {len(chosen.links):,} of {chosen.of_links:,} links "
            "(graph.graphml holds all)</p>"
        )
    if len(opening) < len(chosen.entities):
        notes.append(
            f'<p id="note">showing {len(opening):,} of {len(chosen.entities):,} entities '
            "(the most mentioned): find any other by name, or expand one</p>"
        )
    if payload["minWeight"] > 0:
        notes.append(
            f'<p id="edge-note">links lighter than {payload["minWeight"]:g} are hidden to keep '
            "the view responsive: lower the min link weight to see them</p>"
        )
    return assemble(script_json(payload), title=title, notes=notes, scripts=VIEW_SCRIPTS, policy=OFFLINE_POLICY)


def assemble(data: str, *, title: str, notes: list[str], scripts: tuple[str, ...], policy: str) -> str:
    """The view's HTML: `data` (JSON made safe by `script_json`) read by the first of
    `scripts` (the data module), the page's `notes` (HTML), under the content security
    `policy`; shared by the file and `entigraph serve`."""
    vis_dir = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    assets = resources.files("graph.export") / "assets"
    script = "\n".join(_read(assets / name) for name in scripts)
    return Template(_read(assets / "view.html")).substitute(
        title=html.escape(title),
        csp=policy,
        note="\n  ".join(notes),
        vis_css=_inline(_read(vis_dir / "vis-network.css"), "</style"),
        view_css=_inline(_read(assets / "view.css"), "</style"),
        data=data,
        vis_js=_inline(_read(vis_dir / "vis-network.min.js"), "</script", "<!--"),
        # one function scope: the files share it and nothing of theirs is global
        view_js=_inline(f"(function () {{\n\"use strict\";\n{script}\n}})();", "</script", "<!--"),
    )


def select_nodes(source: Store | nx.Graph, max_nodes: int) -> list[str]:
    """The ids of the entities the page draws when it opens: the `max_nodes` most
    mentioned of those it carries (ties broken by id), sorted by id."""
    return view_data.opening_nodes(view_data.carry(as_store(source)), max_nodes)


def script_json(value: Any) -> str:
    """JSON that is safe inside `<script type="application/json">`: no `</script>` breakout."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


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

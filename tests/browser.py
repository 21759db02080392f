"""Shared helpers for the HTML view tests and benchmark: hand-built graphs that follow the
edge builder's contract, hand-made corpora with the extractions a recognizer would give,
and a headless Chromium page that records what the view does."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request

from graph.documents import paragraph_starts
from graph.model import TYPE_COLORS, Document, DocumentInfo, Evidence, Extraction, LinkRelation, Mention, Statement
from graph.recognize import named_paragraphs
from graph.names import normalize

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
# What a self-contained page may load: itself and in-memory resources.
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
READY = "body[data-state=ready]"

XSS_PAYLOADS = (
    "<img src=x onerror=window.__xss=1>",
    "<script>window.__xss=1</script>",
    '"></div><svg onload=window.__xss=1>',
    "{{ window.__xss=1 }} ${window.__xss=1}",
    "</script><script>window.__xss=1</script>",
    "\u2028alert(1)\u2029<!--",
)


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium; a missing binary is an error (CI installs it), never a skip."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: install Debian's chromium package to run browser tests")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@dataclass
class View:
    """A page showing an entigraph HTML file, with everything it requested or complained about."""

    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def remote_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(LOCAL_SCHEMES)]

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    # vis-network's own lists of what it draws: the truth, whatever the page did to get there
    def visible_node_ids(self) -> list[str]:
        return sorted(self.js("window.network.body.nodeIndices"))

    def visible_edge_count(self) -> int:
        return self.js("window.network.body.edgeIndices.length")

    def after_frame(self) -> None:
        """Wait until the next animation frame has run (sliders filter once per frame)."""
        self.js("new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))")

    def wait_centred_on_selection(self) -> None:
        """Wait until the view has come to rest on the first selected entity: the camera's
        animation ends there, however long a loaded machine takes to play it."""
        self.page.wait_for_function(
            """() => {
              const selected = window.network.getSelectedNodes();
              if (!selected.length) return false;
              const centre = window.network.getViewPosition();
              const at = window.network.getPositions([selected[0]])[selected[0]];
              return Math.hypot(centre.x - at.x, centre.y - at.y) < 1;
            }"""
        )

    def screen_point(self, canvas_xy: dict[str, float]) -> tuple[float, float]:
        """Page coordinates of a point in the network's canvas space."""
        dom = self.js("p => window.network.canvasToDOM(p)", canvas_xy)
        box = self.page.locator("#graph").bounding_box()
        assert box is not None
        return box["x"] + dom["x"], box["y"] + dom["y"]

    def click_node(self, node_id: str) -> None:
        position = self.js("id => window.network.getPositions([id])[id]", node_id)
        self.page.mouse.click(*self.screen_point(position))

    def edge_point(self, edge_id: str) -> tuple[float, float]:
        """Page coordinates of a point on the edge that no node covers (a node takes the mouse)."""
        edge = self.js("id => window.edges.get(id)", edge_id)
        ends = self.js("ids => window.network.getPositions(ids)", [edge["from"], edge["to"]])
        a, b = ends[edge["from"]], ends[edge["to"]]
        for t in (0.5, 0.4, 0.6, 0.3, 0.7):
            point = {"x": a["x"] + (b["x"] - a["x"]) * t, "y": a["y"] + (b["y"] - a["y"]) * t}
            dom = self.js("p => window.network.canvasToDOM(p)", point)
            hit = self.js(
                "p => [window.network.getNodeAt(p) ?? null, window.network.getEdgeAt(p) ?? null]", dom
            )
            if hit == [None, edge_id]:
                return self.screen_point(point)
        raise AssertionError(f"no free point on edge {edge_id}")

    def click_edge(self, edge_id: str) -> None:
        self.page.mouse.click(*self.edge_point(edge_id))

    def shoot(self, artifacts: Path, name: str) -> None:
        artifacts.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(artifacts / f"{name}.png"))


def open_view(
    browser: Browser, path: Path | str, *, block_remote: bool = False, offline: bool = False
) -> View:
    """Open `path` from file:// (or a served view's URL) and wait until the view says it
    is drawn and stable; `offline` cuts the page's network off as a machine without one would."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.context.set_offline(offline)
    view = View(page)
    page.on("request", lambda request: view.requests.append(request.url))
    page.on("console", lambda message: _record_console(view, message))
    page.on("pageerror", lambda error: view.errors.append(f"pageerror: {error}"))
    page.on("dialog", lambda dialog: (view.dialogs.append(dialog.message), dialog.dismiss()))
    if block_remote:
        page.route("**/*", _only_local)
    page.goto(path if isinstance(path, str) else path.resolve().as_uri())
    page.wait_for_selector(READY, state="attached", timeout=30_000)
    return view


def _record_console(view: View, message: ConsoleMessage) -> None:
    if message.type in ("error", "warning"):
        view.errors.append(f"console {message.type}: {message.text}")


def _only_local(route: Any) -> None:
    request: Request = route.request
    if request.url.startswith(LOCAL_SCHEMES):
        route.continue_()
    else:
        route.abort()


def add_entity(
    graph: nx.Graph,
    node_id: str,
    label: str,
    kind: str,
    mentions: int,
    *,
    aliases: tuple[str, ...] = (),
    merges: tuple[str, ...] = (),
    community: int | None = None,
) -> None:
    attrs: dict[str, Any] = {
        "label": label,
        "type": kind,
        "mentions": mentions,
        "documents": max(1, mentions // 2),
        "aliases": aliases,
        "merges": merges,
        "color": TYPE_COLORS[kind],
    }
    if community is not None:
        attrs["community"] = community
    graph.add_node(node_id, **attrs)


def link(graph: nx.Graph, u: str, v: str, weight: float, *sentences: tuple[str, str]) -> None:
    """An edge whose evidence is (doc_id, sentence) pairs."""
    evidence = tuple(Evidence(doc, 10 * i, 10 * i + len(text), text) for i, (doc, text) in enumerate(sentences))
    graph.add_edge(u, v, weight=weight, documents=len({doc for doc, _ in sentences}), evidence=evidence)


def relate(graph: nx.Graph, u: str, v: str, kind: str, *found: tuple[str, str, str, int, str]) -> None:
    """Put `kind` ("relations" or "phrases") on an edge: (name, source, target, count,
    sentence) each, the name a role for relations and a phrase for phrases."""
    made = tuple(
        LinkRelation(name if kind == "relations" else "", name if kind == "phrases" else "", source, target, count,
                     Evidence("r.txt", 0, len(sentence), sentence))
        for name, source, target, count, sentence in found
    )  # fmt: skip
    graph.edges[u, v][kind] = made


def related_graph() -> nx.Graph:
    """news_graph with typed relations and phrases on two of its links."""
    g = news_graph()
    relate(g, "PERSON_yahya_sinwar", "ORG_hamas", "relations",
           ("head_of", "PERSON_yahya_sinwar", "ORG_hamas", 3, "Sinwar leads Hamas in Gaza."))  # fmt: skip
    relate(g, "PERSON_yahya_sinwar", "ORG_hamas", "phrases",
           ("lead", "PERSON_yahya_sinwar", "ORG_hamas", 3, "Sinwar leads Hamas in Gaza."),
           ("praise", "ORG_hamas", "PERSON_yahya_sinwar", 1, "Hamas praised Sinwar."))  # fmt: skip
    relate(g, "PERSON_benjamin_netanyahu", "ORG_hamas", "phrases",
           ("vow to defeat", "PERSON_benjamin_netanyahu", "ORG_hamas", 2, "Netanyahu vowed to defeat Hamas."))  # fmt: skip
    return g


def news_graph() -> nx.Graph:
    """Ten entities of three types in two communities; link weights 1-6."""
    g = nx.Graph()
    add_entity(g, "PERSON_benjamin_netanyahu", "Benjamin Netanyahu", "PERSON", 40,
               aliases=("Netanyahu", "Bibi"), merges=("'Netanyahu' is a surname of 'Benjamin Netanyahu'",),
               community=0)  # fmt: skip
    add_entity(g, "PERSON_joe_biden", "Joe Biden", "PERSON", 30, aliases=("Biden",), community=1)
    add_entity(g, "PERSON_yahya_sinwar", "Yahya Sinwar", "PERSON", 6, aliases=("Sinwar",), community=0)
    add_entity(g, "ORG_hamas", "Hamas", "ORG", 35, community=0)
    add_entity(g, "ORG_united_nations", "United Nations", "ORG", 12, aliases=("UN", "U.N."), community=1)
    add_entity(g, "ORG_white_house", "White House", "ORG", 9, community=1)
    add_entity(g, "PLACE_gaza", "Gaza", "PLACE", 50, aliases=("Gaza Strip",), community=0)
    add_entity(g, "PLACE_cairo", "Cairo", "PLACE", 8, community=1)
    add_entity(g, "PLACE_washington", "Washington", "PLACE", 7, community=1)
    add_entity(g, "PLACE_jerusalem", "Jerusalem", "PLACE", 3, community=0)
    link(g, "PERSON_benjamin_netanyahu", "ORG_hamas", 6,
         ("a.txt", "Netanyahu vowed to defeat Hamas."),
         ("b.txt", "Benjamin Netanyahu rejected the Hamas proposal in Jerusalem."))  # fmt: skip
    link(g, "PERSON_benjamin_netanyahu", "PERSON_joe_biden", 5,
         ("c.txt", "Biden called Netanyahu on Sunday."))  # fmt: skip
    link(g, "PERSON_benjamin_netanyahu", "PLACE_gaza", 4, ("a.txt", "Netanyahu said the war in Gaza would go on."))
    link(g, "ORG_hamas", "PLACE_gaza", 6, ("a.txt", "Hamas runs Gaza."))
    link(g, "PERSON_yahya_sinwar", "ORG_hamas", 3, ("d.txt", "Sinwar leads Hamas in Gaza."))
    link(g, "PERSON_joe_biden", "ORG_white_house", 3, ("c.txt", "Biden spoke at the White House."))
    link(g, "ORG_white_house", "PLACE_washington", 2, ("e.txt", "The White House in Washington said no."))
    link(g, "ORG_united_nations", "PLACE_gaza", 2, ("f.txt", "The UN sent aid to Gaza."))
    link(g, "ORG_united_nations", "PLACE_cairo", 1, ("g.txt", "U.N. envoys met in Cairo."))
    link(g, "PLACE_cairo", "PLACE_gaza", 1, ("g.txt", "Talks in Cairo on Gaza stalled."))
    link(g, "PERSON_benjamin_netanyahu", "PLACE_jerusalem", 1, ("b.txt", "Netanyahu spoke in Jerusalem."))
    return g


def xss_graph() -> nx.Graph:
    """Every string a document can put in the graph carries a script payload."""
    g = nx.Graph()
    for i, payload in enumerate(XSS_PAYLOADS):
        add_entity(g, f"PERSON_p{i}", f"P{i} {payload}", "PERSON", 10 + i,
                   aliases=(f"alias{i} {payload}",), merges=(f"merged because {payload}",))  # fmt: skip
    add_entity(g, "ORG_x", "X Corp", "ORG", 5)
    for i, payload in enumerate(XSS_PAYLOADS):
        link(g, f"PERSON_p{i}", "ORG_x", i + 1, (f"doc{payload}", f"P{i} {payload} met X Corp {payload}"))
    return g


def synthetic_graph(nodes: int, *, edges_per_node: int = 10, seed: int = 1) -> nx.Graph:
    """A seeded graph shaped like a news corpus: skewed mentions, clustered links."""
    rng = random.Random(seed)
    kinds = ("PERSON", "ORG", "PLACE")
    g = nx.Graph()
    for i in range(nodes):
        kind = kinds[i % 3]
        add_entity(g, f"{kind}_entity_{i:05d}", f"{kind.title()} Entity {i}", kind,
                   max(1, int(1000 / (1 + i) ** 0.8)), aliases=(f"E{i}",), community=i % 17)  # fmt: skip
    ids = list(g.nodes)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < nodes * edges_per_node:  # g.number_of_edges() is O(nodes) per call
        u = rng.randrange(nodes)
        # mostly near neighbours in id order, so the graph has clusters to lay out
        v = (u + int(rng.expovariate(1 / 20)) + 1) % nodes if rng.random() < 0.8 else rng.randrange(nodes)
        if u != v and (min(u, v), max(u, v)) not in pairs:
            pairs.add((min(u, v), max(u, v)))
            doc = f"doc{rng.randrange(nodes * 3)}.txt"
            sentence = f"{g.nodes[ids[u]]['label']} met {g.nodes[ids[v]]['label']} at a summit on the economy."
            link(g, ids[u], ids[v], float(1 + int(rng.expovariate(0.5))), (doc, sentence))
    return g


_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


def hand_corpus(
    rows: list[tuple[str, str, str | None]], names: dict[str, str]
) -> tuple[list[Document], list[Extraction], list[DocumentInfo]]:
    """Documents (doc_id, text, date) and the extractions the recognizer would give if
    it found exactly `names` (name -> type) wherever they are written: sentences end at
    . ! ? or a line break, paragraphs at blank lines (as the recognizer finds them, with
    the paragraphs naming two names); offsets are the text's own."""
    documents, extractions, infos = [], [], []
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    for position, (doc_id, text, date) in enumerate(rows):
        statements = []
        sentences = 0
        starts = paragraph_starts(text)
        for match in _SENTENCE.finditer(text):
            if not match.group().strip():
                continue
            sentences += 1
            start = match.start() + len(match.group()) - len(match.group().lstrip())
            end = match.end()
            mentions = tuple(
                Mention(start + m.start(), start + m.end(), m.group(), m.group(), names[m.group()], names[m.group()], m.group())
                for m in pattern.finditer(text[start:end])
            )
            if mentions:
                paragraph = sum(1 for p in starts if p <= start)
                statements.append(Statement(start, end, normalize(text[start:end]), mentions, paragraph))
        documents.append(Document(doc_id, text, date))
        extractions.append(
            Extraction(doc_id, tuple(statements), sentences, paragraphs=named_paragraphs(text, statements, starts))
        )
        infos.append(DocumentInfo(doc_id, position, date))
    return documents, extractions, infos

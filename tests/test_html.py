"""The HTML view exporter without a browser: escaping, truncation, self-containment,
layout and byte-stable output."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from graph.errors import OutputError
from graph.export.html import VIEW_SCRIPTS, render_html, script_json, select_nodes, write_html
from graph.export.view_data import EDGE_BUDGET, FIXED_LAYOUT_ABOVE, default_min_weight
from tests.browser import XSS_PAYLOADS, add_entity, link, news_graph, synthetic_graph, xss_graph
from tests.conftest import built, extraction

# Strings in vis-network's licence header and code that name, but never load, a URL.
VIS_INERT_URLS = {
    "http://almende.com",
    "http://opensource.org/licenses/MIT",
    "http://www.apache.org/licenses/LICENSE-2.0",
    "http://www.w3.org/2000/svg",
    "https://github.com/uuidjs/uuid#getrandomvalues-not-supported",
    "https://github.com/visjs",
    "https://github.com/zloirock/core-js",
    "https://github.com/zloirock/core-js/blob/v3.21.1/LICENSE",
    "https://visjs.github.io/vis-network/",
}


def data_block(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert match, "the page has no graph data block"
    return json.loads(match.group(1))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("</script><script>alert(1)</script>", id="script-close"),
        pytest.param("<!--<script>", id="comment-open"),
        pytest.param("a & b > c", id="amp-gt"),
        pytest.param("line\u2028sep\u2029para", id="js-line-separators"),
        pytest.param('"quoted" \\ back', id="quotes-backslash"),
    ],
)
def test_script_json_escapes_markup_and_round_trips(text: str) -> None:
    encoded = script_json({"text": text})
    assert not set(encoded) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(encoded) == {"text": text}


def test_document_payloads_appear_only_escaped_in_the_page() -> None:
    page = render_html(xss_graph(), title=XSS_PAYLOADS[0])
    for payload in XSS_PAYLOADS:
        if "<" in payload:
            assert payload not in page
    assert "<title>&lt;img src=x onerror=window.__xss=1&gt;</title>" in page
    # our three script elements and nothing else open or close one
    assert page.count("<script") == 3 + page.count('"<script>"+')
    assert page.count("</script>") == 3
    labels = {n[1] for n in data_block(page)["entities"]}
    assert {f"P{i} {p}" for i, p in enumerate(XSS_PAYLOADS)} <= labels


@pytest.mark.parametrize("name", VIEW_SCRIPTS)
def test_view_script_never_hands_data_to_an_html_parser(name: str) -> None:
    script = (Path(__file__).resolve().parent.parent / "graph/export/assets" / name).read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script


@pytest.mark.parametrize(
    ("mentions", "max_nodes", "kept"),
    [
        pytest.param({"a": 5, "b": 9, "c": 1}, 2, ["a", "b"], id="most-mentioned"),
        pytest.param({"b": 3, "a": 3, "c": 3}, 2, ["a", "b"], id="ties-by-id"),
        pytest.param({"a": 1, "b": 2}, 5, ["a", "b"], id="fewer-than-max"),
        pytest.param({}, 3, [], id="empty"),
    ],
)
def test_select_nodes_keeps_the_most_mentioned(mentions: dict[str, int], max_nodes: int, kept: list[str]) -> None:
    g = nx.Graph()
    for node, count in mentions.items():
        add_entity(g, node, node.upper(), "ORG", count)
    assert select_nodes(g, max_nodes) == kept


def test_page_opening_on_fewer_entities_carries_them_all_and_says_how_many_it_draws() -> None:
    page = render_html(news_graph(), max_nodes=4)
    assert '<p id="note">showing 4 of 10 entities (the most mentioned): find any other by name' in page
    assert 'id="carry-note"' not in page
    data = data_block(page)
    ids = [n[0] for n in data["entities"]]
    assert sorted(ids) == sorted(news_graph())
    assert sorted(ids[o[0]] for o in data["opening"]) == [
        "ORG_hamas", "PERSON_benjamin_netanyahu", "PERSON_joe_biden", "PLACE_gaza",
    ]  # fmt: skip
    assert len(data["links"]) == news_graph().number_of_edges()
    assert all(0 <= e[0] < e[1] < len(ids) for e in data["links"])


def test_untruncated_page_has_no_note() -> None:
    assert 'id="note"' not in render_html(news_graph())


def test_max_nodes_below_one_is_refused() -> None:
    with pytest.raises(OutputError, match="max_nodes"):
        render_html(news_graph(), max_nodes=0)


class _Markup(HTMLParser):
    """The tags and attributes of a page (script and style bodies are not markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.attributes: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.extend((tag, name, value) for name, value in attrs)


def test_page_loads_nothing_from_elsewhere() -> None:
    page = render_html(news_graph())
    assert "default-src 'none'" in page
    markup = _Markup()
    markup.feed(page)
    assert [a for a in markup.attributes if a[1] in ("src", "href", "srcset", "action", "poster")] == []
    assert not re.search(r"@import|url\((?!\s*[\"']?data:)", page)
    assert set(re.findall(r"https?://[^\s\"'()<>]*", page)) <= VIS_INERT_URLS
    assert "//cdn" not in page.lower()


def test_same_graph_gives_identical_bytes_whatever_the_insertion_order(tmp_path: Path) -> None:
    forward = news_graph()
    backward = nx.Graph()
    backward.add_nodes_from(reversed(list(forward.nodes(data=True))))
    backward.add_edges_from((v, u, d) for u, v, d in reversed(list(forward.edges(data=True))))
    write_html(forward, tmp_path / "a.html")
    write_html(backward, tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_fixed_layout_page_is_byte_stable(tmp_path: Path) -> None:
    graph = synthetic_graph(FIXED_LAYOUT_ABOVE + 20, edges_per_node=3)
    write_html(graph, tmp_path / "a.html")
    write_html(graph, tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


@pytest.mark.parametrize(
    ("nodes", "layout"),
    [
        pytest.param(FIXED_LAYOUT_ABOVE, "physics", id="at-threshold"),
        pytest.param(FIXED_LAYOUT_ABOVE + 1, "fixed", id="above-threshold"),
    ],
)
def test_large_graphs_open_fixed_and_small_ones_refine_with_physics(nodes: int, layout: str) -> None:
    data = data_block(render_html(synthetic_graph(nodes, edges_per_node=2), max_nodes=nodes))
    assert data["layout"] == layout
    assert len(data["opening"]) == nodes
    assert all(isinstance(x, int) and isinstance(y, int) for _, x, y in data["opening"])


def test_node_and_edge_data_reach_the_page_intact() -> None:
    data = data_block(render_html(news_graph()))
    ids = [n[0] for n in data["entities"]]
    bibi = data["entities"][ids.index("PERSON_benjamin_netanyahu")]
    # [id, label, type, mentions, documents, aliases, merges, strength, community], the
    # empty fields after it left out
    assert bibi == [
        "PERSON_benjamin_netanyahu", "Benjamin Netanyahu", "PERSON", 40, 20, ["Bibi", "Netanyahu"],
        ["'Netanyahu' is a surname of 'Benjamin Netanyahu'"], 16, 0,
    ]  # fmt: skip
    edge = next(e for e in data["links"] if {ids[e[0]], ids[e[1]]} == {"ORG_hamas", "PERSON_benjamin_netanyahu"})
    assert edge[2:4] == [6, 2]
    first = data["evidence"][edge[4][0]]
    assert [data["documents"][first[0]][0], *first[1:]] == ["a.txt", 0, 32, "Netanyahu vowed to defeat Hamas."]
    assert data["types"] == {"ORG": "#4e79a7", "PERSON": "#e15759", "PLACE": "#59a14f"}
    assert data["time"] is None


@pytest.mark.parametrize(
    ("weights", "budget", "expected"),
    [
        pytest.param([1, 2, 3], 3, 0.0, id="within-budget"),
        pytest.param([1, 1, 2, 3, 3], 3, 2.0, id="drops-lightest"),
        pytest.param([1, 2, 2, 2, 3], 3, 3.0, id="tie-at-cut-goes-over"),
        pytest.param([2, 2, 2, 2], 3, 0.0, id="all-equal-shows-all"),
    ],
)
def test_default_min_weight_keeps_links_within_budget(weights: list[float], budget: int, expected: float) -> None:
    assert default_min_weight(weights, budget) == expected


def test_page_over_the_link_budget_starts_filtered_and_says_so() -> None:
    graph = synthetic_graph(400, edges_per_node=EDGE_BUDGET // 400 + 5)
    page = render_html(graph)
    data = data_block(page)
    shown = sum(1 for e in data["links"] if e[2] >= data["minWeight"])
    assert data["minWeight"] > 1 and 0 < shown <= EDGE_BUDGET
    assert f'<p id="edge-note">links lighter than {data["minWeight"]:g} are hidden' in page


def test_nodes_without_community_carry_none() -> None:
    g = nx.Graph()
    add_entity(g, "ORG_a", "A", "ORG", 2)
    add_entity(g, "ORG_b", "B", "ORG", 1)
    link(g, "ORG_a", "ORG_b", 1, ("d", "A and B."))
    assert all(len(n) <= 8 for n in data_block(render_html(g))["entities"])


def test_unwritable_destination_raises_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(OutputError):
        write_html(news_graph(), blocker / "view.html")
    assert list(tmp_path.iterdir()) == [blocker]


def test_graph_from_the_edge_builder_renders_with_its_evidence() -> None:
    corpus = [
        extraction("a.txt", [("Hamas", "ORG"), ("Cairo", "PLACE")], [("Hamas", "ORG"), ("Gaza", "PLACE")]),
        extraction("b.txt", [("Hamas", "ORG"), ("Cairo", "PLACE"), ("Zoë <b>", "PERSON")]),
    ]
    graph = built(corpus)
    data = data_block(render_html(graph))
    labels = [n[1] for n in data["entities"]]
    assert {"Hamas", "Cairo", "Gaza"} <= set(labels)
    ids = [n[0] for n in data["entities"]]
    hamas_cairo = next(e for e in data["links"] if {labels[e[0]], labels[e[1]]} == {"Hamas", "Cairo"})
    assert hamas_cairo[2] == graph.edges[ids[hamas_cairo[0]], ids[hamas_cairo[1]]]["weight"]
    assert [data["documents"][data["evidence"][i][0]][0] for i in hamas_cairo[4]] == ["a.txt", "b.txt"]

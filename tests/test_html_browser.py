"""The HTML view in real headless Chromium, opened from file://: it draws offline, its
controls filter and explain the graph, and document text never runs as script."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from playwright.sync_api import Browser

import graph.export.view_data as view_data
from graph.export.html import select_nodes, write_html
from tests.browser import XSS_PAYLOADS, View, news_graph, open_view, relate, related_graph, synthetic_graph, xss_graph
from tests.conftest import ARTIFACTS


@pytest.fixture(scope="module")
def news_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("view") / "news.html"
    write_html(news_graph(), path, title="News <test>")
    return path


@pytest.fixture()
def view(browser: Browser, news_html: Path) -> Iterator[View]:
    opened = open_view(browser, news_html)
    yield opened
    opened.page.close()


def assert_clean(view: View) -> None:
    assert view.remote_requests() == []
    assert view.errors == []
    assert view.dialogs == []


def test_page_draws_every_entity_offline_without_errors(view: View) -> None:
    graph = news_graph()
    assert view.js("window.nodes.length") == graph.number_of_nodes()
    assert view.js("window.network.body.nodeIndices.length") == graph.number_of_nodes()
    assert view.visible_edge_count() == graph.number_of_edges()
    assert view.requests == [view.page.url]
    assert view.page.locator("#note").count() == 0
    assert view.page.title() == "News <test>"
    view.shoot(ARTIFACTS, "news-ready")
    assert_clean(view)


def test_physics_stops_once_stable_and_the_toggle_restarts_it(view: View) -> None:
    toggle = view.page.locator("#physics-toggle")
    assert not toggle.is_checked()
    assert view.js("window.network.physics.options.enabled") is False
    # Ten frames drawn: a running simulation would move something in each of them.
    moved = view.page.evaluate("""async () => {
        const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
        const before = JSON.stringify(window.network.getPositions());
        for (let i = 0; i < 10; i++) await frame();
        return JSON.stringify(window.network.getPositions()) !== before;
    }""")
    assert moved is False
    toggle.check()
    assert view.js("window.network.physics.options.enabled") is True
    assert_clean(view)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("Joe Biden", "PERSON_joe_biden", id="full-name"),
        pytest.param("bibi", "PERSON_benjamin_netanyahu", id="alias-any-case"),
        pytest.param("U.N.", "ORG_united_nations", id="alias-with-dots"),
    ],
)
def test_search_focuses_the_match_and_selects_its_neighbours(view: View, typed: str, expected: str) -> None:
    view.page.locator("#search").press_sequentially(typed)
    neighbours = sorted(news_graph().neighbors(expected))
    assert view.js("window.network.getSelectedNodes()")[0] == expected
    assert sorted(view.js("window.network.getSelectedNodes()")[1:]) == neighbours
    assert view.page.locator("#panel h2").text_content() == news_graph().nodes[expected]["label"]
    view.wait_centred_on_selection()  # the focus animation ends on it
    view.shoot(ARTIFACTS, f"search-{expected}")
    assert_clean(view)


def test_search_enter_takes_the_first_prefix_match(view: View) -> None:
    view.page.locator("#search").press_sequentially("wash")
    assert view.js("window.network.getSelectedNodes()") == []
    view.page.locator("#search").press("Enter")
    assert view.js("window.network.getSelectedNodes()")[0] == "PLACE_washington"


def test_search_without_a_match_marks_the_box_invalid(view: View) -> None:
    view.page.locator("#search").fill("Atlantis")
    view.page.locator("#search").press("Enter")
    assert view.page.locator("#search").get_attribute("aria-invalid") == "true"
    assert view.js("window.network.getSelectedNodes()") == []


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        pytest.param("ga", ["Gaza"], id="prefix-of-name-and-alias-once"),
        pytest.param("a", ["Gaza", "Benjamin Netanyahu", "Hamas", "United Nations", "Cairo", "Washington",
                           "Yahya Sinwar", "Jerusalem"], id="any-name-holding-it-most-mentioned-first"),
        pytest.param("S", ["Yahya Sinwar", "Gaza", "Hamas", "United Nations", "White House", "Washington",
                           "Jerusalem"], id="prefix-before-inside-any-case"),
    ],
)  # fmt: skip
def test_search_suggests_entities_as_the_user_types(view: View, typed: str, offered: list[str]) -> None:
    view.page.locator("#search").press_sequentially(typed)
    items = view.page.locator("#suggestions li")
    ids = items.evaluate_all("items => items.map(i => i.dataset.id)")
    assert [news_graph().nodes[i]["label"] for i in ids] == offered
    assert view.page.locator("#suggestions").is_visible()


@pytest.mark.parametrize("kind", ["PERSON", "ORG", "PLACE"], ids=str.lower)
def test_legend_button_hides_and_shows_a_type_without_moving_nodes(view: View, kind: str) -> None:
    graph = news_graph()
    of_kind = {n for n, d in graph.nodes(data=True) if d["type"] == kind}
    button = view.page.locator(f'#legend button[data-type="{kind}"]')
    assert button.text_content() == f"{kind} {len(of_kind)}"
    before = view.js("window.network.getPositions()")
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    assert view.visible_node_ids() == sorted(set(graph) - of_kind)
    assert view.visible_edge_count() == sum(1 for u, v in graph.edges if u not in of_kind and v not in of_kind)
    view.shoot(ARTIFACTS, f"legend-hide-{kind.lower()}")
    button.click()
    assert view.visible_node_ids() == sorted(graph)
    assert view.js("window.network.getPositions()") == before
    assert_clean(view)


def test_weight_slider_hides_lighter_links(view: View) -> None:
    slider = view.page.locator("#min-weight")
    slider.focus()
    for _ in range(3):
        slider.press("ArrowRight")
    view.after_frame()
    weights = [w for _, _, w in news_graph().edges(data="weight")]
    assert view.page.locator("#min-weight-value").text_content() == "3"
    assert view.visible_edge_count() == sum(1 for w in weights if w >= 3)
    assert len(view.visible_node_ids()) == news_graph().number_of_nodes()
    view.shoot(ARTIFACTS, "min-weight-3")
    assert_clean(view)


def test_mentions_slider_hides_rarely_mentioned_entities(view: View) -> None:
    slider = view.page.locator("#min-mentions")
    slider.focus()
    for _ in range(10):
        slider.press("ArrowRight")
    view.after_frame()
    graph = news_graph()
    assert view.visible_node_ids() == sorted(n for n, m in graph.nodes(data="mentions") if m >= 10)


def test_clicking_a_node_lists_its_details_and_strongest_neighbours(view: View) -> None:
    view.click_node("PERSON_benjamin_netanyahu")
    panel = view.page.locator("#panel")
    assert panel.locator("h2").text_content() == "Benjamin Netanyahu"
    text = panel.inner_text()
    assert "PERSON" in text and "40 mentions in 20 documents" in text
    assert panel.locator("h3:text('Aliases') + ul li").all_text_contents() == ["Bibi", "Netanyahu"]
    assert "is a surname of" in text
    neighbours = panel.locator("button.neighbour")
    assert neighbours.all_text_contents() == ["Hamas", "Joe Biden", "Gaza", "Jerusalem"]
    view.shoot(ARTIFACTS, "node-panel")
    neighbours.first.click()
    assert panel.locator("h2").text_content() == "Hamas"
    assert_clean(view)


def test_clicking_a_link_shows_its_evidence_with_both_names_marked(view: View) -> None:
    edge_id = view.js(
        "window.edges.get({filter: e => e.from === 'ORG_hamas' && e.to === 'PERSON_benjamin_netanyahu'})[0].id"
    )
    view.click_edge(edge_id)
    panel = view.page.locator("#panel")
    assert panel.locator("h2").text_content() == "Hamas \u2014 Benjamin Netanyahu"
    items = panel.locator("ol li")
    assert items.count() == 2
    assert items.nth(1).locator(".doc").text_content() == "b.txt @ 10\u201370"
    assert items.nth(0).locator("mark").all_text_contents() == ["Netanyahu", "Hamas"]
    assert items.nth(1).locator("mark").all_text_contents() == ["Benjamin Netanyahu", "Hamas"]
    view.shoot(ARTIFACTS, "edge-panel")
    assert_clean(view)


def test_colour_and_size_toggles_restyle_nodes(view: View) -> None:
    colour = "id => window.nodes.get(id).color.background"
    assert view.js(colour, "ORG_hamas") == "#4e79a7"
    view.page.locator("#color-by").select_option("community")
    assert view.js(colour, "ORG_hamas") == "#4e79a7"  # community 0 is the first palette colour
    assert view.js(colour, "PLACE_cairo") == "#f28e2b"
    view.page.locator("#size-by").select_option("strength")
    assert view.js("id => window.nodes.get(id).value", "PLACE_cairo") == 2


def test_hover_tooltip_is_plain_text(view: View) -> None:
    view.page.mouse.move(*view.screen_point(view.js("window.network.getPositions(['PLACE_gaza']).PLACE_gaza")))
    tooltip = view.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().startswith("Gaza\nPLACE \u00b7 50 mentions in 25 documents")


def test_script_payloads_in_documents_show_as_text_and_run_nothing(browser: Browser, tmp_path: Path) -> None:
    path = tmp_path / "xss.html"
    write_html(xss_graph(), path, title=XSS_PAYLOADS[0])
    view = open_view(browser, path)
    try:
        assert view.js("document.scripts.length") == 3
        assert view.js("document.querySelectorAll('img, svg, iframe').length") == 0
        for node in sorted(xss_graph()):
            view.page.mouse.move(*view.screen_point(view.js(f"window.network.getPositions(['{node}'])['{node}']")))
            view.page.wait_for_function(
                "t => document.querySelector('div.vis-tooltip')?.innerText.startsWith(t)",
                arg=view.js(f"window.nodes.get('{node}').label")[:40],
            )
        view.click_node("PERSON_p0")
        assert view.page.locator("#panel h2").text_content() == f"P0 {XSS_PAYLOADS[0]}"
        assert f"merged because {XSS_PAYLOADS[0]}" in view.page.locator("#panel").inner_text()
        tooltip = view.page.locator("div.vis-tooltip")
        for i, payload in enumerate(XSS_PAYLOADS):
            edge = view.js(f"window.edges.get({{filter: e => e.from === 'ORG_x' && e.to === 'PERSON_p{i}'}})[0].id")
            view.page.mouse.move(*view.edge_point(edge))
            view.page.wait_for_function(
                "t => document.querySelector('div.vis-tooltip')?.innerText.includes(t)", arg=f"met X Corp {payload}"[:40]
            )
            # vis sets plain text through innerText, which turns newlines into <br>: nothing else
            assert tooltip.evaluate("t => [...t.querySelectorAll('*')].every(c => c.tagName === 'BR')")
            view.click_edge(edge)
            assert view.page.locator("#panel .doc").text_content().startswith(f"doc{payload}")
        view.page.locator("#search").press_sequentially("alias1 <script>")
        view.page.locator("#search").press("Enter")
        assert view.page.locator("#panel h2").text_content() == f"P1 {XSS_PAYLOADS[1]}"
        view.shoot(ARTIFACTS, "xss-panel")
        assert view.js("window.__xss") is None
        assert view.js("document.querySelectorAll('img, svg, iframe').length") == 0
        assert_clean(view)
    finally:
        view.page.close()


def test_large_graph_opens_arranged_with_physics_off_and_a_truncation_note(
    browser: Browser, tmp_path: Path
) -> None:
    graph: nx.Graph = synthetic_graph(400, edges_per_node=3)
    path = tmp_path / "large.html"
    write_html(graph, path, max_nodes=350)
    view = open_view(browser, path)
    try:
        assert view.page.locator("#note").text_content() == (
            "showing 350 of 400 entities (the most mentioned): find any other by name, or expand one"
        )
        assert view.js("window.nodes.length") == 350
        assert not view.page.locator("#physics-toggle").is_checked()
        shipped = view.js("Object.fromEntries(window.nodes.get().map(n => [n.id, [n.x, n.y]]))")
        drawn = view.js("window.network.getPositions()")
        assert {k: [p["x"], p["y"]] for k, p in drawn.items()} == shipped
        view.shoot(ARTIFACTS, "large-350-of-400")
        assert_clean(view)
    finally:
        view.page.close()


def test_page_over_the_link_budget_opens_filtered_and_the_slider_restores_links(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(view_data, "EDGE_BUDGET", 5)
    path = tmp_path / "budget.html"
    write_html(news_graph(), path)
    view = open_view(browser, path)
    try:
        assert view.page.locator("#edge-note").is_visible()
        assert view.page.locator("#min-weight").input_value() == "4"
        assert view.visible_edge_count() == 4
        assert view.page.locator("#counts").text_content() == "10 entities, 4 of 11 links shown"
        view.page.locator("#min-weight").press("Home")
        view.after_frame()
        assert view.visible_edge_count() == news_graph().number_of_edges()
        assert_clean(view)
    finally:
        view.page.close()


def test_empty_graph_opens_without_errors(browser: Browser, tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    write_html(nx.Graph(), path)
    view = open_view(browser, path)
    try:
        assert view.js("window.nodes.length") == 0
        assert view.page.locator("#legend button").count() == 0
        assert_clean(view)
    finally:
        view.page.close()


# ---- reading at 500 entities: central labels, communities apart, unlinked set aside -----

# Every drawn label's box on screen, from vis' own measurements after the last frame.
LABEL_BOXES = """() => {
  const scale = window.network.getScale();
  return window.network.body.nodeIndices
    .map(id => window.network.body.nodes[id])
    .filter(n => n.labelModule.visible())
    .map(n => {
      const s = n.labelModule.size;
      const a = window.network.canvasToDOM({x: s.left, y: s.top});
      return {id: n.id, px: n.labelModule.fontOptions.size * scale,
              left: a.x, top: a.y, right: a.x + s.width * scale, bottom: a.y + s.height * scale};
    });
}"""


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["id"], b["id"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]
    ]


@pytest.fixture(scope="module")
def crowd() -> nx.Graph:
    """480 entities in 17 communities with centralities, plus 30 with no link at all
    (mentioned often enough to be among the 500 the page shows)."""
    from graph.analytics import add_centralities
    from tests.browser import add_entity

    graph = synthetic_graph(480, edges_per_node=3)
    for i in range(30):
        add_entity(graph, f"ORG_lonely_{i:02d}", f"Lonely Org {i}", "ORG", 20 + i)
    add_centralities(graph)
    return graph


@pytest.fixture(scope="module")
def crowd_html(crowd: nx.Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crowd") / "crowd.html"
    write_html(crowd, path)
    return path


def test_opening_view_labels_dozens_of_central_entities_legibly_without_overlap(
    browser: Browser, crowd: nx.Graph, crowd_html: Path
) -> None:
    view = open_view(browser, crowd_html)
    try:
        view.shoot(ARTIFACTS, "crowd-500-opening")
        boxes = view.js(LABEL_BOXES)
        assert 20 <= len(boxes) <= 40
        assert overlapping(boxes) == []
        assert min(b["px"] for b in boxes) >= 12.9
        ranked = sorted(crowd, key=lambda n: -crowd.nodes[n]["pagerank"])
        labelled = {b["id"] for b in boxes}
        assert ranked[0] in labelled
        # labels go to the most central that fit (here PageRanks are close, so a label
        # that would overlap passes to the next): every labelled entity is in the top third
        assert max(ranked.index(n) for n in labelled) < len(ranked) // 3
        assert_clean(view)
    finally:
        view.page.close()


def test_zooming_in_relabels_without_overlap_and_keeps_labels_legible(browser: Browser, crowd_html: Path) -> None:
    view = open_view(browser, crowd_html)
    try:
        before = {b["id"] for b in view.js(LABEL_BOXES)}
        view.js("window.network.moveTo({scale: window.network.getScale() * 3})")
        view.js("new Promise(r => { window.network.emit('zoom', {}); setTimeout(r, 400); })")
        view.after_frame()
        boxes = view.js(LABEL_BOXES)
        assert overlapping(boxes) == []
        assert all(12.9 <= b["px"] <= 18.1 for b in boxes)
        assert {b["id"] for b in boxes} - before, "zooming in shows labels that had no room before"
        view.shoot(ARTIFACTS, "crowd-500-zoomed")
    finally:
        view.page.close()


def test_unlinked_entities_sit_below_and_the_toggle_hides_them(browser: Browser, crowd: nx.Graph, crowd_html: Path) -> None:
    view = open_view(browser, crowd_html)
    try:
        positions = view.js("window.network.getPositions()")
        shown = select_nodes(crowd, 500)
        sub = crowd.subgraph(shown)
        unlinked = {n for n in shown if sub.degree(n) == 0}
        assert {n for n in crowd if n.startswith("ORG_lonely")} <= unlinked
        linked_bottom = max(p["y"] for n, p in positions.items() if n not in unlinked)
        assert all(positions[n]["y"] > linked_bottom for n in unlinked)
        assert view.page.locator("#unlinked-count").text_content() == str(len(unlinked))
        view.page.locator("#unlinked-toggle").uncheck()
        assert set(view.visible_node_ids()) == set(shown) - unlinked
        assert view.page.locator("#counts").text_content().startswith(f"{500 - len(unlinked)} entities")
        view.shoot(ARTIFACTS, "crowd-500-unlinked-hidden")
        view.page.locator("#unlinked-toggle").check()
        assert len(view.visible_node_ids()) == 500
        assert_clean(view)
    finally:
        view.page.close()


def test_communities_open_as_separate_patches(browser: Browser, crowd: nx.Graph, crowd_html: Path) -> None:
    view = open_view(browser, crowd_html)
    try:
        view.page.locator("#color-by").select_option("community")
        view.after_frame()
        view.shoot(ARTIFACTS, "crowd-500-communities")
        positions = view.js("window.network.getPositions()")
    finally:
        view.page.close()
    # patches: nearly every linked entity's nearest entity on the canvas is of its own
    # community (a random layout of 17 communities would manage about one in 17)
    sub = crowd.subgraph(positions)
    linked = [n for n in sub if sub.degree(n)]

    def nearest(node: str) -> str:
        x, y = positions[node]["x"], positions[node]["y"]
        return min((m for m in linked if m != node), key=lambda m: (positions[m]["x"] - x) ** 2 + (positions[m]["y"] - y) ** 2)

    same = sum(1 for n in linked if crowd.nodes[nearest(n)]["community"] == crowd.nodes[n]["community"])
    assert same >= 0.95 * len(linked)


def test_size_by_pagerank(browser: Browser, crowd: nx.Graph, crowd_html: Path) -> None:
    view = open_view(browser, crowd_html)
    try:
        node = "ORG_entity_00001"
        view.page.locator("#size-by").select_option("pagerank")
        assert view.js("id => window.nodes.get(id).value", node) == crowd.nodes[node]["pagerank"]
        view.click_node(node)
        assert f"PageRank {crowd.nodes[node]['pagerank']:.3g}" in view.page.locator("#panel").inner_text()
        assert_clean(view)
    finally:
        view.page.close()


def test_pagerank_size_is_offered_only_when_the_graph_has_it(view: View) -> None:
    assert view.page.locator('#size-by option[value="pagerank"]').is_disabled()


def test_link_panel_shows_sources_and_npmi_only_when_the_link_has_them(browser: Browser, tmp_path: Path) -> None:
    graph = news_graph()
    graph.edges["ORG_hamas", "PERSON_benjamin_netanyahu"].update(sources=2, npmi=0.4567)
    path = tmp_path / "npmi.html"
    write_html(graph, path)
    view = open_view(browser, path)
    try:
        find = "([a, b]) => window.edges.get({filter: e => e.from === a && e.to === b})[0].id"
        view.click_edge(view.js(find, ["ORG_hamas", "PERSON_benjamin_netanyahu"]))
        assert view.page.locator("#panel .meta").text_content() == "weight 6 \u00b7 2 documents \u00b7 2 sources \u00b7 npmi 0.46"
        view.click_edge(view.js(find, ["ORG_hamas", "PLACE_gaza"]))
        assert view.page.locator("#panel .meta").text_content() == "weight 6 \u00b7 1 document"
        assert_clean(view)
    finally:
        view.page.close()


def test_link_panel_shows_typed_relations_and_phrases_with_their_sentences_as_text(browser: Browser, tmp_path: Path) -> None:
    graph = related_graph()
    payload = XSS_PAYLOADS[0]
    relate(graph, "PERSON_benjamin_netanyahu", "ORG_hamas", "phrases",
           (f"vow {payload}", "PERSON_benjamin_netanyahu", "ORG_hamas", 2, f"Netanyahu vowed {payload} to defeat Hamas."))  # fmt: skip
    path = tmp_path / "relations.html"
    write_html(graph, path)
    view = open_view(browser, path)
    try:
        find = "([a, b]) => window.edges.get({filter: e => e.from === a && e.to === b})[0].id"
        view.click_edge(view.js(find, ["ORG_hamas", "PERSON_yahya_sinwar"]))
        panel = view.page.locator("#panel")
        assert panel.locator("h3").all_text_contents() == ["Relations", "Phrases", "Evidence"]
        relations, phrases = panel.locator("ul").nth(0).locator("li"), panel.locator("ul").nth(1).locator("li")
        assert relations.all_text_contents() == ["Yahya Sinwar \u2192 head_of \u2192 Hamas \u00b7 3"]
        assert phrases.count() == 2
        assert phrases.nth(0).locator(".relation").text_content() == "lead"
        assert phrases.nth(0).text_content().startswith("Yahya Sinwar \u2192 lead \u2192 Hamas \u00b7 3")
        assert phrases.nth(0).locator(".example mark").all_text_contents() == ["Sinwar", "Hamas"]
        assert phrases.nth(1).text_content().startswith("Hamas \u2192 praise \u2192 Yahya Sinwar \u00b7 1")
        view.shoot(ARTIFACTS, "relations-panel")
        view.click_edge(view.js(find, ["ORG_hamas", "PERSON_benjamin_netanyahu"]))
        assert panel.locator("h3").all_text_contents() == ["Phrases", "Evidence"]
        assert panel.locator(".relation").text_content() == f"vow {payload}"
        assert payload in panel.locator(".example").text_content()
        view.click_edge(view.js(find, ["ORG_hamas", "PLACE_gaza"]))
        assert panel.locator("h3").all_text_contents() == ["Evidence"]
        assert view.js("window.__xss") is None
        assert view.js("document.querySelectorAll('#panel img, #panel svg').length") == 0
        assert_clean(view)
    finally:
        view.page.close()

"""What the HTML view carries, without a browser: every entity and link within the budget,
evidence and paragraphs within theirs, the paragraph around each evidence sentence, and
the dates of the date control."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

import graph.export.view_data as view_data
from graph.export.html import render_html
from graph.export.paragraphs import PARAGRAPH_CHARS, evidence_paragraphs
from graph.model import Evidence
from graph.store import Store
from graph.store.graphs import to_networkx
from tests.browser import add_entity, hand_corpus, link, news_graph, synthetic_graph
from tests.conftest import recorded, store_of

NAMES = {"Anna Berg": "PERSON", "Norvik Mining": "ORG", "Tromsø": "PLACE", "Lars Holm": "PERSON"}
TEXT = (
    "Norvik Mining opened a pit.\n\n"
    "Anna Berg visited Norvik Mining in Tromsø on Monday. She said nothing. Lars Holm stayed away.\n\n"
    "The weather was cold."
)


def data_block(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert match
    return json.loads(match.group(1))


def store_for(rows: list[tuple[str, str, str | None]]) -> Store:
    """The store of a hand-made corpus, its documents dated as `rows` say."""
    _, extractions, infos = hand_corpus(rows, NAMES)
    return recorded(extractions, documents=infos)


def evidence_of(store: Store) -> list[Evidence]:
    return [e for _, _, ev in to_networkx(store).edges(data="evidence") for e in ev]


def test_page_over_the_carry_budget_keeps_the_most_central_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = news_graph()
    for rank, node in enumerate(sorted(graph)):
        graph.nodes[node]["pagerank"] = 1.0 / (rank + 1)
    monkeypatch.setattr(view_data, "CARRY_ENTITIES", 4)
    page = render_html(graph)
    data = data_block(page)
    assert sorted(n[0] for n in data["entities"]) == sorted(graph)[:4]
    among = graph.subgraph(sorted(graph)[:4])
    assert len(data["links"]) == among.number_of_edges()
    assert f'<p id="carry-note">this page holds the 4 most central of 10 entities and {among.number_of_edges()} of 11 links' in page


def test_links_over_the_carry_budget_keep_the_heaviest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view_data, "CARRY_LINKS", 3)
    data = data_block(render_html(news_graph()))
    heaviest = sorted((w for _, _, w in news_graph().edges(data="weight")), reverse=True)[:3]
    assert sorted((e[2] for e in data["links"]), reverse=True) == heaviest


def test_sentence_budget_gives_every_link_its_first_example_before_any_its_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    graph = nx.Graph()
    for i in range(4):
        add_entity(graph, f"ORG_{i}", f"Org {i}", "ORG", 10 - i)
    link(graph, "ORG_0", "ORG_1", 5, ("a", "x" * 40), ("b", "y" * 40))
    link(graph, "ORG_2", "ORG_3", 1, ("c", "z" * 40), ("d", "w" * 40))
    # room for three sentences of 40 bytes (each costs its text, its doc id and 16)
    monkeypatch.setattr(view_data, "SENTENCE_BYTES", 3 * 57)
    heavy, light = data_block(render_html(graph))["links"]
    evidence = data_block(render_html(graph))["evidence"]
    assert [evidence[i][3] for i in heavy[4]] == ["x" * 40, "y" * 40]
    assert [evidence[i][3] for i in light[4]] == ["z" * 40]
    # the count left out: the panel says how many more graph.graphml holds
    assert light[5:] == [1] and heavy[5:] == []


def test_evidence_paragraph_is_the_documents_own_with_every_entity_marked() -> None:
    store = store_for([("d1", TEXT, None)])
    evidence = evidence_of(store)
    found = evidence_paragraphs(store, evidence)
    example = next(e for e in evidence if e.text.startswith("Anna Berg visited"))
    paragraph = found[("d1", example.start)]
    assert paragraph.text == "Anna Berg visited Norvik Mining in Tromsø on Monday. She said nothing. Lars Holm stayed away."
    assert TEXT[paragraph.start : paragraph.start + len(paragraph.text)] == paragraph.text
    marked = [paragraph.text[a:b] for a, b, _ in paragraph.marks]
    assert marked == ["Anna Berg", "Norvik Mining", "Tromsø", "Lars Holm"]
    assert not paragraph.cut_before and not paragraph.cut_after


def test_a_graph_without_its_documents_gives_evidence_no_paragraph() -> None:
    """A graph read back from a GraphML file keeps its evidence sentences, not their
    documents' paragraphs."""
    store = store_for([("d1", TEXT, None)])
    evidence = evidence_of(store)
    assert evidence_paragraphs(store_of(to_networkx(store)), evidence) == {}


def test_a_long_paragraph_is_cut_around_its_evidence_at_word_boundaries() -> None:
    filler = "word " * 1_000
    text = filler + "Anna Berg met Lars Holm there. " + filler
    store = store_for([("d1", text, None)])
    start = text.index("Anna Berg")
    example = Evidence("d1", start, start + len("Anna Berg met Lars Holm there."), "Anna Berg met Lars Holm there.")
    paragraph = evidence_paragraphs(store, [example])[("d1", start)]
    assert paragraph.cut_before and paragraph.cut_after
    assert len(paragraph.text) <= PARAGRAPH_CHARS
    assert "Anna Berg met Lars Holm there." in paragraph.text
    assert paragraph.text.startswith("word ") and paragraph.text.endswith("word")


def test_page_carries_each_evidence_paragraph_once_with_its_marks() -> None:
    data = data_block(render_html(store_for([("d1", TEXT, "2025-03-04")])))
    labels = [e[1] for e in data["entities"]]
    assert len(data["paragraphs"]) == 1  # the visit's three links share their paragraph
    visit = next(p for p in data["paragraphs"] if p[1].startswith("Anna Berg"))
    assert [labels[m[2]] for m in visit[2]] == ["Anna Berg", "Norvik Mining", "Tromsø", "Lars Holm"]
    assert data["documents"] == [["d1", 0]]


@pytest.mark.parametrize(
    ("dates", "unit", "bins"),
    [
        pytest.param(["2025-01-01", "2025-01-03", "2025-01-03"], 1, [1, 0, 2], id="days"),
        pytest.param(["2024-01-01", "2024-12-30"], 7, [1] + [0] * 51 + [1], id="weeks-over-half-a-year"),
    ],
)
def test_time_histogram_counts_documents_per_day_or_week(dates: list[str], unit: int, bins: list[int]) -> None:
    rows = [(f"d{i}", "Anna Berg met Lars Holm.", date) for i, date in enumerate(dates)]
    time = data_block(render_html(store_for(rows)))["time"]
    assert (time["start"], time["unit"], time["counts"]) == (dates[0], unit, bins)


def test_undated_corpus_has_no_time() -> None:
    assert data_block(render_html(store_for([("d1", TEXT, None)])))["time"] is None


def test_page_at_the_top_of_the_budget_stays_byte_stable() -> None:
    graph = synthetic_graph(2_000, edges_per_node=3)
    assert render_html(graph) == render_html(graph)

"""The sample corpus, built with the real model, read back as a user's tools would."""

from __future__ import annotations

import csv
import json
import re
import subprocess

import igraph
import networkx as nx
import pytest

from graph.names import normalize
from graph.pipeline import BuildOptions, build
from graph.store.graphs import to_networkx
from tests.browser import open_view
from tests.conftest import ARTIFACTS, GRAPHML_XSD, SAMPLE, edited_copy


@pytest.fixture(scope="module")
def outputs(sample_build):
    summary, out = sample_build
    return summary, out, nx.read_graphml(out / "graph.graphml")


def _node(graph: nx.Graph, label: str) -> dict:
    matches = [data for _, data in graph.nodes(data=True) if data["label"] == label]
    assert len(matches) == 1, f"{label!r}: {len(matches)} nodes"
    return matches[0]


def test_summary_counts_the_whole_corpus(outputs):
    summary, out, graph = outputs
    assert summary.documents == 5
    assert summary.nodes == graph.number_of_nodes() > 20
    assert summary.edges == graph.number_of_edges() > 50
    assert [p.split("/")[-1] for p in summary.files] == [
        "graph.graphml", "graph.html", "mentions.csv", "relations.csv", "documents.csv"
    ]


@pytest.mark.parametrize(
    ("label", "entity_type"),
    [
        pytest.param("Hamas", "ORG", id="hamas"),
        pytest.param("Cairo", "PLACE", id="cairo"),
        pytest.param("Hassan Rashad", "PERSON", id="hassan-rashad"),
        pytest.param("Bassem Naim", "PERSON", id="bassem-naim"),
        # The model calls both PERSON; "the Ynet website" and "the head of Shin Bet" say otherwise.
        pytest.param("Ynet", "ORG", id="outlet-typed-by-context"),
        pytest.param("Shin Bet", "ORG", id="agency-typed-by-context"),
    ],
)
def test_key_entities_are_nodes_of_the_right_type(outputs, label, entity_type):
    _, _, graph = outputs
    assert _node(graph, label)["type"] == entity_type


@pytest.mark.parametrize(
    ("label", "alias"),
    [
        # "Reuters quoted Hamas leader Bassem Naim ... Naeem explained": one man, two spellings.
        pytest.param("Bassem Naim", "Naeem", id="surname-spelled-another-way"),
        pytest.param("Al Jazeera", "Al Jazeera Net", id="web-edition-of-an-outlet"),
    ],
)
def test_forms_of_one_entity_share_its_node(outputs, label, alias):
    _, _, graph = outputs
    assert alias in _node(graph, label)["aliases"].split(" | ")
    assert [d["label"] for _, d in graph.nodes(data=True) if alias in d["aliases"].split(" | ")] == [label]


def test_hamas_cairo_edge_quotes_real_sentences_of_the_corpus(outputs):
    _, _, graph = outputs
    ids = {data["label"]: node for node, data in graph.nodes(data=True)}
    edge = graph.edges[ids["Hamas"], ids["Cairo"]]
    assert edge["weight"] >= 2
    sources = {p.name: normalize(p.read_text(encoding="utf-8")) for p in SAMPLE.iterdir()}
    lines = edge["evidence"].splitlines()
    assert lines
    for line in lines:
        doc_id, sentence = line[1:].split("] ", 1)
        assert sentence in sources[doc_id]
        assert "Hamas" in sentence and "Cairo" in sentence


def test_graphml_validates_against_the_schema(outputs, xmllint):
    _, out, _ = outputs
    result = subprocess.run(
        [xmllint, "--noout", "--nonet", "--schema", str(GRAPHML_XSD), str(out / "graph.graphml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_networkx_and_igraph_read_the_same_graph(outputs, sample_store):
    _, out, graph = outputs
    built = to_networkx(sample_store)
    assert set(graph.nodes) == set(built.nodes)
    read_by_igraph = igraph.Graph.Read_GraphML(str(out / "graph.graphml"))
    names = read_by_igraph.vs["id"]
    igraph_weights = {
        frozenset((names[e.source], names[e.target])): e["weight"] for e in read_by_igraph.es
    }
    networkx_weights = {frozenset((u, v)): d["weight"] for u, v, d in graph.edges(data=True)}
    built_weights = {frozenset((u, v)): d["weight"] for u, v, d in built.edges(data=True)}
    assert igraph_weights == networkx_weights == built_weights
    assert sorted(read_by_igraph.vs["label"]) == sorted(nx.get_node_attributes(graph, "label").values())


def test_mentions_csv_offsets_point_at_the_mention_text(outputs):
    _, out, graph = outputs
    with open(out / "mentions.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["doc_id", "start", "end", "text", "label", "entity_id", "spacy_label"]
    texts = {p.name: p.read_text(encoding="utf-8") for p in SAMPLE.iterdir()}
    for row in rows:
        assert texts[row["doc_id"]][int(row["start"]) : int(row["end"])] == row["text"]
        assert row["entity_id"] in graph.nodes
        assert graph.nodes[row["entity_id"]]["type"] == row["label"]
    mentions = nx.get_node_attributes(graph, "mentions")
    assert sum(mentions.values()) == len(rows)


def test_relations_csv_rows_point_at_their_statement_and_agree_with_the_edges(outputs):
    _, out, graph = outputs
    with open(out / "relations.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows, "the sample corpus states who heads what"
    texts = {p.name: p.read_text(encoding="utf-8") for p in SAMPLE.iterdir()}
    roles = {"", "head_of", "member_of", "citizen_of", "based_in", "located_in", "part_of"}
    for row in rows:
        assert normalize(texts[row["doc_id"]][int(row["start"]) : int(row["end"])]) == row["evidence"]
        assert row["source"] in graph.nodes and row["target"] in graph.nodes and row["source"] != row["target"]
        assert row["relation"] in roles and (row["relation"] or row["phrase"])
        if graph.has_edge(row["source"], row["target"]):
            edge = graph.edges[row["source"], row["target"]]
            if row["relation"]:
                label = f"{graph.nodes[row['source']]['label']}>{graph.nodes[row['target']]['label']}"
                assert f"{row['relation']}:{label} " in edge["relations"]
            if row["phrase"]:
                assert row["phrase"] in edge["phrases"]


def test_html_view_is_self_contained(outputs):
    _, out, _ = outputs
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert "Hassan Rashad" in page
    # Licence comments may name URLs; nothing may load from one.
    loads = re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""", page)
    assert loads == []


def test_html_view_draws_the_sample_graph_in_chromium_offline(outputs, browser):
    _, out, graph = outputs
    view = open_view(browser, out / "graph.html", offline=True)
    try:
        assert view.js("window.network.body.nodeIndices.length") == graph.number_of_nodes()
        assert view.visible_edge_count() == graph.number_of_edges()
        assert view.remote_requests() == []
        assert view.errors == []
        view.shoot(ARTIFACTS, "sample-build")
    finally:
        view.page.close()


# -- the sample corpus, dated, plus an edited copy of one article -------------------------

COPIED = "003_dfe4ae73049aa4fc.txt"
DATES = {path.name: f"2025-04-{10 + i:02d}" for i, path in enumerate(sorted(SAMPLE.iterdir()))}
COPY_DATE = "2025-04-20"


@pytest.fixture(scope="module")
def syndicated(nlp, tmp_path_factory):
    """The sample corpus as dated JSONL rows, with an outlet's copy of one article last
    (new headline and byline, one sentence rewritten), built twice: near-duplicates
    grouped (the default) and kept apart. Returns (summary, out, graph, kept-apart graph)."""
    root = tmp_path_factory.mktemp("syndicated")
    rows = [{"id": name, "date": date, "text": (SAMPLE / name).read_text(encoding="utf-8")} for name, date in DATES.items()]
    rows.append({"id": "copy.txt", "date": COPY_DATE, "text": edited_copy(rows[3]["text"])})
    assert rows[3]["id"] == COPIED
    corpus = root / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    cache = root / "cache.sqlite"
    summary = build([corpus], root / "out", BuildOptions(cache=cache), nlp=nlp)
    apart = build([corpus], root / "apart", BuildOptions(cache=cache, keep_duplicates=True), nlp=nlp)
    assert apart.cached == 6
    return (
        summary,
        root / "out",
        nx.read_graphml(root / "out" / "graph.graphml"),
        nx.read_graphml(root / "apart" / "graph.graphml"),
    )


def _edge(graph: nx.Graph, first: str, second: str) -> dict:
    ids = {data["label"]: node for node, data in graph.nodes(data=True)}
    return graph.edges[ids[first], ids[second]]


def test_the_copy_and_its_original_are_one_group_and_no_other_pair_is(syndicated):
    summary, out, _, _ = syndicated
    with open(out / "documents.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["doc_id"], r["duplicate_group"], r["date"]) for r in rows] == [
        *((name, name, date) for name, date in DATES.items()),
        ("copy.txt", COPIED, COPY_DATE),
    ]
    assert all(int(r["statements"]) > 10 and int(r["mentions"]) > 10 for r in rows)
    assert (summary.near_duplicates, summary.duplicate_groups) == (2, 1)
    assert str(summary).endswith("(2 near-duplicates grouped as 1 source)")


def test_an_edge_of_the_copied_article_has_fewer_sources_than_documents(syndicated):
    _, _, graph, apart = syndicated
    edge = _edge(graph, "Hamas", "Cairo")
    assert edge["documents"] == 6
    assert edge["sources"] == 5
    # Kept apart, every document is a source; the weights are the same either way.
    assert _edge(apart, "Hamas", "Cairo")["sources"] == 6
    assert all(d["sources"] == d["documents"] for _, _, d in apart.edges(data=True))
    assert nx.get_edge_attributes(apart, "weight") == nx.get_edge_attributes(graph, "weight")


def test_npmi_ranks_a_specific_pair_above_pairs_with_the_most_frequent_entity(syndicated):
    _, _, graph, _ = syndicated
    assert all(-1 <= d["npmi"] <= 1 for _, _, d in graph.edges(data=True))
    top = max(graph.nodes, key=lambda n: graph.nodes[n]["mentions"])
    assert graph.nodes[top]["label"] == "Hamas"
    # The heads of Mossad and Shin Bet are named together; Hamas is named everywhere.
    specific = _edge(graph, "Mossad", "Shin Bet")["npmi"]
    assert specific > _edge(graph, "Hamas", "Mossad")["npmi"]
    assert specific > max(d["npmi"] for _, _, d in graph.edges(top, data=True))


def test_dates_flow_to_first_and_last_seen(syndicated):
    _, _, graph, _ = syndicated
    hamas = _node(graph, "Hamas")
    assert (hamas["first_seen"], hamas["last_seen"]) == (min(DATES.values()), COPY_DATE)
    mossad = _edge(graph, "Mossad", "Shin Bet")
    named_in = {line[1:].split("]")[0] for line in mossad["evidence"].splitlines()}
    dates = [DATES[doc_id] for doc_id in named_in]
    assert (mossad["first_seen"], mossad["last_seen"]) == (min(dates), max(dates))
    assert all("first_seen" in d for _, d in graph.nodes(data=True))


# The French sample (data/sample_fr), with the French pipeline of the test extra: its
# recognizer labels people PER, places LOC (WikiNER's scheme, not OntoNotes').
SAMPLE_FR = SAMPLE.parent / "sample_fr"


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    out = tmp_path_factory.mktemp("french") / "out"
    problems: list[str] = []
    summary = build([SAMPLE_FR], out, BuildOptions(model="fr_core_news_sm"), on_problem=problems.append)
    return summary, problems, nx.read_graphml(out / "graph.graphml")


@pytest.mark.parametrize(
    ("label", "entity_type"),
    [
        pytest.param("Abdel Fattah al-Sissi", "PERSON", id="person-with-particle"),
        pytest.param("Jean-Noël Barrot", "PERSON", id="hyphenated-given-name"),
        pytest.param("Ursula von der Leyen", "PERSON", id="person-of-a-second-text"),
        pytest.param("Assimi Goïta", "PERSON", id="person-of-a-third-text"),
        pytest.param("Commission européenne", "ORG", id="organization"),
        pytest.param("Bamako", "PLACE", id="place"),
    ],
)
def test_a_french_corpus_gives_people_organizations_and_places(french, label, entity_type):
    _, _, graph = french
    assert _node(graph, label)["type"] == entity_type


def test_a_french_title_is_no_part_of_the_name_it_precedes(french):
    # "Mme Metsola" is read with the French lists (graph/lang/fr): the name "Metsola",
    # the surname of "Roberta Metsola" named before it.
    _, _, graph = french
    assert "Metsola" in _node(graph, "Roberta Metsola")["aliases"].split(" | ")
    assert not {"Mme Metsola", "Metsola"} & {data["label"] for _, data in graph.nodes(data=True)}


def test_french_names_in_one_statement_are_linked(french):
    _, _, graph = french
    ids = {data["label"]: node for node, data in graph.nodes(data=True)}
    assert graph.has_edge(ids["Abdel Fattah al-Sissi"], ids["Jean-Noël Barrot"])


def test_a_pipeline_whose_labels_give_a_type_is_not_warned_about(french):
    _, problems, _ = french
    assert not [p for p in problems if "entity labels" in p]


def test_a_pipeline_of_an_unknown_label_scheme_is_told_not_left_silent(tmp_path):
    import spacy

    nlp = spacy.blank("fr")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("entity_ruler").add_patterns([
        {"label": "PERSONNE", "pattern": "Jean Dupont"}, {"label": "LIEU", "pattern": "Lyon"},
    ])  # fmt: skip
    (tmp_path / "a.txt").write_text("Jean Dupont habite à Lyon.\n", encoding="utf-8")
    problems: list[str] = []
    build([tmp_path / "a.txt"], tmp_path / "out", BuildOptions(formats=("graphml",)), nlp=nlp, on_problem=problems.append)
    assert len(problems) == 1
    assert "LIEU, PERSONNE" in problems[0]
    assert "none of type PERSON, ORG, PLACE" in problems[0]

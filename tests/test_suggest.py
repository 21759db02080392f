"""Alias suggestions: which pairs are proposed and how they rank, on hand-made graphs;
the aliases file they are written as; and, on the sample corpus and the wire texts
built with the real model, the pairs found and what accepting them does to the graph."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest

from graph.errors import OutputError
from graph.export.graphml import read_graphml, write_graphml
from graph.pipeline import BuildOptions, build
from graph.resolve import read_aliases
from graph.suggest import aliases_file, suggest_aliases

from tests.browser import add_entity, link
from tests.conftest import SAMPLE, store_of

WIRE = Path(__file__).resolve().parent.parent / "data" / "eval" / "wire.jsonl"


def graph(*entities: tuple[str, str, int], links: tuple[tuple[str, str], ...] = ()) -> nx.Graph:
    """Nodes from (label, type, mentions), ids their labels; links of weight 1."""
    g = nx.Graph()
    for label, kind, mentions in entities:
        add_entity(g, label, label, kind, mentions)
    for a, b in links:
        link(g, a, b, 1, ("d.txt", f"{a} and {b}."))
    return g


def pairs(g: nx.Graph) -> list[tuple[str, str, str]]:
    """(alias, keep, rule) of each suggestion, best first."""
    return [(s.alias.label, s.keep.label, s.rule) for s in suggest_aliases(g).suggestions]


@pytest.mark.parametrize(
    ("entities", "expected"),
    [
        pytest.param([("Benjamin Netanyahu", "PERSON", 9), ("Netanyahu", "PERSON", 4)],
                     [("Netanyahu", "Benjamin Netanyahu", "short form")], id="surname"),
        pytest.param([("Gaza Strip", "PLACE", 3), ("Gaza", "PLACE", 20)],
                     [("Gaza", "Gaza Strip", "short form")], id="first-word"),
        pytest.param([("Abdel Fattah al-Sisi", "PERSON", 3), ("Sisi", "PERSON", 2)],
                     [("Sisi", "Abdel Fattah al-Sisi", "short form")], id="surname-without-its-particle"),
        pytest.param([("European Union", "ORG", 9), ("EU", "ORG", 4)],
                     [("EU", "European Union", "acronym")], id="acronym"),
        pytest.param([("Ismail Haniyeh", "PERSON", 5), ("Ismail Haniya", "PERSON", 2)],
                     [("Ismail Haniya", "Ismail Haniyeh", "spelling")], id="spelled-another-way"),
        pytest.param([("Al-Araby Al-Jadeed", "ORG", 5), ("Al Araby Al Jadeed", "ORG", 1)],
                     [("Al Araby Al Jadeed", "Al-Araby Al-Jadeed", "spelling")], id="same-letters"),
        pytest.param([("Egypt", "PLACE", 9), ("Égypte", "PLACE", 4)],
                     [("Égypte", "Egypt", "country")], id="one-country-in-two-languages"),
        pytest.param([("Allemagne", "PLACE", 2), ("Germany", "PLACE", 5)],
                     [("Allemagne", "Germany", "country")], id="a-country-of-other-letters"),
        pytest.param([("Egypt", "ORG", 9), ("Égypte", "PLACE", 4)], [], id="a-country-is-a-place"),
        pytest.param([("Gaza Strip", "PLACE", 3), ("Gaza", "ORG", 20)], [], id="never-across-types"),
        pytest.param([("Hussein Ali", "PERSON", 3), ("Hassan Ali", "PERSON", 3)], [], id="too-far-apart"),
        pytest.param([("Bank of England", "ORG", 3), ("England", "ORG", 3), ("Bank", "ORG", 3)],
                     [("Bank", "Bank of England", "short form"), ("England", "Bank of England", "short form")],
                     id="first-and-last-words"),
    ],
)
def test_a_pair_is_one_name_short_for_an_acronym_of_or_spelled_like_the_other(entities, expected):
    assert sorted(pairs(graph(*entities))) == sorted(expected)


def test_a_node_joins_as_a_short_form_or_acronym_only_under_its_own_label():
    g = graph(("Joe Biden", "PERSON", 30), ("Hunter Biden", "PERSON", 2), ("United Nations", "ORG", 12),
              ("UN Security Council", "ORG", 2), ("Ukrainian Navy", "ORG", 2))
    nx.set_node_attributes(g, {"Joe Biden": ("Joe Biden", "Biden"), "United Nations": ("United Nations", "UN")}, "aliases")
    assert pairs(g) == []


def test_shared_neighbours_rank_a_pair_higher():
    g = graph(
        ("Maria Lopez", "PERSON", 5), ("Lopez", "PERSON", 3), ("Juan Ortega", "PERSON", 5), ("Ortega", "PERSON", 3),
        ("Madrid", "PLACE", 4), ("Real Madrid", "ORG", 4),
        links=(("Maria Lopez", "Madrid"), ("Lopez", "Madrid"), ("Maria Lopez", "Real Madrid"), ("Lopez", "Real Madrid")),
    )
    found = suggest_aliases(g).suggestions
    assert [(s.alias.label, s.shared, s.neighbors) for s in found] == [
        ("Lopez", 2, ("Madrid", "Real Madrid")), ("Ortega", 0, ())
    ]
    assert found[0].score > found[1].score


def test_a_short_name_that_could_be_several_people_ranks_lower():
    g = graph(("Claire Le Goff", "PERSON", 5), ("Yann Le Goff", "PERSON", 5), ("Le Goff", "PERSON", 3),
              ("Anne Morel", "PERSON", 5), ("Morel", "PERSON", 3))
    scores = {(s.alias.label, s.keep.label): s.score for s in suggest_aliases(g).suggestions}
    assert scores[("Le Goff", "Claire Le Goff")] == scores[("Le Goff", "Yann Le Goff")] == scores[("Morel", "Anne Morel")] / 2


def test_a_longer_name_adding_a_word_of_other_names_is_perhaps_a_body_of_its_own():
    g = graph(("IMF", "ORG", 5), ("IMF Executive Board", "ORG", 1), ("UEFA Executive Committee", "ORG", 1),
              ("Green Bay Packers", "ORG", 2), ("Green Bay", "ORG", 2), ("Packers", "ORG", 1))
    found = {(s.alias.label, s.keep.label): s for s in suggest_aliases(g).suggestions}
    board = found[("IMF", "IMF Executive Board")]
    assert "adds 'executive', a word other names have" in board.why
    # "packers" is in another name too, but that name is a part of this one.
    team = found[("Green Bay", "Green Bay Packers")]
    assert "adds" not in team.why
    assert board.score < team.score


def test_limit_keeps_the_best_and_counts_them_all():
    g = graph(("Maria Lopez", "PERSON", 5), ("Lopez", "PERSON", 3), ("European Union", "ORG", 9), ("EU", "ORG", 4))
    result = suggest_aliases(g, limit=1)
    assert (result.found, [s.alias.label for s in result.suggestions]) == (2, ["EU"])


def test_suggestions_read_from_graphml_are_the_same_bytes_each_time(tmp_path):
    g = graph(("Benjamin Netanyahu", "PERSON", 9), ("Netanyahu", "PERSON", 4), ("European Union", "ORG", 9),
              ("EU", "ORG", 4), links=(("Netanyahu", "EU"), ("Benjamin Netanyahu", "EU")))
    nx.set_node_attributes(g, {"Netanyahu": ("Netanyahu", "NETANYAHU", "Netanjahu")}, "aliases")
    write_graphml(store_of(g), tmp_path / "graph.graphml")
    first = suggest_aliases(tmp_path / "graph.graphml", output=tmp_path / "a.csv")
    second = suggest_aliases(tmp_path / "graph.graphml", output=tmp_path / "b.csv")
    assert first.to_dict() == {**second.to_dict(), "output": first.output}
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    # Every name of the node that would join gets a row, one per name case aside.
    bibi = next(s for s in first.suggestions if s.alias.label == "Netanyahu")
    assert bibi.rows == (
        ("Benjamin Netanyahu", "Netanyahu", "PERSON"), ("Benjamin Netanyahu", "Netanjahu", "PERSON")
    )


def test_the_aliases_file_reads_as_nothing_until_a_row_is_uncommented(tmp_path):
    g = graph(("Benjamin Netanyahu", "PERSON", 9), ("Netanyahu", "PERSON", 4), ("#MeToo Movement", "ORG", 3),
              ("#MeToo", "ORG", 5), ('Smith, "Jones" & Co', "ORG", 2), ('Smith, "Jones"', "ORG", 1))
    path = tmp_path / "aliases.csv"
    suggest_aliases(g, output=path)
    text = path.read_text(encoding="utf-8")
    assert read_aliases(path) == {}
    accepted = tmp_path / "accepted.csv"
    accepted.write_text(text.replace('# "', '"'), encoding="utf-8")
    aliases = read_aliases(accepted)
    assert {k: a.name for k, a in aliases.items()} == {
        "benjamin netanyahu": "Benjamin Netanyahu", "netanyahu": "Benjamin Netanyahu",
        "#metoo movement": "#MeToo Movement", "#metoo": "#MeToo Movement",
        'smith, "jones" & co': 'Smith, "Jones" & Co', 'smith, "jones"': 'Smith, "Jones" & Co',
    }
    assert {a.type for a in aliases.values()} == {"PERSON", "ORG"}


def test_the_aliases_file_says_why_above_each_suggestion():
    g = graph(("Maria Lopez", "PERSON", 5), ("Lopez", "PERSON", 3), ("Madrid", "PLACE", 4),
              links=(("Maria Lopez", "Madrid"), ("Lopez", "Madrid")))
    text = aliases_file(suggest_aliases(g).suggestions, "out/graph.graphml")
    assert text.splitlines()[4:] == [
        "name,alias,type",
        "# 1. Lopez -> Maria Lopez (PERSON), short form, score 0.560: 'Lopez' ends 'Maria Lopez'; "
        "1 shared neighbour (Madrid); mentions 3 and 5",
        '# "Maria Lopez","Lopez","PERSON"',
    ]


def test_an_output_that_cannot_be_written_is_an_output_error_and_leaves_nothing(tmp_path):
    (tmp_path / "file").write_text("")
    g = graph(("European Union", "ORG", 9), ("EU", "ORG", 4))
    with pytest.raises(OutputError, match="cannot write to"):
        suggest_aliases(g, output=tmp_path / "file" / "aliases.csv")
    previous = tmp_path / "aliases.csv"
    previous.write_text("before")
    suggest_aliases(g, output=previous)
    assert previous.read_text().startswith("# 1 alias suggested")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aliases.csv", "file"]


# ---- with the real model: the sample corpus and the wire texts ----------------------


def _accept(path: Path, aliases: tuple[str, ...], accepted: Path) -> None:
    """Uncomment the rows of the suggestions whose alias is one of `aliases`."""
    lines, take = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        numbered = re.match(r"# \d+\. (.*?) -> ", line)
        if numbered:
            take = numbered.group(1) in aliases
        elif take and line.startswith('# "'):
            line = line[2:]
        lines.append(line)
    accepted.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _labels(graphml: Path) -> dict[str, tuple[str, int]]:
    return {data["label"]: (data["type"], int(data["mentions"])) for _, data in read_graphml(graphml).nodes(data=True)}


@pytest.mark.parametrize(
    ("corpus", "proposed", "accepted"),
    [
        pytest.param(SAMPLE, {("Gaza", "Gaza Strip", "PLACE")}, ("Gaza", "Gaza Strip"), id="sample"),
        pytest.param(
            WIRE,
            {("TORONTO", "Toronto Maple Leafs", "ORG"), ("Korea", "South Korea", "PLACE"),
             ("GREEN BAY", "Green Bay Packers", "PLACE")},
            ("TORONTO", "Toronto Maple Leafs"),
            id="wire",
        ),
    ],
)
def test_accepting_a_suggestion_makes_two_nodes_one(nlp, tmp_path, corpus, proposed, accepted):
    first = tmp_path / "first"
    build([corpus], first, BuildOptions(no_cache=True), nlp=nlp)
    suggestions = tmp_path / "aliases.csv"
    result = suggest_aliases(first, output=suggestions)
    assert proposed <= {(s.alias.label, s.keep.label, s.type) for s in result.suggestions}

    # Nothing accepted: the same graph.
    same = tmp_path / "same"
    build([corpus], same, BuildOptions(no_cache=True, aliases=suggestions), nlp=nlp)
    assert _labels(same / "graph.graphml") == _labels(first / "graph.graphml")

    alias, keep = accepted
    chosen = tmp_path / "accepted.csv"
    _accept(suggestions, (alias,), chosen)
    second = tmp_path / "second"
    build([corpus], second, BuildOptions(no_cache=True, aliases=chosen), nlp=nlp)
    before, after = _labels(first / "graph.graphml"), _labels(second / "graph.graphml")
    assert alias not in after
    assert after[keep] == (before[keep][0], before[keep][1] + before[alias][1])
    assert len(after) == len(before) - 1

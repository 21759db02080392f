"""`entigraph export` and graph.export.export: any format from a store already built, without
building, written all together or not at all; and `build --format` with the new formats."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from graph.export import FORMATS, export, state_of
from graph.pipeline import BuildOptions, build
from graph.store import STORE_NAME
from tests.conftest import SAMPLE

runner = CliRunner()


@pytest.fixture()
def built(sample_build, tmp_path) -> Path:
    """A copy of the sample corpus' output directory, for a test to write into."""
    out = tmp_path / "out"
    shutil.copytree(sample_build[1], out)
    return out


def _store_state(out: Path) -> bytes:
    """The store's bytes (a reader of a store in WAL mode makes its -shm and -wal files)."""
    wal = out / f"{STORE_NAME}-wal"
    return (out / STORE_NAME).read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_export_writes_into_the_build_directory_without_touching_the_store(built):
    before = _store_state(built)
    result = runner.invoke(app, ["export", str(built), "--format", "neo4j,ftm", "--documents"])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {built / 'neo4j'}, {built / 'entities.ftm.json'}\n"
    assert (built / "neo4j" / "documents.csv").is_file() and (built / "neo4j" / "mentions.csv").is_file()
    assert (built / "entities.ftm.json").stat().st_size > 0
    assert _store_state(built) == before
    assert not [p for p in built.iterdir() if p.is_dir() and p.name.startswith(".entigraph-")]  # no staging left


def test_export_output_names_another_directory_and_json_lists_the_files(built, tmp_path):
    other = tmp_path / "elsewhere"
    result = runner.invoke(app, ["export", str(built / STORE_NAME), "--format", "graphml,neo4j", "--output", str(other),
                                 "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert '"files"' in result.output and str(other / "neo4j") in result.output
    assert sorted(p.name for p in other.iterdir()) == ["graph.graphml", "neo4j"]
    assert not (other / "neo4j" / "documents.csv").exists()  # documents only when asked
    # the same bytes a build writes
    assert (other / "graph.graphml").read_bytes() == (built / "graph.graphml").read_bytes()


def test_export_reads_a_graphml_file_too(built, tmp_path):
    exported = export(built / "graph.graphml", "ftm,neo4j", tmp_path / "from-graphml")
    assert [Path(f).name for f in exported.files] == ["neo4j", "entities.ftm.json"]
    assert set(exported.seconds) == {"neo4j", "ftm"}


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        pytest.param(["--format", "neo4j,parquet"], 2, "Error: unknown format parquet; choose from", id="unknown-format"),
        pytest.param(["--format", ""], 2, "Error:", id="no-format"),
    ],
)
def test_export_refuses_bad_options_in_one_line(built, arguments, code, message):
    result = runner.invoke(app, ["export", str(built), *arguments])
    assert result.exit_code == code
    assert result.output.startswith(message) and result.output.count("\n") == 1


def test_export_of_a_directory_with_no_store_says_so_in_one_line(tmp_path):
    result = runner.invoke(app, ["export", str(tmp_path), "--format", "neo4j"])
    assert result.exit_code == 1
    assert result.output == f"Error: no store at {tmp_path / STORE_NAME} (build one with `entigraph build -o {tmp_path}`)\n"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(lambda root: root / "missing", "no graph at {path}: name an output directory", id="no-such-path"),
        pytest.param(lambda root: _written(root / "graph.db", b"not sqlite"), "{path}: not an entigraph store", id="not-a-store"),
    ],
)
def test_export_of_what_is_no_graph_says_so_in_one_line(tmp_path, make, message):
    path = make(tmp_path)
    result = runner.invoke(app, ["export", str(path), "--format", "ftm"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: " + message.format(path=path)) and result.output.count("\n") == 1
    assert not (tmp_path / "entities.ftm.json").exists()


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_failed_export_leaves_the_previous_files(built, monkeypatch):
    export(built, "neo4j,ftm")
    before = {p: p.read_bytes() for p in sorted(built.rglob("*")) if p.is_file()}

    def broken(store, path, options):
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(FORMATS, "ftm", FORMATS["ftm"].__class__("entities.ftm.json", broken))
    with pytest.raises(Exception, match="No space left on device"):
        export(built, "neo4j,ftm")
    assert {p: p.read_bytes() for p in sorted(built.rglob("*")) if p.is_file()} == before


def test_build_writes_the_new_formats_and_rewrites_a_folder_only_when_changed(nlp, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    out = tmp_path / "out"
    options = BuildOptions(formats=("graphml", "neo4j", "ftm"))
    first = build([corpus], out, options, nlp=nlp)
    assert sorted(Path(f).name for f in first.files) == ["entities.ftm.json", "graph.graphml", "neo4j"]
    again = build([corpus], out, options, nlp=nlp)
    assert again.files == ()
    # a file edited inside the folder changes its state: the next build writes it again
    entities = out / "neo4j" / "entities.csv"
    recorded = state_of(out / "neo4j")
    entities.write_text("edited\n", encoding="utf-8")
    os.utime(entities, ns=(entities.stat().st_atime_ns, entities.stat().st_mtime_ns + 10**9))
    assert state_of(out / "neo4j") != recorded
    third = build([corpus], out, options, nlp=nlp)
    assert [Path(f).name for f in third.files] == ["neo4j"]
    assert entities.read_text(encoding="utf-8").startswith("id:ID(Entity),")

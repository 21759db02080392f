"""The extraction cache: what it keeps, what it gives back, and what it does with a file
that is not one; a killed run's results are kept; builds from it give the same bytes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from graph.cache import CACHE_NAME, Cache, decode, encode, text_key
from graph.model import Extraction, Mention, Paragraph, Relation, Statement
from graph.store import STORE_NAME
from graph.pipeline import BuildOptions, build
from tests.conftest import REPO, SAMPLE, edited_copy, extraction

SETTINGS = {"model": {"name": "test", "version": "1"}, "types": ["PERSON"]}


class Recorder:
    """A Progress that remembers what it was told."""

    def __init__(self) -> None:
        self.total = self.cached = self.extracted = self.words = 0

    def start(self, documents: int, cached: int) -> None:
        self.total, self.cached = documents, cached

    def advance(self, documents: int, words: int) -> None:
        self.extracted += documents
        self.words += words


def test_a_record_round_trips_whatever_its_names_and_raw_spans():
    plain = Mention(0, 5, "Hamas", "Hamas", "ORG", "ORG", "Hamas")
    odd = Mention(10, 27, "Hassan\n Rashad", "Hassan Rashad", "PERSON", "PERSON", "Hassan\n Rashad's")
    original = Extraction("d", (Statement(0, 40, "Hamas and Hassan Rashad's men.", (plain, odd)),), 3)
    assert decode("d", encode(original)) == original
    assert decode("other", encode(original)).doc_id == "other"


def test_a_record_keeps_statement_paragraphs_the_signature_and_the_paragraphs_naming_two(tmp_path):
    hamas = Mention(0, 5, "Hamas", "Hamas", "ORG", "ORG", "Hamas")
    signature = tuple(range(2**32 - 128, 2**32))  # the largest 32-bit values survive
    paragraphs = (Paragraph(3, 0, "Hamas. Hamas\nagain."),)
    original = Extraction("d", (Statement(0, 6, "Hamas.", (hamas,), paragraph=3),), 1, signature, paragraphs)
    assert decode("d", encode(original)) == original
    cache = Cache(tmp_path / "c.sqlite", SETTINGS)
    cache.put([(text_key("one"), original), (text_key("none"), replace(original, signature=(), paragraphs=()))])
    assert cache.get(text_key("one"), "d") == original
    assert cache.get(text_key("none"), "e") == replace(original, doc_id="e", signature=(), paragraphs=())
    cache.close()


def test_a_result_comes_back_under_the_id_of_the_document_asking(tmp_path):
    cache = Cache(tmp_path / "c.sqlite", SETTINGS)
    found = extraction("x", [("Ann", "PERSON")])
    cache.put([(text_key("text one"), found)])
    assert cache.get(text_key("text one"), "b").doc_id == "b"
    assert cache.get(text_key("text one"), "b").statements == found.statements
    assert cache.get(text_key("text two"), "b") is None
    cache.close()


@pytest.mark.parametrize(
    ("settings", "found"),
    [
        pytest.param(SETTINGS, True, id="same-settings"),
        pytest.param({**SETTINGS, "types": ["ORG"]}, False, id="other-types"),
        pytest.param({**SETTINGS, "model": {"name": "test", "version": "2"}}, False, id="other-model-version"),
    ],
)
def test_a_result_is_found_again_only_under_the_same_text_and_settings(tmp_path, settings, found):
    cache = Cache(tmp_path / "c.sqlite", SETTINGS)
    cache.put([(text_key("some text"), extraction("x", [("Ann", "PERSON")]))])
    cache.close()
    again = Cache(tmp_path / "c.sqlite", settings)
    assert again.has(text_key("some text")) is found
    assert not again.has(text_key("some text."))
    again.close()


def test_a_killed_run_leaves_its_committed_results_for_the_next(tmp_path):
    path = tmp_path / "c.sqlite"
    script = (
        "import os, sys\n"
        "from graph.cache import Cache, text_key\n"
        "from tests.conftest import extraction\n"
        f"cache = Cache(__import__('pathlib').Path({str(path)!r}), {SETTINGS!r})\n"
        "cache.put([(text_key('done'), extraction('x', [('Ann', 'PERSON')]))])\n"
        "cache.connection.execute('INSERT INTO results VALUES (?, ?, ?)', (text_key('half'), cache.settings, '[0,[]]'))\n"
        "os.kill(os.getpid(), 9)\n"  # mid-transaction, without closing anything
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == -9, run.stderr
    cache = Cache(path, SETTINGS)
    assert cache.has(text_key("done"))
    assert not cache.has(text_key("half"))
    cache.close()


def _foreign_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.commit()
    connection.close()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(lambda p: p.write_text("not a database at all\n" * 100), "file is not a database", id="text-file"),
        pytest.param(lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000), "file is not a database", id="corrupt-sqlite"),
        pytest.param(_foreign_sqlite, "no entigraph schema", id="another-sqlite-file"),
    ],
)
def test_a_file_that_is_no_cache_is_moved_aside_with_one_warning_and_replaced(tmp_path, make, reason):
    path = tmp_path / "c.sqlite"
    make(path)
    before = path.read_bytes()
    warnings: list[tuple[object, str]] = []
    cache = Cache(path, SETTINGS, on_problem=lambda where, message: warnings.append((where, message)))
    assert warnings == [(path, f"not an entigraph cache ({reason}); starting a fresh one")]
    assert (tmp_path / "c.sqlite.bad").read_bytes() == before
    cache.put([(text_key("t"), extraction("x", [("Ann", "PERSON")]))])
    cache.close()
    assert Cache(path, SETTINGS, on_problem=lambda *a: warnings.append(a)).has(text_key("t"))
    assert len(warnings) == 1


def _outputs(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in ("graph.graphml", "graph.html", "mentions.csv", "relations.csv", "documents.csv")}


def test_a_rebuild_runs_spacy_only_on_new_documents_and_writes_the_same_bytes(nlp, tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    for path in sorted(SAMPLE.glob("*.txt"))[:3]:
        (corpus / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    cache = tmp_path / "cache.sqlite"
    cold = Recorder()
    build([corpus], tmp_path / "cold", BuildOptions(cache=cache), nlp=nlp, progress=cold)
    assert (cold.total, cold.cached, cold.extracted) == (3, 0, 3)

    warm = Recorder()
    summary = build([corpus], tmp_path / "warm", BuildOptions(cache=cache), nlp=nlp, progress=warm)
    assert (warm.total, warm.cached, warm.extracted) == (3, 3, 0)
    assert summary.cached == 3
    assert _outputs(tmp_path / "warm") == _outputs(tmp_path / "cold")

    (corpus / "new.txt").write_text("Angela Merkel met Emmanuel Macron in Paris.\n", encoding="utf-8")
    grown = Recorder()
    build([corpus], tmp_path / "grown", BuildOptions(cache=cache), nlp=nlp, progress=grown)
    assert (grown.total, grown.cached, grown.extracted, grown.words) == (4, 3, 1, 7)
    fresh = tmp_path / "fresh"
    build([corpus], fresh, BuildOptions(no_cache=True), nlp=nlp)
    assert _outputs(tmp_path / "grown") == _outputs(fresh)
    assert not (fresh / CACHE_NAME).exists()


EVERY_FORMAT = ("graphml", "gexf", "html", "mentions", "documents")


def _every_output(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if not p.name.startswith((CACHE_NAME, STORE_NAME))}


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(("a", "b", "c"), ("a", "b", "c", "copy", "d"), id="documents-added"),
        pytest.param(("a", "b", "c", "copy", "d"), ("a", "c", "d"), id="documents-removed"),
        pytest.param(("a", "b", "copy"), ("copy", "b", "a"), id="order-changed"),
    ],
)
def test_a_rebuild_from_the_cache_writes_what_a_cold_build_of_the_same_corpus_writes(nlp, tmp_path, before, after):
    # A near-duplicate of "a" among them, so that grouping (and sources) change too.
    paths = sorted(SAMPLE.glob("*.txt"))
    texts = {name: paths[i].read_text(encoding="utf-8") for i, name in enumerate("abcd")}
    texts["copy"] = edited_copy(texts["a"])
    corpus = tmp_path / "in.jsonl"

    def write(names: tuple[str, ...]) -> None:
        rows = (json.dumps({"id": name, "text": texts[name], "date": f"2024-05-0{i + 1}"}) for i, name in enumerate(names))
        corpus.write_text("\n".join(rows) + "\n", encoding="utf-8")

    cache = tmp_path / "cache.sqlite"
    options = BuildOptions(cache=cache, formats=EVERY_FORMAT)
    write(before)
    build([corpus], tmp_path / "first", options, nlp=nlp)
    write(after)
    rebuilt = build([corpus], tmp_path / "rebuilt", options, nlp=nlp)
    assert rebuilt.cached == len(set(before) & set(after))
    build([corpus], tmp_path / "cold", BuildOptions(no_cache=True, formats=EVERY_FORMAT), nlp=nlp)
    assert _every_output(tmp_path / "rebuilt") == _every_output(tmp_path / "cold")
    assert _every_output(tmp_path / "rebuilt") != _every_output(tmp_path / "first")


def test_a_foreign_cache_file_never_gives_a_wrong_graph(nlp, tmp_path, story):
    cache = tmp_path / "cache.sqlite"
    _foreign_sqlite(cache)
    problems: list[str] = []
    build([story], tmp_path / "out", BuildOptions(cache=cache), nlp=nlp, on_problem=problems.append)
    assert problems == [f"{cache}: not an entigraph cache (no entigraph schema); starting a fresh one"]
    build([story], tmp_path / "plain", BuildOptions(no_cache=True), nlp=nlp)
    assert _outputs(tmp_path / "out") == _outputs(tmp_path / "plain")


def test_a_record_keeps_relations_with_their_direction_and_country():
    rashad = Mention(0, 6, "Rashad", "Rashad", "PERSON", "PERSON", "Rashad")
    hamas = Mention(11, 16, "Hamas", "Hamas", "ORG", "ORG", "Hamas")
    relations = (
        Relation(1, 0, "", "meet"),
        Relation(0, 1, "member_of", "join"),
        Relation(0, None, "citizen_of", "", "Egypt"),
    )
    original = Extraction("d", (Statement(0, 17, "Rashad met Hamas.", (rashad, hamas), 0, relations),), 1)
    assert decode("d", encode(original)) == original


def test_a_demonym_row_added_to_the_table_reaches_documents_already_cached(nlp, tmp_path, monkeypatch):
    """The demonym table is part of a cached result's key: a row a user adds (the table's
    notes invite it) changes the relations of documents extracted before it."""
    from graph import relations
    from graph.engines import work

    story = tmp_path / "in" / "story.txt"
    story.parent.mkdir()
    story.write_text("The Icelandic minister Bjarni Benediktsson met Hamas leaders in Iceland.\n", encoding="utf-8")
    full = relations.tables_dir() / relations.DEMONYMS_FILE
    without = tmp_path / "tables"
    without.mkdir()
    rows = full.read_text(encoding="utf-8").splitlines(keepends=True)
    (without / relations.DEMONYMS_FILE).write_text(
        "".join(row for row in rows if not row.startswith("Icelandic,")), encoding="utf-8"
    )
    options = BuildOptions(cache=tmp_path / "cache.sqlite", formats=("relations",))

    def citizenships(tables: Path, out: str) -> list[str]:
        monkeypatch.setattr(relations, "tables_dir", lambda: tables)
        work.demonyms.cache_clear()  # the process's table, read by its first batch
        build([story], tmp_path / out, options, nlp=nlp)
        return [line for line in (tmp_path / out / "relations.csv").read_text().splitlines() if "citizen_of" in line]

    try:
        assert citizenships(without, "before") == []
        assert citizenships(full.parent, "after") != []
    finally:
        work.demonyms.cache_clear()

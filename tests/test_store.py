"""The store: one database per output directory that a rebuild brings up to date, writing
what a cold build of the same inputs writes; killed, it is left as it was; unchanged
inputs are noticed and nothing is written."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.export import write_outputs
from graph.pipeline import BuildOptions, build, record
from graph.store import STORE_NAME, Store, StoreError
from graph.store.schema import APPLICATION_ID, SCHEMA_VERSION
from graph.store.update import GraphSettings, Update
from graph.resolve import UserNames
from graph.relations import read_demonyms
from graph.store.documents import Listed
from graph.model import Extraction, Mention, Relation, Statement
from tests.conftest import REPO, SAMPLE, edited_copy, extraction

FORMATS = ("graphml", "gexf", "html", "mentions", "relations", "documents", "neo4j", "ftm")
OUTPUTS = ("graph.graphml", "graph.gexf", "graph.html", "mentions.csv", "relations.csv", "documents.csv", "neo4j",
           "entities.ftm.json")  # fmt: skip
GUM = REPO / "data" / "eval" / "gum_news.jsonl"


def _outputs(directory: Path) -> dict[str, object]:
    return {name: _read(directory / name) for name in OUTPUTS if (directory / name).exists()}


def _read(path: Path) -> object:
    """A file's bytes; a folder's files' bytes, by name."""
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())} if path.is_dir() else path.read_bytes()


def _texts() -> dict[str, str]:
    """Stories to build archives from: the sample articles, a syndicated copy of one, and
    GUM's news texts."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt"))}
    first = next(iter(texts))
    texts["copy"] = edited_copy(texts[first])
    for line in GUM.read_text(encoding="utf-8").splitlines()[:12]:
        row = json.loads(line)
        texts[row["id"]] = row["text"]
    return texts


TEXTS = _texts()
NAMES = list(TEXTS)
SAMPLE_NAMES = [p.stem for p in sorted(SAMPLE.glob("*.txt"))]


def _write(corpus: Path, names: list[str], dates: dict[str, str] | None = None, edits: dict[str, str] | None = None) -> None:
    rows = []
    for name in names:
        text = (edits or {}).get(name, TEXTS[name])
        row = {"id": name, "text": text}
        if dates and name in dates:
            row["date"] = dates[name]
        rows.append(json.dumps(row))
    corpus.write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """One extraction cache for the module: spaCy reads each text once."""
    return tmp_path_factory.mktemp("cache") / "cache.sqlite"


REST = [n for n in NAMES if n not in SAMPLE_NAMES and n != "copy"]
SCENARIOS = [
    pytest.param(SAMPLE_NAMES, SAMPLE_NAMES + REST[:4], {}, {}, id="documents-added"),
    pytest.param(SAMPLE_NAMES + REST[:6], SAMPLE_NAMES[1:] + REST[2:6], {}, {}, id="documents-removed"),
    pytest.param(SAMPLE_NAMES + REST[:3], SAMPLE_NAMES + REST[:3],
                 {SAMPLE_NAMES[1]: TEXTS[SAMPLE_NAMES[1]].replace("Cairo", "Doha Cairo", 2)}, {}, id="document-edited"),
    pytest.param(SAMPLE_NAMES + REST[:4], list(reversed(SAMPLE_NAMES + REST[:4])), {}, {}, id="order-changed"),
    pytest.param(SAMPLE_NAMES, SAMPLE_NAMES + ["copy"], {}, {}, id="near-duplicate-arrives-last"),
    pytest.param(SAMPLE_NAMES, ["copy", *SAMPLE_NAMES], {}, {}, id="near-duplicate-arrives-first"),
    pytest.param(SAMPLE_NAMES, SAMPLE_NAMES, {}, {n: f"2024-05-0{i + 1}" for i, n in enumerate(SAMPLE_NAMES)},
                 id="documents-dated"),
    pytest.param(SAMPLE_NAMES + REST, REST[3:7], {}, {}, id="most-documents-removed"),
]  # fmt: skip


@pytest.mark.parametrize(("before", "after", "edits", "dates"), SCENARIOS)
def test_a_rebuild_writes_what_a_cold_build_of_the_same_inputs_writes(nlp, tmp_path, cache, before, after, edits, dates):
    corpus = tmp_path / "in.jsonl"
    options = BuildOptions(cache=cache, formats=FORMATS)
    out = tmp_path / "out"
    _write(corpus, before)
    first = build([corpus], out, options, nlp=nlp)
    _write(corpus, after, dates, edits)
    rebuilt = build([corpus], out, options, nlp=nlp)
    assert not rebuilt.unchanged
    cold = tmp_path / "cold"
    build([corpus], cold, BuildOptions(no_cache=True, formats=FORMATS), nlp=nlp)
    assert _outputs(out) == _outputs(cold)
    assert (rebuilt.nodes, rebuilt.edges) != (first.nodes, first.edges) or dates or after != before


def test_a_rebuild_keeps_the_ids_of_entities_whose_names_stay(nlp, tmp_path, cache):
    corpus = tmp_path / "in.jsonl"
    out = tmp_path / "out"
    _write(corpus, SAMPLE_NAMES)
    build([corpus], out, BuildOptions(cache=cache), nlp=nlp)
    with Store.read(out / STORE_NAME) as store:
        before = dict(store.rows("SELECT id, entity FROM entities"))
    _write(corpus, SAMPLE_NAMES + REST[:2])
    build([corpus], out, BuildOptions(cache=cache), nlp=nlp)
    with Store.read(out / STORE_NAME) as store:
        after = dict(store.rows("SELECT id, entity FROM entities"))
    kept = set(before) & set(after)
    assert len(kept) >= 0.9 * len(before)
    assert all(before[i] == after[i] for i in kept)


def test_changed_graph_settings_are_redone_from_the_store_without_spacy(nlp, tmp_path, cache):
    class Recorder:
        extracted = 0

        def start(self, documents: int, cached: int) -> None:
            pass

        def advance(self, documents: int, words: int) -> None:
            self.extracted += documents

    corpus = tmp_path / "in.jsonl"
    out = tmp_path / "out"
    _write(corpus, SAMPLE_NAMES)
    build([corpus], out, BuildOptions(cache=cache, formats=FORMATS), nlp=nlp)
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("name,alias,type\nGaza Strip,Gaza,PLACE\n", encoding="utf-8")
    changed = BuildOptions(no_cache=True, formats=FORMATS, aliases=aliases, window="paragraph", evidence=1)
    progress = Recorder()
    build([corpus], out, changed, nlp=nlp, progress=progress)
    assert progress.extracted == 0  # the store's documents were enough
    cold = tmp_path / "cold"
    build([corpus], cold, changed, nlp=nlp)
    assert _outputs(out) == _outputs(cold)


def test_unchanged_inputs_rewrite_nothing_and_a_missing_file_is_written_again(nlp, tmp_path, cache):
    corpus = tmp_path / "in.jsonl"
    out = tmp_path / "out"
    _write(corpus, SAMPLE_NAMES)
    build([corpus], out, BuildOptions(cache=cache), nlp=nlp)
    written = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = build([corpus], out, BuildOptions(cache=cache), nlp=nlp)
    assert again.unchanged and again.files == ()
    assert str(again).endswith("wrote nothing (nothing changed since the last build)")
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == written
    # the same bytes under a new time: read and hashed, found the same, nothing written
    os.utime(corpus)
    touched = build([corpus], out, BuildOptions(cache=cache), nlp=nlp)
    assert touched.files == () and not touched.unchanged
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name != STORE_NAME} == {
        n: t for n, t in written.items() if n != STORE_NAME
    }
    (out / "graph.html").unlink()
    restored = build([corpus], out, BuildOptions(cache=cache), nlp=nlp)
    assert restored.files == (str(out / "graph.html"),)


def test_unchanged_inputs_still_report_their_problems(nlp, tmp_path, cache):
    corpus = tmp_path / "in.jsonl"
    _write(corpus, SAMPLE_NAMES[:2])
    with corpus.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    problems: list[str] = []
    build([corpus], tmp_path / "out", BuildOptions(cache=cache), nlp=nlp, on_problem=problems.append)
    again: list[str] = []
    summary = build([corpus], tmp_path / "out", BuildOptions(cache=cache), nlp=nlp, on_problem=again.append)
    assert summary.unchanged
    assert again == problems and len(problems) == 1


# Updates the store of sys.argv[1] with two documents, killed outright (SIGKILL, as by
# the OOM killer or a power cut) while the links are being summed.
_KILLED_MID_UPDATE = """
import os, signal, sys
from pathlib import Path
import graph.store.update
from graph.pipeline import BuildOptions, build

def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

graph.store.update.sum_up = killed
build([sys.argv[2]], Path(sys.argv[1]), BuildOptions(cache=Path(sys.argv[3])))
"""


def test_a_build_killed_while_it_updates_the_store_leaves_the_previous_one(nlp, tmp_path, cache):
    corpus = tmp_path / "in.jsonl"
    out = tmp_path / "out"
    _write(corpus, SAMPLE_NAMES[:3])
    build([corpus], out, BuildOptions(cache=cache, formats=FORMATS), nlp=nlp)
    with Store.read(out / STORE_NAME) as store:
        before = (store.meta("generation"), list(store.rows("SELECT doc_id FROM documents ORDER BY position")))
    _write(corpus, SAMPLE_NAMES)
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_MID_UPDATE, str(out), str(corpus), str(cache)], cwd=REPO, capture_output=True
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    with Store.read(out / STORE_NAME) as store:
        assert (store.meta("generation"), list(store.rows("SELECT doc_id FROM documents ORDER BY position"))) == before
    build([corpus], out, BuildOptions(cache=cache, formats=FORMATS), nlp=nlp)
    build([corpus], tmp_path / "cold", BuildOptions(no_cache=True, formats=FORMATS), nlp=nlp)
    assert _outputs(out) == _outputs(tmp_path / "cold")


def test_a_second_build_into_one_directory_waits_for_the_first(tmp_path, story):
    """The first build holds the store's lock; the second says it waits, then goes on."""
    import fcntl

    out = tmp_path / "out"
    store = Store.open(out / STORE_NAME)
    fd = os.open(out / STORE_NAME, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a build under way holds it
    try:
        second = subprocess.Popen(
            [sys.executable, "-m", "cli", "build", str(story), "-o", str(out), "-q"],
            cwd=REPO, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert second.stderr is not None
        line = second.stderr.readline()
        assert line == f"Warning: {out}: another build is writing here; waiting for it to finish\n"
        assert second.poll() is None
    finally:
        os.close(fd)
        store.close()
    assert second.wait(timeout=120) == 0
    assert (out / "graph.graphml").exists()


def test_a_store_of_another_schema_is_built_again_and_refused_by_queries(nlp, tmp_path, story):
    out = tmp_path / "out"
    build([story], out, BuildOptions(no_cache=True), nlp=nlp)
    connection = sqlite3.connect(out / STORE_NAME)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(StoreError, match="written by another version of entigraph"):
        Store.read(out / STORE_NAME)
    problems: list[str] = []
    build([story], out, BuildOptions(no_cache=True), nlp=nlp, on_problem=problems.append)
    assert problems == [
        f"{out / STORE_NAME}: written by another version of entigraph (store schema {SCHEMA_VERSION + 1}, "
        f"this one reads {SCHEMA_VERSION}); building it again"
    ]
    with Store.read(out / STORE_NAME) as store:
        assert store.value("SELECT count(*) FROM entities") == 3


def test_a_file_that_is_no_store_is_moved_aside_not_deleted(nlp, tmp_path, story):
    out = tmp_path / "out"
    out.mkdir()
    (out / STORE_NAME).write_text("my notes\n" * 100, encoding="utf-8")
    problems: list[str] = []
    build([story], out, BuildOptions(no_cache=True), nlp=nlp, on_problem=problems.append)
    assert problems == [f"{out / STORE_NAME}: not an entigraph store (file is not a database); building it again"]
    assert (out / f"{STORE_NAME}.bad").read_text(encoding="utf-8") == "my notes\n" * 100


def test_the_store_is_marked_as_ours_and_versioned(tmp_path):
    Store.open(tmp_path / STORE_NAME).close()
    connection = sqlite3.connect(tmp_path / STORE_NAME)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# ---- any history of documents, made by hand: the same tables as a cold build ----------

def _written(doc_id: str, *sentences: tuple[str, dict[str, str]]) -> Extraction:
    """An extraction of sentences as written, each with the names in it (name -> type)."""
    statements, offset = [], 0
    for text, names in sentences:
        mentions = tuple(
            Mention(offset + text.index(name), offset + text.index(name) + len(name), name, name, kind, kind, name)
            for name, kind in sorted(names.items(), key=lambda item: text.index(item[0]))
        )
        statements.append(Statement(offset, offset + len(text), text, mentions))
        offset += len(text) + 1
    return Extraction(doc_id, tuple(statements), len(sentences))


# Documents that make the resolver's corpus-wide rules matter: short forms standing for a
# full name named elsewhere, acronyms, web editions, names in parentheses, a club named
# after a city that is a place only while enough documents say so, a headline's word the
# corpus writes in lowercase, a table row, relations and a nationality.
POOL = [
    extraction("a", [("Hamas", "ORG"), ("Cairo", "PLACE")], [("Benjamin Netanyahu", "PERSON"), ("Hamas", "ORG")]),
    extraction("b", [("Netanyahu", "PERSON"), ("Gaza", "PLACE")], [("Sinwar", "PERSON"), ("Hamas", "ORG")]),
    _written("c", ("The Islamic Resistance Movement (Hamas) met in Doha.",
                   {"Islamic Resistance Movement": "ORG", "Hamas": "ORG", "Doha": "PLACE"})),
    extraction("d", [("BBC News Online", "ORG"), ("Cairo", "PLACE")], [("BBC News", "ORG"), ("Egypt", "PLACE")]),
    _written("e", ("Ceasefire talks in Doha.", {"Ceasefire": "ORG", "Doha": "PLACE"}),
             ("Yahya Sinwar said the ceasefire held.", {"Yahya Sinwar": "PERSON"})),
    _written("f", ("Bayern Munich beat Ajax.", {"Bayern Munich": "PERSON", "Ajax": "ORG"}),
             ("Bayern scored in Munich.", {"Bayern": "ORG", "Munich": "PLACE"})),
    _written("g", ("Munich 3 1 0 2", {"Munich": "ORG"}), ("Bayern Munich 2 0 1", {"Bayern Munich": "ORG"})),
    extraction("h", [("United States", "PLACE"), ("Qatar", "PLACE")], [("US", "PLACE"), ("Egypt", "PLACE")]),
    replace(
        _written("i", ("The Egyptian official Hassan Rashad met Sinwar of Hamas.",
                       {"Hassan Rashad": "PERSON", "Sinwar": "PERSON", "Hamas": "ORG"})),
        statements=(replace(
            _written("i", ("The Egyptian official Hassan Rashad met Sinwar of Hamas.",
                           {"Hassan Rashad": "PERSON", "Sinwar": "PERSON", "Hamas": "ORG"})).statements[0],
            relations=(Relation(0, 1, "", "meet"), Relation(1, 2, "member_of", ""), Relation(0, None, "citizen_of", "", "Egypt")),
        ),),
    ),
    extraction("j", [("Munich", "PLACE"), ("Germany", "PLACE")], [("Ajax Amsterdam", "PERSON"), ("Amsterdam", "PLACE")]),
]
HISTORIES = st.lists(st.lists(st.sampled_from(range(len(POOL))), min_size=1, max_size=8, unique=True), min_size=2, max_size=5)


def _exports(store: Store, directory: Path) -> dict[str, bytes]:
    write_outputs(store, directory, formats=("graphml", "mentions", "relations", "documents"))
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@settings(max_examples=40, deadline=None)
@given(HISTORIES)
def test_any_history_of_additions_and_removals_ends_where_a_cold_build_starts(history):
    import tempfile

    store = Store.memory()
    for state in history:
        update = Update(
            store, extraction="hand", settings=GraphSettings(), user=UserNames(), demonyms=read_demonyms()
        )
        update.begin()
        for index in state:
            item = Listed(POOL[index].doc_id, bytes([index]), "")
            if update.list(item):
                update.add(item, POOL[index])
        update.finish()
    cold = record([POOL[index] for index in history[-1]])
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        assert _exports(store, Path(a)) == _exports(cold, Path(b))


def test_every_table_and_column_is_documented():
    """docs/store.md has a section per table and a row per column: the schema is the
    store's public interface."""
    import re

    documented: dict[str, set[str]] = {}
    tables: list[str] = []
    for line in (REPO / "docs" / "store.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            tables = re.findall(r"`(\w+)`", line)
            for table in tables:
                documented.setdefault(table, set())
        elif line.startswith("| `") and tables:
            for table in tables:
                documented[table].add(line.split("`")[1])
    store = Store.memory()
    schema = {
        name: {column for _, column, *_ in store.rows(f"PRAGMA table_info({name})")}
        for (name,) in store.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'name_search%'")
    }
    assert set(schema) == set(documented)
    for table, columns in schema.items():
        if len([t for t, c in documented.items() if c == documented[table]]) == 1:
            assert columns == documented[table], table
        else:  # tables documented together: each column of each is in the shared table
            assert columns <= documented[table], table

"""neo4j/: the importer's header format, loaded for real by Kùzu with the COPY statements of
kuzu.cypher, checked against the store and against `entigraph neighbors`."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import kuzu
import pytest
import spacy
from typer.testing import CliRunner

from cli import app
from graph.export.neo4j import ARRAY_DELIMITER, clean, write_neo4j
from graph.model import Relation
from graph.pipeline import BuildOptions, build
from graph.store import STORE_NAME, Store
from tests.conftest import extraction, recorded

# Names the ruler finds: quotes, a comma, a semicolon, an apostrophe, Cyrillic and Greek.
ODD_NAMES = {
    'Smith, Jones; "Partners" Ltd': "ORG",
    "Олег Петров": "PERSON",
    "Νίκος Παππάς": "PERSON",
    "Anna O'Neill": "PERSON",
    "Tbilisi": "GPE",
}
ODD_DOCUMENTS = [
    {"id": 'doc "one", a;b\tc', "text": (
        'Олег Петров met Anna O\'Neill of Smith, Jones; "Partners" Ltd in Tbilisi; they said "no", then left.\n\n'
        "Anna O'Neill\tand Νίκος Παππάς spoke in Tbilisi, «as agreed»."
    )},
    {"id": "doc\ntwo", "text": 'Νίκος Παππάς visited Smith, Jones; "Partners" Ltd with Олег Петров.'},
    {"id": "doc two", "text": "Олег Петров and Νίκος Παππάς wrote again."},
]  # fmt: skip
# The header of a column: a name, a type (an array of one), an ID space.
HEADER = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)?"
    r"(?::(?P<kind>ID|START_ID|END_ID|LABEL|TYPE|IGNORE|int|long|float|double|boolean|byte|short|char|string|date"
    r"|localtime|time|localdatetime|datetime|duration|point)(?P<array>\[\])?)?(?:\((?P<group>[A-Za-z_]+)\))?$"
)
TYPED = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "date", "localtime", "time",
         "localdatetime", "datetime", "duration", "point"}  # fmt: skip


@pytest.fixture(scope="module")
def sample_neo4j(sample_build, tmp_path_factory) -> Path:
    """The sample corpus' neo4j/ folder, with its documents."""
    folder = tmp_path_factory.mktemp("sample-neo4j") / "neo4j"
    with Store.read(sample_build[1] / STORE_NAME) as store:
        write_neo4j(store, folder, documents=True)
    return folder


@pytest.fixture(scope="module")
def odd_build(tmp_path_factory) -> Path:
    """A build of ODD_DOCUMENTS by a blank pipeline whose EntityRuler knows ODD_NAMES."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": label, "pattern": name} for name, label in ODD_NAMES.items()])
    root = tmp_path_factory.mktemp("odd")
    source = root / "docs.jsonl"
    source.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ODD_DOCUMENTS), encoding="utf-8")
    build([source], root / "out", BuildOptions(formats=("graphml",)), nlp=nlp)
    return root / "out"


def load_kuzu(folder: Path, monkeypatch: pytest.MonkeyPatch) -> kuzu.Connection:
    """An in-memory Kùzu database loaded by the folder's kuzu.cypher, run from the folder."""
    monkeypatch.chdir(folder)
    connection = kuzu.Connection(kuzu.Database(":memory:"))
    connection.execute((folder / "kuzu.cypher").read_text(encoding="utf-8"))
    return connection


def answer(connection: kuzu.Connection, query: str, parameters: dict | None = None) -> list[list]:
    result = connection.execute(query, parameters or {})
    rows = []
    while result.has_next():
        rows.append(result.get_next())
    return rows


def csv_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_the_files_load_into_kuzu_with_the_counts_of_the_store(sample_neo4j, sample_store, monkeypatch):
    connection = load_kuzu(sample_neo4j, monkeypatch)
    kept = "JOIN links l USING (source, target) WHERE l.kept"
    expected = {
        "Entity": sample_store.value("SELECT count(*) FROM entities"),
        "Document": sample_store.value("SELECT count(*) FROM documents"),
        "CO_OCCURS": sample_store.value("SELECT count(*) FROM links WHERE kept"),
        "RELATED": sample_store.value(f"SELECT count(*) FROM link_relations r {kept} AND r.role = ''"),
        "MENTIONS": sample_store.value("SELECT count(*) FROM doc_entities"),
        **{role.upper(): count for role, count in sample_store.rows(
            f"SELECT r.role, count(*) FROM link_relations r {kept} AND r.role != '' GROUP BY r.role"
        )},  # fmt: skip
    }
    assert expected["CO_OCCURS"] > 50 and expected["HEAD_OF"] > 0
    for table, count in expected.items():
        node = table[0].isupper() and not table.isupper()
        query = f"MATCH (n:{table}) RETURN count(*)" if node else f"MATCH ()-[r:{table}]->() RETURN count(*)"
        assert answer(connection, query) == [[count]], table
    # typed properties arrive typed
    [[mentions, pagerank, aliases]] = answer(
        connection, "MATCH (e:Entity {id: 'ORG_hamas'}) RETURN e.mentions, e.pagerank, e.aliases"
    )
    row = sample_store.execute("SELECT mentions, pagerank FROM entities WHERE id = 'ORG_hamas'").fetchone()
    assert (mentions, pagerank) == row
    assert aliases == [a for (a,) in sample_store.rows(
        "SELECT alias FROM aliases JOIN entities USING (entity) WHERE id = 'ORG_hamas' ORDER BY alias"
    )]  # fmt: skip


def test_a_cypher_query_for_the_neighbours_answers_as_entigraph_neighbors(
    sample_build, sample_neo4j, sample_store, monkeypatch
):
    top = sample_store.value("SELECT label FROM entities ORDER BY pagerank DESC LIMIT 1")
    result = CliRunner().invoke(app, ["neighbors", str(sample_build[1]), top, "--limit", "8", "--json"])
    assert result.exit_code == 0, result.output
    expected = [(n["entity"]["label"], n["link"]["weight"], n["link"]["documents"]) for n in json.loads(result.output)["neighbors"]]
    connection = load_kuzu(sample_neo4j, monkeypatch)
    found = answer(connection, (
        "MATCH (a:Entity {label: $name})-[r:CO_OCCURS]-(b:Entity) RETURN b.label, r.weight, r.documents "
        "ORDER BY r.weight DESC, r.documents DESC, b.label LIMIT 8"
    ), {"name": top})  # fmt: skip
    assert len(expected) == 8
    assert [tuple(row) for row in found] == expected


def test_names_and_evidence_with_quotes_commas_semicolons_tabs_and_other_scripts_round_trip(
    odd_build, tmp_path, monkeypatch
):
    folder = tmp_path / "neo4j"
    with Store.read(odd_build / STORE_NAME) as store:
        write_neo4j(store, folder, documents=True)
        labels = sorted(label for (label,) in store.rows("SELECT label FROM entities"))
        evidence = sorted(text for (text,) in store.rows("SELECT text FROM evidence"))
        doc_ids = sorted(clean(d) for (d,) in store.rows("SELECT doc_id FROM documents"))
    assert 'Smith, Jones; "Partners" Ltd' in labels and "Олег Петров" in labels and "Νίκος Παππάς" in labels
    assert any('"no"' in text and ";" in text for text in evidence)
    connection = load_kuzu(folder, monkeypatch)
    assert sorted(label for [label] in answer(connection, "MATCH (e:Entity) RETURN e.label")) == labels
    written = answer(connection, "MATCH ()-[r:CO_OCCURS]->() RETURN r.evidence")
    assert sorted({text for [texts] in written for text in texts}) == sorted(set(evidence))
    # A doc id with a tab, quotes, a comma and a semicolon comes back as it is; one with a
    # line break as a space, told apart from the id it then equals.
    ids = sorted(d for [d] in answer(connection, "MATCH (d:Document) RETURN d.id"))
    assert ids == sorted(['doc "one", a;b\tc', "doc two", "doc two #2"])
    assert doc_ids == sorted(['doc "one", a;b\tc', "doc two", "doc two"])
    # A document's language comes along: the pipeline handed in is a blank English one.
    assert {lang for [lang] in answer(connection, "MATCH (d:Document) RETURN d.lang")} == {"en"}


def test_a_line_break_in_a_field_is_written_as_a_space_and_every_row_is_one_line(tmp_path, monkeypatch):
    made = extraction("a\nb", [("Hassan Rashad", "PERSON"), ("Hamas", "ORG")])
    statement = replace(
        made.statements[0], text='Hassan Rashad\nof "Hamas",\r\nin\tGaza\x1f; said.', relations=(Relation(0, 1, "member_of", ""),)
    )
    folder = tmp_path / "neo4j"
    counts = write_neo4j(recorded([replace(made, statements=(statement,))]), folder)
    for name, count in counts.items():
        assert len((folder / name).read_text(encoding="utf-8").splitlines()) == count + 1, name
    connection = load_kuzu(folder, monkeypatch)
    expected = 'Hassan Rashad of "Hamas", in\tGaza; said.'
    assert answer(connection, "MATCH ()-[r:CO_OCCURS]->() RETURN r.evidence, r.evidence_documents") == [
        [[expected], ["a b"]]
    ]
    assert answer(connection, "MATCH (a)-[r:MEMBER_OF]->(b) RETURN a.id, b.id, r.evidence") == [
        ["PERSON_hassan_rashad", "ORG_hamas", expected]
    ]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        pytest.param("a\nb", "a b", id="newline"),
        pytest.param("a\r\nb", "a b", id="crlf-is-one-space"),
        pytest.param("a\rb\u2028c", "a b c", id="carriage-return-and-line-separator"),
        pytest.param("a\tb", "a\tb", id="tab-kept"),
        pytest.param(f"a{ARRAY_DELIMITER}b\x00", "ab", id="array-delimiter-and-controls-dropped"),
        pytest.param('"q", x; y — Ωμέγα', '"q", x; y — Ωμέγα', id="quotes-punctuation-scripts-kept"),
    ],
)
def test_clean_leaves_one_line_without_the_array_delimiter(text, written):
    assert clean(text) == written


@pytest.mark.parametrize(
    ("header", "valid"),
    [
        pytest.param("id:ID(Entity)", True, id="id-with-space"),
        pytest.param(":START_ID(Entity)", True, id="start-without-name"),
        pytest.param("aliases:string[]", True, id="array"),
        pytest.param("label", True, id="plain-string"),
        pytest.param("mentions:integer", False, id="unknown-type"),
        pytest.param("aliases:string[];", False, id="trailing-junk"),
        pytest.param("id:ID(Entity", False, id="unclosed-space"),
        pytest.param("first seen:date", False, id="space-in-name"),
    ],
)
def test_the_header_grammar_check_tells_good_headers_from_bad(header, valid):
    assert bool(HEADER.match(header)) is valid


def test_the_headers_follow_the_importers_grammar_and_import_sh_names_every_file(sample_neo4j):
    script = (sample_neo4j / "import.sh").read_text(encoding="utf-8")
    assert "--array-delimiter='U+001F'" in script and "--delimiter=','" in script
    files = sorted(p.name for p in sample_neo4j.glob("*.csv"))
    assert len(files) == 11
    for name in files:
        header = csv_rows(sample_neo4j / name)[0]
        fields = [HEADER.match(h) for h in header]
        assert all(fields), (name, header)
        kinds = [f["kind"] for f in fields]
        names = [f["name"] for f in fields if f["name"]]
        assert len(names) == len(set(names)), name
        for field in fields:
            assert field["kind"] in TYPED or not field["array"]
            assert field["group"] is None or field["kind"] in ("ID", "START_ID", "END_ID")
        if "ID" in kinds:
            assert kinds.count("ID") == 1 and "START_ID" not in kinds
            assert re.search(rf"^  --nodes=\w+={re.escape(name)}( \\)?$", script, re.M), name
        else:  # a relationship file: its ends first, as Kùzu's COPY reads them
            assert kinds[:2] == ["START_ID", "END_ID"] and kinds.count("START_ID") == 1, name
            assert re.search(rf"^  --relationships=[A-Z_]+={re.escape(name)}( \\)?$", script, re.M), name


def test_ids_are_unique_and_every_relationship_ends_at_a_node(sample_neo4j):
    ids: dict[str, set[str]] = {}
    relationships = []
    for path in sorted(sample_neo4j.glob("*.csv")):
        header, *rows = csv_rows(path)
        spaces = [HEADER.match(h)["group"] for h in header]
        kinds = [HEADER.match(h)["kind"] for h in header]
        if kinds[0] == "ID":
            column = [row[0] for row in rows]
            assert len(column) == len(set(column)), path.name
            ids.setdefault(spaces[0], set()).update(column)
        else:
            relationships += [(spaces[0], row[0], spaces[1], row[1]) for row in rows]
        assert all(len(row) == len(header) for row in rows), path.name
    assert relationships
    assert all(a in ids[sa] and b in ids[sb] for sa, a, sb, b in relationships)


def test_load_cypher_merges_each_file_in_batched_transactions(sample_neo4j):
    script = (sample_neo4j / "load.cypher").read_text(encoding="utf-8")
    for path in sample_neo4j.glob("*.csv"):
        assert f"LOAD CSV WITH HEADERS FROM 'file:///{path.name}' AS row" in script
    statements = [s for s in script.split(";\n") if s.strip().startswith("LOAD CSV")]
    assert len(statements) == 11
    assert all("MERGE" in s and "IN TRANSACTIONS OF" in s for s in statements)
    assert "SET n:Person" in script and "split(row.`aliases:string[]`, '\\u001F')" in script


def _tree(folder: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(folder.iterdir()):
        yield path.name, path.read_bytes()


def test_the_same_store_writes_the_same_bytes_and_a_rewrite_replaces_the_folder_whole(sample_store, tmp_path):
    folder = tmp_path / "neo4j"
    write_neo4j(sample_store, folder)
    first = list(_tree(folder))
    (folder / "stale.csv").write_text("left over\n", encoding="utf-8")
    write_neo4j(sample_store, folder)
    assert list(_tree(folder)) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neo4j"]

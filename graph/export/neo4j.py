"""Neo4j exporter: the graph as the CSV files `neo4j-admin database import` reads, which
Kùzu (and its fork LadybugDB) load with `COPY FROM` too.

Input: the store: entities with their aliases and merges, kept links with their
evidence, the links' typed relations and phrases, and, when asked, the documents and the
entities each names. Output: a folder (`neo4j/`) holding
- `entities.csv`: one node per entity (`id:ID(Entity)`, `:LABEL` Person, Organization or
  Place, typed properties: `mentions:long`, `pagerank:double`, `first_seen:date`,
  `aliases:string[]`...); `import.sh` gives every one the label `Entity` too;
- `co_occurs.csv`: one `CO_OCCURS` relationship per kept link (its ends' ids first, the
  smaller one as start), with weight, documents, sources, npmi, dates, the evidence
  statements and their documents' ids;
- one file per role of the relations scheme (`head_of.csv` -> `HEAD_OF`...), in the
  relation's direction, with its count of statements and its first statement; and
  `related.csv` (`RELATED`, with `phrase`) for the linking phrases found without a role;
- with documents: `documents.csv` (`Document` nodes, `id:ID(Document)` their doc_id) and
  `mentions.csv` (`MENTIONS` from a document to each entity it names, with counts);
- `import.sh` (the neo4j-admin command, with the delimiters the files use), `load.cypher`
  (LOAD CSV with MERGE, in batched transactions, for a running server) and `kuzu.cypher`
  (Kùzu's schema and COPY statements, run from the folder).
Every file lists its rows in id order: same store, same bytes.

The files keep to the importer's defaults: RFC 4180 quoting (a quote doubled), one line
per row. What the format cannot hold: a line break inside a field (the importer would need
`--multiline-fields`) is written as a space, and control characters other than the tab
are dropped; array elements are joined by U+001F (the ASCII unit separator, which text
never holds once they are dropped), so that no element contains the delimiter. Two
document ids that differ only by a line break would become one id: the second gets ` #2`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.atomic import atomic_folder
from graph.errors import OutputError
from graph.relations import SCHEME
from graph.store import Store
from graph.store.graphs import aliases_and_merges

# What joins the elements of an array property; dropped from text (see `clean`).
ARRAY_DELIMITER = "\x1f"
# The node label of each entity type (every entity is an `Entity` as well).
LABELS = {"PERSON": "Person", "ORG": "Organization", "PLACE": "Place"}
# Rows per transaction in load.cypher.
BATCH_ROWS = 10_000
# What a line break becomes, and the characters dropped.
_CLEAN = str.maketrans(
    {**{chr(c): None for c in (*range(0x00, 0x20), 0x7F) if chr(c) != "\t"},
     **{c: " " for c in "\n\r\x0b\x0c\x85\u2028\u2029"}}
)  # fmt: skip
_NOT_WORD = re.compile(r"\W+")


@dataclass(frozen=True)
class Column:
    """A column of a file: its property (empty for `:LABEL`, the ends of a relationship)
    and its kind in the importer's header (`ID`, `START_ID`, `END_ID`, `LABEL`, `string`,
    `long`, `double`, `date`, `string[]`), with the ID space of an id."""

    name: str
    kind: str = "string"
    group: str = ""

    @property
    def header(self) -> str:
        space = f"({self.group})" if self.group else ""
        return self.name if self.kind == "string" else f"{self.name}:{self.kind}{space}"


@dataclass(frozen=True)
class Table:
    """One file: a node label or a relationship type, and its columns."""

    file: str
    name: str
    columns: tuple[Column, ...]
    ends: tuple[str, str] = ("", "")  # a relationship's start and end node labels

    @property
    def node(self) -> bool:
        return not self.ends[0]


ENTITIES = Table("entities.csv", "Entity", (
    Column("id", "ID", "Entity"), Column("", "LABEL"), Column("label"), Column("type"), Column("mentions", "long"),
    Column("documents", "long"), Column("sources", "long"), Column("statements", "long"),
    Column("first_seen", "date"), Column("last_seen", "date"), Column("community", "long"), Column("degree", "long"),
    Column("weighted_degree", "double"), Column("pagerank", "double"), Column("betweenness", "double"),
    Column("aliases", "string[]"), Column("merges", "string[]"),
))  # fmt: skip
DOCUMENTS = Table("documents.csv", "Document", (
    Column("id", "ID", "Document"), Column("source"), Column("date", "date"),
    Column("sentences", "long"), Column("duplicate_of"), Column("lang"),
))  # fmt: skip
_ENDS = (Column("", "START_ID", "Entity"), Column("", "END_ID", "Entity"))
CO_OCCURS = Table("co_occurs.csv", "CO_OCCURS", (
    *_ENDS, Column("weight", "double"), Column("documents", "long"), Column("sources", "long"),
    Column("npmi", "double"), Column("first_seen", "date"), Column("last_seen", "date"),
    Column("evidence", "string[]"), Column("evidence_documents", "string[]"),
), ("Entity", "Entity"))  # fmt: skip
RELATED = Table("related.csv", "RELATED", (
    *_ENDS, Column("phrase"), Column("statements", "long"), Column("evidence"), Column("evidence_document"),
), ("Entity", "Entity"))  # fmt: skip
MENTIONS = Table("mentions.csv", "MENTIONS", (
    Column("", "START_ID", "Document"), Column("", "END_ID", "Entity"), Column("mentions", "long"),
    Column("statements", "long"),
), ("Document", "Entity"))  # fmt: skip


def role_table(role: str) -> Table:
    """The file of a typed relation: `head_of` -> head_of.csv, type HEAD_OF."""
    name = _NOT_WORD.sub("_", role).strip("_").lower() or "relation"
    return Table(f"{name}.csv", name.upper(), (
        *_ENDS, Column("statements", "long"), Column("evidence"), Column("evidence_document"),
    ), ("Entity", "Entity"))  # fmt: skip


def clean(text: str) -> str:
    """`text` as one line a default import reads back: line breaks as spaces, other
    control characters (the array delimiter among them) dropped, tabs kept."""
    return text.replace("\r\n", "\n").translate(_CLEAN)


def write_neo4j(store: Store, path: Path, *, documents: bool = False) -> dict[str, int]:
    """Write the folder atomically; return the rows written per file."""
    counts: dict[str, int] = {}
    doc_ids = _document_ids(store)
    roles = sorted({*SCHEME, *(r for (r,) in store.rows("SELECT DISTINCT role FROM link_relations WHERE role != ''"))})
    tables = [ENTITIES, *([DOCUMENTS] if documents else []), CO_OCCURS, *(role_table(r) for r in roles), RELATED,
              *([MENTIONS] if documents else [])]  # fmt: skip
    with atomic_folder(path) as folder:
        counts[ENTITIES.file] = _write(folder, ENTITIES, _entities(store))
        if documents:
            counts[DOCUMENTS.file] = _write(folder, DOCUMENTS, _documents(store, doc_ids))
        counts[CO_OCCURS.file] = _write(folder, CO_OCCURS, _links(store, doc_ids))
        by_role = _relations(store, doc_ids)
        for role in roles:
            table = role_table(role)
            counts[table.file] = _write(folder, table, by_role.get(role, ()))
        counts[RELATED.file] = _write(folder, RELATED, by_role.get("", ()))
        if documents:
            counts[MENTIONS.file] = _write(folder, MENTIONS, _mentions(store, doc_ids))
        _text(folder / "import.sh", import_script(tables))
        (folder / "import.sh").chmod(0o755)
        _text(folder / "load.cypher", load_cypher(tables))
        _text(folder / "kuzu.cypher", kuzu_cypher(tables))
    return counts


def _write(folder: Path, table: Table, rows: Iterable[Sequence[object]]) -> int:
    count = 0
    try:
        with open(folder / table.file, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(column.header for column in table.columns)
            for row in rows:
                writer.writerow(_cell(value, column) for value, column in zip(row, table.columns, strict=True))
                count += 1
    except OSError as err:
        raise OutputError(f"cannot write {folder / table.file}: {err.strerror or err}") from err
    return count


def _text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from err


def _cell(value: object, column: Column) -> str:
    if value is None:
        return ""
    if column.kind == "string[]":
        return ARRAY_DELIMITER.join(clean(str(v)) for v in value)  # type: ignore[attr-defined]
    if column.kind == "double":
        return repr(float(value))  # type: ignore[arg-type]
    if column.kind == "long":
        return str(int(value))  # type: ignore[call-overload]
    return clean(str(value))


def _document_ids(store: Store) -> dict[int, str]:
    """Each document's node id: its doc_id as one line, unique (` #2` for a second one
    the cleaning made alike)."""
    ids: dict[int, str] = {}
    taken: set[str] = set()
    for doc, doc_id in store.rows("SELECT doc, doc_id FROM documents ORDER BY position, doc"):
        node, number = clean(doc_id), 1
        while node in taken:
            number += 1
            node = f"{clean(doc_id)} #{number}"
        taken.add(node)
        ids[doc] = node
    return ids


def _entities(store: Store) -> Iterable[tuple]:
    aliases, merges = aliases_and_merges(store)
    for row in store.rows(
        "SELECT entity, id, label, type, mentions, documents, sources, statements, first_seen, last_seen, community, "
        "degree, weighted_degree, pagerank, betweenness FROM entities ORDER BY id"
    ):
        entity, node, label, kind, *rest = row
        yield (node, LABELS.get(kind), label, kind, *rest, aliases.get(entity, ()), merges.get(entity, ()))


def _documents(store: Store, ids: dict[int, str]) -> Iterable[tuple]:
    for doc, source, date, sentences, duplicate_of, lang in store.rows(
        "SELECT doc, source, date, sentences, duplicate_of, lang FROM documents ORDER BY position, doc"
    ):
        yield ids[doc], source, date, sentences, ids.get(duplicate_of) if duplicate_of != doc else None, lang


def _links(store: Store, doc_ids: dict[int, str]) -> Iterable[tuple]:
    evidence: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for source, target, doc, text in store.rows(
        "SELECT e.source, e.target, e.doc, e.text FROM evidence e JOIN links l USING (source, target) "
        "WHERE l.kept ORDER BY e.source, e.target, e.rank"
    ):
        evidence.setdefault((source, target), []).append((text, doc_ids[doc]))
    rows = []
    for source, target, a, b, *measures in store.rows(
        "SELECT l.source, l.target, a.id, b.id, l.weight, l.documents, l.sources, l.npmi, l.first_seen, l.last_seen "
        "FROM links l JOIN entities a ON a.entity = l.source JOIN entities b ON b.entity = l.target WHERE l.kept"
    ):
        examples = evidence.get((source, target), [])
        start, end = sorted((a, b))
        rows.append((start, end, *measures, [t for t, _ in examples], [d for _, d in examples]))
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


def _relations(store: Store, doc_ids: dict[int, str]) -> dict[str, list[tuple]]:
    """The kept links' relations by role ('' for the phrases), in the relation's direction."""
    by_role: dict[str, list[tuple]] = {}
    for role, phrase, start, end, count, doc, text in store.rows(
        "SELECT r.role, r.phrase, f.id, t.id, r.statements, r.doc, r.text FROM link_relations r "
        "JOIN links l USING (source, target) JOIN entities f ON f.entity = r.from_entity "
        "JOIN entities t ON t.entity = r.to_entity WHERE l.kept ORDER BY r.role, f.id, t.id, r.phrase"
    ):
        row = (start, end, phrase, count, text, doc_ids[doc]) if not role else (start, end, count, text, doc_ids[doc])
        by_role.setdefault(role, []).append(row)
    return by_role


def _mentions(store: Store, ids: dict[int, str]) -> Iterable[tuple]:
    for doc, entity, mentions, statements in store.rows(
        "SELECT de.doc, e.id, de.mentions, de.statements FROM doc_entities de JOIN entities e USING (entity) "
        "JOIN documents d ON d.doc = de.doc ORDER BY d.position, d.doc, e.id"
    ):
        yield ids[doc], entity, mentions, statements


# ---- the scripts beside the files ----------------------------------------------------


def import_script(tables: Sequence[Table]) -> str:
    """import.sh: the neo4j-admin command that imports the folder into a new database."""
    sources = []
    for table in tables:
        if table.node:
            sources.append(f"  --nodes={table.name}={table.file}")
        else:
            sources.append(f"  --relationships={table.name}={table.file}")
    lines = [
        "#!/bin/sh",
        "# Import these files into a new, empty Neo4j 5 database (the server stopped, or the",
        "# database not created yet):   sh import.sh [DATABASE]   (default: neo4j)",
        "# Runs $NEO4J_HOME/bin/neo4j-admin when NEO4J_HOME is set, else neo4j-admin on the PATH.",
        "# Then, in Neo4j: CREATE DATABASE name (Enterprise), or restart with the database as default.",
        "set -e",
        'cd "$(dirname "$0")"',
        'ADMIN="${NEO4J_HOME:+$NEO4J_HOME/bin/}neo4j-admin"',
        '"$ADMIN" database import full "${1:-neo4j}" \\',
        "  --delimiter=',' --quote='\"' --array-delimiter='U+001F' --multiline-fields=false \\",
        *(f"{line} \\" for line in sources[:-1]),
        sources[-1],
        "",
    ]
    return "\n".join(lines)


def load_cypher(tables: Sequence[Table]) -> str:
    """load.cypher: LOAD CSV statements (MERGE, batched) for a running Neo4j 5 server."""
    out = [
        "// Load these files into a running Neo4j 5 server: copy the CSV files into its import",
        "// directory, then run   cypher-shell -u neo4j -p PASSWORD -f load.cypher",
        "// (in Neo4j Browser, put :auto before each LOAD CSV statement). MERGE makes it safe to",
        "// run again over the same files.",
    ]
    for table in tables:
        if table.node:
            out.append(f"CREATE CONSTRAINT {table.name.lower()}_id IF NOT EXISTS "
                       f"FOR (n:{table.name}) REQUIRE n.id IS UNIQUE;")  # fmt: skip
    out.append("")
    for table in tables:
        row = f"LOAD CSV WITH HEADERS FROM 'file:///{table.file}' AS row"
        alias = "n" if table.node else "r"
        sets = [f"{alias}.{c.name} = {_cypher_value(c)}" for c in table.columns if c.name and c.kind != "ID"]
        if table.node:
            body = [f"  MERGE (n:{table.name} {{id: row.`{table.columns[0].header}`}})"]
            if sets:
                body.append("  SET " + ",\n      ".join(sets))
            if any(c.kind == "LABEL" for c in table.columns):
                label = next(c for c in table.columns if c.kind == "LABEL").header
                for name in sorted(set(LABELS.values())) if table is ENTITIES else ():
                    body.append(f"  FOREACH (_ IN CASE WHEN row.`{label}` = '{name}' THEN [1] ELSE [] END | SET n:{name})")
        else:
            start, end = table.columns[0], table.columns[1]
            key = " {phrase: row.`phrase`}" if table is RELATED else ""
            body = [
                f"  MATCH (a:{table.ends[0]} {{id: row.`{start.header}`}}), (b:{table.ends[1]} {{id: row.`{end.header}`}})",
                f"  MERGE (a)-[r:{table.name}{key}]->(b)",
            ]
            sets = [s for s in sets if not s.startswith("r.phrase ")] if key else sets
            if sets:
                body.append("  SET " + ",\n      ".join(sets))
        out += [row, "CALL {", "  WITH row", *body, f"}} IN TRANSACTIONS OF {BATCH_ROWS} ROWS;", ""]
    return "\n".join(out)


def _cypher_value(column: Column) -> str:
    ref = f"row.`{column.header}`"
    return {
        "long": f"toInteger({ref})", "double": f"toFloat({ref})", "date": f"date({ref})",
        "string[]": f"split({ref}, '\\u001F')",
    }.get(column.kind, ref)  # fmt: skip


_KUZU_TYPES = {"string": "STRING", "long": "INT64", "double": "DOUBLE", "date": "DATE", "string[]": "STRING[]"}


def kuzu_cypher(tables: Sequence[Table]) -> str:
    """kuzu.cypher: Kùzu's tables for the files and the COPY statements that load them.
    A file whose rows load as they are is copied directly; one with a `:LABEL` column
    (the label is a table in Kùzu) or arrays is read through LOAD FROM first."""
    out = [
        "// Kùzu 0.11 (or LadybugDB): run from this folder, e.g. in Python:",
        "//   import kuzu; kuzu.Connection(kuzu.Database('graph.kuzu')).execute(open('kuzu.cypher').read())",
    ]
    for table in tables:
        properties = [f"{c.name or 'id'} {_KUZU_TYPES.get(c.kind, 'STRING')}" for c in table.columns
                      if c.kind not in ("LABEL", "START_ID", "END_ID")]  # fmt: skip
        if table.node:
            out.append(f"CREATE NODE TABLE {table.name}({', '.join(properties)}, PRIMARY KEY (id));")
        else:
            ends = f"FROM {table.ends[0]} TO {table.ends[1]}"
            out.append(f"CREATE REL TABLE {table.name}({', '.join([ends, *properties])});")
    for table in tables:
        if not any(c.kind in ("LABEL", "string[]") for c in table.columns):
            out.append(f"COPY {table.name} FROM '{table.file}' (header=true);")
            continue
        read, keep = [], []
        for number, column in enumerate(table.columns):
            name = f"c{number}"
            kind = "STRING" if column.kind in ("ID", "START_ID", "END_ID", "LABEL", "string[]") else _KUZU_TYPES[column.kind]
            read.append(f"{name} {kind}")
            if column.kind == "string[]":
                keep.append(f"regexp_split_to_array({name}, '\\\\x1f')")
            elif column.kind != "LABEL":
                keep.append(name)
        out.append(f"COPY {table.name} FROM (LOAD WITH HEADERS ({', '.join(read)}) FROM '{table.file}' "
                   f"(header=true) RETURN {', '.join(keep)});")  # fmt: skip
    return "\n".join(out) + "\n"

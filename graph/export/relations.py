"""Relations exporter: every relation found in a statement, with the statement itself.

Input: the store: each statement's relations, its mentions' entities, the entities'
types and the place entity of each country a nationality adjective names. Output:
`relations.csv`, one row per relation between two kept entities found in a statement, in
document and text order: doc_id, start, end (the statement's span in its document, as in
mentions.csv), source and target (node ids as in the GraphML, in the relation's
direction), relation (a role of the scheme, or empty when the entities' types do not fit
it), phrase (the linking words, or empty) and evidence (the statement, whitespace
collapsed). A statement giving one relation twice has one row for it.

What the format cannot hold safely: a doc_id, evidence or id cell starting with `=`, `+`,
`-`, `@`, a tab or a carriage return gets a leading `'` (CSV injection; see mentions.py).
"""

from __future__ import annotations

import csv
from pathlib import Path

from graph.atomic import atomic_write
from graph.export.mentions import safe_cell
from graph.relations import SCHEME
from graph.store import Store

COLUMNS = ("doc_id", "start", "end", "source", "target", "relation", "phrase", "evidence")


def write_relations(store: Store, path: Path) -> int:
    """Write the CSV atomically; return the number of rows."""
    entities = {e: (i, t) for e, i, t in store.rows("SELECT entity, id, type FROM entities")}
    countries = dict(store.rows("SELECT country, entity FROM countries"))
    rows = 0
    with atomic_write(path, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        current: tuple[int, int] | None = None
        named: list[int | None] = []
        seen: set[tuple[int, int, str, str]] = set()
        for doc, statement, doc_id, start, end, text, source, target, role, phrase, country in store.rows(
            "SELECT r.doc, r.statement, d.doc_id, s.start, s.end, s.text, r.source, r.target, r.role, r.phrase, "
            "r.country FROM relations r JOIN documents d USING (doc) JOIN statements s "
            "ON s.doc = r.doc AND s.number = r.statement ORDER BY d.position, r.statement, r.number"
        ):
            if (doc, statement) != current:
                current, seen = (doc, statement), set()
                named = [e for (e,) in store.rows(
                    "SELECT entity FROM mentions WHERE doc = ? AND statement = ? ORDER BY start", (doc, statement)
                )]  # fmt: skip
            a = named[source]
            b = named[target] if target is not None else countries.get(country)
            if a is None or b is None or a == b:
                continue
            if role:
                source_type, target_types = SCHEME[role]
                if entities[a][1] != source_type or entities[b][1] not in target_types:
                    role = ""
            if not role and not phrase:
                continue
            if (a, b, role, phrase) in seen:
                continue
            seen.add((a, b, role, phrase))
            writer.writerow(
                (safe_cell(doc_id), start, end, safe_cell(entities[a][0]), safe_cell(entities[b][0]), role,
                 safe_cell(phrase), safe_cell(text))
            )  # fmt: skip
            rows += 1
    return rows

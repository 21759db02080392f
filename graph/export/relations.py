"""Relations exporter: every relation found in a statement, with the statement itself.

Input: the corpus' `Extraction`s (their statements' relations), their `Resolution` and
the place entity of each country a nationality adjective names (graph.relations).
Output: `relations.csv`, one row per relation between two kept entities found in a
statement, in document and text order: doc_id, start, end (the statement's span in its
document, as in mentions.csv), source and target (node ids as in the GraphML, in the
relation's direction), relation (a role of the scheme, or empty), phrase (the linking
words, or empty) and evidence (the statement, whitespace collapsed).

What the format cannot hold safely: a doc_id, evidence or id cell starting with `=`, `+`,
`-`, `@`, a tab or a carriage return gets a leading `'` (CSV injection; see mentions.py).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

from graph.atomic import atomic_write
from graph.export.mentions import safe_cell
from graph.model import Extraction, Resolution
from graph.relations import entity_relations

COLUMNS = ("doc_id", "start", "end", "source", "target", "relation", "phrase", "evidence")


def write_relations(
    extractions: Iterable[Extraction], resolution: Resolution, path: Path, countries: Mapping[str, str]
) -> int:
    """Write the CSV atomically; return the number of rows."""
    rows = 0
    with atomic_write(path, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for extraction in extractions:
            doc_id = safe_cell(extraction.doc_id)
            for statement in extraction.statements:
                if not statement.relations:
                    continue
                for relation in entity_relations(extraction.doc_id, statement, resolution, countries):
                    writer.writerow(
                        (doc_id, statement.start, statement.end, safe_cell(relation.source),
                         safe_cell(relation.target), relation.role, safe_cell(relation.phrase),
                         safe_cell(statement.text))
                    )
                    rows += 1
    return rows

"""Mentions exporter: the audit trail from every node back to the text.

Input: the store. Output: `mentions.csv`, one row per kept mention, documents in input
order and mentions in text order: doc_id, start, end (character offsets into the
document), text, label (entity type), entity_id (the node id in the GraphML) and
spacy_label (the model's own label). Dropped mentions (junk, excluded names) have no row.

What the format cannot hold safely: a cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return runs as a formula when the file is opened in a spreadsheet (CSV
injection). Such text and doc_id cells get a leading `'` (the OWASP rule), so for them
`text` is the document's text with that quote in front; GraphML and HTML keep the text
unchanged.
"""

from __future__ import annotations

import csv
from pathlib import Path

from graph.atomic import atomic_write
from graph.store import Store

COLUMNS = ("doc_id", "start", "end", "text", "label", "entity_id", "spacy_label")
# What spreadsheets read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_mentions(store: Store, path: Path) -> int:
    """Write the CSV atomically; return the number of rows."""
    rows = 0
    with atomic_write(path, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for doc_id, start, end, text, label, entity_id, spacy_label in store.rows(
            "SELECT d.doc_id, m.start, m.end, m.text, e.type, e.id, m.spacy_label FROM mentions m "
            "JOIN documents d USING (doc) JOIN entities e USING (entity) ORDER BY d.position, m.start"
        ):
            writer.writerow((safe_cell(doc_id), start, end, safe_cell(text), label, entity_id, spacy_label))
            rows += 1
    return rows


def safe_cell(text: str) -> str:
    """`text`, with a leading `'` if a spreadsheet would run it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text

"""Mentions exporter: the audit trail from every node back to the text.

Input: the corpus' `Extraction`s and their `Resolution`. Output: `mentions.csv`, one row
per kept mention: doc_id, start, end (character offsets into the document), text,
label (entity type), entity_id (the node id in the GraphML) and spacy_label (the
model's own label). Dropped mentions (junk, excluded names) have no row.

What the format cannot hold safely: a cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return runs as a formula when the file is opened in a spreadsheet (CSV
injection). Such text and doc_id cells get a leading `'` (the OWASP rule), so for them
`text` is the document's text with that quote in front; GraphML and HTML keep the text
unchanged.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from graph.atomic import atomic_write
from graph.model import Extraction, Resolution

COLUMNS = ("doc_id", "start", "end", "text", "label", "entity_id", "spacy_label")
# What spreadsheets read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_mentions(extractions: Iterable[Extraction], resolution: Resolution, path: Path) -> int:
    """Write the CSV atomically; return the number of rows."""
    rows = 0
    with atomic_write(path, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for extraction in extractions:
            for mention in extraction.mentions:
                entity = resolution.entity_of(extraction.doc_id, mention)
                if entity is None:
                    continue
                writer.writerow(
                    (safe_cell(extraction.doc_id), mention.start, mention.end,
                     safe_cell(mention.text), entity.type, entity.id, mention.spacy_label)
                )
                rows += 1
    return rows


def safe_cell(text: str) -> str:
    """`text`, with a leading `'` if a spreadsheet would run it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text

"""Documents exporter: what became of each document of the corpus.

Input: the corpus' `Extraction`s, their `Resolution` and, in the same order, each
document's `DocumentInfo`. Output: `documents.csv`, one row per document in input order:
doc_id, duplicate_group (the doc_id of the first document, in input order, of its
near-duplicate group: its own id when it has no copy), date (`YYYY-MM-DD`, empty when
undated), statements (its sentences, every one counted) and mentions (the names kept,
as rows of mentions.csv).

What the format cannot hold safely: a doc_id starting with `=`, `+`, `-`, `@`, a tab or a
carriage return gets a leading `'` (CSV injection; see mentions.py).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from graph.atomic import atomic_write
from graph.export.mentions import safe_cell
from graph.model import DocumentInfo, Extraction, Resolution

COLUMNS = ("doc_id", "duplicate_group", "date", "statements", "mentions")


def write_documents(
    extractions: Iterable[Extraction],
    resolution: Resolution,
    documents: Sequence[DocumentInfo],
    path: Path,
) -> int:
    """Write the CSV atomically; return the number of rows."""
    rows = 0
    with atomic_write(path, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for extraction, info in zip(extractions, documents, strict=True):
            kept = sum(
                1 for m in extraction.mentions if resolution.entity_of(extraction.doc_id, m) is not None
            )
            writer.writerow(
                (safe_cell(extraction.doc_id), safe_cell(documents[info.group].doc_id),
                 info.date or "", extraction.sentences, kept)
            )
            rows += 1
    return rows

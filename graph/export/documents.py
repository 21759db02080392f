"""Documents exporter: what became of each document of the corpus.

Input: the store. Output: `documents.csv`, one row per document in input order: doc_id,
duplicate_group (the doc_id of the first document, in input order, of its near-duplicate
group: its own id when it has no copy), date (`YYYY-MM-DD`, empty when undated),
statements (its sentences, every one counted), mentions (the names kept, as rows of
mentions.csv), lang (the language it was read in: which pipeline of `--model` read it)
and lang_source (how that was chosen: field, detected, fallback or only; see
graph.routing). Both are empty for a corpus extracted elsewhere.

What the format cannot hold safely: a doc_id starting with `=`, `+`, `-`, `@`, a tab or a
carriage return gets a leading `'` (CSV injection; see mentions.py).
"""

from __future__ import annotations

import csv
from pathlib import Path

from graph.atomic import atomic_write
from graph.export.mentions import safe_cell
from graph.store import Store

COLUMNS = ("doc_id", "duplicate_group", "date", "statements", "mentions", "lang", "lang_source")


def write_documents(store: Store, path: Path) -> int:
    """Write the CSV atomically; return the number of rows."""
    rows = 0
    kept = dict(store.rows("SELECT doc, count(*) FROM mentions WHERE entity IS NOT NULL GROUP BY doc"))
    with atomic_write(path, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for doc, doc_id, group, date, sentences, lang, lang_source in store.rows(
            "SELECT d.doc, d.doc_id, coalesce(g.doc_id, d.doc_id), d.date, d.sentences, d.lang, d.lang_source "
            "FROM documents d LEFT JOIN documents g ON g.doc = d.duplicate_of ORDER BY d.position"
        ):
            writer.writerow(
                (safe_cell(doc_id), safe_cell(group), date or "", sentences, kept.get(doc, 0), lang or "", lang_source or "")
            )
            rows += 1
    return rows

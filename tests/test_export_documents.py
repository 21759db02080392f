"""documents.csv: one row per document with its near-duplicate group, date and counts."""

from __future__ import annotations

import csv

from graph.export.documents import write_documents
from graph.model import DocumentInfo
from tests.conftest import extraction, recorded


def test_each_document_has_a_row_naming_its_group_by_its_first_document(tmp_path):
    extractions = [
        extraction("wire.txt", [("Hamas", "ORG"), ("Cairo", "PLACE")], [("Doha", "PLACE")]),
        extraction("=HYPERLINK(1)", [("Hamas", "ORG")]),
        extraction("copy.txt", [("Hamas", "ORG"), ("Cairo", "PLACE")]),
    ]
    documents = [
        DocumentInfo("wire.txt", 0, "2025-04-14"),
        DocumentInfo("=HYPERLINK(1)", 1),
        DocumentInfo("copy.txt", 0, "2025-04-15"),
    ]
    # An excluded name is no kept mention: it is not counted.
    exclude = tmp_path / "exclude.txt"
    exclude.write_text("Doha\n", encoding="utf-8")
    store = recorded(extractions, documents=documents, exclude=exclude)
    path = tmp_path / "documents.csv"
    assert write_documents(store, path) == 3
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["doc_id", "duplicate_group", "date", "statements", "mentions", "lang", "lang_source"],
        ["wire.txt", "wire.txt", "2025-04-14", "2", "2", "", ""],
        ["'=HYPERLINK(1)", "'=HYPERLINK(1)", "", "1", "1", "", ""],
        ["copy.txt", "wire.txt", "2025-04-15", "1", "2", "", ""],
    ]
    first = path.read_bytes()
    write_documents(store, path)
    assert path.read_bytes() == first

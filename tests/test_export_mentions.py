"""mentions.csv: one row per kept mention, safe to open in a spreadsheet."""

from __future__ import annotations

import csv

import pytest

from graph.export.mentions import safe_cell, write_mentions
from tests.conftest import extraction, recorded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")", id="equals"),
        pytest.param("+1-555", "'+1-555", id="plus"),
        pytest.param("-2+3", "'-2+3", id="minus"),
        pytest.param("@SUM(A1)", "'@SUM(A1)", id="at"),
        pytest.param("\tcmd", "'\tcmd", id="tab"),
        pytest.param("\rcmd", "'\rcmd", id="carriage-return"),
        pytest.param("Al-Sisi", "Al-Sisi", id="dash-inside"),
        pytest.param("'quoted", "'quoted", id="quote-kept-as-is"),
        pytest.param("", "", id="empty"),
    ],
)
def test_safe_cell_neutralises_formula_starts_only(text, expected):
    assert safe_cell(text) == expected


def test_written_rows_neutralise_names_and_doc_ids_that_start_a_formula(tmp_path):
    extractions = [
        extraction("=cmd|'/C calc'!A0", [("Hassan Rashad", "PERSON"), ("Cairo", "PLACE")]),
        extraction("plain.txt", [("@Hamas", "ORG"), ("Cairo", "PLACE")]),
    ]
    path = tmp_path / "mentions.csv"
    rows_written = write_mentions(recorded(extractions), path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows_written == len(rows) == 4
    assert {row["doc_id"] for row in rows} == {"'=cmd|'/C calc'!A0", "plain.txt"}
    cells = [value for row in rows for value in row.values()]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'@Hamas" in {row["text"] for row in rows}

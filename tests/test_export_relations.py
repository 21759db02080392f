"""relations.csv: one row per relation between two kept entities, guarded like mentions.csv."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from graph.export.relations import COLUMNS, write_relations
from graph.model import Relation
from tests.conftest import extraction, recorded


def test_rows_name_the_statement_the_ends_in_their_direction_and_guard_formulas(tmp_path: Path) -> None:
    made = extraction("=doc", [("Hassan Rashad", "PERSON"), ("Hamas", "ORG"), ("Egypt", "PLACE")])
    statement = replace(
        made.statements[0],
        text="=HYPERLINK() Hassan Rashad and Hamas and Egypt.",
        relations=(
            Relation(1, 0, "", "-meet"),
            Relation(0, 1, "head_of", "head of"),
            Relation(0, 0, "", "same"),  # one entity at both ends: no row
            Relation(0, None, "citizen_of", "", "Egypt"),
            Relation(0, None, "citizen_of", "", "Atlantis"),  # no such place in the corpus
        ),
    )
    corpus = [replace(made, statements=(statement,))]
    path = tmp_path / "relations.csv"
    rows = write_relations(recorded(corpus), path)
    with open(path, newline="", encoding="utf-8") as handle:
        written = list(csv.reader(handle))
    assert written[0] == list(COLUMNS)
    assert rows == len(written) - 1 == 3
    span = [str(statement.start), str(statement.end)]
    evidence = "'=HYPERLINK() Hassan Rashad and Hamas and Egypt."
    assert written[1] == ["'=doc", *span, "ORG_hamas", "PERSON_hassan_rashad", "", "'-meet", evidence]
    assert written[2] == ["'=doc", *span, "PERSON_hassan_rashad", "ORG_hamas", "head_of", "head of", evidence]
    assert written[3] == ["'=doc", *span, "PERSON_hassan_rashad", "PLACE_egypt", "citizen_of", "", evidence]

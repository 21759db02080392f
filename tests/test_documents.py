"""Reading inputs: files, directories, globs, JSONL and CSV rows, ids and counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.documents import ReadReport, cut_text, paragraph_starts, parse_date, read_documents


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _read(inputs, **kwargs) -> tuple[list[tuple[str, str]], ReadReport]:
    report = ReadReport()
    documents = [(d.doc_id, d.text) for d in read_documents(inputs, report, **kwargs)]
    return documents, report


def test_directory_is_read_recursively_with_ids_relative_to_it(tmp_path):
    _write(tmp_path, {"b.txt": "B", "a/x.md": "X", "a/y.txt": "Y", "photo.jpg": b"\xff\xd8"})
    documents, report = _read([tmp_path])
    # A directory's own files first, then its subdirectories, each sorted by name.
    assert documents == [("b.txt", "B"), ("a/x.md", "X"), ("a/y.txt", "Y")]
    assert report.skipped_suffixes == {".jpg": 1}
    assert report.documents == 3


def test_glob_pattern_ids_are_relative_to_its_fixed_part(tmp_path):
    _write(tmp_path, {"news/one.txt": "1", "news/two.txt": "2", "news/skip.md": "3"})
    documents, _ = _read([str(tmp_path / "news" / "*.txt")])
    assert documents == [("one.txt", "1"), ("two.txt", "2")]


def test_the_same_file_given_twice_is_read_once(tmp_path):
    _write(tmp_path, {"a.txt": "A"})
    documents, _ = _read([tmp_path / "a.txt", tmp_path, str(tmp_path / "*.txt")])
    assert documents == [("a.txt", "A")]


def test_jsonl_rows_use_the_id_field_or_fall_back_to_file_and_line(tmp_path):
    rows = [{"id": "r1", "text": "one"}, {"text": "two"}, {"id": "r3", "body": "three"}]
    _write(tmp_path, {"rows.jsonl": "\n".join(json.dumps(r) for r in rows)})
    documents, report = _read([tmp_path / "rows.jsonl"])
    assert documents == [("r1", "one"), ("rows.jsonl:2", "two")]
    assert report.problems == [f"{tmp_path / 'rows.jsonl'}:3: no field 'text'; row skipped"]


def test_csv_rows_with_chosen_fields(tmp_path):
    _write(tmp_path, {"t.csv": "key,body\nk1,first text\nk2,\"second, quoted\"\n"})
    documents, _ = _read([tmp_path / "t.csv"], text_field="body", id_field="key")
    assert documents == [("k1", "first text"), ("k2", "second, quoted")]


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        pytest.param("Zoë in Düsseldorf".encode("utf-8"), "Zoë in Düsseldorf", id="utf-8"),
        pytest.param(b"\xef\xbb\xbfHamas", "Hamas", id="utf-8-bom"),
        pytest.param("Zoë".encode("utf-16"), "Zoë", id="utf-16-bom"),
    ],
)
def test_text_is_decoded(tmp_path, raw, text):
    _write(tmp_path, {"a.txt": raw})
    documents, _ = _read([tmp_path / "a.txt"])
    assert documents == [("a.txt", text)]


def test_empty_and_whitespace_files_are_counted_not_kept(tmp_path):
    _write(tmp_path, {"empty.txt": "", "blank.txt": " \n\t\n", "ok.txt": "Cairo"})
    documents, report = _read([tmp_path])
    assert documents == [("ok.txt", "Cairo")]
    assert report.empty == 2


def test_problems_are_told_as_they_happen(tmp_path):
    heard: list[str] = []
    report = ReadReport(on_problem=heard.append)
    list(read_documents([tmp_path / "missing.txt"], report))
    assert heard == [f"{tmp_path / 'missing.txt'}: no such file or directory"]


def test_files_of_the_same_name_given_apart_are_both_kept(tmp_path):
    _write(tmp_path, {"2023/report.txt": "Old", "2024/report.txt": "New"})
    first, second = tmp_path / "2023" / "report.txt", tmp_path / "2024" / "report.txt"
    documents, report = _read([first, second])
    assert documents == [("report.txt", "Old"), (second.as_posix(), "New")]
    assert report.problems == []


def test_csv_rows_are_read_past_the_csv_modules_field_limit_and_short_rows_reported(tmp_path):
    article = "Angela Merkel spoke. " * 10_000  # 210,000 characters: over csv's 131,072
    _write(tmp_path, {"t.csv": f'id,text\n1,"{article}"\n2\n3,ok\n'})
    documents, report = _read([tmp_path / "t.csv"])
    assert documents == [("1", article), ("3", "ok")]
    assert report.problems == [
        f"{tmp_path / 't.csv'}:3: no value in column 'text' (row has 1 of 2 columns); row skipped"
    ]


@pytest.mark.parametrize(
    ("text", "limit", "pieces"),
    [
        pytest.param("short", 10, ["short"], id="fits"),
        pytest.param("aaaa\n\nbbbb\n\ncccc", 12, ["aaaa\n\nbbbb\n\n", "cccc"], id="paragraphs"),
        pytest.param("aaaa\n \nbbbb cccc", 14, ["aaaa\n \n", "bbbb cccc"], id="blank-line-with-space"),
        pytest.param("aaaa\nbbbb cccc", 12, ["aaaa\n", "bbbb cccc"], id="line-break"),
        pytest.param("aaaa bbbb cccc", 10, ["aaaa bbbb ", "cccc"], id="words"),
        pytest.param("abcdefghij", 4, ["abcd", "efgh", "ij"], id="hard-cut"),
    ],
)
def test_cut_text_covers_the_text_exactly(text, limit, pieces):
    cut = list(cut_text(text, limit))
    assert [piece for _, piece in cut] == pieces
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in cut)


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        pytest.param("one\n\ntwo\nstill two\n \nthree", [5, 21], id="blank-lines"),
        pytest.param("one\ntwo\nthree", [4, 8], id="a-paragraph-a-line"),
        pytest.param("one paragraph", [], id="one"),
    ],
)
def test_paragraphs_end_at_blank_lines_else_at_line_breaks(text, starts):
    assert paragraph_starts(text) == starts


@pytest.mark.parametrize(
    ("value", "date"),
    [
        pytest.param("2025-04-14", "2025-04-14", id="date"),
        pytest.param(" 2025-04-14 ", "2025-04-14", id="spaces"),
        pytest.param("2025-04-14T23:30:00Z", "2025-04-14", id="utc-time"),
        pytest.param("2025-04-14T23:30:00-05:00", "2025-04-14", id="the-day-as-written"),
        pytest.param("2025-04-14 09:30", "2025-04-14", id="space-before-time"),
        pytest.param("2025-04-14T09:30:00.123456+05:30", "2025-04-14", id="fractions"),
    ],
)
def test_iso_dates_and_times_give_their_day(value, date):
    assert parse_date(value) == date


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("14/04/2025", "'14/04/2025' is not an ISO 8601 date (YYYY-MM-DD)", id="other-order"),
        pytest.param("2025-02-30", "'2025-02-30' is not a valid ISO 8601 date", id="no-such-day"),
        pytest.param("2025-04-14T25:00", "'2025-04-14T25:00' is not a valid ISO 8601 date", id="no-such-hour"),
        pytest.param("April 14", "'April 14' is not an ISO 8601 date (YYYY-MM-DD)", id="words"),
        pytest.param(20250414, "a number, not an ISO 8601 date", id="number"),
        pytest.param(["2025-04-14"], "a list, not an ISO 8601 date", id="list"),
    ],
)
def test_what_is_no_date_says_why(value, message):
    with pytest.raises(ValueError) as raised:
        parse_date(value)
    assert str(raised.value) == message


def test_rows_carry_their_date_and_a_bad_date_is_a_warning_naming_the_row(tmp_path):
    rows = [
        {"id": "a", "text": "one", "published": "2025-04-14T08:00:00Z"},
        {"id": "b", "text": "two", "published": "yesterday"},
        {"id": "c", "text": "three", "published": None},
        {"id": "d", "text": "four"},
    ]
    _write(tmp_path, {"rows.jsonl": "\n".join(json.dumps(r) for r in rows)})
    report = ReadReport()
    documents = list(read_documents([tmp_path / "rows.jsonl"], report, date_field="published"))
    assert [(d.doc_id, d.date) for d in documents] == [("a", "2025-04-14"), ("b", None), ("c", None), ("d", None)]
    assert report.problems == [
        f"{tmp_path / 'rows.jsonl'}:2: field 'published': 'yesterday' is not an ISO 8601 date "
        "(YYYY-MM-DD); document kept without a date"
    ]


def test_csv_rows_read_the_date_column(tmp_path):
    _write(tmp_path, {"t.csv": "id,date,text\nk1,2024-03-05,first\nk2,,second\n"})
    report = ReadReport()
    documents = list(read_documents([tmp_path / "t.csv"], report))
    assert [(d.doc_id, d.date) for d in documents] == [("k1", "2024-03-05"), ("k2", None)]
    assert report.problems == []

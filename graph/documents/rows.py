"""Rows: one document per JSONL line or CSV row.

Input: a file's decoded blocks and the names of the text, id, date and language fields
(`Fields`). Output: the rows' `Document`s, one row held at a time; a row that cannot be
used (bad JSON, no text field, text not a string) is reported with its `file:line` and
skipped, a bad date or language is reported and the document kept without one.
"""

from __future__ import annotations

import csv
import datetime
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from graph.documents.report import ReadReport
from graph.documents.sources import Source, clean
from graph.model import Document

# YYYY-MM-DD, alone or followed by a time: the ISO 8601 forms news feeds use.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|[T ]\d)")


@dataclass(frozen=True)
class Fields:
    """The names of a row's fields (JSONL) or columns (CSV) that hold a document's text,
    id, date and language."""

    text: str = "text"
    id: str = "id"
    date: str = "date"
    lang: str = "lang"


def _lines(blocks: Iterator[str]) -> Iterator[str]:
    """Lines with their endings, split at "\\n" only: a JSON string may hold U+2028 and
    friends, which str.splitlines would break on."""
    rest = ""
    for block in blocks:
        lines = (rest + block).split("\n")
        rest = lines.pop()
        for line in lines:
            yield line + "\n"
    if rest:
        yield rest


def jsonl_rows(
    blocks: Iterator[str],
    source: Source,
    report: ReadReport,
    fields: Fields,
) -> Iterator[Document]:
    for number, line in enumerate(_lines(blocks), start=1):
        if not line.strip():
            continue
        where = f"{source.path}:{number}"
        try:
            row = json.loads(line.rstrip("\r\n"))
        except json.JSONDecodeError as err:
            report.problem(where, f"not valid JSON ({err.msg}); row skipped")
            continue
        except RecursionError:  # [[[[...]]]] a hundred thousand deep
            report.problem(where, "not valid JSON (nested too deeply); row skipped")
            continue
        except ValueError as err:  # a number of more than 4,300 digits
            report.problem(where, f"not valid JSON ({err}); row skipped")
            continue
        if not isinstance(row, dict):
            report.problem(where, "row is not a JSON object; row skipped")
            continue
        fallback = f"{source.doc_id}:{number}"
        document = _row_document(row, where, fallback, report, fields)
        if document is not None:
            yield document


def csv_rows(
    blocks: Iterator[str],
    source: Source,
    report: ReadReport,
    fields: Fields,
) -> Iterator[Document]:
    text_field = fields.text
    reader = csv.reader(_lines(blocks))
    # csv refuses fields over 128 KiB by default, and one article can be longer.
    limit = csv.field_size_limit(sys.maxsize)
    try:
        columns = next(reader, [])
        if text_field not in columns:
            report.problem(
                source.path,
                f"no column {text_field!r} (columns: {', '.join(columns) or 'none'}); "
                "file skipped, choose the column with --text-field",
            )
            return
        start = reader.line_num + 1
        for values in reader:
            number, start = start, reader.line_num + 1
            if not values:
                continue
            where = f"{source.path}:{number}"
            row = dict(zip(columns, values))
            if text_field not in row:
                report.problem(
                    where, f"no value in column {text_field!r} (row has {len(values)} of "
                    f"{len(columns)} columns); row skipped"
                )
                continue
            fallback = f"{source.doc_id}:{number}"
            document = _row_document(row, where, fallback, report, fields)
            if document is not None:
                yield document
    except csv.Error as err:
        where = f"{source.path}:{reader.line_num}"
        report.problem(where, f"malformed CSV ({err}); rest of file skipped")
    finally:
        csv.field_size_limit(limit)


def _row_document(
    row: dict,
    where: str,
    fallback_id: str,
    report: ReadReport,
    fields: Fields,
) -> Document | None:
    if fields.text not in row:
        report.problem(where, f"no field {fields.text!r}; row skipped")
        return None
    text = row[fields.text]
    if not isinstance(text, str):
        kind = _json_kind(text)
        report.problem(where, f"field {fields.text!r} is {kind}, not a string; row skipped")
        return None
    row_id = row.get(fields.id)
    doc_id = str(row_id) if row_id not in (None, "") else fallback_id
    date = None
    value = row.get(fields.date)
    if value not in (None, ""):
        try:
            date = parse_date(value)
        except ValueError as err:
            report.problem(where, f"field {fields.date!r}: {err}; document kept without a date")
    lang = row.get(fields.lang)
    if lang is not None and not isinstance(lang, str):
        report.problem(
            where, f"field {fields.lang!r} is {_json_kind(lang)}, not a language code; document kept, "
            "its language told from its text"
        )  # fmt: skip
        lang = None
    return Document(clean(doc_id), clean(text), date, clean(where), clean(lang) if lang else None)


def parse_date(value: object) -> str:
    """The calendar date of an ISO 8601 date or date-time ("2025-04-14",
    "2025-04-14T09:30:00Z", "2025-04-14 09:30+02:00") as `YYYY-MM-DD`, the day as
    written (a time zone does not move it); anything else raises ValueError saying why."""
    if not isinstance(value, str):
        raise ValueError(f"{_json_kind(value)}, not an ISO 8601 date")
    text = value.strip()
    shown = repr(text if len(text) <= 40 else text[:40] + "...")
    if not _ISO_DATE.match(text):
        raise ValueError(f"{shown} is not an ISO 8601 date (YYYY-MM-DD)")
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text).isoformat()
        # Python before 3.11 reads no "Z" for UTC.
        moment = datetime.datetime.fromisoformat(text[:-1] + "+00:00" if text[-1] in "zZ" else text)
    except ValueError:
        raise ValueError(f"{shown} is not a valid ISO 8601 date") from None
    return moment.date().isoformat()


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    return "an object"

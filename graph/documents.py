"""Input: turn files, directories and glob patterns into a stream of `Document`s.

`.txt` and `.md` files are one document each; `.jsonl` and `.csv` files hold one document
per row. Problems with a file or a row are reported to a `ReadReport` and the rest of the
corpus goes on; nothing is dropped without a line in the report.
"""

from __future__ import annotations

import csv
import glob
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.model import Document

TEXT_SUFFIXES = (".txt", ".md")
ROW_SUFFIXES = (".jsonl", ".csv")
_GLOB_CHARS = set("*?[")


@dataclass
class ReadReport:
    """What reading the inputs ran into: counts for the summary, one line per problem."""

    files: int = 0
    documents: int = 0
    empty: int = 0
    skipped_suffixes: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    # Told of each problem as it happens, so a long run reports it at once.
    on_problem: Callable[[str], None] | None = None

    def problem(self, where: object, message: str) -> None:
        line = f"{where}: {message}"
        self.problems.append(line)
        if self.on_problem is not None:
            self.on_problem(line)


@dataclass(frozen=True)
class _Source:
    path: Path
    doc_id: str


def read_documents(
    inputs: Sequence[str | Path],
    report: ReadReport,
    *,
    text_field: str = "text",
    id_field: str = "id",
) -> Iterator[Document]:
    """Yield the documents of every input, in a stable order (inputs as given, files sorted)."""
    seen_ids: set[str] = set()
    for source in _sources(inputs, report):
        for document in _read_source(source, report, text_field, id_field):
            if not document.text.strip():
                report.empty += 1
                continue
            doc_id = document.doc_id
            if doc_id in seen_ids:
                report.problem(source.path, f"document id {doc_id!r} already used; skipped")
                continue
            seen_ids.add(doc_id)
            report.documents += 1
            yield Document(doc_id, document.text)


def _sources(inputs: Sequence[str | Path], report: ReadReport) -> Iterator[_Source]:
    seen: set[Path] = set()

    def once(path: Path, doc_id: str) -> Iterator[_Source]:
        real = path.resolve()
        if real not in seen:
            seen.add(real)
            yield _Source(path, doc_id)

    for item in inputs:
        text = str(item)
        if _GLOB_CHARS & set(text) and not Path(text).exists():
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                report.problem(text, "no file matches this pattern")
                continue
            root = Path(_glob_root(text))
            for match in matches:
                path = Path(match)
                if path.is_dir():
                    yield from _walk(path, root, report, once)
                elif _usable_suffix(path, report):
                    yield from once(path, _relative_id(path, root))
            continue
        path = Path(text)
        if path.is_dir():
            yield from _walk(path, path, report, once)
        elif path.is_file():
            yield from once(path, path.name)
        elif not path.exists():
            report.problem(path, "no such file or directory")
        else:
            report.problem(path, "not a regular file or directory")


def _walk(directory: Path, root: Path, report: ReadReport, once) -> Iterator[_Source]:
    for dirpath, dirnames, filenames in os.walk(directory, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath, name)
            if _usable_suffix(path, report):
                yield from once(path, _relative_id(path, root))


def _usable_suffix(path: Path, report: ReadReport) -> bool:
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES or suffix in ROW_SUFFIXES:
        return True
    report.skipped_suffixes[suffix or "(none)"] += 1
    return False


def _glob_root(pattern: str) -> str:
    parts = Path(pattern).parts
    fixed = [p for p in parts[: next((i for i, p in enumerate(parts) if _GLOB_CHARS & set(p)), len(parts))]]
    return str(Path(*fixed)) if fixed else "."


def _relative_id(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_source(source: _Source, report: ReadReport, text_field: str, id_field: str) -> Iterator[Document]:
    try:
        data = source.path.read_bytes()
    except OSError as err:
        report.problem(source.path, f"cannot read: {err.strerror or err}")
        return
    report.files += 1
    text = decode(data, source.path, report)
    suffix = source.path.suffix.lower()
    if suffix == ".jsonl":
        yield from _jsonl_rows(text, source, report, text_field, id_field)
    elif suffix == ".csv":
        yield from _csv_rows(text, source, report, text_field, id_field)
    else:
        yield Document(source.doc_id, text)


def decode(data: bytes, path: Path, report: ReadReport) -> str:
    """Decode UTF-8 (BOM or not) or BOM-marked UTF-16; replace what cannot be decoded."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        report.problem(path, f"not valid UTF-8 (byte {err.start}); undecodable bytes replaced")
        return data.decode("utf-8-sig", errors="replace")


def _jsonl_rows(text: str, source: _Source, report: ReadReport, text_field: str, id_field: str) -> Iterator[Document]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source.path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            report.problem(where, f"not valid JSON ({err.msg}); row skipped")
            continue
        if not isinstance(row, dict):
            report.problem(where, "row is not a JSON object; row skipped")
            continue
        document = _row_document(row, where, f"{source.doc_id}:{number}", report, text_field, id_field)
        if document is not None:
            yield document


def _csv_rows(text: str, source: _Source, report: ReadReport, text_field: str, id_field: str) -> Iterator[Document]:
    reader = csv.DictReader(text.splitlines())
    columns = reader.fieldnames or []
    if text_field not in columns:
        report.problem(
            source.path,
            f"no column {text_field!r} (columns: {', '.join(columns) or 'none'}); "
            "file skipped, choose the column with --text-field",
        )
        return
    for row in reader:
        number = reader.line_num
        where = f"{source.path}:{number}"
        document = _row_document(row, where, f"{source.doc_id}:{number}", report, text_field, id_field)
        if document is not None:
            yield document


def _row_document(
    row: dict, where: str, fallback_id: str, report: ReadReport, text_field: str, id_field: str
) -> Document | None:
    if text_field not in row:
        report.problem(where, f"no field {text_field!r}; row skipped")
        return None
    text = row[text_field]
    if not isinstance(text, str):
        report.problem(where, f"field {text_field!r} is not a string; row skipped")
        return None
    row_id = row.get(id_field)
    doc_id = str(row_id) if row_id not in (None, "") else fallback_id
    return Document(doc_id, text)

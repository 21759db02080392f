"""Input: turn files, directories and glob patterns into a stream of `Document`s.

`.txt` and `.md` files are one document each; `.jsonl` and `.csv` files hold one document
per row. Problems with a file or a row are reported to a `ReadReport` and the rest of the
corpus goes on; nothing is dropped without a line in the report (or a count in it).

Real corpora are messy, so:
- Bytes: a byte order mark decides (UTF-8, UTF-16 or UTF-32, either byte order); else the
  file is read as UTF-8 if it is valid UTF-8, else as Windows-1252 (reported once per
  file; the five bytes Windows-1252 leaves undefined map to the Latin-1 control
  characters, as browsers do). UTF-16 without a mark is recognized by its zero bytes.
- Binary files with a text suffix (PDF, images, archives, office files, NUL bytes, mostly
  control characters) are skipped with a problem naming what they look like.
- Files are streamed, never read whole. A text file longer than `piece_chars` characters
  becomes several documents, each cut after a paragraph break (a blank line) where there
  is one. Their ids say where they start: `big.txt#char=N` (the RFC 5147 fragment for
  text), N being the offset in characters of the piece in the decoded file. Mention
  offsets (mentions.csv) are relative to their document, so `N + start` is the offset in
  the file. A file that fits in one piece keeps its plain id. JSONL and CSV are read row
  by row; only one row is held at a time.
- Directories are walked without recursion (any depth), each directory once (by device
  and inode), so symbolic links to directories are followed and loops end; a file named twice
  (or reached through a link) is read once. FIFOs, sockets and devices are never opened:
  reading one can block forever. The output directory is never read back as input.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import fnmatch
import glob
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from graph.model import Document

TEXT_SUFFIXES = (".txt", ".md")
ROW_SUFFIXES = (".jsonl", ".csv")
# A text file longer than this many characters is read as several documents.
PIECE_CHARS = 1_000_000
# Bytes read at a time; memory stays near piece_chars + READ_BYTES whatever the file size.
READ_BYTES = 1 << 20
# Bytes looked at to tell text from binary.
SNIFF_BYTES = 8192
# Above this share of control characters in the sniffed bytes a file is not text.
MAX_CONTROL_SHARE = 0.1
_GLOB_CHARS = set("*?[")
_BOMS = (  # UTF-32 LE first: its mark starts with UTF-16 LE's.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"PK\x03\x04", "ZIP"),  # also .docx, .xlsx, .odt, .epub
    (b"PK\x05\x06", "ZIP"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x7fELF", "ELF"),
    (b"SQLite format 3\x00", "SQLite"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
# Control characters that plain text does carry: tab, line breaks, form feed, escape.
_TEXT_CONTROLS = frozenset(b"\t\n\x0b\x0c\r\x1b")
# A blank line: two line breaks with nothing but spaces (or \r) between them.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
_LINE_BREAK = re.compile(r"\n")
# YYYY-MM-DD, alone or followed by a time: the ISO 8601 forms news feeds use.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|[T ]\d)")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Windows-1252 as browsers read it: its five undefined bytes become U+0081 etc.
_CP1252_TABLE = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)
)


@dataclass
class ReadReport:
    """What reading the inputs ran into: counts for the summary, one line per problem.

    `empty` counts inputs without text: empty or blank files and rows, and directories
    holding no file at all.
    """

    files: int = 0
    documents: int = 0
    empty: int = 0
    binary: int = 0
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


@dataclass(frozen=True)
class _Encoding:
    """How to turn a file's bytes into text: codec, bytes of mark to skip, and the note
    to report once (None when the file is plain UTF-8 or marked)."""

    codec: str
    skip: int = 0
    errors: str = "strict"
    note: str | None = None


class _Decoder(Protocol):
    def decode(self, data: bytes, final: bool = False) -> str: ...


class _Cp1252Decoder:
    """Stateless, so chunks decode alone; never fails (see `_CP1252_TABLE`)."""

    def decode(self, data: bytes, final: bool = False) -> str:
        return codecs.charmap_decode(data, "strict", _CP1252_TABLE)[0]


def read_documents(
    inputs: Sequence[str | Path],
    report: ReadReport,
    *,
    text_field: str = "text",
    id_field: str = "id",
    date_field: str = "date",
    piece_chars: int | None = None,
    skip_dirs: Sequence[Path] = (),
) -> Iterator[Document]:
    """Yield the documents of every input, in a stable order (inputs as given, files sorted).

    Text files longer than `piece_chars` (default `PIECE_CHARS`) are read in pieces. A
    JSONL or CSV row's `date_field` dates its document (see `parse_date`); a value that
    is no date is a problem line, and the document is kept without a date.
    Directories in `skip_dirs` (the output directory) are not read, with a problem line
    when a walk meets one.
    """
    piece_chars = piece_chars or PIECE_CHARS
    seen_ids: set[str] = set()
    for source in _Sources(report, skip_dirs)(inputs):
        for document in _read_source(source, report, text_field, id_field, date_field, piece_chars):
            if not document.text.strip():
                report.empty += 1
                continue
            doc_id = document.doc_id
            if doc_id in seen_ids:
                report.problem(source.path, f"document id {doc_id!r} already used; skipped")
                continue
            seen_ids.add(doc_id)
            report.documents += 1
            yield document


class _Sources:
    """The files `inputs` name, each once, with its document id, reporting what is not
    usable (once per path, however often it is named)."""

    def __init__(self, report: ReadReport, skip_dirs: Sequence[Path]) -> None:
        self.report = report
        self.skip = {_identity(d) for d in skip_dirs if Path(d).is_dir()}
        self.files: set[tuple[int, int]] = set()
        self.ids: set[str] = set()
        self.passed_over: set[str] = set()

    def __call__(self, inputs: Sequence[str | Path]) -> Iterator[_Source]:
        for item in inputs:
            text = str(item)
            path = Path(text)
            if _GLOB_CHARS & set(text) and not path.exists():
                yield from self.pattern(text)
            elif path.is_dir():
                yield from self.directory(path, path, _everything)
            elif path.is_file():
                if self.usable(path, True):
                    yield from self.once(path, path.name)
            elif not os.path.lexists(path):
                self.report.problem(path, "no such file or directory")
            elif path.is_symlink() and not path.exists():
                self.report.problem(path, "broken or looping symbolic link")
            else:
                self.report.problem(path, "not a regular file or directory")

    def pattern(self, pattern: str) -> Iterator[_Source]:
        root = Path(_glob_root(pattern))
        if "**" in pattern:
            # glob's own "**" follows symlinked directories without end.
            matcher = _RecursiveMatcher(pattern, root)
            if root.is_dir():
                yield from self.directory(root, root, matcher)
            if not matcher.matched:
                self.report.problem(pattern, "no file matches this pattern")
            return
        matches = sorted(glob.glob(pattern))
        if not matches:
            self.report.problem(pattern, "no file matches this pattern")
        for match in matches:
            path = Path(match)
            if path.is_dir():
                yield from self.directory(path, root, _everything)
            elif self.usable(path, path.is_file()):
                yield from self.once(path, _relative_id(path, root))

    def directory(
        self, directory: Path, root: Path, wanted: Callable[[Path], bool]
    ) -> Iterator[_Source]:
        found = False
        for path, regular in _walk(directory, self.report, self.skip):
            found = True
            if wanted(path) and self.usable(path, regular):
                yield from self.once(path, _relative_id(path, root))
        if not found and wanted is _everything and self.first_time(directory):
            self.report.empty += 1

    def usable(self, path: Path, regular: bool) -> bool:
        suffix = path.suffix.lower()
        if suffix not in TEXT_SUFFIXES and suffix not in ROW_SUFFIXES:
            if self.first_time(path):
                self.report.skipped_suffixes[suffix or "(none)"] += 1
            return False
        if not regular:
            if self.first_time(path):
                link = path.is_symlink()
                what = "broken or looping symbolic link" if link else "not a regular file"
                self.report.problem(path, f"{what}; skipped")
            return False
        return True

    def first_time(self, path: Path) -> bool:
        key = os.path.abspath(path)
        if key in self.passed_over:
            return False
        self.passed_over.add(key)
        return True

    def once(self, path: Path, doc_id: str) -> Iterator[_Source]:
        try:
            identity = _identity(path)
        except OSError as err:  # gone since it was listed
            self.report.problem(path, f"cannot read: {err.strerror or err}")
            return
        if identity in self.files:
            return
        self.files.add(identity)
        # Two inputs a/report.txt and b/report.txt: the second keeps its whole path.
        if doc_id in self.ids:
            doc_id = path.as_posix()
        self.ids.add(doc_id)
        yield _Source(path, _clean(doc_id))


def _everything(path: Path) -> bool:
    return True


def _identity(path: Path) -> tuple[int, int]:
    """What makes two paths one file or directory: links, "..", hard links.

    (os.path.realpath would do for links, but it is pure Python over every path
    component: quadratic in the depth of a tree.)
    """
    status = os.stat(path)
    return status.st_dev, status.st_ino


def _walk(
    directory: Path, report: ReadReport, skip: set[tuple[int, int]]
) -> Iterator[tuple[Path, bool]]:
    """Every non-directory entry under `directory` with whether it is a regular file:
    a directory's own entries first, then its subdirectories, each sorted by name.

    Directories in `skip` are left out, with a problem line. An explicit stack instead
    of recursion: os.walk recurses (a very deep tree would exhaust Python's stack) and,
    following links, would not stop at loops.
    """
    seen: set[tuple[int, int]] = set()
    stack = [directory]
    while stack:
        current = stack.pop()
        try:
            identity = _identity(current)
            if identity in seen:
                continue
            seen.add(identity)
            if identity in skip:
                report.problem(current, "the output directory; not read as input")
                continue
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as err:
            report.problem(current, f"cannot read directory: {err.strerror or err}")
            continue
        subdirectories = []
        for entry in entries:
            path = Path(entry.path)
            if _is(entry.is_dir):
                subdirectories.append(path)
            else:
                yield path, _is(entry.is_file)
        stack.extend(reversed(subdirectories))


def _is(test: Callable[[], bool]) -> bool:
    try:
        return test()
    except OSError:  # a link into a directory we may not stat
        return False


def _glob_root(pattern: str) -> str:
    parts = Path(pattern).parts
    fixed = parts[: next((i for i, p in enumerate(parts) if _GLOB_CHARS & set(p)), len(parts))]
    return str(Path(*fixed)) if fixed else "."


class _RecursiveMatcher:
    """Whether a file under `root` is named by a pattern holding `**` (the file itself or
    a directory above it matches), with glob's rules: `**` spans directories, and names
    starting with "." are matched only by a pattern part saying so."""

    def __init__(self, pattern: str, root: Path) -> None:
        self.parts = Path(pattern).parts[len(root.parts) :]
        self.root = root
        self.matched = 0

    def __call__(self, path: Path) -> bool:
        names = path.relative_to(self.root).parts
        # Indices into `names` up to which the pattern parts so far can match: one pass
        # per part, linear in the depth (a tree can be thousands of levels deep).
        reached = {0}
        for part in self.parts:
            if part == "**":
                first = min(reached)
                hidden = (i for i in range(first, len(names)) if names[i].startswith("."))
                reached = set(range(first, next(hidden, len(names)) + 1))
            else:
                reached = {
                    i + 1 for i in reached if i < len(names) and _name_matches(names[i], part)
                }
            if not reached:
                return False
        # The whole pattern matched the file or a directory above it.
        if max(reached) > 0:
            self.matched += 1
            return True
        return False


def _name_matches(name: str, part: str) -> bool:
    if name.startswith(".") and not part.startswith("."):
        return False
    return fnmatch.fnmatchcase(name, part)


def _relative_id(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _clean(text: str) -> str:
    """`text` without lone surrogates (file names in a foreign encoding, JSON "\\ud800"),
    which no output file can encode."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def _read_source(
    source: _Source,
    report: ReadReport,
    text_field: str,
    id_field: str,
    date_field: str,
    piece_chars: int,
) -> Iterator[Document]:
    path = source.path
    try:
        encoding = _sniff(path)
    except OSError as err:
        report.problem(path, f"cannot read: {err.strerror or err}")
        return
    if isinstance(encoding, str):
        report.binary += 1
        report.problem(path, f"looks binary ({encoding}); skipped")
        return
    report.files += 1
    if encoding.note:
        report.problem(path, encoding.note)
    blocks = _decoded_blocks(path, encoding)
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            yield from _jsonl_rows(blocks, source, report, text_field, id_field, date_field)
        elif suffix == ".csv":
            yield from _csv_rows(blocks, source, report, text_field, id_field, date_field)
        else:
            yield from _text_pieces(blocks, source, piece_chars)
    except OSError as err:  # the disk or network share failed mid-file
        report.problem(path, f"cannot read: {err.strerror or err}; rest of file skipped")


def _sniff(path: Path) -> _Encoding | str:
    """How to decode the file at `path`, or what binary format it looks like (a str).

    Reads the whole file once to validate UTF-8, in blocks; raises OSError if it cannot.
    """
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    for mark, codec, name in _BOMS:
        if head.startswith(mark):
            bad = _first_error(path, codec, len(mark))
            if bad is None:
                return _Encoding(codec, len(mark))
            note = f"not valid {name} (byte {bad}); undecodable bytes replaced"
            return _Encoding(codec, len(mark), "replace", note)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        codec = _utf16_without_mark(head)
        if codec is not None and _first_error(path, codec, 0) is None:
            return _Encoding(codec, 0, note=f"no byte order mark; read as {codec.upper()}")
        return "NUL bytes"
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    if head and controls / len(head) > MAX_CONTROL_SHARE:
        return "control characters"
    bad = _first_error(path, "utf-8", 0)
    if bad is None:
        return _Encoding("utf-8")
    return _Encoding("cp1252", note=f"not valid UTF-8 (byte {bad}); read as Windows-1252")


def _utf16_without_mark(head: bytes) -> str | None:
    """UTF-16 of mostly Latin text has a zero in every other byte, and only there."""
    even, odd = head[0::2], head[1::2]
    if not odd:
        return None
    if odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.7 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _first_error(path: Path, codec: str, skip: int) -> int | None:
    """Offset of the first byte `codec` cannot decode, or None if the file is valid."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    consumed = skip
    with path.open("rb") as handle:
        handle.seek(skip)
        while True:
            block = handle.read(READ_BYTES)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as err:
                # Offsets are into the bytes given plus those the decoder held back.
                held = len(err.object) - len(block)
                return consumed - held + err.start
            if not block:
                return None
            consumed += len(block)


def _decoded_blocks(path: Path, encoding: _Encoding) -> Iterator[str]:
    decoder: _Decoder
    if encoding.codec == "cp1252":
        decoder = _Cp1252Decoder()
    else:
        decoder = codecs.getincrementaldecoder(encoding.codec)(encoding.errors)
    with path.open("rb") as handle:
        handle.seek(encoding.skip)
        while block := handle.read(READ_BYTES):
            yield decoder.decode(block)
        yield decoder.decode(b"", final=True)


def _text_pieces(blocks: Iterator[str], source: _Source, piece_chars: int) -> Iterator[Document]:
    for offset, text, whole in _pieces(blocks, piece_chars):
        if whole:
            yield Document(source.doc_id, text)
        elif text.strip():  # a blank stretch inside a big file is no document of its own
            yield Document(f"{source.doc_id}#char={offset}", text)


def cut_text(text: str, limit: int) -> Iterator[tuple[int, str]]:
    """(offset, piece) pieces of `text` of at most `limit` characters, cut as `_pieces`
    cuts a file: the one rule for cutting text, used by the reader and the recognizer."""
    for offset, piece, _ in _pieces(iter((text,)), limit):
        yield offset, piece


def paragraph_starts(text: str) -> list[int]:
    """Where each paragraph of `text` after the first begins, in order: after each blank
    line or, in a text without one (one paragraph a line, as web pages are often saved),
    after each line break."""
    breaks = [match.end() for match in _PARAGRAPH_BREAK.finditer(text)]
    if breaks:
        return breaks
    return [match.end() for match in _LINE_BREAK.finditer(text)]


def _pieces(blocks: Iterator[str], limit: int) -> Iterator[tuple[int, str, bool]]:
    """(offset, text, whole) pieces of at most `limit` characters, cut after a blank
    line, else after a line break, else after a space, else anywhere."""
    buffer = ""
    start = 0  # where the next piece begins in `buffer`
    offset = 0  # where buffer[start] is in the file
    for block in blocks:
        # Kept pieces are sliced off once per block, not once per piece: pieces much
        # smaller than a block would otherwise copy the block again and again.
        buffer = buffer[start:] + block
        start = 0
        while len(buffer) - start > limit:
            cut = _cut(buffer, start, start + limit)
            yield offset, buffer[start:cut], False
            offset += cut - start
            start = cut
    yield offset, buffer[start:], offset == 0


def _cut(text: str, start: int, end: int) -> int:
    last = None
    for last in _PARAGRAPH_BREAK.finditer(text, start, end):
        pass
    if last is not None:
        return last.end()
    for separator in ("\n", " "):
        position = text.rfind(separator, start, end)
        if position > start:
            return position + 1
    return end


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


def _jsonl_rows(
    blocks: Iterator[str],
    source: _Source,
    report: ReadReport,
    text_field: str,
    id_field: str,
    date_field: str,
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
        document = _row_document(row, where, fallback, report, text_field, id_field, date_field)
        if document is not None:
            yield document


def _csv_rows(
    blocks: Iterator[str],
    source: _Source,
    report: ReadReport,
    text_field: str,
    id_field: str,
    date_field: str,
) -> Iterator[Document]:
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
            document = _row_document(row, where, fallback, report, text_field, id_field, date_field)
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
    text_field: str,
    id_field: str,
    date_field: str,
) -> Document | None:
    if text_field not in row:
        report.problem(where, f"no field {text_field!r}; row skipped")
        return None
    text = row[text_field]
    if not isinstance(text, str):
        kind = _json_kind(text)
        report.problem(where, f"field {text_field!r} is {kind}, not a string; row skipped")
        return None
    row_id = row.get(id_field)
    doc_id = str(row_id) if row_id not in (None, "") else fallback_id
    date = None
    value = row.get(date_field)
    if value not in (None, ""):
        try:
            date = parse_date(value)
        except ValueError as err:
            report.problem(where, f"field {date_field!r}: {err}; document kept without a date")
    return Document(_clean(doc_id), _clean(text), date)


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

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

from collections.abc import Iterator, Sequence
from pathlib import Path

from graph.documents.decode import decoded_blocks, sniff
from graph.documents.report import ReadReport
from graph.documents.rows import Fields, csv_rows, jsonl_rows, parse_date
from graph.documents.sources import Source, Sources
from graph.documents.text import cut_text, paragraph_starts, text_pieces
from graph.model import Document

__all__ = [
    "PIECE_CHARS", "Fields", "ReadReport", "cut_text", "input_files", "paragraph_starts", "parse_date", "read_documents",
]

# A text file longer than this many characters is read as several documents.
PIECE_CHARS = 1_000_000


def read_documents(
    inputs: Sequence[str | Path],
    report: ReadReport,
    *,
    text_field: str = "text",
    id_field: str = "id",
    date_field: str = "date",
    lang_field: str = "lang",
    piece_chars: int | None = None,
    skip_dirs: Sequence[Path] = (),
) -> Iterator[Document]:
    """Yield the documents of every input, in a stable order (inputs as given, files sorted).

    Text files longer than `piece_chars` (default `PIECE_CHARS`) are read in pieces. A
    JSONL or CSV row's `date_field` dates its document (see `parse_date`); a value that
    is no date is a problem line, and the document is kept without a date. Its
    `lang_field`, a string, is kept as written (graph.routing reads it).
    Directories in `skip_dirs` (the output directory) are not read, with a problem line
    when a walk meets one.
    """
    piece_chars = piece_chars or PIECE_CHARS
    fields = Fields(text_field, id_field, date_field, lang_field)
    seen_ids: set[str] = set()
    for source in Sources(report, skip_dirs)(inputs):
        for document in _read_source(source, report, fields, piece_chars):
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


def input_files(inputs: Sequence[str | Path], *, skip_dirs: Sequence[Path] = ()) -> list[tuple[str, int, int]]:
    """(path, size, mtime in ns) of every file `read_documents` would read, in its order,
    without reading any: what tells a build that its inputs are as they were. Problems
    are left to the read that follows."""
    found = []
    for source in Sources(ReadReport(), skip_dirs)(inputs):
        try:
            status = source.path.stat()
        except OSError:
            continue
        found.append((str(source.path), status.st_size, status.st_mtime_ns))
    return found


def _read_source(
    source: Source,
    report: ReadReport,
    fields: Fields,
    piece_chars: int,
) -> Iterator[Document]:
    path = source.path
    try:
        encoding = sniff(path)
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
    blocks = decoded_blocks(path, encoding)
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            yield from jsonl_rows(blocks, source, report, fields)
        elif suffix == ".csv":
            yield from csv_rows(blocks, source, report, fields)
        else:
            yield from text_pieces(blocks, source, piece_chars)
    except OSError as err:  # the disk or network share failed mid-file
        report.problem(path, f"cannot read: {err.strerror or err}; rest of file skipped")

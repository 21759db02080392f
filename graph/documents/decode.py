"""Bytes to text: which encoding a file is in, or which binary format it looks like.

Input: a file's path. Output: how to decode it (`sniff`), then its text as a stream of
blocks (`decoded_blocks`); a file is never read whole. A byte order mark decides (UTF-8,
UTF-16 or UTF-32, either byte order); else the file is read as UTF-8 if it is valid UTF-8,
else as Windows-1252 (the five bytes Windows-1252 leaves undefined map to the Latin-1
control characters, as browsers do). UTF-16 without a mark is recognized by its zero
bytes. Binary files (PDF, images, archives, office files, NUL bytes, mostly control
characters) are named by what they look like.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# Bytes read at a time; memory stays near piece_chars + READ_BYTES whatever the file size.
READ_BYTES = 1 << 20
# Bytes looked at to tell text from binary.
SNIFF_BYTES = 8192
# Above this share of control characters in the sniffed bytes a file is not text.
MAX_CONTROL_SHARE = 0.1
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
# Windows-1252 as browsers read it: its five undefined bytes become U+0081 etc.
_CP1252_TABLE = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)
)


@dataclass(frozen=True)
class Encoding:
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


def sniff(path: Path) -> Encoding | str:
    """How to decode the file at `path`, or what binary format it looks like (a str).

    Reads the whole file once to validate UTF-8, in blocks; raises OSError if it cannot.
    """
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    for mark, codec, name in _BOMS:
        if head.startswith(mark):
            bad = _first_error(path, codec, len(mark))
            if bad is None:
                return Encoding(codec, len(mark))
            note = f"not valid {name} (byte {bad}); undecodable bytes replaced"
            return Encoding(codec, len(mark), "replace", note)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        codec = _utf16_without_mark(head)
        if codec is not None and _first_error(path, codec, 0) is None:
            return Encoding(codec, 0, note=f"no byte order mark; read as {codec.upper()}")
        return "NUL bytes"
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    if head and controls / len(head) > MAX_CONTROL_SHARE:
        return "control characters"
    bad = _first_error(path, "utf-8", 0)
    if bad is None:
        return Encoding("utf-8")
    return Encoding("cp1252", note=f"not valid UTF-8 (byte {bad}); read as Windows-1252")


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


def decoded_blocks(path: Path, encoding: Encoding) -> Iterator[str]:
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

"""Long texts cut into pieces, and paragraphs found: the one cutter of the project.

Input: text (as a stream of blocks, or whole). Output: pieces of at most a given number of
characters, each cut after a paragraph break (a blank line) where there is one, else after
a line break, else after a space; and where paragraphs start. The reader cuts files over
a million characters into documents with it (ids `big.txt#char=N`, N the piece's offset
in the decoded file), the recognizer cuts documents into what spaCy reads at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graph.documents.sources import Source, clean
from graph.model import Document

# A blank line: two line breaks with nothing but spaces (or \r) between them.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
_LINE_BREAK = re.compile(r"\n")


def text_pieces(blocks: Iterator[str], source: Source, piece_chars: int) -> Iterator[Document]:
    for offset, text, whole in _pieces(blocks, piece_chars):
        if whole:
            yield Document(source.doc_id, text, source=clean(str(source.path)))
        elif text.strip():  # a blank stretch inside a big file is no document of its own
            yield Document(f"{source.doc_id}#char={offset}", text, source=clean(str(source.path)))


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

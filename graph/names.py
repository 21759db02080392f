"""Surface cleanup of names, so that the same name written differently gives one node.

Works on character offsets into the document, so a cleaned mention still points at its
exact text in the source: `clean_span` trims, `normalize` gives the matching form.
"""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")
# Quotes, brackets and punctuation that a model sometimes keeps at a span's edges.
_EDGE_CHARS = "\"'“”‘’«»„‚`()[]{}<>,;:!?*_|/\\-–—•"
_LEADING_ARTICLE = re.compile(r"(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")


def normalize(text: str) -> str:
    """Collapse runs of whitespace (line breaks included) to one space."""
    return _SPACE.sub(" ", text).strip()


def clean_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink `text[start:end]` to the bare name; None when nothing name-like is left.

    Drops surrounding whitespace, quotes and punctuation, a leading "the" and a trailing
    possessive ('s, ’s, or a lone apostrophe after s), repeating until stable.
    """
    while True:
        before = (start, end)
        while start < end and (text[start].isspace() or text[start] in _EDGE_CHARS):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE_CHARS):
            end -= 1
        while start < end and text[start] == ".":
            start += 1
        # A final period belongs to an abbreviation ("U.S.", "D.C."), else it is punctuation.
        if end > start and text[end - 1] == "." and "." not in text[start : end - 1]:
            end -= 1
        possessive = _POSSESSIVE.search(text, start, end)
        if possessive and possessive.start() > start:
            end = possessive.start()
        article = _LEADING_ARTICLE.match(text, start, end)
        if article and article.end() < end:
            start = article.end()
        if (start, end) == before:
            break
    if start >= end:
        return None
    return start, end

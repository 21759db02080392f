"""Evidence in context: the paragraph each evidence sentence stands in, for the HTML view.

Job: find, for example sentences of the graph's edges, the paragraph of the document
around them and the entities named in it.
Input: the `Evidence` wanted; `ParagraphSources`: the documents read again from the
inputs (their text), the extractions (their mentions) and the resolution (which entity
each mention is).
Output: (doc_id, evidence start) -> `Paragraph`: the paragraph's text as the document
writes it, its offset in the document, and the entity of every kept mention in it.

The extraction keeps only sentences that name an entity, so a paragraph rebuilt from it
would lose the sentences that say "He denied it."; the text is read again instead (the
inputs are read twice already, and reading is a small part of a build). A document
whose text no longer holds the evidence where it says (the file changed since it was
extracted) gives no paragraph rather than a wrong one. A paragraph longer than
PARAGRAPH_CHARS is cut to a window around the evidence, and says which side was cut.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from graph.documents import paragraph_starts
from graph.model import Document, Evidence, Extraction, Resolution
from graph.names import normalize

# Longer paragraphs (a text without paragraph breaks, a table) keep this much around
# the evidence: the view shows context, not whole documents.
PARAGRAPH_CHARS = 1_500
# Characters of the evidence compared with the text at its offsets on each side: enough
# to tell a changed file, short enough for a paragraph-window example of joined sentences.
CHECK_CHARS = 12

Mark = tuple[int, int, str]
"""(start, end, entity id) of a mention, relative to its paragraph."""


@dataclass(frozen=True)
class Paragraph:
    """`text` starts at `start` in its document; `cut_before`/`cut_after` say that the
    paragraph goes on beyond the text on that side."""

    start: int
    text: str
    marks: tuple[Mark, ...] = ()
    cut_before: bool = False
    cut_after: bool = False


@dataclass(frozen=True)
class ParagraphSources:
    """Where paragraphs come from: `documents()` reads the inputs again, in any order."""

    documents: Callable[[], Iterable[Document]]
    extractions: Iterable[Extraction]
    resolution: Resolution


def evidence_paragraphs(
    evidence: Iterable[Evidence], sources: ParagraphSources
) -> dict[tuple[str, int], Paragraph]:
    """The paragraph of each evidence sentence found in its document, keyed by
    (doc_id, start); one pass over the documents, one over the extractions."""
    wanted: dict[str, list[Evidence]] = defaultdict(list)
    for example in evidence:
        wanted[example.doc_id].append(example)
    # doc_id -> evidence start -> (begin, end, cut before, cut after, the paragraph's
    # text): only the paragraphs are kept, not the documents
    spans: dict[str, dict[int, tuple[int, int, bool, bool, str]]] = {}
    for document in sources.documents():
        examples = wanted.get(document.doc_id)
        if not examples or document.doc_id in spans:
            continue
        starts = paragraph_starts(document.text)
        found = {
            example.start: (*span, document.text[span[0] : span[1]])
            for example in examples
            if (span := _span(document.text, starts, example)) is not None
        }
        if found:
            spans[document.doc_id] = found
    marks: dict[tuple[str, int], list[Mark]] = defaultdict(list)
    links = sources.resolution.links
    for extraction in sources.extractions:
        found = spans.get(extraction.doc_id)
        if not found:
            continue
        for statement in extraction.statements:
            for mention in statement.mentions:
                entity = links.get((extraction.doc_id, mention.start, mention.end))
                if entity is None:
                    continue
                for start, (begin, end, *_) in found.items():
                    if begin <= mention.start and mention.end <= end:
                        marks[(extraction.doc_id, start)].append(
                            (mention.start - begin, mention.end - begin, entity)
                        )
    return {
        (doc_id, start): Paragraph(begin, text, tuple(sorted(marks[(doc_id, start)])), before, after)
        for doc_id, found in spans.items()
        for start, (begin, _, before, after, text) in found.items()
    }


def _span(text: str, starts: list[int], example: Evidence) -> tuple[int, int, bool, bool] | None:
    """(begin, end, cut before, cut after) of the paragraph holding `example` in `text`
    (whose paragraphs begin at `starts`), or None when the text does not hold it there."""
    if not 0 <= example.start < example.end <= len(text):
        return None
    # both ends compared as the recognizer wrote them (whitespace collapsed); a window of
    # a few times CHECK_CHARS, not the whole span, is normalized for it
    window = 4 * CHECK_CHARS
    head = normalize(text[example.start : min(example.end, example.start + window)])[:CHECK_CHARS]
    tail = normalize(text[max(example.start, example.end - window) : example.end])[-CHECK_CHARS:]
    if head != example.text[:CHECK_CHARS] or tail != example.text[-CHECK_CHARS:]:
        return None
    number = bisect_right(starts, example.start)
    begin = starts[number - 1] if number else 0
    end = starts[number] if number < len(starts) else len(text)
    while begin < example.start and text[begin].isspace():
        begin += 1
    while end > example.end and text[end - 1].isspace():
        end -= 1
    before = after = False
    if end - begin > PARAGRAPH_CHARS:
        room = max(0, PARAGRAPH_CHARS - (example.end - example.start)) // 2
        if example.start - room > begin:
            begin, before = _word_start(text, example.start - room, example.start), True
        if example.end + room < end:
            end, after = _word_end(text, example.end + room, example.end), True
    return begin, end, before, after


def _word_start(text: str, at: int, limit: int) -> int:
    """The first word boundary at or after `at` (not past `limit`): no word cut in two."""
    while at < limit and not text[at - 1].isspace():
        at += 1
    return at


def _word_end(text: str, at: int, limit: int) -> int:
    while at > limit and not text[at].isspace():
        at -= 1
    return at

"""Evidence in context: the paragraph each evidence sentence stands in, for the HTML view.

Job: find, for example sentences of the graph's links, the paragraph of the document
around them and the entities named in it.
Input: the store (each document's paragraphs naming two names, kept as written at
extraction, and its mentions' entities) and the `Evidence` wanted.
Output: (doc_id, evidence start) -> `EvidenceParagraph`: the paragraph's text as the
document writes it, its offset in the document, and the entity of every kept mention in it.

The statements alone would lose the sentences that say "He denied it.": the extraction
keeps the paragraphs a link's evidence can stand in (graph.recognize), so the view never
reads the inputs again. A paragraph longer than PARAGRAPH_CHARS is cut to a window around
the evidence, and says which side was cut.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from graph.model import Evidence
from graph.store import Store

# Longer paragraphs (a text without paragraph breaks, a table) keep this much around
# the evidence: the view shows context, not whole documents.
PARAGRAPH_CHARS = 1_500

Mark = tuple[int, int, str]
"""(start, end, entity id) of a mention, relative to its paragraph."""


@dataclass(frozen=True)
class EvidenceParagraph:
    """`text` starts at `start` in its document; `cut_before`/`cut_after` say that the
    paragraph goes on beyond the text on that side."""

    start: int
    text: str
    marks: tuple[Mark, ...] = ()
    cut_before: bool = False
    cut_after: bool = False


def evidence_paragraphs(store: Store, evidence: Iterable[Evidence]) -> dict[tuple[str, int], EvidenceParagraph]:
    """The paragraph of each evidence sentence, keyed by (doc_id, start); a document at a
    time."""
    wanted: dict[str, list[Evidence]] = defaultdict(list)
    for example in evidence:
        wanted[example.doc_id].append(example)
    found: dict[tuple[str, int], EvidenceParagraph] = {}
    for doc_id, examples in wanted.items():
        doc = store.value("SELECT doc FROM documents WHERE doc_id = ?", (doc_id,))
        if doc is None:
            continue
        paragraphs = list(store.rows("SELECT start, text FROM paragraphs WHERE doc = ? ORDER BY start", (doc,)))
        starts = [start for start, _ in paragraphs]
        spans: dict[int, tuple[int, int, bool, bool, str]] = {}
        for example in examples:
            number = bisect_right(starts, example.start) - 1
            if number < 0:
                continue
            start, text = paragraphs[number]
            if example.end > start + len(text):
                continue  # evidence of joined sentences running over the paragraph
            begin, end, before, after = _window(text, example.start - start, example.end - start)
            spans[example.start] = (start + begin, start + end, before, after, text[begin:end])
        if not spans:
            continue
        mentions = list(store.rows(
            "SELECT m.start, m.end, e.id FROM mentions m JOIN entities e USING (entity) WHERE m.doc = ? ORDER BY m.start",
            (doc,),
        ))  # fmt: skip
        starts_of = [m[0] for m in mentions]
        for start, (begin, end, before, after, text) in spans.items():
            within = mentions[bisect_left(starts_of, begin) : bisect_left(starts_of, end)]
            marks = tuple(sorted((a - begin, b - begin, e) for a, b, e in within if b <= end))
            found[(doc_id, start)] = EvidenceParagraph(begin, text, marks, before, after)
    return found


def _window(text: str, start: int, end: int) -> tuple[int, int, bool, bool]:
    """(begin, end, cut before, cut after) in `text` of the paragraph around the evidence
    at `start`..`end`: without the whitespace at its edges, cut around it when too long."""
    begin, stop = 0, len(text)
    while begin < start and text[begin].isspace():
        begin += 1
    while stop > end and text[stop - 1].isspace():
        stop -= 1
    before = after = False
    if stop - begin > PARAGRAPH_CHARS:
        room = max(0, PARAGRAPH_CHARS - (end - start)) // 2
        if start - room > begin:
            begin, before = _word_start(text, start - room, start), True
        if end + room < stop:
            stop, after = _word_end(text, end + room, end), True
    return begin, stop, before, after


def _word_start(text: str, at: int, limit: int) -> int:
    """The first word boundary at or after `at` (not past `limit`): no word cut in two."""
    while at < limit and not text[at - 1].isspace():
        at += 1
    return at


def _word_end(text: str, at: int, limit: int) -> int:
    while at > limit and not text[at].isspace():
        at -= 1
    return at

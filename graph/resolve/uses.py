"""Uses: what one document contributes to resolution, whatever the rest of the corpus says.

Input: a document's `Extraction`, and the context `Cues` of the build's languages. Output: its `MentionUse`s (each mention's normalized
name, the recognizer's type, the type the words around it point to, whether it stands in
a table row), the names it writes "Full Name (Short)", and the words of its statements.
The corpus' counts (`NameCounts`, `Counter` of words) are sums of these over the
documents, so adding or removing a document adds or subtracts its own; the resolver's
corpus-wide decisions are made from those counts alone (graph.resolve.corpus).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from graph.lines import is_table_row
from graph.model import Extraction
from graph.names import normalize
from graph.resolve.context import ENGLISH, Cues, context_type

# What the common-word rule counts: runs of letters, in statements as written.
WORD = re.compile(r"[^\W\d_]+")


class MentionUse(NamedTuple):
    """One mention as the resolver reads it: `name` normalized (whitespace collapsed),
    `label` the recognizer's type, `cue` the type the words around it say ("" when they
    say nothing), `row` whether its statement is a table or results row."""

    start: int
    end: int
    name: str
    label: str
    cue: str
    row: bool

    @property
    def voted(self) -> str:
        """The type the use votes for before the corpus has its say."""
        return self.cue or self.label


class NameUse(NamedTuple):
    """How a name is used, the unit the corpus counts: `NameCounts` maps it to a number."""

    name: str
    label: str
    cue: str
    row: bool


NameCounts = Counter[NameUse]


def mention_uses(extraction: Extraction, cues: Cues = ENGLISH) -> list[MentionUse]:
    """The document's mentions in text order, read for resolution with `cues`."""
    uses = []
    for statement in extraction.statements:
        row = is_table_row(statement.text)
        for mention in statement.mentions:
            # Names from a cache or another tool may not be normalized yet.
            uses.append(MentionUse(
                mention.start, mention.end, normalize(mention.name), mention.label,
                context_type(statement, mention, cues) or "", row,
            ))  # fmt: skip
    return uses


def name_counts(uses: Iterable[MentionUse]) -> NameCounts:
    """A document's uses counted by name, type, cue and row."""
    return Counter(NameUse(u.name, u.label, u.cue, u.row) for u in uses)


def word_counts(extraction: Extraction) -> Counter[str]:
    """The words of the document's statements (those naming something), as written."""
    words: Counter[str] = Counter()
    for statement in extraction.statements:
        words.update(WORD.findall(statement.text))
    return words


def written_in_parentheses(extraction: Extraction) -> list[tuple[str, str]]:
    """Names of one document written "Full Name (Short)", as (full, short) in text order:
    the only text `links.parenthesised` reads."""
    return [
        (a.name, b.name)
        for statement in extraction.statements
        for a, b in zip(statement.mentions, statement.mentions[1:])
        if f"{a.name} ({b.name})" in statement.text
    ]

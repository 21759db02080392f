"""Documents in the store: what each one was found to hold, added and taken out whole.

Input: a document as the reader listed it (`Listed`), its `Extraction` and the context
`Cues` of the build's languages (each mention's cue is stored with it). Output: its
rows in `documents`, `statements`, `paragraphs`, `mentions` and `relations`, and what it
adds to the corpus' counts (`Counts`: the words of its statements and the uses of its
names, graph.resolve.uses), which the caller adds up over a batch of documents before
writing them: a build of thousands of documents writes each word's count once. Taking
documents out subtracts what they had added, counted again from their rows.
Reading back: `bundles` streams chosen documents' statements with their mentions and
relations, one document at a time, in the order resolution and the edge builder read them.
"""

from __future__ import annotations

import struct
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from graph.model import Extraction, Relation
from graph.resolve.context import Cues
from graph.resolve.uses import WORD, MentionUse, NameCounts, mention_uses, name_counts, word_counts
from graph.store import Store


@dataclass(frozen=True)
class Listed:
    """A document as the reader listed it: its id, the sha256 of its text, where it was
    read from (`path` or `path:line`), its date, the language it is read in and how that
    was chosen (graph.routing; None for a corpus extracted elsewhere)."""

    doc_id: str
    text_sha256: bytes
    source: str
    date: str | None = None
    lang: str | None = None
    lang_source: str | None = None


@dataclass
class Counts:
    """What documents add to (or take from) the corpus' counts."""

    words: Counter[str] = field(default_factory=Counter)
    names: NameCounts = field(default_factory=Counter)

    def add(self, other: Counts) -> None:
        self.words.update(other.words)
        self.names.update(other.names)


@dataclass(frozen=True)
class StoredMention:
    """A mention as resolution and the edge builder read it back."""

    use: MentionUse
    statement: int
    entity: int | None


@dataclass(frozen=True)
class StoredStatement:
    number: int
    start: int
    end: int
    text: str
    paragraph: int
    row: bool
    mentions: tuple[StoredMention, ...]
    relations: tuple[Relation, ...]


@dataclass(frozen=True)
class Bundle:
    """One document's statements as the store holds them."""

    doc: int
    doc_id: str
    statements: tuple[StoredStatement, ...]

    @property
    def uses(self) -> list[MentionUse]:
        return [m.use for s in self.statements for m in s.mentions]

    def written_in_parentheses(self) -> list[tuple[str, str]]:
        """Names written "Full Name (Short)" (as graph.resolve.uses reads an extraction)."""
        return [
            (a.use.name, b.use.name)
            for s in self.statements
            for a, b in zip(s.mentions, s.mentions[1:])
            if f"{a.use.name} ({b.use.name})" in s.text
        ]


def insert_document(
    store: Store, listed: Listed, position: int, extraction: Extraction, cues: Cues
) -> tuple[int, Counts]:
    """Add a document's rows; its number and what it adds to the corpus' counts."""
    signature = struct.pack(f"<{len(extraction.signature)}I", *extraction.signature) if extraction.signature else None
    doc = store.execute(
        "INSERT INTO documents (doc_id, position, text_sha256, source, date, lang, lang_source, sentences, signature) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (listed.doc_id, position, listed.text_sha256, listed.source, listed.date, listed.lang, listed.lang_source,
         extraction.sentences, signature),
    ).lastrowid  # fmt: skip
    uses = mention_uses(extraction, cues)
    store.executemany(
        "INSERT INTO statements VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((doc, number, s.start, s.end, s.text, s.paragraph, int(row))
         for number, (s, row) in enumerate(zip(extraction.statements, _rows(extraction, uses)))),
    )  # fmt: skip
    store.executemany(
        "INSERT INTO paragraphs VALUES (?, ?, ?, ?)", ((doc, p.number, p.start, p.text) for p in extraction.paragraphs)
    )
    mentions = ((number, m) for number, s in enumerate(extraction.statements) for m in s.mentions)
    store.executemany(
        "INSERT INTO mentions (doc, start, end, statement, text, name, label, spacy_label, cue) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((doc, m.start, m.end, number, m.text, use.name, m.label, m.spacy_label, use.cue)
         for (number, m), use in zip(mentions, uses, strict=True)),
    )  # fmt: skip
    store.executemany(
        "INSERT INTO relations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ((doc, number, i, r.source, r.target, r.role, r.phrase, r.country)
         for number, s in enumerate(extraction.statements) for i, r in enumerate(s.relations)),
    )  # fmt: skip
    return doc, Counts(word_counts(extraction), name_counts(uses))


def _rows(extraction: Extraction, uses: Sequence[MentionUse]) -> Iterator[bool]:
    """Whether each statement is a table row, as `mention_uses` read it (every statement
    has a mention)."""
    position = 0
    for statement in extraction.statements:
        yield uses[position].row
        position += len(statement.mentions)


def counts_of(store: Store, docs: Iterable[int]) -> Counts:
    """What the documents numbered `docs` added to the corpus' counts, from their rows."""
    counts = Counts()
    for bundle in bundles(store, docs):
        counts.names.update(name_counts(bundle.uses))
        for statement in bundle.statements:
            counts.words.update(WORD.findall(statement.text))
    return counts


def write_counts(store: Store, counts: Counts, sign: int) -> None:
    """Add (`sign` 1) or subtract (-1) counts; a count that falls to zero goes."""
    store.executemany(
        "INSERT INTO words VALUES (?, ?) ON CONFLICT (word) DO UPDATE SET count = count + excluded.count",
        ((word, sign * n) for word, n in counts.words.items()),
    )
    store.executemany(
        "INSERT INTO name_uses VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (name, label, cue, row) DO UPDATE SET uses = uses + excluded.uses",
        ((u.name, u.label, u.cue, int(u.row), sign * n) for u, n in counts.names.items()),
    )
    if sign < 0:
        store.execute("DELETE FROM words WHERE count <= 0")
        store.execute("DELETE FROM name_uses WHERE uses <= 0")


# Every table holding rows of one document, by its number.
DOCUMENT_TABLES = (
    "statements", "paragraphs", "mentions", "relations", "forms", "form_surfaces", "form_pairs", "consulted",
    "doc_entities", "doc_links", "doc_evidence", "doc_relations",
)  # fmt: skip


def delete_documents(store: Store, docs: Sequence[int]) -> None:
    """Take the documents numbered `docs` out, every row of theirs."""
    where = chosen(store, docs)
    for table in DOCUMENT_TABLES:
        store.execute(f"DELETE FROM {table} WHERE {where}")
    store.execute(f"DELETE FROM documents WHERE {where}")


def chosen(store: Store, docs: Iterable[int] | None, table: str = "chosen") -> str:
    """Fill the temporary table `table` with `docs` (None: every document); the SQL
    condition that picks them. Each reader streaming from the store uses a table of its
    own, so that two can stream side by side."""
    if docs is None:
        store.fill(table, "doc INTEGER PRIMARY KEY", ())
        store.execute(f"INSERT INTO {table} SELECT doc FROM documents")
    else:
        store.fill(table, "doc INTEGER PRIMARY KEY", ((d,) for d in docs))
    return f"doc IN (SELECT doc FROM {table})"


def bundles(store: Store, docs: Iterable[int] | None) -> Iterator[Bundle]:
    """The chosen documents (None: all), in the order of their numbers, each with its
    statements, mentions and relations: three ordered queries read side by side."""
    where = chosen(store, docs, "chosen_bundles")
    documents = list(store.rows(f"SELECT doc, doc_id FROM documents WHERE {where} ORDER BY doc"))
    statements = _grouped(store.rows(
        f"SELECT doc, number, start, end, text, paragraph, row FROM statements WHERE {where} ORDER BY doc, number"
    ))  # fmt: skip
    mentions = _grouped(store.rows(
        f"SELECT doc, statement, start, end, name, label, cue, entity FROM mentions WHERE {where} ORDER BY doc, start"
    ))  # fmt: skip
    relations = _grouped(store.rows(
        f"SELECT doc, statement, source, target, role, phrase, country FROM relations WHERE {where} "
        "ORDER BY doc, statement, number"
    ))  # fmt: skip
    for doc, doc_id in documents:
        rows = statements.get(doc)
        doc_mentions: dict[int, list[tuple]] = {}
        for _, number, start, end, name, label, cue, entity in mentions.get(doc):
            doc_mentions.setdefault(number, []).append((start, end, name, label, cue, entity))
        doc_relations: dict[int, list[Relation]] = {}
        for _, number, source, target, role, phrase, country in relations.get(doc):
            doc_relations.setdefault(number, []).append(Relation(source, target, role, phrase, country))
        built = []
        for _, number, start, end, text, paragraph, row in rows:
            found = tuple(
                StoredMention(MentionUse(ms, me, name, label, cue, bool(row)), number, entity)
                for ms, me, name, label, cue, entity in doc_mentions.get(number, ())
            )
            built.append(StoredStatement(number, start, end, text, paragraph, bool(row), found,
                                         tuple(doc_relations.get(number, ()))))  # fmt: skip
        yield Bundle(doc, doc_id, tuple(built))


class _grouped:
    """Rows ordered by their first column, handed out one group at a time, in order."""

    def __init__(self, rows: Iterator[tuple]) -> None:
        self.rows = rows
        self.head: tuple | None = next(rows, None)

    def get(self, doc: int) -> list[tuple]:
        group = []
        while self.head is not None and self.head[0] < doc:
            self.head = next(self.rows, None)
        while self.head is not None and self.head[0] == doc:
            group.append(self.head)
            self.head = next(self.rows, None)
        return group

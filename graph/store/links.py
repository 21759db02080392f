"""Links in the store: each document's contribution to nodes and links, and their sums.

Input: the store with every mention's entity up to date, the documents whose mentions
changed entity (or are new), the entities and pairs that changed otherwise (documents
taken out, a duplicate group or a date changed, an entity's type changed), the window,
the examples kept per link and the link filters. Output: `doc_entities`, `doc_links`,
`doc_evidence`, `doc_relations` for those documents (graph.edges.contribution), and the
sums over every document for the entities and pairs touched: `entities`' counts and
dates, `links`, `evidence`, `link_relations`; then every link's npmi (N changes with
every document) and whether it passes the filters (`kept`).

The sums are SQL over the per-document rows of the touched keys only, so a rebuild sums
what changed; a link's examples are its documents' first ones in input order, the first
`evidence` with distinct texts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from graph.edges import NamedStatement, contribution, npmi
from graph.relations import SCHEME
from graph.store import Store
from graph.store.documents import bundles, chosen

Pair = tuple[int, int]
# Links scored at once (their npmi changes with every document).
SCORE_BATCH = 50_000


@dataclass
class Touched:
    """Entities and pairs whose sums must be made again; `everything`: all of them (a
    cold build: nothing is listed, which would hold every link in memory)."""

    entities: set[int] = field(default_factory=set)
    pairs: set[Pair] = field(default_factory=set)
    everything: bool = False

    def add_documents(self, store: Store, docs: Iterable[int]) -> None:
        """Everything these documents' rows (as they are now) count towards."""
        if self.everything:
            return
        where = chosen(store, docs, "chosen_touched")
        self.entities.update(e for (e,) in store.rows(f"SELECT DISTINCT entity FROM doc_entities WHERE {where}"))
        self.pairs.update(store.rows(f"SELECT DISTINCT source, target FROM doc_links WHERE {where}"))
        self.pairs.update(store.rows(f"SELECT DISTINCT source, target FROM doc_relations WHERE {where}"))

    def add_entities(self, store: Store, entities: Iterable[int]) -> None:
        """These entities and every pair they are in (a type changed: its roles must be
        checked against the scheme again)."""
        if self.everything:
            return
        entities = set(entities)
        self.entities |= entities
        for entity in entities:
            self.pairs.update(store.rows("SELECT source, target FROM links WHERE source = ? OR target = ?", (entity, entity)))


@dataclass(frozen=True)
class LinkSettings:
    """What shapes the links besides the documents: see BuildOptions."""

    window: str = "sentence"
    evidence: int = 3
    min_weight: float = 0
    min_documents: int = 0
    min_npmi: float = -1.0


def contribute(store: Store, docs: Iterable[int], settings: LinkSettings, countries: Mapping[str, int], touched: Touched) -> None:
    """Make the chosen documents' contributions again (their old ones' keys are touched,
    and their new ones')."""
    docs = sorted(set(docs))
    touched.add_documents(store, docs)
    where = chosen(store, docs, "chosen_contributions")
    for table in ("doc_entities", "doc_links", "doc_evidence", "doc_relations"):
        store.execute(f"DELETE FROM {table} WHERE {where}")
    named: list[tuple[int, int]] = []
    for start in range(0, len(docs), 256):
        entities, links, examples, relations = [], [], [], []
        for bundle in list(bundles(store, docs[start : start + 256])):
            statements = [
                NamedStatement(s.start, s.end, s.text, s.paragraph, tuple(m.entity for m in s.mentions), s.relations)
                for s in bundle.statements
            ]
            found = contribution(statements, window=settings.window, evidence=settings.evidence, countries=countries)
            doc = bundle.doc
            entities.extend((doc, e, m, s) for e, (m, s) in found.entities.items())
            links.extend((doc, a, b, n) for (a, b), n in found.links.items())
            examples.extend(
                (doc, a, b, rank, e.start, e.end, e.text) for (a, b), kept in found.examples.items()
                for rank, e in enumerate(kept)
            )  # fmt: skip
            relations.extend(
                (doc, min(k.source, k.target), max(k.source, k.target), k.role, k.phrase, k.source, n, e.start, e.end, e.text)
                for k, (n, e) in found.relations.items()
            )  # fmt: skip
            named.append((found.named, doc))
        store.executemany("INSERT INTO doc_entities VALUES (?, ?, ?, ?)", entities)
        store.executemany("INSERT INTO doc_links VALUES (?, ?, ?, ?)", links)
        store.executemany("INSERT INTO doc_evidence VALUES (?, ?, ?, ?, ?, ?, ?)", examples)
        store.executemany("INSERT INTO doc_relations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", relations)
    store.executemany("UPDATE documents SET named = ? WHERE doc = ?", named)
    touched.add_documents(store, docs)


def sum_up(store: Store, touched: Touched, settings: LinkSettings) -> None:
    """The sums of the touched entities and pairs over every document, then every link's
    npmi and filter."""
    _sum_entities(store, None if touched.everything else touched.entities)
    _sum_links(store, None if touched.everything else touched.pairs, settings.evidence)
    total = store.value("SELECT sum(named) FROM documents", default=0)
    store.set_meta("statements", total)
    statements = dict(store.rows("SELECT entity, statements FROM entities"))
    # a batch of links at a time, read whole before it is written (see `chosen`)
    after: Pair = (-1, -1)
    while batch := list(store.rows(
        "SELECT source, target, weight, documents, npmi, kept FROM links WHERE (source, target) > (?, ?) "
        "ORDER BY source, target LIMIT ?", (*after, SCORE_BATCH),
    )):  # fmt: skip
        updates = []
        for source, target, weight, documents, before, was_kept in batch:
            score = npmi(int(weight), statements[source], statements[target], total)
            kept = int(weight >= settings.min_weight and documents >= settings.min_documents and score >= settings.min_npmi)
            if (score, kept) != (before, was_kept):
                updates.append((score, kept, source, target))
        store.executemany("UPDATE links SET npmi = ?, kept = ? WHERE source = ? AND target = ?", updates)
        after = batch[-1][:2]


def _touched(store: Store, table: str, columns: str, rows: Iterable[tuple] | None) -> Callable[[str], str]:
    """A condition picking the touched rows, kept in a temp table `table` (None: every
    row), as a function of the alias of the table whose `columns` it tests."""
    if rows is None:
        return lambda alias: "1"
    names = columns.split(", ")
    store.fill(table, f"{', '.join(f'{n} INTEGER' for n in names)}, PRIMARY KEY ({columns})", rows)
    return lambda alias: f"({', '.join(f'{alias}{n}' for n in names)}) IN (SELECT {columns} FROM {table})"


def _sum_entities(store: Store, entities: set[int] | None) -> None:
    picked = _touched(store, "touched_entities", "entity", None if entities is None else ((e,) for e in entities))
    sums = list(store.rows(
        "SELECT sum(d.mentions), count(*), count(DISTINCT documents.duplicate_of), sum(d.statements), "
        "min(documents.date), max(documents.date), d.entity FROM doc_entities d JOIN documents USING (doc) "
        f"WHERE {picked('d.')} GROUP BY d.entity"
    ))  # fmt: skip
    store.executemany(
        "UPDATE entities SET mentions = ?, documents = ?, sources = ?, statements = ?, first_seen = ?, last_seen = ? "
        "WHERE entity = ?",
        sums,
    )


def _sum_links(store: Store, pairs: set[Pair] | None, evidence: int) -> None:
    picked = _touched(store, "touched_pairs", "source, target", pairs)
    for table in ("links", "evidence", "link_relations"):
        store.execute(f"DELETE FROM {table} WHERE {picked('')}")
    store.execute(
        "INSERT INTO links SELECT d.source, d.target, sum(d.weight), count(*), count(DISTINCT documents.duplicate_of), "
        "-2, min(documents.date), max(documents.date), 1 FROM doc_links d JOIN documents USING (doc) "
        f"WHERE {picked('d.')} GROUP BY d.source, d.target"
    )
    store.executemany("INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?)", _examples(store, picked, evidence))
    # A relation's first statement is that of its first document in input order (SQLite
    # takes the bare columns from the row where min() is found).
    store.execute(
        "INSERT INTO link_relations SELECT source, target, role, phrase, from_entity, to_entity, statements, doc, "
        "start, end, text FROM (SELECT r.source, r.target, r.role, r.phrase, r.from_entity, "
        "CASE WHEN r.from_entity = r.source THEN r.target ELSE r.source END AS to_entity, "
        "sum(r.statements) AS statements, r.doc AS doc, r.start AS start, r.end AS end, r.text AS text, "
        "min(documents.position) FROM doc_relations r JOIN documents USING (doc) "
        f"WHERE (r.source, r.target) IN (SELECT source, target FROM links WHERE {picked('')}) "
        "GROUP BY r.source, r.target, r.role, r.phrase, r.from_entity)"
    )
    _drop_unfit_roles(store, picked)


def _examples(store: Store, picked: Callable[[str], str], evidence: int) -> Iterator[tuple]:
    """The evidence rows of the picked links, streamed: each link's first `evidence`
    distinct texts, its documents in input order."""
    current: Pair | None = None
    texts: set[str] = set()
    for source, target, doc, start, end, text in store.rows(
        "SELECT e.source, e.target, e.doc, e.start, e.end, e.text FROM doc_evidence e JOIN documents USING (doc) "
        f"WHERE {picked('e.')} ORDER BY e.source, e.target, documents.position, e.rank"
    ):
        if (source, target) != current:
            current, texts = (source, target), set()
        if len(texts) < evidence and text not in texts:
            yield source, target, len(texts), doc, start, end, text
            texts.add(text)


def _drop_unfit_roles(store: Store, picked: Callable[[str], str]) -> None:
    """A role whose ends' types do not fit the scheme is no relation (its phrase stays)."""
    unfit = []
    for source, target, role, from_entity, to_entity, from_type, to_type in store.rows(
        "SELECT r.source, r.target, r.role, r.from_entity, r.to_entity, a.type, b.type FROM link_relations r "
        "JOIN entities a ON a.entity = r.from_entity JOIN entities b ON b.entity = r.to_entity "
        f"WHERE r.role != '' AND {picked('r.')}"
    ):
        source_type, target_types = SCHEME[role]
        if from_type != source_type or to_type not in target_types:
            unfit.append((source, target, role, from_entity))
    store.executemany(
        "DELETE FROM link_relations WHERE source = ? AND target = ? AND role = ? AND phrase = '' AND from_entity = ?",
        unfit,
    )

"""Updating the store: a build's documents in, every table brought up to date at once.

Input: the documents as the reader listed them, in input order (`Listed`), the extraction
of each one the store lacks, the `GraphSettings` and the user's names. Output: the store,
up to date, in one transaction; `Changes` says what the build changed.

What a rebuild redoes (docs/store.md tells it for users):
- documents added, edited (same id, other text) or taken out: their rows go in or out,
  and the corpus' counts with them; a document only moved in the input order or newly
  dated keeps its rows;
- near-duplicate groups are made again from the signatures (cheap: 512 bytes a document);
- resolution redoes the documents whose names' decisions changed (graph.store.resolution);
- the edge builder redoes the documents whose mentions name other entities now, and the
  sums of every entity and pair they, or a changed group, date or order, count towards
  (graph.store.links);
- communities and centralities are computed again over the whole graph (in igraph's C
  code: they are global by nature).
When the graph's settings (window, examples, filters, duplicates, the user's aliases and
exclusions, the demonym table, the languages' word lists) change, everything derived is
made again from the documents' rows, without running spaCy; when the extraction's
settings change (another model, other types), the documents too. Same input, same tables, whatever the history.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from graph import lang
from graph.analytics import measure
from graph.dedupe import group_duplicates
from graph.model import Extraction
from graph.names import NameWords
from graph.relations import Demonyms
from graph.resolve import UserNames
from graph.resolve.context import Cues
from graph.store import Store
from graph.store.documents import Counts, Listed, counts_of, delete_documents, insert_document, write_counts
from graph.store.links import LinkSettings, Touched, contribute, sum_up
from graph.store.resolution import resolve_store
from graph.timing import Stopwatch

# Every table made from the documents' rows, emptied when the graph's settings change.
DERIVED_TABLES = (
    "forms", "form_surfaces", "form_pairs", "consulted", "decisions", "dropped_names", "spellings", "countries",
    "entities", "aliases", "merges", "names", "links", "evidence", "link_relations",
    "doc_entities", "doc_links", "doc_evidence", "doc_relations",
)  # fmt: skip


@dataclass(frozen=True)
class GraphSettings:
    """Everything besides the documents that shapes the graph: the links' settings,
    whether near-duplicates count as one source, whether relations are read, digests of
    the user's files and the demonym table (their contents, not their names), and the
    languages whose word lists read the names (graph.lang; their contents join the
    digest)."""

    links: LinkSettings = LinkSettings()
    keep_duplicates: bool = False
    relations: bool = True
    user_files: str = ""
    tables: str = ""
    languages: tuple[str, ...] = ("en",)

    def digest(self) -> str:
        canonical = json.dumps({**asdict(self), "resources": lang.digest(self.languages)}, sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:32]


@dataclass
class Changes:
    """What a build changed in the store: documents added (new or edited), taken out,
    moved or newly dated; whether everything derived was made again."""

    added: int = 0
    removed: int = 0
    moved: int = 0
    everything: bool = False

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.moved or self.everything)


class Update:
    """One build's update of the store, in one transaction from `begin` to `finish`: the
    documents are listed one by one in input order (`list`), those the store lacks added
    as their extractions arrive (`add`, in any order), then everything derived is brought
    up to date (`finish`). Until then readers see the store as it was; `abort`, or a
    process killed, leaves it so."""

    def __init__(
        self,
        store: Store,
        *,
        extraction: str,
        settings: GraphSettings,
        user: UserNames,
        demonyms: Demonyms,
        stopwatch: Stopwatch | None = None,
        groups: Sequence[int] | None = None,
    ) -> None:
        """`groups`: each listed document's near-duplicate group (the position of its
        first document), when they are known already (a corpus extracted elsewhere)."""
        self.store = store
        self.groups = groups
        self.extraction = extraction
        self.settings = settings
        self.user = user
        self.demonyms = demonyms
        self.words = NameWords.of(settings.languages)
        self.cues = Cues.of(settings.languages)
        self.stopwatch = stopwatch or Stopwatch()
        self.touched = Touched()
        self.changes = Changes()
        self.listed: list[Listed] = []
        self.kept: dict[int, int] = {}  # stored number -> position
        self.positions: dict[str, int] = {}  # doc_id -> position, of documents to add
        self.added: list[int] = []
        self.counts = Counts()
        self.stored: dict[str, tuple[int, bytes, str | None]] = {}

    def begin(self) -> None:
        store = self.store
        store.execute("BEGIN IMMEDIATE")
        self.changes.everything = (
            store.meta("settings") != self.settings.digest() or store.meta("extraction") != self.extraction
        )
        if store.meta("extraction") != self.extraction:
            # other extraction settings: no stored document is what this build would find
            self._remove([doc for (doc,) in store.rows("SELECT doc FROM documents")])
        if self.changes.everything:
            _clear_derived(store)
            self.touched.everything = True
        self.stored = {
            doc_id: (doc, sha, lang)
            for doc, doc_id, sha, lang in store.rows("SELECT doc, doc_id, text_sha256, lang FROM documents")
        }

    def list(self, item: Listed) -> bool:
        """The next document in input order; whether it must be added (the store lacks
        its text, read in its language, under its id: an edited document's old rows go
        now, as do those of one read in another language)."""
        position = len(self.listed)
        self.listed.append(item)
        row = self.stored.pop(item.doc_id, None)
        if row is not None and row[1:] == (item.text_sha256, item.lang):
            self.kept[row[0]] = position
            return False
        if row is not None:
            self._remove([row[0]])
        self.positions[item.doc_id] = position
        return True

    def add(self, item: Listed, extraction: Extraction) -> None:
        """A listed document the store lacked, with its extraction (timed with the stage
        it comes in: reading, for a cached one, or extracting)."""
        doc, counts = insert_document(self.store, item, self.positions[item.doc_id], extraction, self.cues)
        self.added.append(doc)
        self.counts.add(counts)
        self.changes.added += 1

    def finish(self) -> Changes:
        """Take out the documents no longer listed, then bring everything derived up to
        date and commit."""
        store, settings, touched = self.store, self.settings, self.touched
        try:
            with self.stopwatch.stage("store"):
                self._remove([doc for doc, _, _ in self.stored.values()])
                self.changes.moved = _place(store, self.listed, self.kept, touched)
                write_counts(store, self.counts, 1)
                self.counts = Counts()
            with self.stopwatch.stage("dedupe"):
                _dedupe(store, settings.keep_duplicates, touched, self.groups)
            if self.changes.any or touched.entities or touched.pairs:
                self._derive()
            store.execute("COMMIT")
        except BaseException:
            self.abort()
            raise
        return self.changes

    def abort(self) -> None:
        if self.store.connection.in_transaction:
            self.store.execute("ROLLBACK")

    def _remove(self, docs: list[int]) -> None:
        if not docs:
            return
        with self.stopwatch.stage("store"):
            self.touched.add_documents(self.store, docs)
            write_counts(self.store, counts_of(self.store, docs), -1)
            delete_documents(self.store, docs)
        self.changes.removed += len(docs)

    def _derive(self) -> None:
        store, settings, touched, everything = self.store, self.settings, self.touched, self.changes.everything
        with self.stopwatch.stage("resolve"):
            resolved = resolve_store(
                store, set(self.added), self.user, self.words, everything=everything, losing=touched.entities
            )
            touched.add_entities(store, resolved.retyped)
            redo = resolved.documents | set(self.added)
            redo |= _countries(store, self.demonyms if settings.relations else None)
        with self.stopwatch.stage("edges"):
            if everything:
                redo = {doc for (doc,) in store.rows("SELECT doc FROM documents")}
            contribute(store, redo, settings.links, dict(store.rows("SELECT country, entity FROM countries")), touched)
            sum_up(store, touched, settings.links)
        with self.stopwatch.stage("centralities"):
            _measure(store)
        store.set_meta("documents", store.value("SELECT count(*) FROM documents"))
        store.set_meta("window", settings.links.window)
        store.execute("DELETE FROM languages")
        store.executemany("INSERT INTO languages VALUES (?)", ((code,) for code in sorted(set(settings.languages))))
        store.set_meta("settings", settings.digest())
        store.set_meta("extraction", self.extraction)
        store.set_meta("generation", store.meta("generation", 0) + 1)


def _clear_derived(store: Store) -> None:
    for table in DERIVED_TABLES:
        store.execute(f"DELETE FROM {table}")
    store.execute("UPDATE mentions SET entity = NULL WHERE entity IS NOT NULL")
    store.execute("UPDATE documents SET named = 0, duplicate_of = NULL")


def _place(store: Store, listed: Sequence[Listed], kept: dict[int, int], touched: Touched) -> int:
    """Give kept documents their new positions, dates, sources and how their language
    was chosen; touch what a new date changes, and everything when kept documents changed
    order among themselves (a link's examples are its first documents' in input order).
    Returns how many moved or changed."""
    rows = {doc: (position, date, source, lang_source) for doc, position, date, source, lang_source in store.rows(
        "SELECT doc, position, date, source, lang_source FROM documents"
    )}  # fmt: skip
    updates, dated = [], []
    for doc, position in kept.items():
        item = listed[position]
        if rows[doc] != (position, item.date, item.source, item.lang_source):
            updates.append((position, item.date, item.source, item.lang_source, doc))
            if rows[doc][1] != item.date:
                dated.append(doc)
    store.executemany(
        "UPDATE documents SET position = ?, date = ?, source = ?, lang_source = ? WHERE doc = ?", updates
    )
    touched.add_documents(store, dated)
    before = sorted(kept, key=lambda doc: rows[doc][0])
    after = sorted(kept, key=kept.__getitem__)
    if before != after:
        touched.add_documents(store, kept)
    return len(updates)


def _dedupe(store: Store, keep_duplicates: bool, touched: Touched, known: Sequence[int] | None = None) -> None:
    """Near-duplicate groups made again from every signature (or as `known`); documents
    whose group changed touch what they count towards (sources)."""
    rows = list(store.rows("SELECT doc, signature, duplicate_of FROM documents ORDER BY position"))
    if known is not None:
        groups = list(known)
    elif keep_duplicates:
        groups = list(range(len(rows)))
    else:
        groups = group_duplicates(_signature(blob) for _, blob, _ in rows)
    updates = [(rows[g][0], doc) for (doc, _, was), g in zip(rows, groups, strict=True) if rows[g][0] != was]
    store.executemany("UPDATE documents SET duplicate_of = ? WHERE doc = ?", updates)
    touched.add_documents(store, [doc for _, doc in updates])


def _signature(blob: bytes | None) -> tuple[int, ...]:
    return struct.unpack(f"<{len(blob) // 4}I", blob) if blob else ()


def _countries(store: Store, demonyms: Demonyms | None) -> set[int]:
    """Country (as the demonym table names it) -> the place entity going by one of its
    names (in order of ids), for the countries the corpus names; the documents whose
    nationality relations now point elsewhere."""
    found: dict[str, int] = {}
    if demonyms is not None:
        by_name: dict[str, int] = {}
        for entity, name in store.rows(
            "SELECT e.entity, n.name FROM entities e JOIN (SELECT entity, label AS name FROM entities "
            "UNION ALL SELECT entity, alias FROM aliases) n USING (entity) WHERE e.type = 'PLACE' ORDER BY e.id"
        ):
            by_name.setdefault(name.casefold(), entity)
        for country, names in demonyms.spellings.items():
            entity = next((by_name[n.casefold()] for n in names if n.casefold() in by_name), None)
            if entity is not None:
                found[country] = entity
    before = dict(store.rows("SELECT country, entity FROM countries"))
    changed = {c for c in before.keys() | found.keys() if before.get(c) != found.get(c)}
    store.execute("DELETE FROM countries")
    store.executemany("INSERT INTO countries VALUES (?, ?)", sorted(found.items()))
    if not changed:
        return set()
    store.fill("changed_countries", "country TEXT PRIMARY KEY", ((c,) for c in changed))
    return {d for (d,) in store.rows("SELECT DISTINCT doc FROM relations JOIN changed_countries USING (country)")}


def _measure(store: Store) -> None:
    """Communities and centralities over the kept links, nodes in the order of their ids."""
    entities = [e for (e,) in store.rows("SELECT entity FROM entities ORDER BY id")]
    index = {entity: position for position, entity in enumerate(entities)}
    edges = sorted(
        (min(index[s], index[t]), max(index[s], index[t]), float(w))
        for s, t, w in store.rows("SELECT source, target, weight FROM links WHERE kept")
    )
    found = measure(len(entities), edges)
    before = {row[-1]: row[:-1] for row in store.rows(
        "SELECT community, degree, weighted_degree, pagerank, betweenness, entity FROM entities"
    )}  # fmt: skip
    updates = []
    for position, entity in enumerate(entities):
        now = (found.community[position], found.degree[position], found.weighted_degree[position],
               found.pagerank[position], found.betweenness[position])  # fmt: skip
        if before.get(entity) != now:
            updates.append((*now, entity))
    store.executemany(
        "UPDATE entities SET community = ?, degree = ?, weighted_degree = ?, pagerank = ?, betweenness = ? "
        "WHERE entity = ?",
        updates,
    )


def file_digest(*paths: object) -> str:
    """A digest of files' contents (None: no file), for the settings."""
    digest = hashlib.sha256()
    for path in paths:
        if path is None:
            digest.update(b"\0none")
        else:
            digest.update(Path(str(path)).read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:32]


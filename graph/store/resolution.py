"""Resolution in the store: the resolver's steps (graph.resolve) over a corpus on disk,
each document's share redone only when what it depends on changed.

Input: the store, with every document's rows and the corpus' counts up to date, the
documents added since the last build, the user's names (aliases, exclusions), the
`NameWords` of the build's languages, whether everything must be done again. Output:
`forms` (each document's names, their votes, links, and entity), `decisions`,
`dropped_names`, the `entities` table's names, types, aliases and merges, each mention's
entity; and `Resolved`, saying which documents' mentions changed entity (the edge builder
redoes those) and which entities changed type.

What is redone, and why it is enough:
1. the corpus' decisions about names (graph.resolve.corpus) are made again from its counts
   (distinct names and the few words asked about): cheap, whatever the corpus' size;
2. a document's forms depend on those decisions for the names it uses: they are made
   again for the new documents and for those that consulted a name whose decision changed
   (`consulted` lists, for each document, every key its forms asked about);
3. the types the corpus votes for each name are summed in SQL from the forms, and the
   names retyped and the places decided again from them; a document's links depend on
   those for its names and the places its organizations may be named after: redone
   likewise;
4. the names are grouped over the corpus, streaming every document's forms (the rules
   across documents weigh every use), and entities numbered by their group's smallest
   name, which keeps an entity's number while that name stays its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from graph.names import NameWords, key, web_base
from graph.resolve import (
    CorpusIndex,
    DocumentLinks,
    Form,
    LinkedDocument,
    NameDecisions,
    UserNames,
    after_retyping,
    decide_names,
    document_forms,
    link_document,
    retyped_keys,
    spellings,
)
from graph.resolve.links import indexed_under
from graph.resolve.uses import NameUse
from graph.store import Store
from graph.store.documents import bundles, chosen
from graph.store.entities import AMBIGUOUS, attach_documents, group, reattach, update_entities



@dataclass
class Resolved:
    """What resolution changed: documents whose mentions name other entities now (or are
    new), entities whose type changed, entities gone."""

    documents: set[int] = field(default_factory=set)
    retyped: set[int] = field(default_factory=set)
    removed: set[int] = field(default_factory=set)
    decisions: NameDecisions | None = None


def resolve_store(
    store: Store,
    added: set[int],
    user: UserNames,
    words: NameWords,
    *,
    everything: bool = False,
    losing: set[int] | None = None,
) -> Resolved:
    """Bring resolution up to date after documents were added or removed (their counts
    already written); `words`: the build's languages'; `everything`: redo every document's
    forms (the user's names or the store's settings changed); `losing`: entities that lost
    forms with documents taken out."""
    counts = Counter({NameUse(n, l, c, bool(r)): u for n, l, c, r, u in store.rows("SELECT * FROM name_uses")})
    decisions = decide_names(counts, _asked_words(store, counts), user)
    spelled = spellings(counts, decisions)
    del counts  # one entry per distinct use of a name: the largest thing held here
    if everything:
        redo = {doc for (doc,) in store.rows("SELECT doc FROM documents")}
    else:
        redo = set(added) | _consulting(store, _changed_name_decisions(store, decisions))
    losing = set(losing or ()) | _entities_of_documents(store, redo)
    for batch in _batches(sorted(redo)):
        _write_forms(store, batch, [(b.doc, document_forms(b.uses, decisions)) for b in list(bundles(store, batch))])

    labels: dict[str, Counter[str]] = {}
    for name_key, label, uses in store.rows("SELECT key, label, sum(uses) FROM forms GROUP BY key, label"):
        labels.setdefault(name_key, Counter())[label] = uses
    aliased = {k for (k,) in store.rows("SELECT DISTINCT key FROM forms WHERE aliased")}
    retyped = retyped_keys(labels, aliased, words)
    corpus = CorpusIndex(after_retyping(labels, retyped), words)
    moved, revoted = _changed_key_decisions(store, retyped, corpus)
    relink = redo | _consulting(store, moved)
    for batch in _batches(sorted(relink)):
        texts = {bundle.doc: bundle.written_in_parentheses() for bundle in bundles(store, batch)}
        linked = _write_links(store, batch, list(_stream_forms(store, batch, user, retyped)), texts, corpus, retyped)
        attach_documents(store, linked, corpus)
    _save_decisions(store, decisions, retyped, corpus)
    asked: set[str] | None = set()  # everything: every form was attached with its document
    if not everything:
        # a name whose trailing words became a place, or stopped being one, is filed
        # under its leading words as an organization named after that place, or no longer
        revoted = revoted | _named_after(corpus.labels, moved)
        asked = {k for name_key in revoted for k in (name_key, *indexed_under(name_key, words))}
    reattached = reattach(store, corpus, retyped, user, asked=asked, revoted=revoted)
    changed = update_entities(
        store, group(store), relink, reattached, spelled, user, retyped, decisions, losing
    )
    return Resolved(changed.documents, changed.retyped, changed.removed, decisions)


def _named_after(keys: Iterable[str], places: set[str]) -> set[str]:
    """The keys whose trailing words are one of `places` ("ajax amsterdam" for
    "amsterdam")."""
    if not places:
        return set()
    return {k for k in keys if any(k[i + 1 :] in places for i, c in enumerate(k) if c == " ")}


def _entities_of_documents(store: Store, docs: set[int]) -> set[int]:
    """The entities the forms of `docs` name now (about to be made again)."""
    where = chosen(store, docs, "chosen_losing")
    return {e for (e,) in store.rows(f"SELECT DISTINCT entity FROM forms WHERE {where} AND entity IS NOT NULL")}


def _batches(docs: list[int], size: int = 256) -> Iterator[list[int]]:
    """Documents a few hundred at a time: read whole, then written, never both at once
    on one table (SQLite leaves a read undefined once its table changes under it)."""
    for start in range(0, len(docs), size):
        yield docs[start : start + size]


def _asked_words(store: Store, counts: Counter) -> dict[str, int]:
    """The corpus' counts of the words the common-word rule asks about: each lone
    capitalised name, and the same word in lowercase."""
    asked = {w for use in counts for w in (use.name, use.name.lower()) if " " not in use.name and use.name.istitle()}
    store.fill("asked", "word TEXT PRIMARY KEY", ((w,) for w in asked))
    return dict(store.rows("SELECT word, count FROM words JOIN asked USING (word)"))


def _changed_name_decisions(store: Store, decisions: NameDecisions) -> set[str]:
    """Keys whose names' decisions (dropped as a common word, teams) changed since the
    last build."""
    dropped = {name for (name,) in store.rows("SELECT name FROM dropped_names")}
    teams = {k for (k,) in store.rows("SELECT key FROM decisions WHERE teams")}
    return {key(name) for name in dropped ^ decisions.dropped} | (teams ^ decisions.teams)


def _changed_key_decisions(store: Store, retyped: frozenset[str], corpus: CorpusIndex) -> tuple[set[str], set[str]]:
    """Keys retyped or no longer, or whose being a place changed, since the last build (a
    document's links ask about those), and keys whose votes over the corpus changed (the
    answers to short forms' questions weigh those)."""
    before = {k: (bool(r), bool(p), (a, b, c)) for k, r, p, a, b, c in store.rows(
        "SELECT key, retyped, place, person_votes, org_votes, place_votes FROM decisions"
    )}  # fmt: skip
    moved, revoted = set(), set()
    for name_key in before.keys() | corpus.labels.keys():
        old = before.get(name_key, (False, False, (0, 0, 0)))
        new = (name_key in retyped, corpus.is_place(name_key), _votes(corpus, name_key))
        if old[:2] != new[:2]:
            moved.add(name_key)
        if old[2] != new[2]:
            revoted.add(name_key)
    return moved, revoted


def _votes(corpus: CorpusIndex, name_key: str) -> tuple[int, int, int]:
    votes = corpus.labels.get(name_key) or {}
    return votes.get("PERSON", 0), votes.get("ORG", 0), votes.get("PLACE", 0)


def _save_decisions(store: Store, decisions: NameDecisions, retyped: frozenset[str], corpus: CorpusIndex) -> None:
    store.execute("DELETE FROM dropped_names")
    store.executemany("INSERT INTO dropped_names VALUES (?)", ((n,) for n in sorted(decisions.dropped)))
    store.execute("DELETE FROM decisions")
    keys = set(corpus.labels) | decisions.teams
    store.executemany(
        "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((k, int(k in decisions.teams), int(k in retyped), int(corpus.is_place(k)), *_votes(corpus, k))
         for k in sorted(keys)),
    )  # fmt: skip


def _consulting(store: Store, keys: set[str]) -> set[int]:
    """The documents whose forms asked about any of `keys`."""
    if not keys:
        return set()
    store.fill("changed_keys", "key TEXT PRIMARY KEY", ((k,) for k in keys))
    return {d for (d,) in store.rows("SELECT DISTINCT doc FROM consulted JOIN changed_keys USING (key)")}


def _write_forms(store: Store, docs: list[int], made: list[tuple[int, dict[str, Form]]]) -> None:
    """Documents' forms as the corpus' decisions make them, their links to be made."""
    where = chosen(store, docs, "chosen_forms_written")
    for table in ("forms", "form_surfaces", "form_pairs", "consulted"):
        store.execute(f"DELETE FROM {table} WHERE {where}")
    store.executemany(
        "INSERT INTO forms (doc, key, uses, person, org, place, label, aliased, surface, web, rule) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')",
        ((doc, f.key, sum(f.labels.values()), f.labels["PERSON"], f.labels["ORG"], f.labels["PLACE"], f.label,
          int(f.aliased is not None), top, _web(top)) for doc, forms in made for f in forms.values()
         for top in (max(f.surfaces, key=lambda s: (f.surfaces[s], s)),)),
    )  # fmt: skip
    store.executemany(
        "INSERT INTO form_surfaces VALUES (?, ?, ?, ?)",
        ((doc, f.key, surface, n) for doc, forms in made for f in forms.values() for surface, n in f.surfaces.items()),
    )


def _web(surface: str) -> str | None:
    """The key of the outlet a web edition's name is named after, if it is one's."""
    base = web_base(surface)
    return None if base is None else key(base)


def _write_links(
    store: Store,
    docs: list[int],
    documents: list[tuple[int, dict[str, Form], DocumentLinks, str]],
    parentheses: dict[int, list[tuple[str, str]]],
    corpus: CorpusIndex,
    retyped: frozenset[str],
) -> list[tuple[int, LinkedDocument]]:
    """Link documents' forms and record every key their forms asked about; the documents
    linked, by number."""
    where = chosen(store, docs, "chosen_links_written")
    names: dict[int, set[str]] = {}
    for doc, name in store.rows(f"SELECT DISTINCT doc, name FROM mentions WHERE {where}"):
        names.setdefault(doc, set()).add(name)
    for table in ("form_pairs", "consulted"):
        store.execute(f"DELETE FROM {table} WHERE {where}")
    targets, pairs, consulted, linked = [], [], [], []
    for doc, forms, _, doc_id in documents:
        written = parentheses.get(doc, [])
        asking = _Asking(corpus)
        links = link_document(forms, written, asking, retyped)  # type: ignore[arg-type]
        keys = set(forms) | asking.asked | {key(name) for pair in written for name in pair}
        keys |= {key(n) for n in names.get(doc, ())}
        for name_key, link in links.local.items():
            targets.append((None, AMBIGUOUS, doc, name_key) if link is None else (link[0], link[1], doc, name_key))
        pairs.extend((doc, a, b) for a, b in links.pairs)
        consulted.extend((k, doc) for k in keys)
        linked.append((doc, LinkedDocument(doc_id, forms, links)))
    store.executemany("UPDATE forms SET target = ?, rule = ? WHERE doc = ? AND key = ?", targets)
    store.executemany("INSERT OR IGNORE INTO form_pairs VALUES (?, ?, ?, 0)", pairs)
    store.executemany("INSERT OR IGNORE INTO consulted VALUES (?, ?)", consulted)
    return linked


class _Asking:
    """The corpus index as a document's links see it, noting every key asked about."""

    def __init__(self, corpus: CorpusIndex) -> None:
        self.corpus = corpus
        self.words = corpus.words
        self.asked: set[str] = set()

    def is_place(self, name_key: str) -> bool:
        self.asked.add(name_key)
        return self.corpus.is_place(name_key)


def _stream_forms(
    store: Store, docs: Iterable[int] | None, user: UserNames, retyped: frozenset[str]
) -> Iterator[tuple[int, dict[str, Form], DocumentLinks, str]]:
    """Each chosen document's forms (None: all), retyped as the corpus says, their links
    and the document's id, in the order of document numbers."""
    where = chosen(store, docs, "chosen_forms")
    ids = dict(store.rows(f"SELECT doc, doc_id FROM documents WHERE {where}"))
    surfaces = _Rows(store.rows(
        f"SELECT doc, key, surface, uses FROM form_surfaces WHERE {where} ORDER BY doc, key, surface"
    ))  # fmt: skip
    pairs = _Rows(store.rows(f"SELECT doc, first, second FROM form_pairs WHERE {where} ORDER BY doc, first, second"))
    rows = store.rows(
        f"SELECT doc, key, person, org, place, aliased, target, rule FROM forms WHERE {where} ORDER BY doc, key"
    )
    current: int | None = None
    forms: dict[str, Form] = {}
    local: dict[str, tuple[str, str] | None] = {}

    def finished() -> tuple[int, dict[str, Form], DocumentLinks, str]:
        assert current is not None
        return current, forms, DocumentLinks(local, tuple(p[1:] for p in pairs.take(current))), ids[current]

    for doc, name_key, person, org, place, aliased, target, rule in rows:
        if doc != current:
            if current is not None:
                yield finished()
            current, forms, local = doc, {}, {}
        votes = Counter({t: n for t, n in (("PERSON", person), ("ORG", org), ("PLACE", place)) if n})
        spelled = Counter({s: n for _, _, s, n in surfaces.take((doc, name_key), width=2)})
        form = Form(name_key, votes, spelled, user.aliases.get(name_key) if aliased else None)
        if name_key in retyped and form.aliased is None:
            form.retype("ORG")
        forms[name_key] = form
        if rule == AMBIGUOUS:
            local[name_key] = None
        elif rule:
            local[name_key] = (target, rule)
    if current is not None:
        yield finished()


class _Rows:
    """Rows ordered by a leading key, handed out one key at a time, in order."""

    def __init__(self, rows: Iterator[tuple]) -> None:
        self.rows = rows
        self.head: tuple | None = next(rows, None)

    def take(self, wanted: object, width: int = 1) -> list[tuple]:
        found = []
        while self.head is not None and self._key(width) < wanted:  # type: ignore[operator]
            self.head = next(self.rows, None)
        while self.head is not None and self._key(width) == wanted:
            found.append(self.head)
            self.head = next(self.rows, None)
        return found

    def _key(self, width: int) -> object:
        assert self.head is not None
        return self.head[0] if width == 1 else self.head[:width]



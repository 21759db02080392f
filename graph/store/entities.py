"""Entities in the store: where each form goes, the names grouped, and the entities whose
forms changed made again; the rest kept as they were.

Input: the store, its forms linked (graph.store.resolution), the documents relinked in
this build, the corpus index and retyped names, the corpus' spellings, the user's names.
Output: each form's `joins` (the name it joins), `why`/`why_target`/`share` (the rule
that took it there) and `vote`, each form's `entity`; the `entities` table's names,
types, aliases and merges where they changed, with stable ids; `Changed`, saying which
documents' forms now name other entities and which entities changed type or went.

What is redone (graph.resolve.entities has the rules):
1. the forms of relinked documents are attached again, whole;
2. for every other form that stands alone, the answer to its question (its key, type,
   spelling and whether its document found it ambiguous) is asked of the corpus again, one
   question for all the forms asking it: the corpus' counts change with every document,
   and a short name may now stand for another full name; a short form linked in its
   document follows its full form;
3. the names are grouped again (union-find over the distinct names: cheap);
4. the entities whose forms changed (or moved between them, or whose merge lines quote
   a name now spelled otherwise) are drafted again from their forms, in SQL; the ids of
   all are given again in their order, so that two entities of one name keep `_2` apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from graph.resolve import CorpusIndex, Form, LinkedDocument, NameDecisions, UserNames
from graph.resolve.entities import (
    Attachment,
    Draft,
    add_form,
    attach,
    attachments,
    finish,
    joined_pairs,
    slug,
    unique_id,
)
from graph.resolve.links import Groups, Why
from graph.store import Store

AMBIGUOUS = "ambiguous"
_ATTACHMENT = "joins = ?, why = ?, why_target = ?, share = ?, vote = ?"
# Entities drafted at once: their forms are held in memory together.
DRAFT_CHUNK = 5_000


@dataclass
class Changed:
    """What the entities' update changed: documents whose forms name other entities now
    (or whose forms were made again), entities whose type changed, entities gone."""

    documents: set[int] = field(default_factory=set)
    retyped: set[int] = field(default_factory=set)
    removed: set[int] = field(default_factory=set)


def _columns(attachment: Attachment) -> tuple:
    """An attachment as the forms table holds it: joins, why, why_target, share, vote."""
    why = attachment.why
    if why is None:
        return attachment.name, "", None, None, attachment.vote
    return attachment.name, why.rule, why.target, why.share, attachment.vote


def attach_documents(store: Store, documents: Iterable[tuple[int, LinkedDocument]], corpus: CorpusIndex) -> None:
    """Step 1: attach the forms of whole documents (by number), their links just made."""
    attached, joined = [], []
    for doc, document in documents:
        found = attachments(document, corpus)
        attached.extend(_columns(attachment) + (doc, name_key) for name_key, attachment in found.items())
        effective = set(joined_pairs(document.links))
        joined.extend((int(pair in effective), doc, *pair) for pair in document.links.pairs)
    store.executemany(f"UPDATE forms SET {_ATTACHMENT} WHERE doc = ? AND key = ?", attached)
    store.executemany("UPDATE form_pairs SET joined = ? WHERE doc = ? AND first = ? AND second = ?", joined)


def reattach(
    store: Store,
    corpus: CorpusIndex,
    retyped: frozenset[str],
    user: UserNames,
    *,
    asked: set[str] | None = None,
    revoted: set[str] = frozenset(),  # type: ignore[assignment]
) -> set[tuple[int, str]]:
    """Step 2: ask again the questions of the forms that stand alone, one question for all
    the forms asking it: every question, or those of the keys `asked` (the names whose
    votes changed and the short forms they are filed under, `links.indexed_under`) and of
    the web editions of outlets in `revoted`; then the short forms follow their full forms.
    The forms whose attachment changed."""
    if asked is not None and not asked and not revoted:
        return set()
    which = ""
    if asked is not None:
        store.fill("asked_keys", "key TEXT PRIMARY KEY", ((k,) for k in asked | set(revoted)))
        which = "AND (key IN (SELECT key FROM asked_keys) OR web IN (SELECT key FROM asked_keys))"
    questions = list(store.rows(
        f"SELECT DISTINCT key, label, aliased, surface, rule = '{AMBIGUOUS}' FROM forms "
        f"WHERE rule IN ('', '{AMBIGUOUS}') {which}"
    ))  # fmt: skip
    rows = []
    for name_key, label, aliased, surface, ambiguous in questions:
        voted = "ORG" if name_key in retyped and not aliased else label
        form = Form(name_key, Counter({voted: 1}), Counter({surface: 1}), user.aliases.get(name_key) if aliased else None)
        rows.append((name_key, label, aliased, surface, ambiguous, *_columns(attach(form, corpus, ambiguous=bool(ambiguous)))))
    store.fill(
        "answers",
        "key TEXT, label TEXT, aliased INTEGER, surface TEXT, ambiguous INTEGER, joins TEXT, why TEXT, why_target TEXT, "
        "share REAL, vote TEXT, PRIMARY KEY (key, label, aliased, surface, ambiguous)",
        rows,
    )
    changed = list(store.rows(
        "SELECT a.joins, a.why, a.why_target, a.share, a.vote, f.doc, f.key FROM forms f JOIN answers a "
        f"ON a.key = f.key AND a.label = f.label AND a.aliased = f.aliased AND a.surface = f.surface "
        f"AND a.ambiguous = (f.rule = '{AMBIGUOUS}') WHERE f.rule IN ('', '{AMBIGUOUS}') AND (f.joins IS NOT a.joins "
        "OR f.why IS NOT a.why OR f.why_target IS NOT a.why_target OR f.share IS NOT a.share OR f.vote IS NOT a.vote)"
    ))  # fmt: skip
    store.executemany(f"UPDATE forms SET {_ATTACHMENT} WHERE doc = ? AND key = ?", changed)
    following = list(store.rows(
        "SELECT t.joins, f.doc, f.key FROM forms f JOIN forms t ON t.doc = f.doc AND t.key = f.target "
        f"WHERE f.rule NOT IN ('', '{AMBIGUOUS}') AND f.joins IS NOT t.joins"
    ))  # fmt: skip
    store.executemany("UPDATE forms SET joins = ? WHERE doc = ? AND key = ?", following)
    return {(doc, name_key) for *_, doc, name_key in changed} | {(doc, name_key) for _, doc, name_key in following}


def group(store: Store) -> Groups:
    """Step 3: the names the forms join, grouped: web editions with their outlets, names
    given in parentheses with the name before them (a group is named by its smallest)."""
    groups = Groups()
    for (name,) in store.rows("SELECT DISTINCT joins FROM forms"):
        groups.find(name)
    for name, outlet in store.rows("SELECT DISTINCT joins, why_target FROM forms WHERE why = 'web'"):
        groups.union(name, outlet)
    for a, b in store.rows(
        "SELECT DISTINCT fa.joins, fb.joins FROM form_pairs p JOIN forms fa ON fa.doc = p.doc AND fa.key = p.first "
        "JOIN forms fb ON fb.doc = p.doc AND fb.key = p.second WHERE p.joined"
    ):
        groups.union(a, b)
    return groups


def update_entities(
    store: Store,
    groups: Groups,
    remade: set[int],
    reattached: set[tuple[int, str]],
    spelled: Mapping[str, str],
    user: UserNames,
    retyped: frozenset[str],
    decisions: NameDecisions,
    losing: set[int],
) -> Changed:
    """Step 4: number the groups, give each form its entity, draft again the entities
    whose forms changed (`losing`: those that lost forms with documents taken out or
    made again), and name them all."""
    changed = Changed(documents=set(remade))
    numbers = dict(store.rows("SELECT name_key, entity FROM entities"))
    store.fill("name_entities", "name TEXT PRIMARY KEY, entity INTEGER", _numbered(groups, numbers))
    # every form of a cold build moves: what moved is gathered streaming, then moved in SQL
    touched: set[int] = set()
    for new, old, doc in store.rows(
        "SELECT n.entity, f.entity, f.doc FROM forms f JOIN name_entities n ON n.name = f.joins "
        "WHERE f.entity IS NOT n.entity"
    ):
        touched.add(new)
        if old is not None:
            touched.add(old)
        changed.documents.add(doc)
    store.execute(
        "UPDATE forms SET entity = (SELECT entity FROM name_entities WHERE name = forms.joins) "
        "WHERE joins IN (SELECT name FROM name_entities) "
        "AND entity IS NOT (SELECT entity FROM name_entities WHERE name = forms.joins)"
    )
    touched |= _entities_of(store, sorted(remade), reattached) | losing
    touched |= _respelled(store, spelled)
    drafted = _draft(store, touched, spelled, user, retyped)
    existing = {e for (e,) in store.rows("SELECT entity FROM entities")}
    changed.removed = (touched & existing) - set(drafted)
    _name(store, drafted, {number: root for root, number in numbers.items()}, changed)
    _assign_mentions(store, changed.documents, decisions)
    return changed


def _numbered(groups: Groups, numbers: dict[str, int]) -> Iterator[tuple[str, int]]:
    """Each name with its group's entity number; a group new to the store takes the next
    number (`numbers`: group root -> entity number, added to)."""
    following = max(numbers.values(), default=0) + 1
    for name in sorted(groups.parent):
        root = groups.find(name)
        if root not in numbers:
            numbers[root] = following
            following += 1
        yield name, numbers[root]


def _entities_of(store: Store, docs: list[int], forms: set[tuple[int, str]]) -> set[int]:
    """The entities of the forms of `docs` and of `forms`."""
    found = set()
    for start in range(0, len(docs), 500):
        batch = docs[start : start + 500]
        found |= {e for (e,) in store.rows(
            f"SELECT DISTINCT entity FROM forms WHERE doc IN ({','.join('?' * len(batch))})", batch
        )}  # fmt: skip
    for doc, name_key in forms:
        found.add(store.value("SELECT entity FROM forms WHERE doc = ? AND key = ?", (doc, name_key)))
    return {e for e in found if e is not None}


def _respelled(store: Store, now: Mapping[str, str]) -> set[int]:
    """Record each key's spelling; the entities whose merge lines quote a key now spelled
    otherwise."""
    before = dict(store.rows("SELECT key, spelling FROM spellings"))
    changed = {k for k in before.keys() | now.keys() if before.get(k) != now.get(k)}
    store.executemany("DELETE FROM spellings WHERE key = ?", ((k,) for k in changed if k not in now))
    store.executemany("INSERT OR REPLACE INTO spellings VALUES (?, ?)", ((k, now[k]) for k in changed if k in now))
    if not changed or not before:
        return set()
    store.fill("respelled", "key TEXT PRIMARY KEY", ((k,) for k in changed))
    found = {e for (e,) in store.rows(
        "SELECT DISTINCT entity FROM forms WHERE why != '' AND (key IN (SELECT key FROM respelled) "
        "OR why_target IN (SELECT key FROM respelled))"
    )}  # fmt: skip
    found |= {e for (e,) in store.rows(
        "SELECT DISTINCT f.entity FROM form_pairs p JOIN forms f ON f.doc = p.doc AND f.key = p.first WHERE p.joined "
        "AND (p.first IN (SELECT key FROM respelled) OR p.second IN (SELECT key FROM respelled))"
    )}  # fmt: skip
    return {e for e in found if e is not None}


class Drafted(NamedTuple):
    """An entity drafted again: its name and type, and its smallest (document, key)."""

    name: str
    kind: str
    first: tuple[str, str]


def _draft(
    store: Store, entities: set[int], spelled: Mapping[str, str], user: UserNames, retyped: frozenset[str]
) -> dict[int, Drafted]:
    """Draft `entities` again from every form they hold, read in SQL a chunk of entities
    at a time (a cold build drafts them all: their forms are never all held at once), and
    write their aliases, merges and names; their names, types and first forms."""
    ordered = sorted(entities)
    drafted: dict[int, Drafted] = {}
    for start in range(0, len(ordered), DRAFT_CHUNK):
        chunk = ordered[start : start + DRAFT_CHUNK]
        store.fill("drafted", "entity INTEGER PRIMARY KEY", ((e,) for e in chunk))
        aliases_rows, merge_rows, names = [], [], []
        for entity, draft in sorted(_drafts(store, user, retyped, spelled).items()):
            name, kind, aliases, merges = finish(draft)
            drafted[entity] = Drafted(name, kind, draft.first or ("", ""))
            aliases_rows.extend((entity, a) for a in aliases)
            merge_rows.extend((entity, i, m) for i, m in enumerate(merges))
            names.extend((entity, n, fold(n)) for n in sorted({name, *aliases}))
        for table in ("aliases", "merges", "names"):
            store.execute(f"DELETE FROM {table} WHERE entity IN (SELECT entity FROM drafted)")
        store.executemany("INSERT INTO aliases VALUES (?, ?)", aliases_rows)
        store.executemany("INSERT INTO merges VALUES (?, ?, ?)", merge_rows)
        store.executemany("INSERT INTO names (entity, name, folded) VALUES (?, ?, ?)", names)
    return drafted


def _drafts(
    store: Store, user: UserNames, retyped: frozenset[str], spelled: Mapping[str, str]
) -> dict[int, Draft]:
    """The drafts of the entities in the temp table `drafted`, from their forms."""
    picked = "f.entity IN (SELECT entity FROM drafted)"
    surfaces: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    for doc, name_key, surface, uses in store.rows(
        f"SELECT s.doc, s.key, s.surface, s.uses FROM form_surfaces s JOIN forms f USING (doc, key) WHERE {picked}"
    ):
        surfaces[(doc, name_key)][surface] = uses
    parentheses: dict[tuple[int, str], list[Why]] = defaultdict(list)
    for doc, first, second in store.rows(
        f"SELECT p.doc, p.first, p.second FROM form_pairs p JOIN forms f ON f.doc = p.doc AND f.key = p.first "
        f"WHERE p.joined AND {picked} ORDER BY p.doc, p.first, p.second"
    ):
        parentheses[(doc, first)].append(Why("parentheses", second))
    drafts: dict[int, Draft] = defaultdict(Draft)
    for entity, doc, doc_id, name_key, person, org, place, aliased, why, target, share, vote in store.rows(
        "SELECT f.entity, f.doc, d.doc_id, f.key, f.person, f.org, f.place, f.aliased, f.why, f.why_target, f.share, "
        f"f.vote FROM forms f JOIN documents d USING (doc) WHERE {picked} ORDER BY d.doc_id, f.key"
    ):
        votes = Counter({t: n for t, n in (("PERSON", person), ("ORG", org), ("PLACE", place)) if n})
        form = Form(name_key, votes, surfaces.pop((doc, name_key), Counter()), user.aliases.get(name_key) if aliased else None)
        if name_key in retyped and form.aliased is None:
            form.retype("ORG")
        reasons = ([Why(why, target, share)] if why else []) + parentheses.pop((doc, name_key), [])
        add_form(drafts[entity], doc_id, form, vote, reasons, spelled)
    return drafts


def _name(store: Store, drafted: dict[int, Drafted], roots: dict[int, str], changed: Changed) -> None:
    """Give every entity its id (all of them, in order of name, type and first form, so
    that names slugging alike are numbered as a cold build numbers them) and write the
    drafted ones' names and types; take out the entities gone."""
    stored = {
        entity: (entity_id, label, kind, (first_doc or "", first_key or ""))
        for entity, entity_id, label, kind, first_doc, first_key in store.rows(
            "SELECT entity, id, label, type, first_doc, first_key FROM entities"
        )
    }
    renamed = changed.removed or any(
        entity not in stored or stored[entity][1:] != drafted_ for entity, drafted_ in drafted.items()
    )
    if renamed:
        ids = _ids(stored, drafted, changed.removed)
    else:  # no entity came, went or changed name: every id stays
        ids = {entity: stored[entity][0] for entity in drafted}
    for table in ("aliases", "merges", "names", "entities"):
        store.executemany(f"DELETE FROM {table} WHERE entity = ?", ((e,) for e in changed.removed))
    moved = [e for e, entity_id in ids.items() if e in stored and stored[e][0] != entity_id]
    # ids move between entities (a name taken by another): free them first
    store.executemany("UPDATE entities SET id = '#' || entity WHERE entity = ?", ((e,) for e in moved))
    store.executemany("UPDATE entities SET id = ? WHERE entity = ?", ((ids[e], e) for e in moved if e not in drafted))
    updates, inserts = [], []
    for entity, (name, kind, first) in sorted(drafted.items()):
        if entity in stored:
            updates.append((ids[entity], name, kind, *first, entity))
            if stored[entity][2] != kind:
                changed.retyped.add(entity)
        else:
            inserts.append((entity, roots[entity], ids[entity], name, kind, *first))
            changed.retyped.add(entity)
    store.executemany(
        "UPDATE entities SET id = ?, label = ?, type = ?, first_doc = ?, first_key = ? WHERE entity = ?", updates
    )
    store.executemany(
        "INSERT INTO entities (entity, name_key, id, label, type, mentions, documents, sources, statements, "
        "first_doc, first_key) VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, ?, ?)",
        inserts,
    )


def _ids(
    stored: dict[int, tuple[str, str, str, tuple[str, str]]], drafted: dict[int, Drafted], removed: set[int]
) -> dict[int, str]:
    """Every entity's id, given in order of name, type and first form, as a cold build
    gives them (`_2`, `_3`... for names that slug alike)."""
    order: list[tuple[str, str, tuple[str, str], int]] = [
        (label, kind, first, entity)
        for entity, (_, label, kind, first) in stored.items()
        if entity not in drafted and entity not in removed
    ]
    order += [(name, kind, first, entity) for entity, (name, kind, first) in drafted.items()]
    taken: dict[str, int] = {}
    ids: dict[int, str] = {}
    for name, kind, _, entity in sorted(order):
        entity_id = unique_id(f"{kind}_{slug(name)}", taken)
        taken[entity_id] = entity
        ids[entity] = entity_id
    return ids


def write_names(store: Store, entity: int, names: Iterable[str]) -> None:
    """The names an entity goes by (label and aliases), case folded for lookups."""
    store.execute("DELETE FROM names WHERE entity = ?", (entity,))
    store.executemany(
        "INSERT INTO names (entity, name, folded) VALUES (?, ?, ?)",
        ((entity, name, fold(name)) for name in sorted(set(names))),
    )


def fold(name: str) -> str:
    """A name as lookups compare it: whitespace collapsed, case folded."""
    return " ".join(name.split()).casefold()


def _assign_mentions(store: Store, docs: set[int], decisions: NameDecisions) -> None:
    """Each mention of `docs` names its form's entity (None: its name was dropped)."""
    ordered = sorted(docs)
    for start in range(0, len(ordered), 256):
        batch = ordered[start : start + 256]
        marks = ",".join("?" * len(batch))
        entity_of = {(d, k): e for d, k, e in store.rows(f"SELECT doc, key, entity FROM forms WHERE doc IN ({marks})", batch)}
        updates = []
        for doc, begin, end, name, entity in store.rows(
            f"SELECT doc, start, end, name, entity FROM mentions WHERE doc IN ({marks})", batch
        ):
            final = decisions.final(name)
            now = None if final is None else entity_of.get((doc, final[0]))
            if now != entity:
                updates.append((now, doc, begin, end))
        store.executemany("UPDATE mentions SET entity = ? WHERE doc = ? AND start = ? AND end = ?", updates)

"""Merges marked in the served view: "these two entities are one", kept in the store.

Job: record, list and undo the analyst's merges (`view_merges`), and turn the standing
ones into the aliases the next build applies.
Input: the store, two entity ids (a merge) or a merge's number (an undo).
Output: `ViewMerge` rows; for a build, surface key -> `Alias`, as an aliases file gives.

A merge keeps the names of both entities as they were when it was made (the label of the
more mentioned first): after the build that applies it, one of the two ids is gone, and
the next builds must still merge the same names. An undo keeps the row, marked `undone`,
so the list says what was taken back; the build after it splits the names again.
Merges of merges join (a = b and b = c is one entity), as the aliases file the offline
page downloads does. The user's own aliases file wins over a merge that gives one of its
names to another entity.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from graph.errors import EntigraphError
from graph.names import key
from graph.resolve.aliases import Alias
from graph.store import Store

# Who made a merge: the served view has no accounts, only the person at this machine.
LOCAL = "local"


class UnknownMergeError(EntigraphError):
    """A merge or an entity named by a request is not in the store."""


@dataclass(frozen=True)
class ViewMerge:
    """One "same entity" decision: `names` are the first's then the second's names
    (label, then aliases) as the store had them; `undone` the time it was taken back."""

    number: int
    first: str
    second: str
    names: tuple[tuple[str, ...], tuple[str, ...]]
    who: str
    made: str
    undone: str | None

    def to_dict(self) -> dict[str, object]:
        return {
            "number": self.number, "first": self.first, "second": self.second,
            "names": [list(self.names[0]), list(self.names[1])], "who": self.who, "made": self.made,
            "undone": self.undone,
        }  # fmt: skip


def record(store: Store, first: str, second: str, *, now: datetime | None = None) -> ViewMerge:
    """Record that entities `first` and `second` (ids) are one; UnknownMergeError when
    either is not in the store or they are the same."""
    if first == second:
        raise UnknownMergeError("a merge needs two different entities")
    names = [_names(store, entity_id) for entity_id in (first, second)]
    # the more mentioned gives the merged entity its name
    if names[1][0] > names[0][0]:
        first, second = second, first
        names.reverse()
    made = _stamp(now)
    with store.transaction():
        number = store.execute(
            "INSERT INTO view_merges (first, second, who, made) VALUES (?, ?, ?, ?)", (first, second, LOCAL, made)
        ).lastrowid
        store.executemany(
            "INSERT INTO view_merge_names (number, side, position, name) VALUES (?, ?, ?, ?)",
            [(number, side, position, name) for side, (_, group) in enumerate(names) for position, name in enumerate(group)],
        )
    return ViewMerge(number, first, second, (names[0][1], names[1][1]), LOCAL, made, None)


def undo(store: Store, number: int, *, now: datetime | None = None) -> ViewMerge:
    """Take merge `number` back (kept, marked undone); UnknownMergeError when there is none."""
    with store.transaction():
        store.execute("UPDATE view_merges SET undone = ? WHERE number = ? AND undone IS NULL", (_stamp(now), number))
    found = [m for m in listed(store, every=True) if m.number == number]
    if not found:
        raise UnknownMergeError(f"no merge numbered {number}")
    return found[0]


def listed(store: Store, *, every: bool = False) -> list[ViewMerge]:
    """The standing merges (with `every`, the undone ones too), oldest first."""
    where = "" if every else "WHERE m.undone IS NULL"
    names: dict[int, tuple[list[str], list[str]]] = {}
    for number, side, name in store.rows(
        f"SELECT n.number, n.side, n.name FROM view_merge_names n JOIN view_merges m USING (number) {where} "
        "ORDER BY n.number, n.side, n.position"
    ):
        names.setdefault(number, ([], []))[side].append(name)
    return [
        ViewMerge(number, first, second, (tuple(names[number][0]), tuple(names[number][1])), who, made, undone)
        for number, first, second, who, made, undone in store.rows(
            f"SELECT number, first, second, who, made, undone FROM view_merges m {where} ORDER BY number"
        )
    ]


def as_aliases(store: Store, user: Mapping[str, Alias]) -> dict[str, Alias]:
    """The standing merges as aliases (surface key -> Alias) added to the user's `user`:
    each group of merged entities takes the name of the entity its merges lead to (a
    merge leads from the less mentioned of its two to the more)."""
    parent: dict[str, str] = {}  # entity id -> the id it was merged into (a union-find)
    names_of: dict[str, tuple[str, ...]] = {}

    def root(entity_id: str) -> str:
        while parent[entity_id] != entity_id:
            entity_id = parent[entity_id]
        return entity_id

    for merge in listed(store):
        for entity_id, names in zip((merge.first, merge.second), merge.names):
            parent.setdefault(entity_id, entity_id)
            names_of[entity_id] = names
        first, second = root(merge.first), root(merge.second)
        if first != second:
            parent[second] = first
    groups: dict[str, list[str]] = {}  # a group's name -> every name in it
    for entity_id, names in names_of.items():
        groups.setdefault(names_of[root(entity_id)][0], []).extend(names)
    aliases = dict(user)
    for name, members in groups.items():
        keys = {key(n) for n in (name, *members)}
        # a name the user's file gives to another entity keeps the file's word
        if any(k in user and user[k].name != name for k in keys):
            continue
        for k in keys:
            aliases[k] = Alias(name, None)
    return aliases


def digest(store: Store) -> str:
    """What the standing merges are, short: a build's settings change when they do."""
    rows = [(m.first, m.second, m.names) for m in listed(store)]
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16] if rows else ""


def _names(store: Store, entity_id: str) -> tuple[int, tuple[str, ...]]:
    row = store.execute("SELECT entity, label, mentions FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        raise UnknownMergeError(f"no entity with id {entity_id!r}")
    entity, label, mentions = row
    aliases = [alias for (alias,) in store.rows("SELECT alias FROM aliases WHERE entity = ? ORDER BY alias", (entity,))]
    return mentions, (label, *[a for a in aliases if a != label])


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")

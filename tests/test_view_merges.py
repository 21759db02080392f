"""Merges marked in the served view (graph.store.view_merges): kept with the names they
joined, undone, joined into groups, and applied by the next build (the real model, on the
sample corpus)."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from graph.names import key
from graph.pipeline import BuildOptions, build
from graph.resolve.aliases import Alias
from graph.store import STORE_NAME, Store, view_merges
from tests.conftest import SAMPLE

NOON = datetime(2026, 1, 2, 12, 0, tzinfo=timezone.utc)


def store_with(*entities: tuple[str, str, int, tuple[str, ...]]) -> Store:
    store = Store.memory()
    for number, (entity_id, label, mentions, aliases) in enumerate(entities):
        store.execute(
            "INSERT INTO entities (entity, name_key, id, label, type, mentions, documents, statements) "
            "VALUES (?, ?, ?, ?, 'PERSON', ?, 1, 1)", (number, key(label), entity_id, label, mentions),
        )  # fmt: skip
        store.executemany("INSERT INTO aliases VALUES (?, ?)", [(number, alias) for alias in (label, *aliases)])
    return store


def test_a_merge_keeps_both_names_the_more_mentioned_first_and_an_undo_keeps_the_row() -> None:
    store = store_with(("a", "Ann Lee", 2, ("A. Lee",)), ("b", "Annie Lee", 9, ()))
    merge = view_merges.record(store, "a", "b", now=NOON)
    assert (merge.first, merge.second, merge.names, merge.who, merge.made) == (
        "b", "a", (("Annie Lee",), ("Ann Lee", "A. Lee")), "local", "2026-01-02T12:00:00+00:00"
    )
    assert view_merges.listed(store) == [merge]
    undone = view_merges.undo(store, merge.number, now=NOON)
    assert undone.undone == "2026-01-02T12:00:00+00:00"
    assert view_merges.listed(store) == [] and view_merges.listed(store, every=True) == [undone]
    assert view_merges.as_aliases(store, {}) == {}


@pytest.mark.parametrize(
    ("first", "second"),
    [pytest.param("a", "nobody", id="unknown"), pytest.param("a", "a", id="itself")],
)
def test_a_merge_needs_two_known_entities(first: str, second: str) -> None:
    store = store_with(("a", "Ann Lee", 2, ()))
    with pytest.raises(view_merges.UnknownMergeError):
        view_merges.record(store, first, second)
    assert view_merges.listed(store, every=True) == []


def test_merges_sharing_an_entity_are_one_group_named_after_its_most_mentioned() -> None:
    store = store_with(("a", "Ann Lee", 9, ()), ("b", "Annie Lee", 5, ()), ("c", "A. Lee", 1, ()), ("d", "Bo", 1, ()))
    view_merges.record(store, "b", "c")
    view_merges.record(store, "a", "b")
    aliases = view_merges.as_aliases(store, {})
    assert {k: a.name for k, a in aliases.items()} == {
        key("Ann Lee"): "Ann Lee", key("Annie Lee"): "Ann Lee", key("A. Lee"): "Ann Lee"
    }
    assert view_merges.digest(store) != ""


def test_the_users_aliases_file_wins_over_a_merge_giving_its_name_elsewhere() -> None:
    store = store_with(("a", "Ann Lee", 9, ()), ("b", "Annie Lee", 5, ()))
    view_merges.record(store, "a", "b")
    user = {key("Annie Lee"): Alias("Annie Smith", None)}
    assert view_merges.as_aliases(store, user) == user


def test_the_next_build_merges_the_two_and_the_one_after_an_undo_splits_them(nlp, sample_build, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(sample_build[1], out)
    with Store.read(out / STORE_NAME) as store:
        (first, first_label), (second, second_label) = store.rows(
            "SELECT id, label FROM entities WHERE type = 'PERSON' ORDER BY mentions DESC, id LIMIT 2"
        )
        count = store.value("SELECT count(*) FROM entities")
    with Store.edit(out / STORE_NAME) as store:
        merge = view_merges.record(store, first, second)

    def labels() -> dict[str, set[str]]:
        build([SAMPLE], out, BuildOptions(formats=("graphml",)), nlp=nlp)
        with Store.read(out / STORE_NAME) as store:
            found: dict[str, set[str]] = {}
            for label, alias in store.rows("SELECT label, alias FROM entities JOIN aliases USING (entity)"):
                found.setdefault(label, set()).add(alias)
            return found

    merged = labels()
    assert second_label not in merged and second_label in merged[first_label]
    assert len(merged) == count - 1
    with Store.edit(out / STORE_NAME) as store:
        view_merges.undo(store, merge.number)
    split = labels()
    assert first_label in split and second_label in split and len(split) == count

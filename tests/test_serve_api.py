"""The served view's queries (graph.serve.api) over the sample corpus' store, built with the
real model: each answer checked against the same facts read plainly from the store."""

from __future__ import annotations

import pytest

from graph.serve import api
from graph.store import Store


def every_neighbour(store: Store, entity_id: str) -> list[tuple[str, float, str | None, str | None, str]]:
    """(other id, weight, first seen, last seen, other's type) of every kept link, strongest
    first, then by the other's number: the order the API pages through."""
    return [row[1:] for row in store.rows(
        "SELECT o.entity, o.id, l.weight, l.first_seen, l.last_seen, o.type FROM entities e "
        "JOIN links l ON e.entity IN (l.source, l.target) AND l.kept "
        "JOIN entities o ON o.entity = CASE WHEN l.source = e.entity THEN l.target ELSE l.source END "
        "WHERE e.id = ? ORDER BY l.weight DESC, o.entity", (entity_id,))]  # fmt: skip


def hub(store: Store) -> str:
    return store.value("SELECT id FROM entities ORDER BY degree DESC, id LIMIT 1")


@pytest.mark.parametrize(
    ("typed", "how"),
    [
        pytest.param("HAMAS", "exact", id="whole-name-any-case"),
        pytest.param("ha", "prefix", id="prefix"),
        pytest.param("resistance", "inside", id="a-later-word"),
    ],
)
def test_search_finds_names_and_aliases_by_prefix_any_case_most_mentioned_first(
    sample_store: Store, typed: str, how: str
) -> None:
    found = api.search(sample_store, typed, 12)["results"]
    assert found and found[0]["how"] == how
    for result in found:
        names = [result["entity"]["label"], *result["entity"]["aliases"]]
        assert result["name"] in names
        assert any(typed.lower() in n.lower() for n in names)
    same_group = [r["entity"]["mentions"] for r in found if r["how"] == found[0]["how"]]
    assert same_group == sorted(same_group, reverse=True)
    assert len({r["entity"]["id"] for r in found}) == len(found)


def test_search_for_nothing_finds_nothing(sample_store: Store) -> None:
    assert api.search(sample_store, "  ", 12)["results"] == []


def test_neighbours_page_through_every_link_strongest_first(sample_store: Store) -> None:
    entity_id = hub(sample_store)
    expected = [row[0] for row in every_neighbour(sample_store, entity_id)]
    assert len(expected) > 5
    read: list[str] = []
    offset = 0
    while True:
        page = api.neighbours(sample_store, entity_id, offset, 5, api.NeighbourFilter())
        read += [n["other"]["id"] for n in page["neighbours"]]
        offset += len(page["neighbours"])
        if not page["more"]:
            break
    assert read == expected
    assert page["total"] == len(expected)


@pytest.mark.parametrize(
    "where",
    [
        pytest.param(api.NeighbourFilter(types=("PERSON",)), id="type"),
        pytest.param(api.NeighbourFilter(types=("PERSON", "PLACE")), id="two-types"),
        pytest.param(api.NeighbourFilter(min_weight=2), id="weight"),
    ],
)
def test_neighbours_filtered_keep_only_what_the_filter_lets_through(sample_store: Store, where: api.NeighbourFilter) -> None:
    entity_id = hub(sample_store)
    expected = [
        other for other, weight, _, _, kind in every_neighbour(sample_store, entity_id)
        if (not where.types or kind in where.types) and weight >= where.min_weight
    ]  # fmt: skip
    page = api.neighbours(sample_store, entity_id, 0, 200, where)
    assert [n["other"]["id"] for n in page["neighbours"]] == expected
    assert 0 < len(expected) < len(every_neighbour(sample_store, entity_id))


def test_neighbours_within_a_date_range_are_those_seen_in_it() -> None:
    store = Store.memory()
    store.executemany(
        "INSERT INTO entities (entity, name_key, id, label, type, mentions, documents, statements, degree) "
        "VALUES (?, ?, ?, ?, 'PERSON', 1, 1, 1, 3)",
        [(n, f"k{n}", f"e{n}", f"E {n}") for n in range(4)],
    )
    store.executemany(
        "INSERT INTO links (source, target, weight, documents, first_seen, last_seen, kept) VALUES (0, ?, ?, 1, ?, ?, 1)",
        [(1, 3.0, "2024-01-01", "2024-01-31"), (2, 2.0, "2024-03-01", "2024-03-02"), (3, 1.0, "2024-01-20", "2024-05-01")],
    )
    inside = api.neighbours(store, "e0", 0, 10, api.NeighbourFilter(start="2024-02-01", end="2024-04-01"))
    assert [n["other"]["id"] for n in inside["neighbours"]] == ["e2", "e3"]


def test_evidence_comes_with_its_paragraph_and_the_names_in_it_marked(sample_store: Store) -> None:
    a, b, source, target = sample_store.execute(
        "SELECT a.id, b.id, l.source, l.target FROM links l JOIN entities a ON a.entity = l.source "
        "JOIN entities b ON b.entity = l.target WHERE l.kept ORDER BY l.weight DESC LIMIT 1"
    ).fetchone()
    first = api.evidence(sample_store, a, b, 0, 2)
    rest = api.evidence(sample_store, b, a, 2, 200)  # either order names the link
    assert first["more"] and not rest["more"]
    statements = [(e["doc"], e["start"]) for e in first["evidence"] + rest["evidence"]]
    assert statements == list(sample_store.rows(
        "SELECT d.doc_id, v.start FROM evidence v JOIN documents d USING (doc) WHERE v.source = ? AND v.target = ? "
        "ORDER BY v.rank", (source, target)))  # fmt: skip
    marked = {e["id"] for e in first["entities"]}
    for item in first["evidence"]:
        paragraph = item["paragraph"]
        said = paragraph["text"][item["start"] - paragraph["start"] : item["end"] - paragraph["start"]]
        assert " ".join(said.split()) == item["text"]
        assert {m[2] for m in paragraph["marks"]} <= marked
        assert {a, b} <= marked


@pytest.mark.parametrize(
    ("asked", "kind", "expected"),
    [
        # The link's first end is the smaller id (ORG_hamas): 1 says the relation runs the other way.
        pytest.param(("PERSON_bassem_naim", "ORG_hamas"), "relations", ["head_of", 1, 1], id="a-role"),
        pytest.param(("ORG_hamas", "PERSON_bassem_naim"), "phrases", ["leader", 1, 1], id="a-phrase-either-order"),
    ],
)
def test_the_first_page_of_evidence_says_how_the_text_relates_the_two(
    sample_store: Store, asked: tuple[str, str], kind: str, expected: list
) -> None:
    first = api.evidence(sample_store, *asked, 0, 1)
    doc, start, end, sentence = first[kind][0][3]
    assert first[kind][0][:3] == expected
    assert sentence and doc in {row[0] for row in sample_store.rows("SELECT doc_id FROM documents")}
    assert "relations" not in api.evidence(sample_store, *asked, 1, 1)


@pytest.mark.parametrize(
    "ask",
    [
        pytest.param(lambda s: api.entity(s, "PERSON_nobody"), id="entity"),
        pytest.param(lambda s: api.neighbours(s, "PERSON_nobody", 0, 5, api.NeighbourFilter()), id="neighbours"),
        pytest.param(lambda s: api.evidence(s, "PERSON_nobody", "ORG_hamas", 0, 5), id="evidence"),
    ],
)
def test_an_unknown_id_is_not_found(sample_store: Store, ask) -> None:
    with pytest.raises(api.NotFound, match="PERSON_nobody"):
        ask(sample_store)


def test_the_opening_window_is_the_most_mentioned_with_positions_and_the_links_among_them(sample_store: Store) -> None:
    opening = api.opening(sample_store, 10)
    top = [i for (i,) in sample_store.rows("SELECT id FROM entities ORDER BY mentions DESC LIMIT 10")]
    assert {row[0] for row in opening["opening"]} == {e["id"] for e in opening["entities"]}
    assert sorted(e["mentions"] for e in opening["entities"]) == sorted(
        sample_store.value("SELECT mentions FROM entities WHERE id = ?", (i,)) for i in top
    )
    ids = {e["id"] for e in opening["entities"]}
    assert opening["links"] and all({link["a"], link["b"]} <= ids for link in opening["links"])
    assert sum(opening["typeCounts"].values()) == sample_store.value("SELECT count(*) FROM entities")

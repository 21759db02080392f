"""entities.ftm.json: every line a valid entity of FollowTheMoney's model (checked by the
followthemoney library, strictly), every reference resolving, the counts the graph's."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from followthemoney import model

from graph.export.ftm import NAMED_TOGETHER, ftm_id, read_country_codes, write_ftm
from graph.model import Relation
from graph.pipeline import BuildOptions, build
from graph.store import STORE_NAME, Store
from tests.conftest import SAMPLE, extraction, recorded


def parse_strictly(path: Path) -> list[dict]:
    """The file's entities, each checked by FtM's model: a known, concrete schema, only its
    properties, the required ones present, every value valid for its type and unchanged by
    FtM's own cleaning."""
    entities = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        data = json.loads(line)
        assert set(data) == {"id", "schema", "properties"}, number
        schema = model.get(data["schema"])
        assert schema is not None and not schema.abstract, (number, data["schema"])
        for name, values in data["properties"].items():
            assert schema.get(name) is not None, (number, data["schema"], name)
            assert values and all(isinstance(v, str) for v in values), (number, name)
        schema.validate(data)
        assert all(data["properties"].get(name) for name in schema.required), (number, data)
        cleaned = model.get_proxy(data, cleaned=True).to_dict()
        assert cleaned["id"] == data["id"]
        assert {k: sorted(v) for k, v in cleaned["properties"].items()} == {
            k: sorted(v) for k, v in data["properties"].items()
        }, number
        entities.append(data)
    return entities


def references(entities: list[dict]) -> list[str]:
    """Every id a property of type entity points to."""
    found = []
    for data in entities:
        schema = model.get(data["schema"])
        for name, values in data["properties"].items():
            if schema.get(name).type.name == "entity":
                found += values
    return found


@pytest.fixture(scope="module")
def sample_ftm(sample_build, tmp_path_factory) -> list[dict]:
    path = tmp_path_factory.mktemp("sample-ftm") / "entities.ftm.json"
    with Store.read(sample_build[1] / STORE_NAME) as store:
        write_ftm(store, path)
    return parse_strictly(path)


def test_every_line_is_a_valid_entity_and_every_reference_resolves(sample_ftm):
    ids = [data["id"] for data in sample_ftm]
    assert len(ids) == len(set(ids))
    pointed = references(sample_ftm)
    assert pointed and set(pointed) <= set(ids)


def test_the_counts_are_the_graphs(sample_ftm, sample_store):
    countries = {e for (e,) in sample_store.rows("SELECT entity FROM countries")}
    assert countries  # Egypt, Israel, Qatar...: held as codes, not entities
    schemata = Counter(data["schema"] for data in sample_ftm)
    types = Counter(kind for e, kind in sample_store.rows("SELECT entity, type FROM entities") if e not in countries)
    links = sum(1 for s, t in sample_store.rows("SELECT source, target FROM links WHERE kept")
                if s not in countries and t not in countries)  # fmt: skip
    mentions = sum(1 for (e,) in sample_store.rows("SELECT entity FROM doc_entities") if e not in countries)
    assert (schemata["Person"], schemata["Organization"], schemata["Address"]) == (
        types["PERSON"], types["ORG"], types["PLACE"]
    )
    together = [d for d in sample_ftm if d["schema"] == "UnknownLink" and d["properties"]["role"] == [NAMED_TOGETHER]]
    assert len(together) == links > 20
    assert schemata["Document"] == sample_store.value("SELECT count(*) FROM documents")
    assert schemata["Documentation"] == mentions
    assert all(d["properties"].get("description") for d in together)
    # the sample's typed relations: a head of state, and countries as codes
    assert schemata["Occupancy"] and schemata["Position"]
    assert any("country" in d["properties"] for d in sample_ftm if d["schema"] == "Document")


def test_relations_take_their_ftm_schemata_and_countries_become_codes(tmp_path):
    made = extraction("d1", [("Hassan Rashad", "PERSON"), ("Hamas", "ORG"), ("Egypt", "PLACE"), ("Rafah", "PLACE"),
                             ("Fatah", "ORG")])  # fmt: skip
    statement = replace(made.statements[0], relations=(
        Relation(0, 1, "head_of", ""),  # person -> organization: Directorship
        Relation(0, 3, "head_of", ""),  # person -> place: Occupancy of a Position
        Relation(0, 4, "member_of", ""),  # Membership
        Relation(0, None, "citizen_of", "", "Egypt"),  # nationality
        Relation(1, 2, "based_in", ""),  # the organization's country
        Relation(4, 3, "based_in", ""),  # the organization's address
        Relation(3, 2, "located_in", ""),  # the address' country
        Relation(4, 1, "part_of", ""),  # Membership, role "part of"
    ))  # fmt: skip
    path = tmp_path / "entities.ftm.json"
    write_ftm(recorded([replace(made, statements=(statement,))]), path)
    entities = parse_strictly(path)
    by_id = {d["id"]: d for d in entities}
    node = {name: by_id[ftm_id("entity", name)]["properties"] for name in (
        "PERSON_hassan_rashad", "ORG_hamas", "ORG_fatah", "PLACE_rafah"
    )}  # fmt: skip
    assert ftm_id("entity", "PLACE_egypt") not in by_id
    assert node["PERSON_hassan_rashad"]["nationality"] == ["eg"]
    assert node["ORG_hamas"]["country"] == ["eg"]
    assert node["ORG_fatah"]["addressEntity"] == [ftm_id("entity", "PLACE_rafah")]
    assert node["PLACE_rafah"] == {"full": ["Rafah"], "country": ["eg"]}
    schemata = Counter(d["schema"] for d in entities)
    assert schemata["Directorship"] == schemata["Occupancy"] == schemata["Position"] == 1
    assert schemata["Membership"] == 2
    roles = sorted(d["properties"]["role"][0] for d in entities if d["schema"] == "Membership")
    assert roles == ["member of", "part of"]
    [position] = [d for d in entities if d["schema"] == "Position"]
    assert position["properties"]["name"] == ["Head of Rafah"]
    # Egypt's links are no UnknownLink: the four other entities make six pairs
    assert sum(d["schema"] == "UnknownLink" for d in entities) == 6
    [document] = [d for d in entities if d["schema"] == "Document"]
    assert document["properties"]["country"] == ["eg"]
    assert set(references(entities)) <= set(by_id)


def test_names_and_evidence_with_quotes_separators_and_other_scripts_stay_as_written(tmp_path):
    doc_id = 'doc "one",\ta;b\nc'
    names = [('Smith, Jones; "Partners" Ltd', "ORG"), ("Олег Петров", "PERSON"), ("Νίκος Παππάς", "PERSON")]
    made = extraction(doc_id, names)
    text = 'Олег Петров met\tΝίκος Παππάς; "no", then\nleft.'
    path = tmp_path / "entities.ftm.json"
    write_ftm(recorded([replace(made, statements=(replace(made.statements[0], text=text),))]), path)
    assert len(path.read_text(encoding="utf-8").splitlines()) == len(parse_strictly(path))  # one entity a line
    entities = parse_strictly(path)
    assert sorted(d["properties"]["name"][0] for d in entities if d["schema"] in ("Person", "Organization")) == sorted(
        name for name, _ in names
    )
    together = [d for d in entities if d["schema"] == "UnknownLink"]
    assert len(together) == 3 and all(d["properties"]["description"] == [text] for d in together)
    [document] = [d for d in entities if d["schema"] == "Document"]
    assert document["properties"]["fileName"] == [doc_id]


def test_every_country_of_the_demonym_table_has_a_code_ftm_accepts():
    from followthemoney.types import registry

    codes = read_country_codes()
    assert len(codes) > 100
    assert all(registry.country.clean(code) == code for code in codes.values())


def test_ids_are_stable_across_rebuilds(nlp, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    out = tmp_path / "out"
    options = BuildOptions(formats=("ftm",))
    build([corpus], out, options, nlp=nlp)
    first = {d["id"]: d for d in parse_strictly(out / "entities.ftm.json")}
    (corpus / "new.txt").write_text("Hassan Rashad met Khalil al-Hayya in Doha on Monday.\n", encoding="utf-8")
    build([corpus], out, options, nlp=nlp)
    second = {d["id"]: d for d in parse_strictly(out / "entities.ftm.json")}
    kept = [i for i, d in first.items() if d["schema"] in ("Person", "Organization", "Address", "Document")]
    assert kept and all(i in second and second[i]["schema"] == first[i]["schema"] for i in kept)
    assert len(second) > len(first)

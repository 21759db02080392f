"""The label table: which of a pipeline's entity labels become which type."""

from __future__ import annotations

import pytest

from graph.model import LABEL_SCHEMES, LABEL_TYPES, labels_of, unkept_types
from graph.nlp import model_labels


@pytest.mark.parametrize(
    ("label", "entity_type"),
    [
        pytest.param("PERSON", "PERSON", id="ontonotes-person"),
        pytest.param("GPE", "PLACE", id="ontonotes-gpe"),
        pytest.param("FAC", "PLACE", id="ontonotes-facility"),
        pytest.param("PER", "PERSON", id="wikiner-person"),
        pytest.param("LOC", "PLACE", id="wikiner-place"),
        pytest.param("ORG", "ORG", id="both-org"),
        pytest.param("persName", "PERSON", id="nkjp-person"),
        pytest.param("PS", "PERSON", id="klue-person"),
        pytest.param("PRS", "PERSON", id="suc-person"),
        pytest.param("GPE_ORG", "PLACE", id="norne-state-acting"),
    ],
)
def test_each_scheme_label_gathers_into_its_type(label, entity_type):
    assert LABEL_TYPES[label] == entity_type


@pytest.mark.parametrize(
    "label",
    [
        pytest.param("MISC", id="wikiner-misc"),
        pytest.param("NORP", id="nationalities"),
        pytest.param("DATE", id="dates"),
        pytest.param("WORK_OF_ART", id="works"),
    ],
)
def test_labels_of_no_kept_type_are_left_out(label):
    assert label not in LABEL_TYPES


def test_no_label_means_two_types_across_schemes():
    seen: dict[str, str] = {}
    for scheme in LABEL_SCHEMES.values():
        for label, entity_type in scheme.items():
            assert seen.setdefault(label, entity_type) == entity_type, label


def test_labels_of_the_chosen_types_only():
    assert set(labels_of(("PERSON",)).values()) == {"PERSON"}
    assert {"PER", "PERSON", "persName"} <= set(labels_of(("PERSON",)))
    assert "PER" not in labels_of(("ORG", "PLACE"))


@pytest.mark.parametrize(
    ("labels", "types", "missing"),
    [
        pytest.param(("PERSON", "ORG", "GPE", "DATE"), ("PERSON", "ORG", "PLACE"), (), id="ontonotes"),
        pytest.param(("LOC", "MISC", "ORG", "PER"), ("PERSON", "ORG", "PLACE"), (), id="wikiner"),
        pytest.param(("LOC", "ORG"), ("PERSON", "ORG", "PLACE"), ("PERSON",), id="no-people"),
        pytest.param(("PERSONNE", "LIEU"), ("PERSON", "PLACE"), ("PERSON", "PLACE"), id="unknown-scheme"),
        pytest.param(("LOC",), ("PLACE",), (), id="only-the-types-asked-for"),
    ],
)
def test_unkept_types_are_those_no_label_gives(labels, types, missing):
    assert unkept_types(labels, types) == missing


@pytest.mark.parametrize(
    ("model", "labels"),
    [
        pytest.param(None, {"PERSON", "ORG", "GPE", "LOC", "FAC"}, id="english"),
        pytest.param("fr_core_news_sm", {"PER", "ORG", "LOC", "MISC"}, id="french"),
    ],
)
def test_a_pipelines_labels_are_read_from_its_meta(model, labels):
    assert labels <= set(model_labels(model))

"""Role words per language: each language's module compiled into `RoleWords`, English's
for a language without one; the roles they give."""

from __future__ import annotations

import pytest

from graph.lang import data
from graph.relations.roles import RoleWords, Title, noun_role, role_words, verb_role


def test_a_language_without_role_words_reads_english() -> None:
    assert role_words("es") == role_words("en")
    assert role_words("fr") != role_words("en")


@pytest.mark.parametrize("lang", [pytest.param("en", id="en"), pytest.param("fr", id="fr")])
def test_every_constant_of_a_language_module_reaches_the_role_words(lang: str) -> None:
    constants = {name for name in vars(data(lang, "relations")) if name.isupper()}
    fields = {name.upper() for name in RoleWords.__dataclass_fields__} - {"INSIDE"} | {"IN"}
    assert constants == fields


@pytest.mark.parametrize(
    ("lang", "source", "target", "verb", "preposition", "role"),
    [
        pytest.param("en", "PERSON", "ORG", "lead", "", ("head_of", False), id="en-lead"),
        pytest.param("fr", "PERSON", "ORG", "diriger", "", ("head_of", False), id="fr-diriger"),
        pytest.param("fr", "PERSON", "ORG", "adhérer", "au", ("member_of", False), id="fr-adherer-au"),
        pytest.param("fr", "ORG", "PLACE", "baser", "à", ("based_in", False), id="fr-baser-a"),
        pytest.param("fr", "ORG", "ORG", "acquérir", "", ("part_of", True), id="fr-acquerir-reversed"),
        pytest.param("fr", "PERSON", "ORG", "lead", "", None, id="english-verb-not-french"),
    ],
)
def test_verbs_of_each_language_give_their_roles(lang, source, target, verb, preposition, role) -> None:
    assert verb_role(source, target, verb, preposition, False, role_words(lang)) == role


@pytest.mark.parametrize(
    ("lang", "titles", "words", "role"),
    [
        pytest.param("fr", [Title("présidente")], ["présidente", "de"], ("head_of", False), id="feminine-office"),
        pytest.param("fr", [Title("ministre", "première")], ["ministre", "de"], ("head_of", False), id="premiere-ministre"),
        pytest.param("fr", [Title("vice-président")], ["vice-président", "de"], ("member_of", False), id="vice-prefix"),
        pytest.param("fr", [], ["du"], ("member_of", False), id="of-alone-from-a-person-to-an-org"),
        pytest.param("en", [Title("vice-president")], ["vice-president", "of"], None, id="english-has-no-prefixes"),
    ],
)
def test_offices_of_each_language_give_their_roles(lang, titles, words, role) -> None:
    assert noun_role("PERSON", "ORG", titles, words, "", role_words(lang)) == role

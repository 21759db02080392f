"""Relations read from a Universal Dependencies parse (French pipelines: obj, obl and nmod
with their case word, a copula under its predicate) with the French role words, on
hand-built parses: what the English rules give for the English equivalents."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from graph.model import Relation
from graph.relations.parse import Grammar, read_relations
from graph.relations.roles import role_words

FRENCH = Grammar(role_words("fr"), universal=True)
DEMONYMS = {"égyptien": "Egypt", "israélien": "Israel", "égyptienne": "Egypt"}
VOCAB = spacy.blank("fr").vocab


def parsed(rows: str) -> Doc:
    """A parse from rows of `word head dep pos lemma [morph]` (head: the row number, from 0)."""
    table = [line.split() for line in rows.strip().splitlines()]
    return Doc(
        VOCAB,
        words=[r[0] for r in table],
        heads=[int(r[1]) for r in table],
        deps=[r[2] for r in table],
        pos=[r[3] for r in table],
        lemmas=[r[4] for r in table],
        morphs=[r[5] if len(r) > 5 else "" for r in table],
    )


def names(doc: Doc, *spans: tuple[int, int, str]) -> list[tuple[int, int, str]]:
    """Character spans of names given as token ranges."""
    return [(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), label) for start, end, label in spans]


MACRON = """
Emmanuel 8 nsubj PROPN Emmanuel
Macron 0 flat:name PROPN Macron
, 0 punct PUNCT ,
président 0 appos NOUN président
de 6 case ADP de
la 6 det DET le
France 3 nmod PROPN France
, 8 punct PUNCT ,
parle 8 ROOT VERB parler
"""
SPOKESMAN = """
Zouhri 0 ROOT PROPN Zouhri
, 0 punct PUNCT ,
porte-parole 0 appos NOUN porte-parole
du 4 case ADP de
Hamas 2 nmod PROPN Hamas
"""
LEADER_BEFORE_NAME = """
le 1 det DET le
dirigeant 1 ROOT NOUN dirigeant
du 3 case ADP de
Hamas 1 nmod PROPN Hamas
Haniyeh 1 appos PROPN Haniyeh
"""
LEADS = """
Haniyeh 1 nsubj PROPN Haniyeh
dirige 1 ROOT VERB diriger
le 3 det DET le
Hamas 1 obj PROPN Hamas
"""
NOT_JOINED = """
Haniyeh 4 nsubj PROPN Haniyeh
n' 4 advmod ADV ne Polarity=Neg
a 4 aux:tense AUX avoir
pas 4 advmod ADV pas Polarity=Neg
rejoint 4 ROOT VERB rejoindre
le 6 det DET le
Fatah 4 obj PROPN Fatah
"""
RECEIVED_BY = """
Haniyeh 3 nsubj:pass PROPN Haniyeh
a 3 aux:tense AUX avoir
été 3 aux:pass AUX être
reçu 3 ROOT VERB recevoir VerbForm=Part|Tense=Past|Voice=Pass
par 5 case ADP par
Sissi 3 obl:agent PROPN Sissi
"""
WORKS_FOR = """
Dupont 1 nsubj PROPN Dupont
travaille 1 ROOT VERB travailler
pour 3 case ADP pour
Renault 1 obl:arg PROPN Renault
"""
WHO_LEADS = """
Haniyeh 7 nsubj PROPN Haniyeh
, 0 punct PUNCT ,
qui 3 nsubj PRON qui PronType=Rel
dirige 0 acl:relcl VERB diriger
le 5 det DET le
Hamas 3 obj PROPN Hamas
, 7 punct PUNCT ,
parle 7 ROOT VERB parler
"""
BASED_AT = """
Airbus 6 nsubj PROPN Airbus
, 0 punct PUNCT ,
basée 0 acl VERB baser VerbForm=Part|Tense=Past
à 4 case ADP à
Toulouse 2 obl:arg PROPN Toulouse
, 6 punct PUNCT ,
annonce 6 ROOT VERB annoncer
"""
IS_PRESIDENT = """
Dupont 3 nsubj PROPN Dupont
est 3 cop AUX être
le 3 det DET le
président 3 ROOT NOUN président
de 5 case ADP de
Renault 3 nmod PROPN Renault
"""
HEADQUARTERS = """
le 1 det DET le
siège 8 nsubj NOUN siège
de 4 case ADP de
l' 4 det DET le
ONU 1 nmod PROPN ONU
à 6 case ADP à
Genève 1 nmod PROPN Genève
est 8 cop AUX être
grand 8 ROOT ADJ grand
"""
CITY_OF = """
Lyon 0 ROOT PROPN Lyon
, 0 punct PUNCT ,
une 3 det DET un
ville 0 appos NOUN ville
de 5 case ADP de
France 3 nmod PROPN France
"""
BOUGHT = """
LVMH 2 nsubj PROPN LVMH
a 2 aux:tense AUX avoir
racheté 2 ROOT VERB racheter VerbForm=Part|Tense=Past
Tiffany 2 obj PROPN Tiffany
"""


def office(title: str, modifier: str = "", after: bool = True) -> Doc:
    """"Dupont, <title> [<modifier>] de Renault", the modifier after the office or before it."""
    rows = ["Dupont 0 ROOT PROPN Dupont", ", 0 punct PUNCT ,"]
    if modifier and not after:
        rows += [f"{modifier} 3 amod ADJ {modifier}", f"{title} 0 appos NOUN {title}"]
    else:
        rows += [f"{title} 0 appos NOUN {title}"] + ([f"{modifier} 2 amod ADJ {modifier}"] if modifier else [])
    noun = len(rows) - (1 if modifier and after else 0) - 1
    rows += [f"de {len(rows) + 1} case ADP de", f"Renault {noun} nmod PROPN Renault"]
    return parsed("\n".join(rows))


CASES = [
    pytest.param(MACRON, [(0, 2, "PERSON"), (6, 7, "PLACE")], (Relation(0, 1, "head_of", "président de"),), id="apposition-title-of-nmod-with-case"),
    pytest.param(SPOKESMAN, [(0, 1, "PERSON"), (4, 5, "ORG")], (Relation(0, 1, "member_of", "porte-parole du"),), id="spokesman-is-member-of"),
    pytest.param(LEADER_BEFORE_NAME, [(3, 4, "ORG"), (4, 5, "PERSON")], (Relation(1, 0, "head_of", "dirigeant du"),), id="title-before-the-name-points-from-the-person"),
    pytest.param(LEADS, [(0, 1, "PERSON"), (3, 4, "ORG")], (Relation(0, 1, "head_of", "diriger"),), id="verb-of-leading-obj"),
    pytest.param(NOT_JOINED, [(0, 1, "PERSON"), (6, 7, "ORG")], (Relation(0, 1, "", "ne pas rejoindre"),), id="negation-kept-in-phrase-and-drops-the-role"),
    pytest.param(RECEIVED_BY, [(0, 1, "PERSON"), (5, 6, "PERSON")], (Relation(1, 0, "", "recevoir"),), id="passive-agent-turned-active"),
    pytest.param(WORKS_FOR, [(0, 1, "PERSON"), (3, 4, "ORG")], (Relation(0, 1, "member_of", "travailler pour"),), id="obl-with-case-is-the-preposition"),
    pytest.param(WHO_LEADS, [(0, 1, "PERSON"), (5, 6, "ORG")], (Relation(0, 1, "head_of", "diriger"),), id="relative-clause-speaks-of-its-noun"),
    pytest.param(BASED_AT, [(0, 1, "ORG"), (4, 5, "PLACE")], (Relation(0, 1, "based_in", "baser à"),), id="participle-based-at"),
    pytest.param(IS_PRESIDENT, [(0, 1, "PERSON"), (5, 6, "ORG")], (Relation(0, 1, "head_of", "président de"),), id="copula-under-its-predicate"),
    pytest.param(HEADQUARTERS, [(4, 5, "ORG"), (6, 7, "PLACE")], (Relation(0, 1, "based_in", "de siège à"),), id="headquarters-of-at"),
    pytest.param(CITY_OF, [(0, 1, "PLACE"), (5, 6, "PLACE")], (Relation(0, 1, "located_in", "ville de"),), id="city-of-its-country"),
    pytest.param(BOUGHT, [(0, 1, "ORG"), (3, 4, "ORG")], (Relation(1, 0, "part_of", "racheter"),), id="bought-is-part-of-the-buyer"),
]


@pytest.mark.parametrize(("rows", "spans", "expected"), CASES)
def test_relations_read_from_a_universal_dependencies_parse(rows: str, spans, expected) -> None:
    doc = parsed(rows)
    assert read_relations(doc, names(doc, *spans), DEMONYMS, grammar=FRENCH) == expected


@pytest.mark.parametrize(
    ("title", "modifier", "after", "role"),
    [
        pytest.param("directeur", "", True, "head_of", id="director-heads"),
        pytest.param("directeur", "adjoint", True, "member_of", id="deputy-after-the-office"),
        pytest.param("vice-président", "", True, "member_of", id="deputy-prefix-in-the-word"),
        pytest.param("secrétaire", "général", True, "head_of", id="secretary-general-heads"),
        pytest.param("ministre", "premier", False, "head_of", id="prime-minister-heads"),
        pytest.param("ministre", "", True, "member_of", id="minister-is-a-member"),
    ],
)
def test_words_beside_an_office_make_it_another(title: str, modifier: str, after: bool, role: str) -> None:
    doc = office(title, modifier, after)
    spans = names(doc, (0, 1, "PERSON"), (len(doc) - 1, len(doc), "ORG"))
    ((relation),) = read_relations(doc, spans, DEMONYMS, grammar=FRENCH)
    assert (relation.source, relation.target, relation.role) == (0, 1, role)


SISSI = """
le 1 det DET le
président 6 nsubj NOUN président
égyptien 1 amod ADJ égyptien
Abdel 1 appos PROPN Abdel
Fattah 3 flat:name PROPN Fattah
Sissi 3 flat:name PROPN Sissi
parle 6 ROOT VERB parler
"""
NETANYAHU = """
le 2 det DET le
Premier 2 amod ADJ premier
ministre 6 nsubj NOUN ministre
israélien 2 amod ADJ israélien
Benyamin 2 nmod PROPN Benyamin
Nétanyahou 4 flat:name PROPN Nétanyahou
parle 6 ROOT VERB parler
"""
MINISTER = """
la 1 det DET le
ministre 5 nsubj NOUN ministre
égyptienne 1 amod ADJ égyptien
Rania 1 appos PROPN Rania
Machat 3 flat:name PROPN Machat
parle 5 ROOT VERB parler
"""
ACTOR = """
Dupont 3 nsubj PROPN Dupont
est 3 cop AUX être
un 3 det DET un
acteur 3 ROOT NOUN acteur
égyptien 3 amod ADJ égyptien
"""

BROKEN_NAME = """
le 1 det DET le
président 1 ROOT NOUN président
égyptien 1 amod ADJ égyptien
Abdel 1 appos PROPN Abdel
al 3 flat:name PROPN al
- 5 ROOT PUNCT -
Sissi 7 nsubj PROPN Sissi
parle 7 ROOT VERB parler
"""


@pytest.mark.parametrize(
    ("rows", "span", "roles"),
    [
        pytest.param(SISSI, (3, 6), ("citizen_of", "head_of"), id="president-leads-the-country-of-his-adjective"),
        pytest.param(NETANYAHU, (4, 6), ("citizen_of", "head_of"), id="prime-minister-before-a-proper-noun-modifier"),
        pytest.param(MINISTER, (3, 5), ("citizen_of",), id="minister-is-only-a-citizen"),
        pytest.param(ACTOR, (0, 1), ("citizen_of",), id="copula-predicate-carries-the-adjective"),
        pytest.param(BROKEN_NAME, (3, 7), ("citizen_of", "head_of"), id="a-name-the-parser-broke-hangs-by-each-piece"),
    ],
)
def test_a_nationality_adjective_names_the_country(rows: str, span: tuple[int, int], roles: tuple[str, ...]) -> None:
    doc = parsed(rows)
    found = read_relations(doc, names(doc, (*span, "PERSON")), DEMONYMS, grammar=FRENCH)
    country = "Israel" if "israélien" in rows else "Egypt"
    assert found == tuple(Relation(0, None, role, "", country) for role in roles)


def test_read_as_clearnlp_labels_a_case_word_is_off_the_path() -> None:
    """The same parse read as ClearNLP's (where `case` is a possessive's "'s"): the
    preposition under the noun is not joined to the office."""
    doc = parsed(MACRON)
    spans = names(doc, (0, 2, "PERSON"), (6, 7, "PLACE"))
    assert read_relations(doc, spans, DEMONYMS, grammar=Grammar(role_words("fr"))) == (
        Relation(0, 1, "head_of", "président"),
    )

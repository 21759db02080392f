"""The resolver: one node per real-world entity, and a record of why.

Unit tests build extractions by hand from marked-up sentences ("[Sisi|ORG] said");
the end-to-end tests run the real model once on the sample corpus.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.errors import InputError
from graph.model import Entity, Extraction, Mention, Resolution, Statement
from graph.resolve import read_aliases, resolve
from graph.store.graphs import resolution_of

REPO = Path(__file__).resolve().parent.parent
_MARK = re.compile(r"\[([^|\]]+)\|([A-Z]+)\]")


def doc(doc_id: str, *sentences: str) -> Extraction:
    """An extraction from sentences whose names are marked "[Name|TYPE]"; offsets are
    those of the unmarked text, sentences joined by one space."""
    statements = []
    offset = 0
    for marked in sentences:
        text, mentions, last = "", [], 0
        for match in _MARK.finditer(marked):
            text += marked[last : match.start()]
            name, label = match.groups()
            start = offset + len(text)
            mentions.append(Mention(start, start + len(name), name, name, label, label, name))
            text += name
            last = match.end()
        text += marked[last:]
        statements.append(Statement(offset, offset + len(text), text, tuple(mentions)))
        offset += len(text) + 1
    return Extraction(doc_id, tuple(statements), len(sentences))


def entity_named(resolution: Resolution, name: str) -> Entity:
    found = [e for e in resolution.entities.values() if name in e.aliases]
    assert len(found) == 1, f"{name!r} is in {len(found)} entities: {found}"
    return found[0]


def names(resolution: Resolution) -> set[str]:
    return {e.name for e in resolution.entities.values()}


# --- within a document -------------------------------------------------------------


@pytest.mark.parametrize(
    "sentences, short, full",
    [
        pytest.param(
            ("[Benjamin Netanyahu|PERSON] spoke.", "[Netanyahu|PERSON] left."),
            "Netanyahu", "Benjamin Netanyahu", id="surname-after",
        ),
        pytest.param(
            ("[Netanyahu|PERSON] spoke.", "Later [Benjamin Netanyahu|PERSON] left."),
            "Netanyahu", "Benjamin Netanyahu", id="surname-before",
        ),
        pytest.param(
            ("[Benjamin Netanyahu|PERSON] spoke.", "[Benjamin|PERSON] left."),
            "Benjamin", "Benjamin Netanyahu", id="first-name",
        ),
        pytest.param(
            ("[Hassan Rashad|PERSON] led.", "[Rashad|PERSON] said."),
            "Rashad", "Hassan Rashad", id="rashad",
        ),
        pytest.param(
            ("[Abdel Fattah al-Sisi|PERSON] met them.", "[Sisi|ORG] called."),
            "Sisi", "Abdel Fattah al-Sisi", id="surname-without-article-mistyped",
        ),
        pytest.param(
            ("The [United States Air Force|ORG] flew.", "The [Air Force|ORG] said."),
            "Air Force", "United States Air Force", id="organization-tail",
        ),
        pytest.param(
            ("The [United States|PLACE] agreed.", "The [US|PLACE] said."),
            "US", "United States", id="acronym-by-initials",
        ),
        pytest.param(
            ("The [European Union|ORG] ([EU|ORG]) met.",),
            "EU", "European Union", id="acronym-in-parentheses",
        ),
        pytest.param(
            ("The [Islamic Resistance Movement|ORG] ([Hamas|ORG]) met.", "[Hamas|ORG] said."),
            "Islamic Resistance Movement", "Hamas", id="name-in-parentheses",
        ),
    ],
)
def test_short_names_join_their_full_name(sentences, short, full):
    resolution = resolve([doc("d1", *sentences)])
    entity = entity_named(resolution, short)
    assert full in entity.aliases
    assert entity_named(resolution, full) == entity
    assert any(line.startswith(f"{short}: ") for line in entity.merges), entity.merges


def test_person_keeps_full_name_and_type():
    resolution = resolve([doc("d1", "[Abdel Fattah al-Sisi|PERSON] met.", "[Sisi|ORG] said.")])
    (entity,) = resolution.entities.values()
    assert (entity.name, entity.type, entity.id) == (
        "Abdel Fattah al-Sisi", "PERSON", "PERSON_abdel_fattah_al_sisi"
    )
    assert entity.merges == ("Sisi: short form of Abdel Fattah al-Sisi in d1",)


def test_ambiguous_short_name_stays_apart():
    resolution = resolve([doc("d1", "[Donald Trump|PERSON] and [Melania Trump|PERSON] came.", "[Trump|PERSON] spoke.")])
    assert names(resolution) == {"Donald Trump", "Melania Trump", "Trump"}


def test_a_son_is_not_his_father():
    resolution = resolve([doc("d1", "[Donald Trump|PERSON] and [Donald Trump Jr.|PERSON] spoke.")])
    assert names(resolution) == {"Donald Trump", "Donald Trump Jr."}
    resolution = resolve([doc("d1", "[Martin Luther King Jr.|PERSON] marched.", "[King|PERSON] spoke.")])
    assert names(resolution) == {"Martin Luther King Jr."}


def test_an_acronym_is_not_taken_for_a_surname():
    resolution = resolve([doc("d1", "[Pro-Beijing DAB|PERSON] won.", "The [DAB|ORG] said.")])
    assert names(resolution) == {"Pro-Beijing DAB", "DAB"}


def test_an_acronym_stands_for_a_name_of_its_own_type():
    resolution = resolve([doc("d1", "The [University of Sheffield|ORG] found [US|PLACE] emissions rose.")])
    assert names(resolution) == {"University of Sheffield", "US"}


def test_a_place_is_not_taken_for_a_surname():
    resolution = resolve([doc("d1", "[Denzel Washington|PERSON] flew to [Washington|PLACE].")])
    assert names(resolution) == {"Denzel Washington", "Washington"}


def test_places_do_not_join_by_tail():
    # "Sudan" is not "South Sudan", nor "Gaza" the "Gaza Strip": places differ by qualifier.
    resolution = resolve([doc("d1", "In [Gaza Strip|PLACE] and [Gaza|PLACE] and [Sudan|PLACE] and [South Sudan|PLACE].")])
    assert names(resolution) == {"Gaza Strip", "Gaza", "Sudan", "South Sudan"}


def test_place_in_parentheses_is_not_an_alias():
    resolution = resolve([doc("d1", "They reached [Herat|PLACE] ([Afghanistan|PLACE]).")])
    assert names(resolution) == {"Herat", "Afghanistan"}


# --- across the corpus ---------------------------------------------------------------


def test_same_name_is_one_node_across_documents():
    resolution = resolve([doc("a", "[Hamas|ORG] said."), doc("b", "[hamas|ORG] and [Hamas|ORG] said.")])
    assert names(resolution) == {"Hamas"}
    assert len(resolution.links) == 2


@pytest.mark.parametrize(
    "documents, name",
    [
        pytest.param(
            (("[NEW YORK|PLACE] 1996-11-25", "[NEW YORK|PLACE] 1996-11-26"), ("Rain in [New York|PLACE].",)),
            "New York", id="dateline-capitals-lose-to-the-body-spelling",
        ),
        pytest.param(
            (("[DESMOND HARPER|PERSON] OUT",), ("[Desmond Harper|PERSON] fell.", "[Harper|PERSON] left.")),
            "Desmond Harper", id="person-in-capitals",
        ),
        pytest.param((("[BBC|ORG] said.", "The [BBC|ORG] agreed."),), "BBC", id="acronym-only-in-capitals"),
        pytest.param((("[LONDON|PLACE] 1996-09-05",),), "LONDON", id="no-other-spelling-in-the-corpus"),
    ],
)
def test_a_name_in_capitals_is_labelled_as_the_corpus_writes_it(documents, name):
    resolution = resolve([doc(f"d{i}", *sentences) for i, sentences in enumerate(documents)])
    assert names(resolution) == {name}


def test_short_form_joins_a_dominant_full_name_across_documents():
    corpus = [doc(f"full{i}", "[Benjamin Netanyahu|PERSON] spoke.") for i in range(8)]
    corpus += [doc("other", "[Yonatan Netanyahu|PERSON] fell."), doc("short", "[Netanyahu|PERSON] left.")]
    resolution = resolve(corpus)
    entity = entity_named(resolution, "Netanyahu")
    assert entity.name == "Benjamin Netanyahu"
    assert any("70%" in line for line in entity.merges)


def test_short_form_stays_apart_when_no_full_name_dominates():
    corpus = [doc("a", "[Benjamin Netanyahu|PERSON] spoke."), doc("b", "[Yonatan Netanyahu|PERSON] fell.")]
    corpus.append(doc("c", "[Netanyahu|PERSON] left."))
    assert "Netanyahu" in names(resolve(corpus))


def test_local_short_form_does_not_leak_to_other_documents():
    corpus = [doc("a", "[Hassan Rashad|PERSON] and [Rashad|PERSON]."), doc("b", "[Rashad|PERSON] sang.")]
    corpus += [doc(f"c{i}", "[Ali Rashad|PERSON] sang.") for i in range(5)]
    resolution = resolve(corpus)
    assert resolution.links[("a", len("Hassan Rashad and "), len("Hassan Rashad and Rashad"))] == "PERSON_hassan_rashad"
    assert resolution.links[("b", 0, len("Rashad"))] == "PERSON_ali_rashad"


def test_majority_type_wins():
    corpus = [doc("a", "[Al-Araby Al-Jadeed|ORG] reported."), doc("b", "[Al-Araby Al-Jadeed|ORG] said.")]
    corpus.append(doc("c", "[Al-Araby Al-Jadeed|PERSON] wrote."))
    (entity,) = resolve(corpus).entities.values()
    assert entity.type == "ORG"


@pytest.mark.parametrize(
    "sentences, lone, full",
    [
        pytest.param(
            ("[Reuters|ORG] quoted [Bassem Naim|PERSON].", "[Naeem|ORG] explained it."),
            "Naeem", "Bassem Naim", id="transliteration-typed-org",
        ),
        pytest.param(
            ("[Lydia Buchtmann|PERSON] spoke.", "[Bauchtman|PERSON] added more."),
            "Bauchtman", "Lydia Buchtmann", id="misspelling",
        ),
        pytest.param(
            ("[Ismail Haniyeh|PERSON] spoke.", "[Haniya|PERSON] left."),
            "Haniya", "Ismail Haniyeh", id="final-h",
        ),
        pytest.param(
            ("[Abdel Fattah al-Sisi|PERSON] met them.", "[Seesi|PERSON] called."),
            "Seesi", "Abdel Fattah al-Sisi", id="surname-without-article",
        ),
    ],
)
def test_lone_surname_spelled_another_way_joins_the_full_name(sentences, lone, full):
    entity = entity_named(resolve([doc("d1", *sentences)]), lone)
    assert (entity.name, entity.type) == (full, "PERSON")
    assert f"{lone}: the surname of {full} spelled another way in d1" in entity.merges


@pytest.mark.parametrize(
    "corpus",
    [
        pytest.param([doc("d1", "[Saddam Hussein|PERSON] and [Hassan|PERSON] met.")], id="three-letters-apart"),
        pytest.param([doc("d1", "[Bassem Naim|PERSON] and [Nima Naem|PERSON] and [Naeem|PERSON].")], id="ambiguous"),
        pytest.param([doc("d1", "[Jalal Oman|PERSON] flew to [Omaan|PLACE].")], id="typed-place"),
        pytest.param([doc("d1", "[Jane Nasa|PERSON] and [NAASA|ORG].")], id="acronym"),
        pytest.param([doc("d1", "[Bassem Naim|PERSON] spoke."), doc("d2", "[Naeem|ORG] explained.")], id="other-document"),
        pytest.param([doc("d1", "[Bassem Naim|PERSON] and [Abu Naeem|PERSON].")], id="two-full-names"),
    ],
)
def test_names_that_only_sound_alike_stay_apart(corpus):
    resolution = resolve(corpus)
    assert not any("spelled another way" in line for e in resolution.entities.values() for line in e.merges)


@pytest.mark.parametrize(
    "corpus, outlet, web",
    [
        pytest.param(
            [doc("d1", "Sources told [Al Jazeera|ORG].", "They said to [Al Jazeera Net|ORG] that it ended.")],
            "Al Jazeera", "Al Jazeera Net", id="net-same-document",
        ),
        pytest.param(
            [doc("a", "[BBC News|ORG] said."), doc("b", "[BBC News Online|ORG] wrote it.")],
            "BBC News", "BBC News Online", id="online-across-documents",
        ),
        pytest.param(
            [doc("a", "[Ynet|ORG] said."), doc("b", "[Ynet.com|PERSON] wrote.", "[Ynet.com|PERSON] added.")],
            "Ynet", "Ynet.com", id="dot-com-mistyped-and-more-used",
        ),
    ],
)
def test_an_outlets_web_edition_is_the_outlet(corpus, outlet, web):
    entity = entity_named(resolve(corpus), web)
    assert (entity.name, entity.type) == (outlet, "ORG")
    assert any(line.startswith(f"{web}: the web edition of {outlet} in ") for line in entity.merges), entity.merges


@pytest.mark.parametrize(
    "corpus",
    [
        pytest.param([doc("d1", "[Politico.com|ORG] wrote.")], id="outlet-never-named"),
        pytest.param([doc("d1", "Along the [Amazon|PLACE], [Amazon.com|ORG] delivers.")], id="named-after-a-place"),
        pytest.param([doc("d1", "[Sky|ORG] and [Skynet|ORG] and [Internet|ORG].")], id="no-suffix"),
    ],
)
def test_web_suffix_alone_joins_nothing(corpus):
    resolution = resolve(corpus)
    assert all(len(e.aliases) == 1 for e in resolution.entities.values())


# --- type from context ---------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, name",
    [
        pytest.param("An official told the [Ynet|PERSON] website that talks stalled.", "Ynet", id="x-website"),
        pytest.param("The [Xinhua|PERSON] news agency reported it.", "Xinhua", id="x-news-agency"),
        pytest.param("[Kan|PERSON] radio said so.", "Kan", id="x-radio"),
        pytest.param("It was led by the head of [Shin Bet|PERSON], Ronen Bar.", "Shin Bet", id="head-of-x"),
        pytest.param("A spokesman for the [Shabak|PERSON] denied it.", "Shabak", id="spokesman-for-the-x"),
        pytest.param("Jann Wenner, editor of [Rolling Stone|PERSON], came.", "Rolling Stone", id="editor-of-x"),
    ],
)
def test_context_says_a_name_the_model_took_for_a_person_is_an_organization(sentence, name):
    # A first sentence shifts the statement's offset: cues are read in the right place.
    resolution = resolve([doc("d1", "[Hamas|ORG] met in [Cairo|PLACE].", sentence)])
    assert entity_named(resolution, name).type == "ORG"


@pytest.mark.parametrize(
    "sentence, name",
    [
        pytest.param("Devocht had told [Montalvo|PERSON] he would help.", "Montalvo", id="told-x"),
        pytest.param("According to [Rathbun|PERSON], it was fake.", "Rathbun", id="according-to-x"),
        pytest.param("Prompted by the [Tom Cruise|PERSON] video, fans wrote.", "Tom Cruise", id="the-x-modifier"),
        pytest.param("He played the [Joker|PERSON].", "Joker", id="the-x-alone"),
        pytest.param("The head of [Smith|PERSON]'s team spoke.", "Smith", id="office-of-a-possessor"),
        pytest.param("[Musk|PERSON]'s company grew.", "Musk", id="possessive"),
        pytest.param("The [Obama|PERSON] foundation opened.", "Obama", id="x-foundation"),
    ],
)
def test_context_that_fits_a_person_leaves_the_type_alone(sentence, name):
    resolution = resolve([doc("d1", "[Hamas|ORG] met in [Cairo|PLACE].", sentence)])
    assert entity_named(resolution, name).type == "PERSON"


def test_context_only_retypes_what_the_model_called_a_person():
    resolution = resolve([doc("d1", "The [Israel|PLACE] radio said.", "The head of [Hamas|ORG] came.")])
    assert {e.name: e.type for e in resolution.entities.values()} == {"Israel": "PLACE", "Hamas": "ORG"}


def test_context_votes_with_the_other_mentions():
    corpus = [doc("a", "[Ynet|PERSON] said.", "[Ynet|PERSON] wrote."), doc("b", "The [Ynet|PERSON] website said.")]
    assert entity_named(resolve(corpus), "Ynet").type == "PERSON"
    corpus.append(doc("c", "The head of [Ynet|PERSON] and the [Ynet|PERSON] website."))
    assert entity_named(resolve(corpus), "Ynet").type == "ORG"


# --- junk ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("ceasefire", id="lowercase"),
        pytest.param("2024", id="number"),
        pytest.param("X", id="single-character"),
        pytest.param("Arab's", id="possessive"),
    ],
)
def test_junk_is_dropped(name: str):
    resolution = resolve([doc("d1", f"[{name}|ORG] and [Hamas|ORG].")])
    assert names(resolution) == {"Hamas"}
    assert len(resolution.links) == 1


def test_headline_word_is_dropped_but_a_name_is_not():
    corpus = doc(
        "d1",
        "[Ceasefire|PERSON] talks in [Cairo|PLACE] stall.",
        "A ceasefire in [Gaza|PLACE] needs a ceasefire deal.",
        "[May|PERSON] spoke; [Theresa May|PERSON] may go in may.",
    )
    assert names(resolve([corpus])) == {"Cairo", "Gaza", "Theresa May"}


# --- user control --------------------------------------------------------------------


def test_aliases_csv_and_exclude(tmp_path: Path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("name,alias,type\nThe New Arab,Al-Araby Al-Jadeed,ORG\nThe New Arab,New Arab,\n")
    exclude = tmp_path / "exclude.txt"
    exclude.write_text("# photo credits\nGetty\n")
    corpus = [
        doc("a", "[Al-Araby Al-Jadeed|PERSON] said.", "[Getty|ORG] photo."),
        doc("b", "[New Arab|ORG] reported."),
    ]
    resolution = resolve(corpus, aliases_path=aliases, exclude_path=exclude)
    (entity,) = resolution.entities.values()
    assert (entity.name, entity.type) == ("The New Arab", "ORG")
    assert set(entity.aliases) == {"Al-Araby Al-Jadeed", "New Arab"}
    assert "Al-Araby Al-Jadeed: listed as an alias of The New Arab in the aliases file" in entity.merges


def test_aliases_yaml(tmp_path: Path):
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("Hamas:\n  type: ORG\n  aliases: [Islamic Resistance Movement]\nUnited States: [US, USA]\n")
    table = read_aliases(aliases)
    assert table["islamic resistance movement"].name == "Hamas"
    assert table["hamas"].type == "ORG"
    assert table["usa"].name == "United States" and table["usa"].type is None


@pytest.mark.parametrize(
    "filename, content, problem",
    [
        pytest.param("a.csv", "canonical,other\nA,B\n", "header", id="csv-header"),
        pytest.param("a.csv", "name,alias,type\nA,B,THING\n", "unknown type", id="unknown-type"),
        pytest.param("a.csv", "name,alias\nA,X\nB,X\n", "alias of both", id="conflict"),
        pytest.param("a.yaml", "A: [B\n", "not valid YAML", id="bad-yaml"),
        pytest.param("a.yaml", "- A\n- B\n", "must map", id="yaml-list"),
        pytest.param("a.txt", "A,B\n", ".csv, .yaml", id="suffix"),
    ],
)
def test_bad_alias_files_name_the_file_and_problem(tmp_path: Path, filename, content, problem):
    path = tmp_path / filename
    path.write_text(content)
    with pytest.raises(InputError, match=re.escape(str(path))) as error:
        resolve([doc("d", "[A|ORG].")], aliases_path=path)
    assert problem in str(error.value)


def test_missing_files_raise_input_error(tmp_path: Path):
    with pytest.raises(InputError, match="aliases file not found"):
        resolve([], aliases_path=tmp_path / "none.csv")
    with pytest.raises(InputError, match="exclude file not found"):
        resolve([], exclude_path=tmp_path / "none.txt")


def test_shipped_examples_load():
    assert read_aliases(REPO / "data" / "aliases.example.csv")
    resolve([doc("d", "[Reuters|ORG].")], exclude_path=REPO / "data" / "exclude.example.txt")


# --- output shape --------------------------------------------------------------------


def test_output_is_deterministic_and_ids_are_nmtokens():
    corpus = [
        doc("a", "[Benjamin Netanyahu|PERSON] met [Sisi|ORG] in [Cairo|PLACE].", "[Netanyahu|PERSON] left."),
        doc("b", "[Abdel Fattah al-Sisi|PERSON] and [Sisi|PERSON] and [Hamas|ORG]."),
        doc("c", "[Hamas|ORG] and the [Islamic Resistance Movement|ORG] ([Hamas|ORG])."),
    ]
    first, second = resolve(corpus), resolve(list(reversed(corpus)))
    assert first == second
    assert list(first.entities) == sorted(first.entities, key=lambda i: (first.entities[i].name, i))
    for entity_id in first.entities:
        assert re.fullmatch(r"[\w.-]+", entity_id)


def test_many_distinct_people_each_keep_their_own_surname():
    # Scaling with corpus size is measured in benchmarks/resolve_scaling.py.
    corpus = [
        doc(f"d{i}", *(f"[First{i}x{j} Last{i}x{j}|PERSON] and [Last{i}x{j}|PERSON]." for j in range(50)))
        for i in range(20)
    ]
    resolution = resolve(corpus)
    assert len(resolution.entities) == 1_000
    assert all(len(e.aliases) == 2 for e in resolution.entities.values())


# --- properties ----------------------------------------------------------------------

name_strategy = st.text(
    alphabet=st.sampled_from("AaBbCcEe- .'’()Sisl1"), min_size=1, max_size=14
).filter(lambda s: "[" not in s and "|" not in s)
label_strategy = st.sampled_from(["PERSON", "ORG", "PLACE"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.tuples(name_strategy, label_strategy), min_size=1, max_size=4), min_size=1, max_size=4))
def test_resolution_never_crashes_and_names_are_never_blank(sentences):
    corpus = doc("d", *(" and ".join(f"[{n}|{t}]" for n, t in s) + "." for s in sentences))
    resolution = resolve([corpus])
    for entity in resolution.entities.values():
        assert entity.name.strip() and entity.name == entity.name.strip()
        assert entity.name in entity.aliases
    assert set(resolution.links.values()) == set(resolution.entities)
    # Resolving a canonical name on its own gives itself back.
    for entity in resolution.entities.values():
        again = resolve([doc("x", f"[{entity.name}|{entity.type}].")])
        assert [(e.name, e.type) for e in again.entities.values()] == [(entity.name, entity.type)]


# --- the sample corpus, with the real model ------------------------------------------


@pytest.fixture(scope="module")
def sample(sample_extractions) -> Resolution:
    return resolve(sample_extractions)


def test_the_store_resolves_the_sample_as_the_resolver_does(sample: Resolution, sample_store) -> None:
    """The same rules, once over a store on disk and once in memory, give the same entities."""
    assert resolution_of(sample_store).links == sample.links
    assert set(resolution_of(sample_store).entities.values()) == set(sample.entities.values())


@pytest.mark.parametrize(
    "name, forms",
    [
        pytest.param("Benjamin Netanyahu", {"Netanyahu", "Benjamin"}, id="netanyahu"),
        pytest.param("Abdel Fattah al-Sisi", {"Sisi"}, id="sisi"),
        pytest.param("Hamas", {"Islamic Resistance Movement"}, id="hamas"),
        pytest.param("Gaza Strip", set(), id="gaza-strip"),
        pytest.param("Hassan Rashad", set(), id="rashad"),
    ],
)
def test_sample_has_one_node_per_entity(sample: Resolution, name: str, forms: set[str]):
    (entity,) = [e for e in sample.entities.values() if e.name == name]
    assert forms <= set(entity.aliases)
    for form in forms | {name}:
        assert [e.name for e in sample.entities.values() if form in e.aliases] == [name]


def test_sample_has_no_junk_nodes(sample: Resolution):
    assert "Ceasefire" not in {e.name for e in sample.entities.values()}
    for entity in sample.entities.values():
        assert not re.search(r"['’]s$", entity.name), entity.name
        assert not entity.name.lower().startswith("the "), entity.name
        assert not any(re.search(r"['’]s$", alias) for alias in entity.aliases), entity.aliases


def test_sample_mentions_point_at_their_text(sample_extractions):
    texts = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "data" / "sample").glob("*.txt")}
    for extraction in sample_extractions:
        for mention in extraction.mentions:
            assert texts[extraction.doc_id][mention.start : mention.end] == mention.text


# --- short forms of their own entity only ------------------------------------------


@pytest.mark.parametrize(
    "documents, apart",
    [
        pytest.param(
            [doc("a", "The [Group of Friends of the United Nations|ORG] met.", "The [United Nations|ORG] said so.")],
            ("Group of Friends of the United Nations", "United Nations"),
            id="the-body-an-organization-is-named-for",
        ),
        pytest.param(
            [doc("a", "The [Council of the European Union|ORG] met.", "The [European Union|ORG] agreed.")],
            ("Council of the European Union", "European Union"),
            id="the-object-of-of-the",
        ),
        pytest.param(
            [
                doc("a", "The [Council of the European Union|ORG] met in [Brussels|PLACE]."),
                doc("b", "The [European Union|ORG] agreed."),
            ],
            ("Council of the European Union", "European Union"),
            id="across-the-corpus",
        ),
        pytest.param(
            [doc("a", "[Ajax Amsterdam|PERSON] won.", "[Ajax|ORG] scored twice.", "Rain fell in [Amsterdam|PLACE]."),
             doc("b", "[AMSTERDAM|PERSON] 1 [Utrecht|ORG] 0"), doc("c", "[Amsterdam|PLACE] is wet.")],
            ("Ajax Amsterdam", "Amsterdam"),
            id="the-city-in-a-club-name",
        ),
    ],
)
def test_a_name_inside_another_entitys_name_stays_its_own_entity(documents, apart):
    resolution = resolve(documents)
    first, second = (entity_named(resolution, name) for name in apart)
    assert first.id != second.id


@pytest.mark.parametrize(
    "documents, short, full, entity_type",
    [
        pytest.param(
            [doc("a", "[Bayern Munich|ORG] won in [Munich|PLACE].", "[Bayern|ORG] scored.")],
            "Bayern", "Bayern Munich", "ORG", id="club-before-its-city",
        ),
        pytest.param(
            [doc("a", "[Ajax Amsterdam|PERSON] won.", "[Ajax|ORG] scored twice."),
             doc("b", "Rain fell in [Amsterdam|PLACE].")],
            "Ajax", "Ajax Amsterdam", "ORG", id="a-club-the-model-took-for-a-person",
        ),
        pytest.param(
            [doc("a", "[Bayern Munich|ORG] won in [Munich|PLACE]."), doc("b", "[Bayern|ORG] scored.")],
            "Bayern", "Bayern Munich", "ORG", id="club-across-the-corpus",
        ),
        pytest.param(
            [doc("a", "[Marine Le Pen|PERSON] spoke.", "[Le Pen|ORG] said the vote was won.")],
            "Le Pen", "Marine Le Pen", "PERSON", id="a-surname-the-model-took-for-an-organization",
        ),
    ],
)
def test_a_short_form_joins_the_name_it_leads_or_ends(documents, short, full, entity_type):
    resolution = resolve(documents)
    entity = entity_named(resolution, full)
    assert short in entity.aliases
    assert entity.type == entity_type


def test_a_leading_part_joins_only_an_organization_named_after_a_place():
    resolution = resolve([doc("a", "The [Hamas political bureau|ORG] met.", "[Hamas|ORG] said no.")])
    assert entity_named(resolution, "Hamas").id != entity_named(resolution, "Hamas political bureau").id


@pytest.mark.parametrize(
    "documents, name, entity_type",
    [
        pytest.param(
            [doc("a", "[Slovakia|ORG] 3 2 1 0 5 2 7", "[Spain|ORG] 3 1 1 1 4 4 4"),
             doc("b", "Voters in [Slovakia|PLACE] went to the polls.")],
            "Slovakia", "PLACE", id="a-country-in-a-standings-table",
        ),
        pytest.param(
            [doc("a", "[Slovakia|ORG] 3 2 1 0 5 2 7"), doc("b", "[Slovakia|ORG] won the match.")],
            "Slovakia", "ORG", id="prose-that-calls-it-a-team",
        ),
        pytest.param(
            [doc("a", "[Arsenal|ORG] 2 [Derby|PLACE] 2")],
            "Derby", "PLACE", id="no-prose-the-row-decides",
        ),
        pytest.param(
            [doc("a", "[Slovakia|ORG] 3 2 1 0 5 2 7"), doc("b", "Voters in [Slovakia|PLACE] went to the polls."),
             doc("d", "It rained in [Slovakia|PLACE]."), doc("c", "The head of [Slovakia|PERSON] resigned.")],
            "Slovakia", "ORG", id="unless-a-cue-says-organization",
        ),
    ],
)
def test_table_rows_vote_as_prose_names_the_same_name(documents, name, entity_type):
    assert entity_named(resolve(documents), name).type == entity_type


def test_a_surname_with_its_particle_the_model_took_for_a_place_joins_the_person():
    resolution = resolve([doc("a", "[Claire Le Goff|PERSON] spoke.", "[Le Goff|PLACE] won the vote.")])
    entity = entity_named(resolution, "Claire Le Goff")
    assert "Le Goff" in entity.aliases and entity.type == "PERSON"


def test_a_name_in_parentheses_joins_even_where_its_short_form_was_ambiguous():
    # "Hassan" could be the surname of either person (no short-form link), and is then
    # written in parentheses after an organization's name.
    resolution = resolve([doc(
        "a", "[Ali Hassan|PERSON] and [Omar Hassan|PERSON] spoke.", "[Hassan Holdings|ORG] ([Hassan|ORG]) grew.",
    )])
    assert "Hassan" in entity_named(resolution, "Hassan Holdings").aliases
    assert entity_named(resolution, "Ali Hassan").id != entity_named(resolution, "Omar Hassan").id

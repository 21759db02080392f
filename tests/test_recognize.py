"""The recognizer, with the real trained model on real sentences."""

from __future__ import annotations

import pytest

from graph.errors import EntigraphError, ModelError
from graph.model import Document, Extraction
from graph.pipeline import BuildOptions, graph_of
from graph.model import parse_types
from graph.recognize import _found_everywhere, load_model, recognize
from tests.conftest import extracted, mention

TEXT = (
    "Egyptian intelligence chief Hassan Rashad met a Hamas delegation in Cairo on Sunday.\n"
    "Prime Minister Benjamin Netanyahu's office in Jerusalem declined to comment."
)


@pytest.fixture(scope="module")
def found(nlp) -> Extraction:
    return next(recognize(nlp, [Document("d1", TEXT)]))


def test_model_keeps_only_what_ner_and_sentences_need(nlp):
    assert "ner" in nlp.pipe_names
    assert {"parser", "senter", "sentencizer"} & set(nlp.pipe_names)
    assert not {"tagger", "lemmatizer", "attribute_ruler"} & set(nlp.pipe_names)


def test_each_sentence_is_a_statement_with_its_names(found):
    assert found.doc_id == "d1"
    assert found.sentences == 2
    first, second = found.statements
    assert first.text.startswith("Egyptian intelligence chief")
    assert {(m.text, m.label) for m in first.mentions} >= {
        ("Hassan Rashad", "PERSON"),
        ("Hamas", "ORG"),
        ("Cairo", "PLACE"),
    }
    assert ("Jerusalem", "PLACE") in {(m.text, m.label) for m in second.mentions}


def test_offsets_point_at_the_mention_text(found):
    for found_mention in found.mentions:
        assert TEXT[found_mention.start : found_mention.end] == found_mention.text


def test_possessive_is_cut_from_the_name_but_kept_in_raw(found):
    netanyahu = [m for m in found.mentions if "Netanyahu" in m.text]
    assert netanyahu, [m.text for m in found.mentions]
    assert not netanyahu[0].text.endswith("'s")
    assert netanyahu[0].raw.endswith("'s") or netanyahu[0].raw == netanyahu[0].text


def test_places_keep_their_spacy_label(found):
    cairo = next(m for m in found.mentions if m.text == "Cairo")
    assert (cairo.label, cairo.spacy_label) == ("PLACE", "GPE")


def test_types_option_keeps_only_the_chosen_types(nlp):
    extraction = next(recognize(nlp, [Document("d1", TEXT)], types=("PLACE",)))
    assert {m.label for m in extraction.mentions} == {"PLACE"}


def test_extraction_round_trips_through_a_dict(found):
    assert Extraction.from_dict(found.to_dict()) == found


def test_documents_come_out_in_input_order(nlp):
    docs = [Document(f"d{i}", f"Hamas met Egypt in Cairo, report {i}.") for i in range(5)]
    assert [e.doc_id for e in recognize(nlp, docs, batch_size=2)] == [d.doc_id for d in docs]


def test_long_document_is_cut_at_paragraphs_and_offsets_stay_exact(nlp, monkeypatch):
    monkeypatch.setattr("graph.recognize.MAX_CHUNK_CHARS", 120)
    text = "\n\n".join(f"Hassan Rashad flew from Cairo to Doha, part {i}." for i in range(6))
    extraction = next(recognize(nlp, [Document("long", text)]))
    assert extraction.sentences == 6
    assert [m.start for m in extraction.mentions] == sorted(m.start for m in extraction.mentions)
    for found_mention in extraction.mentions:
        assert text[found_mention.start : found_mention.end] == found_mention.text
    assert sum(m.text == "Doha" for m in extraction.mentions) == 6


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param("PERSON,ORG,PLACE", ("PERSON", "ORG", "PLACE"), id="all"),
        pytest.param("place, person", ("PERSON", "PLACE"), id="case-and-spaces"),
        pytest.param(["ORG"], ("ORG",), id="list"),
    ],
)
def test_parse_types(spec, expected):
    assert parse_types(spec) == expected


def test_parse_types_names_the_unknown_type():
    with pytest.raises(EntigraphError, match="unknown entity type DATE; choose from PERSON, ORG, PLACE"):
        parse_types("PERSON,DATE")


def test_missing_model_says_how_to_install_one():
    with pytest.raises(ModelError, match=r"cannot load spaCy pipeline 'no_such_model'.*pip install"):
        load_model("no_such_model")


def test_model_can_be_loaded_from_a_path(nlp, tmp_path):
    nlp.to_disk(tmp_path / "model")
    loaded = load_model(str(tmp_path / "model"))
    assert "ner" in loaded.pipe_names


HEADLINE = (
    "Breadcrumb\n"
    "No breakthrough in Gaza talks as Hamas delegation leaves Cairo without deal\n"
    "A senior Hamas delegation has left Cairo without reaching an agreement on a Gaza "
    "ceasefire, following several days of negotiations with Egyptian intelligence officials "
    "and Qatari mediators, sources confirmed to Al-Araby Al-Jadeed on Monday evening.\n"
)
WRAPPED = (
    "Egyptian officials said the delegation led by Hassan Rashad would\n"
    "return to Cairo next week, after consultations in Doha with Qatari\n"
    "mediators and with the leadership of Hamas abroad, the sources said.\n"
)


# The standings table: each line its own row, under a prose paragraph that names
# the teams (so that truecasing finds them in the table).
STANDINGS = (
    "Dallas beat Detroit 3-2 on Saturday, and St Louis lost at home again.\n\n"
    "CENTRAL DIVISION\n"
    "W L T GF GA PTS\n"
    "DALLAS 16 8 2 80 62 34\n"
    "DETROIT 13 10 4 85 57 30\n"
    "ST LOUIS 12 14 1 71 78 25\n"
)
FIXTURES = (
    "Leaders Newcastle visit Leicester, where their manager expects to field an unchanged side.\n"
    "Fixtures for Saturday:\n"
    "Arsenal v Coventry\n"
    "Aston Villa v Leeds\n"
    "Friday\n"
    "Lille v Bordeaux (1900)\n"
)
WRAPPED_SCORES = (
    "Pakistan leg-spinner Tariq Afridi took two wickets as England were bowled out for 164\n"
    "in the first one-day international at Old Trafford on Thursday, and Pakistan won by\n"
    "seven wickets with ten overs to spare after a stand of 91 between two young batsmen.\n"
)


@pytest.mark.parametrize(
    ("text", "statements"),
    [
        pytest.param(HEADLINE, 3, id="page-furniture-headline-paragraph"),
        pytest.param(WRAPPED, 1, id="hard-wrapped-sentence-runs-on"),
        pytest.param("Hamas in Cairo\n\nIsrael in Doha\n", 2, id="blank-line"),
        pytest.param(STANDINGS, 6, id="heading-header-and-each-row-apart"),
        pytest.param(FIXTURES, 6, id="each-fixture-and-day-apart"),
        pytest.param(WRAPPED_SCORES, 1, id="wrapped-sentence-with-figures-runs-on"),
    ],
)
def test_line_breaks_end_statements_only_where_a_line_ends_one(nlp, text, statements):
    extraction = next(recognize(nlp, [Document("d", text)]))
    assert extraction.sentences == statements
    for statement in extraction.statements:
        assert statement.text == " ".join(text[statement.start : statement.end].split())


def test_statements_know_their_paragraph(nlp):
    text = (
        "Hassan Rashad met Hamas leaders in Cairo.\n"
        "Benjamin Netanyahu spoke in Jerusalem.\n\n"
        "Qatar sent Mohammed Al-Khulaifi to Doha."
    )
    extraction = next(recognize(nlp, [Document("d", text)]))
    assert [(s.text.split()[0], s.paragraph) for s in extraction.statements] == [
        ("Hassan", 0), ("Benjamin", 0), ("Qatar", 1)
    ]


@pytest.mark.parametrize(
    ("window", "weight"),
    [pytest.param("sentence", 1, id="sentence-rows-apart"), pytest.param("paragraph", 2, id="paragraph-links-rows")],
)
def test_teams_in_different_rows_of_a_table_are_not_linked(nlp, tmp_path, window, weight):
    (tmp_path / "standings.txt").write_text(STANDINGS, encoding="utf-8")
    graph = graph_of(extracted([tmp_path], nlp), BuildOptions(window=window))
    labels = {node: data["label"] for node, data in graph.nodes(data=True)}
    # Each pair is named together in the prose sentence; with paragraphs, in the table too.
    assert sorted(sorted((labels[u], labels[v])) + [w] for u, v, w in graph.edges(data="weight")) == [
        ["Dallas", "Detroit", weight], ["Dallas", "St Louis", weight], ["Detroit", "St Louis", weight]
    ]


def _added(text: str, recognized: list[tuple[str, int, str]]) -> list[tuple[str, str, int]]:
    """What `_found_everywhere` adds to `text`, each line a sentence, when the model
    found `recognized` ((name, its n-th occurrence, label)): (name, label, line)."""
    sentences, offset = [], 0
    for line in text.split("\n"):
        sentences.append((offset, offset + len(line), []))
        offset += len(line) + 1
    for name, nth, label in recognized:
        start = -1
        for _ in range(nth + 1):
            start = text.index(name, start + 1)
        next(s for s in sentences if s[0] <= start < s[1])[2].append(mention(name, start, label))
    before = {(m.start, m.end) for _, _, mentions in sentences for m in mentions}
    _found_everywhere(text, sentences)
    return [
        (m.text, m.label, line)
        for line, (_, _, mentions) in enumerate(sentences)
        for m in mentions
        if (m.start, m.end) not in before
    ]


@pytest.mark.parametrize(
    ("text", "recognized", "added"),
    [
        pytest.param("Dallas beat Detroit.\nDallas 4 Toronto 2\nDALLAS 16 8 2\n", [("Dallas", 0, "ORG")],
                     [("Dallas", "ORG", 1)], id="in-a-row-as-capitalised"),
        pytest.param("Dallas won. Later Dallas lost at home.\nDallas 4 Toronto 2\n", [("Dallas", 0, "ORG")],
                     [("Dallas", "ORG", 1)], id="not-in-prose"),
        pytest.param("The Bank of England and England.\nBank of England 903 +11\nEngland 3 2 1 0\n",
                     [("Bank of England", 0, "ORG"), ("England", 1, "PLACE")],
                     [("Bank of England", "ORG", 1), ("England", "PLACE", 2)], id="longer-names-first"),
        pytest.param("Harper fell for four.\nMr Harper 12\nHarper Lee 4\nc Ward b Harper 12\n",
                     [("Harper", 0, "PERSON")], [("Harper", "PERSON", 3)], id="not-inside-a-longer-name"),
        pytest.param("Dallas won.\nDallasville 3 2\nDallas-Fort 3 1\n", [("Dallas", 0, "ORG")], [],
                     id="whole-words-only"),
        pytest.param("Leeds won. Leeds lost. Leeds drew.\nLeeds 3 2 1\n",
                     [("Leeds", 0, "ORG"), ("Leeds", 1, "PLACE"), ("Leeds", 2, "ORG")], [("Leeds", "ORG", 1)],
                     id="the-type-given-most-often"),
    ],
)
def test_a_name_found_once_is_found_in_the_documents_tables(text, recognized, added):
    assert _added(text, recognized) == added


def test_a_team_the_model_misses_in_a_table_is_found_as_named_in_prose(nlp):
    text = (
        "Newcastle striker Colin Marsh scored twice in a 4-1 win over Blackburn.\n\n"
        "Results:\n"
        "Chelsea 2 Everton 2\n"
        "Newcastle 4 Blackburn 1\n"
    )
    extraction = next(recognize(nlp, [Document("d", text)]))
    row = text.index("Newcastle 4")
    in_row = [m.text for m in extraction.mentions if m.start >= row]
    assert in_row == ["Newcastle", "Blackburn"]
    for found_mention in extraction.mentions:
        assert text[found_mention.start : found_mention.end] == found_mention.text

"""Relations from the dependency parse: phrases, roles and their direction, read from
hand-built parses; which statements are parsed; the real model on plain sentences."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from graph.engines.work import ExtractSettings, extract, extract_with
from graph.model import Document, Extraction, Mention, Relation, Statement
from graph.relations import Demonyms, add_relations, demonyms_digest, read_demonyms, tables_dir
from graph.relations.parse import read_relations

DEMONYMS = {"German": "Germany", "Egyptian": "Egypt"}


def parsed(sentence: str, heads: list[int], deps: str, pos: str, lemmas: str, tags: dict[int, str] | None = None) -> Doc:
    words, pos_list = sentence.split(), pos.split()
    tag_list = [(tags or {}).get(i, pos_list[i]) for i in range(len(words))]
    return Doc(Vocab(), words=words, heads=heads, deps=deps.split(), pos=pos_list, lemmas=lemmas.split(), tags=tag_list)


def names(doc: Doc, *spans: tuple[int, int, str]) -> list[tuple[int, int, str]]:
    """Character spans of names given as token ranges."""
    return [(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), label) for start, end, label in spans]


CASES = [
    pytest.param(
        "Rashad met Haniyeh in Cairo .", [1, 1, 1, 1, 3, 1], "nsubj ROOT dobj prep pobj punct",
        "PROPN VERB PROPN ADP PROPN PUNCT", "rashad meet haniyeh in cairo .", None,
        [(0, 1, "PERSON"), (2, 3, "PERSON"), (4, 5, "PLACE")],
        (Relation(0, 1, "", "meet"), Relation(0, 2, "", "meet in"), Relation(1, 2, "", "meet in")),
        id="verb-subject-first-object-preposition",
    ),
    pytest.param(
        "Haniyeh was met by Rashad .", [2, 2, 2, 2, 3, 2], "nsubjpass auxpass ROOT agent pobj punct",
        "PROPN AUX VERB ADP PROPN PUNCT", "haniyeh be meet by rashad .", None,
        [(0, 1, "PERSON"), (4, 5, "PERSON")],
        (Relation(1, 0, "", "meet"),),
        id="passive-turned-active",
    ),
    pytest.param(
        "Rashad joined Hamas .", [1, 1, 1, 1], "nsubj ROOT dobj punct",
        "PROPN VERB PROPN PUNCT", "rashad join hamas .", None,
        [(0, 1, "PERSON"), (2, 3, "ORG")],
        (Relation(0, 1, "member_of", "join"),),
        id="verb-of-belonging-is-member-of",
    ),
    pytest.param(
        "Rashad did not join Hamas .", [3, 3, 3, 3, 3, 3], "nsubj aux neg ROOT dobj punct",
        "PROPN AUX PART VERB PROPN PUNCT", "rashad do not join hamas .", None,
        [(0, 1, "PERSON"), (4, 5, "ORG")],
        (Relation(0, 1, "", "not join"),),
        id="negation-kept-in-phrase-and-drops-the-role",
    ),
    pytest.param(
        "Qatar mediated between Israel and Hamas .", [1, 1, 1, 2, 3, 3, 1], "nsubj ROOT prep pobj cc conj punct",
        "PROPN VERB ADP PROPN CCONJ PROPN PUNCT", "qatar mediate between israel and hamas .", None,
        [(0, 1, "PLACE"), (3, 4, "PLACE"), (5, 6, "ORG")],
        (Relation(0, 1, "", "mediate between"), Relation(0, 2, "", "mediate between")),
        id="conjunct-shares-its-place-and-a-conjunction-says-nothing",
    ),
    pytest.param(
        "Rashad , the head of Intelligence , spoke .", [7, 0, 3, 0, 3, 4, 0, 7, 7],
        "nsubj punct det appos prep pobj punct ROOT punct", "PROPN PUNCT DET NOUN ADP PROPN PUNCT VERB PUNCT",
        "rashad , the head of intelligence , speak .", None,
        [(0, 1, "PERSON"), (5, 6, "ORG")],
        (Relation(0, 1, "head_of", "head of"),),
        id="apposition-gives-the-noun",
    ),
    pytest.param(
        "Hamas leader Haniyeh spoke .", [1, 2, 3, 3, 3], "compound compound nsubj ROOT punct",
        "PROPN NOUN PROPN VERB PUNCT", "hamas leader haniyeh speak .", None,
        [(0, 1, "ORG"), (2, 3, "PERSON")],
        (Relation(1, 0, "head_of", "leader"),),
        id="title-in-compound-points-from-the-person",
    ),
    pytest.param(
        "Rashad said Haniyeh rejected it .", [1, 1, 3, 1, 3, 1], "nsubj ROOT nsubj ccomp dobj punct",
        "PROPN VERB PROPN VERB PRON PUNCT", "rashad say haniyeh reject it .", None,
        [(0, 1, "PERSON"), (2, 3, "PERSON")],
        (),
        id="reported-speech-says-nothing",
    ),
    pytest.param(
        "Rashad , who heads Intelligence , spoke .", [6, 0, 3, 0, 3, 0, 6, 6],
        "nsubj punct nsubj relcl dobj punct ROOT punct", "PROPN PUNCT PRON VERB PROPN PUNCT VERB PUNCT",
        "rashad , who head intelligence , speak .", {2: "WP", 3: "VBZ"},
        [(0, 1, "PERSON"), (4, 5, "ORG")],
        (Relation(0, 1, "head_of", "head"),),
        id="relative-clause-speaks-of-its-noun",
    ),
    pytest.param(
        "Jazeera , based in Doha , grew .", [6, 0, 0, 2, 3, 0, 6, 6],
        "nsubj punct acl prep pobj punct ROOT punct", "PROPN PUNCT VERB ADP PROPN PUNCT VERB PUNCT",
        "jazeera , base in doha , grow .", {2: "VBN"},
        [(0, 1, "ORG"), (4, 5, "PLACE")],
        (Relation(0, 1, "based_in", "base in"),),
        id="participle-based-in",
    ),
    pytest.param(
        "Rashad agreed to meet Haniyeh .", [1, 1, 3, 1, 3, 1], "nsubj ROOT aux xcomp dobj punct",
        "PROPN VERB PART VERB PROPN PUNCT", "rashad agree to meet haniyeh .", None,
        [(0, 1, "PERSON"), (4, 5, "PERSON")],
        (Relation(0, 1, "", "agree to meet"),),
        id="verb-after-to-is-followed",
    ),
    pytest.param(
        "Talks in Cairo , Egypt , ended .", [6, 0, 1, 2, 2, 2, 6, 6],
        "nsubj prep pobj punct appos punct ROOT punct", "NOUN ADP PROPN PUNCT PROPN PUNCT VERB PUNCT",
        "talk in cairo , egypt , end .", None,
        [(2, 3, "PLACE"), (4, 5, "PLACE")],
        (Relation(0, 1, "located_in", ""),),
        id="place-beside-its-country",
    ),
    pytest.param(
        "German Chancellor Scholz spoke .", [1, 2, 3, 3, 3], "amod compound nsubj ROOT punct",
        "ADJ PROPN PROPN VERB PUNCT", "german chancellor scholz speak .", None,
        [(2, 3, "PERSON")],
        (Relation(0, None, "citizen_of", "", "Germany"),),
        id="nationality-adjective-names-the-country",
    ),
    pytest.param(
        "The Egyptian capital Cairo slept .", [3, 3, 3, 4, 4, 4], "det amod compound nsubj ROOT punct",
        "DET ADJ NOUN PROPN VERB PUNCT", "the egyptian capital cairo sleep .", None,
        [(3, 4, "PLACE")],
        (Relation(0, None, "located_in", "", "Egypt"),),
        id="nationality-adjective-places-a-place-in-its-country",
    ),
    pytest.param(
        "The Egyptian firm Orascom grew .", [3, 3, 3, 4, 4, 4], "det amod compound nsubj ROOT punct",
        "DET ADJ NOUN PROPN VERB PUNCT", "the egyptian firm orascom grow .", None,
        [(3, 4, "ORG")],
        (),
        id="nationality-adjective-says-nothing-of-an-organization",
    ),
]


@pytest.mark.parametrize(("sentence", "heads", "deps", "pos", "lemmas", "tags", "spans", "expected"), CASES)
def test_relations_read_from_the_parse(sentence, heads, deps, pos, lemmas, tags, spans, expected) -> None:
    doc = parsed(sentence, heads, deps, pos, lemmas, tags)
    assert read_relations(doc, names(doc, *spans), DEMONYMS) == expected


@dataclass
class _Recorder:
    """Stands in for a pipeline component: records the texts it is given."""

    seen: list[str] = field(default_factory=list)

    def pipe(self, docs, batch_size: int = 0):
        for doc in docs:
            self.seen.append(doc.text)
            yield doc


@dataclass
class _Pipeline:
    """A pipeline with a parser that records what it parses (and parses nothing)."""

    parser: _Recorder = field(default_factory=_Recorder)
    component_names: tuple[str, ...] = ("ner", "parser")
    vocab: Vocab = field(default_factory=Vocab)
    lang: str = "en"

    def get_pipe(self, name: str) -> _Recorder:
        return self.parser

    def make_doc(self, text: str) -> Doc:
        words = text.split()
        return Doc(self.vocab, words=words, spaces=[True] * (len(words) - 1) + [False])


def _statement(text: str, offset: int, *named: tuple[str, str]) -> Statement:
    mentions = tuple(
        Mention(offset + text.index(n), offset + text.index(n) + len(n), n, n, label, label, n) for n, label in named
    )
    return Statement(offset, offset + len(text), text, mentions)


def test_only_statements_naming_two_entities_or_a_nationality_are_parsed() -> None:
    sentences = ["Rashad met Haniyeh .", "Rashad spoke .", "Rashad met Rashad .", "The German Rashad spoke ."]
    text = " ".join(sentences)
    statements, offset = [], 0
    for sentence, named in zip(sentences, [
        [("Rashad", "PERSON"), ("Haniyeh", "PERSON")], [("Rashad", "PERSON")], [("Rashad", "PERSON")], [("Rashad", "PERSON")],
    ]):  # fmt: skip
        statements.append(_statement(sentence, offset, *named))
        offset += len(sentence) + 1
    pipeline = _Pipeline()
    demonyms = Demonyms({"en": {"German": "Germany"}}, {"Germany": ("Germany",)})
    add_relations(pipeline, [Document("d", text)], [Extraction("d", tuple(statements), 4)], demonyms)
    assert pipeline.parser.seen == ["Rashad met Haniyeh .", "The German Rashad spoke ."]


@pytest.mark.parametrize(
    ("lang", "parsed_sentence"),
    [
        pytest.param("en", "The German Rashad spoke .", id="english-adjectives"),
        pytest.param("fr", "L' allemand Rashad parle .", id="french-adjectives"),
        pytest.param("es", "The German Rashad spoke .", id="no-table-reads-english"),
    ],
)
def test_the_pipelines_language_chooses_the_demonyms_read(lang: str, parsed_sentence: str) -> None:
    sentences = ["The German Rashad spoke .", "L' allemand Rashad parle ."]
    statements = [_statement(sentences[0], 0, ("Rashad", "PERSON")), _statement(sentences[1], len(sentences[0]) + 1, ("Rashad", "PERSON"))]
    pipeline = _Pipeline(lang=lang)
    demonyms = Demonyms({"en": {"German": "Germany"}, "fr": {"allemand": "Germany"}}, {"Germany": ("Germany", "Allemagne")})
    add_relations(pipeline, [Document("d", " ".join(sentences))], [Extraction("d", tuple(statements), 2)], demonyms)
    assert pipeline.parser.seen == [parsed_sentence]


def test_a_pipeline_without_a_parser_gives_no_relations() -> None:
    pipeline = _Pipeline(component_names=("ner",))
    extraction = Extraction("d", (_statement("Rashad met Haniyeh .", 0, ("Rashad", "PERSON"), ("Haniyeh", "PERSON")),), 1)
    assert add_relations(pipeline, [Document("d", "Rashad met Haniyeh .")], [extraction], read_demonyms()) == [extraction]
    assert pipeline.parser.seen == []


@pytest.mark.parametrize(
    ("text", "source", "target", "phrase", "role"),
    [
        pytest.param("Hassan Rashad met Ismail Haniyeh in Cairo.", "Hassan Rashad", "Ismail Haniyeh", "meet", "", id="meet"),
        pytest.param("Ismail Haniyeh was received by Hassan Rashad.", "Hassan Rashad", "Ismail Haniyeh", "receive", "", id="passive"),
        pytest.param("Ismail Haniyeh joined Hamas in 1987.", "Ismail Haniyeh", "Hamas", "join", "member_of", id="join"),
    ],
)
def test_the_real_model_reads_who_does_what_to_whom(nlp, text: str, source: str, target: str, phrase: str, role: str) -> None:
    (extraction,) = extract_with(nlp, [Document("d", text)], ExtractSettings())
    (statement,) = extraction.statements
    found = {(statement.mentions[r.source].text, statement.mentions[r.target].text, r.phrase, r.role) for r in statement.relations if r.target is not None}
    assert (source, target, phrase, role) in found


def test_no_relations_setting_skips_the_parse(nlp) -> None:
    text = "Hassan Rashad met Ismail Haniyeh in Cairo."
    (extraction,) = extract_with(nlp, [Document("d", text)], ExtractSettings(relations=False))
    assert all(not s.relations for s in extraction.statements)
    assert extraction.mentions  # the names are still found


def test_demonym_table_maps_adjectives_to_countries_and_their_names() -> None:
    table = read_demonyms()
    assert table.of("en")["Egyptian"] == "Egypt"
    assert "U.S." in table.spellings[table.of("en")["American"]]
    assert all(country in table.spellings for country in table.of("en").values())


@pytest.mark.parametrize(
    ("adjective", "country", "name"),
    [
        pytest.param("égyptien", "Egypt", "Égypte", id="masculine"),
        pytest.param("égyptienne", "Egypt", "Égypte", id="feminine"),
        pytest.param("égyptiens", "Egypt", "Égypte", id="masculine-plural"),
        pytest.param("égyptiennes", "Egypt", "Égypte", id="feminine-plural"),
        pytest.param("française", "France", "France", id="same-name-in-both"),
        pytest.param("américains", "United States", "États-Unis", id="english-names-kept-first"),
        pytest.param("béninoise", "Bénin", "Bénin", id="a-country-english-lacks"),
    ],
)
def test_french_demonyms_name_the_country_english_keys_and_french_texts_spell(adjective: str, country: str, name: str) -> None:
    table = read_demonyms()
    assert table.of("fr")[adjective] == country
    assert name in table.spellings[country]
    assert adjective not in table.of("en")


def test_every_demonym_table_joins_the_digest(tmp_path) -> None:
    for path in tables_dir().glob("demonyms*.csv"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    before = demonyms_digest(tmp_path)
    french = tmp_path / "demonyms_fr.csv"
    french.write_text(french.read_text(encoding="utf-8") + "islandais,Iceland,Islande\n", encoding="utf-8")
    assert demonyms_digest(tmp_path) != before
    assert read_demonyms(tmp_path).of("fr")["islandais"] == "Iceland"


def test_the_french_model_reads_a_president_by_his_nationality_adjective() -> None:
    """fr_core_news_sm end to end, as a build extracts: "le président égyptien X" makes
    X the head and a citizen of Egypt (UD parse, French words, French demonyms)."""
    text = "Le président égyptien Abdel Fattah al-Sissi a reçu Ismaïl Haniyeh au Caire."
    (extraction,) = extract([Document("d", text)], ExtractSettings(model="fr_core_news_sm"))
    (statement,) = extraction.statements
    found = {
        (statement.mentions[r.source].label, r.role, r.country) for r in statement.relations if r.target is None
    }
    assert found == {("PERSON", "citizen_of", "Egypt"), ("PERSON", "head_of", "Egypt")}

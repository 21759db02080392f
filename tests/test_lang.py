"""Language resources (graph.lang): French names and organizations read with French
lists, each language with its own lists only, and the lists part of what a cached result
and a built graph depend on."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import lang
from graph.engines.work import ExtractSettings
from graph.lang.en import context as en_context
from graph.lang.en import names as en_names
from graph.lang.fr import context as fr_context
from graph.lang.fr import names as fr_names
from graph.names import ENGLISH, NameWords, _name_words, clean_span, initials, key, strip_title
from graph.pipeline import record
from graph.resolve import resolve
from graph.resolve.context import Cues, _cues, context_type
from graph.store.update import GraphSettings
from graph.suggest import suggest_aliases
from tests.test_resolve import doc

FRENCH = NameWords.of(("fr",))


def untitled(text: str, words: NameWords) -> str | None:
    """`text` as recognition leaves a PERSON span: cleaned, then its titles stripped."""
    span = clean_span(text, 0, len(text), words)
    span = None if span is None else strip_title(text, *span, words)
    return None if span is None else text[span[0] : span[1]]


@pytest.fixture
def fresh_lists() -> Iterator[None]:
    """Lists patched by a test are read anew, and the patched values forgotten after."""
    _name_words.cache_clear()
    _cues.cache_clear()
    yield
    _name_words.cache_clear()
    _cues.cache_clear()


# --- names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        pytest.param("M. Chéron", "Chéron", id="monsieur-abbreviated"),
        pytest.param("M. de Lasteyrie", "de Lasteyrie", id="particle-kept-after-a-title"),
        pytest.param("MM. Briand", "Briand", id="messieurs"),
        pytest.param("Mme Metsola", "Metsola", id="madame"),
        pytest.param("Mlle Mistinguett", "Mistinguett", id="mademoiselle"),
        pytest.param("Me Henry-Torrès", "Henry-Torrès", id="maitre"),
        pytest.param("Mgr Dupanloup", "Dupanloup", id="monseigneur"),
        pytest.param("le président Macron", "Macron", id="lowercase-title-after-article"),
        pytest.param("le général de Gaulle", "de Gaulle", id="general-and-particle"),
        pytest.param("président du Conseil Poincaré", "Poincaré", id="multi-word-title"),
        pytest.param("Maréchal Foch", "Foch", id="capitalised-title"),
        pytest.param("le baron Haussmann", "Haussmann", id="nobility-before-a-name"),
        pytest.param("le comte de Paris", "comte de Paris", id="nobility-before-a-particle-stays"),
        pytest.param("le duc d'Orléans", "duc d'Orléans", id="nobility-before-an-elided-particle"),
        pytest.param("le prince Napoléon", "prince Napoléon", id="ruler-by-given-name-keeps-title"),
        pytest.param("l'abbé Pierre", "abbé Pierre", id="clergy-by-given-name-keeps-title"),
        pytest.param("Auguste Comte", "Auguste Comte", id="title-word-as-surname"),
        pytest.param("Pasteur", "Pasteur", id="pasteur-is-a-name"),
        pytest.param("le roi François Ier", "roi François Ier", id="ruler-numbered-by-a-word"),
        pytest.param("le roi Louis XIV", "roi Louis XIV", id="ruler-numbered-in-roman"),
        pytest.param("le roi Abdallah II de Jordanie", "Abdallah II de Jordanie", id="ruler-with-a-full-name"),
        pytest.param("M.", None, id="only-a-title"),
        pytest.param("monsieur", None, id="only-a-lowercase-title"),
    ],
)
def test_french_titles_go_and_particles_stay(raw: str, expected: str | None):
    assert untitled(raw, FRENCH) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        pytest.param("la France", "France", id="article"),
        pytest.param("l'Allemagne", "Allemagne", id="elided-article"),
        pytest.param("l’Allemagne", "Allemagne", id="elided-article-curly-apostrophe"),
        pytest.param("les Etats-Unis", "Etats-Unis", id="plural-article"),
        pytest.param("Le Havre", "Le Havre", id="capitalised-article-begins-a-name"),
        pytest.param("L'Humanité", "L'Humanité", id="capitalised-elided-article-begins-a-name"),
        pytest.param("de la Rocque", "de la Rocque", id="two-word-particle"),
        pytest.param("en France", "France", id="stray-lowercase-word"),
        pytest.param("Dupont et Cie.", "Dupont et Cie.", id="abbreviation-keeps-period"),
    ],
)
def test_french_spans_lose_their_article_and_keep_their_particles(raw: str, expected: str):
    span = clean_span(raw, 0, len(raw), FRENCH)
    assert span is not None and raw[span[0] : span[1]] == expected


@pytest.mark.parametrize(
    "name, expected",
    [
        pytest.param("Confédération générale du travail", "cgt", id="du"),
        pytest.param("Union pour la démocratie française", "udf", id="pour-la"),
        pytest.param("Organisation des Nations unies", "onu", id="des"),
        pytest.param("Office national d'hygiène sociale", "onhs", id="elided-de-counts-the-next-letter"),
        pytest.param("Office national d'études et de recherches aérospatiales", "onera", id="accents-fall-in-capitals"),
        pytest.param("Parti socialiste et républicain", "psr", id="et"),
    ],
)
def test_french_function_words_carry_no_initial(name: str, expected: str):
    assert initials(key(name), FRENCH) == expected


# --- context ------------------------------------------------------------------------


def cue(marked: str, cues: Cues) -> str | None:
    """The cue the words around the one marked name give it."""
    (statement,) = doc("d", marked).statements
    return context_type(statement, statement.mentions[0], cues)


@pytest.mark.parametrize(
    "marked, expected",
    [
        pytest.param("Les ouvriers de la société [Michelin|PERSON] ont voté.", "ORG", id="kind-before"),
        pytest.param("L'agence [Havas|PERSON] annonce la nouvelle.", "ORG", id="agency"),
        pytest.param("Il visita l'institut [Pasteur|PERSON] hier.", "ORG", id="institute"),
        pytest.param("Il était directeur de la [Reichsbank|PERSON] alors.", "ORG", id="office-de-la"),
        pytest.param("Les membres du [Bloc|PERSON] ont voté.", "ORG", id="office-du"),
        pytest.param("Le porte-parole d'[Airbus|PERSON] a parlé.", "ORG", id="office-elided-de"),
        pytest.param("Le président du Conseil [Briand|PERSON] a parlé.", None, id="council-president-is-a-person"),
        pytest.param("Le ministère [Poincaré|PERSON] est tombé.", None, id="a-cabinet-by-its-head"),
        pytest.param("Le prestige personnel de [Paderewski|PERSON] a joué.", None, id="adjective-is-no-office"),
        pytest.param("La société [Michelin|ORG] a voté.", None, id="organizations-left-to-the-model"),
    ],
)
def test_french_words_around_a_name_say_it_is_an_organization(marked: str, expected: str | None):
    assert cue(marked, Cues.of(("fr",))) == expected


# --- each language its own lists ------------------------------------------------------


def test_a_list_changed_for_one_language_is_not_read_for_another(monkeypatch, fresh_lists):
    monkeypatch.setattr(en_names, "TITLES", (*en_names.TITLES, "Zorgmaster"))
    monkeypatch.setattr(fr_names, "TITLES", (*fr_names.TITLES, "zorgmeister"))
    monkeypatch.setattr(en_context, "KINDS_AFTER", (*en_context.KINDS_AFTER, "zorgnet"))
    monkeypatch.setattr(fr_context, "KINDS_BEFORE", (*fr_context.KINDS_BEFORE, "zorgerie"))
    english, french = NameWords.of(("en",)), NameWords.of(("fr",))
    assert untitled("Zorgmaster Smith", english) == "Smith"
    assert untitled("Zorgmaster Smith", french) == "Zorgmaster Smith"
    assert untitled("zorgmeister Dupont", french) == "Dupont"
    assert untitled("Zorgmeister Dupont", english) == "Zorgmeister Dupont"
    assert cue("The [Globe|PERSON] zorgnet said so.", Cues.of(("en",))) == "ORG"
    assert cue("The [Globe|PERSON] zorgnet said so.", Cues.of(("fr",))) is None
    assert cue("La zorgerie [Dupont|PERSON] a dit.", Cues.of(("fr",))) == "ORG"
    assert cue("La zorgerie [Dupont|PERSON] a dit.", Cues.of(("en",))) is None
    # Both languages at once read both lists.
    both = NameWords.of(("fr", "en"))
    assert (untitled("Zorgmaster Smith", both), untitled("zorgmeister Dupont", both)) == ("Smith", "Dupont")


def test_a_language_without_lists_of_its_own_reads_englishs():
    german = NameWords.of(("de",))
    assert german.languages == ("de",)
    assert german.title.pattern == ENGLISH.title.pattern
    assert (german.particles, german.function_words) == (ENGLISH.particles, ENGLISH.function_words)
    assert lang.digest(["de"]) == lang.digest(["en"])


def test_english_and_french_read_a_title_each_their_way():
    assert untitled("M. Chéron", ENGLISH) == "M. Chéron"
    assert untitled("Mr. Key", FRENCH) == "Mr. Key"


# --- resolution and suggestions read the build's languages --------------------------


@pytest.mark.parametrize(
    "sentences, short, full",
    [
        pytest.param(
            ("[François de la Rocque|PERSON] parla.", "[de la Rocque|ORG] répondit."),
            "de la Rocque", "François de la Rocque", id="two-word-particle-makes-a-surname",
        ),
        pytest.param(
            ("L'[Union pour la démocratie française|ORG] vota.", "L'[UDF|ORG] vota."),
            "UDF", "Union pour la démocratie française", id="acronym-without-function-words",
        ),
    ],
)
def test_resolution_joins_names_by_the_french_lists_and_not_by_the_english(sentences, short, full):
    def joined(languages: tuple[str, ...]) -> bool:
        entities = resolve([doc("d1", *sentences)], languages=languages).entities.values()
        return any({short, full} <= set(entity.aliases) for entity in entities)

    assert joined(("fr",))
    assert not joined(("en",))


def test_suggestions_read_the_languages_the_graph_was_built_in():
    # "Dumas" could be either Dumas: the resolver leaves it alone; a suggestion names
    # both, where the generation word ("fils", "père") is French.
    corpus = [
        doc("a", "[Alexandre Dumas fils|PERSON] écrivit."),
        doc("b", "[Alexandre Dumas père|PERSON] écrivit."),
        doc("c", "[Dumas|PERSON] parla."),
    ]

    def suggested(languages: tuple[str, ...]) -> set[tuple[str, str]]:
        store = record(corpus, languages=languages)
        assert [code for (code,) in store.rows("SELECT code FROM languages")] == list(languages)
        return {(s.alias.label, s.keep.label) for s in suggest_aliases(store).suggestions}

    expected = {("Dumas", "Alexandre Dumas fils"), ("Dumas", "Alexandre Dumas père")}
    assert suggested(("fr",)) >= expected
    assert not suggested(("en",)) & expected


# --- the lists are part of what results depend on -----------------------------------


def test_the_lists_join_the_extraction_key_and_the_graph_settings():
    assert ExtractSettings().describe()["lang"] == lang.digest(["en"])
    assert lang.digest(["fr"]) != lang.digest(["en"])
    assert GraphSettings(languages=("fr",)).digest() != GraphSettings().digest()


def test_changing_a_list_changes_the_digest_of_its_language_only(tmp_path, monkeypatch):
    copy = tmp_path / "lang"
    shutil.copytree(Path(lang.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(lang, "ROOT", copy)
    before = {code: lang.digest([code]) for code in ("en", "fr")}
    settings = GraphSettings().digest()
    names = copy / "en" / "names.py"
    names.write_text(names.read_text(encoding="utf-8").replace('"Saint",', '"Saint", "Zorgmaster",'), encoding="utf-8")
    assert lang.digest(["en"]) != before["en"]
    assert lang.digest(["fr"]) == before["fr"]
    assert GraphSettings().digest() != settings

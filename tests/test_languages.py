"""A build's pipelines by language: how their results are keyed, the batches of one
language each, and a mixed English and French corpus built end to end with the real
pipelines."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from graph.cache import CACHE_NAME, settings_key, text_key
from graph.engines import ExtractSettings
from graph.errors import EntigraphError
from graph.languages import batches, readers
from graph.model import Document
from graph.nlp import model_name, parse_models

runner = CliRunner()
ENGLISH = model_name()
MIXED = f"en={ENGLISH},fr=fr_core_news_sm"
# Two short English and two short French stories, and a row whose field says French.
TEXTS = {
    "en-summit.txt": (
        "Angela Merkel met Joe Biden at the White House on Monday. The German chancellor and the "
        "American president spoke about trade, and Biden thanked Merkel for her support.\n"
    ),
    "en-strike.txt": (
        "Boris Johnson told reporters in London that the strike would end soon. Keir Starmer said "
        "the prime minister had not met the union leaders.\n"
    ),
    "fr-elysee.txt": (
        "Emmanuel Macron a reçu Olaf Scholz à l'Élysée mardi. Le président français et le chancelier "
        "allemand ont parlé de l'Europe, et Macron a remercié Scholz pour son soutien.\n"
    ),
    "fr-marseille.txt": (
        "Marine Le Pen a critiqué le gouvernement lors d'un meeting à Marseille samedi. Jordan Bardella "
        "a dit que les électeurs attendaient des réponses.\n"
    ),
    "short.txt": "Paris, 14 avril.\n",
}
ROW = {"id": "row-fr", "lang": "fr-FR", "text": "Jean Dupont est à Lyon."}


def _description(model: str | None) -> dict:
    return ExtractSettings(model=model).describe()


def test_one_pipeline_keys_results_as_builds_did_before_languages():
    found = readers(parse_models(None), ExtractSettings())
    assert found.languages == ("en",)
    assert found.descriptions == {"en": _description(None)}
    assert found.extraction == settings_key(_description(None))


def test_pipelines_by_language_key_each_result_by_its_pipeline_and_the_store_by_all():
    found = readers(parse_models(MIXED), ExtractSettings())
    assert found.languages == ("en", "fr")
    # A French text read by fr_core_news_sm is found again by a build naming it alone.
    assert found.descriptions == {"en": _description(ENGLISH), "fr": _description("fr_core_news_sm")}
    assert found.settings["fr"] == ExtractSettings(model="fr_core_news_sm")
    assert found.extraction not in {settings_key(d) for d in found.descriptions.values()}
    assert readers(parse_models(f"fr=fr_core_news_sm,en={ENGLISH}"), ExtractSettings()).extraction != found.extraction


def test_a_pipeline_handed_in_takes_no_spec_by_language(nlp):
    assert readers(parse_models(None), ExtractSettings(), nlp).languages == ("en",)
    with pytest.raises(EntigraphError):
        readers(parse_models(MIXED), ExtractSettings(), nlp)


SETTINGS = {"en": ExtractSettings(model="en"), "fr": ExtractSettings(model="fr")}


@pytest.mark.parametrize(
    ("documents", "expected"),
    [
        pytest.param(
            [("a", "one", "en"), ("b", "deux", "fr"), ("c", "three", "en")],
            [("en", ["a", "c"]), ("fr", ["b"])],
            id="one-language-a-batch",
        ),
        pytest.param(
            [("a", "same", "en"), ("b", "same", "en"), ("c", "same", "fr")],
            [("en", ["a"]), ("fr", ["c"])],
            id="a-text-once-per-language",
        ),
        pytest.param(
            [("a", "x" * 30_000, "fr"), ("b", "y" * 30_000, "fr"), ("c", "z", "fr"), ("d", "w", "en")],
            [("fr", ["a", "b"]), ("fr", ["c"]), ("en", ["d"])],
            id="full-batches-go-first",
        ),
        pytest.param([("a", "not waiting", "en")], [], id="only-what-waits"),
    ],
)
def test_batches_hold_one_language_each(documents, expected):
    waiting = {(text_key(text), lang) for doc_id, text, lang in documents if text != "not waiting"}
    made = list(batches(((Document(i, t), lang) for i, t, lang in documents), waiting, SETTINGS))
    assert [(b.settings.model, [d.doc_id for d in b.documents]) for b in made] == expected
    for batch in made:
        keys, words = batch.tag
        assert keys == [(text_key(d.text), batch.settings.model) for d in batch.documents]
        assert words == sum(len(d.text.split()) for d in batch.documents)


def mixed_corpus(root: Path) -> Path:
    """TEXTS and ROW written into `root / "corpus"` (test_dask_engine builds it too)."""
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in TEXTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "rows.jsonl").write_text(json.dumps(ROW) + "\n", encoding="utf-8")
    return corpus


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_mixed_corpus_reads_each_document_with_its_language_pipeline(tmp_path):
    corpus = mixed_corpus(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--model", MIXED, "--json"])
    assert result.exit_code == 0, result.output
    documents = {r["doc_id"]: (r["lang"], r["lang_source"]) for r in _rows(out / "documents.csv")}
    assert documents == {
        "en-strike.txt": ("en", "detected"),
        "en-summit.txt": ("en", "detected"),
        "fr-elysee.txt": ("fr", "detected"),
        "fr-marseille.txt": ("fr", "detected"),
        "row-fr": ("fr", "field"),
        "short.txt": ("en", "fallback"),
    }
    people = {(r["doc_id"], r["text"]) for r in _rows(out / "mentions.csv") if r["label"] == "PERSON"}
    assert {("en-summit.txt", "Angela Merkel"), ("en-strike.txt", "Boris Johnson")} <= people
    assert {("fr-elysee.txt", "Emmanuel Macron"), ("fr-marseille.txt", "Jordan Bardella")} <= people
    # Each pipeline's results are cached under its own key: the French alone find them.
    alone = tmp_path / "alone"
    again = runner.invoke(
        app, ["build", str(corpus / "fr-elysee.txt"), str(corpus / "fr-marseille.txt"), "-o", str(alone),
              "--model", "fr_core_news_sm", "--cache", str(out / CACHE_NAME), "--json"],
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["cached"] == 2


def test_a_document_read_in_another_language_is_extracted_again(tmp_path):
    corpus = mixed_corpus(tmp_path)
    out = tmp_path / "out"
    args = ["build", str(corpus), "-o", str(out), "--model", MIXED, "--json", "--format", "documents"]
    assert runner.invoke(app, args).exit_code == 0
    (corpus / "rows.jsonl").write_text(json.dumps(ROW | {"lang": "en"}) + "\n", encoding="utf-8")
    result = runner.invoke(app, [*args, "--no-cache"])
    assert result.exit_code == 0, result.output
    # Everything but the row came from the store; the row was read again, in English.
    assert json.loads(result.stdout)["cached"] == len(TEXTS)
    assert {r["doc_id"]: (r["lang"], r["lang_source"]) for r in _rows(out / "documents.csv")}["row-fr"] == (
        "en", "field"
    )


def test_one_place_named_in_two_languages_is_two_nodes_until_an_alias_joins_them(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    english = "Abdel Fattah el-Sisi flew from Egypt to Qatar on Monday to meet the emir about the truce talks.\n"
    french = "Abdel Fattah al-Sissi a quitté l'Égypte pour le Qatar lundi afin de rencontrer l'émir sur la trêve.\n"
    (corpus / "en.txt").write_text(english, encoding="utf-8")
    (corpus / "fr.txt").write_text(french, encoding="utf-8")
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("name,alias,type\nEgypt,Égypte,PLACE\n", encoding="utf-8")
    found = {}
    for name, extra in (("apart", []), ("joined", ["--aliases", str(aliases)])):
        out = tmp_path / name
        result = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--model", MIXED, "-q", *extra])
        assert result.exit_code == 0, result.output
        found[name] = {r["text"]: r["entity_id"] for r in _rows(out / "mentions.csv") if r["label"] == "PLACE"}
    assert found["apart"]["Egypt"] != found["apart"]["Égypte"]
    assert found["joined"]["Egypt"] == found["joined"]["Égypte"]
    assert found["joined"]["Qatar"] == found["apart"]["Qatar"]

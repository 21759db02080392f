"""Routing: each document's language from its field, py3langid, or the fallback."""

from __future__ import annotations

import pytest

from graph.errors import EntigraphError
from graph.routing import DETECT_CHARS, MIN_LETTERS, Route, Router

ENGLISH = "Hassan Rashad met Hamas leaders in Cairo on Tuesday to discuss the truce."
FRENCH = "Emmanuel Macron a rencontré Angela Merkel à Berlin mardi pour parler de la trêve."


@pytest.mark.parametrize(
    ("languages", "text", "field", "route"),
    [
        pytest.param(("en", "fr"), FRENCH, "fr", Route("fr", "field"), id="field-names-a-language"),
        pytest.param(("en", "fr"), ENGLISH, "fr", Route("fr", "field"), id="field-wins-over-the-text"),
        pytest.param(("en", "fr"), ENGLISH, " FR-ca ", Route("fr", "field"), id="field-a-tag-read-by-its-first-part"),
        pytest.param(("en", "fr"), ENGLISH, "fr_FR", Route("fr", "field"), id="field-a-locale"),
        pytest.param(("en", "fr"), FRENCH, "de", Route("en", "fallback"), id="field-names-another-language"),
        pytest.param(("fr", "en"), ENGLISH, "de", Route("fr", "fallback"), id="fallback-is-the-first-given"),
        pytest.param(("en", "fr"), FRENCH, "", Route("fr", "detected"), id="empty-field-detected"),
        pytest.param(("en", "fr"), FRENCH, None, Route("fr", "detected"), id="french-detected"),
        pytest.param(("en", "fr"), ENGLISH, None, Route("en", "detected"), id="english-detected"),
        pytest.param(("fr", "en"), ENGLISH, None, Route("en", "detected"), id="detected-whatever-the-order"),
        pytest.param(("en", "fr"), "Le Caire", None, Route("en", "fallback"), id="too-short-to-tell"),
        pytest.param(("en", "fr"), "2025-04-14 12:30, 14:45 — 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18",
                     None, Route("en", "fallback"), id="no-letters"),
        pytest.param(("en", "fr"), "Angela Merkel, Emmanuel Macron, Paris, Berlin", None, Route("en", "fallback"),
                     id="names-alone-too-unsure"),
        pytest.param(("en",), FRENCH, None, Route("en", "only"), id="one-pipeline-nothing-detected"),
        pytest.param(("en",), FRENCH, "en", Route("en", "field"), id="one-pipeline-field-agrees"),
        pytest.param(("en",), FRENCH, "fr", Route("en", "fallback"), id="one-pipeline-field-another-language"),
    ],
)
def test_a_document_goes_to_its_field_else_detected_else_the_first_language(languages, text, field, route):
    assert Router(languages).route(text, field) == route


def test_detection_reads_the_start_of_a_text_only():
    tail = " ".join(["the"] * DETECT_CHARS)
    assert Router(("en", "fr")).route(FRENCH * (DETECT_CHARS // len(FRENCH) + 1) + tail) == Route("fr", "detected")


def test_the_letters_needed_are_counted_not_the_characters():
    short = "Le président a parlé"
    assert sum(c.isalpha() for c in short) < MIN_LETTERS <= len(short) + 3
    assert Router(("en", "fr")).route(short + " ...") == Route("en", "fallback")


def test_a_language_py3langid_does_not_know_is_an_error_only_when_detection_is_needed():
    router = Router(("en", "xx"))
    assert router.route(FRENCH, "xx") == Route("xx", "field")
    with pytest.raises(EntigraphError) as raised:
        router.route(FRENCH)
    assert str(raised.value) == (
        "cannot detect xx: py3langid does not know it; give each document's language with --lang-field"
    )

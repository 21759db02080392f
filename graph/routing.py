"""Routing: the language of each document, and so the spaCy pipeline that reads it.

Input: the languages of a build's pipelines, the fallback first (graph.nlp.pipelines),
and a document: its text and the value of its language field (`--lang-field`) when its
row has one. Output: a `Route`, the language and how it was chosen (`source`):
- `field`: the row's field names one of the languages (`fr`, or a tag such as `fr-CA`
  or `fr_FR`, read by its first part, case ignored);
- `detected`: py3langid, restricted to the languages given, told it from the text;
- `fallback`: the first language, for a field naming none of the languages, a text too
  short to tell (fewer than MIN_LETTERS letters), or one py3langid is unsure of (less
  than MIN_CONFIDENCE);
- `only`: the build has one pipeline; every document goes to it and nothing is detected.

Detection runs where the documents are read, before the cache is looked at, since a
cached result is keyed by the pipeline that made it: it reads at most DETECT_CHARS
characters of a text (about a millisecond), and py3langid's model is loaded (a second)
by the first document that needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from graph.errors import EntigraphError

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

SOURCES = ("field", "detected", "fallback", "only")
# The start of a text that detection reads: a few hundred words tell a language as well
# as a whole article does, and the cost stays flat however long the document.
DETECT_CHARS = 2_000
# Below this many letters (digits, punctuation and spaces aside) a text is too short to
# tell: py3langid calls a bare name ("Paris") either way.
MIN_LETTERS = 20
# py3langid's probability, among the languages given, below which its guess is not
# taken: a list of names ("Angela Merkel, Paris, Berlin") scores about 0.55, a real
# sentence of either language 0.9 and more.
MIN_CONFIDENCE = 0.8
_LETTER = re.compile(r"[^\W\d_]")
_TAG_PARTS = re.compile(r"[-_]")


@dataclass(frozen=True)
class Route:
    """The language a document is read in, and how it was chosen (one of SOURCES)."""

    lang: str
    source: str


class Router:
    """Routes documents to the languages `languages` (the fallback first). Holds
    py3langid's model once loaded, and nothing else."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        if not languages:
            raise ValueError("a router needs at least one language")
        self.languages = languages

    def route(self, text: str, field: str | None = None) -> Route:
        """The route of a document of `text`, whose language field says `field`."""
        fallback = self.languages[0]
        if field is not None and field.strip():
            code = _TAG_PARTS.split(field.strip().casefold(), maxsplit=1)[0]
            return Route(code, "field") if code in self.languages else Route(fallback, "fallback")
        if len(self.languages) == 1:
            return Route(fallback, "only")
        start = text[:DETECT_CHARS]
        if len(_LETTER.findall(start)) < MIN_LETTERS:
            return Route(fallback, "fallback")
        lang, confidence = self._identifier.classify(start)
        if lang not in self.languages or confidence < MIN_CONFIDENCE:
            return Route(fallback, "fallback")
        return Route(lang, "detected")

    @cached_property
    def _identifier(self) -> LanguageIdentifier:
        """py3langid's model of its own (not the module's shared one), restricted to the
        languages given, its scores probabilities."""
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        unknown = sorted(set(self.languages) - set(identifier.labels))
        if unknown:
            raise EntigraphError(
                f"cannot detect {', '.join(unknown)}: py3langid does not know "
                f"{'it' if len(unknown) == 1 else 'them'}; give each document's language with --lang-field"
            )
        identifier.set_languages(self.languages)
        return identifier

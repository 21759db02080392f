"""The unit of work: a batch of documents in, one compact `Extraction` per document out.

Input: a list of `Document`s and `ExtractSettings` (a `Batch`, as the engines take
them). Output: their extractions (plain
data: offsets, labels, paragraph numbers, the statements naming entities with the
relations their parse shows, and the text's MinHash signature for near-duplicate
grouping; never spaCy objects). `extract` is a
top-level function that a process pool or a cluster can run anywhere the model is
installed; the engines beside this module decide where it runs. spaCy is imported by
the first batch, not by this module: a build that finds everything cached never loads it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from graph import lang
from graph.dedupe import SIGNATURE, signature
from graph.model import ENTITY_TYPES, Document, Extraction, labels_of
from graph.nlp import MAX_CHUNK_CHARS, SENTENCES, model_identity, model_language
from graph.relations import Demonyms, add_relations, demonyms_digest, read_demonyms

if TYPE_CHECKING:
    from spacy.language import Language

# Bumped whenever recognize() would give different results for the same text and model,
# so that older cached results are not reused.
EXTRACTOR_VERSION = 8  # 8: the paragraphs naming two names, for the evidence shown in context
# Texts spaCy takes at once (nlp.pipe's batch_size); chunks are up to MAX_CHUNK_CHARS,
# so a task of TASK_CHARS is a batch or two: 64 and 256 ran at the same speed on GUM.
BATCH_SIZE = 64
# Characters of text per task sent to a worker: big enough that shipping documents and
# results costs nothing beside spaCy, small enough to keep every worker busy to the end.
TASK_CHARS = 50_000


@dataclass(frozen=True)
class ExtractSettings:
    """What shapes an extraction: together with the text, the key of a cached result.
    `model`: the pipeline that reads the batch (None: the default English one)."""

    model: str | None = None
    types: tuple[str, ...] = tuple(ENTITY_TYPES)
    sentences: str = SENTENCES
    batch_size: int = BATCH_SIZE
    # Parse the statements naming two entities for the phrases and roles linking them.
    relations: bool = True

    def describe(self) -> dict[str, Any]:
        """Everything a cached result depends on besides the text (batch size does not
        change results): the data tables the parse reads too (the demonyms), and the word
        lists of the pipeline's language (graph.lang)."""
        return {
            "model": model_identity(self.model),
            "sentences": self.sentences,
            "types": list(self.types),
            "relations": self.relations,
            "chunk_chars": MAX_CHUNK_CHARS,
            "extractor": EXTRACTOR_VERSION,
            "signature": SIGNATURE,
            "demonyms": demonyms_digest() if self.relations else None,
            # which of the pipeline's labels are kept as which type
            "labels": labels_of(self.types),
            "lang": lang.digest([model_language(self.model)]),
        }


Tag = TypeVar("Tag")


@dataclass(frozen=True)
class Batch(Generic[Tag]):
    """Documents of one language for an engine, with the settings that read them (their
    pipeline) and the caller's `tag`, handed back with their extractions."""

    tag: Tag
    settings: ExtractSettings
    documents: list[Document]


def extract(documents: list[Document], settings: ExtractSettings) -> list[Extraction]:
    """One Extraction per document, in order: the unit of work a worker runs."""
    return extract_with(model(settings.model, settings.sentences), documents, settings)


def extract_with(
    nlp: Language, documents: list[Document], settings: ExtractSettings
) -> list[Extraction]:
    """`extract` with a pipeline already loaded."""
    from graph import recognize  # the module, so that a test can stand in for recognize()

    extractions = list(
        recognize.recognize(nlp, documents, types=settings.types, batch_size=settings.batch_size)
    )
    if settings.relations:
        # In the same unit of work, so the parse is cached with the rest and never redone.
        extractions = add_relations(nlp, documents, extractions, demonyms(), batch_size=settings.batch_size)
    # The signature is taken here, where the text is, so the graph stage never needs it.
    return [
        replace(extraction, signature=signature(document.text))
        for document, extraction in zip(documents, extractions)
    ]


@lru_cache(maxsize=1)
def demonyms() -> Demonyms:
    """The demonym table, read by the process's first batch."""
    return read_demonyms()


# Pipelines a process keeps loaded: every pipeline of a build by language (`--model
# en=...,fr=...`), whose batches of each language come interleaved; past this many, the
# least used is loaded again when its turn comes.
MODELS_KEPT = 8


@lru_cache(maxsize=MODELS_KEPT)
def model(name: str | None, sentences: str) -> Language:
    """A pipeline of the process: loaded by the first batch it reads and kept for the next ones."""
    from graph.recognize import load_model

    return load_model(name, sentences=sentences)

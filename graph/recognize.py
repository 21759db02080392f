"""Recognizer: find the people, organizations and places in documents.

Input: a stream of `Document`s and a spaCy pipeline. Output: one `Extraction` per
document, its sentences (statements) with the names in them (mentions): cleaned text,
entity type, the original spaCy label and character offsets into the document.
Documents are streamed through `nlp.pipe`, never held all at once.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from graph.documents import cut_text, paragraph_starts
from graph.errors import ModelError
from graph.lines import cut_span, line_shape, truecase, usual_spelling
from graph.model import ENTITY_TYPES, Document, Extraction, Mention, Statement
from graph.names import normalize, strip_title
from graph.nlp import MAX_CHUNK_CHARS, SENTENCES, model_name, unusable

LINE_BREAKS = "entigraph_line_breaks"
# Where a Doc keeps the text it was made from when spaCy reads a truecased copy: the
# shape of a line is read as written ("CENTRAL DIVISION", not "central division").
WRITTEN = "entigraph_written_text"
_SENTENCE_COMPONENTS = ("senter", "parser")


def load_model(name: str | None = None, *, sentences: str = SENTENCES) -> Language:
    """Load an installed pipeline by package name or path, keeping only what NER and
    the `sentences` component need (falling back to the other splitter, else spaCy's
    punctuation rules, when the pipeline lacks it)."""
    name = model_name(name)
    try:
        nlp = spacy.load(name)
    except (OSError, ImportError, ValueError) as err:
        raise unusable(name) from err
    if "ner" not in nlp.component_names:
        raise ModelError(f"spaCy pipeline {name!r} has no 'ner' component")
    preference = (sentences, *(c for c in _SENTENCE_COMPONENTS if c != sentences))
    splitter = next((c for c in preference if c in nlp.component_names), None)
    kept = {"ner", LINE_BREAKS} | ({splitter} if splitter else set())
    # A shared embedding layer runs only for the kept components that listen to it (in
    # en_core_web_sm the parser does; ner and senter carry their own).
    for name_ in nlp.component_names:
        listeners = getattr(nlp.get_pipe(name_), "listening_components", [])
        if set(listeners) & kept:
            kept.add(name_)
    for component in nlp.component_names:
        # en_core_web_sm ships senter disabled: select_pipes alone would not enable it.
        (nlp.enable_pipe if component in kept else nlp.disable_pipe)(component)
    if splitter is None:
        nlp.add_pipe("sentencizer", first=True)
    if LINE_BREAKS not in nlp.pipe_names:
        # Before a statistical splitter, which keeps preset boundaries; after a
        # sentencizer, which would overwrite them.
        where = {"before": splitter} if splitter else {"after": "sentencizer"}
        nlp.add_pipe(LINE_BREAKS, **where)
    return nlp


# A line this much shorter than the document's long lines is a headline, a dateline or
# the end of a paragraph, not a hard-wrapped line that a sentence runs on from.
SHORT_LINE_SHARE = 0.6
_SENTENCE_END = ".!?:\"”’)]"


@Language.component(LINE_BREAKS)
def mark_line_breaks(doc: Doc) -> Doc:
    """Start a statement after a line break that ends one.

    spaCy's parser reads a headline, a dateline and the first paragraph as one sentence
    when no period separates them, linking every name in them, and a table's rows as one
    sentence, linking every team of a division. A line break ends a statement after a
    blank line, after a line ending in sentence punctuation, after a short line, and
    before and after a line that is no prose (a table or list row, a column header, a
    heading: `lines.line_shape`); a hard-wrapped line that stops mid-sentence runs on.
    """
    # doc.text joins every token anew each time it is read.
    text = doc.user_data.get(WRITTEN) or doc.text
    lines = text.split("\n")
    short = SHORT_LINE_SHARE * _typical_line_length(text)
    shapes: dict[int, str | None] = {}

    def apart(number: int) -> bool:
        if number not in shapes:
            shapes[number] = line_shape(lines[number])
        return shapes[number] is not None

    number = 0  # of the line the next line break ends; every "\n" is in a space token
    for token in doc[:-1]:
        if not (token.is_space and "\n" in token.text):
            continue
        breaks = token.text.count("\n")
        line = lines[number].strip()
        if (
            breaks > 1
            or not line
            or line[-1] in _SENTENCE_END
            or len(line) < short
            or apart(number)
            or apart(number + breaks)
        ):
            doc[token.i + 1].is_sent_start = True
        number += breaks
    return doc


def _typical_line_length(text: str) -> int:
    """The length of line that holds the middle character of the text, counting from
    the longest line: a wrapped text's width, or a paragraph's length in unwrapped text,
    whatever a few very long or short lines do."""
    lengths = sorted((len(line.strip()) for line in text.split("\n")), reverse=True)
    half, running = sum(lengths) / 2, 0
    for length in lengths:
        running += length
        if running >= half:
            return length
    return 0


def recognize(
    nlp: Language,
    documents: Iterable[Document],
    *,
    types: Sequence[str] = tuple(ENTITY_TYPES),
    batch_size: int = 8,
) -> Iterator[Extraction]:
    """Yield one Extraction per document, in input order."""
    label_to_type = {
        spacy_label: entity_type
        for entity_type in types
        for spacy_label in ENTITY_TYPES[entity_type]
    }

    def pieces() -> Iterator[tuple[tuple[str, int, bool, str, list[int]], Doc]]:
        for document in documents:
            # spaCy reads a truecased copy (same length, so the chunks and offsets are
            # the original's); names and statements are cut from the original.
            chunks = list(cut_text(truecase(document.text), MAX_CHUNK_CHARS))
            paragraphs = paragraph_starts(document.text)
            for number, (offset, piece) in enumerate(chunks):
                original = document.text[offset : offset + len(piece)]
                doc = nlp.make_doc(piece)
                doc.user_data[WRITTEN] = original
                yield (document.doc_id, offset, number == len(chunks) - 1, original, paragraphs), doc

    statements: list[Statement] = []
    sentences = 0
    # as_tuples carries each chunk's document and offset alongside it through the pipe.
    for doc, (doc_id, offset, last, original, paragraphs) in nlp.pipe(
        ((text, ctx) for ctx, text in pieces()), as_tuples=True, batch_size=batch_size
    ):
        # What spaCy read (maybe truecased); doc.text joins every token anew each time.
        seen = doc.text
        for sent, ents in _sentences_with_entities(doc):
            if not sent.text.strip():
                continue
            sentences += 1
            mentions = tuple(_mentions(original, seen, ents, offset, label_to_type))
            if mentions:
                statements.append(
                    Statement(
                        offset + sent.start_char,
                        offset + sent.end_char,
                        normalize(original[sent.start_char : sent.end_char]),
                        mentions,
                        bisect_right(paragraphs, offset + sent.start_char),
                    )
                )
        if last:
            yield Extraction(doc_id, tuple(statements), sentences)
            statements, sentences = [], 0


def _sentences_with_entities(doc: Doc) -> Iterator[tuple[Span, list[Span]]]:
    """Each sentence with the entities inside it, as `Span.ents` gives them (an entity
    that crosses a sentence boundary is in neither). `Span.ents` walks every token of
    the document for each sentence: a third of a build's time went there."""
    entities = doc.ents
    first = 0
    for sent in doc.sents:
        while first < len(entities) and entities[first].start < sent.start:
            first += 1
        inside = []
        for ent in entities[first:]:
            if ent.start >= sent.end:
                break
            if ent.end <= sent.end:
                inside.append(ent)
        yield sent, inside


def _mentions(
    text: str, seen: str, ents: list[Span], offset: int, label_to_type: dict[str, str]
) -> Iterator[Mention]:
    """`text` is the original of `seen`, the chunk as spaCy read it, which may be
    truecased (same offsets)."""
    for ent in ents:
        entity_type = label_to_type.get(ent.label_)
        if entity_type is None:
            continue
        # A span may hold no name, or several (one per line), each cleaned.
        for span in cut_span(text, ent.start_char, ent.end_char):
            # A title in front of a person is not part of the name ("Major General Hassan Rashad").
            if entity_type == "PERSON":
                span = strip_title(text, *span)
            if span is None:
                continue
            start, end = span
            surface = text[start:end]
            yield Mention(
                start=offset + start,
                end=offset + end,
                text=surface,
                name=normalize(usual_spelling(surface, seen[start:end])),
                label=entity_type,
                spacy_label=ent.label_,
                raw=text[ent.start_char : ent.end_char],
            )


"""Recognizer: find the people, organizations and places in documents.

Input: a stream of `Document`s and a spaCy pipeline. Output: one `Extraction` per
document, its sentences (statements) with the names in them (mentions): cleaned text
(trimmed and untitled with the word lists of the pipeline's language, graph.lang), entity
type, the original spaCy label and character offsets into the document.
Documents are streamed through `nlp.pipe`, never held all at once.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from graph.documents import cut_text, paragraph_starts
from graph.errors import ModelError
from graph.lines import cut_span, line_shape, truecase, usual_spelling
from graph.model import ENTITY_TYPES, Document, Extraction, Mention, Paragraph, Statement, labels_of
from graph.names import NameWords, normalize, strip_title
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
# The words right before and after a name on its line, spaces between, read within
# this many characters.
_WORD_BEFORE = re.compile(r"(\w[\w.'’-]*)[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+(\w[\w'’-]*)")
_WORD_CHARS = re.compile(r"\w+")
_HYPHENATED = re.compile(r"[-‐][^\W\d_]")
_HYPHENATED_BEFORE = re.compile(r"[^\W\d_][-‐]$")
_NEAR = 60
_TYPE_ORDER = tuple(ENTITY_TYPES)


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
    label_to_type = labels_of(types)
    words = NameWords.of((nlp.lang,))

    def pieces() -> Iterator[tuple[tuple[str, str, int, bool, str, list[int]], Doc]]:
        for document in documents:
            # spaCy reads a truecased copy (same length, so the chunks and offsets are
            # the original's); names and statements are cut from the original.
            chunks = list(cut_text(truecase(document.text), MAX_CHUNK_CHARS))
            paragraphs = paragraph_starts(document.text)
            for number, (offset, piece) in enumerate(chunks):
                original = document.text[offset : offset + len(piece)]
                doc = nlp.make_doc(piece)
                doc.user_data[WRITTEN] = original
                last = number == len(chunks) - 1
                yield (document.doc_id, document.text, offset, last, original, paragraphs), doc

    # The document's sentences so far: (start, end, mentions), document offsets.
    sentences: list[tuple[int, int, list[Mention]]] = []
    # as_tuples carries each chunk's document and offset alongside it through the pipe.
    for doc, (doc_id, whole, offset, last, original, paragraphs) in nlp.pipe(
        ((text, ctx) for ctx, text in pieces()), as_tuples=True, batch_size=batch_size
    ):
        # What spaCy read (maybe truecased); doc.text joins every token anew each time.
        seen = doc.text
        for sent, ents in _sentences_with_entities(doc):
            if not sent.text.strip():
                continue
            mentions = list(_mentions(original, seen, ents, offset, label_to_type, words))
            sentences.append((offset + sent.start_char, offset + sent.end_char, mentions))
        if last:
            yield _extraction(doc_id, whole, sentences, paragraphs)
            sentences = []


def _extraction(
    doc_id: str, text: str, sentences: list[tuple[int, int, list[Mention]]], paragraphs: list[int]
) -> Extraction:
    """One document's Extraction from its sentences, once the names the model found
    are found in the document's tables too (see `_found_everywhere`)."""
    _found_everywhere(text, sentences)
    statements = tuple(
        Statement(start, end, normalize(text[start:end]), tuple(mentions), bisect_right(paragraphs, start))
        for start, end, mentions in sentences
        if mentions
    )
    return Extraction(doc_id, statements, len(sentences), paragraphs=named_paragraphs(text, statements, paragraphs))


def named_paragraphs(text: str, statements: Sequence[Statement], starts: list[int]) -> tuple[Paragraph, ...]:
    """The paragraphs naming two or more names, as written: where a link's evidence stands."""
    named: Counter[int] = Counter()
    for statement in statements:
        named[statement.paragraph] += len(statement.mentions)
    bounds = [0, *starts, len(text)]
    return tuple(
        Paragraph(number, bounds[number], text[bounds[number] : bounds[number + 1]])
        for number in sorted(n for n, count in named.items() if count >= 2)
    )


def _found_everywhere(text: str, sentences: list[tuple[int, int, list[Mention]]]) -> None:
    """Add to `sentences` the names the model found somewhere in the document but
    missed in its tables: every occurrence of a mention's exact text (same capitals,
    whole words) on a line that is no prose (a row, a heading: `lines.line_shape`) and
    no part of a longer name (no capitalised word right before or after it, no overlap
    with a mention) becomes a mention of the type the model gave that text most often.
    Longer names go first, so that "Bank of England" is claimed before "England" in it.

    Not in prose: there the model reads a name in its sentence and a miss is mostly
    right (on the GUM set, 48 of the 104 names it would add were no gold mention, and
    resolution and precision fell); in a table row it has no sentence to read."""
    rows, line_start = [], 0
    for line in text.split("\n"):
        if line_shape(line) is not None:
            rows.append((line_start, line_start + len(line)))
        line_start += len(line) + 1
    if not rows:
        return
    found: dict[str, Counter[tuple[str, str, str]]] = defaultdict(Counter)
    taken = bytearray(len(text))
    for _, _, mentions in sentences:
        for mention in mentions:
            found[mention.text][(mention.label, mention.spacy_label, mention.name)] += 1
            taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
    # Where each word of a row starts: a name is looked for where its first word
    # stands, not in the whole text once per name.
    words: dict[str, list[int]] = defaultdict(list)
    for row_start, row_end in rows:
        for match in _WORD_CHARS.finditer(text, row_start, row_end):
            words[match.group()].append(match.start())
    starts = [start for start, _, _ in sentences]
    added = False
    for surface in sorted(found, key=lambda s: (-len(s), s)):
        first = _WORD_CHARS.match(surface)
        if first is None:
            continue
        votes = found[surface]
        label, spacy_label, name = min(votes, key=lambda v: (-votes[v], _TYPE_ORDER.index(v[0]), v))
        for start in words.get(first.group(), ()):
            end = start + len(surface)
            if (
                not text.startswith(surface, start)
                or (end < len(text) and (text[end].isalnum() or text[end] == "_"))
                or any(taken[start:end])
                or _in_longer_name(text, start, end)
            ):
                continue
            index = bisect_right(starts, start) - 1
            if index < 0 or end > sentences[index][1]:
                continue  # across a statement's end, or before the first
            sentences[index][2].append(Mention(start, end, surface, name, label, spacy_label, surface))
            taken[start:end] = b"\x01" * (end - start)
            added = True
    if added:
        for _, _, mentions in sentences:
            mentions.sort(key=lambda m: m.start)


def _in_longer_name(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` is part of a longer name on its line: a capitalised
    word right before or after it ("Bayern Munich", "Mr Harper", "Harper Lee"), or a
    word it is hyphenated to ("Dallas-Fort Worth")."""
    line_start = text.rfind("\n", 0, start) + 1
    before = _WORD_BEFORE.search(text[max(line_start, start - _NEAR) : start])
    after = _WORD_AFTER.match(text, end, end + _NEAR)
    return (
        (before is not None and before.group(1)[0].isupper())
        or (after is not None and after.group(1)[0].isupper())
        or _HYPHENATED.match(text, end) is not None
        or _HYPHENATED_BEFORE.search(text[max(line_start, start - 2) : start]) is not None
    )


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
    text: str, seen: str, ents: list[Span], offset: int, label_to_type: dict[str, str], words: NameWords
) -> Iterator[Mention]:
    """`text` is the original of `seen`, the chunk as spaCy read it, which may be
    truecased (same offsets)."""
    for ent in ents:
        entity_type = label_to_type.get(ent.label_)
        if entity_type is None:
            continue
        # A span may hold no name, or several (one per line), each cleaned.
        for span in cut_span(text, ent.start_char, ent.end_char, words):
            # A title in front of a person is not part of the name ("Major General Hassan Rashad").
            if entity_type == "PERSON":
                span = strip_title(text, *span, words)
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


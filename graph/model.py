"""The records passed between stages: small frozen dataclasses of strings and ints.

An `Extraction` (one document's statements and mentions) never holds spaCy objects, so it
can be cached by content hash or computed on another machine and shipped back as a dict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.errors import EntigraphError

# The entity types entigraph keeps, in the order that breaks ties between them.
ENTITY_TYPES: tuple[str, ...] = ("PERSON", "ORG", "PLACE")
# The label schemes of spaCy's published pipelines (each scheme's name, then the
# pipelines that use it) and the type each label gathers; a label left out (dates,
# amounts, nationalities, MISC, works, events) is no person, organization or place.
LABEL_SCHEMES: dict[str, dict[str, str]] = {
    # OntoNotes 5: en, zh, ja, nl, el, fi (ro spells two labels out, below)
    "OntoNotes": {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"},
    "OntoNotes, spelled out (ro)": {"ORGANIZATION": "ORG", "FACILITY": "PLACE"},
    # WikiNER and CoNLL: fr, es, it, pt, de, ca, da, hr, sl, uk, ru
    "WikiNER": {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE"},
    # NorNE (nb): a state acting (GPE_ORG) is still the place it names, as GPE is above
    "NorNE": {"GPE_LOC": "PLACE", "GPE_ORG": "PLACE"},
    # SUC 3 (sv)
    "SUC": {"PRS": "PERSON"},
    # NKJP (pl)
    "NKJP": {"persName": "PERSON", "orgName": "ORG", "placeName": "PLACE", "geogName": "PLACE"},
    # KLUE (ko)
    "KLUE": {"PS": "PERSON", "OG": "ORG", "LC": "PLACE"},
}
# Every label above and its type: no label means two things across schemes.
LABEL_TYPES: dict[str, str] = {label: t for scheme in LABEL_SCHEMES.values() for label, t in scheme.items()}


def labels_of(types: Sequence[str]) -> dict[str, str]:
    """The spaCy labels that gather into `types`, and the type of each."""
    return {label: t for label, t in LABEL_TYPES.items() if t in types}


def unkept_types(labels: Sequence[str], types: Sequence[str]) -> tuple[str, ...]:
    """The `types` that none of a pipeline's NER `labels` gathers into."""
    found = {LABEL_TYPES[label] for label in labels if label in LABEL_TYPES}
    return tuple(t for t in types if t not in found)


def parse_choices(spec: str | Sequence[str], choices: Sequence[str], noun: str) -> tuple[str, ...]:
    """Turn "a,b" (or a list) into members of `choices`, matched ignoring case, in
    `choices` order; anything else raises EntigraphError naming it and the choices."""
    items = [item.strip() for item in (spec.split(",") if isinstance(spec, str) else spec)]
    wanted = {item.casefold() for item in items if item}
    known = {choice.casefold() for choice in choices}
    unknown = sorted({item for item in items if item and item.casefold() not in known})
    if unknown or not wanted:
        raise EntigraphError(
            f"unknown {noun} {', '.join(unknown) or '(none)'}; choose from {', '.join(choices)}"
        )
    return tuple(choice for choice in choices if choice.casefold() in wanted)


def parse_types(spec: str | Sequence[str]) -> tuple[str, ...]:
    """Turn "PERSON,ORG" (or a list) into checked entity types, in canonical order."""
    return parse_choices(spec, tuple(ENTITY_TYPES), "entity type")


@dataclass(frozen=True)
class Document:
    """One unit of input text. `doc_id` is unique in a corpus (a relative path, a row id);
    `date` is when it was published, as `YYYY-MM-DD`, when its row says; `source` where it
    was read from: the file, with `:line` for a row of a JSONL or CSV file; `lang` its
    language as its row's language field writes it, when it has one (graph.routing)."""

    doc_id: str
    text: str
    date: str | None = None
    source: str = ""
    lang: str | None = None


@dataclass(frozen=True)
class Mention:
    """A name found in a document.

    `start`/`end` are character offsets of the cleaned name in the document, so
    `document.text[start:end] == text`; `raw` is the span the model proposed (it may
    carry a leading "the", a possessive or a title); `name` is `text` with whitespace
    collapsed, the form used for matching, spelled as the document spells it elsewhere
    when `text` stands on a line in capitals ("QATAR" -> "Qatar").
    """

    start: int
    end: int
    text: str
    name: str
    label: str
    spacy_label: str
    raw: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "name": self.name,
            "label": self.label,
            "spacy_label": self.spacy_label,
            "raw": self.raw,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        return cls(**data)


@dataclass(frozen=True)
class Relation:
    """How two names of one statement are linked, as its dependency parse says.

    `source` and `target` index the statement's mentions, in the relation's direction
    (who does what to whom); `target` is None when the other end is a country the
    statement names only by its adjective ("the Egyptian official"): `country` then
    holds the country's name. `role` is a name of the scheme in graph.relations
    (`head_of`, ...) or empty; `phrase` the words that link them (`meet`, `head of`)
    or empty. One of the two is set.
    """

    source: int
    target: int | None
    role: str = ""
    phrase: str = ""
    country: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "role": self.role,
            "phrase": self.phrase,
            "country": self.country,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Relation:
        return cls(**data)


@dataclass(frozen=True)
class Statement:
    """A sentence and the names in it. `text` is the sentence itself: edges quote it;
    `paragraph` numbers the paragraph it stands in, from 0 (see recognize.paragraph_starts);
    `relations` says how its names are linked (empty when it names fewer than two, or
    relations were not asked for)."""

    start: int
    end: int
    text: str
    mentions: tuple[Mention, ...] = ()
    paragraph: int = 0
    relations: tuple[Relation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "mentions": [m.to_dict() for m in self.mentions],
            "paragraph": self.paragraph,
            "relations": [r.to_dict() for r in self.relations],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Statement:
        mentions = tuple(Mention.from_dict(m) for m in data["mentions"])
        relations = tuple(Relation.from_dict(r) for r in data.get("relations", ()))
        return cls(data["start"], data["end"], data["text"], mentions, data.get("paragraph", 0), relations)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a document, as written: `number` as statements number theirs, `start`
    its offset in the document (see recognize.paragraph_starts)."""

    number: int
    start: int
    text: str


@dataclass(frozen=True)
class Extraction:
    """What the recognizer found in one document: its statements, in text order.

    Only statements holding at least one mention are kept; `sentences` counts all.
    `signature` is the MinHash of the text's word shingles (graph.dedupe), empty for a
    text without words: what near-duplicate grouping compares, computed where the text is.
    `paragraphs` are those naming two or more names, whose text a link's evidence can be
    read in (the statements alone lose "He denied it.").
    """

    doc_id: str
    statements: tuple[Statement, ...]
    sentences: int = 0
    signature: tuple[int, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()

    @property
    def mentions(self) -> tuple[Mention, ...]:
        return tuple(m for s in self.statements for m in s.mentions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "sentences": self.sentences,
            "statements": [s.to_dict() for s in self.statements],
            "signature": list(self.signature),
            "paragraphs": [[p.number, p.start, p.text] for p in self.paragraphs],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        statements = tuple(Statement.from_dict(s) for s in data["statements"])
        signature = tuple(data.get("signature", ()))
        paragraphs = tuple(Paragraph(*p) for p in data.get("paragraphs", ()))
        return cls(data["doc_id"], statements, data.get("sentences", 0), signature, paragraphs)


@dataclass(frozen=True)
class Entity:
    """A canonical entity: one node of the graph.

    `id` is safe as an XML NMTOKEN (GraphML node id); `aliases` are every surface form
    merged into it; `merges` says, one line per merge, why a form joined it.
    """

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    merges: tuple[str, ...] = field(default=())


MentionKey = tuple[str, int, int]
"""(doc_id, start, end): names one mention across the corpus."""


@dataclass(frozen=True)
class Resolution:
    """Resolver output: the entities, and which entity each kept mention refers to.

    A mention missing from `links` was dropped (junk, excluded name).
    """

    entities: dict[str, Entity]
    links: dict[MentionKey, str]

    def entity_of(self, doc_id: str, mention: Mention) -> Entity | None:
        entity_id = self.links.get((doc_id, mention.start, mention.end))
        return None if entity_id is None else self.entities[entity_id]


@dataclass(frozen=True)
class Evidence:
    """A sentence that supports an edge: where it is and what it says."""

    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class LinkRelation:
    """A relation between the two ends of an edge, over the statements that show it:
    a role of the scheme (`role`, with `phrase` empty) or a phrase (`phrase`, with
    `role` empty), from entity `source` to entity `target`, seen `count` times, first
    in `example`."""

    role: str
    phrase: str
    source: str
    target: str
    count: int
    example: Evidence


@dataclass(frozen=True)
class DocumentInfo:
    """What the graph stage knows of a document besides its extraction: `group` is the
    position (in input order) of the first document of its near-duplicate group, its own
    position when it has no copy; `date` as on `Document`."""

    doc_id: str
    group: int
    date: str | None = None


# Node colours by type, as `#rrggbb` (GraphML/Gephi and the HTML view use the same).
TYPE_COLORS: dict[str, str] = {
    "PERSON": "#e15759",
    "ORG": "#4e79a7",
    "PLACE": "#59a14f",
}

"""Relations: how two entities of a statement are linked, not only that they are.

Job: in the extract worker, parse the statements that could hold a relation (two or more
distinct names, or a person or place beside a nationality adjective) and read from each parse the
phrases and roles linking its names (`parse`, `roles`); in the graph stage, turn those
into relations between entities.
Input: a batch's documents, their extractions and the spaCy pipeline, whose tagger,
parser, attribute ruler and lemmatizer the recognizer leaves off and this stage runs on
the chosen statements only, read with the words of the pipeline's language (`nlp.lang`:
graph/lang/<code>/relations.py, data/tables/demonyms_<code>.csv); for the graph stage, a
statement and the `Resolution`.
Output: the extractions with each statement's `relations`; `EntityRelation`s between
entity ids, a role dropped when the resolved types do not fit the scheme.

The scheme (roles.SCHEME), each role with its direction: `head_of` (person -> organization
or place: leads it), `member_of` (person -> organization: belongs to, works, speaks or
plays for it), `citizen_of` (person -> place), `based_in` (organization -> place),
`located_in` (place -> place), `part_of` (organization -> organization).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from graph.errors import EntigraphError
from graph.lines import truecase
from graph.model import Document, Extraction, Resolution, Statement
from graph.relations.parse import NATIONALITY, Grammar, read_relations
from graph.resolve.context import Cues, context_type
from graph.relations.roles import SCHEME, role_words

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Token

__all__ = [
    "SCHEME", "Demonyms", "EntityRelation", "add_relations", "countries_of", "demonyms_digest", "entity_relations",
    "read_demonyms",
]

# What gives the parse, in pipeline order; the recognizer runs none of them. The
# attribute ruler and the lemmatizer are not run over whole statements (they cost as much
# as the parser): parts of speech come from the tagger's tags (TAG_POS), or from the
# morphologizer where the pipeline has one (French: parts of speech and features), and
# the few lemmas read, those of the words between two names, are looked up one by one.
PARSE_COMPONENTS = ("tok2vec", "tagger", "morphologizer", "parser")
# Penn Treebank tags -> the coarse parts of speech the attribute ruler gives them.
TAG_POS = {
    "VB": "VERB", "VBD": "VERB", "VBG": "VERB", "VBN": "VERB", "VBP": "VERB", "VBZ": "VERB",
    "MD": "AUX", "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "IN": "ADP",
    "RP": "ADP", "JJ": "ADJ", "JJR": "ADJ", "JJS": "ADJ", "DT": "DET", "PRP": "PRON",
    "WP": "PRON", "WDT": "PRON", "CD": "NUM", "CC": "CCONJ", "RB": "ADV", "TO": "PART",
    "POS": "PART",
}  # fmt: skip
# The demonym tables: English's, and each other language's as demonyms_<code>.csv.
DEMONYMS_FILE = "demonyms.csv"
DEMONYMS_LANG = "en"
_WORD = re.compile(r"[^\W\d_]+")
# A statement naming more than this many is a list or a table row (a squad, a results
# line): its parse is long and costly and links no pair by more than a comma.
MAX_NAMES = 10


@dataclass(frozen=True)
class Demonyms:
    """Nationality adjectives and the countries they name (data/tables/demonyms*.csv):
    `adjectives` maps a language to its adjectives, each to its country ("en": "Egyptian"
    to "Egypt"; "fr": "égyptienne" to "Égypte"), `spellings` a country (of every
    language's table) to every name it goes by."""

    adjectives: Mapping[str, Mapping[str, str]]
    spellings: Mapping[str, tuple[str, ...]]

    def of(self, lang: str) -> Mapping[str, str]:
        """The adjectives of `lang`, English's when it has no table (as graph.lang)."""
        return self.adjectives.get(lang, self.adjectives.get(DEMONYMS_LANG, {}))

    def words(self, lang: str) -> frozenset[str]:
        """The last word of every adjective of `lang`: a statement without one names no
        nationality."""
        return frozenset(adjective.split()[-1] for adjective in self.of(lang))


@dataclass(frozen=True)
class EntityRelation:
    """A statement's relation between two entities (ids), in its direction."""

    source: str
    target: str
    role: str
    phrase: str


def tables_dir() -> Path:
    """The data tables: shipped inside the installed package (graph/tables), or
    data/tables in a source checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "tables"
    return installed if installed.is_dir() else package.parent / "data" / "tables"


def demonym_tables(directory: Path | None = None) -> dict[str, Path]:
    """Language -> its demonym table in `directory` (the data tables unless told), English's
    first: demonyms.csv, then demonyms_<code>.csv by code."""
    directory = directory or tables_dir()
    found = {DEMONYMS_LANG: directory / DEMONYMS_FILE}
    for path in sorted(directory.glob("demonyms_*.csv")):
        found.setdefault(path.stem.removeprefix("demonyms_"), path)
    return found


def demonyms_digest(directory: Path | None = None) -> str:
    """A digest of the demonym tables' names and bytes: part of the key of every cached
    extraction, so that a row a user adds reaches documents extracted before it."""
    found = hashlib.sha256()
    for lang, path in demonym_tables(directory).items():
        try:
            found.update(f"{lang}\0".encode() + path.read_bytes())
        except OSError as err:
            raise EntigraphError(f"cannot read the demonym table {path}: {err.strerror or err}") from err
    return found.hexdigest()[:16]


def read_demonyms(directory: Path | None = None) -> Demonyms:
    """The demonym tables: CSV rows of `adjective,country,other names` (names joined by |),
    one table a language."""
    adjectives: dict[str, dict[str, str]] = {}
    spellings: dict[str, tuple[str, ...]] = {}
    for lang, path in demonym_tables(directory).items():
        try:
            rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
        except OSError as err:
            raise EntigraphError(f"cannot read the demonym table {path}: {err.strerror or err}") from err
        table = adjectives.setdefault(lang, {})
        for number, row in enumerate(rows, start=2):
            adjective, country = (row.get("adjective") or "").strip(), (row.get("country") or "").strip()
            if not adjective or not country:
                raise EntigraphError(f"{path}:{number}: a row needs an adjective and a country")
            table[adjective] = country
            others = tuple(n.strip() for n in (row.get("names") or "").split("|") if n.strip())
            spellings[country] = tuple(dict.fromkeys((*spellings.get(country, (country,)), *others)))
    return Demonyms(adjectives, spellings)


def add_relations(
    nlp: Language,
    documents: Sequence[Document],
    extractions: Sequence[Extraction],
    demonyms: Demonyms,
    *,
    batch_size: int = 64,
) -> list[Extraction]:
    """`extractions` (one per document, in order) with the relations of their statements.
    A pipeline without a parser gives none."""
    components = [(name, nlp.get_pipe(name)) for name in nlp.component_names if name in PARSE_COMPONENTS]
    if "parser" not in dict(components):
        return list(extractions)
    adjectives, words = demonyms.of(nlp.lang), demonyms.words(nlp.lang)
    # Universal Dependencies' labels (obj, obl, nmod + case) or ClearNLP's (dobj, pobj).
    grammar = Grammar(role_words(nlp.lang), universal="obj" in getattr(dict(components)["parser"], "labels", ()))
    tagged = "morphologizer" not in dict(components)
    wanted: list[tuple[int, int, str]] = []
    for d, (document, extraction) in enumerate(zip(documents, extractions, strict=True)):
        seen: str | None = None
        for s, statement in enumerate(extraction.statements):
            if not _worth_parsing(statement, words):
                continue
            if seen is None:
                # What the recognizer read: lines in capitals recased, same offsets.
                seen = truecase(document.text)
            wanted.append((d, s, seen[statement.start : statement.end]))
    if not wanted:
        return list(extractions)
    docs: Iterable = (nlp.make_doc(text) for _, _, text in wanted)
    for _, component in components:
        docs = component.pipe(docs, batch_size=batch_size)
    lemmatize = _lemmatizer(nlp)
    cues = Cues.of((nlp.lang,))
    found: dict[tuple[int, int], tuple] = {}
    for (d, s, _), doc in zip(wanted, docs, strict=True):
        if tagged:
            for token in doc:
                token.pos_ = TAG_POS.get(token.tag_, "X")
        statement = extractions[d].statements[s]
        # Typed as the resolver will vote: the words around a name before the model's label.
        names = [
            (m.start - statement.start, m.end - statement.start, context_type(statement, m, cues) or m.label)
            for m in statement.mentions
        ]
        relations = read_relations(doc, names, adjectives, lemmatize, grammar)
        if relations:
            found[d, s] = relations
    result = []
    for d, extraction in enumerate(extractions):
        statements = tuple(
            replace(statement, relations=found[d, s]) if (d, s) in found else statement
            for s, statement in enumerate(extraction.statements)
        )
        result.append(replace(extraction, statements=statements))
    return result


def _lemmatizer(nlp: Language) -> Callable[[Iterable[Token]], None]:
    """Sets the lemma of the tokens given that have none, with the pipeline's own
    lemmatizer (the lower-cased word without one)."""
    component = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.component_names else None
    lookup = getattr(component, f"{getattr(component, 'mode', '')}_lemmatize", None)

    def lemmatize(tokens: Iterable[Token]) -> None:
        for token in tokens:
            if not token.lemma:
                token.lemma_ = (lookup(token) or [""])[0] if lookup is not None else token.text.lower()
    return lemmatize


def _worth_parsing(statement: Statement, demonym_words: frozenset[str]) -> bool:
    """Two distinct names (up to MAX_NAMES), or a person or place and a word that may be
    a nationality."""
    names = {m.name for m in statement.mentions}
    if len(names) >= 2:
        return len(names) <= MAX_NAMES
    return any(m.label in NATIONALITY for m in statement.mentions) and any(
        w in demonym_words for w in _WORD.findall(statement.text)
    )


def countries_of(resolution: Resolution, demonyms: Demonyms) -> dict[str, str]:
    """Country (as the demonym table names it) -> the id of the place entity going by one
    of its names, for the countries the corpus names."""
    by_name: dict[str, str] = {}
    for entity in sorted(resolution.entities.values(), key=lambda e: e.id):
        if entity.type == "PLACE":
            for name in (entity.name, *entity.aliases):
                by_name.setdefault(name.casefold(), entity.id)
    found: dict[str, str] = {}
    for country, names in demonyms.spellings.items():
        entity_id = next((by_name[n.casefold()] for n in names if n.casefold() in by_name), None)
        if entity_id is not None:
            found[country] = entity_id
    return found


def entity_relations(
    doc_id: str, statement: Statement, resolution: Resolution, countries: Mapping[str, str]
) -> Iterator[EntityRelation]:
    """The statement's relations between two distinct kept entities, each once; a role
    whose resolved types do not fit the scheme is dropped, its phrase kept."""
    links, entities = resolution.links, resolution.entities
    ids = [links.get((doc_id, m.start, m.end)) for m in statement.mentions]
    seen: set[EntityRelation] = set()
    for relation in statement.relations:
        source = ids[relation.source]
        target = ids[relation.target] if relation.target is not None else countries.get(relation.country)
        if source is None or target is None or source == target:
            continue
        role = relation.role
        if role:
            source_type, target_types = SCHEME[role]
            if entities[source].type != source_type or entities[target].type not in target_types:
                role = ""
        if not role and not relation.phrase:
            continue
        found = EntityRelation(source, target, role, relation.phrase)
        if found not in seen:
            seen.add(found)
            yield found

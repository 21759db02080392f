"""Resolver: map mentions to canonical entities, one per real-world entity.

Input: the `Extraction`s of a corpus, the languages it is written in (their word lists,
graph.lang), and optionally an aliases file (canonical names and the forms that mean
them) and an exclude file (names never to keep). Output: a
`Resolution`, the entities (future graph nodes) and, for every kept mention, the entity
it names. Each entity keeps all its surface forms and one line per merge saying why.

The package splits the work by what it depends on, so that a store (graph.store) can
redo only what a changed document touches:
- `uses`: what one document contributes, whatever the rest of the corpus says (its
  mentions as the resolver reads them, its parenthesised names, its words);
- `corpus`: decisions only the whole corpus can make, from the sums of those (which names
  are kept, how a table row votes, which names are retyped);
- `forms`: one document's names under those decisions (`Form`s) and the links between
  them (`links`: short forms, acronyms, spellings, parentheses);
- `entities`: the names grouped over the corpus into entities, named and typed.
The rules, in order:
1. user aliases rename mentions before anything else; excluded names and junk (spans
   that are not names: lowercase, no letters, one character, possessive leftovers, a
   lone capitalised word the corpus otherwise writes in lowercase, such as a headline's
   "Ceasefire") are dropped; a name in a table or results row votes for the type its
   uses in prose have, where the corpus has any ("Slovakia 3 2 1 0" is the country that
   prose names); a name the model did not take for an organization that is one's name
   followed by a place ("Ajax Amsterdam" beside "Ajax" and "Amsterdam") is a club;
2. within a document, a short name resolves to the one full name it is a part of:
   "Netanyahu" and "Benjamin" to "Benjamin Netanyahu", "Le Pen" to "Marine Le Pen" even
   when the model took it for an organization, an acronym to the one name with its
   initials, "Air Force" to "United States Air Force", "Bayern" to the "Bayern Munich"
   it leads (the rest is a place), never to the name of another entity it is named for
   ("United Nations" is not "Group of Friends of the United Nations"); a lone word that is the
   surname of the one full person name spelled another way ("Muhamad" beside "Ali
   Muhammad", see `names.spelling_variants`) to that person; a name followed by another in
   parentheses ("Islamic Resistance Movement (Hamas)") is the same entity;
3. across the corpus, the same name is one entity whatever the document; a short name
   with no full name in its own document joins the full name that holds at least
   `CORPUS_SHARE` of the uses of all full names it could stand for; an outlet's web
   edition ("BBC News Online", "Haaretz.com") joins the organization it is named after;
4. each entity takes the alias file's type, or else the majority type of its mentions,
   each voting for the model's type unless the words around it say otherwise ("the Globe
   website", "the head of Interpol": an organization; see `context`), a short name with
   the type of the full name it joined.
Every step indexes names by word, so the work is linear in the number of mentions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from pathlib import Path

from graph.model import Extraction, MentionKey, Resolution
from graph.names import NameWords
from graph.resolve.aliases import Alias, read_aliases, read_exclude
from graph.resolve.context import Cues
from graph.resolve.corpus import NameDecisions, UserNames, after_retyping, decide_names, retyped_keys
from graph.resolve.entities import LinkedDocument, draft_entities, group_names, name_entities, slug, unique_id
from graph.resolve.forms import DocumentLinks, document_forms, link_document
from graph.resolve.links import CORPUS_SHARE, CorpusIndex, Form, corpus_labels
from graph.resolve.uses import MentionUse, mention_uses, name_counts, word_counts, written_in_parentheses

__all__ = [
    "CORPUS_SHARE", "Alias", "CorpusIndex", "DocumentLinks", "Form", "LinkedDocument", "MentionUse",
    "NameDecisions", "UserNames", "after_retyping", "corpus_labels", "decide_names", "document_forms",
    "draft_entities", "group_names", "link_document", "mention_uses", "name_counts", "name_entities",
    "read_aliases", "read_exclude", "read_user_names", "resolve", "retyped_keys", "slug", "spellings",
    "unique_id", "word_counts", "written_in_parentheses",
]


def read_user_names(aliases_path: Path | None = None, exclude_path: Path | None = None) -> UserNames:
    """The user's aliases and exclude files, read (InputError names a bad one)."""
    aliases = read_aliases(aliases_path) if aliases_path is not None else {}
    excluded = read_exclude(exclude_path) if exclude_path is not None else set()
    return UserNames(aliases, frozenset(excluded))


def spellings(counts: Counter, decisions: NameDecisions) -> dict[str, str]:
    """Each kept key's most used spelling over the corpus (ties: the smallest), which
    quotes the name in merge lines."""
    uses_of: Counter[tuple[str, str]] = Counter()
    for use, uses in counts.items():
        final = decisions.final(use.name)
        if final is not None:
            uses_of[(final[0], use.name)] += uses
    best: dict[str, tuple[int, str]] = {}
    for (name_key, name), uses in uses_of.items():
        if name_key not in best or (-uses, name) < (-best[name_key][0], best[name_key][1]):
            best[name_key] = (uses, name)
    return {name_key: name for name_key, (_, name) in best.items()}


def resolve(
    extractions: Collection[Extraction],
    *,
    aliases_path: Path | None = None,
    exclude_path: Path | None = None,
    languages: tuple[str, ...] = ("en",),
) -> Resolution:
    """Group mentions into entities, all in memory; see the module docstring for the rules.
    The store (graph.store) runs the same steps over a corpus kept on disk."""
    user = read_user_names(aliases_path, exclude_path)
    name_words, cues = NameWords.of(languages), Cues.of(languages)
    uses: dict[str, list[MentionUse]] = {}
    parentheses: dict[str, list[tuple[str, str]]] = {}
    counts: Counter = Counter()
    words: Counter[str] = Counter()
    for extraction in extractions:
        uses[extraction.doc_id] = mention_uses(extraction, cues)
        parentheses[extraction.doc_id] = written_in_parentheses(extraction)
        counts.update(name_counts(uses[extraction.doc_id]))
        words.update(word_counts(extraction))
    decisions = decide_names(counts, words, user)
    forms = {doc_id: document_forms(doc_uses, decisions) for doc_id, doc_uses in uses.items()}
    every_form = [form for doc_forms in forms.values() for form in doc_forms.values()]
    labels = corpus_labels(every_form)
    retyped = retyped_keys(labels, {form.key for form in every_form if form.aliased is not None}, name_words)
    corpus = CorpusIndex(after_retyping(labels, retyped), name_words)
    documents = [
        LinkedDocument(doc_id, doc_forms, link_document(doc_forms, parentheses[doc_id], corpus, retyped))
        for doc_id, doc_forms in sorted(forms.items())
    ]
    groups = group_names(documents, corpus)
    group_of: dict[tuple[str, str], str] = {}
    drafts = draft_entities(
        documents, corpus, groups, spellings(counts, decisions),
        on_form=lambda doc_id, name_key, group: group_of.__setitem__((doc_id, name_key), group),
    )  # fmt: skip
    entities = name_entities(drafts)
    links: dict[MentionKey, str] = {}
    for doc_id, doc_uses in uses.items():
        for use in doc_uses:
            final = decisions.final(use.name)
            if final is not None:
                links[(doc_id, use.start, use.end)] = entities[group_of[(doc_id, final[0])]].id
    return Resolution({entity.id: entity for entity in entities.values()}, links)


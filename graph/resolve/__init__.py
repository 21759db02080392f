"""Resolver: map mentions to canonical entities, one per real-world entity.

Input: the `Extraction`s of a corpus, and optionally an aliases file (canonical names and
the forms that mean them) and an exclude file (names never to keep). Output: a
`Resolution`, the entities (future graph nodes) and, for every kept mention, the entity
it names. Each entity keeps all its surface forms and one line per merge saying why.

The package splits the work by job: `aliases` (the user's files), `context` (type cues
in the words around a mention), `links` (the rules that join names), `entities` (one
entity per group). The steps, in order:
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

import re
from collections import Counter, defaultdict
from collections.abc import Collection
from pathlib import Path

from graph.model import Extraction, Resolution
from graph.lines import is_table_row
from graph.names import junk_reason, key, normalize, tokens
from graph.resolve.aliases import Alias, read_aliases, read_exclude
from graph.resolve.context import context_type
from graph.resolve.entities import slug, to_entities, unique_id
from graph.resolve.links import (
    CORPUS_SHARE,
    CorpusIndex,
    Form,
    Groups,
    Use,
    Why,
    is_short,
    local_links,
    majority,
    named_after_places,
    parenthesised,
    written_in_parentheses,
)

__all__ = ["CORPUS_SHARE", "Alias", "read_aliases", "read_exclude", "resolve", "slug", "unique_id"]

_WORD = re.compile(r"[^\W\d_]+")


def resolve(
    extractions: Collection[Extraction],
    *,
    aliases_path: Path | None = None,
    exclude_path: Path | None = None,
) -> Resolution:
    """Group mentions into entities; see the module docstring for the rules.

    `extractions` is read twice, one extraction at a time (it may stream
    from the cache): only the mentions and a few words are kept, never statement text.
    """
    aliases = read_aliases(aliases_path) if aliases_path is not None else {}
    excluded = read_exclude(exclude_path) if exclude_path is not None else set()
    uses, in_parentheses = _kept_uses(extractions, aliases, excluded)

    # doc -> key -> form
    forms: dict[str, dict[str, Form]] = defaultdict(dict)
    for doc_id, _, _, name, label, alias, name_key in uses:
        form = forms[doc_id].get(name_key)
        if form is None:
            form = forms[doc_id][name_key] = Form(name_key, Counter(), Counter(), alias)
        form.labels[label] += 1
        form.surfaces[name] += 1

    for name_key in named_after_places(forms):
        for doc_forms in forms.values():
            if name_key in doc_forms and doc_forms[name_key].aliased is None:
                doc_forms[name_key].retype("ORG")

    groups = Groups()
    reasons: dict[tuple[str, str], list[Why]] = defaultdict(list)
    votes_as: dict[tuple[str, str], str] = {}  # (doc, key) -> type its uses vote for
    corpus = CorpusIndex(forms)
    for doc_id in sorted(forms):
        doc_forms = forms[doc_id]
        local = local_links(doc_forms, corpus)
        for name_key in sorted(doc_forms):
            item = ("doc", doc_id, name_key)
            link = local.get(name_key)
            if link is not None:
                target, why = link
                groups.union(item, ("doc", doc_id, target))
                reasons[(doc_id, name_key)].append(Why(why, target))
                votes_as[(doc_id, name_key)] = doc_forms[target].label
                continue
            if name_key not in local and is_short(doc_forms[name_key]):
                why = corpus.full_name_for(doc_forms[name_key])
                if why is not None:
                    groups.union(item, ("name", why.target))
                    reasons[(doc_id, name_key)].append(why)
                    votes_as[(doc_id, name_key)] = corpus.label(why.target)
                    continue
            groups.union(item, ("name", name_key))
            outlet = corpus.outlet_for(doc_forms[name_key])
            if outlet is not None:
                groups.union(item, ("name", outlet))
                reasons[(doc_id, name_key)].append(Why("web", outlet))
                votes_as[(doc_id, name_key)] = "ORG"
        for a, b in parenthesised(in_parentheses[doc_id], doc_forms):
            if (local.get(a) or (None,))[0] == b or (local.get(b) or (None,))[0] == a:
                continue  # already joined as short form or acronym (None: it was ambiguous)
            groups.union(("doc", doc_id, a), ("doc", doc_id, b))
            reasons[(doc_id, a)].append(Why("parentheses", b))

    return to_entities(uses, forms, groups, reasons, votes_as)


def _kept_uses(
    extractions: Collection[Extraction], aliases: dict[str, Alias], excluded: set[str]
) -> tuple[list[Use], dict[str, list[tuple[str, str]]]]:
    """Mentions that name something, renamed by the alias file, junk and excluded dropped;
    and each document's names written "Full Name (Short)", read in the same pass (every
    pass over a cached corpus decodes it again)."""
    name_words: set[str] = set()
    candidates: list[Use] = []
    # Which candidates stand in a table or results row, where the model reads every
    # name in a team's column as an organization ("Slovakia 3 2 1 0"), and which the
    # words around them made an organization ("the X website").
    in_rows: list[bool] = []
    cued: list[bool] = []
    in_parentheses: dict[str, list[tuple[str, str]]] = {}
    for extraction in extractions:
        in_parentheses[extraction.doc_id] = written_in_parentheses(extraction)
        for statement in extraction.statements:
            row = is_table_row(statement.text)
            for mention in statement.mentions:
                # Names from a cache or another tool may not be normalized yet.
                name = normalize(mention.name)
                name_key = key(name)
                alias = aliases.get(name_key)
                if alias is None and junk_reason(name):
                    continue
                final_key = key(alias.name) if alias else name_key
                if final_key in excluded or name_key in excluded:
                    continue
                if " " in name:
                    name_words.update(tokens(name_key))
                # The words around a mention vote with it: "the Globe website" is no person.
                cue = context_type(statement, mention)
                label = cue or mention.label
                candidates.append(Use(extraction.doc_id, mention.start, mention.end, name, label, alias, final_key))
                in_rows.append(row)
                cued.append(cue is not None)
    # A second pass counts only the words _common_word asks about, not the whole text.
    asked = {n for use in candidates for n in (use.name, use.name.lower()) if use.alias is None}
    words = _word_counts(extractions, asked)
    kept = [
        (use, row, cue)
        for use, row, cue in zip(candidates, in_rows, cued)
        if use.alias is not None or not _common_word(use.name, words, name_words)
    ]
    return _places_named_as_teams(kept), in_parentheses


def _places_named_as_teams(uses: list[tuple[Use, bool, bool]]) -> list[Use]:
    """The uses, those the model took for an organization in a table row voting for a
    place where the corpus's prose mostly names the same name as one: a country named as
    a team in a standings table ("Slovakia 3 2 1 0") stays the country, unless words
    around one of its uses make it an organization ("the Slovakia squad"). Between a
    person and an organization the votes decide: one sentence of prose is no better a
    judge than a row there. Nor do the model's votes in prose say more than their
    majority: it calls "Scientology" a place as often as an organization (GUM)."""
    prose: dict[str, Counter[str]] = defaultdict(Counter)
    organized: set[str] = set()
    for use, row, cue in uses:
        if not row:
            prose[use.key][use.label] += 1
        if cue:
            organized.add(use.key)

    def place(use: Use) -> bool:
        named = prose.get(use.key)
        return use.key not in organized and named is not None and majority(named) == "PLACE"

    return [
        use._replace(label="PLACE") if row and use.label == "ORG" and place(use) else use
        for use, row, _ in uses
    ]


def _word_counts(extractions: Collection[Extraction], asked: set[str]) -> Counter[str]:
    words: Counter[str] = Counter()
    for extraction in extractions:
        for statement in extraction.statements:
            words.update(w for w in _WORD.findall(statement.text) if w in asked)
    return words


def _common_word(name: str, words: Counter[str], name_words: set[str]) -> bool:
    """A lone capitalised word written more often in lowercase in the corpus, and never part
    of a longer name, is a common word capitalised by its place (a headline, a sentence
    start: "Ceasefire talks in Cairo ..."), not a name. Names keep their capital."""
    if " " in name or not name.istitle() or not name.isalpha():
        return False
    return words[name.lower()] > words[name] and name.casefold() not in name_words

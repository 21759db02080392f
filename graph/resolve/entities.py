"""Entities: one per group of linked names, with its type, canonical name and merges.

Input: every document's linked forms (`LinkedDocument`, graph.resolve.forms), read twice
in any order of documents, the `CorpusIndex`, and the corpus' spellings of each key (to
quote names in merge lines). Output: `Entities`: for each form of each document, the
group it belongs to, and one `Draft` per group (type, canonical name, surface forms,
merges), then stable NMTOKEN ids for them (`name_entities`).

A form joins a name: its own, the full name the corpus says it is short for, or through
a short-form link in its document the name its full form joins. Names are grouped by
union-find: an outlet's web edition joins the outlet's name, a name written in
parentheses after another joins it. A group is named by its smallest name key, which
stays the same across rebuilds unless that name leaves the group: the store keys a
document's links by it. Memory grows with the names of the corpus, never with its forms:
the documents are streamed, twice.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from graph.model import Entity
from graph.names import key, web_base
from graph.resolve.aliases import Alias
from graph.resolve.forms import DocumentLinks
from graph.resolve.links import CORPUS_SHARE, CorpusIndex, Form, Groups, Why, is_short, majority


@dataclass(frozen=True)
class LinkedDocument:
    """One document's forms (retyped as the corpus says) and the links between them."""

    doc_id: str
    forms: dict[str, Form]
    links: DocumentLinks


@dataclass(frozen=True)
class Attachment:
    """Where one form goes: the `name` (key) it joins, why when not its own (`why`), the
    type its uses vote for when not their own (`vote`), and the outlet whose web edition
    it is (`outlet`)."""

    name: str
    why: Why | None = None
    vote: str | None = None
    outlet: str | None = None


@dataclass
class Draft:
    """An entity before it has an id: what its forms add up to."""

    types: Counter[str] = field(default_factory=Counter)
    surfaces: Counter[str] = field(default_factory=Counter)
    forced: set[Alias] = field(default_factory=set)
    # merge line -> [first document, documents, last document counted]
    merges: dict[str, list] = field(default_factory=dict)
    # the smallest (document, key) of its forms: orders entities of one name and type
    first: tuple[str, str] | None = None


def attach(form: Form, corpus: CorpusIndex, *, ambiguous: bool = False) -> Attachment:
    """Where a form goes that is no short form linked in its document: one that stands
    alone joins the full name the corpus says it is short for (not when its document
    found it ambiguous); any other its own name, and an outlet's web edition the outlet's
    too."""
    if not ambiguous and is_short(form):
        why = corpus.full_name_for(form)
        if why is not None:
            return Attachment(why.target, why, corpus.label(why.target))
    outlet = corpus.outlet_for(form)
    if outlet is not None:
        return Attachment(form.key, Why("web", outlet), "ORG", outlet)
    return Attachment(form.key)


def attachments(document: LinkedDocument, corpus: CorpusIndex) -> dict[str, Attachment]:
    """Where each form of the document goes (`attach`; a short form linked in its document
    goes where its full form goes, voting as the full form does)."""
    forms, local = document.forms, document.links.local
    found = {
        name_key: attach(form, corpus, ambiguous=name_key in local)
        for name_key, form in forms.items()
        if local.get(name_key) is None
    }
    for name_key, link in local.items():
        if link is not None:
            target, rule = link
            found[name_key] = Attachment(found[target].name, Why(rule, target), forms[target].label)
    return found


def group_names(documents: Iterable[LinkedDocument], corpus: CorpusIndex) -> Groups:
    """Union-find over the names the forms join: web editions with their outlets, names
    given in parentheses with the name before them."""
    groups = Groups()
    for document in documents:
        found = attachments(document, corpus)
        for attachment in found.values():
            groups.find(attachment.name)
            if attachment.outlet is not None:
                groups.union(attachment.name, attachment.outlet)
        for a, b in joined_pairs(document.links):
            groups.union(found[a].name, found[b].name)
    return groups


def joined_pairs(links: DocumentLinks) -> Iterator[tuple[str, str]]:
    """The parenthesised pairs not already joined as short form or acronym."""
    local = links.local
    for a, b in links.pairs:
        if (local.get(a) or (None,))[0] == b or (local.get(b) or (None,))[0] == a:
            continue  # already joined as short form or acronym (None: it was ambiguous)
        yield a, b


def add_form(
    draft: Draft,
    doc_id: str,
    form: Form,
    vote: str | None,
    reasons: Iterable[Why],
    spelled: Mapping[str, str],
) -> None:
    """Count one form in its entity's draft: its votes (all for `vote` when it votes as the
    name it joined), spellings, alias and the merge lines of `reasons` (which quote each
    key as the corpus most often spells it, `spelled`)."""
    if vote is None:
        draft.types.update(form.labels)
    else:
        draft.types[vote] += sum(form.labels.values())
    draft.surfaces.update(form.surfaces)
    if form.aliased is not None:
        draft.forced.add(form.aliased)
    if draft.first is None or (doc_id, form.key) < draft.first:
        draft.first = (doc_id, form.key)
    for why in reasons:
        line = merge_line(spelled[form.key], why, spelled[why.target])
        seen = draft.merges.setdefault(line, [doc_id, 0, None])
        if seen[2] != doc_id:  # documents come one at a time: each counted once
            seen[0], seen[1], seen[2] = min(seen[0], doc_id), seen[1] + 1, doc_id


def draft_entities(
    documents: Iterable[LinkedDocument],
    corpus: CorpusIndex,
    groups: Groups,
    spelled: Mapping[str, str],
    on_form: Callable[[str, str, str], None] | None = None,
) -> dict[str, Draft]:
    """One `Draft` per group (named by its smallest name key): the votes, spellings,
    aliases and merges of its forms. `on_form(doc_id, key, group)` is told where each form
    went."""
    drafts: dict[str, Draft] = defaultdict(Draft)
    for document in documents:
        doc_id, forms = document.doc_id, document.forms
        found = attachments(document, corpus)
        reasons: dict[str, list[Why]] = defaultdict(list)
        for name_key, attachment in found.items():
            if attachment.why is not None:
                reasons[name_key].append(attachment.why)
        for a, b in joined_pairs(document.links):
            reasons[a].append(Why("parentheses", b))
        for name_key in sorted(forms):
            attachment = found[name_key]
            group = groups.find(attachment.name)
            add_form(drafts[group], doc_id, forms[name_key], attachment.vote, reasons.get(name_key, ()), spelled)
            if on_form is not None:
                on_form(doc_id, name_key, group)
    return dict(drafts)


def finish(draft: Draft) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    """A draft's (canonical name, type, aliases, merge lines)."""
    forced = sorted(draft.forced, key=lambda a: (a.name, a.type or ""))
    forced_types = [a.type for a in forced if a.type]
    entity_type = min(forced_types) if forced_types else majority(draft.types)
    name = _canonical(draft.surfaces, entity_type, forced)
    lines = {line: (first, count) for line, (first, count, _) in draft.merges.items()}
    for surface in draft.surfaces:
        if surface != name and key(surface) == key(name):
            lines.setdefault(f"{surface}: same name as {name} (case, periods or apostrophes aside)", ("", 0))
    for alias in forced:
        for surface in draft.surfaces:
            if surface != alias.name:
                lines.setdefault(f"{surface}: listed as an alias of {alias.name} in the aliases file", ("", 0))
    return name, entity_type, tuple(sorted(draft.surfaces)), _merge_lines(lines)


def name_entities(drafts: Mapping[str, Draft]) -> dict[str, Entity]:
    """Group -> `Entity` with an id that is a valid XML NMTOKEN, `TYPE_slug`, numbered
    `_2`, `_3`... in order of (name, type, first form) when names slug alike."""
    finished = {group: finish(draft) for group, draft in drafts.items()}
    order = sorted(finished, key=lambda g: (finished[g][0], finished[g][1], drafts[g].first or ("", "")))
    taken: dict[str, Entity] = {}
    named: dict[str, Entity] = {}
    for group in order:
        name, entity_type, aliases, merges = finished[group]
        entity_id = unique_id(f"{entity_type}_{slug(name)}", taken)
        taken[entity_id] = named[group] = Entity(entity_id, name, entity_type, aliases, merges)
    return named


def merge_line(surface: str, why: Why, target: str) -> str:
    if why.rule == "parentheses":
        return f"{surface}: given with {target} in parentheses"
    if why.rule == "web":
        return f"{surface}: the web edition of {target}"
    if why.rule == "variant":
        return f"{surface}: the surname of {target} spelled another way"
    kind = "acronym" if why.rule == "acronym" else "short form"
    if why.share is None:
        return f"{surface}: {kind} of {target}"
    return (
        f"{surface}: {kind} of {target}, which has {why.share:.0%} of the uses of the names it "
        f"could stand for in the corpus (at least {CORPUS_SHARE:.0%} needed); used alone"
    )


def _merge_lines(merges: Mapping[str, tuple[str, int]]) -> tuple[str, ...]:
    """One line per merge rule and pair of names, naming a document where it happened."""
    lines = []
    for head, (first, documents) in merges.items():
        if not documents:
            lines.append(head)
            continue
        more = f" and {documents - 1} more documents" if documents > 1 else ""
        lines.append(f"{head} in {first}{more}")
    return tuple(sorted(lines))


def _canonical(surfaces: Counter[str], entity_type: str, forced: list[Alias]) -> str:
    """The alias file's name; else for a person the fullest name, for others the most used
    (a web edition's name last), in mixed case where the corpus writes it so."""
    if forced:
        return min(a.name for a in forced)
    # A spelling in capitals (headline, dateline) loses to the same name in mixed case.
    usual = {key(s) for s in surfaces if not s.isupper()}

    def shouted(s: str) -> bool:
        return s.isupper() and key(s) in usual

    if entity_type == "PERSON":
        return min(surfaces, key=lambda s: (shouted(s), -len(s.split()), -surfaces[s], s))
    # A web edition's name ("X Online") labels the node only when nothing else does.
    return min(
        surfaces, key=lambda s: (shouted(s), web_base(s) is not None, -surfaces[s], -len(s), s)
    )


def slug(name: str) -> str:
    """A lowercase id fragment that is a valid XML NMTOKEN: letters, digits and '_'."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[^\w]+", "_", text).strip("_")
    return text or "x"


def unique_id(candidate: str, taken: Mapping[str, object]) -> str:
    """`candidate`, or `candidate_2`, `_3`... when distinct names slug alike."""
    entity_id, number = candidate, 1
    while entity_id in taken:
        number += 1
        entity_id = f"{candidate}_{number}"
    return entity_id

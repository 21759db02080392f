"""Entities: one per group of linked names, with its type, canonical name and merges.

Input: the kept mentions, their forms, the groups the linking rules made and why. Output:
the `Resolution` (entities with stable NMTOKEN ids, and the entity of each mention).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

from graph.model import Entity, MentionKey, Resolution
from graph.names import key, web_base
from graph.resolve.aliases import Alias
from graph.resolve.links import CORPUS_SHARE, Form, Groups, Use, Why, majority


def to_entities(
    uses: list[Use],
    forms: dict[str, dict[str, Form]],
    groups: Groups,
    reasons: dict[tuple[str, str], list[Why]],
    votes_as: dict[tuple[str, str], str],
) -> Resolution:
    """One entity per group of names: its type, canonical name, surface forms and merges."""
    members: dict[object, list[tuple[str, str]]] = defaultdict(list)
    for doc_id in sorted(forms):
        for name_key in sorted(forms[doc_id]):
            members[groups.find(("doc", doc_id, name_key))].append((doc_id, name_key))

    # The most used spelling of each name, to quote names in merge lines.
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    for doc_forms in forms.values():
        for form in doc_forms.values():
            spelled[form.key].update(form.surfaces)

    def spelling(name_key: str) -> str:
        counts = spelled[name_key]
        return min(counts, key=lambda s: (-counts[s], s))

    drafts: list[tuple[str, str, tuple[str, ...], tuple[str, ...], object]] = []
    for group, items in members.items():
        types: Counter[str] = Counter()
        surfaces: Counter[str] = Counter()
        forced: list[Alias] = []
        merges: dict[str, set[str]] = defaultdict(set)
        for doc_id, name_key in items:
            form = forms[doc_id][name_key]
            vote = votes_as.get((doc_id, name_key))
            if vote is None:
                types.update(form.labels)
            else:
                types[vote] += sum(form.labels.values())
            surfaces.update(form.surfaces)
            if form.aliased is not None:
                forced.append(form.aliased)
            for why in reasons.get((doc_id, name_key), ()):
                merges[_merge_line(spelling(name_key), why, spelling(why.target))].add(doc_id)
        forced_types = [a.type for a in forced if a.type]
        entity_type = min(forced_types) if forced_types else majority(types)
        name = _canonical(surfaces, entity_type, forced)
        for surface in surfaces:
            if surface != name and key(surface) == key(name):
                merges[f"{surface}: same name as {name} (case, periods or apostrophes aside)"]
        for alias in forced:
            for surface in surfaces:
                if surface != alias.name:
                    merges[f"{surface}: listed as an alias of {alias.name} in the aliases file"]
        drafts.append((name, entity_type, tuple(sorted(surfaces)), _merge_lines(merges), group))

    entities: dict[str, Entity] = {}
    entity_of_group: dict[object, str] = {}
    for name, entity_type, aliases, merges, group in sorted(drafts, key=lambda d: (d[0], d[1], repr(d[4]))):
        entity_id = unique_id(f"{entity_type}_{slug(name)}", entities)
        entities[entity_id] = Entity(entity_id, name, entity_type, aliases, merges)
        entity_of_group[group] = entity_id

    links: dict[MentionKey, str] = {}
    for doc_id, start, end, _, _, _, name_key in uses:
        links[(doc_id, start, end)] = entity_of_group[groups.find(("doc", doc_id, name_key))]
    return Resolution(entities, links)


def _merge_line(surface: str, why: Why, target: str) -> str:
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


def _merge_lines(merges: dict[str, set[str]]) -> tuple[str, ...]:
    """One line per merge rule and pair of names, naming a document where it happened."""
    lines = []
    for head, docs in merges.items():
        if not docs:
            lines.append(head)
            continue
        first = min(docs)
        more = f" and {len(docs) - 1} more documents" if len(docs) > 1 else ""
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


def unique_id(candidate: str, taken: dict[str, Entity]) -> str:
    """`candidate`, or `candidate_2`, `_3`... when distinct names slug alike."""
    entity_id, number = candidate, 1
    while entity_id in taken:
        number += 1
        entity_id = f"{candidate}_{number}"
    return entity_id

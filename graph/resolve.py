"""Resolver: map mentions to canonical entities, one per real-world entity.

Input: the `Extraction`s of a corpus, and optionally an aliases file (canonical names and
the forms that mean them) and an exclude file (names never to keep). Output: a
`Resolution`, the entities (future graph nodes) and, for every kept mention, the entity
it names. Each entity keeps all its surface forms and one line per merge saying why.

The steps, in order:
1. user aliases rename mentions before anything else; excluded names and junk (spans
   that are not names: lowercase, no letters, one character, possessive leftovers, a
   lone capitalised word the corpus otherwise writes in lowercase, such as a headline's
   "Ceasefire") are dropped;
2. within a document, a short name resolves to the one full name it is a part of:
   "Netanyahu" and "Benjamin" to "Benjamin Netanyahu", an acronym to the one name with
   its initials, "Air Force" to "United States Air Force"; a name followed by another in
   parentheses ("Islamic Resistance Movement (Hamas)") is the same entity;
3. across the corpus, the same name is one entity whatever the document; a short name
   with no full name in its own document joins the full name that holds at least
   `CORPUS_SHARE` of the uses of all full names it could stand for;
4. each entity takes its majority type, the alias file's type, or for a short name the
   type of the full name it joined.
Every step indexes names by word, so the work is linear in the number of mentions.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from graph.errors import InputError
from graph.model import ENTITY_TYPES, Entity, Extraction, MentionKey, Resolution
from graph.names import (
    acronym_letters,
    has_generation,
    initials,
    junk_reason,
    key,
    normalize,
    surname_forms,
    tokens,
)

# A short name joins a full name across the corpus only if that full name holds this share
# of the uses of every full name the short one could stand for (Graphbrain uses 0.7).
CORPUS_SHARE = 0.7
_TYPE_ORDER = tuple(ENTITY_TYPES)
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Alias:
    """One line of an aliases file: `name` is what the surface form becomes."""

    name: str
    type: str | None


@dataclass(frozen=True)
class _Why:
    """Why a name joined another: the rule, the name it joined, and for a corpus-wide
    merge the share of uses that name holds among all the name could stand for."""

    rule: str  # "short", "acronym" or "parentheses"
    target: str
    share: float | None = None


class _Use(NamedTuple):
    """One kept mention: where it is, its name and type, and the alias it matched."""

    doc_id: str
    start: int
    end: int
    name: str
    label: str
    alias: Alias | None
    key: str  # of the alias's name when an alias matched


@dataclass
class _Form:
    """A name as used in one document: how often, how typed, how written."""

    key: str
    labels: Counter[str]
    surfaces: Counter[str]
    aliased: Alias | None

    @cached_property
    def label(self) -> str:
        # Read only once the form has seen all its uses.
        if self.aliased is not None and self.aliased.type is not None:
            return self.aliased.type
        return _majority(self.labels)

    @cached_property
    def size(self) -> int:
        return len(tokens(self.key))


class _Groups:
    """Union-find over hashable items; the smallest item (by repr) names each group."""

    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, item: object) -> object:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: object, b: object) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = sorted((ra, rb), key=repr)
            self.parent[high] = low


def resolve(
    extractions: Sequence[Extraction],
    *,
    aliases_path: Path | None = None,
    exclude_path: Path | None = None,
) -> Resolution:
    """Group mentions into entities; see the module docstring for the rules."""
    aliases = read_aliases(aliases_path) if aliases_path is not None else {}
    excluded = read_exclude(exclude_path) if exclude_path is not None else set()
    uses = _kept_uses(extractions, aliases, excluded)

    # doc -> key -> form
    forms: dict[str, dict[str, _Form]] = defaultdict(dict)
    for doc_id, _, _, name, label, alias, name_key in uses:
        form = forms[doc_id].get(name_key)
        if form is None:
            form = forms[doc_id][name_key] = _Form(name_key, Counter(), Counter(), alias)
        form.labels[label] += 1
        form.surfaces[name] += 1

    groups = _Groups()
    reasons: dict[tuple[str, str], list[_Why]] = defaultdict(list)
    votes_as: dict[tuple[str, str], str] = {}  # (doc, key) -> type its uses vote for
    corpus = _CorpusIndex(forms)
    by_doc = {e.doc_id: e for e in extractions}
    for doc_id in sorted(forms):
        doc_forms = forms[doc_id]
        local = _local_links(doc_forms)
        for name_key in sorted(doc_forms):
            item = ("doc", doc_id, name_key)
            link = local.get(name_key)
            if link is not None:
                target, why = link
                groups.union(item, ("doc", doc_id, target))
                reasons[(doc_id, name_key)].append(_Why(why, target))
                votes_as[(doc_id, name_key)] = doc_forms[target].label
                continue
            if name_key not in local and _is_short(doc_forms[name_key]):
                why = corpus.full_name_for(doc_forms[name_key])
                if why is not None:
                    groups.union(item, ("name", why.target))
                    reasons[(doc_id, name_key)].append(why)
                    votes_as[(doc_id, name_key)] = corpus.label(why.target)
                    continue
            groups.union(item, ("name", name_key))
        for a, b in _parenthesised(by_doc[doc_id], doc_forms):
            if local.get(a, (None,))[0] == b or local.get(b, (None,))[0] == a:
                continue  # already joined as short form or acronym
            groups.union(("doc", doc_id, a), ("doc", doc_id, b))
            reasons[(doc_id, a)].append(_Why("parentheses", b))

    return _entities(uses, forms, groups, reasons, votes_as)


def _kept_uses(
    extractions: Sequence[Extraction], aliases: dict[str, Alias], excluded: set[str]
) -> list[_Use]:
    """Mentions that name something, renamed by the alias file, junk and excluded dropped."""
    words: Counter[str] = Counter()
    name_words: set[str] = set()
    candidates: list[_Use] = []
    for extraction in extractions:
        for statement in extraction.statements:
            words.update(_WORD.findall(statement.text))
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
                candidates.append(
                    _Use(extraction.doc_id, mention.start, mention.end, name, mention.label, alias, final_key)
                )
    return [
        use
        for use in candidates
        if use.alias is not None or not _common_word(use.name, words, name_words)
    ]


def _common_word(name: str, words: Counter[str], name_words: set[str]) -> bool:
    """A lone capitalised word written more often in lowercase in the corpus, and never part
    of a longer name, is a common word capitalised by its place (a headline, a sentence
    start: "Ceasefire talks in Cairo ..."), not a name. Names keep their capital."""
    if " " in name or not name.istitle() or not name.isalpha():
        return False
    return words[name.lower()] > words[name] and name.casefold() not in name_words


def _is_short(form: _Form) -> bool:
    """Whether a form could be the short form of a longer name (not when user-aliased)."""
    if form.aliased is not None:
        return False
    return form.size == 1 or (form.label == "ORG" and form.size >= 2) or form.label == "PERSON"


def _local_links(doc_forms: dict[str, _Form]) -> dict[str, tuple[str, str] | None]:
    """Short form -> (full form, rule) within one document; None when ambiguous."""
    persons = [f for f in doc_forms.values() if f.size >= 2 and f.label == "PERSON"]
    orgs = [f for f in doc_forms.values() if f.size >= 3 and f.label == "ORG"]
    person_tails = _part_index(persons, tail=True)
    person_heads = _part_index(persons, tail=False)
    org_tails = _part_index(orgs, tail=True, shortest=2)
    by_initials = _initials_index(doc_forms.values())

    links: dict[str, tuple[str, str] | None] = {}

    def root(name_key: str) -> str:
        while (link := links.get(name_key)) is not None:
            name_key = link[0]
        return name_key

    # Longer forms first, so a part of a part resolves to the longest name.
    for form in sorted(doc_forms.values(), key=lambda f: (-f.size, f.key)):
        if form.aliased is not None:
            continue
        rules: list[tuple[str, Iterable[str]]] = []
        letters = acronym_letters(max(form.surfaces, key=lambda s: (form.surfaces[s], s)))
        if form.label == "PERSON" or (form.size == 1 and form.label == "ORG" and not letters):
            # A lone surname refers to the person named in full, even when the model took
            # it for an organization ("Sisi said"), unless it is written as an acronym.
            # Not when it took it for a place: many places are surnames too
            # ("Washington" beside "Denzel Washington").
            rules.append(("short", person_tails.get(form.key, ())))
        if form.label == "PERSON":
            rules.append(("short", person_heads.get(form.key, ())))
        if form.label == "ORG" and form.size >= 2:
            rules.append(("short", org_tails.get(form.key, ())))
        if letters and form.label in ("ORG", "PLACE"):
            rules.append(("acronym", by_initials.get((form.label, letters), ())))
        for rule, found in rules:
            targets = sorted({root(t) for t in found if t != form.key})
            if len(targets) == 1:
                links[form.key] = (targets[0], rule)
                break
            if targets:
                links[form.key] = None
                break
    return links


def _part_index(forms: Iterable[_Form], *, tail: bool, shortest: int = 1) -> dict[str, list[str]]:
    """Proper tails (or heads) of each full name -> the full names they end (or start)."""
    index: dict[str, list[str]] = defaultdict(list)
    for form in forms:
        if not tail and has_generation(form.key):
            continue  # "Donald Trump" is not short for "Donald Trump Jr."
        words = tokens(form.key)
        parts = {" ".join(words[-size:] if tail else words[:size]) for size in range(shortest, len(words))}
        if tail:
            parts.update(surname_forms(form.key))
        for part in sorted(parts):
            index[part].append(form.key)
    return index


def _initials_index(forms: Iterable[_Form]) -> dict[tuple[str, str], list[str]]:
    """(type, initials) -> the organization and place names with those initials. An
    acronym stands for a name of its own type: "US" (a place) is not the "University of
    Sheffield" named in the same story."""
    index: dict[tuple[str, str], list[str]] = defaultdict(list)
    for form in forms:
        if form.label in ("ORG", "PLACE") and initials(form.key):
            index[(form.label, initials(form.key))].append(form.key)
    return index


class _CorpusIndex:
    """Full names of the whole corpus by their parts, with how often each is used."""

    def __init__(self, forms: dict[str, dict[str, _Form]]) -> None:
        labels: dict[str, Counter[str]] = defaultdict(Counter)
        for doc_forms in forms.values():
            for form in doc_forms.values():
                labels[form.key][form.label] += sum(form.labels.values())
        self.labels = labels
        self.answers: dict[tuple[str, str, str], _Why | None] = {}
        full = [
            _Form(k, c, Counter(), None) for k, c in sorted(labels.items()) if len(tokens(k)) >= 2
        ]
        persons = [f for f in full if f.label == "PERSON"]
        self.person_tails = _part_index(persons, tail=True)
        self.person_heads = _part_index(persons, tail=False)
        self.org_tails = _part_index([f for f in full if f.label == "ORG" and f.size >= 3], tail=True, shortest=2)
        self.by_initials = _initials_index(full)

    def label(self, name_key: str) -> str:
        return _majority(self.labels[name_key])

    def full_name_for(self, form: _Form) -> _Why | None:
        """The full name a short form stands for across the corpus, if one dominates."""
        letters = acronym_letters(max(form.surfaces, key=lambda s: (form.surfaces[s], s)))
        # Many documents may use one short name alone: weigh its candidates once.
        question = (form.key, form.label, letters)
        if question not in self.answers:
            self.answers[question] = self._dominant(form, letters)
        return self.answers[question]

    def _dominant(self, form: _Form, letters: str) -> _Why | None:
        found: list[str] = []
        rule = "short"
        if form.label == "PERSON":
            found = self.person_tails.get(form.key, []) or self.person_heads.get(form.key, [])
        elif form.label == "ORG" and form.size >= 2:
            found = self.org_tails.get(form.key, [])
        if not found and letters and form.label in ("ORG", "PLACE"):
            found, rule = self.by_initials.get((form.label, letters), []), "acronym"
        uses = {k: sum(self.labels[k].values()) for k in set(found) if k != form.key}
        if not uses:
            return None
        best = min(uses, key=lambda k: (-uses[k], k))
        share = uses[best] / sum(uses.values())
        return _Why(rule, best, share) if share >= CORPUS_SHARE else None


def _parenthesised(extraction: Extraction, doc_forms: dict[str, _Form]) -> list[tuple[str, str]]:
    """Pairs "Full Name (Short)" in one document where the short one is its acronym, or
    both are organizations and one is a single word: the writer says they are one."""
    pairs: set[tuple[str, str]] = set()
    for statement in extraction.statements:
        for a, b in zip(statement.mentions, statement.mentions[1:]):
            if f"{a.name} ({b.name})" not in statement.text:
                continue
            ka, kb = key(a.name), key(b.name)
            if ka not in doc_forms or kb not in doc_forms or ka == kb:
                continue
            fa, fb = doc_forms[ka], doc_forms[kb]
            if fa.aliased is not None or fb.aliased is not None:
                continue
            acronym = acronym_letters(b.name) and acronym_letters(b.name) == initials(ka)
            acronym = acronym or (acronym_letters(a.name) and acronym_letters(a.name) == initials(kb))
            orgs = fa.label == fb.label == "ORG" and 1 in (fa.size, fb.size)
            if acronym or orgs:
                pairs.add((ka, kb))
    return sorted(pairs)


def _entities(
    uses: list[_Use],
    forms: dict[str, dict[str, _Form]],
    groups: _Groups,
    reasons: dict[tuple[str, str], list[_Why]],
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
        entity_type = min(forced_types) if forced_types else _majority(types)
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


def _merge_line(surface: str, why: _Why, target: str) -> str:
    if why.rule == "parentheses":
        return f"{surface}: given with {target} in parentheses"
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
    """The alias file's name; else for a person the fullest name, for others the most used,
    in mixed case where the corpus writes it so."""
    if forced:
        return min(a.name for a in forced)
    # wire: a spelling in capitals (headline, dateline) loses to the same name in mixed case.
    usual = {key(s) for s in surfaces if not s.isupper()}

    def shouted(s: str) -> bool:
        return s.isupper() and key(s) in usual

    if entity_type == "PERSON":
        return min(surfaces, key=lambda s: (shouted(s), -len(s.split()), -surfaces[s], s))
    return min(surfaces, key=lambda s: (shouted(s), -surfaces[s], -len(s), s))


def _majority(votes: Counter[str]) -> str:
    # Ties go to the type listed first in ENTITY_TYPES, so the result is stable.
    return max(votes, key=lambda t: (votes[t], -_TYPE_ORDER.index(t)))


def read_aliases(path: Path) -> dict[str, Alias]:
    """Surface key -> Alias, from CSV (`name,alias[,type]` rows) or YAML.

    YAML maps each canonical name to a list of aliases, or to `{aliases: [...], type: T}`.
    The canonical name is an alias of itself, so its type applies to it too.
    """
    text = _read(path, "aliases")
    rows: list[tuple[str, str, str | None]] = []
    if path.suffix.lower() in (".yaml", ".yml"):
        rows = _yaml_alias_rows(path, text)
    elif path.suffix.lower() == ".csv":
        rows = _csv_alias_rows(path, text)
    else:
        raise InputError(f"{path}: aliases file must be .csv, .yaml or .yml")
    names: dict[str, str] = {}  # surface key -> canonical name
    types: dict[str, str] = {}  # canonical name -> type
    for name, alias, entity_type in rows:
        name, alias = normalize(name), normalize(alias)
        if not name or not alias:
            raise InputError(f"{path}: empty name or alias in row {name!r}, {alias!r}")
        if entity_type is not None:
            if entity_type not in ENTITY_TYPES:
                raise InputError(
                    f"{path}: unknown type {entity_type!r} for {name!r}; use one of {', '.join(ENTITY_TYPES)}"
                )
            if types.setdefault(name, entity_type) != entity_type:
                raise InputError(f"{path}: {name!r} is given two types, {types[name]} and {entity_type}")
        for surface in (name, alias):
            if names.setdefault(key(surface), name) != name:
                raise InputError(
                    f"{path}: {surface!r} is given as an alias of both {names[key(surface)]!r} and {name!r}"
                )
    return {k: Alias(name, types.get(name)) for k, name in names.items()}


def _csv_alias_rows(path: Path, text: str) -> list[tuple[str, str, str | None]]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(lines)
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if "name" not in columns or "alias" not in columns:
        raise InputError(f"{path}: aliases CSV needs a header with columns name,alias[,type] (found {columns})")
    rows = []
    for row in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        entity_type = row.get("type", "").upper() or None
        rows.append((row["name"], row["alias"] or row["name"], entity_type))
    return rows


def _yaml_alias_rows(path: Path, text: str) -> list[tuple[str, str, str | None]]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise InputError(f"{path}: not valid YAML ({err})") from err
    if data is None:
        return []
    if not isinstance(data, dict):
        raise InputError(f"{path}: aliases YAML must map canonical names to their aliases")
    rows = []
    for name, value in data.items():
        entity_type = None
        if isinstance(value, dict):
            entity_type = value.get("type")
            value = value.get("aliases", [])
        if value is None:
            value = []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            raise InputError(f"{path}: aliases of {name!r} must be a list of names")
        if entity_type is not None and not isinstance(entity_type, str):
            raise InputError(f"{path}: type of {name!r} must be one of {', '.join(ENTITY_TYPES)}")
        entity_type = entity_type.upper() if entity_type else None
        rows.append((str(name), str(name), entity_type))
        rows.extend((str(name), str(v), entity_type) for v in value)
    return rows


def read_exclude(path: Path) -> set[str]:
    """Keys of names never to keep: one name a line, '#' starts a comment."""
    text = _read(path, "exclude")
    return {key(line.split("#", 1)[0]) for line in text.splitlines() if line.split("#", 1)[0].strip()}


def _read(path: Path, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as err:
        raise InputError(f"{path}: {what} file not found") from err
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: {what} file is not UTF-8 text") from err
    except OSError as err:
        raise InputError(f"{path}: cannot read {what} file ({err.strerror or err})") from err


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

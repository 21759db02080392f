"""Linking rules: which names of one document, or of the corpus, stand for one entity.

Input: the forms (names as used in one document, with their type votes) of a corpus, and
the `NameWords` of the build's languages. Output: for each form, the longer name it is short for, its acronym's expansion or its
parenthesised twin, with a `Why` saying which rule joined them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from graph.model import ENTITY_TYPES
from graph.names import (
    ENGLISH,
    NameWords,
    acronym_letters,
    has_generation,
    initials,
    key,
    sound_key,
    spelling_variants,
    surname_forms,
    tokens,
    web_base,
)
from graph.resolve.aliases import Alias

# A short name joins a full name across the corpus only if that full name holds this share
# of the uses of every full name the short one could stand for (Graphbrain uses 0.7).
CORPUS_SHARE = 0.7
_TYPE_ORDER = tuple(ENTITY_TYPES)


class Groups:
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


@dataclass(frozen=True)
class Why:
    """Why a name joined another: the rule, the name it joined, and for a corpus-wide
    merge the share of uses that name holds among all the name could stand for."""

    rule: str  # "short", "variant", "acronym", "parentheses" or "web"
    target: str
    share: float | None = None



@dataclass
class Form:
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
        return majority(self.labels)

    @cached_property
    def size(self) -> int:
        return len(tokens(self.key))

    def retype(self, label: str) -> None:
        """Let every use vote `label`: what the name's parts say outweighs the model."""
        self.labels = Counter({label: sum(self.labels.values())})
        self.__dict__.pop("label", None)  # computed again from the new votes


def corpus_labels(forms: Iterable[Form]) -> dict[str, Counter[str]]:
    """Each name's type votes over the corpus: every use votes its form's type."""
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for form in forms:
        labels[form.key][form.label] += sum(form.labels.values())
    return dict(labels)


def is_short(form: Form) -> bool:
    """Whether a form could be the short form of a longer name (not when user-aliased)."""
    if form.aliased is not None:
        return False
    return form.size == 1 or (form.label == "ORG" and form.size >= 2) or form.label == "PERSON"


def local_links(doc_forms: dict[str, Form], corpus: CorpusIndex) -> dict[str, tuple[str, str] | None]:
    """Short form -> (full form, rule) within one document; None when ambiguous."""
    words = corpus.words
    persons = [f for f in doc_forms.values() if f.size >= 2 and f.label == "PERSON"]
    orgs = [f for f in doc_forms.values() if f.size >= 3 and f.label == "ORG"]
    person_tails = _part_index(persons, words, tail=True)
    person_heads = _part_index(persons, words, tail=False)
    org_tails = _part_index(orgs, words, tail=True, shortest=2)
    org_heads = _named_after_place_index(
        (f for f in doc_forms.values() if f.size >= 2 and f.label == "ORG"), corpus.is_place, words
    )
    by_initials = _initials_index(doc_forms.values(), words)
    by_sound = _surname_sound_index(persons, words)

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
        surname = not letters and _surname_shaped(form, words)
        if form.label == "PERSON" or (surname and (form.label == "ORG" or form.size == 2)):
            # A surname refers to the person named in full, even when the model took it
            # for an organization ("Sisi said", "Le Pen"), unless it is written as an
            # acronym. Not a lone word it took for a place: many places are surnames too
            # ("Washington" beside "Denzel Washington"); a particle and a word it took
            # for a place are the surname ("Le Goff" beside "Claire Le Goff").
            rules.append(("short", person_tails.get(form.key, ())))
        if form.label == "PERSON":
            rules.append(("short", person_heads.get(form.key, ())))
        if form.size == 1 and (form.label == "PERSON" or (form.label == "ORG" and not letters)):
            # Consulted only when no name holds the word as it is spelled.
            rules.append(("variant", _variant_of(form.key, by_sound)))
        if form.label == "ORG" and form.size >= 2:
            rules.append(("short", org_tails.get(form.key, ())))
        if form.label == "ORG" and not letters:
            rules.append(("short", org_heads.get(form.key, ())))
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


def _part_index(
    forms: Iterable[Form], words: NameWords, *, tail: bool, shortest: int = 1
) -> dict[str, list[str]]:
    """Proper tails (or heads) of each full name -> the full names they end (or start).
    A tail that is the object of the name's "of" or "for" phrase names another entity:
    "United Nations" is not short for "Group of Friends of the United Nations"."""
    index: dict[str, list[str]] = defaultdict(list)
    for form in forms:
        if not tail and has_generation(form.key, words):
            continue  # "Donald Trump" is not short for "Donald Trump Jr."
        parts_of = tokens(form.key)
        sizes = range(shortest, len(parts_of))
        if tail:
            sizes = [size for size in sizes if not _object_of(parts_of[:-size], words, form.label == "PERSON")]
        parts = {" ".join(parts_of[-size:] if tail else parts_of[:size]) for size in sizes}
        if tail:
            parts.update(surname_forms(form.key, words))
        for part in sorted(parts):
            index[part].append(form.key)
    return index


def _named_after_place_index(
    orgs: Iterable[Form], is_place: Callable[[str], bool], words: NameWords
) -> dict[str, list[str]]:
    """Leading parts of organizations named after a place -> those names: "Bayern" stands
    for "Bayern Munich" and "Ajax" for "Ajax Amsterdam" (the rest of the name is a place of
    the corpus), while "Hamas" is no short form of a "Hamas political bureau"."""
    index: dict[str, list[str]] = defaultdict(list)
    for form in orgs:
        for head, rest in place_named_splits(form.key, is_place, words):
            index[head].append(form.key)
    return index


def place_named_splits(
    name_key: str, is_place: Callable[[str], bool], words: NameWords = ENGLISH
) -> list[tuple[str, str]]:
    """(leading part, place) for each way `name_key` reads as a name followed by a place."""
    parts = tokens(name_key)
    return [
        (" ".join(parts[:size]), " ".join(parts[size:]))
        for size in range(1, len(parts))
        # a leading part ending in a function word is no name of its own ("Bank of" England)
        if is_place(" ".join(parts[size:])) and parts[size - 1] not in words.function_words
    ]


def _surname_shaped(form: Form, words: NameWords) -> bool:
    """One word, or a surname particle and one word ("Le Pen", "van Gaal", "de la
    Rocque", "al-Sisi"): the longer tails of a name the model took for a person are often
    an organization's ("Udvar-Hazy Center" of a museum typed as a person)."""
    parts = tokens(form.key)
    return len(parts) == 1 or " ".join(parts[:-1]) in words.particles


def _object_of(before: list[str], words: NameWords, person: bool) -> bool:
    """Whether the words before a tail end in an object word, "of" or "for" (maybe with
    an article, "the"). Not in a person's name, where a particle that is one too ("de")
    begins the surname: "Lasteyrie" of "Charles de Lasteyrie"."""
    if before and before[-1] in words.articles:
        before = before[:-1]
    objects = words.object_words - words.particles if person else words.object_words
    return bool(before) and before[-1] in objects


def _surname_sound_index(persons: Iterable[Form], words: NameWords) -> dict[str, list[tuple[str, str]]]:
    """`sound_key` of each full person name's surname -> (surname, full name)."""
    index: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for form in persons:
        for surname in surname_forms(form.key, words):
            index[sound_key(surname)].append((surname, form.key))
    return index


def _variant_of(word: str, by_sound: dict[str, list[tuple[str, str]]]) -> list[str]:
    """The full person names whose surname is `word` spelled another way: "Haniya" said
    alone stands for an "Ismail Haniyeh" named in the same story."""
    return [full for surname, full in by_sound.get(sound_key(word), ()) if spelling_variants(word, surname)]


def _initials_index(forms: Iterable[Form], words: NameWords) -> dict[tuple[str, str], list[str]]:
    """(type, initials) -> the organization and place names with those initials. An
    acronym stands for a name of its own type: "US" (a place) is not the "University of
    Sheffield" named in the same story."""
    index: dict[tuple[str, str], list[str]] = defaultdict(list)
    for form in forms:
        if form.label in ("ORG", "PLACE") and initials(form.key, words):
            index[(form.label, initials(form.key, words))].append(form.key)
    return index


def indexed_under(name_key: str, words: NameWords = ENGLISH) -> set[str]:
    """Every key a `CorpusIndex` may file a full name under (its leading and trailing
    words, its surname alone, its initials), whatever its type: the short forms whose
    answer a change in this name's votes may change."""
    parts = tokens(name_key)
    found = {" ".join(parts[:size]) for size in range(1, len(parts))}
    found |= {" ".join(parts[-size:]) for size in range(1, len(parts))}
    if len(parts) > 1:
        found.update(surname_forms(name_key, words))
    if initials(name_key, words):
        found.add(initials(name_key, words))
    return found


class CorpusIndex:
    """Full names of the whole corpus by their parts, with how often each is used."""

    def __init__(self, labels: Mapping[str, Counter[str]], words: NameWords = ENGLISH) -> None:
        """`labels`: each key's type votes over the corpus, after retyping; `words`: the
        build's languages' (its documents' names are read with them too)."""
        self.labels = labels
        self.words = words
        self.answers: dict[tuple[str, str, str], Why | None] = {}
        full = [
            Form(k, c, Counter(), None) for k, c in sorted(labels.items()) if len(tokens(k)) >= 2
        ]
        persons = [f for f in full if f.label == "PERSON"]
        self.person_tails = _part_index(persons, words, tail=True)
        self.person_heads = _part_index(persons, words, tail=False)
        orgs = [f for f in full if f.label == "ORG" and f.size >= 3]
        self.org_tails = _part_index(orgs, words, tail=True, shortest=2)
        self.org_heads = _named_after_place_index((f for f in full if f.label == "ORG"), self.is_place, words)
        self.by_initials = _initials_index(full, words)

    def label(self, name_key: str) -> str:
        return majority(self.labels[name_key])

    def is_place(self, name_key: str) -> bool:
        """Whether the corpus names `name_key` and mostly as a place."""
        return name_key in self.labels and self.label(name_key) == "PLACE"

    def outlet_for(self, form: Form) -> str | None:
        """The organization a web edition's name is named after ("X Net", "X.com"), when
        the corpus names it and mostly as an organization: an outlet and its website are
        one node."""
        base = web_base(max(form.surfaces, key=lambda s: (form.surfaces[s], s)))
        if base is None or form.aliased is not None:
            return None
        base_key = key(base)
        if base_key == form.key or base_key not in self.labels or self.label(base_key) != "ORG":
            return None
        return base_key

    def full_name_for(self, form: Form) -> Why | None:
        """The full name a short form stands for across the corpus, if one dominates."""
        letters = acronym_letters(max(form.surfaces, key=lambda s: (form.surfaces[s], s)))
        # Many documents may use one short name alone: weigh its candidates once.
        question = (form.key, form.label, letters)
        if question not in self.answers:
            self.answers[question] = self._dominant(form, letters)
        return self.answers[question]

    def _dominant(self, form: Form, letters: str) -> Why | None:
        found: list[str] = []
        rule = "short"
        if form.label == "PERSON":
            found = self.person_tails.get(form.key, []) or self.person_heads.get(form.key, [])
        elif form.label == "ORG":
            found = (self.org_tails.get(form.key, []) if form.size >= 2 else []) or self.org_heads.get(form.key, [])
        if not found and letters and form.label in ("ORG", "PLACE"):
            found, rule = self.by_initials.get((form.label, letters), []), "acronym"
        uses = {k: sum(self.labels[k].values()) for k in set(found) if k != form.key}
        if not uses:
            return None
        best = min(uses, key=lambda k: (-uses[k], k))
        share = uses[best] / sum(uses.values())
        return Why(rule, best, share) if share >= CORPUS_SHARE else None


def parenthesised(
    written: list[tuple[str, str]], doc_forms: dict[str, Form], words: NameWords = ENGLISH
) -> list[tuple[str, str]]:
    """Pairs "Full Name (Short)" in one document where the short one is its acronym, or
    both are organizations and one is a single word: the writer says they are one."""
    pairs: set[tuple[str, str]] = set()
    for a, b in written:
        ka, kb = key(a), key(b)
        if ka not in doc_forms or kb not in doc_forms or ka == kb:
            continue
        fa, fb = doc_forms[ka], doc_forms[kb]
        if fa.aliased is not None or fb.aliased is not None:
            continue
        acronym = acronym_letters(b) and acronym_letters(b) == initials(ka, words)
        acronym = acronym or (acronym_letters(a) and acronym_letters(a) == initials(kb, words))
        orgs = fa.label == fb.label == "ORG" and 1 in (fa.size, fb.size)
        if acronym or orgs:
            pairs.add((ka, kb))
    return sorted(pairs)



def majority(votes: Counter[str]) -> str:
    # Ties go to the type listed first in ENTITY_TYPES, so the result is stable.
    return max(votes, key=lambda t: (votes[t], -_TYPE_ORDER.index(t)))

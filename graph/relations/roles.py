"""Roles: which relation of the scheme a linking phrase or pattern shows, and its direction.

Input: the entity types at the two ends of a link (as the model typed the names), how the
dependency parse links them (a verb with its preposition, or the nouns on the path
between them, or a bare pattern: possessive, apposition, compound), all from the source
end, and the role words of the statement's language (`RoleWords`). Output: a role of
SCHEME and whether the link runs the other way, or None.

The words (offices, kinds of place and of organization, verbs of leading and belonging)
are data, one module per language: graph/lang/<code>/relations.py, English's for a
language without one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from graph.lang import data

# Role -> (source type, target types): a role whose ends are not of these types is not kept.
SCHEME: dict[str, tuple[str, tuple[str, ...]]] = {
    "head_of": ("PERSON", ("ORG", "PLACE")),
    "member_of": ("PERSON", ("ORG",)),
    "citizen_of": ("PERSON", ("PLACE",)),
    "based_in": ("ORG", ("PLACE",)),
    "located_in": ("PLACE", ("PLACE",)),
    "part_of": ("ORG", ("ORG",)),
}


@dataclass(frozen=True)
class RoleWords:
    """The words of the roles in one language, as graph/lang/<code>/relations.py lists
    them (its constants, lower-cased names)."""

    head_titles: frozenset[str]
    member_titles: frozenset[str]
    deputy_words: frozenset[str]
    head_words: frozenset[str]
    modifiers_after: frozenset[str]
    deputy_prefixes: tuple[str, ...]
    national_heads: frozenset[str]
    place_kinds: frozenset[str]
    org_parts: frozenset[str]
    based_words: frozenset[str]
    nominal_verbs: frozenset[str]
    prepositions: frozenset[str]
    of: frozenset[str]
    inside: frozenset[str]
    head_verbs: frozenset[str]
    member_verbs: frozenset[tuple[str, str]]
    citizen_verbs: frozenset[tuple[str, str]]
    based_verbs: frozenset[tuple[str, str]]
    located_verbs: frozenset[tuple[str, str]]
    owning_verbs: frozenset[str]
    copulas: frozenset[str]
    negation: str
    infinitive: str


@lru_cache(maxsize=None)
def role_words(lang: str) -> RoleWords:
    """The role words of `lang` (a spaCy pipeline's `lang`), English's when it has none."""
    module = data(lang, "relations")
    return RoleWords(
        head_titles=module.HEAD_TITLES, member_titles=module.MEMBER_TITLES,
        deputy_words=module.DEPUTY_WORDS, head_words=module.HEAD_WORDS,
        modifiers_after=module.MODIFIERS_AFTER, deputy_prefixes=module.DEPUTY_PREFIXES,
        national_heads=module.NATIONAL_HEADS, place_kinds=module.PLACE_KINDS,
        org_parts=module.ORG_PARTS, based_words=module.BASED_WORDS,
        nominal_verbs=module.NOMINAL_VERBS, prepositions=module.PREPOSITIONS, of=module.OF,
        inside=module.IN, head_verbs=module.HEAD_VERBS, member_verbs=module.MEMBER_VERBS,
        citizen_verbs=module.CITIZEN_VERBS, based_verbs=module.BASED_VERBS,
        located_verbs=module.LOCATED_VERBS, owning_verbs=module.OWNING_VERBS,
        copulas=module.COPULAS, negation=module.NEGATION, infinitive=module.INFINITIVE,
    )  # fmt: skip


@dataclass(frozen=True)
class Title:
    """A noun on the path: its lemma and the word beside it that changes the office."""

    lemma: str
    modifier: str = ""


def verb_role(
    source: str, target: str, verb: str, preposition: str, negated: bool, lexicon: RoleWords
) -> tuple[str, bool] | None:
    """The role a verb shows between a subject of type `source` and an object of type
    `target` (the preposition joining them to the verb, if any); (role, reversed)."""
    if negated:
        return None
    if source == "PERSON":
        if target in ("ORG", "PLACE") and verb in lexicon.head_verbs and not preposition:
            return "head_of", False
        if target == "ORG" and (verb, preposition) in lexicon.member_verbs:
            return "member_of", False
        if target == "PLACE" and (verb, preposition) in lexicon.citizen_verbs:
            return "citizen_of", False
    if source == "ORG" and target == "PLACE" and (verb, preposition) in lexicon.based_verbs:
        return "based_in", False
    if source == "PLACE" and target == "PLACE" and (verb, preposition) in lexicon.located_verbs:
        return "located_in", False
    if source == "ORG" and target == "ORG" and verb in lexicon.owning_verbs and not preposition:
        return "part_of", True
    return None


def noun_role(
    source: str, target: str, titles: Sequence[Title], words: Sequence[str], pattern: str, lexicon: RoleWords
) -> tuple[str, bool] | None:
    """The role nouns on the path show, from the source end: `titles` the nouns in that
    order, `words` every linking word, `pattern` how the bare ends meet when no word links
    them ("poss": the target owns the source, "appos", "compound", or ""); (role, reversed)."""
    first = titles[0] if titles else None
    only = words[0] if len(words) == 1 else None
    for kind, other, flip in ((source, target, False), (target, source, True)):
        if kind == "PERSON" and other in ("ORG", "PLACE"):
            if other == "PLACE" and set(words) & (lexicon.prepositions - lexicon.of):
                continue  # "the group's chief in Gaza": where the office is, not whose
            office = _office(first if not flip else (titles[-1] if titles else None), lexicon)
            if office == "head":
                return "head_of", flip
            if office == "member":
                return ("member_of" if other == "ORG" else "citizen_of"), flip
            if not words and pattern == "poss":
                # "Hamas's Haniyeh", "Egypt's Sisi": a person of the possessor (a bare
                # compound is more often a name the model split: "Rufus | Seaman Carter").
                return ("member_of" if other == "ORG" else "citizen_of"), flip
            if only in lexicon.of and other == "ORG" and not flip:
                return "member_of", flip  # "John Smith of Reuters"
    if {source, target} == {"ORG", "PLACE"}:
        flip = source == "PLACE"
        if any(w in lexicon.based_words for w in words) or only in lexicon.inside:
            return "based_in", flip
    if source == target == "PLACE":
        if first is not None and first.lemma in lexicon.place_kinds:
            return "located_in", False
        if only in lexicon.inside:
            return "located_in", False
        if not words and pattern in ("appos", "poss"):
            return "located_in", False
    if source == target == "ORG":
        if first is not None and first.lemma in lexicon.org_parts:
            return "part_of", False
        if not words and pattern == "poss":
            return "part_of", False
    return None


def national_head(title: Title, lexicon: RoleWords) -> bool:
    """Whether the holder of the office `title`, named with a nationality adjective,
    leads the country ("le président égyptien X", "la Première ministre britannique Y")."""
    return title.lemma in lexicon.national_heads or f"{title.modifier} {title.lemma}" in lexicon.national_heads


def _office(title: Title | None, lexicon: RoleWords) -> str | None:
    """"head", "member" or None for the first noun of a path from a person (an office
    written with a deputy's prefix, "vice-président", is a deputy's)."""
    if title is None:
        return None
    lemma, deputy = title.lemma, title.modifier in lexicon.deputy_words
    prefix = next((p for p in lexicon.deputy_prefixes if lemma.startswith(p)), "")
    if prefix:
        lemma, deputy = lemma[len(prefix) :], True
    if lemma in lexicon.head_titles:
        return "member" if deputy else "head"
    if lemma in lexicon.member_titles:
        return "head" if title.modifier in lexicon.head_words else "member"
    return None

"""Roles: which relation of the scheme a linking phrase or pattern shows, and its direction.

Input: the entity types at the two ends of a link (as the model typed the names), how the
dependency parse links them (a verb with its preposition, or the nouns on the path
between them, or a bare pattern: possessive, apposition, compound), all from the source
end. Output: a role of SCHEME and whether the link runs the other way, or None.

The words below are the vocabulary of the relations (offices, kinds of place and of
organization, verbs of leading and belonging), not names: what a news reader takes a
link to mean. Each was kept because it holds in general; the measured precision is in
the README (benchmarks/evaluate.py on Re-DocRED).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Role -> (source type, target types): a role whose ends are not of these types is not kept.
SCHEME: dict[str, tuple[str, tuple[str, ...]]] = {
    "head_of": ("PERSON", ("ORG", "PLACE")),
    "member_of": ("PERSON", ("ORG",)),
    "citizen_of": ("PERSON", ("PLACE",)),
    "based_in": ("ORG", ("PLACE",)),
    "located_in": ("PLACE", ("PLACE",)),
    "part_of": ("ORG", ("ORG",)),
}

# Offices whose holder leads what the office is of ("the head of Y", "Y's president X").
HEAD_TITLES = frozenset({
    "head", "leader", "president", "chairman", "chairwoman", "chair", "chairperson", "chief",
    "director", "ceo", "chancellor", "premier", "king", "queen", "emir", "sultan", "governor",
    "mayor", "commander", "boss", "dictator", "ruler", "monarch", "secretary-general",
})  # fmt: skip
# Words before an office that make its holder a deputy, or the head ("prime minister").
DEPUTY_WORDS = frozenset({"vice", "deputy", "assistant", "associate"})
HEAD_WORDS = frozenset({"prime"})
# Offices and trades held in an organization, or, for a country, by its citizens.
MEMBER_TITLES = frozenset({
    "member", "spokesman", "spokeswoman", "spokesperson", "official", "player", "coach",
    "captain", "striker", "midfielder", "defender", "goalkeeper", "forward", "winger",
    "employee", "officer", "adviser", "advisor", "envoy", "ambassador", "negotiator",
    "lawmaker", "legislator", "senator", "representative", "delegate", "minister",
    "secretary", "deputy", "professor", "lecturer", "researcher", "scientist", "journalist",
    "correspondent", "reporter", "editor", "politician", "militant", "fighter", "soldier",
    "activist", "candidate", "analyst", "executive", "manager", "staff", "worker",
})  # fmt: skip
# What a place is of a larger one ("X, a city in Y", "X, the capital of Y").
PLACE_KINDS = frozenset({
    "city", "town", "village", "capital", "province", "region", "district", "state",
    "county", "municipality", "suburb", "neighbourhood", "neighborhood", "area", "island",
    "port", "commune", "borough", "territory", "department", "part", "settlement",
})  # fmt: skip
# What an organization is of a larger one ("X, a subsidiary of Y", "Y's armed wing X").
ORG_PARTS = frozenset({
    "unit", "subsidiary", "division", "branch", "wing", "arm", "affiliate", "part",
    "faction", "section", "chapter", "imprint", "brand",
})  # fmt: skip
# Where an organization sits ("X, based in Y", "the Y-based X", "headquartered in Y").
BASED_WORDS = frozenset({"base", "based", "headquarter", "headquartered", "headquarters"})
_PREPOSITIONS = frozenset({"of", "in", "at", "from", "for", "on", "to", "with", "by"})
# Verbs whose subject leads, or belongs to, their object.
HEAD_VERBS = frozenset({"lead", "head", "chair", "run", "command", "govern", "rule", "direct"})
MEMBER_VERBS = frozenset({
    ("join", ""), ("play", "for"), ("work", "for"), ("work", "at"), ("speak", "for"),
    ("sign", "for"), ("sign", "with"), ("represent", ""), ("serve", "in"), ("serve", "on"),
})  # fmt: skip
BASED_VERBS = frozenset({("base", "in"), ("headquarter", "in"), ("locate", "in")})
LOCATED_VERBS = frozenset({("locate", "in"), ("situate", "in"), ("lie", "in")})
# Verbs whose object becomes part of their subject: "Y owns X" is X part_of Y.
OWNING_VERBS = frozenset({"own", "acquire", "buy"})


@dataclass(frozen=True)
class Title:
    """A noun on the path: its lemma and the word in front of it that changes the office."""

    lemma: str
    modifier: str = ""


def verb_role(source: str, target: str, verb: str, preposition: str, negated: bool) -> tuple[str, bool] | None:
    """The role a verb shows between a subject of type `source` and an object of type
    `target` (the preposition joining them to the verb, if any); (role, reversed)."""
    if negated:
        return None
    if source == "PERSON":
        if target in ("ORG", "PLACE") and verb in HEAD_VERBS and not preposition:
            return "head_of", False
        if target == "ORG" and (verb, preposition) in MEMBER_VERBS:
            return "member_of", False
        if target == "PLACE" and (verb, preposition) == ("represent", ""):
            return "citizen_of", False
    if source == "ORG" and target == "PLACE" and (verb, preposition) in BASED_VERBS:
        return "based_in", False
    if source == "PLACE" and target == "PLACE" and (verb, preposition) in LOCATED_VERBS:
        return "located_in", False
    if source == "ORG" and target == "ORG" and verb in OWNING_VERBS and not preposition:
        return "part_of", True
    return None


def noun_role(source: str, target: str, titles: Sequence[Title], words: Sequence[str], pattern: str) -> tuple[str, bool] | None:
    """The role nouns on the path show, from the source end: `titles` the nouns in that
    order, `words` every linking word, `pattern` how the bare ends meet when no word links
    them ("poss": the target owns the source, "appos", "compound", or ""); (role, reversed)."""
    first = titles[0] if titles else None
    for kind, other, flip in ((source, target, False), (target, source, True)):
        if kind == "PERSON" and other in ("ORG", "PLACE"):
            if other == "PLACE" and set(words) & _PREPOSITIONS - {"of"}:
                continue  # "the group's chief in Gaza": where the office is, not whose
            office = _office(first if not flip else (titles[-1] if titles else None))
            if office == "head":
                return "head_of", flip
            if office == "member":
                return ("member_of" if other == "ORG" else "citizen_of"), flip
            if not words and pattern == "poss":
                # "Hamas's Haniyeh", "Egypt's Sisi": a person of the possessor (a bare
                # compound is more often a name the model split: "Rufus | Seaman Carter").
                return ("member_of" if other == "ORG" else "citizen_of"), flip
            if list(words) == ["of"] and other == "ORG" and not flip:
                return "member_of", flip  # "John Smith of Reuters"
    if {source, target} == {"ORG", "PLACE"}:
        flip = source == "PLACE"
        if any(w in BASED_WORDS for w in words) or list(words) == ["in"]:
            return "based_in", flip
    if source == target == "PLACE":
        if first is not None and first.lemma in PLACE_KINDS:
            return "located_in", False
        if list(words) == ["in"]:
            return "located_in", False
        if not words and pattern in ("appos", "poss"):
            return "located_in", False
    if source == target == "ORG":
        if first is not None and first.lemma in ORG_PARTS:
            return "part_of", False
        if not words and pattern == "poss":
            return "part_of", False
    return None


def _office(title: Title | None) -> str | None:
    """"head", "member" or None for the first noun of a path from a person."""
    if title is None:
        return None
    if title.lemma in HEAD_TITLES:
        return "member" if title.modifier in DEPUTY_WORDS else "head"
    if title.lemma in MEMBER_TITLES:
        return "head" if title.modifier in HEAD_WORDS else "member"
    return None

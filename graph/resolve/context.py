"""Type cues: what the words around a mention say about the kind of thing it names.

Input: a statement and one of its mentions (document offsets; the statement's text holds
the mention at `mention.start - statement.start`), and the `Cues` of the build's languages
(graph.lang.<code>.context). Output: the type the context points to, or None when it says
nothing.

The model types a name mostly by the name itself, so an unfamiliar outlet or agency is
often taken for a person ("told the Globe website", "the head of Interpol"). Only cues a
person's name rarely stands in are used: a name followed by the kind of organization it
names ("X website", "X news agency"; "la société X" where the language writes the kind
first), and a name after an office held in an organization ("the head of X", "a spokesman
for X", "le directeur de X"). Cues that look as good but are not, measured on
the GUM gold set (data/eval): "told X" and "according to X" precede people as often as
outlets, and "the X" is mostly a person's name used as a modifier ("the Tom Cruise
video", "the Warhol exhibit"). Nor does a possessive count: "Musk's company".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from graph import lang
from graph.model import Mention, Statement

# A possessor is not what the office is in: "the head of Smith's team".
_POSSESSIVE = re.compile(r"['’]s?\b")
# How far before a mention an office or a kind of organization is looked for.
_BEFORE_CHARS = 60


@dataclass(frozen=True)
class Cues:
    """The context cues of a set of languages (graph.lang.<code>.context says what each
    list is for), as patterns; None where the languages list none. Made by `Cues.of`."""

    languages: tuple[str, ...]
    # Matched right after the mention: "X website".
    kind_after: re.Pattern[str] | None
    # Searched in the text before the mention, ending there: "la société X".
    kind_before: re.Pattern[str] | None
    # Searched likewise: "the head of X".
    office_in: re.Pattern[str] | None

    @staticmethod
    def of(languages: Iterable[str]) -> Cues:
        """The union of the cues of `languages` (a code without resources of its own reads
        English's)."""
        return _cues(tuple(sorted(set(languages))))


@lru_cache(maxsize=8)
def _cues(languages: tuple[str, ...]) -> Cues:
    modules = list({id(m): m for m in (lang.data(code, "context") for code in languages)}.values())
    names = list({id(m): m for m in (lang.data(code, "names") for code in languages)}.values())

    def union(found: list, name: str) -> list[str]:
        return sorted({word for module in found for word in getattr(module, name)})

    kinds_after = union(modules, "KINDS_AFTER")
    kinds_before = union(modules, "KINDS_BEFORE")
    offices, links = union(modules, "OFFICES"), union(modules, "OFFICE_LINKS")
    articles = sorted({a.casefold() for a in union(names, "LEADING_ARTICLES")})
    return Cues(
        languages=languages,
        kind_after=_compiled(r"\s+" + _any(kinds_after) + r"\b") if kinds_after else None,
        kind_before=_compiled(r"\b" + _any(kinds_before, glued=True) + "$") if kinds_before else None,
        office_in=_compiled(
            r"\b" + _any(offices, glued=True) + _any(links, glued=True) + f"(?:{_any(articles, glued=True)})?$"
        ) if offices and links else None,
    )  # fmt: skip


def _any(phrases: list[str], *, glued: bool = False) -> str:
    """A pattern for any of `phrases`, each space standing for a run of whitespace and an
    apostrophe for either way of writing it; `glued`: each followed by whitespace, or by
    nothing where it ends in an apostrophe ("l'")."""
    found = []
    for phrase in phrases:
        pattern = r"\s+".join(re.sub("['’]", "['’]", re.escape(word)) for word in phrase.split())
        if glued:
            pattern += "" if phrase[-1] in "'’" else r"\s+"
        found.append(pattern)
    return "(?:" + "|".join(found) + ")"


def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


ENGLISH = Cues.of(("en",))


def context_type(statement: Statement, mention: Mention, cues: Cues = ENGLISH) -> str | None:
    """"ORG" when the words around a mention the model typed PERSON say it names an
    organization, in the languages of `cues`; None otherwise (other types are left to the
    model and the majority)."""
    if mention.label != "PERSON":
        return None
    start = mention.start - statement.start
    end = mention.end - statement.start
    if not 0 <= start <= end <= len(statement.text):
        return None  # offsets from elsewhere (a cache of another tool): no context to read
    text = statement.text
    if cues.kind_after is not None and cues.kind_after.match(text, end):
        return "ORG"
    before = text[max(0, start - _BEFORE_CHARS) : start]
    if cues.kind_before is not None and cues.kind_before.search(before):
        return "ORG"
    if cues.office_in is not None and cues.office_in.search(before) and not _POSSESSIVE.match(text, end):
        return "ORG"
    return None

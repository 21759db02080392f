"""Type cues: what the words around a mention say about the kind of thing it names.

Input: a statement and one of its mentions (document offsets; the statement's text holds
the mention at `mention.start - statement.start`). Output: the type the context points
to, or None when it says nothing.

The model types a name mostly by the name itself, so an unfamiliar outlet or agency is
often taken for a person ("told the Globe website", "the head of Interpol"). Only cues a
person's name rarely stands in are used: a name followed by the kind of organization it
names ("X website", "X news agency"), and a name after an office held in an organization
("the head of X", "a spokesman for X"). Cues that look as good but are not, measured on
the GUM gold set (data/eval): "told X" and "according to X" precede people as often as
outlets, and "the X" is mostly a person's name used as a modifier ("the Tom Cruise
video", "the Warhol exhibit"). Nor does a possessive count: "Musk's company".
"""

from __future__ import annotations

import re

from graph.model import Mention, Statement

# Kinds of organization that follow an organization's name ("the Globe website"), never a
# person's used as a modifier: "the Obama foundation", "the Trump campaign" are left out.
_ORG_KIND = re.compile(
    r"\s+(?:news\s+agency|agency|web\s*site|site|newspaper|daily|magazine|channel|network|"
    r"broadcaster|outlet|radio|television|ministry|militia)\b",
    re.IGNORECASE,
)
# An office held in an organization, then "of/for/at" and the name: "the head of X".
_OFFICE_IN = re.compile(
    r"\b(?:head|chief|director|leader|members?|spokes(?:man|woman|person)|founder|"
    r"chair(?:man|woman)?|boss|editor|officials?|staff|employees?)\s+(?:of|for|at)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# A possessor is not what the office is in: "the head of Smith's team".
_POSSESSIVE = re.compile(r"['’]s?\b")


def context_type(statement: Statement, mention: Mention) -> str | None:
    """"ORG" when the words around a mention the model typed PERSON say it names an
    organization; None otherwise (other types are left to the model and the majority)."""
    if mention.label != "PERSON":
        return None
    start = mention.start - statement.start
    end = mention.end - statement.start
    if not 0 <= start <= end <= len(statement.text):
        return None  # offsets from elsewhere (a cache of another tool): no context to read
    text = statement.text
    if _ORG_KIND.match(text, end):
        return "ORG"
    if _OFFICE_IN.search(text[max(0, start - 60) : start]) and not _POSSESSIVE.match(text, end):
        return "ORG"
    return None

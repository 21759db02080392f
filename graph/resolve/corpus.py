"""Corpus decisions: what only the whole corpus can say about a name, made from its counts.

Input: the corpus' `NameCounts` and word counts (sums of what each document contributes,
graph.resolve.uses), the user's aliases and exclusions; then the type votes of every
name over the corpus' forms. Output: `NameDecisions` (which names are kept, under which
key, and how a table row's use votes) and the names retyped as organizations named after
a place. Every decision is a function of the counts, never of the order documents came
in, so a store can make them again after adding or removing documents and find which
changed.

The decisions, in the order the resolver needs them:
1. a name is kept unless the user excludes it, it is junk (`names.junk_reason`: no
   letters, lowercase, a possessive leftover...) or a lone capitalised word the corpus
   otherwise writes in lowercase and never inside a longer name (a headline's
   "Ceasefire"); an aliased name is always kept and takes its alias's key;
2. a name the model took for an organization in a table or results row votes for a
   place where the corpus' prose mostly names it as one ("Slovakia 3 2 1 0" is the
   country), unless words around one of its uses make it an organization;
3. (from the forms' votes) a name not typed as an organization that is an
   organization's name followed by a place, both named so elsewhere ("Ajax Amsterdam"
   beside "Ajax" and "Amsterdam"), is retyped as the organization.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from graph.names import ENGLISH, NameWords, junk_reason, key, tokens
from graph.resolve.aliases import Alias
from graph.resolve.links import majority, place_named_splits
from graph.resolve.uses import MentionUse, NameCounts

Final = tuple[str, "Alias | None"]
"""A kept name's key (its alias's, when the aliases file names it) and its alias."""


@dataclass(frozen=True)
class UserNames:
    """The user's say: surface key -> `Alias` (aliases file), and keys never to keep."""

    aliases: Mapping[str, Alias] = field(default_factory=dict)
    excluded: frozenset[str] = frozenset()


@dataclass(frozen=True)
class NameDecisions:
    """Which names the corpus keeps and under which key (`finals`: name -> `Final`, None
    when dropped), which it drops as common words (`dropped`), and the keys whose
    organization votes in table rows go to the place prose names (`teams`)."""

    finals: Mapping[str, Final | None]
    dropped: frozenset[str]
    teams: frozenset[str]

    def final(self, name: str) -> Final | None:
        return self.finals.get(name)

    def label(self, use: MentionUse, final_key: str) -> str:
        """The type a kept use votes for."""
        voted = use.voted
        if use.row and voted == "ORG" and final_key in self.teams:
            return "PLACE"
        return voted


def decide_names(counts: NameCounts, words: Mapping[str, int], user: UserNames) -> NameDecisions:
    """Decisions 1 and 2 of the module docstring, for every name `counts` holds."""
    candidates: dict[str, Final | None] = {}
    name_words: set[str] = set()
    for use in counts:
        name = use.name
        if name in candidates:
            continue
        name_key = key(name)
        alias = user.aliases.get(name_key)
        final_key = key(alias.name) if alias else name_key
        if (alias is None and junk_reason(name)) or final_key in user.excluded or name_key in user.excluded:
            candidates[name] = None
            continue
        candidates[name] = (final_key, alias)
        if " " in name:
            name_words.update(tokens(name_key))
    dropped = frozenset(
        name for name, final in candidates.items()
        if final is not None and final[1] is None and _common_word(name, words, name_words)
    )  # fmt: skip
    finals = {name: None if name in dropped else final for name, final in candidates.items()}
    prose: dict[str, Counter[str]] = defaultdict(Counter)
    organized: set[str] = set()
    for use, uses in counts.items():
        final = finals[use.name]
        if final is None:
            continue
        if not use.row:
            prose[final[0]][use.cue or use.label] += uses
        if use.cue:
            organized.add(final[0])
    # Between a person and an organization the votes decide: one sentence of prose is no
    # better a judge than a row there. Nor do the model's votes in prose say more than
    # their majority: it calls "Scientology" a place as often as an organization (GUM).
    teams = frozenset(k for k, votes in prose.items() if k not in organized and majority(votes) == "PLACE")
    return NameDecisions(finals, dropped, teams)


def _common_word(name: str, words: Mapping[str, int], name_words: set[str]) -> bool:
    """A lone capitalised word written more often in lowercase in the corpus, and never part
    of a longer name, is a common word capitalised by its place (a headline, a sentence
    start: "Ceasefire talks in Cairo ..."), not a name. Names keep their capital."""
    if " " in name or not name.istitle() or not name.isalpha():
        return False
    return words.get(name.lower(), 0) > words.get(name, 0) and name.casefold() not in name_words


def retyped_keys(
    labels: Mapping[str, Counter[str]], aliased: frozenset[str] | set[str], words: NameWords = ENGLISH
) -> frozenset[str]:
    """Decision 3: the keys (not aliased ones: the user typed those) of names the model did
    not take for organizations that are an organization's name followed by a place, both
    named so elsewhere in the corpus. `labels` are the corpus' votes per key, each form
    voting its own majority with all its uses (`links.corpus_labels`); `words`: the
    build's languages'."""

    def is_place(name_key: str) -> bool:
        return name_key in labels and majority(labels[name_key]) == "PLACE"

    return frozenset(
        name_key
        for name_key, votes in labels.items()
        if " " in name_key
        and name_key not in aliased
        and majority(votes) != "ORG"
        and any(
            head in labels and majority(labels[head]) == "ORG"
            for head, _ in place_named_splits(name_key, is_place, words)
        )
    )


def after_retyping(labels: Mapping[str, Counter[str]], retyped: frozenset[str]) -> dict[str, Counter[str]]:
    """The corpus' votes once the retyped names vote organization with every use."""
    return {
        k: Counter({"ORG": sum(votes.values())}) if k in retyped else votes for k, votes in labels.items()
    }

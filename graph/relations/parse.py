"""Reading a statement's dependency parse: the phrase and role linking each pair of names.

Input: one statement parsed by spaCy (dependencies, part-of-speech tags and lemmas) and
its names as (start, end, type) character spans in the parsed text; a demonym table.
Output: `Relation`s, each from one name to another (indexes into the names), in the
relation's direction, with its phrase, its role of the scheme, or both.

The path between two names runs from each name's head word up to their lowest common
ancestor. Through a verb, the phrase is the verb's lemma with its particle, its negation
and the preposition that introduces the object (`meet with`, `accuse of`, `not attend`),
subject (or passive agent) first; a conjunct takes the role of what it is joined to
("X and Y met Z"), a verb after "to" is followed ("agree to meet"), a relative clause or
participle speaks of the noun it hangs from ("X, who heads Y", "X, led by Y"). Through
nouns, the phrase is the nouns and prepositions between the names (`head of`,
`president`), from the name they describe. A path that crosses into another clause
(reported speech, a second verb of a list) or joins the two names by a conjunction
says nothing about how they are linked and gives nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.model import Relation
from graph.relations.roles import ORG_PARTS, PLACE_KINDS, Title, noun_role, verb_role

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

VERBAL = frozenset({"VERB", "AUX"})
COPULAS = frozenset({"be", "become", "remain"})
# Dependents that join an argument to its verb through a preposition.
PREPOSITIONS = frozenset({"prep", "agent", "dative"})
SUBJECTS = frozenset({"nsubj", "csubj", "agent"})
KINDS = PLACE_KINDS | ORG_PARTS
# What a nationality adjective says of a person or a place ("the Egyptian official X",
# "the Qatari capital X"). Not of an organization: "the American band X" says where it
# comes from, seldom where it sits (on Re-DocRED, based_in precision fell 0.46 to 0.36).
NATIONALITY = {"PERSON": "citizen_of", "PLACE": "located_in"}
OBJECTS = frozenset({"dobj", "nsubjpass", "attr", "oprd", "dative", "prep", "pobj"})
# Words on a nominal path that say something; determiners, punctuation, "'s" do not.
NOMINAL_WORDS = frozenset({"NOUN", "PROPN", "ADP", "VERB", "ADJ"})
# Longer nominal paths join names that are only near each other ("the head of X, Y, the
# sister site of Z"): one noun and its prepositions say how two names are linked.
MAX_WORDS = 3
MAX_NOUNS = 1


@dataclass(frozen=True)
class _Side:
    """How one name hangs from the verb: its dependency (`nsubj`, `dobj`, `prep`...), the
    preposition on the way, and the verbs after "to" between them, from the top."""

    dep: str
    preposition: Token | None
    verbs: tuple[Token, ...]


def read_relations(
    doc: Doc,
    names: Sequence[tuple[int, int, str]],
    demonyms: Mapping[str, str],
    lemmatize: Callable[[Iterable[Token]], None] | None = None,
) -> tuple[Relation, ...]:
    """The relations between the names of one parsed statement, and to the countries
    its adjectives name ("the Egyptian official X": `demonyms` maps "Egyptian" to Egypt).
    `lemmatize` sets the lemmas of the tokens read, when the parse left them unset."""
    lemmatize = lemmatize or _as_given
    spans = [doc.char_span(start, end, alignment_mode="expand") for start, end, _ in names]
    owner = {t.i: k for k, span in enumerate(spans) if span is not None for t in span}
    found: list[Relation] = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            a, b = spans[i], spans[j]
            if a is None or b is None or a.root.i in range(b.start, b.end) or b.root.i in range(a.start, a.end):
                continue
            relation = _pair(a.root, b.root, i, j, names[i][2], names[j][2], owner, lemmatize)
            if relation is not None:
                found.append(relation)
    for k, (_, _, label) in enumerate(names):
        span = spans[k]
        if span is not None and label in NATIONALITY:
            lemmatize((span.root.head,))
            country = _demonym(span.root, owner, demonyms)
            if country:
                found.append(Relation(k, None, NATIONALITY[label], "", country))
    return tuple(found)


def _pair(
    a: Token, b: Token, i: int, j: int, type_a: str, type_b: str, owner: dict[int, int],
    lemmatize: Callable[[Iterable[Token]], None],
) -> Relation | None:
    path = _path(a, b)
    if path is None:
        return None
    up_a, top, up_b = path
    lemmatize((*up_a, top, *up_b))
    relative = _clause_of_noun(up_a, up_b)
    if relative is not None:
        return _relative(relative, i, j, type_a, type_b)
    if top.pos_ in VERBAL and top.i not in owner:
        if top.lemma_ in COPULAS:
            return _copula(up_a, up_b, i, j, type_a, type_b, owner)
        return _verbal(top, up_a, up_b, i, j, type_a, type_b)
    return _nominal(up_a, top, up_b, i, j, type_a, type_b, owner)


def _as_given(tokens: Iterable[Token]) -> None:
    """Lemmas as the parse set them."""


def _path(a: Token, b: Token) -> tuple[list[Token], Token, list[Token]] | None:
    """The tokens from `a` up to the lowest common ancestor of `a` and `b` (excluded),
    that ancestor, and the tokens from `b` up to it; None in different sentences."""
    chain = [a, *a.ancestors]
    position = {t.i: k for k, t in enumerate(chain)}
    climb: list[Token] = []
    for token in (b, *b.ancestors):
        if token.i in position:
            return chain[: position[token.i]], token, climb
        climb.append(token)
    return None


def _side(chain: Sequence[Token]) -> _Side | None:
    """How the name at the bottom of `chain` hangs from the verb above its top, or None
    when the way leaves the clause."""
    k = 0
    while k < len(chain) - 1 and chain[k].dep_ == "conj":
        k += 1  # "X and Y met Z": Y has X's place
    if not chain:
        return None
    token, preposition = chain[k], None
    if token.dep_ == "pobj" and k + 1 < len(chain) and chain[k + 1].dep_ in PREPOSITIONS:
        k += 1
        token = preposition = chain[k]
    verbs = []
    for up in chain[k + 1 :]:
        if up.pos_ not in VERBAL or up.dep_ != "xcomp":
            return None
        verbs.append(up)
    return _Side(token.dep_, preposition, tuple(reversed(verbs)))


def _verbal(verb: Token, up_a: list[Token], up_b: list[Token], i: int, j: int, type_a: str, type_b: str) -> Relation | None:
    side_a, side_b = _side(up_a), _side(up_b)
    if side_a is None or side_b is None:
        return None
    return _directed(verb, side_a, side_b, i, j, type_a, type_b)


def _directed(verb: Token, side_a: _Side, side_b: _Side, i: int, j: int, type_a: str, type_b: str) -> Relation | None:
    """Subject (or passive agent) first, then the phrase and the role."""
    subject_a, subject_b = side_a.dep in SUBJECTS, side_b.dep in SUBJECTS
    if subject_a == subject_b:
        # No subject: a passive subject, else a direct object, comes first ("Y was
        # arrested in Z", "accused Y of Z").
        if subject_a or not (side_a.dep in OBJECTS and side_b.dep in OBJECTS):
            return None
        order = ("nsubjpass", "dobj")
        rank_a = order.index(side_a.dep) if side_a.dep in order else 2
        rank_b = order.index(side_b.dep) if side_b.dep in order else 2
        if rank_a == rank_b:
            return None
        subject_a = rank_a < rank_b
    elif not (side_b.dep in OBJECTS if subject_a else side_a.dep in OBJECTS):
        return None
    source, target, first, second = (side_a, side_b, i, j) if subject_a else (side_b, side_a, j, i)
    if source.verbs:
        return None
    negated = any(c.dep_ == "neg" for c in verb.children)
    words = ["not"] if negated else []
    words += _verb_words(verb)
    for later in target.verbs:
        negated = negated or any(c.dep_ == "neg" for c in later.children)
        words += ["to", *_verb_words(later)]
    preposition = target.preposition.text.lower() if target.preposition is not None and target.dep != "agent" else ""
    if preposition:
        words.append(preposition)
    last = target.verbs[-1] if target.verbs else verb
    source_type, target_type = (type_a, type_b) if first == i else (type_b, type_a)
    role = verb_role(source_type, target_type, last.lemma_.lower(), preposition, negated)
    if role is not None and role[1]:
        first, second = second, first
    return Relation(first, second, role[0] if role else "", " ".join(words))


def _verb_words(verb: Token) -> list[str]:
    return [verb.lemma_.lower(), *(c.text.lower() for c in verb.children if c.dep_ == "prt")]


def _clause_of_noun(up_a: list[Token], up_b: list[Token]) -> tuple[Token, list[Token], bool] | None:
    """A relative clause or participle hanging from one name and holding the other: its
    verb, the chain from the other name up to it, and whether that other name is `b`."""
    for above, below, b_below in ((up_a, up_b, True), (up_b, up_a, False)):
        if above or not below:
            continue
        verb = below[-1]
        if verb.pos_ in VERBAL and verb.dep_ in ("relcl", "acl"):
            return verb, below[:-1], b_below
    return None


def _relative(found: tuple[Token, list[Token], bool], i: int, j: int, type_a: str, type_b: str) -> Relation | None:
    verb, chain, b_below = found
    below = _side(chain)
    if below is None:
        return None
    if verb.dep_ == "relcl":
        pronoun = next((c for c in verb.children if c.tag_ in ("WDT", "WP") and c.dep_ in ("nsubj", "nsubjpass", "dobj")), None)
        if pronoun is None:
            return None
        dep = pronoun.dep_
    else:
        # A past participle speaks of what undergoes it ("X, led by Y"), a present one of who does it.
        dep = "nsubjpass" if verb.tag_ == "VBN" else "nsubj"
    noun = _Side(dep, None, ())
    side_a, side_b = (noun, below) if b_below else (below, noun)
    return _directed(verb, side_a, side_b, i, j, type_a, type_b)


def _copula(up_a: list[Token], up_b: list[Token], i: int, j: int, type_a: str, type_b: str, owner: dict[int, int]) -> Relation | None:
    """"X is the president of Y": the nouns after the verb, from the subject."""
    for subject, predicate, first, second, source, target in (
        (up_a, up_b, i, j, type_a, type_b), (up_b, up_a, j, i, type_b, type_a)
    ):
        side = _side(subject)
        if side is None or side.dep != "nsubj" or not predicate or predicate[-1].dep_ != "attr":
            continue
        if any(t.dep_ == "conj" for t in predicate):
            return None
        return _nouns(list(reversed(predicate)), first, second, source, target, owner, "")
    return None


def _nominal(up_a: list[Token], top: Token, up_b: list[Token], i: int, j: int, type_a: str, type_b: str, owner: dict[int, int]) -> Relation | None:
    path = [*up_a, top, *reversed(up_b)]
    if any(t.dep_ == "conj" for t in (*up_a, *up_b)):
        return None  # a list: "X, Y and Z", "leaders of X and Y"
    if any(t.pos_ in VERBAL and t.dep_ not in ("amod", "acl") and t.lemma_ not in ("base", "headquarter") for t in path if t.i not in owner):
        return None
    beside = [c for c in top.children if c.dep_ == "appos"]
    if top.i not in owner and len(beside) > 1 and any(t.dep_ == "appos" and t != beside[0] for t in (*up_a, *up_b)):
        return None  # "Egypt's President X and Qatar's Emir Y": only X is surely the president
    pattern = (up_a or up_b)[0].dep_ if len(up_a) + len(up_b) == 1 else ""
    if pattern == "appos" and any(c.dep_ in ("conj", "cc", "appos") for t in (top, (up_a or up_b)[0]) for c in t.children if c not in up_a + up_b):
        return None  # "Sweden, Belgium, England win": a list, not a place and its country
    # The name the nouns describe comes first: the one that is the top ("X, the head of
    # Y", "Hamas leader X"), stands beside it ("the head of Y, X"), or follows a kind
    # whose modifier is the larger whole ("the Melbourne suburb of Preston").
    b_described = (top.i in owner and owner[top.i] == j) or (
        top.i not in owner
        and (
            (len(up_b) == 1 and up_b[0].dep_ == "appos")
            or (len(up_a) == 1 and up_a[0].dep_ in ("compound", "poss") and top.lemma_.lower() in KINDS)
        )
    )
    if b_described:
        ordered, first, second, source, target = list(reversed(path)), j, i, type_b, type_a
    else:
        ordered, first, second, source, target = path, i, j, type_a, type_b
    return _nouns(ordered, first, second, source, target, owner, pattern)


def _nouns(path: list[Token], first: int, second: int, source: str, target: str, owner: dict[int, int], pattern: str) -> Relation | None:
    """The relation the words of a nominal path (from the source name) show."""
    inner = [t for t in path if t.i not in owner and t.pos_ in NOMINAL_WORDS]
    if len(inner) > MAX_WORDS or sum(1 for t in inner if t.pos_ in ("NOUN", "PROPN")) > MAX_NOUNS:
        return None
    # Offices are often capitalised and tagged as proper nouns ("Intelligence Chief").
    words = [t.lemma_.lower() if t.pos_ in ("NOUN", "PROPN", "VERB") else t.text.lower() for t in inner]
    titles = [Title(t.lemma_.lower(), _modifier(t)) for t in inner if t.pos_ in ("NOUN", "PROPN")]
    role = noun_role(source, target, titles, words, pattern if pattern in ("poss", "appos", "compound") else "")
    if role is not None and role[1]:
        first, second, words = second, first, words[::-1]
    phrase = " ".join(words)
    if role is None and not titles:
        # Prepositions alone ("X in Y", "X of Y") say where, not how, unless a role reads them.
        phrase = ""
    if role is None and len(inner) > 1 and inner[0].pos_ == "ADP":
        return None  # the source is what a noun is of ("the location of X in Y"), not what it names
    if role is None and not phrase:
        return None
    return Relation(first, second, role[0] if role else "", phrase)


def _modifier(token: Token) -> str:
    """The word in front of an office that makes it another ("vice president", "prime minister")."""
    for child in token.lefts:
        if child.dep_ in ("amod", "compound") and child.text.lower() in ("vice", "deputy", "assistant", "associate", "prime"):
            return child.text.lower()
    return ""


def _demonym(root: Token, owner: dict[int, int], demonyms: Mapping[str, str]) -> str:
    """The country a name's adjective names: "German Chancellor X", "X, the Egyptian
    official", "X is an American actor"; empty when there is none."""
    hubs = [root]
    hubs += [c for c in root.children if c.dep_ in ("appos", "compound") and c.pos_ in ("NOUN", "PROPN")]
    if root.dep_ == "nsubj" and root.head.lemma_ in COPULAS:
        hubs += [c for c in root.head.children if c.dep_ == "attr"]
    if root.dep_ == "appos" and root.head.i not in owner:
        hubs.append(root.head)  # "the Egyptian capital Cairo", "the American envoy, X"
    for hub in hubs:
        for child in hub.children:
            if child.dep_ not in ("amod", "compound", "nmod", "npadvmod") or child.i in owner:
                continue
            doc = child.doc
            for text in (f"{doc[child.i - 1].text} {child.text}" if child.i else "", child.text):
                if text in demonyms:
                    return demonyms[text]
    return ""

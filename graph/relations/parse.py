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

The rules are written in ClearNLP's labels (spaCy's English pipelines: `dobj`, `prep`
over `pobj`); a parse in Universal Dependencies' (the other languages' pipelines: `obj`,
`obl` or `nmod` with a `case` child, a copula under its predicate) is read through the
equivalents (`UD_LABELS`, a case word standing where ClearNLP's preposition stands). The
words (offices, verbs, prepositions) are the statement's language's (`roles.RoleWords`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.model import Relation
from graph.relations.roles import RoleWords, Title, national_head, noun_role, role_words, verb_role

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

VERBAL = frozenset({"VERB", "AUX"})
# Dependents that join an argument to its verb through a preposition.
PREPOSITIONS = frozenset({"prep", "agent", "dative"})
SUBJECTS = frozenset({"nsubj", "csubj", "agent"})
# Universal Dependencies labels -> the ClearNLP labels the rules read. A proper noun
# without a case word under a noun ("le ministre Y", "le groupe Y") stands as an
# apposition (a common noun so attached is more often a misparse: "au Caire le ministre").
UD_LABELS = {
    "obj": "dobj", "iobj": "dative", "nsubj:pass": "nsubjpass", "csubj:pass": "csubjpass",
    "obl:agent": "agent", "acl:relcl": "relcl", "compound:prt": "prt", "nmod:poss": "poss",
}  # fmt: skip
# What a predicate is to a copula verb: ClearNLP's attribute; in Universal Dependencies,
# the complement of "devenir", "rester" ("être" hangs from its predicate instead).
ATTRIBUTES = frozenset({"attr"})
UD_ATTRIBUTES = frozenset({"xcomp", "obj"})
# What a nationality adjective hangs from its noun by.
DEMONYM_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod"})
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
class Grammar:
    """How to read a statement's parse: its language's role words, and whether its
    labels are Universal Dependencies' (else ClearNLP's, spaCy's English pipelines)."""

    words: RoleWords
    universal: bool = False

    def label(self, token: Token) -> str:
        """The token's dependency as ClearNLP names it."""
        if not self.universal:
            return token.dep_
        if token.dep_ == "nmod" and token.pos_ == "PROPN" and not _cases(token):
            return "appos"
        return UD_LABELS.get(token.dep_, token.dep_)


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
    grammar: Grammar | None = None,
) -> tuple[Relation, ...]:
    """The relations between the names of one parsed statement, and to the countries
    its adjectives name ("the Egyptian official X": `demonyms` maps "Egyptian" to Egypt).
    `lemmatize` sets the lemmas of the tokens read, when the parse left them unset;
    `grammar` says how to read the parse (English's words and ClearNLP's labels unless told)."""
    lemmatize = lemmatize or _as_given
    grammar = grammar or Grammar(role_words("en"))
    spans = [doc.char_span(start, end, alignment_mode="expand") for start, end, _ in names]
    owner = {t.i: k for k, span in enumerate(spans) if span is not None for t in span}
    found: list[Relation] = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            a, b = spans[i], spans[j]
            if a is None or b is None or a.root.i in range(b.start, b.end) or b.root.i in range(a.start, a.end):
                continue
            relation = _pair(a.root, b.root, i, j, names[i][2], names[j][2], owner, lemmatize, grammar)
            if relation is not None:
                found.append(relation)
    for k, (_, _, label) in enumerate(names):
        span = spans[k]
        if span is not None and label in NATIONALITY:
            country, hub = "", span.root
            for root in _attachments(span, grammar):
                lemmatize((root.head,))
                country, hub = _demonym(root, owner, demonyms, grammar)
                if country:
                    break
            if country:
                found.append(Relation(k, None, NATIONALITY[label], "", country))
                if label == "PERSON" and _leads_country(hub, owner, lemmatize, grammar):
                    found.append(Relation(k, None, "head_of", "", country))
    return tuple(found)


def _attachments(span: Span, grammar: Grammar) -> list[Token]:
    """The words by which a name hangs from its statement: its root; in Universal
    Dependencies, where the parser often breaks a name's `flat:name` ("al - Sissi" in
    three, the hyphen a root of its own), each word whose head is outside the name, the
    root first."""
    if not grammar.universal:
        return [span.root]
    inside = range(span.start, span.end)
    return [span.root, *(t for t in span if t != span.root and (t.head.i not in inside or t.head == t))]


def _pair(
    a: Token, b: Token, i: int, j: int, type_a: str, type_b: str, owner: dict[int, int],
    lemmatize: Callable[[Iterable[Token]], None], grammar: Grammar,
) -> Relation | None:
    path = _path(a, b)
    if path is None:
        return None
    up_a, top, up_b = path
    if grammar.universal:
        up_a, up_b = _with_cases(up_a), _with_cases(up_b)
    lemmatize((*up_a, top, *up_b))
    relative = _clause_of_noun(up_a, up_b, grammar)
    if relative is not None:
        return _relative(relative, i, j, type_a, type_b, grammar)
    if top.pos_ in VERBAL and top.i not in owner:
        if top.lemma_ in grammar.words.copulas:
            return _copula(up_a, up_b, i, j, type_a, type_b, owner, grammar)
        return _verbal(top, up_a, up_b, i, j, type_a, type_b, grammar)
    if grammar.universal and any(c.dep_ == "cop" for c in top.children):
        return _predicate(up_a, top, up_b, i, j, type_a, type_b, owner, grammar)
    return _nominal(up_a, top, up_b, i, j, type_a, type_b, owner, grammar)


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


def _cases(token: Token) -> list[Token]:
    """The case words of a Universal Dependencies nominal ("de" in "président de la France")."""
    return [c for c in token.children if c.dep_ == "case"]


def _with_cases(chain: list[Token]) -> list[Token]:
    """A chain climbing a Universal Dependencies parse with each token's case words after
    it, between it and its head: where ClearNLP's preposition stands ("France" under
    "de" under "président")."""
    return [t for token in chain for t in (token, *_cases(token))]


def _side(chain: Sequence[Token], grammar: Grammar) -> _Side | None:
    """How the name at the bottom of `chain` hangs from the verb above its top, or None
    when the way leaves the clause."""
    k = 0
    while k < len(chain) - 1 and (
        chain[k].dep_ == "conj" or (grammar.universal and chain[k].dep_ == "case" and chain[k].head.dep_ == "conj")
    ):
        k += 1  # "X and Y met Z": Y has X's place
    if not chain:
        return None
    token, preposition = chain[k], None
    dep = grammar.label(token)
    if grammar.universal:
        if k + 1 < len(chain) and chain[k + 1].dep_ == "case":
            preposition = chain[k + 1]
            dep = "agent" if dep == "agent" else "prep"
            while k + 1 < len(chain) and chain[k + 1].dep_ == "case":
                k += 1
    elif token.dep_ == "pobj" and k + 1 < len(chain) and chain[k + 1].dep_ in PREPOSITIONS:
        k += 1
        token = preposition = chain[k]
        dep = token.dep_
    verbs = []
    for up in chain[k + 1 :]:
        if up.pos_ not in VERBAL or up.dep_ != "xcomp":
            return None
        verbs.append(up)
    return _Side(dep, preposition, tuple(reversed(verbs)))


def _verbal(
    verb: Token, up_a: list[Token], up_b: list[Token], i: int, j: int, type_a: str, type_b: str, grammar: Grammar
) -> Relation | None:
    side_a, side_b = _side(up_a, grammar), _side(up_b, grammar)
    if side_a is None or side_b is None:
        return None
    return _directed(verb, side_a, side_b, i, j, type_a, type_b, grammar)


def _directed(
    verb: Token, side_a: _Side, side_b: _Side, i: int, j: int, type_a: str, type_b: str, grammar: Grammar
) -> Relation | None:
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
    negated = _negated(verb)
    words = [grammar.words.negation] if negated else []
    words += _verb_words(verb, grammar)
    for later in target.verbs:
        negated = negated or _negated(later)
        words += [*_infinitive(later, grammar), *_verb_words(later, grammar)]
    preposition = target.preposition.text.lower() if target.preposition is not None and target.dep != "agent" else ""
    if preposition:
        words.append(preposition)
    last = target.verbs[-1] if target.verbs else verb
    source_type, target_type = (type_a, type_b) if first == i else (type_b, type_a)
    role = verb_role(source_type, target_type, last.lemma_.lower(), preposition, negated, grammar.words)
    if role is not None and role[1]:
        first, second = second, first
    return Relation(first, second, role[0] if role else "", " ".join(words))


def _negated(verb: Token) -> bool:
    """ClearNLP's `neg` ("not"), or an adverb the morphologizer marks negative ("ne", "pas")."""
    return any(c.dep_ == "neg" or (c.dep_ == "advmod" and "Neg" in c.morph.get("Polarity")) for c in verb.children)


def _verb_words(verb: Token, grammar: Grammar) -> list[str]:
    return [verb.lemma_.lower(), *(c.text.lower() for c in verb.children if grammar.label(c) == "prt")]


def _infinitive(verb: Token, grammar: Grammar) -> list[str]:
    """The word before a verb following another: the language's ("agree to meet"), else
    the marker the text has ("accepter de rencontrer")."""
    if grammar.words.infinitive:
        return [grammar.words.infinitive]
    return [c.text.lower() for c in verb.children if c.dep_ == "mark"]


def _clause_of_noun(up_a: list[Token], up_b: list[Token], grammar: Grammar) -> tuple[Token, list[Token], bool] | None:
    """A relative clause or participle hanging from one name and holding the other: its
    verb, the chain from the other name up to it, and whether that other name is `b`."""
    for above, below, b_below in ((up_a, up_b, True), (up_b, up_a, False)):
        if above or not below:
            continue
        verb = below[-1]
        if verb.pos_ in VERBAL and grammar.label(verb) in ("relcl", "acl"):
            return verb, below[:-1], b_below
    return None


def _relative(
    found: tuple[Token, list[Token], bool], i: int, j: int, type_a: str, type_b: str, grammar: Grammar
) -> Relation | None:
    verb, chain, b_below = found
    below = _side(chain, grammar)
    if below is None:
        return None
    if grammar.label(verb) == "relcl":
        pronoun = next(
            (c for c in verb.children if _relative_pronoun(c, grammar) and grammar.label(c) in ("nsubj", "nsubjpass", "dobj")),
            None,
        )
        if pronoun is None:
            return None
        dep = grammar.label(pronoun)
    else:
        # A past participle speaks of what undergoes it ("X, led by Y"), a present one of who does it.
        dep = "nsubjpass" if _past_participle(verb, grammar) else "nsubj"
    noun = _Side(dep, None, ())
    side_a, side_b = (noun, below) if b_below else (below, noun)
    return _directed(verb, side_a, side_b, i, j, type_a, type_b, grammar)


def _relative_pronoun(token: Token, grammar: Grammar) -> bool:
    if grammar.universal:
        return "Rel" in token.morph.get("PronType")
    return token.tag_ in ("WDT", "WP")


def _past_participle(verb: Token, grammar: Grammar) -> bool:
    if grammar.universal:
        return "Part" in verb.morph.get("VerbForm") and "Past" in verb.morph.get("Tense")
    return verb.tag_ == "VBN"


def _copula(
    up_a: list[Token], up_b: list[Token], i: int, j: int, type_a: str, type_b: str, owner: dict[int, int], grammar: Grammar
) -> Relation | None:
    """"X is the president of Y": the nouns after the verb, from the subject."""
    attributes = ATTRIBUTES | UD_ATTRIBUTES if grammar.universal else ATTRIBUTES
    for subject, predicate, first, second, source, target in (
        (up_a, up_b, i, j, type_a, type_b), (up_b, up_a, j, i, type_b, type_a)
    ):
        side = _side(subject, grammar)
        if side is None or side.dep != "nsubj" or not predicate or predicate[-1].dep_ not in attributes:
            continue
        if any(t.dep_ == "conj" for t in predicate):
            return None
        return _nouns(list(reversed(predicate)), first, second, source, target, owner, "", grammar)
    return None


def _predicate(
    up_a: list[Token], top: Token, up_b: list[Token], i: int, j: int, type_a: str, type_b: str,
    owner: dict[int, int], grammar: Grammar,
) -> Relation | None:
    """"X est le président de Y" in Universal Dependencies, where the predicate heads the
    clause and the copula hangs from it: as `_copula`, the nouns from the predicate down."""
    if top.i in owner:
        return None  # "the president of Y is X": the English rules read nothing there either
    for subject, predicate, first, second, source, target in (
        (up_a, up_b, i, j, type_a, type_b), (up_b, up_a, j, i, type_b, type_a)
    ):
        side = _side(subject, grammar)
        if side is None or side.dep != "nsubj" or not predicate:
            continue
        if any(t.dep_ == "conj" for t in predicate):
            return None
        return _nouns([top, *reversed(predicate)], first, second, source, target, owner, "", grammar)
    return None


def _nominal(
    up_a: list[Token], top: Token, up_b: list[Token], i: int, j: int, type_a: str, type_b: str,
    owner: dict[int, int], grammar: Grammar,
) -> Relation | None:
    path = [*up_a, top, *reversed(up_b)]
    label = grammar.label
    if any(t.dep_ == "conj" for t in (*up_a, *up_b)):
        return None  # a list: "X, Y and Z", "leaders of X and Y"
    if any(
        t.pos_ in VERBAL and label(t) not in ("amod", "acl") and t.lemma_ not in grammar.words.nominal_verbs
        for t in path
        if t.i not in owner
    ):
        return None
    beside = [c for c in top.children if label(c) == "appos"]
    if top.i not in owner and len(beside) > 1 and any(label(t) == "appos" and t != beside[0] for t in (*up_a, *up_b)):
        return None  # "Egypt's President X and Qatar's Emir Y": only X is surely the president
    pattern = label((up_a or up_b)[0]) if len(up_a) + len(up_b) == 1 else ""
    if pattern == "appos" and any(
        label(c) in ("conj", "cc", "appos") for t in (top, (up_a or up_b)[0]) for c in t.children if c not in up_a + up_b
    ):
        return None  # "Sweden, Belgium, England win": a list, not a place and its country
    # The name the nouns describe comes first: the one that is the top ("X, the head of
    # Y", "Hamas leader X"), stands beside it ("the head of Y, X"), or follows a kind
    # whose modifier is the larger whole ("the Melbourne suburb of Preston").
    kinds = grammar.words.place_kinds | grammar.words.org_parts
    b_described = (top.i in owner and owner[top.i] == j) or (
        top.i not in owner
        and (
            (len(up_b) == 1 and label(up_b[0]) == "appos")
            or (len(up_a) == 1 and label(up_a[0]) in ("compound", "poss") and top.lemma_.lower() in kinds)
        )
    )
    if b_described:
        ordered, first, second, source, target = list(reversed(path)), j, i, type_b, type_a
    else:
        ordered, first, second, source, target = path, i, j, type_a, type_b
    return _nouns(ordered, first, second, source, target, owner, pattern, grammar)


def _nouns(
    path: list[Token], first: int, second: int, source: str, target: str, owner: dict[int, int], pattern: str,
    grammar: Grammar,
) -> Relation | None:
    """The relation the words of a nominal path (from the source name) show."""
    inner = [t for t in path if t.i not in owner and t.pos_ in NOMINAL_WORDS]
    if len(inner) > MAX_WORDS or sum(1 for t in inner if t.pos_ in ("NOUN", "PROPN")) > MAX_NOUNS:
        return None
    # Offices are often capitalised and tagged as proper nouns ("Intelligence Chief").
    words = [t.lemma_.lower() if t.pos_ in ("NOUN", "PROPN", "VERB") else t.text.lower() for t in inner]
    titles = [Title(t.lemma_.lower(), _modifier(t, grammar)) for t in inner if t.pos_ in ("NOUN", "PROPN")]
    role = noun_role(source, target, titles, words, pattern if pattern in ("poss", "appos", "compound") else "", grammar.words)
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


def _modifier(token: Token, grammar: Grammar) -> str:
    """The word beside an office that makes it another ("vice president", "prime
    minister", "secrétaire général", "directeur adjoint"): after it, the outermost."""
    words = grammar.words
    after = [
        c.text.lower() for c in token.rights if grammar.label(c) in ("amod", "compound") and c.text.lower() in words.modifiers_after
    ]
    if after:
        return after[-1]
    for child in token.lefts:
        if child.dep_ in ("amod", "compound") and child.text.lower() in words.deputy_words | words.head_words:
            return child.text.lower()
    return ""


def _demonym(root: Token, owner: dict[int, int], demonyms: Mapping[str, str], grammar: Grammar) -> tuple[str, Token]:
    """The country a name's adjective names: "German Chancellor X", "X, the Egyptian
    official", "X is an American actor"; empty when there is none. With it, the word
    the adjective describes (the name, or its title)."""
    label = grammar.label
    hubs = [root]
    hubs += [c for c in root.children if label(c) in ("appos", "compound") and c.pos_ in ("NOUN", "PROPN")]
    if label(root) == "nsubj":
        if root.head.lemma_ in grammar.words.copulas:
            attributes = ATTRIBUTES | UD_ATTRIBUTES if grammar.universal else ATTRIBUTES
            hubs += [c for c in root.head.children if c.dep_ in attributes]
        if grammar.universal and any(c.dep_ == "cop" for c in root.head.children):
            hubs.append(root.head)  # "X est un acteur américain": the predicate heads
    if label(root) == "appos" and root.head.i not in owner:
        hubs.append(root.head)  # "the Egyptian capital Cairo", "the American envoy, X"
    for hub in hubs:
        for child in hub.children:
            if child.dep_ not in DEMONYM_DEPS or child.i in owner:
                continue
            doc = child.doc
            for text in (f"{doc[child.i - 1].text} {child.text}" if child.i else "", child.text):
                if text in demonyms:
                    return demonyms[text], hub
    return "", root


def _leads_country(
    hub: Token, owner: dict[int, int], lemmatize: Callable[[Iterable[Token]], None], grammar: Grammar
) -> bool:
    """Whether the title a nationality adjective describes is the country's own ("le
    président égyptien X"), not an office of something it names ("le directeur égyptien
    de l'AIEA")."""
    if not grammar.words.national_heads or hub.i in owner:
        return False
    if any(_cases(c) for c in hub.children if c.dep_ == "nmod"):
        return False
    lemmatize((hub,))
    return national_head(Title(hub.lemma_.lower(), _modifier(hub, grammar)), grammar.words)

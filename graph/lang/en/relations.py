"""English: the vocabulary of the relations (graph.relations.roles), the words of offices,
kinds of place and of organization, and verbs of leading and belonging, not names.

Each word was kept because it holds in general; the measured precision is in the README
(benchmarks/evaluate.py on Re-DocRED). Nouns and verbs are lemmas (lower case),
modifiers and prepositions the words as written (lower case).
"""

# Offices whose holder leads what the office is of ("the head of Y", "Y's president X").
HEAD_TITLES = frozenset({
    "head", "leader", "president", "chairman", "chairwoman", "chair", "chairperson", "chief",
    "director", "ceo", "chancellor", "premier", "king", "queen", "emir", "sultan", "governor",
    "mayor", "commander", "boss", "dictator", "ruler", "monarch", "secretary-general",
})  # fmt: skip
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
# Words beside an office that make its holder a deputy, or the head ("prime minister"):
# English puts them before the office; MODIFIERS_AFTER those that follow it (none).
DEPUTY_WORDS = frozenset({"vice", "deputy", "assistant", "associate"})
HEAD_WORDS = frozenset({"prime"})
MODIFIERS_AFTER: frozenset[str] = frozenset()
# Beginnings of an office written as one word that make its holder a deputy (none:
# "vice-president" is read as a word of its own).
DEPUTY_PREFIXES: tuple[str, ...] = ()
# Offices whose holder, named with a nationality adjective, leads the country. None:
# English names the country itself ("Egypt's President X", "US President X") and the
# nominal path reads it; "Egyptian President X" gives citizen_of only, as measured.
NATIONAL_HEADS: frozenset[str] = frozenset()
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
# The verbs (lemmas) a path of nouns may cross and still say how two names are linked.
NOMINAL_VERBS = frozenset({"base", "headquarter"})
PREPOSITIONS = frozenset({"of", "in", "at", "from", "for", "on", "to", "with", "by"})
# The prepositions of belonging ("the head of Y") and of place ("X in Y").
OF = frozenset({"of"})
IN = frozenset({"in"})
# Verbs whose subject leads, or belongs to, their object (with its preposition).
HEAD_VERBS = frozenset({"lead", "head", "chair", "run", "command", "govern", "rule", "direct"})
MEMBER_VERBS = frozenset({
    ("join", ""), ("play", "for"), ("work", "for"), ("work", "at"), ("speak", "for"),
    ("sign", "for"), ("sign", "with"), ("represent", ""), ("serve", "in"), ("serve", "on"),
})  # fmt: skip
CITIZEN_VERBS = frozenset({("represent", "")})
BASED_VERBS = frozenset({("base", "in"), ("headquarter", "in"), ("locate", "in")})
LOCATED_VERBS = frozenset({("locate", "in"), ("situate", "in"), ("lie", "in")})
# Verbs whose object becomes part of their subject: "Y owns X" is X part_of Y.
OWNING_VERBS = frozenset({"own", "acquire", "buy"})
# Verbs joining a subject to what it is ("X is the president of Y").
COPULAS = frozenset({"be", "become", "remain"})
# The phrase's word for a negated verb ("not join"), and the word before a verb that
# follows another ("agree to meet"; empty: the marker the text has).
NEGATION = "not"
INFINITIVE = "to"

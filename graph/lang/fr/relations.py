"""French: the vocabulary of the relations (graph.relations.roles), as French newspapers
write offices, places and verbs; the English module's words, translated, with both genders.

Nouns and verbs are lemmas (lower case; the lemmatizer leaves some feminine nouns as
written, so both are listed), modifiers and prepositions the words as written (lower case,
contractions included: "du" is "de le", "au" is "à le").
"""

# Offices whose holder leads what the office is of ("le président de Y", "le chef du Hamas").
HEAD_TITLES = frozenset({
    "chef", "cheffe", "dirigeant", "dirigeante", "leader", "président", "présidente",
    "directeur", "directrice", "pdg", "patron", "patronne", "chancelier", "chancelière",
    "roi", "reine", "émir", "sultan", "monarque", "gouverneur", "gouverneure", "maire",
    "commandant", "commandante", "dictateur", "dictatrice",
})  # fmt: skip
# Offices and trades held in an organization, or, for a country, by its citizens.
MEMBER_TITLES = frozenset({
    "membre", "porte-parole", "responsable", "joueur", "joueuse", "entraîneur", "entraîneuse",
    "sélectionneur", "capitaine", "attaquant", "attaquante", "défenseur", "gardien",
    "ailier", "employé", "employée", "salarié", "salariée", "officier", "conseiller",
    "conseillère", "envoyé", "envoyée", "émissaire", "ambassadeur", "ambassadrice",
    "négociateur", "négociatrice", "député", "députée", "parlementaire", "sénateur",
    "sénatrice", "représentant", "représentante", "délégué", "déléguée", "ministre",
    "secrétaire", "adjoint", "adjointe", "professeur", "professeure", "chercheur",
    "chercheuse", "scientifique", "journaliste", "correspondant", "correspondante",
    "reporter", "rédacteur", "rédactrice", "politicien", "politicienne", "militant",
    "militante", "combattant", "combattante", "soldat", "activiste", "candidat", "candidate",
    "analyste", "cadre", "manager", "travailleur", "travailleuse", "fondateur", "fondatrice",
    "cofondateur", "cofondatrice", "élu", "élue",
})  # fmt: skip
# Words beside an office that make its holder a deputy, or the head ("Premier ministre",
# "secrétaire général"); MODIFIERS_AFTER those that follow the office, as French
# adjectives do ("directeur adjoint").
DEPUTY_WORDS = frozenset({"vice", "adjoint", "adjointe", "délégué", "déléguée"})
HEAD_WORDS = frozenset({"premier", "première", "général", "générale"})
MODIFIERS_AFTER = frozenset({"adjoint", "adjointe", "délégué", "déléguée", "général", "générale"})
# Beginnings of an office written as one word that make its holder a deputy.
DEPUTY_PREFIXES = ("vice-", "sous-")
# Offices whose holder, named with a nationality adjective, leads the country: French
# says "le président égyptien X" where English says "Egypt's President X" (as a lemma, or
# modifier and lemma).
NATIONAL_HEADS = frozenset({
    "président", "présidente", "roi", "reine", "émir", "sultan", "monarque", "chancelier",
    "chancelière", "premier ministre", "première ministre",
})  # fmt: skip
# What a place is of a larger one ("X, une ville de Y", "X, la capitale de Y").
PLACE_KINDS = frozenset({
    "ville", "village", "bourg", "capitale", "province", "région", "district", "état",
    "comté", "commune", "municipalité", "banlieue", "quartier", "arrondissement", "zone",
    "île", "port", "territoire", "département", "canton", "préfecture", "localité", "partie",
})  # fmt: skip
# What an organization is of a larger one ("X, une filiale de Y", "la branche armée de Y").
ORG_PARTS = frozenset({
    "unité", "filiale", "division", "branche", "aile", "bras", "antenne", "partie",
    "faction", "section", "composante", "marque",
})  # fmt: skip
# Where an organization sits ("X, basée à Y", "le siège de X à Y", "implantée à Y").
BASED_WORDS = frozenset({
    "baser", "basé", "basée", "basés", "basées", "siège", "siéger", "implanter", "implanté",
    "implantée", "implantés", "implantées",
})  # fmt: skip
# The verbs (lemmas) a path of nouns may cross and still say how two names are linked.
NOMINAL_VERBS = frozenset({"baser", "implanter", "siéger"})
PREPOSITIONS = frozenset({
    "de", "du", "des", "d'", "à", "au", "aux", "en", "dans", "pour", "avec", "par", "sur", "chez",
})  # fmt: skip
# The prepositions of belonging ("le chef de Y") and of place ("X à Y", "X en Y").
OF = frozenset({"de", "du", "des", "d'"})
IN = frozenset({"à", "au", "aux", "en", "dans"})
# Verbs whose subject leads, or belongs to, their object (with its preposition).
HEAD_VERBS = frozenset({"diriger", "présider", "gouverner", "commander", "mener"})
MEMBER_VERBS = frozenset({
    ("rejoindre", ""), ("intégrer", ""), ("représenter", ""), ("travailler", "pour"), ("travailler", "chez"),
    ("jouer", "pour"), ("signer", "avec"), ("signer", "pour"), ("servir", "dans"), ("siéger", "dans"),
    ("adhérer", "à"), ("adhérer", "au"), ("adhérer", "aux"), ("jouer", "à"), ("jouer", "au"),
    ("jouer", "aux"), ("travailler", "à"), ("travailler", "au"), ("travailler", "aux"), ("signer", "à"),
    ("signer", "au"), ("signer", "aux"), ("siéger", "à"), ("siéger", "au"), ("siéger", "aux"),
})  # fmt: skip
CITIZEN_VERBS = frozenset({("représenter", "")})
BASED_VERBS = frozenset({
    ("baser", "à"), ("baser", "au"), ("baser", "aux"), ("baser", "en"), ("baser", "dans"),
    ("implanter", "à"), ("implanter", "au"), ("implanter", "aux"), ("implanter", "en"), ("implanter", "dans"),
    ("situer", "à"), ("situer", "au"), ("situer", "aux"), ("situer", "en"), ("situer", "dans"),
    ("siéger", "à"), ("siéger", "au"), ("siéger", "aux"), ("siéger", "en"), ("siéger", "dans"),
})  # fmt: skip
LOCATED_VERBS = frozenset({
    ("situer", "à"), ("situer", "au"), ("situer", "aux"), ("situer", "en"), ("situer", "dans"),
    ("trouver", "à"), ("trouver", "au"), ("trouver", "aux"), ("trouver", "en"), ("trouver", "dans"),
})  # fmt: skip
# Verbs whose object becomes part of their subject: "Y rachète X" is X part_of Y.
OWNING_VERBS = frozenset({"posséder", "détenir", "acheter", "racheter", "acquérir"})
# Verbs joining a subject to what it is ("X est devenu président de Y"; "être" mostly
# hangs from its predicate in Universal Dependencies, as `cop`, which the parse reads).
COPULAS = frozenset({"être", "devenir", "rester"})
# The phrase's words for a negated verb ("ne pas rejoindre"), and the word before a verb
# that follows another: none, the text's own ("accepter de rencontrer").
NEGATION = "ne pas"
INFINITIVE = ""

"""French: the words around a name that say it names an organization (read by
graph.resolve.context through `Cues`). Each phrase is matched case-insensitively, its
spaces standing for any run of whitespace, an apostrophe for both ' and ’."""

# French writes the kind of organization after its name only in names themselves.
KINDS_AFTER: tuple[str, ...] = ()

# Kinds of organization written right before its name ("la société Michelin", "l'agence
# Havas", "les établissements Renault", "l'institut Pasteur"). Left out: bodies whose
# president's title comes before a person's name ("le président du Conseil Briand", "de
# la Chambre", "de l'Assemblée"), and "ministère", before a person's name the cabinet he
# leads ("le ministère Poincaré"), as English leaves out "the Trump campaign".
KINDS_BEFORE = (
    "société", "compagnie", "banque", "crédit", "caisse", "office", "agence", "groupe", "institut",
    "parti", "comité", "union", "fédération", "confédération", "association", "syndicat", "ligue",
    "université", "école", "académie", "établissements", "usines", "firme",
    "journal", "quotidien", "hebdomadaire", "revue", "magazine",
)  # fmt: skip

# An office held in an organization, then one of OFFICE_LINKS, maybe an article
# (names.LEADING_ARTICLES) and the name: "le directeur de la X", "les membres du X".
# "président" is left out as in English: a president is mostly a country's; "personnel"
# too: an adjective as often ("le prestige personnel de Paderewski").
OFFICES = (
    "directeur", "directrice", "chef", "chefs", "dirigeant", "dirigeants", "membre", "membres",
    "porte-parole", "fondateur", "fondatrice", "patron", "rédacteur", "rédacteur en chef",
    "administrateur", "administrateurs", "secrétaire général", "employé", "employés",
    "fonctionnaire", "fonctionnaires",
)  # fmt: skip
OFFICE_LINKS = ("de", "du", "des", "d'", "pour", "chez")

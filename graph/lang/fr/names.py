"""French: the words that shape a name as French writes it (read by graph.names through
`NameWords`; graph.suggest and graph.resolve.links use them so). Each list does the job
its English namesake does (graph/lang/en/names.py); an apostrophe stands for both ' and ’.
"""

# Words whose final period is part of a name: "Dupont et Cie.", "Mgr.".
ABBREVIATIONS = ("Cie", "Co", "Mgr", "Dr", "Me", "Mme", "Mlle", "MM", "St", "Ste", "Vve", "Jr", "Sr")

# The article a model keeps in front of a name ("la France", "l'Allemagne"): not part of
# it. Lowercase only: written with a capital it begins many names ("Le Havre", "La
# Rochelle", "Le Pen", "Le Temps", "L'Humanité").
LEADING_ARTICLES = ("le", "la", "les", "l'")

# Lowercase words that begin a surname ("de Lasteyrie", "du Bellay", "de la Rocque",
# "d'Orléans", "Le Pen"), the French ones and those of the foreign names French text
# writes ("van Gogh", "von Papen", "ben Bella").
PARTICLES = (
    "de", "du", "des", "de la", "d'", "le", "la",
    "al", "el", "del", "della", "der", "den", "di", "da", "das", "do", "dos",
    "van", "von", "bin", "ibn", "ben", "bint", "abu", "ter", "ten", "zu",
)  # fmt: skip

# Arabic articles glued to a surname by a hyphen: "el-Sissi" is also written "Sissi".
GLUED_PARTICLES = ("al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "ul", "ud")

# Titles and honorifics written before a person's name but not part of it, often in
# lowercase ("le président Macron", "M. Chéron", "Me Henry-Torrès"). Matched
# case-insensitively, longest first, only at the front of a PERSON span, and only while a
# name is left after them. Left out on purpose: "pasteur" (Louis Pasteur), "lord", "dame"
# and "dom", which begin names as often as they precede them.
TITLES = (
    "M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Me", "Mgr", "Dr", "Pr",
    "monsieur", "messieurs", "madame", "mesdames", "mademoiselle", "maître", "sir",
    "président", "présidente", "vice-président", "président du Conseil", "président de la République",
    "ministre", "premier ministre", "secrétaire d'État", "sous-secrétaire d'État", "secrétaire général",
    "chancelier", "chancelière",
    "sénateur", "député", "maire", "préfet", "sous-préfet", "gouverneur", "ambassadeur", "consul", "juge",
    "général", "maréchal", "colonel", "lieutenant-colonel", "commandant", "capitaine", "lieutenant",
    "sous-lieutenant", "adjudant", "sergent", "caporal", "amiral", "vice-amiral", "contre-amiral",
    "docteur", "professeur",
    "roi", "reine", "prince", "princesse", "empereur", "impératrice", "tsar", "sultan", "émir", "cheikh",
    "comte", "comtesse", "vicomte", "vicomtesse", "baron", "baronne", "duc", "duchesse", "marquis", "marquise",
    "pape", "cardinal", "archevêque", "évêque", "monseigneur", "chanoine", "abbé", "curé",
    "père", "frère", "sœur", "soeur", "saint", "sainte",
)  # fmt: skip

# Rulers and clergy go by a given name, which the title makes unique: "le prince
# Napoléon", "l'abbé Pierre", "sœur Emmanuelle", "saint Louis" keep their title.
# Listed as written before a name, in lowercase: so written, the title is no stray
# lowercase word for graph.names.clean_span to drop.
REGNAL_TITLES = (
    "roi", "reine", "prince", "princesse", "empereur", "impératrice", "tsar", "sultan", "émir", "cheikh",
    "pape", "abbé", "père", "frère", "sœur", "soeur", "saint", "sainte",
)  # fmt: skip

# Titles of nobility and sees that, followed by a name particle, name the title held
# ("le comte de Paris", "le duc d'Orléans", "le prince de Galles", "l'évêque de Meaux"):
# the title then stays, or "de Paris" would be left for a person.
TERRITORIAL_TITLES = (
    "prince", "princesse", "comte", "comtesse", "vicomte", "vicomtesse", "duc", "duchesse",
    "marquis", "marquise", "baron", "baronne", "archevêque", "évêque",
)  # fmt: skip

# Words closing a name that say which of a family's people it is ("Dumas fils",
# "Coquelin aîné", "Napoléon III"): the surname is the word before.
GENERATIONS = ("fils", "père", "aîné", "cadet", "jr", "sr", "ii", "iii", "iv")

# A ruler's number written as a word, not a Roman numeral: "François Ier", "Élisabeth
# Ire" are a ruler's given name and number, which keep their title ("le roi François Ier").
REGNAL_ORDINALS = ("Ier", "Ire", "1er", "1re")

# Words that join the parts of a name and carry no initial in its acronym
# ("Confédération générale du travail" is CGT; "d'études" counts by its "é"); no part of
# a name begins or ends with one. English ones are here for the English names French
# text writes ("Bank of England").
FUNCTION_WORDS = (
    "de", "du", "des", "d'", "la", "le", "les", "l'", "et", "pour", "en", "à", "au", "aux", "sur", "par",
    "dans", "sous", "&", "of", "the", "and",
)  # fmt: skip

# Words after which the rest of an organization's name is another entity it is named for
# or after: "France" is not short for "Banque de France". (In a person's name, a particle
# among these begins the surname: "de Lasteyrie".)
OBJECT_WORDS = ("de", "du", "des", "d'", "pour")

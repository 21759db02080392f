"""English: the words that shape a name as English writes it (read by graph.names through
`NameWords`; graph.suggest and graph.resolve.links use them so)."""

# Words whose final period is part of a name: "Martin Luther King Jr.", "Apple Inc.".
ABBREVIATIONS = ("Jr", "Sr", "Inc", "Ltd", "Co", "Corp", "Bros", "St", "Mt", "Ft", "Dr", "Mr", "Mrs", "Ms")

# The article a model keeps in front of a name, as written ("the Gaza Strip"): it is not
# part of the name. Casefolded, it is also the article between "of" and the entity a name
# is named for ("Group of Friends of the United Nations").
LEADING_ARTICLES = ("the", "The", "THE")

# Lowercase words that begin a surname ("de Gaulle", "bin Salman", "Le Pen", "van Gaal"):
# they belong at the front of a name, and with one word after them they are a surname.
PARTICLES = (
    "al", "el", "de", "del", "della", "der", "den", "des", "di", "da", "das", "do", "dos", "du", "la", "le",
    "van", "von", "bin", "ibn", "ben", "bint", "abu", "ter", "ten", "zu",
)

# Arabic articles glued to a surname by a hyphen: "al-Sisi" is also written "Sisi".
GLUED_PARTICLES = ("al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "ul", "ud")

# Titles and honorifics that may precede a person's name but are not part of it. Matched
# case-insensitively, longest first, only at the front of a PERSON span, and only while a
# name is left after them. "Lady", "Lord", "Dame" and "Father" are left out on purpose:
# they start stage names and names of works ("Lady Gaga", "Father Christmas").
TITLES = (
    "President", "Vice President", "Vice-President", "President-elect",
    "Prime Minister", "Deputy Prime Minister", "Minister", "Foreign Minister",
    "Defence Minister", "Defense Minister", "Finance Minister", "Interior Minister",
    "Secretary", "Secretary of State", "Secretary-General", "Secretary General",
    "Chancellor", "King", "Queen", "Prince", "Princess", "Crown Prince", "Emir",
    "Sheikh", "Sheik", "Shaikh", "Sultan", "Ayatollah", "Imam", "Rabbi", "Pope",
    "Cardinal", "Bishop", "Archbishop", "Reverend", "Rev", "General", "Gen",
    "Major General", "Lieutenant General", "Brigadier General", "Brigadier",
    "Colonel", "Col", "Lieutenant Colonel", "Lt", "Lieutenant", "Captain", "Capt",
    "Major", "Maj", "Sergeant", "Sgt", "Admiral", "Rear Admiral", "Vice Admiral",
    "Commander", "Field Marshal", "Marshal", "Mr", "Mrs", "Ms", "Mx", "Dr",
    "Doctor", "Prof", "Professor", "Emeritus Professor", "Professor Emeritus",
    "Sir", "Senator", "Sen", "Representative", "Rep", "Congressman",
    "Congresswoman", "Governor", "Gov", "Mayor", "Judge", "Justice",
    "Chief Justice", "Ambassador", "Speaker", "Chairman", "Chairwoman",
    "Spokesman", "Spokeswoman", "Spokesperson", "Director", "Attorney",
    "Attorney General", "Administrator", "Chief", "Chief Executive",
    "Commissioner", "Inspector", "Superintendent", "Detective", "Officer",
    "Emperor", "Empress", "Saint",
)  # fmt: skip

# Rulers and clergy go by a given name, which the title makes unique: "Prince Harry" and
# "Pope Francis" keep their title; "Crown Prince Mohammed bin Salman" does not need it.
# "Sheikh" also begins family names ("Sheikh Hasina"), so it follows the same rule.
# Listed as written before a name: capitalised, so that "prince Harry" loses its stray
# lowercase word (a title listed in lowercase would stay with the name).
REGNAL_TITLES = (
    "King", "Queen", "Prince", "Princess", "Crown Prince", "Emir", "Sheikh", "Sheik",
    "Shaikh", "Sultan", "Pope", "Emperor", "Empress", "Saint",
)  # fmt: skip

# Titles of nobility that, followed by a name particle, name the title itself ("le comte
# de Paris"): English writes "Duke of Edinburgh", with no particle, so none.
TERRITORIAL_TITLES: tuple[str, ...] = ()

# Words closing a name that say which of a family's people it is ("Jr", "III"): the
# surname is the word before.
GENERATIONS = ("jr", "sr", "ii", "iii", "iv")

# A ruler's number written as a word, not a Roman numeral (those are read in any
# language): English has none.
REGNAL_ORDINALS: tuple[str, ...] = ()

# Words that join the parts of a name and carry no initial in its acronym ("Times of
# Israel" is TI); no part of a name begins or ends with one ("Bank of" England). French
# ones are here for the French names English text writes ("Banque de France").
FUNCTION_WORDS = ("of", "the", "and", "for", "on", "in", "at", "de", "du", "des", "la", "le", "&")

# Words after which the rest of an organization's name is another entity it is named for
# or after: "United Nations" is not short for "Group of Friends of the United Nations".
OBJECT_WORDS = ("of", "for")

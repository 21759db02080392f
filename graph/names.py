"""Surface cleanup of names, so that the same name written differently gives one node.

Works on character offsets into the document, so a cleaned mention still points at its
exact text in the source: `clean_span` trims, `normalize` gives the matching form.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
# Quotes, brackets and punctuation that a model sometimes keeps at a span's edges.
_EDGE_CHARS = "\"'“”‘’«»„‚`()[]{}<>,;:!?*_|/\\-–—•"
_OPENERS = {")": "(", "]": "[", "}": "{"}
# Words whose final period is part of a name: "Martin Luther King Jr.", "Apple Inc.".
_ABBREVIATIONS = frozenset("Jr Sr Inc Ltd Co Corp Bros St Mt Ft Dr Mr Mrs Ms".split())
_LEADING_ARTICLE = re.compile(r"(?:the|The|THE)\s+")
_FIRST_WORD = re.compile(r"(\S+)\s+(?=[^\W\d_])")
# Lowercase words that begin a surname ("de Gaulle", "bin Salman", "Le Pen", "van Gaal"):
# they belong at the front of a name, and with one word after them they are a surname.
PARTICLES = frozenset(
    "al el de del della der den des di da das do dos du la le van von bin ibn ben bint abu ter ten zu".split()
)
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")


def normalize(text: str) -> str:
    """Collapse runs of whitespace (line breaks included) to one space."""
    return _SPACE.sub(" ", text).strip()


def clean_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink `text[start:end]` to the bare name; None when nothing name-like is left.

    Drops surrounding whitespace, quotes and punctuation, a leading "the" or other
    lowercase word before a capitalised one ("a World Health Organisation", "united
    Germany"; name particles such as "de" stay), an unclosed parenthesis and what follows
    it ("World Health Organisation (WHO"), and a trailing possessive ('s, ’s, or a lone
    apostrophe after s), repeating until stable.
    """
    while True:
        before = (start, end)
        while start < end and (text[start].isspace() or text[start] in _EDGE_CHARS):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE_CHARS):
            # A closing bracket stays when its opener is in the name: "Channel 4 (UK)".
            if _OPENERS.get(text[end - 1], "\0") in text[start : end - 1]:
                break
            end -= 1
        while start < end and text[start] == ".":
            start += 1
        # A final period belongs to an abbreviation ("U.S.", "D.C.", "Jr."), else it is
        # punctuation.
        if end > start and text[end - 1] == "." and "." not in text[start : end - 1]:
            last_word = text[start : end - 1].rsplit(None, 1)[-1] if end - 1 > start else ""
            if last_word not in _ABBREVIATIONS and not (len(last_word) == 1 and last_word.isupper()):
                end -= 1
        possessive = _POSSESSIVE.search(text, start, end)
        if possessive and possessive.start() > start:
            end = possessive.start()
        article = _LEADING_ARTICLE.match(text, start, end)
        if article and article.end() < end:
            start = article.end()
        first = _FIRST_WORD.match(text, start, end)
        if first and _stray_lowercase(first.group(1)) and text[first.end()].isupper():
            start = first.end()
        opening = text.rfind("(", start, end)
        if opening > start and ")" not in text[opening:end]:
            end = opening
        if (start, end) == before:
            break
    if start >= end:
        return None
    return start, end


def _stray_lowercase(word: str) -> bool:
    return word.islower() and word.replace("-", "").replace("'", "").isalpha() and word not in PARTICLES


# Titles and honorifics that may precede a person's name but are not part of it. Matched
# case-insensitively, longest first, only at the front of a PERSON span, and only while a
# name is left after them. "Lady", "Lord", "Dame" and "Father" are left out on purpose:
# they start stage names and names of works ("Lady Gaga", "Father Christmas").
TITLES: tuple[str, ...] = tuple(
    sorted(
        {
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
        },
        key=lambda t: (-len(t), t),
    )
)
# Rulers and clergy go by a given name, which the title makes unique: "Prince Harry" and
# "Pope Francis" keep their title; "Crown Prince Mohammed bin Salman" does not need it.
# "Sheikh" also begins family names ("Sheikh Hasina"), so it follows the same rule.
REGNAL_TITLES = frozenset(
    t.casefold()
    for t in (
        "King", "Queen", "Prince", "Princess", "Crown Prince", "Emir", "Sheikh", "Sheik",
        "Shaikh", "Sultan", "Pope", "Emperor", "Empress", "Saint",
    )
)
_REGNAL_NUMBER = re.compile(r"^[IVX]+$")
_TITLE = re.compile(
    r"(?:" + "|".join(re.escape(t) for t in TITLES) + r")\.?(?:\s+|(?=\s*$))", re.IGNORECASE
)
_LETTER = re.compile(r"[^\W\d_]")
_WORD_START = re.compile(r"(?<!\S)\S")
_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Words that join the parts of a name and carry no initial in its acronym.
FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "at", "de", "du", "des", "la", "le", "&"})
# Arabic article prefixes glued to a surname: "al-Sisi" is also written "Sisi".
_PARTICLE = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|ul|ud)-(?=\w)", re.IGNORECASE)


def strip_title(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink a PERSON span past leading titles ("Major General", "Dr."), with the words
    that qualify the office ("US President", "NASA Administrator"); None when only the
    office is left, not a person. A ruler's title stays before a lone given name
    ("Prince Harry", "King Charles III")."""
    while True:
        leading = _TITLE.match(text, start, end)
        match = leading or _qualified_title(text, start, end)
        if match is None:
            return start, end
        rest = clean_span(text, match.end(), end)
        if rest is None or _only_titles(text[rest[0] : rest[1]]):
            # A title word closing a name is a surname ("John Major", "Victoria Justice").
            return None if leading else (start, end)
        if not leading and not text[rest[0]].isupper():
            return start, end  # "Mary Queen of Scots": the title is inside a name
        title = normalize(text[match.start() : match.end()]).rstrip(".").casefold()
        names = [w for w in text[rest[0] : rest[1]].split() if not _REGNAL_NUMBER.match(w)]
        if title in REGNAL_TITLES and len(names) < 2:
            return start, end
        start, end = rest


def _qualified_title(text: str, start: int, end: int) -> re.Match[str] | None:
    """A title after capitalised words that qualify it: "US President", "Egyptian General
    Intelligence Chief Major General". The first such title is the office's head."""
    for word in _WORD_START.finditer(text, start, end):
        if word.start() == start:
            continue
        match = _TITLE.match(text, word.start(), end)
        if match is not None:
            return match
        if not text[word.start()].isupper():
            return None
    return None


def _only_titles(text: str) -> bool:
    position = 0
    while (match := _TITLE.match(text, position)) is not None and match.end() > position:
        position = match.end()
    return position >= len(text.rstrip())


def key(name: str) -> str:
    """The form names are compared in: case, periods, apostrophe and hyphen variants aside.

    "U.S." and "US", "Republican party" and "Republican Party" get one key.
    """
    # NFKC again after casefold: folding can produce sequences NFKC would compose.
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    text = text.replace("’", "'").replace("‘", "'").replace("‐", "-").replace("–", "-")
    return normalize(text.replace(".", ""))


def tokens(name_key: str) -> list[str]:
    """The words of a key, in order."""
    return name_key.split(" ")


def surname_forms(name_key: str) -> list[str]:
    """How the surname of a full name may stand alone: "al-sisi" also as "sisi", the
    "king" of "martin luther king jr"."""
    words = tokens(name_key)
    last = words[-2] if len(words) > 2 and has_generation(name_key) else words[-1]
    bare = _PARTICLE.sub("", last)
    return [last] if bare == last else [last, bare]


def sound_key(word: str) -> str:
    """How a word sounds, roughly, so that transliterations of one name meet: "Mohammed"
    and "Muhamad", "Haniyeh" and "Haniya", "Zelenskyy" and "Zelensky" get one key.
    Accents, case, apostrophes and hyphens go; the first letter stays; after it every run
    of vowels (y counted) becomes one "a", doubled consonants one, and a final "h" after a
    vowel goes. Too coarse to join names by itself: a caller needs other evidence too.
    """
    letters = _letters(word)
    if not letters:
        return ""
    rest = re.sub(r"([aeiouy])h$", r"\1", letters[1:])
    rest = re.sub(r"[aeiouy]+", "a", rest)
    rest = re.sub(r"([^a])\1+", r"\1", rest)
    return letters[0] + rest


def spelling_variants(a: str, b: str) -> bool:
    """Whether two different words are one name spelled two ways: the same `sound_key`
    and at most two letters apart, each of at least four letters ("Haniyeh" and "Haniya";
    not "Hussein" and "Hassan", three letters apart, nor "Amr" and "Omar")."""
    fa, fb = _letters(a), _letters(b)
    if fa == fb or min(len(fa), len(fb)) < 4 or sound_key(a) != sound_key(b):
        return False
    return _edit_distance(fa, fb) <= 2


def _letters(word: str) -> str:
    bare = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in bare if c.isalpha() and not unicodedata.combining(c))


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


# What an outlet's web edition adds to its name: "X Net", "X Online", "X.com", "X.co.uk".
_WEB_SUFFIX = re.compile(
    r"^(?P<base>.*[^\W_].*?)(?:\s+(?:Net|Online|Web|Website)|\.(?:com|net|org|info|news|tv)(?:\.[a-z]{2})?|\.co\.[a-z]{2})$"
)


def web_base(name: str) -> str | None:
    """The name an outlet's web edition is named after ("BBC News" for "BBC News Online",
    "Haaretz" for "Haaretz.com"), or None when `name` has no web suffix."""
    match = _WEB_SUFFIX.match(name)
    return match.group("base").rstrip(" -") if match else None


def has_generation(name_key: str) -> bool:
    """Whether a name ends in "Jr", "Sr", "II"...: its head then names a parent too."""
    return tokens(name_key)[-1] in _GENERATIONS


def initials(name_key: str) -> str:
    """The acronym a multi-word name would have: "european union" -> "eu"."""
    words = [w for w in tokens(name_key) if w not in FUNCTION_WORDS]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


def acronym_letters(name: str) -> str:
    """The letters of a name written as an acronym ("EU", "U.S."), casefolded; else ""."""
    letters = name.replace(".", "")
    if 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper():
        return letters.casefold()
    return ""


def junk_reason(name: str) -> str | None:
    """Why a recognized span is not a name at all, or None when it may be one."""
    letters = _LETTER.findall(name)
    if not letters:
        return "no letters"
    if len(letters) == 1:
        return "a single character"
    if name == name.lower():
        return "all lowercase"
    if re.search(r"['’]s?$", name) or re.match(r"^['’]s\b", name):
        return "a possessive leftover"
    return None

"""Surface cleanup of names, so that the same name written differently gives one node.

Input: a document's text and character offsets of a span in it, or a name's key; and
`NameWords`, the words that shape names in the languages read (graph.lang.<code>.names).
Output: offsets into the same text, so a cleaned mention still points at its exact text in
the source (`clean_span` trims, `strip_title` drops titles), and the forms names are
compared in (`normalize`, `key`, `initials`, `surname_forms`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from graph import lang

_SPACE = re.compile(r"\s+")
# Quotes, brackets and punctuation that a model sometimes keeps at a span's edges.
_EDGE_CHARS = "\"'“”‘’«»„‚`()[]{}<>,;:!?*_|/\\-–—•"
_OPENERS = {")": "(", "]": "[", "}": "{"}
_FIRST_WORD = re.compile(r"(\S+)\s+(?=[^\W\d_])")
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
# An apostrophe in a word list stands for both ways of writing it.
_APOSTROPHES = "'’"


@dataclass(frozen=True)
class NameWords:
    """The words that shape names in a set of languages: the union of their lists
    (graph.lang.<code>.names says what each is for), with the patterns made from them.
    Made by `NameWords.of`; `ENGLISH` is English's."""

    languages: tuple[str, ...]
    abbreviations: frozenset[str]
    leading_article: re.Pattern[str]
    # The leading articles casefolded, as they stand in a key.
    articles: frozenset[str]
    particles: frozenset[str]
    glued_particle: re.Pattern[str]
    title: re.Pattern[str]
    regnal_titles: frozenset[str]
    # Regnal titles a language writes in lowercase ("le roi Albert"): such a word before a
    # name is no stray lowercase word for `clean_span` to drop.
    lowercase_regnal: frozenset[str]
    territorial_titles: frozenset[str]
    generations: frozenset[str]
    regnal_ordinals: frozenset[str]
    function_words: frozenset[str]
    # Function words written glued to the next word ("d'", "l'"), longest first.
    elisions: tuple[str, ...]
    object_words: frozenset[str]

    @staticmethod
    def of(languages: Iterable[str]) -> NameWords:
        """The union of the lists of `languages` (codes as spaCy gives them; one without
        resources of its own reads English's)."""
        return _name_words(tuple(sorted(set(languages))))


@lru_cache(maxsize=8)
def _name_words(languages: tuple[str, ...]) -> NameWords:
    # One module per language, once: several codes may fall back to one.
    modules = list({id(m): m for m in (lang.data(code, "names") for code in languages)}.values())

    def union(name: str) -> frozenset[str]:
        return frozenset(word for module in modules for word in getattr(module, name))

    titles = sorted(union("TITLES"), key=lambda t: (-len(t), t))
    articles = sorted(union("LEADING_ARTICLES"))
    function_words = union("FUNCTION_WORDS")
    return NameWords(
        languages=languages,
        abbreviations=union("ABBREVIATIONS"),
        leading_article=re.compile("|".join(_phrase(a) + ("" if _elided(a) else r"\s+") for a in articles)),
        articles=frozenset(a.casefold() for a in articles),
        particles=union("PARTICLES"),
        glued_particle=re.compile(
            r"^(?:" + "|".join(sorted(map(re.escape, union("GLUED_PARTICLES")))) + r")-(?=\w)", re.IGNORECASE
        ),
        title=re.compile(r"(?:" + "|".join(_phrase(t) for t in titles) + r")\.?(?:\s+|(?=\s*$))", re.IGNORECASE),
        regnal_titles=frozenset(t.casefold() for t in union("REGNAL_TITLES")),
        lowercase_regnal=frozenset(t for t in union("REGNAL_TITLES") if t.islower()),
        territorial_titles=frozenset(t.casefold() for t in union("TERRITORIAL_TITLES")),
        generations=union("GENERATIONS"),
        regnal_ordinals=union("REGNAL_ORDINALS"),
        function_words=function_words,
        elisions=tuple(sorted((w for w in function_words if _elided(w)), key=lambda w: (-len(w), w))),
        object_words=union("OBJECT_WORDS"),
    )


def _phrase(words: str) -> str:
    """A listed word or phrase as a pattern: its apostrophes either way, as written."""
    return "".join(f"[{_APOSTROPHES}]" if c in _APOSTROPHES else re.escape(c) for c in words)


def _elided(word: str) -> bool:
    """Whether a listed word is written glued to the next one ("l'", "d'")."""
    return word[-1:] in _APOSTROPHES


ENGLISH = NameWords.of(("en",))


def normalize(text: str) -> str:
    """Collapse runs of whitespace (line breaks included) to one space."""
    return _SPACE.sub(" ", text).strip()


def clean_span(text: str, start: int, end: int, words: NameWords = ENGLISH) -> tuple[int, int] | None:
    """Shrink `text[start:end]` to the bare name; None when nothing name-like is left.

    Drops surrounding whitespace, quotes and punctuation, a leading article ("the", "la",
    "l'") or other lowercase word before a capitalised one ("a World Health Organisation",
    "united Germany"; name particles such as "de" stay), an unclosed parenthesis and what
    follows it ("World Health Organisation (WHO"), and a trailing possessive ('s, ’s, or a
    lone apostrophe after s), repeating until stable.
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
            if last_word not in words.abbreviations and not (len(last_word) == 1 and last_word.isupper()):
                end -= 1
        possessive = _POSSESSIVE.search(text, start, end)
        if possessive and possessive.start() > start:
            end = possessive.start()
        article = words.leading_article.match(text, start, end)
        if article and article.end() < end:
            start = article.end()
        first = _FIRST_WORD.match(text, start, end)
        if first and _stray_lowercase(first.group(1), words) and text[first.end()].isupper():
            start = first.end()
        opening = text.rfind("(", start, end)
        if opening > start and ")" not in text[opening:end]:
            end = opening
        if (start, end) == before:
            break
    if start >= end:
        return None
    return start, end


def _stray_lowercase(word: str, words: NameWords) -> bool:
    return (
        word.islower()
        and word.replace("-", "").replace("'", "").isalpha()
        and word not in words.particles
        and word not in words.lowercase_regnal
    )


_REGNAL_NUMBER = re.compile(r"^[IVX]+$")
_LETTER = re.compile(r"[^\W\d_]")
_WORD_START = re.compile(r"(?<!\S)\S")


def strip_title(text: str, start: int, end: int, words: NameWords = ENGLISH) -> tuple[int, int] | None:
    """Shrink a PERSON span past leading titles ("Major General", "Dr.", "M."), with the
    words that qualify the office ("US President", "NASA Administrator"); None when only
    the office is left, not a person. A ruler's title stays before a lone given name
    ("Prince Harry", "King Charles III"), a title of nobility before a particle ("comte
    de Paris")."""
    while True:
        leading = words.title.match(text, start, end)
        match = leading or _qualified_title(text, start, end, words)
        if match is None:
            return start, end
        rest = clean_span(text, match.end(), end, words)
        if rest is None or _only_titles(text[rest[0] : rest[1]], words):
            # A title word closing a name is a surname ("John Major", "Victoria Justice").
            return None if leading else (start, end)
        if not leading and not text[rest[0]].isupper():
            return start, end  # "Mary Queen of Scots": the title is inside a name
        title = normalize(text[match.start() : match.end()]).rstrip(".").casefold()
        names = [
            w for w in text[rest[0] : rest[1]].split() if not _REGNAL_NUMBER.match(w) and w not in words.regnal_ordinals
        ]
        if title in words.regnal_titles and len(names) < 2:
            return start, end
        if title in words.territorial_titles and names and _begins_with_particle(names[0], words):
            return start, end
        start, end = rest


def _qualified_title(text: str, start: int, end: int, words: NameWords) -> re.Match[str] | None:
    """A title after capitalised words that qualify it: "US President", "Egyptian General
    Intelligence Chief Major General". The first such title is the office's head."""
    for word in _WORD_START.finditer(text, start, end):
        if word.start() == start:
            continue
        match = words.title.match(text, word.start(), end)
        if match is not None:
            return match
        if not text[word.start()].isupper():
            return None
    return None


def _only_titles(text: str, words: NameWords) -> bool:
    position = 0
    while (match := words.title.match(text, position)) is not None and match.end() > position:
        position = match.end()
    return position >= len(text.rstrip())


def _begins_with_particle(word: str, words: NameWords) -> bool:
    """Whether a written word is a name particle or begins with one glued to it
    ("d'Orléans")."""
    folded = word.casefold().replace("’", "'")
    return folded in words.particles or any(
        folded.startswith(p) and len(folded) > len(p) for p in words.particles if _elided(p)
    )


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


def surname_forms(name_key: str, words: NameWords = ENGLISH) -> list[str]:
    """How the surname of a full name may stand alone: "al-sisi" also as "sisi", the
    "king" of "martin luther king jr"."""
    parts = tokens(name_key)
    last = parts[-2] if len(parts) > 2 and has_generation(name_key, words) else parts[-1]
    bare = words.glued_particle.sub("", last)
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


def has_generation(name_key: str, words: NameWords = ENGLISH) -> bool:
    """Whether a name ends in "Jr", "Sr", "II", "fils"...: its head then names a parent too."""
    return tokens(name_key)[-1] in words.generations


def initials(name_key: str, words: NameWords = ENGLISH) -> str:
    """The acronym a multi-word name would have: "european union" -> "eu"; a word with a
    function word glued to it counts by the letter after: "office national d'études" ->
    "one"."""
    kept = [_unelided(w, words) for w in tokens(name_key) if w not in words.function_words]
    return _unaccented("".join(w[0] for w in kept)) if len(kept) > 1 else ""


def _unaccented(letters: str) -> str:
    """Letters without their accents: an acronym is written in capitals, which French
    leaves unaccented ("ONERA" for "Office national d'études...")."""
    return "".join(c for c in unicodedata.normalize("NFD", letters) if not unicodedata.combining(c))


def _unelided(word: str, words: NameWords) -> str:
    """A key's word without the function word glued to its front ("d'études" -> "études")."""
    for elision in words.elisions:
        if word.startswith(elision) and len(word) > len(elision):
            return word[len(elision) :]
    return word


def acronym_letters(name: str) -> str:
    """The letters of a name written as an acronym ("EU", "U.S."), casefolded; else ""."""
    letters = name.replace(".", "")
    if 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper():
        return _unaccented(letters.casefold())
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

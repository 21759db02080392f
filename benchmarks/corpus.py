"""Benchmark corpus: news-like documents whose entity graph grows like a real archive's.

    .venv/bin/python benchmarks/corpus.py [--words 250000] [--start 0] [--seed 0] OUT.jsonl

Each document is a copy of a gold-annotated base text, the GUM news texts of
data/eval/gum_news.jsonl or the wire copy of data/eval/wire.jsonl (data/eval/FORMAT.md),
with its people, organizations and places renamed. A round writes every base text once,
in a seeded shuffled order, so wire copy comes in at its natural share; each round is one
copy number. Every copy gets names of its own, made with Faker from a mix of Latin-script
locales, one per gold cluster, so that a copy stays coherent: "Daniel Montalvo" ...
"Montalvo" becomes "Lena Vogt" ... "Vogt", an ALL-CAPS slug "VOGT", an acronym of an
organization the initials of its new name. About 40% of place clusters take a name from a
fixed list of countries and large cities instead, drawn with a Zipf-like weighting: as in
news, a few places recur across the whole corpus while nearly every person is new, so the
graph keeps growing with the corpus rather than stopping at the base texts' entities.

Output: JSONL rows {"id": "<base id>#<copy>", "text": ...}. The same arguments write the
same bytes (with the same Faker release: its name lists change between releases).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from faker import Faker

EVAL = Path(__file__).resolve().parent.parent / "data" / "eval"
# Per base file: whether its cluster keys are corpus-wide. GUM's are per document; the
# wire set's name one entity across stories (FORMAT.md), so a wire player named in two
# stories of a round keeps one new name in both.
SOURCES = ((EVAL / "gum_news.jsonl", False), (EVAL / "wire.jsonl", True))
LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT")
# Towns from these only: Faker's French ones are often a bare surname ("Gauthier"), read
# as a person's; its Italian list is made from a set, so its order (and every draw from
# it) changes with the process's hash seed.
CITY_LOCALES = ("en_US", "en_GB", "de_DE", "es_ES")

# The places that recur, most named first; drawn with weight 1/rank (Zipf's law).
PLACES = (
    "United States", "China", "United Kingdom", "Russia", "France", "Germany", "London",
    "Washington", "Japan", "India", "Paris", "Beijing", "Brazil", "Canada", "Australia",
    "Italy", "Moscow", "Spain", "New York", "Iran", "Israel", "Ukraine", "Berlin", "Tokyo",
    "Mexico", "Turkey", "Brussels", "South Africa", "Egypt", "Pakistan", "Syria", "Iraq",
    "Afghanistan", "Nigeria", "Indonesia", "Argentina", "Poland", "Sweden", "Netherlands",
    "Switzerland", "Geneva", "Hong Kong", "Singapore", "Sydney", "Toronto", "Los Angeles",
    "Chicago", "Rome", "Madrid", "Istanbul", "Cairo", "Mumbai", "Seoul", "South Korea",
    "North Korea", "Kenya", "Greece", "Ireland", "Norway", "Vienna",
)
PLACE_WEIGHTS = tuple(itertools.accumulate(1 / rank for rank in range(1, len(PLACES) + 1)))
RECURRING_SHARE = 0.4

# Organization names: Faker's companies about half the time, else the other kinds news
# names, so that the text does not read as a business register. (template, weight)
ORG_FORMS = (
    ("{company}", 11), ("{last} Institute", 1), ("{last} Foundation", 1), ("{last} Group", 1),
    ("University of {city}", 1), ("{city} University", 1), ("{city} FC", 1),
    ("{city} Times", 1), ("{city} Herald", 1), ("{city} City Council", 1),
    ("{city} Police Department", 1), ("Bank of {city}", 1),
)
ORG_TEMPLATES = tuple(template for template, _ in ORG_FORMS)
ORG_WEIGHTS = tuple(itertools.accumulate(weight for _, weight in ORG_FORMS))

# Words before a person's name that are a title or a role, not part of the name; GUM's
# PERSON spans take them in ("U.S. President Donald Trump", "Professor Burrows"). They
# stay, and a mention made of them alone ("the President") is left as it is.
TITLES = frozenset(
    "President Vice Prime Minister Secretary Senator Sen. Ambassador Professor Prof. "
    "Emeritus Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Sir Lord Lady Administrator Governor Director "
    "Chairman Attorney General Major Home Shadow Sheriff MP Assistant Team Manager "
    "Undersecretary International Captain King Queen Judge Mayor Chief Coach Pope Saint".split()
)
WORD = re.compile(r"\S+")
INITIAL = re.compile(r"(?:[A-Z]\.)+")
# How many letters an all-caps mention may have to be an abbreviation, not a slug word:
# organizations' acronyms run long (NASA, FIFA), places' are two or three (US, NSW).
ABBREVIATION_LETTERS = {"ORG": 5, "PLACE": 3}
# A fresh draw when a name is already taken in the document; after this many, keep it.
TRIES = 8

Key = tuple[str, str, str]  # (scope: a document id or a corpus-wide file, label, cluster)
Person = tuple[str, str]  # (first name, last name)
Name = Person | str | None  # None: the cluster keeps its text (see _person_names)


@dataclass
class Span:
    """A gold entity span and the spans nested in it, in text order."""

    start: int
    end: int
    label: str
    key: Key
    children: list[Span] = field(default_factory=list)

    @property
    def tail(self) -> int:
        """Where the text after the last nested span begins: a person's name is there."""
        return self.children[-1].end if self.children else self.start


@dataclass(frozen=True)
class Base:
    """A base text: its outermost gold spans and its cluster keys in order of first mention."""

    id: str
    text: str
    spans: tuple[Span, ...]
    keys: tuple[Key, ...]


@dataclass(frozen=True)
class Copy:
    """One generated document and the name each of its renamed clusters got, by (label,
    gold cluster): a person's as (first name, last name)."""

    id: str
    text: str
    names: dict[tuple[str, str], Person | str]


def _forest(entities: list[dict], scope: str) -> tuple[Span, ...]:
    """The gold spans as a forest: GUM nests names in longer ones ("U.S." in "U.S.
    President Donald Trump", "Andy Warhol" in "Andy Warhol Foundation")."""
    roots: list[Span] = []
    open_spans: list[Span] = []
    for entity in sorted(entities, key=lambda e: (e["start"], -e["end"])):
        start, end = entity["start"], entity["end"]
        while open_spans and open_spans[-1].end <= start:
            open_spans.pop()
        if open_spans and end > open_spans[-1].end:
            continue  # crosses the span it starts in: neither contains the other
        span = Span(start, end, entity["label"], (scope, entity["label"], str(entity["cluster"])))
        (open_spans[-1].children if open_spans else roots).append(span)
        open_spans.append(span)
    return tuple(roots)


def _walk(spans: Iterable[Span]) -> Iterator[Span]:
    for span in spans:
        yield span
        yield from _walk(span.children)


def _name_start(text: str, start: int, end: int) -> int:
    """Where the name ending text[start:end] begins: its last run of words with a capital
    that are not titles ("Major general Fuad Basya": "Fuad"); `end` if there is none."""
    begin = end
    for word in reversed(list(WORD.finditer(text, start, end))):
        if word.group() in TITLES or not any(c.isupper() for c in word.group()):
            break
        begin = word.start()
    return begin


def _person_names(bases: list[Base]) -> dict[Key, tuple[str, ...]]:
    """Each person cluster's longest name, as words: the shape its mentions are read
    against. Empty when there is nothing to rename: the cluster's mentions are all titles,
    or it is a group GUM tags as PERSON ("Muslims", "Americans": one-word plurals only)."""
    names: dict[Key, list[tuple[str, ...]]] = defaultdict(list)
    for base in bases:
        for span in _walk(base.spans):
            if span.label == "PERSON":
                name = base.text[_name_start(base.text, span.tail, span.end):span.end]
                if name:
                    names[span.key].append(tuple(name.split()))
    longest: dict[Key, tuple[str, ...]] = {}
    for key, found in names.items():
        if all(len(name) == 1 and name[0].endswith("s") for name in found):
            longest[key] = ()
        else:
            longest[key] = max(found, key=lambda name: (len(name), len(" ".join(name))))
    return longest


def _bases() -> list[Base]:
    bases = []
    for path, corpus_wide in SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            spans = _forest(row["entities"], path.name if corpus_wide else row["id"])
            keys = tuple(dict.fromkeys(span.key for span in _walk(spans)))
            bases.append(Base(row["id"], row["text"], spans, keys))
    return bases


def _caps(mention: str) -> bool:
    """An ALL-CAPS mention (a wire slug, an acronym); a lone capital is an initial."""
    return mention.isupper() and sum(c.isalpha() for c in mention) > 1


def _abbreviation(mention: str, label: str) -> bool:
    letters = sum(c.isalpha() for c in mention)
    return (
        _caps(mention)
        and not any(c.isspace() for c in mention)
        and ("." in mention or letters <= ABBREVIATION_LETTERS[label])
    )


def _initials(name: str, dotted: bool) -> str:
    """The acronym of `name`: the initials of its capitalized words ("Smith, Jones and
    Brown": "SJB"), or its first three letters if it has fewer than two."""
    letters = [word[0] for word in re.split(r"[\s\-]+", name) if word[:1].isupper()]
    if len(letters) < 2:
        letters = [c for c in name if c.isalpha()][:3]
    letters = [c.upper() for c in letters]
    return "".join(f"{c}." for c in letters) if dotted else "".join(letters)


def _person_mention(mention: str, longest: tuple[str, ...], person: Person) -> str:
    """`mention` (a name, no title) of a person whose longest name is `longest`, said of
    `person` in the same shape: a surname or first name alone, initial and surname, or
    the full name; upper-cased if the mention is."""
    first, last = person
    words = mention.split()
    if len(words) == 1:
        word = words[0].casefold()
        # A first name only where it cannot be the surname; an unknown word (a nickname,
        # a misspelling) reads best as the surname.
        matches_first = word == longest[0].casefold() and word != longest[-1].casefold()
        renamed = first if matches_first else last
    elif INITIAL.fullmatch(words[0]):
        renamed = f"{first[0]}. {last}"
    else:
        renamed = f"{first} {last}"
    return renamed.upper() if _caps(mention) else renamed


def _mention(mention: str, label: str, name: str) -> str:
    """An organization's or place's `mention` said of `name`."""
    if _abbreviation(mention, label):
        # An organization's acronym stays an acronym; "US", "U.K." become the full name.
        return _initials(name, dotted="." in mention) if label == "ORG" else name
    return name.upper() if _caps(mention) else name


class Namer:
    """Makes up people, organizations and places, seeded: one Faker per locale, made
    once (making one takes milliseconds), each seeded on its own."""

    def __init__(self, seed: str) -> None:
        self.rng = random.Random(seed)
        self.fakers: list[Faker] = []
        for locale in LOCALES:
            fake = Faker(locale)
            fake.seed_instance(f"{seed}:{locale}")
            self.fakers.append(fake)
        self.city_fakers = [fake for locale, fake in zip(LOCALES, self.fakers) if locale in CITY_LOCALES]

    def _faker(self) -> Faker:
        return self.rng.choice(self.fakers)

    def _city(self) -> str:
        return self.rng.choice(self.city_fakers).city()

    def person(self, used: set[str]) -> Person:
        # First and last name from one locale, so that "Giulia Schmidt" stays rare.
        for _ in range(TRIES):
            fake = self._faker()
            first, last = fake.first_name(), fake.last_name()
            # A shared surname would make "Vogt" ambiguous within the document.
            if f"{first} {last}" not in used and last not in used:
                break
        return first, last

    def org(self, used: set[str]) -> str:
        for _ in range(TRIES):
            template = self.rng.choices(ORG_TEMPLATES, cum_weights=ORG_WEIGHTS)[0]
            fake = self._faker()
            fields: dict[str, str] = {}
            if "{company}" in template:
                fields["company"] = fake.company()
            if "{last}" in template:
                fields["last"] = fake.last_name()
            if "{city}" in template:
                fields["city"] = self._city()
            name = template.format(**fields)
            if name not in used:
                break
        return name

    def place(self, used: set[str]) -> str:
        recurring = self.rng.random() < RECURRING_SHARE
        for _ in range(TRIES):
            if recurring:
                name = self.rng.choices(PLACES, cum_weights=PLACE_WEIGHTS)[0]
            else:
                name = self._city()
            if name not in used:
                break
        return name


def _rewrite(base: Base, names: dict[Key, Name], longest: dict[Key, tuple[str, ...]]) -> str:
    """`base`'s text with every gold span said of its cluster's new name; the text
    between spans (a possessive 's too) stays as it is."""
    text = base.text

    def render(span: Span) -> str:
        pieces: list[str] = []
        cursor = span.start
        for child in span.children:
            pieces += [text[cursor:child.start], render(child)]
            cursor = child.end
        name = names[span.key]
        if isinstance(name, tuple):
            # Title words before the name stay; only the name is replaced.
            name_at = _name_start(text, cursor, span.end)
            mention = text[name_at:span.end]
            pieces.append(text[cursor:name_at])
            if mention:
                pieces.append(_person_mention(mention, longest[span.key], name))
        elif span.children or name is None:
            # A name built on a nested one ("Toronto Star", "U.S. Air Force") keeps its own
            # words around the renamed inner name; a group of people keeps its text.
            pieces.append(text[cursor:span.end])
        else:
            pieces.append(_mention(text[span.start:span.end], span.label, name))
        return "".join(pieces)

    pieces: list[str] = []
    cursor = 0
    for span in base.spans:
        pieces += [text[cursor:span.start], render(span)]
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _full(name: Person | str) -> str:
    return name if isinstance(name, str) else f"{name[0]} {name[1]}"


def copies(*, start: int = 0, seed: int = 0) -> Iterator[Copy]:
    """The corpus, without end: round after round of every base text renamed, copy
    numbers counting from `start`. Another `start` or `seed` makes other names."""
    bases = _bases()
    longest = _person_names(bases)
    namer = Namer(f"{seed}:{start}")
    for copy in itertools.count(start):
        # One round's names: a document's own clusters, and the wire set's corpus-wide ones.
        names: dict[Key, Name] = {}
        for base in namer.rng.sample(bases, len(bases)):
            used: set[str] = set()
            for key in base.keys:
                if key not in names:
                    label = key[1]
                    if label == "PERSON":
                        names[key] = namer.person(used) if longest.get(key) else None
                    elif label == "ORG":
                        names[key] = namer.org(used)
                    else:
                        names[key] = namer.place(used)
                name = names[key]
                if isinstance(name, tuple):
                    used.update((_full(name), name[1]))
                elif name is not None:
                    used.add(name)
            yield Copy(
                id=f"{base.id}#{copy}",
                text=_rewrite(base, names, longest),
                names={key[1:]: name for key in base.keys if (name := names[key]) is not None},
            )


def write_corpus(path: Path, words: int, *, start: int = 0, seed: int = 0) -> tuple[int, int]:
    """Write generated documents to `path` (JSONL) until `words` words (whitespace-split);
    (documents, words) written."""
    documents = written = 0
    with path.open("w", encoding="utf-8") as handle:
        for document in copies(start=start, seed=seed):
            if written >= words:
                break
            row = {"id": document.id, "text": document.text}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            documents += 1
            written += len(document.text.split())
    return documents, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the JSONL file to write")
    parser.add_argument("--words", type=int, default=250_000, help="corpus size in words")
    parser.add_argument("--start", type=int, default=0, help="first copy number")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    documents, words = write_corpus(args.out, args.words, start=args.start, seed=args.seed)
    print(f"{args.out}: {documents:,} documents, {words:,} words")


if __name__ == "__main__":
    main()

"""Lines: read wire copy as a reader does, one line at a time.

News feeds are not only prose. They carry slugs and headlines in capitals, results tables,
scorecards, squad lists and standings, which spaCy's small English model reads badly: it
tags a capitalised headline word as an organization, glues a score or the next line to a
name, takes a column header for a name. These functions fix what the model sees and what
it returns, from the layout of the document's own lines; no word lists.

Input: one document's text and the character spans the model proposed in it (and, to
trim them, the `NameWords` of the pipeline's language).
Output: `truecase` gives the text the model should read (same length, so offsets hold);
`cut_span` gives the name spans left in a proposed span (none, one or several);
`furniture` says why a span is part of a table or list rather than a name; `line_shape`
says which lines are no prose (table and list rows, column headers, headings), so that
each is a statement of its own.
All are pure functions of one document, so an extraction depends on its document only.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from graph.names import ENGLISH, NameWords, clean_span

_WORD = re.compile(r"[^\W\d_]+")
# A figure: a count, a price, a score or a bowling analysis ("72", "3,912.6", "+11",
# "2-1", "9-1-55-1"), maybe in brackets or followed by a list's comma.
_FIGURE = re.compile(r"[(]?[+\-–]?\d[\d.,]*(?:[-–:/]\d[\d.,]*)*%?[),;]?")
# A score or analysis: figures joined by a dash, colon or slash. Never part of a name.
_SCORE = re.compile(r"\d[-–:/]\d")
# A span's words, a seeding or position glued to a name by a dash ("4-Marek") counted
# as a figure of its own.
_TOKEN = re.compile(r"\d+[-–](?=[^\W\d_])|\S+")
_GLUED_FIGURE = re.compile(r"\d+[-–]")
# On a row or heading, a lone lowercase letter separates names: "Arsenal v Coventry",
# "c Ward b Aldridge".
_SEPARATOR_LETTER = re.compile(r"(?<!\S)[^\W\d_A-Z]\.?(?!\S)")
# The separator after a heading at the start of a line: "Goalkeepers - ", "CRICKET - ".
_SEPARATOR = re.compile(r"[ \t]+(?:--?|[–—])[ \t]+")
# A heading before a separator is a word or three ("ICE HOCKEY", "LONDON STOCKS").
HEADING_WORDS = 3
# A line holds a table row when at least this share of its cells are figures.
TABLE_FIGURE_SHARE = 1 / 3
_SENTENCE_END = ".!?:"
_NEXT_LINE = re.compile(r"\s*([^\n]*)")
# A word of prose: lowercase and four letters or more. Rows and headings hold names,
# figures and short joining words ("v", "of", "lbw", "not out"); a list row may hold one
# prose word ("Nils Forsberg (Sweden) beat Marek Krajewski (Poland) 6-4 7-6"), a line of
# prose holds several.
PROSE_WORD_LETTERS = 4
LIST_ROW_PROSE_WORDS = 1
# A heading or a list item without figures is a few words ("CENTRAL DIVISION", "Aston
# Villa v Leeds"); a line in capitals is a heading whatever its length.
HEADING_CELLS = 8


def truecase(text: str) -> str:
    """The text with each line in capitals recased, same length and line breaks.

    A line in capitals (no lowercase letter, two words or more: a slug, a headline, a
    table in capitals) is read badly by a model trained on mixed case, and title case is
    no cure ("Soccer - Japan Get Lucky Win" is one organization). Each of its words takes
    the spelling it most often has on the document's other lines (its body usually spells
    the headline's names), else lower case; on a table row, whose first cell is a name
    ("LOS ANGELES 9 14 3 69"), a word seen nowhere else keeps its capitals. A character
    whose case mapping would change the length ("İ") keeps its case, so every offset
    into `text` stays exact.
    """
    lines = text.split("\n")
    capitals = [_in_capitals(line) for line in lines]
    if not any(capitals):
        return text
    spellings = _spellings(line for line, caps in zip(lines, capitals) if not caps)

    def recase(word: str, on_table_row: bool) -> str:
        spelled = spellings.get(word.lower())
        if spelled is not None and len(spelled) == len(word):
            return spelled
        if on_table_row:
            return word
        return "".join(c.lower() if len(c.lower()) == 1 else c for c in word)

    recased = []
    for line, caps in zip(lines, capitals):
        if caps:
            row = is_table_row(line)
            line = _WORD.sub(lambda match: recase(match.group(), row), line)
        recased.append(line)
    return "\n".join(recased)


def _in_capitals(line: str) -> bool:
    words = [w for w in _WORD.findall(line) if len(w) > 1]
    return len(words) >= 2 and not any(c.islower() for c in line)


def _spellings(lines: Iterable[str]) -> dict[str, str]:
    """Each word's most frequent spelling; a capital that only a sentence start explains
    ("On Friday") counts only when the word is never seen inside a sentence."""
    inner: dict[str, Counter[str]] = defaultdict(Counter)
    initial: dict[str, Counter[str]] = defaultdict(Counter)
    for line in lines:
        for match in _WORD.finditer(line):
            before = line[: match.start()].rstrip(" \t\"'“‘(")
            votes = initial if not before or before[-1] in _SENTENCE_END else inner
            votes[match.group().lower()][match.group()] += 1
    spellings = {}
    for word in inner.keys() | initial.keys():
        votes = inner.get(word) or initial[word]
        spellings[word] = max(votes, key=lambda s: (votes[s], s))
    return spellings


def usual_spelling(surface: str, recased: str) -> str:
    """How to write a name found on a line in capitals: as the document writes it
    elsewhere ("QATAR" -> "Qatar"), unless recasing left it looking like no name
    ("GREEN BAY" -> "Green bay"); then as it stands."""
    words = _WORD.findall(recased)
    if recased != surface and words and not words[0].islower() and not words[-1].islower():
        return recased
    return surface


def cut_span(text: str, start: int, end: int, words: NameWords = ENGLISH) -> list[tuple[int, int]]:
    """The names in a span the model proposed in `text`, as a reader would cut them.

    A name never runs across a line break ("Afridi 2" + "J. Vaughan" are two), never
    keeps a heading before a dash separator at the start of its line ("Goalkeepers - "),
    nor figures before, inside or after it ("Andrew Park 72", "4-Marek Krajewski",
    "Moody 9-1-55-1", "Rams 28-17"): a figure between two names splits them ("Arsenal 2
    Derby" is two). A figure stays only where the document writes the name with it in
    running prose ("Channel 4 has won", "the FTSE 100 index", "1860 Munich slipped"),
    where a number is part of a name; a table or results line is no prose, however
    often it recurs. What is left and is table or list furniture (see `furniture`) is
    dropped. Each span comes out trimmed by `names.clean_span`, with `words`.
    """
    spans = []
    for piece_start, piece_end in _line_pieces(text, start, end):
        piece_start = _after_heading(text, piece_start, piece_end)
        for part in _between_separators(text, piece_start, piece_end):
            for name in _without_figures(text, *part):
                span = clean_span(text, *name, words)
                if span is not None and furniture(text, *span) is None:
                    spans.append(span)
    return spans


def _between_separators(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """`text[start:end]` cut at the lone lowercase letters that separate names on a
    line that is no prose ("Aston Villa v Leeds"); in prose such a letter may be part
    of a name ("Ortega y Gasset")."""
    separators = list(_SEPARATOR_LETTER.finditer(text, start, end))
    if not separators or line_shape(text[slice(*_line_bounds(text, start))]) is None:
        return [(start, end)]
    parts, first = [], start
    for match in separators:
        parts.append((first, match.start()))
        first = match.end()
    parts.append((first, end))
    return [(a, b) for a, b in parts if text[a:b].strip()]


def _line_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        piece_start, piece_end = start + match.start(), start + match.end()
        while piece_start < piece_end and text[piece_start].isspace():
            piece_start += 1
        while piece_end > piece_start and text[piece_end - 1].isspace():
            piece_end -= 1
        if _WORD.search(text, piece_start, piece_end):
            pieces.append((piece_start, piece_end))
    return pieces


def _line_bounds(text: str, position: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    return line_start, len(text) if line_end < 0 else line_end


def _after_heading(text: str, start: int, end: int) -> int:
    """Where the name starts once a line's heading and its separator are cut off."""
    line_start, line_end = _line_bounds(text, start)
    separator = _SEPARATOR.search(text, line_start, line_end)
    if separator is None or not start < separator.end() < end:
        return start
    heading = text[line_start : separator.start()]
    if not heading.strip() or len(heading.split()) > HEADING_WORDS:
        return start
    return separator.end()


def _without_figures(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The names left in `text[start:end]` (one line) once its figures are cut out."""
    tokens = [m.span() for m in _TOKEN.finditer(text, start, end)]
    figures = [_is_figure(text[a:b]) or _GLUED_FIGURE.fullmatch(text, a, b) is not None for a, b in tokens]
    words = [i for i, figure in enumerate(figures) if not figure]
    # Runs of figures between two words, as [first, last + 1] token positions.
    runs: list[list[int]] = []
    for i in range(words[0] + 1, words[-1]) if words else ():
        if figures[i] and figures[i - 1]:
            runs[-1][1] = i + 1
        elif figures[i]:
            runs.append([i, i + 1])
    groups = [(0, len(tokens))]
    if runs and not _written_with_number(text, tokens[0][0], tokens[-1][1]):
        # A run goes with the words on either side, each side keeping it only where
        # prose writes that side with it ("1860 Munich" in "Hamburg 1 1860 Munich").
        starts = [0] + [run_start for run_start, _ in runs]
        ends = [run_end for _, run_end in runs] + [len(tokens)]
        groups = list(zip(starts, ends))
    names = []
    for first, last in groups:
        name = _trimmed(text, tokens[first:last], figures[first:last])
        if name is not None:
            names.append(name)
    return names


def _trimmed(text: str, tokens: list[tuple[int, int]], figures: list[bool]) -> tuple[int, int] | None:
    """The words of `tokens` without the figures before and after them, but for those
    the document writes with the words in running prose, nearest first; a score is
    never kept."""
    words = [i for i, figure in enumerate(figures) if not figure]
    if not words or not _WORD.search(text, tokens[words[0]][0], tokens[words[-1]][1]):
        return None
    first, last = words[0], words[-1]

    def kept(start: int, end: int, figure: int) -> bool:
        return not _SCORE.search(text[slice(*tokens[figure])]) and _written_with_number(
            text, tokens[start][0], tokens[end][1]
        )

    while first > 0 and kept(first - 1, last, first - 1):
        first -= 1
    while last < len(tokens) - 1 and kept(first, last + 1, last + 1):
        last += 1
    return tokens[first][0], tokens[last][1]


def _is_figure(token: str) -> bool:
    return _FIGURE.fullmatch(token) is not None


def _written_with_number(text: str, start: int, end: int) -> bool:
    """Whether the document writes this name-and-number in running prose: on a line of
    prose (see `line_shape`), with a word or punctuation on either side rather than
    another figure."""
    name = text[start:end].rstrip(",;)")
    position = text.find(name)
    while position >= 0:
        after = position + len(name)
        line_start, line_end = _line_bounds(text, position)
        before = text[line_start:position].split()
        rest = text[after:line_end].split()
        if (
            (position == 0 or not text[position - 1].isalnum())
            and (after == len(text) or not text[after].isalnum())
            and rest
            and not _is_figure(rest[0])
            and not (before and _is_figure(before[-1]))
            and line_shape(text[line_start:line_end]) is None
        ):
            return True
        position = text.find(name, position + 1)
    return False


def is_table_row(line: str) -> bool:
    """A line of cells, at least a third of them figures: "Portugal 3 2 1 0 5 2 7",
    "Andrew Park 71 67 138", "Scorers: Reis 12, 58; Kearney 77"."""
    cells = line.split()
    figures = sum(_is_figure(cell) for cell in cells)
    return len(cells) >= 2 and figures >= 1 and figures >= TABLE_FIGURE_SHARE * len(cells)


def line_shape(line: str) -> str | None:
    """What a line is when it is not prose, read from its cells alone; None for prose
    and for a blank line.

    - "a column header": "W L T GF GA PTS" (see `is_column_header`);
    - "a table row": at least a third of its cells are figures ("DALLAS 16 8 2 80 62 34",
      "Arsenal 2 Derby 2"; see `is_table_row`);
    - "a list row": it ends in a figure and holds at most one word of prose ("J. Adams
      not out 26", "Lille v Bordeaux (1900)", "Forsberg (Sweden) beat Krajewski (Poland)
      6-4 7-6"); a wrapped line of prose that ends in a figure ("bowled out for 164") has
      more;
    - "a heading": a line in capitals ("CENTRAL DIVISION"), or a few capitalised words
      with no word of prose that open and close on a capital ("Group C", "Aston Villa v
      Leeds", "EDGBASTON"): a heading, a fixture or an item of a list of names.
    """
    cells = line.split()
    if not cells:
        return None
    if is_column_header(line):
        return "a column header"
    if is_table_row(line):
        return "a table row"
    words = _WORD.findall(line)
    prose = sum(w.islower() and len(w) >= PROSE_WORD_LETTERS for w in words)
    if len(cells) >= 2 and _is_figure(cells[-1]) and prose <= LIST_ROW_PROSE_WORDS:
        return "a list row"
    if _in_capitals(line):
        return "a heading"
    if (
        words
        and prose == 0
        and len(cells) <= HEADING_CELLS
        and words[0][0].isupper()
        and words[-1][0].isupper()
        and line.rstrip()[-1] not in _SENTENCE_END + ","
    ):
        return "a heading"
    return None


def is_column_header(line: str) -> bool:
    """A table's header: three cells or more, no figures, nearly all of them
    capitalised abbreviations ("W L T GF GA PTS", "Team P W D L F A Pts")."""
    cells = line.split()
    if len(cells) < 3 or any(c.isdigit() for c in line):
        return False
    short = sum(len(c) <= 3 and c.isalpha() and c[0].isupper() for c in cells)
    return short >= 0.75 * len(cells)


def furniture(text: str, start: int, end: int) -> str | None:
    """Why `text[start:end]` is a table's or a list's furniture rather than a name, from
    the line it stands on; None when it may be a name.

    - a column header: the line is a row of abbreviations ("W L T GF GA PTS");
    - a row's label: the span opens a line whose rest is only figures and codes behind a
      colon or codes ("Attendance: 4,200", "Extras (b-4 lb-6 nb-2) 12"); a name in a
      table ("PITTSBURGH 14 8 2 95") has no colon or codes after it;
    - a table's heading: a short line ending in a capital letter that orders it
      ("Group C", "Pool B"), just above a table row.
    """
    line_start, line_end = _line_bounds(text, start)
    line = text[line_start:line_end]
    if is_column_header(line):
        return "a column header"
    cells = line.split()
    if 2 <= len(cells) <= 3 and re.fullmatch(r"[A-Z]", cells[-1]) and is_table_row(
        _next_line(text, line_end)
    ):
        return "a table heading"
    rest = text[end:line_end].split()
    if text[line_start:start].strip() or not rest:
        return None
    codes = [c for c in rest if _WORD.search(c) and any(ch.isdigit() for ch in c)]
    labelled = rest[0] in (":", "-") or text[end] == ":"
    if (labelled or codes) and all(_is_figure(c) or c in (":", "-") or c in codes for c in rest):
        return "a row label"
    return None


def _next_line(text: str, line_end: int) -> str:
    """The next line with anything on it, from its first character."""
    return _NEXT_LINE.match(text, line_end).group(1)

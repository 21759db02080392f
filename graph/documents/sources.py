"""Which files the inputs name: files, directories (walked to any depth) and glob patterns.

Input: the paths and patterns a user gave. Output: each file once, with its document id
(its path relative to the directory or pattern root given), in a stable order. Each
directory is walked once (by device and inode), so symbolic links to directories are
followed and loops end; a file named twice (or reached through a link) is read once.
FIFOs, sockets and devices are never opened: reading one can block forever. What cannot
be used is reported to the `ReadReport`, once per path.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.documents.report import ReadReport

TEXT_SUFFIXES = (".txt", ".md")
ROW_SUFFIXES = (".jsonl", ".csv")
_GLOB_CHARS = set("*?[")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Source:
    path: Path
    doc_id: str


class Sources:
    """The files `inputs` name, each once, with its document id, reporting what is not
    usable (once per path, however often it is named)."""

    def __init__(self, report: ReadReport, skip_dirs: Sequence[Path]) -> None:
        self.report = report
        self.skip = {_identity(d) for d in skip_dirs if Path(d).is_dir()}
        self.files: set[tuple[int, int]] = set()
        self.ids: set[str] = set()
        self.passed_over: set[str] = set()

    def __call__(self, inputs: Sequence[str | Path]) -> Iterator[Source]:
        for item in inputs:
            text = str(item)
            path = Path(text)
            if _GLOB_CHARS & set(text) and not path.exists():
                yield from self.pattern(text)
            elif path.is_dir():
                yield from self.directory(path, path, _everything)
            elif path.is_file():
                if self.usable(path, True):
                    yield from self.once(path, path.name)
            elif not os.path.lexists(path):
                self.report.problem(path, "no such file or directory")
            elif path.is_symlink() and not path.exists():
                self.report.problem(path, "broken or looping symbolic link")
            else:
                self.report.problem(path, "not a regular file or directory")

    def pattern(self, pattern: str) -> Iterator[Source]:
        root = Path(_glob_root(pattern))
        if "**" in pattern:
            # glob's own "**" follows symlinked directories without end.
            matcher = _RecursiveMatcher(pattern, root)
            if root.is_dir():
                yield from self.directory(root, root, matcher)
            if not matcher.matched:
                self.report.problem(pattern, "no file matches this pattern")
            return
        matches = sorted(glob.glob(pattern))
        if not matches:
            self.report.problem(pattern, "no file matches this pattern")
        for match in matches:
            path = Path(match)
            if path.is_dir():
                yield from self.directory(path, root, _everything)
            elif self.usable(path, path.is_file()):
                yield from self.once(path, _relative_id(path, root))

    def directory(
        self, directory: Path, root: Path, wanted: Callable[[Path], bool]
    ) -> Iterator[Source]:
        found = False
        for path, regular in _walk(directory, self.report, self.skip):
            found = True
            if wanted(path) and self.usable(path, regular):
                yield from self.once(path, _relative_id(path, root))
        if not found and wanted is _everything and self.first_time(directory):
            self.report.empty += 1

    def usable(self, path: Path, regular: bool) -> bool:
        suffix = path.suffix.lower()
        if suffix not in TEXT_SUFFIXES and suffix not in ROW_SUFFIXES:
            if self.first_time(path):
                self.report.skipped_suffixes[suffix or "(none)"] += 1
            return False
        if not regular:
            if self.first_time(path):
                link = path.is_symlink()
                what = "broken or looping symbolic link" if link else "not a regular file"
                self.report.problem(path, f"{what}; skipped")
            return False
        return True

    def first_time(self, path: Path) -> bool:
        key = os.path.abspath(path)
        if key in self.passed_over:
            return False
        self.passed_over.add(key)
        return True

    def once(self, path: Path, doc_id: str) -> Iterator[Source]:
        try:
            identity = _identity(path)
        except OSError as err:  # gone since it was listed
            self.report.problem(path, f"cannot read: {err.strerror or err}")
            return
        if identity in self.files:
            return
        self.files.add(identity)
        # Two inputs a/report.txt and b/report.txt: the second keeps its whole path.
        if doc_id in self.ids:
            doc_id = path.as_posix()
        self.ids.add(doc_id)
        yield Source(path, clean(doc_id))


def _everything(path: Path) -> bool:
    return True


def _identity(path: Path) -> tuple[int, int]:
    """What makes two paths one file or directory: links, "..", hard links.

    (os.path.realpath would do for links, but it is pure Python over every path
    component: quadratic in the depth of a tree.)
    """
    status = os.stat(path)
    return status.st_dev, status.st_ino


def _walk(
    directory: Path, report: ReadReport, skip: set[tuple[int, int]]
) -> Iterator[tuple[Path, bool]]:
    """Every non-directory entry under `directory` with whether it is a regular file:
    a directory's own entries first, then its subdirectories, each sorted by name.

    Directories in `skip` are left out, with a problem line. An explicit stack instead
    of recursion: os.walk recurses (a very deep tree would exhaust Python's stack) and,
    following links, would not stop at loops.
    """
    seen: set[tuple[int, int]] = set()
    stack = [directory]
    while stack:
        current = stack.pop()
        try:
            identity = _identity(current)
            if identity in seen:
                continue
            seen.add(identity)
            if identity in skip:
                report.problem(current, "the output directory; not read as input")
                continue
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as err:
            report.problem(current, f"cannot read directory: {err.strerror or err}")
            continue
        subdirectories = []
        for entry in entries:
            path = Path(entry.path)
            if _is(entry.is_dir):
                subdirectories.append(path)
            else:
                yield path, _is(entry.is_file)
        stack.extend(reversed(subdirectories))


def _is(test: Callable[[], bool]) -> bool:
    try:
        return test()
    except OSError:  # a link into a directory we may not stat
        return False


def _glob_root(pattern: str) -> str:
    parts = Path(pattern).parts
    fixed = parts[: next((i for i, p in enumerate(parts) if _GLOB_CHARS & set(p)), len(parts))]
    return str(Path(*fixed)) if fixed else "."


class _RecursiveMatcher:
    """Whether a file under `root` is named by a pattern holding `**` (the file itself or
    a directory above it matches), with glob's rules: `**` spans directories, and names
    starting with "." are matched only by a pattern part saying so."""

    def __init__(self, pattern: str, root: Path) -> None:
        self.parts = Path(pattern).parts[len(root.parts) :]
        self.root = root
        self.matched = 0

    def __call__(self, path: Path) -> bool:
        names = path.relative_to(self.root).parts
        # Indices into `names` up to which the pattern parts so far can match: one pass
        # per part, linear in the depth (a tree can be thousands of levels deep).
        reached = {0}
        for part in self.parts:
            if part == "**":
                first = min(reached)
                hidden = (i for i in range(first, len(names)) if names[i].startswith("."))
                reached = set(range(first, next(hidden, len(names)) + 1))
            else:
                reached = {
                    i + 1 for i in reached if i < len(names) and _name_matches(names[i], part)
                }
            if not reached:
                return False
        # The whole pattern matched the file or a directory above it.
        if max(reached) > 0:
            self.matched += 1
            return True
        return False


def _name_matches(name: str, part: str) -> bool:
    if name.startswith(".") and not part.startswith("."):
        return False
    return fnmatch.fnmatchcase(name, part)


def _relative_id(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def clean(text: str) -> str:
    """`text` without lone surrogates (file names in a foreign encoding, JSON "\\ud800"),
    which no output file can encode."""
    return _LONE_SURROGATE.sub("\ufffd", text)

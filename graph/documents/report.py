"""The report of a read: counts for the summary, one line per problem, told as they happen."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class ReadReport:
    """What reading the inputs ran into: counts for the summary, one line per problem.

    `empty` counts inputs without text: empty or blank files and rows, and directories
    holding no file at all.
    """

    files: int = 0
    documents: int = 0
    empty: int = 0
    binary: int = 0
    skipped_suffixes: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    # Told of each problem as it happens, so a long run reports it at once.
    on_problem: Callable[[str], None] | None = None

    def problem(self, where: object, message: str) -> None:
        self.told(f"{where}: {message}")

    def told(self, line: str) -> None:
        """A problem line as it was reported before (a build with nothing new tells its
        inputs' problems again)."""
        self.problems.append(line)
        if self.on_problem is not None:
            self.on_problem(line)

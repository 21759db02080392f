"""A build's summary: what it did, for people (`str`) and machines (`to_dict`, `--json`).

Input: the store as a build left it, the files it wrote, the read's report and the
stopwatch of its stages. Output: a `Summary` (counts of documents, statements, mentions,
nodes and edges, what came from the cache, near-duplicate groups, skipped inputs,
problems, seconds per stage).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from graph.documents import ReadReport
from graph.store import Store
from graph.timing import Stopwatch


@dataclass(frozen=True)
class Summary:
    """What a build did, for people (`str`) and machines (`to_dict`)."""

    documents: int
    statements: int
    mentions: int
    nodes: int
    edges: int
    files: tuple[str, ...]
    cached: int = 0
    # Documents in a group of near-duplicates, and how many such groups (sources).
    near_duplicates: int = 0
    duplicate_groups: int = 0
    empty: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    # Seconds per stage (read, extract, store, dedupe, resolve, edges, ..., export <format>).
    timings: dict[str, float] = field(default_factory=dict)
    # Nothing changed since the last build into the same directory: nothing was read.
    unchanged: bool = False
    store: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["files"] = list(self.files)
        data["problems"] = list(self.problems)
        return data

    def __str__(self) -> str:
        line = (
            f"{_count(self.documents, 'document')}, {_count(self.statements, 'statement')}, "
            f"{_count(self.mentions, 'mention')} -> {_count(self.nodes, 'node')}, "
            f"{_count(self.edges, 'edge')}; wrote {', '.join(self.files) or 'nothing'}"
        )
        notes = []
        if self.unchanged:
            notes.append("nothing changed since the last build")
        elif self.cached:
            notes.append(f"{self.cached} from the store or cache")
        if self.near_duplicates:
            notes.append(
                f"{self.near_duplicates} near-duplicates grouped as "
                f"{_count(self.duplicate_groups, 'source')}"
            )
        if self.empty:
            notes.append(f"{self.empty} empty")
        if self.skipped:
            kinds = ", ".join(f"{n} {suffix}" for suffix, n in self.skipped.items())
            notes.append(f"skipped {kinds}")
        if self.problems:
            notes.append(_count(len(self.problems), "problem"))
        return f"{line} ({'; '.join(notes)})" if notes else line


def summarize(
    store: Store, files: tuple[str, ...], report: ReadReport, stopwatch: Stopwatch, *, cached: int, unchanged: bool = False
) -> Summary:
    groups = [n for (n,) in store.rows(
        "SELECT count(*) FROM documents GROUP BY duplicate_of HAVING count(*) > 1"
    )]  # fmt: skip
    return Summary(
        documents=store.value("SELECT count(*) FROM documents", default=0),
        statements=store.value("SELECT sum(sentences) FROM documents", default=0),
        mentions=store.value("SELECT count(*) FROM mentions WHERE entity IS NOT NULL", default=0),
        nodes=store.value("SELECT count(*) FROM entities", default=0),
        edges=store.value("SELECT count(*) FROM links WHERE kept", default=0),
        files=files,
        cached=cached,
        near_duplicates=sum(groups),
        duplicate_groups=len(groups),
        empty=report.empty,
        skipped=dict(sorted(report.skipped_suffixes.items())),
        problems=tuple(report.problems),
        timings={name: round(seconds, 3) for name, seconds in stopwatch.seconds.items()},
        unchanged=unchanged,
        store=str(store.path) if store.path is not None else "",
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"

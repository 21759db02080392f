"""The whole job in two calls: `analyze` (inputs -> graph) and `build` (-> files).

Input: paths, directories or glob patterns, and `BuildOptions`. Output: an `Analysis`
(extractions, resolution, graph, read report) or, from `build`, the files in the output
directory and a `Summary` of what was done. The CLI is a thin layer over these.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from spacy.language import Language

from graph.documents import ReadReport, read_documents
from graph.edges import build_graph
from graph.errors import NothingUsableError
from graph.export import DEFAULT_FORMATS, write_outputs
from graph.model import ENTITY_TYPES, Extraction, Resolution
from graph.recognize import load_model, recognize
from graph.resolve import resolve

Progress = Callable[[int], None]
"""Called with the number of documents processed so far."""


@dataclass(frozen=True)
class BuildOptions:
    """Every choice a build takes; the CLI's options map onto these one to one."""

    model: str | None = None
    types: tuple[str, ...] = tuple(ENTITY_TYPES)
    evidence: int = 3
    text_field: str = "text"
    id_field: str = "id"
    aliases: Path | None = None
    exclude: Path | None = None
    formats: tuple[str, ...] = DEFAULT_FORMATS
    max_nodes: int = 500


@dataclass
class Analysis:
    """Everything `analyze` found, stage by stage."""

    extractions: list[Extraction]
    resolution: Resolution
    graph: nx.Graph
    report: ReadReport

    @property
    def sentences(self) -> int:
        return sum(e.sentences for e in self.extractions)


@dataclass(frozen=True)
class Summary:
    """What a build did, for people (`str`) and machines (`to_dict`)."""

    documents: int
    statements: int
    mentions: int
    nodes: int
    edges: int
    files: tuple[str, ...]
    empty: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

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
        if self.empty:
            notes.append(f"{self.empty} empty")
        if self.skipped:
            kinds = ", ".join(f"{n} {suffix}" for suffix, n in self.skipped.items())
            notes.append(f"skipped {kinds}")
        if self.problems:
            notes.append(_count(len(self.problems), "problem"))
        return f"{line} ({'; '.join(notes)})" if notes else line


def analyze(
    inputs: Sequence[str | Path],
    options: BuildOptions = BuildOptions(),
    *,
    nlp: Language | None = None,
    progress: Progress | None = None,
    on_problem: Callable[[str], None] | None = None,
    skip_dirs: Sequence[Path] = (),
) -> Analysis:
    """Read, recognize, resolve and link: the graph of `inputs`, in memory.

    Problems with single files or rows are skipped and reported to `on_problem` as
    they happen (and kept in `Analysis.report`); nothing usable at all raises
    `NothingUsableError`. Directories in `skip_dirs` are not read.
    """
    report = ReadReport(on_problem=on_problem)
    documents = read_documents(
        inputs,
        report,
        text_field=options.text_field,
        id_field=options.id_field,
        skip_dirs=skip_dirs,
    )
    nlp = nlp if nlp is not None else load_model(options.model)
    extractions = []
    for count, extraction in enumerate(
        recognize(nlp, documents, types=options.types), start=1
    ):
        extractions.append(extraction)
        if progress is not None:
            progress(count)
    if not extractions:
        raise NothingUsableError(_nothing_usable(inputs, report))
    resolution = resolve(
        extractions, aliases_path=options.aliases, exclude_path=options.exclude
    )
    graph = build_graph(extractions, resolution, evidence=options.evidence)
    return Analysis(extractions, resolution, graph, report)


def build(
    inputs: Sequence[str | Path],
    out_dir: Path,
    options: BuildOptions = BuildOptions(),
    *,
    nlp: Language | None = None,
    progress: Progress | None = None,
    on_problem: Callable[[str], None] | None = None,
) -> Summary:
    """Analyze `inputs` and write the chosen formats into `out_dir`."""
    # `entigraph build .` writes into ./out: the next run must not read its mentions.csv.
    analysis = analyze(
        inputs, options, nlp=nlp, progress=progress, on_problem=on_problem, skip_dirs=[out_dir]
    )
    written = write_outputs(
        analysis.graph,
        analysis.extractions,
        analysis.resolution,
        Path(out_dir),
        formats=options.formats,
        max_nodes=options.max_nodes,
    )
    report = analysis.report
    return Summary(
        documents=len(analysis.extractions),
        statements=analysis.sentences,
        mentions=len(analysis.resolution.links),
        nodes=analysis.graph.number_of_nodes(),
        edges=analysis.graph.number_of_edges(),
        files=tuple(str(p) for p in written),
        empty=report.empty,
        skipped=dict(sorted(report.skipped_suffixes.items())),
        problems=tuple(report.problems),
    )


def _nothing_usable(inputs: Sequence[str | Path], report: ReadReport) -> str:
    named = ", ".join(str(i) for i in inputs) or "(no input)"
    details = []
    if report.empty:
        details.append(f"{report.empty} empty")
    if report.skipped_suffixes:
        details.append(f"{sum(report.skipped_suffixes.values())} files of unsupported types")
    if report.binary:
        details.append(f"{report.binary} binary")
    if len(report.problems) > report.binary:
        details.append(f"{len(report.problems) - report.binary} unreadable")
    found = f" ({', '.join(details)})" if details else ""
    return f"no document with text in {named}{found}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"

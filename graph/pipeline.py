"""The whole job in two calls: `analyze` (inputs -> graph) and `build` (-> files).

Input: paths, directories or glob patterns, and `BuildOptions`. Output: an `Analysis`
(extractions, resolution, each document's near-duplicate group and date, graph, read
report) or, from `build`, the files in the output directory and a `Summary` of what was
done. The CLI is a thin layer over these.

The inputs are read twice: first to list the documents and look each up in the cache
(so the total is known and small inputs stay in one process), then to send the new ones
to the extract engine in batches, storing each batch's results as it comes back; the
HTML view reads them a third time for the paragraphs around its evidence. The
documents' MinHash signatures are then read from the store to group near-duplicates
(graph.dedupe), and the graph stage streams the results from the store in input order.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import networkx as nx

from graph.cache import CACHE_NAME, CacheError, Store, text_key
from graph.dedupe import group_duplicates
from graph.documents import ReadReport, read_documents
from graph.edges import build_graph
from graph.engines import TASK_CHARS, ExtractSettings, choose_engine
from graph.errors import InputError, NothingUsableError, OutputError
from graph.export import DEFAULT_FORMATS, write_outputs
from graph.model import ENTITY_TYPES, Document, DocumentInfo, Extraction, Resolution
from graph.relations import countries_of, read_demonyms
from graph.resolve import resolve
from graph.timing import Stopwatch

if TYPE_CHECKING:
    from spacy.language import Language


class Progress(Protocol):
    """Told how far extraction is: the total first, then each batch as it is done."""

    def start(self, documents: int, cached: int) -> None:
        """`documents` in all, of which `cached` need no work."""

    def advance(self, documents: int, words: int) -> None:
        """`documents` more extracted, holding `words` words."""


@dataclass(frozen=True)
class BuildOptions:
    """Every choice a build takes; the CLI's options map onto these one to one."""

    model: str | None = None
    types: tuple[str, ...] = tuple(ENTITY_TYPES)
    evidence: int = 3
    text_field: str = "text"
    id_field: str = "id"
    date_field: str = "date"
    aliases: Path | None = None
    exclude: Path | None = None
    formats: tuple[str, ...] = DEFAULT_FORMATS
    max_nodes: int = 500
    # Worker processes for spaCy; None: one per core, fewer for small inputs.
    workers: int | None = None
    # Where spaCy runs: "local" (this machine, `workers`) or "dask" (a Dask cluster: the
    # scheduler at `scheduler`, else a LocalCluster of `workers` processes).
    engine: str = "local"
    scheduler: str | None = None
    # The cache file; None: `.entigraph-cache.sqlite` in the output directory (build only).
    cache: Path | None = None
    no_cache: bool = False
    # What counts as one statement: "sentence" or "paragraph".
    window: str = "sentence"
    # Edges below any of these are dropped (their entities keep their nodes).
    min_weight: float = 0
    min_documents: int = 0
    min_npmi: float = -1.0
    # Count near-duplicate documents as separate sources.
    keep_duplicates: bool = False
    # Parse the statements naming two entities for the phrases and roles linking them.
    relations: bool = True


@dataclass
class Analysis:
    """Everything `analyze` found, stage by stage. `extractions` streams from the store
    each time it is iterated; `close` releases the store (a temporary one is deleted)."""

    extractions: Collection[Extraction]
    resolution: Resolution
    graph: nx.Graph
    report: ReadReport
    store: Store
    cached: int = 0
    # One per extraction, in the same order: duplicate group and date.
    documents: list[DocumentInfo] = field(default_factory=list)
    # Seconds per stage, so far.
    stopwatch: Stopwatch = field(default_factory=Stopwatch)
    # Reads the inputs again (problems unreported: the first read told them), for the
    # paragraphs around evidence that the HTML view shows.
    texts: Callable[[], Iterator[Document]] | None = None
    # Country (demonym table) -> its place entity, for relations to a nationality.
    countries: dict[str, str] = field(default_factory=dict)

    @property
    def sentences(self) -> int:
        return sum(e.sentences for e in self.extractions)

    @property
    def duplicate_groups(self) -> Counter[int]:
        """Groups of two or more near-duplicate documents: first position -> size."""
        sizes = Counter(info.group for info in self.documents)
        return Counter({group: size for group, size in sizes.items() if size > 1})

    def close(self) -> None:
        self.store.close()


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
    # Seconds per stage (read, extract, dedupe, resolve, edges, ..., export <format>).
    timings: dict[str, float] = field(default_factory=dict)

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
        if self.cached:
            notes.append(f"{self.cached} from cache")
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


def analyze(
    inputs: Sequence[str | Path],
    options: BuildOptions = BuildOptions(),
    *,
    nlp: Language | None = None,
    progress: Progress | None = None,
    on_problem: Callable[[str], None] | None = None,
    skip_dirs: Sequence[Path] = (),
    default_cache: Path | None = None,
) -> Analysis:
    """Read, recognize, resolve and link: the graph of `inputs`.

    Problems with single files or rows are skipped and reported to `on_problem` as
    they happen (and kept in `Analysis.report`); nothing usable at all raises
    `NothingUsableError`. Directories in `skip_dirs` are not read. Results are kept in
    `options.cache` (else `default_cache`; neither, or `no_cache`: a temporary store).
    """
    report = ReadReport(on_problem=on_problem)
    settings = ExtractSettings(model=options.model, types=options.types, relations=options.relations)
    description = settings.describe()
    if nlp is not None:
        # A pipeline handed in may differ from the named one: key results by what it is.
        description["model"] = {k: str(nlp.meta.get(k, "")) for k in ("lang", "name", "version")}
        description["pipes"] = list(nlp.pipe_names)

    def read(into: ReadReport) -> Iterator[Document]:
        return read_documents(
            inputs, into, text_field=options.text_field, id_field=options.id_field,
            date_field=options.date_field, skip_dirs=skip_dirs,
        )

    path = None if options.no_cache else (options.cache or default_cache)
    store: Store | None = None
    new_chars = cached = 0
    stopwatch = Stopwatch()
    # (doc_id, date) in input order: dates come from the reader, not the extraction.
    listed: list[tuple[str, str | None]] = []
    try:
        with stopwatch.stage("read"):
            for document in read(report):
                if store is None:  # opened only once there is something to keep
                    store = _open_store(path, default_cache, description, report)
                listed.append((document.doc_id, document.date))
                if store.add_document(document.doc_id, text_key(document.text)):
                    cached += 1
                else:
                    new_chars += len(document.text)
        if store is None:
            raise NothingUsableError(_nothing_usable(inputs, report))
        if progress is not None:
            progress.start(store.documents, cached)
        with stopwatch.stage("extract"):
            engine = choose_engine(
                options.workers, new_chars, nlp, engine=options.engine, scheduler=options.scheduler
            )
            # Texts sent and not yet stored: a repeated text is extracted once.
            sent: set[bytes] = set()
            # The second read reports nothing: the first one did.
            batches = _batches(read(ReadReport()), store, sent)
            for (keys, words), extractions in engine.run(batches, settings):
                store.put(list(zip(keys, extractions)))
                sent.difference_update(keys)
                if progress is not None:
                    progress.advance(len(keys), words)
        if store.missing():
            raise InputError(f"{store.missing()} documents changed while being read; run again")
        extractions = store.extractions()
        with _cycle_collection_paused():
            with stopwatch.stage("dedupe"):
                if options.keep_duplicates:
                    groups = list(range(len(listed)))
                else:
                    groups = group_duplicates(store.signatures())
            documents = [
                DocumentInfo(doc_id, group, date)
                for (doc_id, date), group in zip(listed, groups, strict=True)
            ]
            with stopwatch.stage("resolve"):
                resolution = resolve(
                    extractions, aliases_path=options.aliases, exclude_path=options.exclude
                )
                countries = countries_of(resolution, read_demonyms()) if options.relations else {}
            graph = build_graph(
                extractions,
                resolution,
                evidence=options.evidence,
                documents=documents,
                window=options.window,
                min_weight=options.min_weight,
                min_documents=options.min_documents,
                min_npmi=options.min_npmi,
                countries=countries,
                stopwatch=stopwatch,
            )
    except BaseException:
        if store is not None:
            store.close()
        raise
    return Analysis(
        extractions, resolution, graph, report, store, cached, documents, stopwatch,
        texts=lambda: read(ReadReport()), countries=countries,
    )


def _open_store(
    path: Path | None, default: Path | None, description: dict[str, Any], report: ReadReport
) -> Store:
    try:
        return Store(path, description, on_problem=report.problem)
    except CacheError as err:
        if path is not None and path == default:
            # The cache's place is the output directory: say so, as a failed write does.
            raise OutputError(f"cannot write to {path.parent}: {err.reason}") from err
        raise


def _batches(
    documents: Iterator[Document], store: Store, sent: set[bytes]
) -> Iterator[tuple[tuple[list[bytes], int], list[Document]]]:
    """The documents whose results are not stored, in batches of about TASK_CHARS
    characters, each tagged with its texts' keys and its number of words."""
    batch: list[Document] = []
    keys: list[bytes] = []
    chars = words = 0
    for document in documents:
        key = text_key(document.text)
        if key in sent or store.has(key):
            continue
        sent.add(key)
        batch.append(document)
        keys.append(key)
        chars += len(document.text)
        words += len(document.text.split())
        if chars >= TASK_CHARS:
            yield (keys, words), batch
            batch, keys, chars, words = [], [], 0, 0
    if batch:
        yield (keys, words), batch


def build(
    inputs: Sequence[str | Path],
    out_dir: Path,
    options: BuildOptions = BuildOptions(),
    *,
    nlp: Language | None = None,
    progress: Progress | None = None,
    on_problem: Callable[[str], None] | None = None,
) -> Summary:
    """Analyze `inputs` and write the chosen formats into `out_dir`; the cache goes
    into `out_dir` unless `options` place it elsewhere or turn it off."""
    out_dir = Path(out_dir)
    # `entigraph build .` writes into ./out: the next run must not read its mentions.csv.
    analysis = analyze(
        inputs, options, nlp=nlp, progress=progress, on_problem=on_problem,
        skip_dirs=[out_dir], default_cache=out_dir / CACHE_NAME,
    )
    try:
        with _cycle_collection_paused():
            written = write_outputs(
                analysis.graph,
                analysis.extractions,
                analysis.resolution,
                out_dir,
                formats=options.formats,
                max_nodes=options.max_nodes,
                documents=analysis.documents,
                texts=analysis.texts,
                countries=analysis.countries,
                stopwatch=analysis.stopwatch,
            )
            statements = analysis.sentences
    finally:
        analysis.close()
    report = analysis.report
    return Summary(
        documents=len(analysis.extractions),
        statements=statements,
        mentions=len(analysis.resolution.links),
        nodes=analysis.graph.number_of_nodes(),
        edges=analysis.graph.number_of_edges(),
        files=tuple(str(p) for p in written),
        cached=analysis.cached,
        near_duplicates=sum(analysis.duplicate_groups.values()),
        duplicate_groups=len(analysis.duplicate_groups),
        empty=report.empty,
        skipped=dict(sorted(report.skipped_suffixes.items())),
        problems=tuple(report.problems),
        timings={name: round(seconds, 3) for name, seconds in analysis.stopwatch.seconds.items()},
    )


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector off while the graph stage runs: it builds hundreds of
    thousands of long-lived objects (no cycles among them), and the collector walked them
    all again and again (1M-word benchmark corpus: resolution 2.4 s with it, 1.8 s
    without; edges 1.35 s, 0.6 s). Reference counting still frees everything else."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def sample_corpus() -> Path:
    """The sample corpus `build` reads when given no input: shipped inside the installed
    package (graph/sample), or data/sample in a source checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "sample"
    return installed if installed.is_dir() else package.parent / "data" / "sample"


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

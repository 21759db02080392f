"""The whole job in one call: `build` (inputs -> the store `OUT/graph.db` -> files).

Input: paths, directories or glob patterns, an output directory and `BuildOptions`.
Output: the store brought up to date, the chosen formats written from it into the output
directory, and a `Summary` of what was done. The CLI is a thin layer over this.

A build first lists the input files with their sizes and times: when they, the options
and the files written last time are all as the store recorded them, nothing is read and
nothing rewritten. Otherwise the inputs are read once, each document given its language
(graph.routing: a build with pipelines by language reads each document with its own),
its text hashed and looked up in the store (a document it holds under the same id, text
and language is done) and then in the extraction cache (graph.cache, under its
pipeline's key); the rest go to the extract engine in batches of one language, and
every document the store lacks goes into it as its extraction arrives, all in one
transaction that ends with everything derived brought up to date (graph.store.update).
The exports are then written from the store, all together or none, when the graph changed
or a file is missing.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from graph.cache import CACHE_NAME, Cache, CacheError, LazyCache, text_key
from graph.documents import ReadReport, input_files, read_documents
from graph.edges import parse_window
from graph.engines import ExtractSettings, choose_engine
from graph.errors import InputError, NothingUsableError, OutputError
from graph.export import DEFAULT_FORMATS, state_of, write_outputs
from graph.languages import Readers, batches, readers, tell_unkept_types
from graph.model import ENTITY_TYPES, Document, DocumentInfo, Extraction
from graph.nlp import parse_models
from graph.relations import demonyms_digest, read_demonyms
from graph.resolve import read_user_names
from graph.resolve.corpus import UserNames
from graph.store import STORE_NAME, Store, StoreError, remove
from graph.store.documents import Listed
from graph.store.graphs import to_networkx
from graph.store.links import LinkSettings
from graph.store import view_merges
from graph.store.update import GraphSettings, Update, file_digest
from graph.summary import Summary, summarize
from graph.timing import Stopwatch

if TYPE_CHECKING:
    import networkx as nx
    from spacy.language import Language

# Characters of text waiting for spaCy held in memory between the read and the extraction;
# past this the inputs are read a second time instead.
HELD_CHARS = 64_000_000


class Progress(Protocol):
    """Told how far extraction is: the total first, then each batch as it is done."""

    def start(self, documents: int, cached: int) -> None:
        """`documents` in all, of which `cached` need no work."""

    def advance(self, documents: int, words: int) -> None:
        """`documents` more extracted, holding `words` words."""


@dataclass(frozen=True)
class BuildOptions:
    """Every choice a build takes; the CLI's options map onto these one to one."""

    # A spaCy pipeline's name or path (None: the default English one), or pipelines by
    # language, "en=en_core_web_sm,fr=fr_core_news_md" (graph.nlp.parse_models).
    model: str | None = None
    types: tuple[str, ...] = tuple(ENTITY_TYPES)
    evidence: int = 3
    text_field: str = "text"
    id_field: str = "id"
    date_field: str = "date"
    # The field or column giving a document's language (else it is detected).
    lang_field: str = "lang"
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
    # The extraction cache; None: `.entigraph-cache.sqlite` in the output directory.
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


def build(
    inputs: Sequence[str | Path],
    out_dir: Path,
    options: BuildOptions = BuildOptions(),
    *,
    nlp: Language | None = None,
    progress: Progress | None = None,
    on_problem: Callable[[str], None] | None = None,
) -> Summary:
    """Bring the store in `out_dir` up to date with `inputs` and write the chosen formats
    from it. Problems with single files or rows are skipped and reported to `on_problem`
    as they happen; nothing usable at all raises `NothingUsableError`."""
    out_dir = Path(out_dir)
    stopwatch = Stopwatch()
    report = ReadReport(on_problem=on_problem)
    user = read_user_names(options.aliases, options.exclude)
    base = ExtractSettings(types=options.types, relations=options.relations)
    languages = readers(parse_models(options.model), base, nlp)
    # The languages whose word lists read the names: the pipelines' (graph.lang).
    settings = _graph_settings(options, languages.languages)
    extraction = languages.extraction
    created = not out_dir.exists()
    existed = (out_dir / STORE_NAME).exists()
    try:
        store = Store.open(out_dir / STORE_NAME, on_problem=report.problem)
    except StoreError as err:
        raise OutputError(f"cannot write to {out_dir}: {err.reason}") from err
    except BaseException:
        # Ctrl-C while the new store's tables are made: no half-made store is left.
        _leave_as_found(out_dir, existed=existed, created=created)
        raise
    try:
        with store.building(on_wait=report.problem):
            # Merges marked in the served view are aliases too, kept in the store itself.
            user = UserNames(view_merges.as_aliases(store, user.aliases), user.excluded)
            settings = replace(settings, user_files=settings.user_files + view_merges.digest(store))
            with stopwatch.stage("read"):
                files = input_files(inputs, skip_dirs=[out_dir])
                fingerprint = _fingerprint(options, files, settings, extraction)
            if _unchanged(store, fingerprint, options.formats, out_dir):
                for (problem,) in store.rows("SELECT problem FROM problems ORDER BY number"):
                    report.told(problem)
                return summarize(store, (), report, stopwatch, cached=store.meta("documents", 0), unchanged=True)
            cached = _update(
                store, inputs, out_dir, options, report, stopwatch, settings, languages,
                user=user, nlp=nlp, progress=progress,
            )  # fmt: skip
            with store.transaction():
                store.execute("DELETE FROM inputs")
                store.executemany("INSERT OR REPLACE INTO inputs VALUES (?, ?, ?)", files)
                store.execute("DELETE FROM problems")
                store.executemany("INSERT INTO problems (problem) VALUES (?)", ((p,) for p in report.problems))
                store.set_meta("fingerprint", fingerprint)
            with _cycle_collection_paused():
                written = write_outputs(
                    store, out_dir, formats=options.formats, max_nodes=options.max_nodes, stopwatch=stopwatch
                )
            return summarize(store, tuple(str(p) for p in written), report, stopwatch, cached=cached)
    except BaseException:
        store.close()
        _leave_as_found(out_dir, existed=existed, created=created)
        raise
    finally:
        store.close()


def _leave_as_found(out_dir: Path, *, existed: bool, created: bool) -> None:
    """A build that failed leaves the directory as it found it (its cache aside)."""
    if not existed:
        remove(out_dir / STORE_NAME)
        if created:
            _remove_empty(out_dir)


def record(
    extractions: Iterable[Extraction],
    options: BuildOptions = BuildOptions(),
    *,
    documents: Sequence[DocumentInfo] | None = None,
    languages: tuple[str, ...] = ("en",),
) -> Store:
    """The store, in memory, of a corpus already extracted (one `Extraction` per document,
    in input order): resolved, linked and measured as `build` does it, its names read with
    the word lists of `languages` (graph.lang). `documents` (one `DocumentInfo` per
    extraction) dates them and sets their near-duplicate groups; without it, groups come
    from the extractions' signatures and nothing is dated."""
    store = Store.memory()
    update = Update(
        store, extraction="", settings=_graph_settings(options, languages),
        user=read_user_names(options.aliases, options.exclude),
        demonyms=read_demonyms(), groups=None if documents is None else [info.group for info in documents],
    )  # fmt: skip
    update.begin()
    for position, extraction in enumerate(extractions):
        info = documents[position] if documents is not None else None
        key = hashlib.sha256(f"{position}\0{extraction.doc_id}".encode("utf-8", "surrogatepass")).digest()
        item = Listed(extraction.doc_id, key, "", info.date if info is not None else None)
        update.list(item)
        update.add(item, extraction)
    update.finish()
    return store


def graph_of(
    extractions: Iterable[Extraction],
    options: BuildOptions = BuildOptions(),
    *,
    documents: Sequence[DocumentInfo] | None = None,
    languages: tuple[str, ...] = ("en",),
) -> nx.Graph:
    """The graph of a corpus already extracted, as a networkx graph (see `record`)."""
    return to_networkx(record(extractions, options, documents=documents, languages=languages))


def _update(
    store: Store,
    inputs: Sequence[str | Path],
    out_dir: Path,
    options: BuildOptions,
    report: ReadReport,
    stopwatch: Stopwatch,
    settings: GraphSettings,
    languages: Readers,
    *,
    user: Any,
    nlp: Language | None,
    progress: Progress | None,
) -> int:
    """Read the inputs and bring the store up to date; how many documents needed no spaCy."""

    def read(into: ReadReport, only: set[bytes] | None = None) -> Iterator[tuple[Document, Listed]]:
        """The documents with their listing; `only`: those of these texts (a second read
        routes just the documents still waiting, not the whole corpus again)."""
        for document in read_documents(
            inputs, into, text_field=options.text_field, id_field=options.id_field,
            date_field=options.date_field, lang_field=options.lang_field, skip_dirs=[out_dir],
        ):  # fmt: skip
            key = text_key(document.text)
            if only is not None and key not in only:
                continue
            route = languages.router.route(document.text, document.lang)
            yield document, Listed(document.doc_id, key, document.source, document.date, route.lang, route.source)

    update = Update(
        store, extraction=languages.extraction, settings=settings, user=user, demonyms=read_demonyms(),
        stopwatch=stopwatch,
    )  # fmt: skip
    # One cache per pipeline, each keyed by its own description (opened when first needed).
    caches = {
        lang: LazyCache(partial(_open_cache, options, out_dir, description, report))
        for lang, description in languages.descriptions.items()
    }
    tell_unkept_types(languages, options.types, nlp, report.problem)
    try:
        update.begin()
        # (sha256, language) -> the listed documents of that text waiting for its extraction
        waiting: dict[tuple[bytes, str], list[Listed]] = {}
        held: list[tuple[Document, str]] | None = []
        held_chars = new_chars = cached = 0
        with stopwatch.stage("read"):
            for document, item in read(report):
                if not update.list(item):
                    cached += 1
                    continue
                key = (item.text_sha256, item.lang)
                if key in waiting:
                    waiting[key].append(item)
                    cached += 1
                    continue
                found = caches[item.lang].get(item.text_sha256, document.doc_id)
                if found is not None:
                    update.add(item, found)
                    cached += 1
                    continue
                waiting[key] = [item]
                new_chars += len(document.text)
                if held is not None:
                    held.append((document, item.lang))
                    held_chars += len(document.text)
                    if held_chars > HELD_CHARS:
                        held = None  # too much to hold: read again below
        if not update.listed:
            raise NothingUsableError(_nothing_usable(inputs, report))
        if progress is not None:
            progress.start(len(update.listed), cached)
        with stopwatch.stage("extract"):
            if held is not None:
                documents: Iterable[tuple[Document, str]] = held
            else:
                documents = ((d, item.lang) for d, item in read(ReadReport(), {sha for sha, _ in waiting}))
            needed = {lang for _, lang in waiting}
            engine = choose_engine(
                options.workers, new_chars, nlp, engine=options.engine, scheduler=options.scheduler,
                preload=[s for lang, s in languages.settings.items() if lang in needed],
            )  # fmt: skip
            for (keys, words), extractions in engine.run(batches(documents, set(waiting), languages.settings)):
                lang = keys[0][1]  # a batch is of one language
                caches[lang].put([(sha, e) for (sha, _), e in zip(keys, extractions)])
                for key, extraction_ in zip(keys, extractions):
                    for item in waiting.pop(key, ()):
                        update.add(item, extraction_)
                if progress is not None:
                    progress.advance(len(keys), words)
        if waiting:
            raise InputError(f"{sum(map(len, waiting.values()))} documents changed while being read; run again")
        with _cycle_collection_paused():
            update.finish()
    except BaseException:
        update.abort()
        raise
    finally:
        for cache in caches.values():
            cache.close()
    return cached


def _open_cache(options: BuildOptions, out_dir: Path, description: dict[str, Any], report: ReadReport) -> Cache:
    default = out_dir / CACHE_NAME
    path = None if options.no_cache else (options.cache or default)
    try:
        return Cache(path, description, on_problem=report.problem)
    except CacheError as err:
        if path is not None and path == default:
            # The cache's place is the output directory: say so, as a failed write does.
            raise OutputError(f"cannot write to {path.parent}: {err.reason}") from err
        raise


def _graph_settings(options: BuildOptions, languages: tuple[str, ...]) -> GraphSettings:
    links = LinkSettings(
        window=parse_window(options.window), evidence=options.evidence, min_weight=options.min_weight,
        min_documents=options.min_documents, min_npmi=options.min_npmi,
    )  # fmt: skip
    return GraphSettings(
        links=links, keep_duplicates=options.keep_duplicates, relations=options.relations,
        user_files=file_digest(options.aliases, options.exclude),
        tables=demonyms_digest() if options.relations else "", languages=languages,
    )  # fmt: skip


def _fingerprint(options: BuildOptions, files: list[tuple[str, int, int]], settings: GraphSettings, extraction: str) -> str:
    """Everything a build's outputs depend on, the inputs by their sizes and times: a build
    finding the store's fingerprint the same has nothing to do."""
    canonical = json.dumps(
        {
            "files": files, "graph": settings.digest(), "extraction": extraction,
            "fields": [options.text_field, options.id_field, options.date_field, options.lang_field],
            "max_nodes": options.max_nodes,
        },
        sort_keys=True,
    )  # fmt: skip
    return hashlib.sha256(canonical.encode()).hexdigest()


def _unchanged(store: Store, fingerprint: str, formats: Sequence[str], out_dir: Path) -> bool:
    """Whether the store was built from the same inputs and options, and every file asked
    for is there as it was written from the store's present state."""
    if store.meta("fingerprint") != fingerprint:
        return False
    generation = store.meta("generation", 0)
    written = {f: (file, g, size, mtime) for f, file, g, size, mtime in store.rows("SELECT * FROM exports")}
    for name in formats:
        if name not in written:
            return False
        file, made, size, mtime = written[name]
        try:
            state = state_of(out_dir / file)
        except OSError:
            return False
        if made != generation or state != (size, mtime):
            return False
    return True


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector off while the graph stage runs: it builds hundreds of
    thousands of long-lived objects (no cycles among them), and the collector walked them
    all again and again (1M-word benchmark corpus: resolution 2.4 s with it, 1.8 s
    without). Reference counting still frees everything else."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _remove_empty(directory: Path) -> None:
    """Take back a directory this run created, unless something else is in it by now."""
    try:
        directory.rmdir()
    except OSError:
        pass


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

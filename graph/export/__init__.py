"""Exporters: write files from the store. One module per format, found through `FORMATS`.

`write_outputs` is the one entry point of a build: it writes the chosen formats into a
directory, all of them or none, records in the store which state each file was written
from, and returns the paths written. A file already written from the store's present state
(its generation), and unchanged since, is not written again. With a second core, a helper
process writes the other formats while this one writes the HTML view. `export` writes
formats from a store already built (`entigraph export`), without building.

A format's output is one file, or one folder of files (`neo4j/`): a folder is staged and
renamed into place whole, like a file.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.errors import EntigraphError, OutputError
from graph.model import parse_choices
from graph.store import Store
from graph.timing import Stopwatch

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, so leftovers of killed builds are kept
    fcntl = None  # type: ignore[assignment]

STAGING_PREFIX = ".entigraph-"
# A staging directory younger than this may be one whose build has not locked it yet.
STALE_AFTER_SECONDS = 2.0


@dataclass(frozen=True)
class ExportOptions:
    """What an export may be told besides the store: the HTML view's opening size, and
    whether the Neo4j files include the documents and what each mentions."""

    max_nodes: int = 500
    title: str = "entigraph"
    documents: bool = False


@dataclass(frozen=True)
class Format:
    """An output format: its file name and its writer, `write(store, path, options)`."""

    file: str
    write: Callable[[Store, Path, ExportOptions], object]


def _graphml(store: Store, path: Path, options: ExportOptions) -> None:
    from graph.export.graphml import write_graphml

    write_graphml(store, path)


def _gexf(store: Store, path: Path, options: ExportOptions) -> None:
    from graph.export.gexf import write_gexf

    write_gexf(store, path)


def _html(store: Store, path: Path, options: ExportOptions) -> None:
    from graph.export.html import write_html

    write_html(store, path, max_nodes=options.max_nodes, title=options.title)


def _mentions(store: Store, path: Path, options: ExportOptions) -> None:
    from graph.export.mentions import write_mentions

    write_mentions(store, path)


def _relations(store: Store, path: Path, options: ExportOptions) -> None:
    from graph.export.relations import write_relations

    write_relations(store, path)


def _documents(store: Store, path: Path, options: ExportOptions) -> None:
    from graph.export.documents import write_documents

    write_documents(store, path)


def _neo4j(store: Store, path: Path, options: ExportOptions) -> None:
    from graph.export.neo4j import write_neo4j

    write_neo4j(store, path, documents=options.documents)


def _ftm(store: Store, path: Path, options: ExportOptions) -> None:
    from graph.export.ftm import write_ftm

    write_ftm(store, path)


# Format name -> its file and writer, in the order files are written and reported. The
# writers are imported when used: a build writing CSVs never loads networkx.
FORMATS: dict[str, Format] = {
    "graphml": Format("graph.graphml", _graphml),
    "gexf": Format("graph.gexf", _gexf),
    "html": Format("graph.html", _html),
    "mentions": Format("mentions.csv", _mentions),
    "relations": Format("relations.csv", _relations),
    "documents": Format("documents.csv", _documents),
    "neo4j": Format("neo4j", _neo4j),
    "ftm": Format("entities.ftm.json", _ftm),
}
# What a build writes unless told otherwise: GEXF repeats the GraphML for Gephi users
# who want it arranged, and its layout costs seconds on large graphs.
DEFAULT_FORMATS: tuple[str, ...] = ("graphml", "html", "mentions", "relations", "documents")


def parse_formats(spec: str | Sequence[str]) -> tuple[str, ...]:
    """Turn "graphml,html" (or a list) into known format names, in FORMATS order."""
    return parse_choices(spec, tuple(FORMATS), "format")


def write_outputs(
    store: Store,
    out_dir: Path,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    max_nodes: int = 500,
    documents: bool = False,
    stopwatch: Stopwatch | None = None,
    recorded: bool = True,
) -> list[Path]:
    """Write each chosen format not already written from the store's present state into
    `out_dir`; return the paths written, in FORMATS order. `stopwatch` is told the time
    each format took (stages "export <format>"). With `recorded` False (an export from a
    store the caller only reads), every chosen format is written and the store is not told.

    All or nothing: the files are written into a staging directory inside `out_dir` and
    renamed into place only once every one is complete, so a failure (full disk, Ctrl-C)
    leaves the previous outputs as they were, not a mix of two runs. Only the renames
    themselves, microseconds apart, are not one step. A build killed outright leaves its
    staging directory behind; the next build into `out_dir` removes it.
    """
    out_dir = Path(out_dir)
    generation = store.meta("generation", 0)
    wanted = [name for name in formats if not (recorded and _current(store, out_dir, name, generation))]
    if not wanted:
        return []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out_dir)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
        lock = _lock(staging)
    except OSError as err:
        raise OutputError(f"cannot write to {out_dir}: {err.strerror or err}") from err
    stopwatch = stopwatch or Stopwatch()
    for name in wanted:  # reported in FORMATS order, whichever process writes them
        stopwatch.seconds.setdefault(f"export {name}", 0.0)
    options = ExportOptions(max_nodes=max_nodes, documents=documents)
    try:
        mine, theirs = _shares(store, wanted)
        helper = _Helper.start(store, theirs, staging, out_dir, options) if theirs else None
        try:
            _write(store, mine, staging, out_dir, options, stopwatch)
        except BaseException:
            if helper is not None:
                helper.stop()
            raise
        if helper is not None:
            helper.finish(stopwatch)
        staged = [(name, staging / FORMATS[name].file, out_dir / FORMATS[name].file) for name in wanted]
        for _, path, final in staged:
            if final.is_dir() and not final.is_symlink():
                # A folder cannot be renamed over a folder: the old one goes into the
                # staging directory, removed with it.
                os.replace(final, staging / f"{final.name}.old")
            os.replace(path, final)
    except OSError as err:
        raise OutputError(f"cannot write to {out_dir}: {err.strerror or err}") from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if lock is not None:
            os.close(lock)
    if store.path is not None and recorded:
        with store.transaction():
            for name, _, final in staged:
                store.execute(
                    "INSERT OR REPLACE INTO exports VALUES (?, ?, ?, ?, ?)", (name, final.name, generation, *state_of(final))
                )
    return [final for _, _, final in staged]


@dataclass(frozen=True)
class Exported:
    """What `export` wrote: the paths, in FORMATS order, and the seconds each format took."""

    files: tuple[str, ...]
    seconds: dict[str, float]

    def to_dict(self) -> dict[str, object]:
        return {"files": list(self.files), "seconds": {name: round(s, 3) for name, s in self.seconds.items()}}


def export(
    source: str | Path,
    formats: str | Sequence[str],
    output: str | Path | None = None,
    *,
    documents: bool = False,
    max_nodes: int = 500,
    on_wait: Callable[[Path, str], None] | None = None,
) -> Exported:
    """Write `formats` from a graph already built, without building it again: `source` is
    an output directory of a build (its graph.db), a graph.db, or a GraphML file. The
    files go into `output`, by default the directory `source` is or is in, all of them or
    none, as a build writes them. A build writing into the store meanwhile is waited for
    (`on_wait` is told), and one started meanwhile waits for the export."""
    from graph.query import open_graph

    names = parse_formats(formats)
    path = Path(source)
    out_dir = Path(output) if output is not None else (path if path.is_dir() else path.parent)
    store, _ = open_graph(path)
    stopwatch = Stopwatch()
    with store, store.building(on_wait=on_wait):
        written = write_outputs(
            store, out_dir, formats=names, max_nodes=max_nodes, documents=documents, stopwatch=stopwatch,
            recorded=False,
        )  # fmt: skip
    seconds = {name.removeprefix("export "): s for name, s in stopwatch.seconds.items()}
    return Exported(tuple(str(p) for p in written), seconds)


def _write(store: Store, names: Sequence[str], staging: Path, out_dir: Path, options: ExportOptions, stopwatch: Stopwatch) -> None:
    """Write the formats `names` into `staging`, one after the other."""
    for name in names:
        with stopwatch.stage(f"export {name}"):
            try:
                FORMATS[name].write(store, staging / FORMATS[name].file, options)
            except OutputError as err:
                # The writer names the staging file; the user knows the final one.
                if isinstance(err.__cause__, OSError):
                    reason = err.__cause__.strerror or err.__cause__
                    raise OutputError(f"cannot write {out_dir / FORMATS[name].file}: {reason}") from err.__cause__
                raise


def _shares(store: Store, wanted: list[str]) -> tuple[list[str], list[str]]:
    """The formats this process writes and those a helper process writes beside it: the
    HTML view here (the most work), the rest there. Only from a store on disk (the helper
    opens it again), with a second core, and in a process running no other thread (a
    thread's locks do not survive the fork)."""
    if (
        fcntl is None or store.path is None or len(wanted) < 2 or (os.cpu_count() or 1) < 2
        or threading.active_count() > 1
    ):  # fmt: skip
        return wanted, []
    first = "html" if "html" in wanted else wanted[0]
    return [first], [name for name in wanted if name != first]


@dataclass
class _Helper:
    """A forked process writing its share of the formats from its own connection to the
    store; it reports its timings, or the one line of its error, through a pipe."""

    pid: int
    reader: int

    @classmethod
    def start(cls, store: Store, names: list[str], staging: Path, out_dir: Path, options: ExportOptions) -> _Helper:
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the helper: never returns
            os.close(reader)
            code, report = 0, {}
            try:
                with Store.read(store.path) as own:  # type: ignore[arg-type]
                    watch = Stopwatch()
                    _write(own, names, staging, out_dir, options, watch)
                    report = {"timings": watch.seconds}
            except EntigraphError as err:
                code, report = 1, {"error": str(err)}
            except KeyboardInterrupt:
                code, report = 1, {"interrupted": True}
            except BaseException as err:  # noqa: BLE001 (told to the parent, which raises it)
                code, report = 1, {"error": f"{type(err).__name__}: {err}"}
            finally:
                os.write(writer, json.dumps(report).encode("utf-8"))
                os._exit(code)
        os.close(writer)
        return cls(pid, reader)

    def finish(self, stopwatch: Stopwatch) -> None:
        """Wait for the helper; its error becomes ours. Interrupted, it is stopped."""
        try:
            with os.fdopen(self.reader, "rb") as pipe:
                report = json.loads(pipe.read() or b"{}")
            _, status = os.waitpid(self.pid, 0)
        except BaseException:
            self.stop()
            raise
        if report.get("interrupted"):
            raise KeyboardInterrupt
        if "error" in report or os.waitstatus_to_exitcode(status) != 0:
            raise OutputError(report.get("error", "the export helper process failed"))
        for name, seconds in report.get("timings", {}).items():
            stopwatch.seconds[name] = stopwatch.seconds.get(name, 0.0) + seconds

    def stop(self) -> None:
        """End the helper, whatever it was doing (this process is failing anyway)."""
        with contextlib.suppress(OSError):
            os.close(self.reader)
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)


def _current(store: Store, out_dir: Path, name: str, generation: int) -> bool:
    """Whether the format's file is there as it was written from this generation."""
    row = store.execute("SELECT file, generation, size, mtime_ns FROM exports WHERE format = ?", (name,)).fetchone()
    if row is None or row[1] != generation:
        return False
    try:
        return state_of(out_dir / row[0]) == (row[2], row[3])
    except OSError:
        return False


def state_of(path: Path) -> tuple[int, int]:
    """What tells a written output changed since: (size, modification time in ns) of a
    file; of a folder, its files' sizes added up and the latest time of the folder and its
    files (a file replaced, added or removed moves one or the other)."""
    status = path.stat()
    if not path.is_dir():
        return status.st_size, status.st_mtime_ns
    size, latest = 0, status.st_mtime_ns
    for child in sorted(path.rglob("*")):
        child_status = child.stat()
        size += child_status.st_size if child.is_file() else 0
        latest = max(latest, child_status.st_mtime_ns)
    return size, latest


def _lock(directory: Path) -> int | None:
    """Hold an exclusive lock on `directory` while this build uses it; the kernel drops it
    when the process ends, however it ends. Returns the descriptor to close."""
    if fcntl is None:
        return None
    fd = os.open(directory, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _remove_leftovers(out_dir: Path) -> None:
    """Remove staging directories of killed builds: those nobody holds a lock on. One that
    a build running at this moment is using stays."""
    if fcntl is None:
        return
    for path in sorted(out_dir.glob(f"{STAGING_PREFIX}*")):
        try:
            if path.is_symlink() or not path.is_dir():
                continue
            if time.time() - path.stat().st_mtime < STALE_AFTER_SECONDS:
                continue
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # a running build holds it
        try:
            shutil.rmtree(path, ignore_errors=True)
        finally:
            os.close(fd)


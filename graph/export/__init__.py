"""Exporters: write files from the store. One module per format, found through `FORMATS`.

`write_outputs` is the one entry point: it writes the chosen formats into a directory,
all of them or none, records in the store which state each file was written from, and
returns the paths written. A file already written from the store's present state (its
generation), and unchanged since, is not written again.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.errors import OutputError
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
    """What an export may be told besides the store: the HTML view's opening size."""

    max_nodes: int = 500
    title: str = "entigraph"


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


# Format name -> its file and writer, in the order files are written and reported. The
# writers are imported when used: a build writing CSVs never loads networkx.
FORMATS: dict[str, Format] = {
    "graphml": Format("graph.graphml", _graphml),
    "gexf": Format("graph.gexf", _gexf),
    "html": Format("graph.html", _html),
    "mentions": Format("mentions.csv", _mentions),
    "relations": Format("relations.csv", _relations),
    "documents": Format("documents.csv", _documents),
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
    stopwatch: Stopwatch | None = None,
) -> list[Path]:
    """Write each chosen format not already written from the store's present state into
    `out_dir`; return the paths written, in FORMATS order. `stopwatch` is told the time
    each format took (stages "export <format>").

    All or nothing: the files are written into a staging directory inside `out_dir` and
    renamed into place only once every one is complete, so a failure (full disk, Ctrl-C)
    leaves the previous outputs as they were, not a mix of two runs. Only the renames
    themselves, microseconds apart, are not one step. A build killed outright leaves its
    staging directory behind; the next build into `out_dir` removes it.
    """
    out_dir = Path(out_dir)
    generation = store.meta("generation", 0)
    wanted = [name for name in formats if not _current(store, out_dir, name, generation)]
    if not wanted:
        return []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out_dir)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
        lock = _lock(staging)
    except OSError as err:
        raise OutputError(f"cannot write to {out_dir}: {err.strerror or err}") from err
    staged: list[tuple[str, Path, Path]] = []
    stopwatch = stopwatch or Stopwatch()
    options = ExportOptions(max_nodes=max_nodes)
    try:
        for name in wanted:
            final = out_dir / FORMATS[name].file
            path = staging / FORMATS[name].file
            with stopwatch.stage(f"export {name}"):
                try:
                    FORMATS[name].write(store, path, options)
                except OutputError as err:
                    # The writer names the staging file; the user knows the final one.
                    if isinstance(err.__cause__, OSError):
                        reason = err.__cause__.strerror or err.__cause__
                        raise OutputError(f"cannot write {final}: {reason}") from err.__cause__
                    raise
            staged.append((name, path, final))
        for _, path, final in staged:
            os.replace(path, final)
    except OSError as err:
        raise OutputError(f"cannot write to {out_dir}: {err.strerror or err}") from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if lock is not None:
            os.close(lock)
    if store.path is not None:
        with store.transaction():
            for name, _, final in staged:
                status = final.stat()
                store.execute(
                    "INSERT OR REPLACE INTO exports VALUES (?, ?, ?, ?, ?)",
                    (name, final.name, generation, status.st_size, status.st_mtime_ns),
                )
    return [final for _, _, final in staged]


def _current(store: Store, out_dir: Path, name: str, generation: int) -> bool:
    """Whether the format's file is there as it was written from this generation."""
    row = store.execute("SELECT file, generation, size, mtime_ns FROM exports WHERE format = ?", (name,)).fetchone()
    if row is None or row[1] != generation:
        return False
    try:
        status = (out_dir / row[0]).stat()
    except OSError:
        return False
    return (status.st_size, status.st_mtime_ns) == (row[2], row[3])


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


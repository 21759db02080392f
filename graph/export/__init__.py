"""Exporters: write a built graph to files. One module per format.

`write_outputs` is the one entry point: it writes the chosen formats into a directory,
all of them or none, and returns the paths written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import networkx as nx

from graph.errors import OutputError
from graph.export.documents import write_documents
from graph.export.gexf import write_gexf
from graph.export.graphml import write_graphml
from graph.export.html import write_html
from graph.export.mentions import write_mentions
from graph.export.paragraphs import ParagraphSources
from graph.export.relations import write_relations
from graph.model import Document, DocumentInfo, Extraction, Resolution, parse_choices
from graph.timing import Stopwatch

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, so leftovers of killed builds are kept
    fcntl = None  # type: ignore[assignment]

# Format name -> file name, in the order files are written and reported.
FORMATS: dict[str, str] = {
    "graphml": "graph.graphml",
    "gexf": "graph.gexf",
    "html": "graph.html",
    "mentions": "mentions.csv",
    "relations": "relations.csv",
    "documents": "documents.csv",
}
STAGING_PREFIX = ".entigraph-"
# A staging directory younger than this may be one whose build has not locked it yet.
STALE_AFTER_SECONDS = 2.0
# What a build writes unless told otherwise: GEXF repeats the GraphML for Gephi users
# who want it arranged, and its layout costs seconds on large graphs.
DEFAULT_FORMATS: tuple[str, ...] = ("graphml", "html", "mentions", "relations", "documents")


def parse_formats(spec: str | Sequence[str]) -> tuple[str, ...]:
    """Turn "graphml,html" (or a list) into known format names, in FORMATS order."""
    return parse_choices(spec, tuple(FORMATS), "format")


def write_outputs(
    graph: nx.Graph,
    extractions: Iterable[Extraction],
    resolution: Resolution,
    out_dir: Path,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    max_nodes: int = 500,
    documents: Sequence[DocumentInfo] | None = None,
    texts: Callable[[], Iterable[Document]] | None = None,
    countries: Mapping[str, str] | None = None,
    stopwatch: Stopwatch | None = None,
) -> list[Path]:
    """Write each chosen format into `out_dir`; return the paths in FORMATS order.

    `documents` (one `DocumentInfo` per extraction, in order) feeds documents.csv and
    the view's dates; without it every document stands alone and undated. `texts` reads
    the documents again, for the paragraphs the view shows around evidence (without it,
    evidence comes without its paragraph); `countries` names the place entity of each
    nationality relations.csv links to. `stopwatch` is told the time each format took
    (stages "export <format>").

    All or nothing: the files are written into a staging directory inside `out_dir` and
    renamed into place only once every one is complete, so a failure (full disk, Ctrl-C)
    leaves the previous outputs as they were, not a mix of two runs. Only the renames
    themselves, microseconds apart, are not one step. A build killed outright leaves its
    staging directory behind; the next build into `out_dir` removes it.
    """
    out_dir = Path(out_dir)
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out_dir)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
        lock = _lock(staging)
    except OSError as err:
        raise OutputError(f"cannot write to {out_dir}: {err.strerror or err}") from err
    staged: list[tuple[Path, Path]] = []
    stopwatch = stopwatch or Stopwatch()
    done = False
    try:
        for name in formats:
            final = out_dir / FORMATS[name]
            path = staging / FORMATS[name]
            with stopwatch.stage(f"export {name}"):
                try:
                    if name == "graphml":
                        write_graphml(graph, path)
                    elif name == "gexf":
                        write_gexf(graph, path)
                    elif name == "html":
                        sources = None if texts is None else ParagraphSources(texts, extractions, resolution)
                        write_html(graph, path, max_nodes=max_nodes, documents=documents, sources=sources)
                    elif name == "mentions":
                        write_mentions(extractions, resolution, path)
                    elif name == "relations":
                        write_relations(extractions, resolution, path, countries or {})
                    elif name == "documents":
                        if documents is None:
                            documents = [DocumentInfo(e.doc_id, i) for i, e in enumerate(extractions)]
                        write_documents(extractions, resolution, documents, path)
                except OutputError as err:
                    # The writer names the staging file; the user knows the final one.
                    if isinstance(err.__cause__, OSError):
                        reason = err.__cause__.strerror or err.__cause__
                        raise OutputError(f"cannot write {final}: {reason}") from err.__cause__
                    raise
            staged.append((path, final))
        for path, final in staged:
            os.replace(path, final)
        done = True
    except OSError as err:
        raise OutputError(f"cannot write to {out_dir}: {err.strerror or err}") from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if lock is not None:
            os.close(lock)
        if created and not done:
            _remove_empty(out_dir)
    return [final for _, final in staged]


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


def _remove_empty(directory: Path) -> None:
    """Take back a directory this run created, unless something else is in it by now."""
    try:
        directory.rmdir()
    except OSError:
        pass

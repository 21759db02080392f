"""Exporters: write a built graph to files. One module per format.

`write_outputs` is the one entry point: it writes the chosen formats into a directory,
all of them or none, and returns the paths written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from graph.errors import OutputError
from graph.export.gexf import write_gexf
from graph.export.graphml import write_graphml
from graph.export.html import write_html
from graph.export.mentions import write_mentions
from graph.model import Extraction, Resolution, parse_choices

# Format name -> file name, in the order files are written and reported.
FORMATS: dict[str, str] = {
    "graphml": "graph.graphml",
    "gexf": "graph.gexf",
    "html": "graph.html",
    "mentions": "mentions.csv",
}
# What a build writes unless told otherwise: GEXF repeats the GraphML for Gephi users
# who want it arranged, and its layout costs seconds on large graphs.
DEFAULT_FORMATS: tuple[str, ...] = ("graphml", "html", "mentions")


def parse_formats(spec: str | Sequence[str]) -> tuple[str, ...]:
    """Turn "graphml,html" (or a list) into known format names, in FORMATS order."""
    return parse_choices(spec, tuple(FORMATS), "format")


def write_outputs(
    graph: nx.Graph,
    extractions: Sequence[Extraction],
    resolution: Resolution,
    out_dir: Path,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    max_nodes: int = 500,
) -> list[Path]:
    """Write each chosen format into `out_dir`; return the paths in FORMATS order.

    All or nothing: the files are written into a staging directory inside `out_dir` and
    renamed into place only once every one is complete, so a failure (full disk, Ctrl-C)
    leaves the previous outputs as they were, not a mix of two runs. Only the renames
    themselves, microseconds apart, are not one step.
    """
    out_dir = Path(out_dir)
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".entigraph-", dir=out_dir))
    except OSError as err:
        raise OutputError(f"cannot write to {out_dir}: {err.strerror or err}") from err
    staged: list[tuple[Path, Path]] = []
    done = False
    try:
        for name in formats:
            final = out_dir / FORMATS[name]
            path = staging / FORMATS[name]
            try:
                if name == "graphml":
                    write_graphml(graph, path)
                elif name == "gexf":
                    write_gexf(graph, path)
                elif name == "html":
                    write_html(graph, path, max_nodes=max_nodes)
                elif name == "mentions":
                    write_mentions(extractions, resolution, path)
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
        if created and not done:
            _remove_empty(out_dir)
    return [final for _, final in staged]


def _remove_empty(directory: Path) -> None:
    """Take back a directory this run created, unless something else is in it by now."""
    try:
        directory.rmdir()
    except OSError:
        pass

"""Exporters: write a built graph to files. One module per format.

`write_outputs` is the one entry point: it writes the chosen formats into a directory,
each file atomically, and returns the paths written.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from graph.errors import EntigraphError
from graph.export.graphml import write_graphml
from graph.export.html import write_html
from graph.export.mentions import write_mentions
from graph.model import Extraction, Resolution

# Format name -> file name, in the order files are written and reported.
FORMATS: dict[str, str] = {
    "graphml": "graph.graphml",
    "html": "graph.html",
    "mentions": "mentions.csv",
}


def parse_formats(spec: str | Sequence[str]) -> tuple[str, ...]:
    """Turn "graphml,html" (or a list) into known format names, in FORMATS order."""
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    wanted = {item.strip().lower() for item in items if item.strip()}
    unknown = sorted(wanted - FORMATS.keys())
    if unknown or not wanted:
        raise EntigraphError(
            f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}"
        )
    return tuple(f for f in FORMATS if f in wanted)


def write_outputs(
    graph: nx.Graph,
    extractions: Sequence[Extraction],
    resolution: Resolution,
    out_dir: Path,
    *,
    formats: Sequence[str] = tuple(FORMATS),
    max_nodes: int = 500,
) -> list[Path]:
    """Write each chosen format into `out_dir`; return the paths in FORMATS order."""
    written = []
    for name in formats:
        path = Path(out_dir) / FORMATS[name]
        if name == "graphml":
            write_graphml(graph, path)
        elif name == "html":
            write_html(graph, path, max_nodes=max_nodes)
        elif name == "mentions":
            write_mentions(extractions, resolution, path)
        written.append(path)
    return written

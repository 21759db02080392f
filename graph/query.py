"""Questions answered from a built graph, without re-reading any text.

Input: a GraphML file written by `entigraph build` (or the `nx.Graph` read from one).
Output: plain frozen dataclasses, ready to print as tables or JSON (`to_dict`):
`stats` (corpus figures, the top entities of each type, the strongest and the most
specific links, the most frequent typed relations, the largest communities and their
main members) and `neighbors` (who is linked to one entity, by weight or by npmi, with
its typed relations, its top phrase and one evidence sentence each).

Read from the GraphML: nodes' `label`, `type`, `mentions`, `documents`, `aliases`
(" | "-joined), `community`, `degree`, `pagerank`, `betweenness`; edges' `weight`,
`documents`, `evidence` (`[doc_id] sentence` lines) and, when the graph has them,
`sources`, `npmi`, `relations` (`role:Source>Target count` lines) and `phrases`
(`phrase count; ...`); the graph's `documents`. Anything missing is left out of the
answer (None), never guessed; ranking falls back from PageRank to mentions.

Names are matched ignoring case against every label and alias; a name that is no
entity's but is part of several (a surname shared by two people) is ambiguous, and the
candidates are listed rather than one picked.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import networkx as nx

from graph.errors import EntigraphError

# Ways to order a node's links in `neighbors`.
# The fewest statements a link needs to be listed among the most specific (by npmi).
SPECIFIC_MIN_WEIGHT = 2
ORDERS = ("weight", "npmi")
MEMBERS_SHOWN = 5
CANDIDATES_SHOWN = 10


class GraphFileError(EntigraphError):
    """The graph file is missing or is not a GraphML graph."""


class UnknownEntityError(EntigraphError):
    """No entity has the name asked for."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.suggestions = suggestions


class AmbiguousNameError(EntigraphError):
    """The name asked for could be several entities; `candidates` are their labels."""

    def __init__(self, message: str, candidates: tuple[str, ...]) -> None:
        super().__init__(message)
        self.candidates = candidates


class QueryError(EntigraphError):
    """The question cannot be answered from this graph (an order it has no data for)."""


@dataclass(frozen=True)
class EntitySummary:
    id: str
    label: str
    type: str
    mentions: int
    documents: int
    degree: int | None
    pagerank: float | None
    betweenness: float | None
    community: int | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Evidence:
    doc_id: str
    text: str


@dataclass(frozen=True)
class RelationCount:
    """A typed relation of a link: its role, its ends' labels in its direction, its count."""

    role: str
    source: str
    target: str
    count: int


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    weight: float
    documents: int
    sources: int | None
    npmi: float | None
    evidence: Evidence | None
    relations: tuple[RelationCount, ...] = ()
    # The most frequent linking phrase, when the graph has phrases.
    phrase: str | None = None


@dataclass(frozen=True)
class Community:
    number: int
    size: int
    members: tuple[str, ...]


@dataclass(frozen=True)
class Corpus:
    documents: int | None
    entities: int
    links: int
    mentions: int
    communities: int
    types: dict[str, int]


@dataclass(frozen=True)
class Stats:
    corpus: Corpus
    ranked_by: str
    top_entities: dict[str, tuple[EntitySummary, ...]]
    strongest_links: tuple[Link, ...]
    specific_links: tuple[Link, ...]
    communities: tuple[Community, ...]
    # The most frequent typed relations over every link.
    relations: tuple[RelationCount, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Neighbor:
    entity: EntitySummary
    link: Link


@dataclass(frozen=True)
class Neighbors:
    entity: EntitySummary
    by: str
    total: int
    neighbors: tuple[Neighbor, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_graph(path: str | Path) -> nx.Graph:
    """The graph in a GraphML file; GraphFileError names the file and the problem."""
    path = Path(path)
    try:
        graph = nx.read_graphml(path)
    except OSError as err:
        raise GraphFileError(f"cannot read {path}: {err.strerror or err}") from err
    except (ParseError, nx.NetworkXError, ValueError, KeyError, TypeError) as err:
        raise GraphFileError(f"{path} is not a GraphML graph: {err}") from err
    if graph.is_directed() or graph.is_multigraph():
        graph = nx.Graph(graph)
    return graph


def stats(source: nx.Graph | str | Path, *, top: int = 5) -> Stats:
    """Corpus figures and the `top` entities of each type, links and communities of the
    graph `source` (a graph, or the path of a GraphML file)."""
    graph = source if isinstance(source, nx.Graph) else load_graph(source)
    summaries = {node: _summary(node, data) for node, data in graph.nodes(data=True)}
    ranked_by = "pagerank" if all(s.pagerank is not None for s in summaries.values()) and summaries else "mentions"
    by_type: dict[str, list[EntitySummary]] = defaultdict(list)
    for summary in summaries.values():
        by_type[summary.type].append(summary)
    top_entities = {
        kind: tuple(sorted(members, key=lambda s: _rank(s, ranked_by))[:top]) for kind, members in sorted(by_type.items())
    }
    links = [_link(graph, u, v) for u, v in graph.edges]
    strongest = sorted(links, key=lambda l: (-l.weight, -l.documents, l.source, l.target))[:top]
    # A pair named together once scores npmi 1 by chance; specific links are repeated ones.
    with_npmi = [link for link in links if link.npmi is not None and link.weight >= SPECIFIC_MIN_WEIGHT]
    specific = sorted(with_npmi, key=lambda l: (-(l.npmi or 0.0), -l.weight, l.source, l.target))[:top]
    groups: dict[int, list[EntitySummary]] = defaultdict(list)
    for summary in summaries.values():
        if summary.community is not None:
            groups[summary.community].append(summary)
    communities = tuple(
        Community(number, len(members), tuple(s.label for s in sorted(members, key=lambda s: _rank(s, ranked_by))[:MEMBERS_SHOWN]))
        for number, members in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))[:top]
    )  # fmt: skip
    documents = graph.graph.get("documents")
    corpus = Corpus(
        documents=int(documents) if documents is not None else None,
        entities=graph.number_of_nodes(),
        links=graph.number_of_edges(),
        mentions=sum(s.mentions for s in summaries.values()),
        communities=len(groups),
        types={kind: len(members) for kind, members in sorted(by_type.items())},
    )
    typed = sorted(
        (r for link in links for r in link.relations), key=lambda r: (-r.count, r.role, r.source, r.target)
    )[:top]
    return Stats(corpus, ranked_by, top_entities, tuple(strongest), tuple(specific), communities, tuple(typed))


def neighbors(source: nx.Graph | str | Path, name: str, *, by: str = "weight", limit: int = 10) -> Neighbors:
    """The entities linked to the one called `name` in `source` (a graph, or the path of
    a GraphML file), strongest (or most specific) first, at most `limit`."""
    if by not in ORDERS:
        raise QueryError(f"unknown order {by!r}; choose from {', '.join(ORDERS)}")
    graph = source if isinstance(source, nx.Graph) else load_graph(source)
    where = "the graph" if isinstance(source, nx.Graph) else str(source)
    node = find_entity(graph, name, where=where)
    links = [(other, _link(graph, node, other)) for other in graph.neighbors(node)]
    if by == "npmi":
        if any(link.npmi is None for _, link in links):
            raise QueryError(f"the links in {where} carry no npmi (built before it existed): order by weight")
        links.sort(key=lambda item: (-(item[1].npmi or 0.0), -item[1].weight, _label(graph, item[0])))
    else:
        links.sort(key=lambda item: (-item[1].weight, -item[1].documents, _label(graph, item[0])))
    shown = tuple(Neighbor(_summary(other, graph.nodes[other]), link) for other, link in links[:limit])
    return Neighbors(_summary(node, graph.nodes[node]), by, len(links), shown)


def find_entity(graph: nx.Graph, name: str, *, where: str = "the graph") -> str:
    """The id of the one entity `name` (any case) names.

    Its label or an alias equal to `name` wins; failing that, an entity whose label or
    alias holds `name` as whole words ("biden" in "Joe Biden"). Several entities either
    way raise AmbiguousNameError; none raises UnknownEntityError with near spellings.
    """
    wanted = _fold(name)
    if not wanted:
        raise UnknownEntityError("no entity has an empty name")
    names = {node: {_fold(n) for n in _names(data)} for node, data in graph.nodes(data=True)}
    exact = [node for node, forms in names.items() if wanted in forms]
    if not exact:
        words = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
        exact = [node for node, forms in names.items() if any(words.search(form) for form in forms)]
    if len(exact) == 1:
        return exact[0]
    if exact:
        ranked = sorted(exact, key=lambda n: (-int(graph.nodes[n].get("mentions", 0)), str(n)))
        shown = tuple(f"{_label(graph, n)} ({graph.nodes[n].get('type', '?')})" for n in ranked[:CANDIDATES_SHOWN])
        more = f" and {len(ranked) - CANDIDATES_SHOWN} more" if len(ranked) > CANDIDATES_SHOWN else ""
        raise AmbiguousNameError(
            f"{name!r} could be {len(ranked)} entities in {where}: {', '.join(shown)}{more}", shown
        )
    every = sorted({form for forms in names.values() for form in forms})
    close = difflib.get_close_matches(wanted, every, n=5, cutoff=0.75)
    labels = tuple(dict.fromkeys(_label(graph, node) for form in close for node, forms in sorted(names.items()) if form in forms))
    hint = f"; did you mean {', '.join(labels)}?" if labels else ""
    raise UnknownEntityError(f"no entity named {name!r} in {where}{hint}", labels)


def _summary(node: str, data: dict[str, Any]) -> EntitySummary:
    return EntitySummary(
        id=str(node),
        label=str(data.get("label", node)),
        type=str(data.get("type", "")),
        mentions=int(data.get("mentions", 0)),
        documents=int(data.get("documents", 0)),
        degree=_optional(data, "degree", int),
        pagerank=_optional(data, "pagerank", float),
        betweenness=_optional(data, "betweenness", float),
        community=_optional(data, "community", int),
        aliases=_aliases(data),
    )


def _link(graph: nx.Graph, u: str, v: str) -> Link:
    data = graph.edges[u, v]
    a, b = sorted((_label(graph, u), _label(graph, v)))
    return Link(
        source=a,
        target=b,
        weight=float(data.get("weight", 1.0)),
        documents=int(data.get("documents", 0)),
        sources=_optional(data, "sources", int),
        npmi=_optional(data, "npmi", float),
        evidence=_first_evidence(data.get("evidence")),
        relations=_relations(graph, data.get("relations"), a, b),
        phrase=_top_phrase(data.get("phrases")),
    )


def _relations(graph: nx.Graph, value: Any, a: str, b: str) -> tuple[RelationCount, ...]:
    """The `role:Source>Target count` lines of a GraphML relations string (the ends are
    the link's two labels, which may themselves hold ">"), or the edge builder's own."""
    if isinstance(value, (tuple, list)):
        return tuple(RelationCount(r.role, _label(graph, r.source), _label(graph, r.target), r.count) for r in value)
    found = []
    for line in str(value or "").split("\n"):
        role, _, rest = line.partition(":")
        ends, _, count = rest.rpartition(" ")
        if not role or not count.isdigit():
            continue
        if ends == f"{a}>{b}":
            source, target = a, b
        elif ends == f"{b}>{a}":
            source, target = b, a
        else:
            source, _, target = ends.partition(">")
        found.append(RelationCount(role, source, target, int(count)))
    return tuple(found)


def _top_phrase(value: Any) -> str | None:
    """The first phrase of a GraphML `phrase count; ...` string, or of the edge builder's own."""
    if isinstance(value, (tuple, list)):
        return value[0].phrase if value else None
    text = str(value or "")
    return text.split("; ", 1)[0].rsplit(" ", 1)[0] if text else None


def _first_evidence(value: Any) -> Evidence | None:
    """The first `[doc_id] sentence` line of a GraphML evidence string."""
    if not value:
        return None
    first = str(value).split("\n", 1)[0]
    match = re.match(r"\[(.*?)\] (.*)", first, re.S)
    return Evidence(match.group(1), match.group(2)) if match else Evidence("", first)


def _aliases(data: dict[str, Any]) -> tuple[str, ...]:
    value = data.get("aliases", ())
    if isinstance(value, str):
        return tuple(a for a in value.split(" | ") if a)
    return tuple(str(a) for a in value)


def _names(data: dict[str, Any]) -> list[str]:
    return [str(data.get("label", "")), *_aliases(data)]


def _label(graph: nx.Graph, node: str) -> str:
    return str(graph.nodes[node].get("label", node))


def _rank(summary: EntitySummary, ranked_by: str) -> tuple[float, int, str]:
    score = summary.pagerank if ranked_by == "pagerank" and summary.pagerank is not None else float(summary.mentions)
    return (-score, -summary.mentions, summary.label)


def _optional(data: dict[str, Any], key: str, kind: type) -> Any:
    value = data.get(key)
    return None if value is None or value == "" else kind(value)


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()

"""Edge builder: one undirected networkx graph of entities linked by shared statements.

Input: the corpus' `Extraction`s, their `Resolution` and, in the same order, each
document's `DocumentInfo` (near-duplicate group, date). Output: an `nx.Graph` whose nodes
are entity ids with attributes `label`, `type`, `mentions`, `documents`, `sources`,
`aliases`, `merges`, `color`, `community`, the centralities set by `graph.analytics`
(`degree`, `weighted_degree`, `pagerank`, `betweenness`) and, when a document naming
them is dated, `first_seen`/`last_seen`; whose edges carry `weight` (statements naming
both, float), `documents` (distinct documents), `sources` (distinct near-duplicate groups
among those documents: copies of one story count once), `npmi` (how much more often the
two share a statement than chance would have them, -1 to 1), `first_seen`/`last_seen`
likewise, `evidence` (up to K example `Evidence` sentences), `relations` (the roles of
the scheme its statements show, each with its direction and count, as `LinkRelation`s,
most frequent first) and `phrases` (the PHRASES_KEPT most frequent linking phrases,
likewise, each with the first sentence that says it); and graph attributes `documents`,
`statements` (N below) and `window`. `countries` (graph.relations.countries_of) names
the place entity a nationality adjective points to.

A statement is a sentence, or with window "paragraph" a paragraph (its sentences' names
together); two entities in one statement are linked once for it; there are no
self-loops. npmi = log(p(x,y) / (p(x) p(y))) / -log(p(x,y)), where p(x) is the share of
the N statements naming at least one kept entity that name x, and p(x,y) the share naming
both; it is 1 for two entities named in every statement. Edge filters (minimum weight,
documents, npmi) drop edges after these are computed, before communities and
centralities; every entity keeps its node.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import combinations, groupby

import networkx as nx

from graph.analytics import add_centralities, add_communities
from graph.model import (
    TYPE_COLORS,
    DocumentInfo,
    Evidence,
    Extraction,
    LinkRelation,
    Resolution,
    Statement,
    parse_choices,
)
from graph.relations import entity_relations
from graph.timing import Stopwatch

WINDOWS = ("sentence", "paragraph")
# Phrases kept per edge: the few that say what the link is, not every wording of it.
PHRASES_KEPT = 10
# npmi is rounded so that the same counts give the same bytes on every platform.
NPMI_DIGITS = 4


def build_graph(
    extractions: Iterable[Extraction],
    resolution: Resolution,
    *,
    evidence: int = 3,
    documents: Sequence[DocumentInfo] | None = None,
    window: str = "sentence",
    min_weight: float = 0,
    min_documents: int = 0,
    min_npmi: float = -1.0,
    countries: Mapping[str, str] | None = None,
    stopwatch: Stopwatch | None = None,
) -> nx.Graph:
    """Build the co-occurrence graph; nodes and edges are added in sorted order.

    `extractions` is read once, one at a time: a statement's text is kept only while it
    is one of an edge's examples. `documents` holds one `DocumentInfo` per extraction, in
    the same order; without it every document is its own source and undated.
    `stopwatch` is told the time of stages "edges", "communities" and "centralities".
    """
    window = parse_window(window)
    stopwatch = stopwatch or Stopwatch()
    with stopwatch.stage("edges"):
        graph = _co_occurrences(
            extractions, resolution, evidence, documents, window, min_weight, min_documents, min_npmi, countries or {}
        )
    with stopwatch.stage("communities"):
        add_communities(graph)
    with stopwatch.stage("centralities"):
        add_centralities(graph)
    return graph


def _co_occurrences(
    extractions: Iterable[Extraction],
    resolution: Resolution,
    evidence: int,
    documents: Sequence[DocumentInfo] | None,
    window: str,
    min_weight: float,
    min_documents: int,
    min_npmi: float,
    countries: Mapping[str, str],
) -> nx.Graph:
    """The graph's nodes and edges with their counts, before communities and centralities."""
    mentions: Counter[str] = Counter()
    nodes: dict[str, _Tally] = {}
    pairs: dict[tuple[str, str], _Tally] = {}
    # Pair -> (role, phrase, source, target) -> [statements, the first of them].
    linked: dict[tuple[str, str], dict[tuple[str, str, str, str], list]] = {}
    links = resolution.links

    count = units = 0
    for position, extraction in enumerate(extractions):
        count += 1
        if documents is None:
            info = DocumentInfo(extraction.doc_id, position)
        else:
            info = documents[position]
        doc_id = extraction.doc_id
        for statements in _units(extraction.statements, window):
            # Entity -> the statements of this unit naming it (one, in sentence mode).
            named: dict[str, list[Statement]] = {}
            for statement in statements:
                for mention in statement.mentions:
                    entity_id = links.get((doc_id, mention.start, mention.end))
                    if entity_id is None:
                        continue
                    mentions[entity_id] += 1
                    naming = named.setdefault(entity_id, [])
                    if not naming or naming[-1] is not statement:
                        naming.append(statement)
                if statement.relations:
                    _add_relations(linked, doc_id, statement, resolution, countries)
            if not named:
                continue
            units += 1
            for entity_id in named:
                tally = nodes.get(entity_id)
                if tally is None:
                    tally = nodes[entity_id] = _Tally()
                tally.add(doc_id, info)
            for pair in combinations(sorted(named), 2):
                tally = pairs.get(pair)
                if tally is None:
                    tally = pairs[pair] = _Tally()
                tally.add(doc_id, info)
                kept = tally.examples
                if len(kept) < evidence:
                    example = _example(doc_id, named[pair[0]], named[pair[1]])
                    # Syndicated copies repeat sentences word for word; one copy is evidence enough.
                    if all(e.text != example.text for e in kept):
                        kept.append(example)

    graph = nx.Graph()
    graph.graph["documents"] = count
    graph.graph["statements"] = units
    graph.graph["window"] = window
    for entity_id in sorted(mentions):
        entity = resolution.entities[entity_id]
        tally = nodes[entity_id]
        graph.add_node(
            entity_id,
            label=entity.name,
            type=entity.type,
            mentions=mentions[entity_id],
            documents=tally.documents,
            sources=len(tally.groups),
            aliases=entity.aliases,
            merges=entity.merges,
            color=TYPE_COLORS[entity.type],
            **tally.seen(),
        )
    for pair in sorted(pairs):
        tally = pairs[pair]
        score = npmi(tally.weight, nodes[pair[0]].weight, nodes[pair[1]].weight, units)
        if tally.weight < min_weight or tally.documents < min_documents or score < min_npmi:
            continue
        graph.add_edge(
            *pair,
            weight=float(tally.weight),
            documents=tally.documents,
            sources=len(tally.groups),
            npmi=score,
            **tally.seen(),
            evidence=tuple(tally.examples),
            **_link_relations(linked.get(pair, {})),
        )
    return graph


def _add_relations(
    linked: dict[tuple[str, str], dict[tuple[str, str, str, str], list]],
    doc_id: str,
    statement: Statement,
    resolution: Resolution,
    countries: Mapping[str, str],
) -> None:
    """Count the statement's relations on their pairs, a role and a phrase apart, each
    once per statement."""
    keys = {
        key
        for r in entity_relations(doc_id, statement, resolution, countries)
        for key in ((r.role, "", r.source, r.target), ("", r.phrase, r.source, r.target))
        if key[0] or key[1]
    }
    for key in sorted(keys):
        counts = linked.setdefault((min(key[2], key[3]), max(key[2], key[3])), {})
        seen = counts.get(key)
        if seen is None:
            counts[key] = [1, Evidence(doc_id, statement.start, statement.end, statement.text)]
        else:
            seen[0] += 1


def _link_relations(counts: dict[tuple[str, str, str, str], list]) -> dict[str, tuple[LinkRelation, ...]]:
    """An edge's `relations` (roles) and `phrases`, most frequent first, ties by name."""
    found = sorted(
        (LinkRelation(role, phrase, source, target, n, example) for (role, phrase, source, target), (n, example) in counts.items()),
        key=lambda r: (-r.count, r.role, r.phrase, r.source, r.target),
    )
    return {
        "relations": tuple(r for r in found if r.role),
        "phrases": tuple(r for r in found if r.phrase)[:PHRASES_KEPT],
    }


class _Tally:
    """What the statements naming one entity, or one pair, add up to: how many, in how
    many documents and sources, over which dates, and the pair's example sentences.
    Documents come one at a time, so counting them needs only the last one seen."""

    __slots__ = ("weight", "documents", "last_doc", "groups", "first", "last", "examples")

    def __init__(self) -> None:
        self.weight = self.documents = 0
        self.last_doc: str | None = None
        self.groups: set[int] = set()
        self.first: str | None = None
        self.last: str | None = None
        self.examples: list[Evidence] = []

    def add(self, doc_id: str, info: DocumentInfo) -> None:
        self.weight += 1
        if doc_id == self.last_doc:
            return
        self.last_doc = doc_id
        self.documents += 1
        self.groups.add(info.group)
        date = info.date
        if date is not None:
            if self.first is None or date < self.first:
                self.first = date
            if self.last is None or date > self.last:
                self.last = date

    def seen(self) -> dict[str, str]:
        if self.first is None or self.last is None:
            return {}
        return {"first_seen": self.first, "last_seen": self.last}


def parse_window(spec: str) -> str:
    """"sentence" or "paragraph" (any case); anything else raises EntigraphError."""
    return parse_choices(spec, WINDOWS, "window")[0]


def npmi(both: int, first: int, second: int, total: int) -> float:
    """Normalised pointwise mutual information of two entities named together in `both`
    of `total` statements, each alone in `first` and `second` of them (both included),
    rounded to NPMI_DIGITS: -1 never together, 0 as often as chance, 1 always together."""
    if both <= 0:
        return -1.0
    if both >= total:
        return 1.0
    joint = both / total
    value = math.log(joint / ((first / total) * (second / total))) / -math.log(joint)
    # + 0.0 turns -0.0 into 0.0, which writes the same bytes.
    return round(min(1.0, max(-1.0, value)), NPMI_DIGITS) + 0.0


def _units(statements: Sequence[Statement], window: str) -> Iterator[Sequence[Statement]]:
    """The statements of a document grouped as the window counts them."""
    if window == "sentence":
        for statement in statements:
            yield (statement,)
    else:
        for _, group in groupby(statements, key=lambda s: s.paragraph):
            yield tuple(group)


def _example(doc_id: str, first: list[Statement], second: list[Statement]) -> Evidence:
    """The statement naming both, or in a paragraph the sentences naming either, joined."""
    sentences = sorted({id(s): s for s in first + second}.values(), key=lambda s: s.start)
    text = " ".join(s.text for s in sentences)
    return Evidence(doc_id, sentences[0].start, sentences[-1].end, text)


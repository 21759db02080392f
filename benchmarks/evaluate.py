"""Evaluation harness: score the real pipeline against a gold-annotated JSONL corpus.

Input: a gold file in the format of data/eval/FORMAT.md (one document a line,
with gold sentences, entity spans, labels and coreference clusters). The documents are
run through the same code path as `entigraph build` on a JSONL input, and, in the same
run, through the plain pipeline (spaCy entities taken as they come, one node per distinct
string), so every change is measured against the naive graph.

Output: one table on stdout, ours against plain:
- recognition: precision/recall/F1 of exact (doc, start, end, type) spans, per type and
  over all three types (micro-averaged); a kept mention has the type of its node, as the
  graph shows it, and a dropped one (junk, excluded) is not predicted;
- resolution: B-cubed precision/recall/F1 over the mentions whose span matches a gold
  span exactly (the predicted cluster is the node, the gold cluster the entity), within
  each document and, with corpus-wide keys, over the whole corpus: there a node joining
  two entities of different documents costs precision, an entity split over several
  nodes across documents costs recall;
- graph: each node is mapped to the gold entity most of its matched mentions belong to;
  edge P/R/F1 compares node pairs named in one predicted sentence with gold entity pairs
  named in one gold sentence; node precision is the share of nodes that map to a gold
  entity; fragmentation is the mean number of nodes a gold entity's mentions fall into;
- typed relations, when the gold has `relations` (Re-DocRED): per role, precision and
  recall against the Wikidata properties each role answers, beside a baseline
  (benchmarks/evaluate_relations.py).

With `--per-doc` (the default; GUM's cluster keys are per document) gold clusters and
nodes are both scoped to their document, so the corpus-wide merging of nodes is neither
rewarded nor punished by keys that cannot see it. `--corpus` takes cluster keys as
corpus-wide (e.g. Wikipedia titles) and scores the graph of the whole corpus.

Run from the repository root: `.venv/bin/python -m benchmarks.evaluate [GOLD.jsonl]`.
"""

from __future__ import annotations

import argparse
from bisect import bisect_left
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

if __package__ in (None, ""):
    # Run as a script (`python benchmarks/evaluate.py`): make the repository importable.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.errors import EntigraphError, InputError  # noqa: E402
from graph.model import ENTITY_TYPES, LABEL_TYPES, Extraction, Resolution  # noqa: E402
from graph.names import NameWords, normalize, strip_title  # noqa: E402
from graph.documents import ReadReport, read_documents  # noqa: E402
from graph.engines.work import ExtractSettings, extract_with  # noqa: E402
from graph.pipeline import BuildOptions, record  # noqa: E402
from graph.store.graphs import countries_of, resolution_of  # noqa: E402
from graph.recognize import load_model  # noqa: E402
from graph.relations import read_demonyms  # noqa: E402

from benchmarks.evaluate_relations import render_relations, score_relations  # noqa: E402

DEFAULT_GOLD = Path(__file__).resolve().parent.parent / "data" / "eval" / "gum_news.jsonl"
TYPES = tuple(ENTITY_TYPES)


@dataclass(frozen=True)
class Span:
    """One mention as scored: where it is, its type and the cluster (node or entity) it is in."""

    doc_id: str
    start: int
    end: int
    type: str
    cluster: Hashable


@dataclass(frozen=True)
class Annotated:
    """A corpus as scored: mentions, and the sentences that define co-occurrence."""

    spans: tuple[Span, ...]
    # Each sentence as the spans it holds (indices into `spans`).
    sentences: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class Scores:
    """Every figure of one system, keyed by row label, as (P, R, F1) or a single value."""

    rows: dict[str, tuple[float, ...]]
    mentions: int
    nodes: int


def prf(correct: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def read_gold(path: Path, per_doc: bool, untitled: NameWords | None = None) -> tuple[list[dict], Annotated]:
    """The gold rows (for their texts) and the gold annotation; with `untitled`, the gold
    people's spans without the titles those words strip (a gold set whose spans keep them,
    HIPE's "M. Chéron", scored as entigraph writes names; a span of titles only is left out)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise InputError(f"{path}: cannot read gold file ({err.strerror or err})") from err
    rows: list[dict] = []
    spans: list[Span] = []
    sentences: list[tuple[int, ...]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            doc_id, text = str(row["id"]), row["text"]
            entities = row["entities"]
            sentence_spans = row["sentences"]
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise InputError(f"{path}:{number}: not a gold row ({err})") from err
        rows.append(row)
        first = len(spans)
        for entity in entities:
            if text[entity["start"] : entity["end"]] != entity["text"]:
                raise InputError(f"{path}:{number}: entity {entity['text']!r} does not match its offsets")
            cluster = str(entity["cluster"])
            key = (doc_id, cluster) if per_doc else cluster
            bounds: tuple[int, int] | None = (entity["start"], entity["end"])
            if untitled is not None and entity["label"] == "PERSON":
                bounds = strip_title(text, entity["start"], entity["end"], untitled)
            if bounds is not None:
                spans.append(Span(doc_id, *bounds, entity["label"], key))
        # Entities by start, so each sentence finds its own by bisection.
        order = sorted(range(first, len(spans)), key=lambda i: spans[i].start)
        starts = [spans[i].start for i in order]
        for start, end in sentence_spans:
            inside = order[bisect_left(starts, start) : bisect_left(starts, end)]
            sentences.append(tuple(sorted(i for i in inside if spans[i].end <= end)))
    return rows, Annotated(tuple(spans), tuple(sentences))


def from_pipeline(extractions: Sequence[Extraction], resolution: Resolution, per_doc: bool) -> Annotated:
    """Our mentions: the kept ones, typed and grouped as the graph's nodes are."""
    spans: list[Span] = []
    sentences: list[tuple[int, ...]] = []
    for extraction in extractions:
        for statement in extraction.statements:
            first = len(spans)
            for mention in statement.mentions:
                entity = resolution.entity_of(extraction.doc_id, mention)
                if entity is None:
                    continue
                key = (extraction.doc_id, entity.id) if per_doc else entity.id
                spans.append(Span(extraction.doc_id, mention.start, mention.end, entity.type, key))
            sentences.append(tuple(range(first, len(spans))))
    return Annotated(tuple(spans), tuple(sentences))


def plain_pipeline(nlp, rows: Sequence[dict], per_doc: bool) -> Annotated:
    """spaCy's entities as they come: raw spans, one node per distinct string."""
    label_to_type = LABEL_TYPES
    found: list[tuple[str, int, int, str, str, int]] = []
    sentence_count = 0
    for doc, doc_id in nlp.pipe(((row["text"], str(row["id"])) for row in rows), as_tuples=True):
        for sent in doc.sents:
            for ent in sent.ents:
                if ent.label_ in label_to_type:
                    found.append(
                        (doc_id, ent.start_char, ent.end_char, label_to_type[ent.label_], normalize(ent.text), sentence_count)
                    )
            sentence_count += 1
    # A string typed differently in different places is still one node: its majority type.
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for _, _, _, entity_type, name, _ in found:
        votes[name][entity_type] += 1
    node_type = {name: max(sorted(v), key=lambda t: v[t]) for name, v in votes.items()}
    spans: list[Span] = []
    by_sentence: list[list[int]] = [[] for _ in range(sentence_count)]
    for doc_id, start, end, _, name, sentence in found:
        key = (doc_id, name) if per_doc else name
        by_sentence[sentence].append(len(spans))
        spans.append(Span(doc_id, start, end, node_type[name], key))
    return Annotated(tuple(spans), tuple(tuple(s) for s in by_sentence))


def score(predicted: Annotated, gold: Annotated, *, corpus: bool = False) -> Scores:
    """Every figure of `predicted` against `gold`; `corpus`: the cluster keys of both are
    corpus-wide, so resolution is also scored over the whole corpus."""
    rows: dict[str, tuple[float, ...]] = {}

    gold_typed = Counter((s.doc_id, s.start, s.end, s.type) for s in gold.spans)
    pred_typed = Counter((s.doc_id, s.start, s.end, s.type) for s in predicted.spans)
    for entity_type in (*TYPES, None):
        def keep(key: tuple) -> bool:
            return entity_type is None or key[3] == entity_type

        g = {k for k in gold_typed if keep(k)}
        p = [k for k, n in pred_typed.items() for _ in range(n) if keep(k)]
        rows[f"recognition {entity_type or 'overall'}"] = prf(sum(k in g for k in p), len(p), len(g))

    # Exact span match, type aside: a mistyped name is still grouped with its entity.
    gold_at: dict[tuple[str, int, int], Span] = {}
    for span in gold.spans:
        gold_at.setdefault((span.doc_id, span.start, span.end), span)
    pairs = [(p, gold_at[(p.doc_id, p.start, p.end)]) for p in predicted.spans if (p.doc_id, p.start, p.end) in gold_at]
    # Scoped to the document, a cluster cannot be wrongly merged or split across documents.
    rows["B-cubed per document"] = b_cubed([((p.doc_id, p.cluster), (g.doc_id, g.cluster)) for p, g in pairs])
    if corpus:
        rows["B-cubed corpus-wide"] = b_cubed([(p.cluster, g.cluster) for p, g in pairs])

    node_entity = node_entities(predicted, gold)
    nodes = {s.cluster for s in predicted.spans}
    rows["node precision"] = (len(node_entity) / len(nodes) if nodes else 0.0,)
    split: dict[Hashable, set] = defaultdict(set)
    for p, g in pairs:
        split[g.cluster].add(p.cluster)
    rows["fragmentation"] = (sum(map(len, split.values())) / len(split) if split else 0.0,)

    gold_edges = edges(gold)
    pred_edges = edges(predicted)
    mapped = [pair_key(node_entity.get(a), node_entity.get(b)) for a, b in pred_edges]
    correct = sum(1 for m in mapped if m in gold_edges)
    found = {m for m in mapped if m in gold_edges}
    precision = correct / len(pred_edges) if pred_edges else 0.0
    recall = len(found) / len(gold_edges) if gold_edges else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    rows["graph edges"] = (precision, recall, f1)
    return Scores(rows, len(predicted.spans), len(nodes))


def node_entities(predicted: Annotated, gold: Annotated) -> dict[Hashable, Hashable]:
    """Each node (predicted cluster) -> the gold entity holding most of its mentions whose
    span matches a gold span exactly."""
    gold_at: dict[tuple[str, int, int], Span] = {}
    for span in gold.spans:
        gold_at.setdefault((span.doc_id, span.start, span.end), span)
    node_votes: dict[Hashable, Counter] = defaultdict(Counter)
    for p in predicted.spans:
        g = gold_at.get((p.doc_id, p.start, p.end))
        if g is not None:
            node_votes[p.cluster][g.cluster] += 1
    return {
        node: min(votes.items(), key=lambda item: (-item[1], str(item[0])))[0] for node, votes in node_votes.items()
    }


def pair_key(a: Hashable | None, b: Hashable | None) -> tuple | None:
    if a is None or b is None or a == b:
        return None
    return tuple(sorted((a, b), key=str))


def edges(annotated: Annotated) -> set[tuple]:
    """Distinct unordered pairs of clusters named together in one sentence."""
    found: set[tuple] = set()
    for sentence in annotated.sentences:
        clusters = sorted({annotated.spans[i].cluster for i in sentence}, key=str)
        found.update(combinations(clusters, 2))
    return found


def b_cubed(pairs: Iterable[tuple[Hashable, Hashable]]) -> tuple[float, float, float]:
    """B-cubed over (predicted cluster, gold cluster) pairs, one pair per mention."""
    pairs = list(pairs)
    if not pairs:
        return 0.0, 0.0, 0.0
    both = Counter(pairs)
    predicted = Counter(p for p, _ in pairs)
    gold = Counter(g for _, g in pairs)
    # Each mention scores |its predicted cluster ∩ its gold cluster| over either's size;
    # all mentions sharing a (predicted, gold) pair score alike, hence the weights.
    precision = sum(n * n / predicted[p] for (p, _), n in both.items()) / len(pairs)
    recall = sum(n * n / gold[g] for (_, g), n in both.items()) / len(pairs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def render(ours: Scores, plain: Scores, title: str, per_doc: bool) -> str:
    header = f"{'':24} {'ours P':>7} {'R':>6} {'F1':>6}   {'plain P':>7} {'R':>6} {'F1':>6}"
    lines = [title, header, "-" * len(header)]
    for label, values in ours.rows.items():
        other = plain.rows[label]
        if len(values) == 3:
            lines.append(f"{label:24} {values[0]:7.3f} {values[1]:6.3f} {values[2]:6.3f}   "
                         f"{other[0]:7.3f} {other[1]:6.3f} {other[2]:6.3f}")
        else:
            lines.append(f"{label:24} {values[0]:21.3f}   {other[0]:21.3f}")
    scope = " (each document's nodes counted apart)" if per_doc else ""
    lines.append(
        f"ours: {ours.mentions} mentions in {ours.nodes} nodes; "
        f"plain: {plain.mentions} mentions in {plain.nodes} nodes{scope}"
    )
    return "\n".join(lines)


@dataclass(frozen=True)
class Ours:
    """What `entigraph build` made of the gold texts: their extractions, the resolution and
    the place entity of each country named."""

    extractions: list[Extraction]
    resolution: Resolution
    countries: dict[str, str]


def run_ours(gold_path: Path, nlp, aliases: Path | None, exclude: Path | None) -> Ours:
    """The `entigraph build` code path on a JSONL input (extraction, then the store's
    resolution and links), minus writing the outputs."""
    documents = list(read_documents([gold_path], ReadReport()))
    extractions = [e for start in range(0, len(documents), 64)
                   for e in extract_with(nlp, documents[start : start + 64], ExtractSettings())]  # fmt: skip
    # The pipeline's language reads the names, as `entigraph build` does (graph.lang).
    store = record(extractions, BuildOptions(aliases=aliases, exclude=exclude), languages=(nlp.lang,))
    return Ours(extractions, resolution_of(store), countries_of(store))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD, help="gold JSONL file")
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--per-doc", dest="per_doc", action="store_true", default=True,
                       help="cluster keys are per document (default; GUM)")
    scope.add_argument("--corpus", dest="per_doc", action="store_false",
                       help="cluster keys are corpus-wide: score the whole corpus graph")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: the installed one)")
    parser.add_argument("--aliases", type=Path, default=None, help="aliases file for our resolver")
    parser.add_argument("--exclude", type=Path, default=None, help="names our resolver never keeps")
    parser.add_argument("--titles-off", action="store_true",
                        help="take the titles off the gold people's spans, as entigraph's names leave them out")
    args = parser.parse_args(argv)

    try:
        nlp = load_model(args.model)
        rows, gold = read_gold(args.gold, args.per_doc, NameWords.of((nlp.lang,)) if args.titles_off else None)
        analysis = run_ours(args.gold, nlp, args.aliases, args.exclude)
        corpus = not args.per_doc
        predicted = from_pipeline(analysis.extractions, analysis.resolution, args.per_doc)
        ours = score(predicted, gold, corpus=corpus)
        plain = score(plain_pipeline(nlp, rows, args.per_doc), gold, corpus=corpus)
        related = None
        if any(row.get("relations") for row in rows):
            related = score_relations(
                rows, analysis.extractions, analysis.resolution, analysis.countries, read_demonyms(),
                node_entities(predicted, gold), args.per_doc,
            )
    except EntigraphError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    keys = "per-document" if args.per_doc else "corpus-wide"
    title = f"{args.gold.name}: {len(rows)} documents, {len(gold.spans)} gold mentions, {keys} cluster keys"
    if args.titles_off:
        title += ", titles taken off the gold people"
    print(render(ours, plain, title, args.per_doc))
    if related is not None:
        print()
        print(render_relations(related))
    return 0


if __name__ == "__main__":
    sys.exit(main())

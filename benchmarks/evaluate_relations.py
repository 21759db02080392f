"""Relation scores: the typed relations of a build against a gold set's Wikidata relations.

Input: gold rows with `relations` ([head_cluster, tail_cluster, property, name], as in
data/eval/FORMAT.md), the gold spans, our extractions and resolution, and the map from our
nodes to gold entities that evaluate.score uses. Output: per role of the scheme and over
all, precision (predicted relations, one per document, role, source and target, whose two
ends map to gold entities the gold relates by a property of that role, in that direction)
and recall (gold relations of mapped properties found), ours beside a baseline that gives
every pair of entities named in one statement the most common role of its type pair.

PROPERTIES says which Wikidata properties each role answers, and in which direction: head
of government (P6), head of state (P35) and chairperson (P488) point from the place or
organization to the person, so they are read backwards. P131 (located in the
administrative territorial entity) and P17 (country) answer `located_in` for a place and
`based_in` for an organization. A gold relation whose ends' types do not fit the role
(a country member of an organization, P463) is left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from graph.model import Extraction, Resolution
from graph.relations import SCHEME, Demonyms, entity_relations

# Property -> (role, whether the gold's head is our target).
PROPERTIES: dict[str, tuple[str, bool]] = {
    "P6": ("head_of", True), "P35": ("head_of", True), "P488": ("head_of", True),
    "P463": ("member_of", False), "P102": ("member_of", False), "P54": ("member_of", False),
    "P108": ("member_of", False), "P27": ("citizen_of", False), "P159": ("based_in", False),
    "P361": ("part_of", False), "P749": ("part_of", False),
}  # fmt: skip
# Properties whose role depends on the head's type.
BY_HEAD_TYPE: dict[str, dict[str, str]] = {
    "P131": {"PLACE": "located_in", "ORG": "based_in"},
    "P17": {"PLACE": "located_in", "ORG": "based_in"},
}
Key = tuple[str, str, Hashable, Hashable]
"""(doc_id, role, source gold cluster, target gold cluster)."""


@dataclass(frozen=True)
class RelationScores:
    """(precision, recall, predicted, correct) per role and "overall", ours and baseline."""

    ours: dict[str, tuple[float, float, int, int]]
    baseline: dict[str, tuple[float, float, int, int]]
    gold: Counter[str]


def gold_relations(rows: Sequence[dict], per_doc: bool) -> tuple[set[Key], dict[Hashable, str]]:
    """The gold relations of mapped properties whose ends fit the role, and every gold
    cluster's type."""
    types: dict[Hashable, str] = {}
    found: set[Key] = set()
    for row in rows:
        doc_id = str(row["id"])

        def key(cluster: object) -> Hashable:
            return (doc_id, str(cluster)) if per_doc else str(cluster)

        for entity in row["entities"]:
            types.setdefault(key(entity["cluster"]), entity["label"])
        for head, tail, prop, *_ in row.get("relations", ()):
            head_type, tail_type = types.get(key(head)), types.get(key(tail))
            if prop in BY_HEAD_TYPE:
                role, backwards = BY_HEAD_TYPE[prop].get(head_type or ""), False
            else:
                role, backwards = PROPERTIES.get(prop, (None, False))
            if role is None:
                continue
            source, target = (tail, head) if backwards else (head, tail)
            source_type, target_type = (tail_type, head_type) if backwards else (head_type, tail_type)
            if source_type == SCHEME[role][0] and target_type in SCHEME[role][1]:
                found.add((doc_id, role, key(source), key(target)))
    return found, types


def score_relations(
    rows: Sequence[dict],
    extractions: Iterable[Extraction],
    resolution: Resolution,
    countries: Mapping[str, str],
    demonyms: Demonyms,
    node_entity: Mapping[Hashable, Hashable],
    per_doc: bool,
) -> RelationScores:
    gold, gold_types = gold_relations(rows, per_doc)
    by_text = _gold_by_text(rows, per_doc, demonyms)

    def mapped(doc_id: str, entity_id: str) -> Hashable | None:
        node = (doc_id, entity_id) if per_doc else entity_id
        found = node_entity.get(node)
        if found is None:
            # A country named only by its adjective has no mention of its own here: the
            # gold cluster holding one of its names or adjectives is the one meant.
            entity = resolution.entities[entity_id]
            names = (entity.name, *entity.aliases)
            found = next((by_text[doc_id, n] for n in names if (doc_id, n) in by_text), None)
        return found

    predicted: dict[tuple[str, str, str, str], Key | None] = {}
    pairs: dict[tuple[str, str, str], None] = {}
    for extraction in extractions:
        doc_id = extraction.doc_id
        for statement in extraction.statements:
            kept = sorted({e for m in statement.mentions if (e := resolution.links.get((doc_id, m.start, m.end)))})
            for i, a in enumerate(kept):
                for b in kept[i + 1 :]:
                    pairs[doc_id, a, b] = None
            for relation in entity_relations(doc_id, statement, resolution, countries):
                if relation.role:
                    key = (doc_id, relation.role, relation.source, relation.target)
                    source, target = mapped(doc_id, relation.source), mapped(doc_id, relation.target)
                    predicted[key] = None if source is None or target is None else (doc_id, relation.role, source, target)

    # The baseline: each co-occurring pair gets the commonest gold role of its types, in
    # the direction the gold mostly has for them.
    commonest: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for _, role, source, target in gold:
        commonest[gold_types[source], gold_types[target]][role] += 1
    guessed: dict[tuple[str, str, str, str], Key | None] = {}
    for doc_id, a, b in pairs:
        type_a, type_b = resolution.entities[a].type, resolution.entities[b].type
        options = [(count, role, x, y) for x, y, tx, ty in ((a, b, type_a, type_b), (b, a, type_b, type_a))
                   for role, count in commonest.get((tx, ty), Counter()).most_common(1)]  # fmt: skip
        if not options:
            continue
        _, role, x, y = max(options, key=lambda option: option[0])
        source, target = mapped(doc_id, x), mapped(doc_id, y)
        guessed[doc_id, role, x, y] = None if source is None or target is None else (doc_id, role, source, target)
    return RelationScores(_prf(predicted, gold), _prf(guessed, gold), Counter(role for _, role, _, _ in gold))


def _prf(predicted: Mapping[tuple[str, str, str, str], Key | None], gold: set[Key]) -> dict[str, tuple[float, float, int, int]]:
    scores = {}
    for role in (*SCHEME, "overall"):
        ours = [m for (_, r, _, _), m in predicted.items() if role in (r, "overall")]
        wanted = {g for g in gold if role in (g[1], "overall")}
        correct = sum(1 for m in ours if m in wanted)
        found = {m for m in ours if m in wanted}
        scores[role] = (correct / len(ours) if ours else 0.0, len(found) / len(wanted) if wanted else 0.0, len(ours), correct)
    return scores


def _gold_by_text(rows: Sequence[dict], per_doc: bool, demonyms: Demonyms) -> dict[tuple[str, str], Hashable]:
    """(doc_id, name) -> the gold cluster of a mention spelled so, or of a nationality
    adjective of the country going by that name."""
    found: dict[tuple[str, str], Hashable] = {}
    for row in rows:
        doc_id = str(row["id"])
        for entity in row["entities"]:
            cluster = (doc_id, str(entity["cluster"])) if per_doc else str(entity["cluster"])
            text = entity["text"]
            found.setdefault((doc_id, text), cluster)
            country = next((table[text] for table in demonyms.adjectives.values() if text in table), None)
            if country is not None:
                for name in demonyms.spellings.get(country, (country,)):
                    found.setdefault((doc_id, name), cluster)
    return found


def render_relations(scores: RelationScores) -> str:
    header = f"{'relation':14} {'gold':>5}   {'ours P':>7} {'R':>6} {'n':>5}   {'base P':>7} {'R':>6} {'n':>6}"
    lines = ["typed relations (per document, role and direction)", header, "-" * len(header)]
    for role, (precision, recall, n, _) in scores.ours.items():
        bp, br, bn, _ = scores.baseline[role]
        gold = sum(scores.gold.values()) if role == "overall" else scores.gold[role]
        lines.append(f"{role:14} {gold:5d}   {precision:7.3f} {recall:6.3f} {n:5d}   {bp:7.3f} {br:6.3f} {bn:6d}")
    return "\n".join(lines)

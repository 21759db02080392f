"""FollowTheMoney exporter: the graph as FtM entities, for Aleph, OpenSanctions' tools and
anything else that reads FtM (`ftm`, `alephclient write-entities`).

Input: the store: entities with their aliases, kept links with their evidence, the links'
typed relations, the documents and the entities each names, and which place entities are
countries (the `countries` table, with data/tables/country_codes.csv for their codes).
Output: `entities.ftm.json`, one FtM entity per line (`{"id", "schema", "properties"}`):
- people -> `Person`, organizations -> `Organization`, places other than countries ->
  `Address` (`full`); a country is no entity but a code on the entities it concerns;
- `head_of` -> `Directorship` (of an organization), or `Occupancy` of a `Position` "Head
  of X" (of a place); `member_of` -> `Membership`; `part_of` -> `Membership` of one
  organization in the other (role "part of"); `citizen_of` a country -> the person's
  `nationality`; `based_in` -> the organization's `country`, or its `addressEntity`;
  `located_in` a country -> the address' `country`; a relation FtM has no schema for
  (citizen of a city, located in a place that is no country) -> `UnknownLink` with the
  relation as its role;
- each kept link -> `UnknownLink` (role "named together"), the evidence statements as its
  `description`, the counts in its `summary`, the dates as `startDate`/`endDate`;
- each document -> `Document` (`fileName` its doc_id, `date`, `country` the countries it
  names), linked to each entity it names by a `Documentation` (role "mentions").
What FtM cannot hold is left out (docs/outputs.md has the table): a link or a mention of
a country, the centralities, communities and merge lines, the relations' phrases.

Ids are stable across rebuilds: `eg-` and the SHA-1 of what the entity stands for (an
entity's id, a link's ends, a document's id), so a later export updates the same entities.
Lines come in a fixed order: same store, same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from graph.atomic import atomic_write
from graph.errors import EntigraphError
from graph.relations import tables_dir
from graph.store import Store

COUNTRY_CODES_FILE = "country_codes.csv"
SCHEMATA = {"PERSON": "Person", "ORG": "Organization", "PLACE": "Address"}
# The role an UnknownLink of a co-occurrence carries.
NAMED_TOGETHER = "named together"


def write_ftm(store: Store, path: Path) -> int:
    """Write the file atomically; return the number of entities (lines)."""
    lines = 0
    with atomic_write(path, newline="\n") as handle:
        for entity in ftm_entities(store):
            entity["properties"] = dict(sorted(entity["properties"].items()))
            handle.write(json.dumps(entity, ensure_ascii=False, separators=(",", ":")) + "\n")
            lines += 1
    return lines


def read_country_codes(path: Path | None = None) -> dict[str, str]:
    """The country code of each country the demonym table names (country_codes.csv)."""
    path = path or tables_dir() / COUNTRY_CODES_FILE
    try:
        rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    except OSError as err:
        raise EntigraphError(f"cannot read the country code table {path}: {err.strerror or err}") from err
    return {row["country"]: row["code"] for row in rows if row.get("country") and row.get("code")}


def ftm_id(*parts: str) -> str:
    """A stable FtM id for what `parts` name."""
    return "eg-" + hashlib.sha1("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def ftm_entities(store: Store) -> Iterator[dict]:
    """The FtM entities of the store, as dicts, in the file's order."""
    codes = read_country_codes()
    country: dict[int, str] = {}
    for name, entity in store.rows("SELECT country, entity FROM countries ORDER BY country"):
        if name in codes:
            country.setdefault(entity, codes[name])
    info = {e: (i, label, kind) for e, i, label, kind in store.rows("SELECT entity, id, label, type FROM entities")}
    extra: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    interests: list[dict] = []
    positions: dict[int, dict] = {}
    for role, start, end, count, text in store.rows(
        "SELECT r.role, r.from_entity, r.to_entity, r.statements, r.text FROM link_relations r "
        "JOIN links l USING (source, target) WHERE l.kept AND r.role != ''"
    ):
        if start in country or start not in info or end not in info:
            continue  # a country at the start: no entity to hold it
        a, b = ftm_id("entity", info[start][0]), ftm_id("entity", info[end][0])
        evidence = {"description": [text], "summary": [_statements(count)]}
        code = country.get(end)
        if role == "citizen_of" and code:
            extra[start]["nationality"].append(code)
        elif role == "based_in" and code:
            extra[start]["country"].append(code)
        elif role == "based_in" and info[end][2] == "PLACE":
            extra[start]["addressEntity"].append(b)
        elif role == "located_in" and code:
            extra[start]["country"].append(code)
        elif role == "head_of" and info[end][2] == "PLACE":
            post = ftm_id("position", info[end][0])
            positions[end] = {"id": post, "schema": "Position", "properties": {"name": [f"Head of {info[end][1]}"]}}
            if code:
                positions[end]["properties"]["country"] = [code]
            interests.append(_interest("Occupancy", ("occupancy", role, info[start][0], info[end][0]),
                                       holder=[a], post=[post], **evidence))  # fmt: skip
        elif role == "head_of" and info[end][2] == "ORG":
            interests.append(_interest("Directorship", ("relation", role, info[start][0], info[end][0]),
                                       director=[a], organization=[b], role=["head"], **evidence))  # fmt: skip
        elif role in ("member_of", "part_of") and info[end][2] == "ORG":
            interests.append(_interest("Membership", ("relation", role, info[start][0], info[end][0]), member=[a],
                                       organization=[b], role=[role.replace("_", " ")], **evidence))  # fmt: skip
        elif code is None:
            interests.append(_interest("UnknownLink", ("relation", role, info[start][0], info[end][0]), subject=[a],
                                       object=[b], role=[role.replace("_", " ")], **evidence))  # fmt: skip
    yield from _nodes(store, country, extra)
    yield from sorted(positions.values(), key=lambda p: p["id"])
    yield from sorted(interests, key=lambda i: i["id"])
    yield from _links(store, country)
    yield from _documents(store, country)


def _nodes(store: Store, country: dict[int, str], extra: dict[int, dict[str, list[str]]]) -> Iterator[dict]:
    aliases: dict[int, list[str]] = defaultdict(list)
    for entity, alias in store.rows("SELECT entity, alias FROM aliases ORDER BY entity, alias"):
        aliases[entity].append(alias)
    for entity, node, label, kind in store.rows("SELECT entity, id, label, type FROM entities ORDER BY id"):
        if entity in country or kind not in SCHEMATA:
            continue
        schema = SCHEMATA[kind]
        properties: dict[str, list[str]] = {"full" if schema == "Address" else "name": [label]}
        others = [a for a in aliases.get(entity, ()) if a != label]
        if others:
            properties["alias"] = others
        for name, values in sorted(extra.get(entity, {}).items()):
            properties[name] = sorted(set(values))
        yield {"id": ftm_id("entity", node), "schema": schema, "properties": properties}


def _links(store: Store, country: dict[int, str]) -> Iterator[dict]:
    """One UnknownLink per kept link between two entities FtM holds, by the ends' ids."""
    evidence: dict[tuple[int, int], list[str]] = defaultdict(list)
    for source, target, text in store.rows(
        "SELECT e.source, e.target, e.text FROM evidence e JOIN links l USING (source, target) WHERE l.kept "
        "ORDER BY e.source, e.target, e.rank"
    ):
        evidence[(source, target)].append(text)
    found = []
    for source, target, a, b, weight, documents, first, last in store.rows(
        "SELECT l.source, l.target, a.id, b.id, l.weight, l.documents, l.first_seen, l.last_seen FROM links l "
        "JOIN entities a ON a.entity = l.source JOIN entities b ON b.entity = l.target WHERE l.kept"
    ):
        if source in country or target in country:
            continue
        a, b = sorted((a, b))
        properties = {
            "subject": [ftm_id("entity", a)], "object": [ftm_id("entity", b)], "role": [NAMED_TOGETHER],
            "summary": [f"{_statements(weight)} in {documents} document{'s' if documents != 1 else ''}"],
        }  # fmt: skip
        if evidence.get((source, target)):
            properties["description"] = list(dict.fromkeys(evidence[(source, target)]))
        if first:
            properties["startDate"], properties["endDate"] = [first], [last]
        found.append({"id": ftm_id("link", a, b), "schema": "UnknownLink", "properties": properties})
    found.sort(key=lambda link: link["id"])
    yield from found


def _documents(store: Store, country: dict[int, str]) -> Iterator[dict]:
    """Each document, then the Documentation of each entity it names."""
    named: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for doc, entity, node, mentions in store.rows(
        "SELECT de.doc, de.entity, e.id, de.mentions FROM doc_entities de JOIN entities e USING (entity) "
        "ORDER BY de.doc, e.id"
    ):
        named[doc].append((entity, node, mentions))
    for doc, doc_id, date in store.rows("SELECT doc, doc_id, date FROM documents ORDER BY position, doc"):
        document = ftm_id("document", doc_id)
        properties: dict[str, list[str]] = {"fileName": [doc_id], "title": [doc_id]}
        if date:
            properties["date"] = [date]
        codes = sorted({country[entity] for entity, _, _ in named.get(doc, ()) if entity in country})
        if codes:
            properties["country"] = codes
        yield {"id": document, "schema": "Document", "properties": properties}
        for entity, node, mentions in named.get(doc, ()):
            if entity in country:
                continue
            yield {"id": ftm_id("documentation", doc_id, node), "schema": "Documentation", "properties": {
                "document": [document], "entity": [ftm_id("entity", node)], "role": ["mentions"],
                "summary": [f"{mentions} mention{'s' if mentions != 1 else ''}"],
            }}  # fmt: skip


def _interest(schema: str, key: tuple[str, ...], **properties: list[str]) -> dict:
    return {"id": ftm_id(*key), "schema": schema, "properties": properties}


def _statements(count: float) -> str:
    number = int(count) if float(count).is_integer() else count
    return f"{number} statement{'s' if number != 1 else ''}"

"""Aliases and exclude files: the user's say over which names mean one entity.

Input: a CSV or YAML file of canonical names and their aliases, or a text file of names
never to keep. Output: surface key -> `Alias`, or a set of keys. Bad files raise
`InputError` naming the file and the problem.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from graph.errors import InputError
from graph.model import ENTITY_TYPES
from graph.names import key, normalize


@dataclass(frozen=True)
class Alias:
    """One line of an aliases file: `name` is what the surface form becomes."""

    name: str
    type: str | None



def read_aliases(path: Path) -> dict[str, Alias]:
    """Surface key -> Alias, from CSV (`name,alias[,type]` rows) or YAML.

    YAML maps each canonical name to a list of aliases, or to `{aliases: [...], type: T}`.
    The canonical name is an alias of itself, so its type applies to it too.
    """
    text = _read(path, "aliases")
    rows: list[tuple[str, str, str | None]] = []
    if path.suffix.lower() in (".yaml", ".yml"):
        rows = _yaml_alias_rows(path, text)
    elif path.suffix.lower() == ".csv":
        rows = _csv_alias_rows(path, text)
    else:
        raise InputError(f"{path}: aliases file must be .csv, .yaml or .yml")
    names: dict[str, str] = {}  # surface key -> canonical name
    types: dict[str, str] = {}  # canonical name -> type
    for name, alias, entity_type in rows:
        name, alias = normalize(name), normalize(alias)
        if not name or not alias:
            raise InputError(f"{path}: empty name or alias in row {name!r}, {alias!r}")
        if entity_type is not None:
            if entity_type not in ENTITY_TYPES:
                raise InputError(
                    f"{path}: unknown type {entity_type!r} for {name!r}; use one of {', '.join(ENTITY_TYPES)}"
                )
            if types.setdefault(name, entity_type) != entity_type:
                raise InputError(f"{path}: {name!r} is given two types, {types[name]} and {entity_type}")
        for surface in (name, alias):
            if names.setdefault(key(surface), name) != name:
                raise InputError(
                    f"{path}: {surface!r} is given as an alias of both {names[key(surface)]!r} and {name!r}"
                )
    return {k: Alias(name, types.get(name)) for k, name in names.items()}


def _csv_alias_rows(path: Path, text: str) -> list[tuple[str, str, str | None]]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(lines)
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if "name" not in columns or "alias" not in columns:
        raise InputError(f"{path}: aliases CSV needs a header with columns name,alias[,type] (found {columns})")
    rows = []
    for row in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        entity_type = row.get("type", "").upper() or None
        rows.append((row["name"], row["alias"] or row["name"], entity_type))
    return rows


def _yaml_alias_rows(path: Path, text: str) -> list[tuple[str, str, str | None]]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise InputError(f"{path}: not valid YAML ({err})") from err
    if data is None:
        return []
    if not isinstance(data, dict):
        raise InputError(f"{path}: aliases YAML must map canonical names to their aliases")
    rows = []
    for name, value in data.items():
        entity_type = None
        if isinstance(value, dict):
            entity_type = value.get("type")
            value = value.get("aliases", [])
        if value is None:
            value = []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            raise InputError(f"{path}: aliases of {name!r} must be a list of names")
        if entity_type is not None and not isinstance(entity_type, str):
            raise InputError(f"{path}: type of {name!r} must be one of {', '.join(ENTITY_TYPES)}")
        entity_type = entity_type.upper() if entity_type else None
        rows.append((str(name), str(name), entity_type))
        rows.extend((str(name), str(v), entity_type) for v in value)
    return rows


def read_exclude(path: Path) -> set[str]:
    """Keys of names never to keep: one name a line, '#' starts a comment."""
    text = _read(path, "exclude")
    return {key(line.split("#", 1)[0]) for line in text.splitlines() if line.split("#", 1)[0].strip()}


def _read(path: Path, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as err:
        raise InputError(f"{path}: {what} file not found") from err
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: {what} file is not UTF-8 text") from err
    except OSError as err:
        raise InputError(f"{path}: cannot read {what} file ({err.strerror or err})") from err

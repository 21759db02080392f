"""Extraction cache: each document's extraction, kept in one SQLite file across runs.

Input: `Extraction`s as the extract stage computes them, keyed by the sha256 of the
document's text and `settings`, a fingerprint of everything that shapes extraction
(model name and version, statement splitter, entity types, chunk size, extractor
version, the demonym table). Output: a stored result by its key: a document whose text
and settings were seen before is not sent to spaCy again, whichever output directory it
is built into. (The store, graph.store, keeps what each document of one output holds;
this cache keeps what spaCy found, for any build.)

The file: stdlib sqlite3 in WAL mode, recognized by `PRAGMA application_id` and
`user_version`. Results are committed a batch at a time, so a run killed at any moment
leaves every committed batch for the next run. A file that is not ours (or is corrupt)
is moved aside to `<file>.bad` and a fresh cache is created in its place (written to a
temporary file and renamed), with one warning. `Cache(None, ...)` is a private temporary
database that SQLite deletes on close: the same code path, nothing kept (`--no-cache`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sqlite3
import struct
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from graph.errors import EntigraphError
from graph.model import Extraction, Mention, Paragraph, Relation, Statement

APPLICATION_ID = 0x45475243  # "EGRC": entigraph results cache
SCHEMA_VERSION = 1
CACHE_NAME = ".entigraph-cache.sqlite"
# Seconds a writer waits for another run holding the same file.
BUSY_TIMEOUT = 30
_SCHEMA = """
CREATE TABLE settings (key TEXT PRIMARY KEY, description TEXT NOT NULL);
CREATE TABLE results (
    text_sha256 BLOB NOT NULL,
    settings TEXT NOT NULL REFERENCES settings(key),
    record TEXT NOT NULL,
    PRIMARY KEY (text_sha256, settings)
) WITHOUT ROWID;
"""


Problem = Callable[[object, str], None]
"""Told (where, what) of a cache file that had to be replaced, like ReadReport.problem."""


class CacheError(EntigraphError):
    """The cache file cannot be used or replaced at all (an unwritable directory);
    `reason` is the system's word for why."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def text_key(text: str) -> bytes:
    """The content half of a result's key."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def settings_key(description: dict[str, Any]) -> str:
    """The settings half of a result's key: a digest of their canonical JSON."""
    canonical = json.dumps(description, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


class Cache:
    """Extraction results by (text, settings)."""

    def __init__(
        self,
        path: Path | None,
        settings: dict[str, Any],
        *,
        on_problem: Problem | None = None,
    ) -> None:
        self.path = path
        self.settings = settings_key(settings)
        self.connection = _open(path, on_problem)
        self.connection.execute(
            "INSERT OR IGNORE INTO settings VALUES (?, ?)",
            (self.settings, json.dumps(settings, sort_keys=True)),
        )
        self.connection.commit()

    def has(self, key: bytes) -> bool:
        row = self.connection.execute(
            "SELECT 1 FROM results WHERE text_sha256 = ? AND settings = ?", (key, self.settings)
        ).fetchone()
        return row is not None

    def get(self, key: bytes, doc_id: str) -> Extraction | None:
        """The stored result for a text, as the extraction of document `doc_id`."""
        row = self.connection.execute(
            "SELECT record FROM results WHERE text_sha256 = ? AND settings = ?", (key, self.settings)
        ).fetchone()
        return None if row is None else decode(doc_id, row[0])

    def put(self, results: Sequence[tuple[bytes, Extraction]]) -> None:
        """Store results and commit them: a run killed later keeps them."""
        self.connection.executemany(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
            ((key, self.settings, encode(e)) for key, e in results),
        )
        self.connection.commit()

    def close(self) -> None:
        self.connection.commit()
        self.connection.close()


def encode(extraction: Extraction) -> str:
    """An extraction as compact JSON, without its doc_id (the key is the text, which
    several documents may share); a mention's name and raw span are left out when they
    equal its text, as they mostly do; a statement's relations, when it has any, follow
    its paragraph as [source, target, role, phrase, country] rows, the country only where
    the target is one (target null). The signature, third in the record, is base64 of
    its values as little-endian 32-bit integers, so `signatures` can read it alone; the
    paragraphs naming two names, when there are any, come fourth as [number, start, text]."""
    statements = []
    for statement in extraction.statements:
        mentions = [
            [m.start, m.end, m.text, _unless(m.name, m.text), m.label, m.spacy_label,
             _unless(m.raw, m.text)]
            for m in statement.mentions
        ]
        row = [statement.start, statement.end, statement.text, mentions, statement.paragraph]
        if statement.relations:
            row.append([
                [r.source, r.target, r.role, r.phrase, *([r.country] if r.target is None else [])]
                for r in statement.relations
            ])
        statements.append(row)
    signature = base64.b64encode(struct.pack(f"<{len(extraction.signature)}I", *extraction.signature))
    paragraphs = [[p.number, p.start, p.text] for p in extraction.paragraphs]
    return json.dumps(
        [extraction.sentences, statements, signature.decode("ascii"), *([paragraphs] if paragraphs else [])],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode(doc_id: str, record: str) -> Extraction:
    sentences, statements, signature, *paragraphs = json.loads(record)
    return Extraction(
        doc_id,
        tuple(
            Statement(
                start,
                end,
                text,
                tuple(
                    Mention(ms, me, text_, text_ if name is None else name, label, spacy,
                            text_ if raw is None else raw)
                    for ms, me, text_, name, label, spacy, raw in mentions
                ),
                paragraph,
                tuple(
                    Relation(source, target, role, phrase, country[0] if country else "")
                    for source, target, role, phrase, *country in (relations[0] if relations else ())
                ),
            )
            for start, end, text, mentions, paragraph, *relations in statements
        ),
        sentences,
        decode_signature(signature),
        tuple(Paragraph(*p) for p in (paragraphs[0] if paragraphs else ())),
    )


def decode_signature(text: str) -> tuple[int, ...]:
    packed = base64.b64decode(text)
    return struct.unpack(f"<{len(packed) // 4}I", packed)


def _unless(value: str, same: str) -> str | None:
    return None if value == same else value


def _open(path: Path | None, on_problem: Problem | None) -> sqlite3.Connection:
    if path is None:
        # "" is a temporary on-disk database SQLite deletes when the connection closes.
        connection = sqlite3.connect("")
        connection.executescript(_SCHEMA)
        return connection
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        _create(path)
    else:
        problem = _not_ours(path)
        if problem is not None:
            if on_problem is not None:
                on_problem(path, f"not an entigraph cache ({problem}); starting a fresh one")
            try:
                os.replace(path, path.with_name(path.name + ".bad"))
            except OSError as err:
                reason = err.strerror or str(err)
                raise CacheError(f"cannot move aside {path}: {reason}", reason) from err
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            _create(path)
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT)
        connection.execute("PRAGMA journal_mode = WAL")
        # WAL with NORMAL survives a killed process; only a power cut may lose the last commits.
        connection.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.Error as err:
        raise CacheError(f"cannot open cache {path}: {err}", str(err)) from err
    return connection


def _not_ours(path: Path) -> str | None:
    """Why the file at `path` is not a usable entigraph cache, or None if it is."""
    try:
        read_only = f"{path.resolve().as_uri()}?mode=ro"
        connection = sqlite3.connect(read_only, uri=True, timeout=BUSY_TIMEOUT)
        try:
            application_id = connection.execute("PRAGMA application_id").fetchone()[0]
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if application_id != APPLICATION_ID:
                if application_id:
                    return "another application's SQLite file"
                return "no entigraph schema"
            if version != SCHEMA_VERSION:
                return f"schema version {version}, expected {SCHEMA_VERSION}"
            connection.execute("SELECT count(*) FROM settings JOIN results LIMIT 1").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as err:
        return str(err)
    return None


def _create(path: Path) -> None:
    """A fresh, empty cache at `path`, written beside it and renamed into place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(handle)
        try:
            connection = sqlite3.connect(temporary)
            connection.executescript(_SCHEMA)
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.commit()
            connection.close()
            os.replace(temporary, path)
        finally:
            Path(temporary).unlink(missing_ok=True)
    except (OSError, sqlite3.Error) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise CacheError(f"cannot create cache {path}: {reason}", reason) from err


class LazyCache:
    """The extraction cache, opened when a document first needs it: a build with nothing
    to read creates no file."""

    def __init__(self, open_cache: Callable[[], Cache]) -> None:
        self.open_cache = open_cache
        self.cache: Cache | None = None

    def get(self, key: bytes, doc_id: str) -> Extraction | None:
        return self._cache().get(key, doc_id)

    def put(self, results: list[tuple[bytes, Extraction]]) -> None:
        self._cache().put(results)

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()

    def _cache(self) -> Cache:
        if self.cache is None:
            self.cache = self.open_cache()
        return self.cache

"""The store: `OUT/graph.db`, one SQLite database per output directory, the build's record.

Job: open, create, check and lock the database, and be the one way the project reads
and writes it (`Store.execute`, `Store.rows`, `Store.value`: SQL in, plain rows out).
Input: a path (or none, for a store in memory). Output: a `Store`.

Everything the outputs are made from lives in it (graph.store.schema; docs/store.md
documents every table): the documents with what was found in them, the corpus' counts,
the resolver's decisions, the entities and links with every attribute. A build updates it
in one transaction (graph.store.update), so a build killed at any moment leaves the
previous store as it was, readable; readers (queries, exports, a server) never see a
half-written one: the database is in WAL mode, where readers and one writer do not block
each other. The file is recognized by `PRAGMA application_id`; its schema by `PRAGMA
user_version`: a store of another version is rebuilt by the next build (the extraction
cache beside it keeps spaCy from running again) and refused, with one line saying so, by
anything that only reads it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graph.errors import EntigraphError
from graph.store.schema import APPLICATION_ID, SCHEMA, SCHEMA_VERSION, SEARCH_SCHEMA

try:
    import fcntl
except ImportError:  # Windows: builds into one directory are not kept apart
    fcntl = None  # type: ignore[assignment]

STORE_NAME = "graph.db"
# Seconds a connection waits for another one holding a write lock.
BUSY_TIMEOUT = 30


class StoreError(EntigraphError):
    """The store cannot be opened, read or written; the message names the file, `reason`
    is the system's word for why."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class Store:
    """A connection to one store, in autocommit mode: writes are grouped with
    `transaction()`."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None) -> None:
        self.connection = connection
        self.path = path
        self.search = _has_table(connection, "name_search")

    # ---- opening ------------------------------------------------------------------

    @classmethod
    def memory(cls) -> Store:
        """An empty store in memory: the same tables, for a graph never written to disk."""
        connection = _connect(":memory:")
        _create(connection)
        return cls(connection, None)

    @classmethod
    def open(cls, path: Path, *, on_problem: Any = None) -> Store:
        """The store at `path` for a build to update: created when missing; one written by
        another schema version, or no store at all (another program's file, a corrupt
        one), is replaced by an empty one, and `on_problem(path, why)` is told."""
        path = Path(path)
        problem = _not_usable(path) if path.exists() and path.stat().st_size else None
        if problem is not None:
            if on_problem is not None:
                on_problem(path, f"{problem}; building it again")
            if problem.startswith("not an entigraph store"):
                _move_aside(path)  # someone's file: kept, never deleted
            else:
                remove(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = _connect(path)
            if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                _create(connection)
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"cannot open {path}: {_reason(err)}", _reason(err)) from err
        return cls(connection, path)

    @classmethod
    def read(cls, path: Path, *, any_thread: bool = False) -> Store:
        """The store at `path`, read only; StoreError says in one line why it cannot be.
        `any_thread`: the connection may be used from threads other than this one (one
        at a time: a server lends it to a request at a time)."""
        path = Path(path)
        if not path.is_file():
            raise StoreError(f"no store at {path} (build one with `entigraph build -o {path.parent}`)")
        problem = _not_usable(path)
        if problem is not None:
            raise StoreError(f"{path}: {problem}")
        try:
            connection = _connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, any_thread=any_thread)
            connection.execute("SELECT count(*) FROM meta").fetchone()
        except sqlite3.Error as err:
            raise StoreError(f"cannot read {path}: {_reason(err)}") from err
        return cls(connection, path)

    @classmethod
    def edit(cls, path: Path) -> Store:
        """The store at `path`, checked as `read` does, to write a few rows into (a merge
        marked in the served view): never created, emptied or replaced."""
        path = Path(path)
        reader = cls.read(path)
        reader.close()
        try:
            connection = _connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
        except sqlite3.Error as err:
            raise StoreError(f"cannot write to {path}: {_reason(err)}", _reason(err)) from err
        return cls(connection, path)

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- reading and writing -------------------------------------------------------

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        return self.connection.execute(sql, parameters)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.connection.executemany(sql, rows)

    def rows(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> Iterator[tuple]:
        """The rows of a query, streamed (the cursor itself: no layer per row)."""
        return self.connection.execute(sql, parameters)

    def fill(self, table: str, columns: str, rows: Iterable[Sequence[Any]]) -> None:
        """Make the temporary table `table` (`columns`: its SQL column definitions, a
        primary key among them) hold exactly `rows` (repeats kept once). A temp table
        lets a query join a set of keys however large, where `IN (?, ?, ...)` runs out
        of parameters."""
        self.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({columns})")
        self.execute(f"DELETE FROM {table}")
        width = len(self.execute(f"SELECT * FROM {table} LIMIT 0").description)
        marks = ", ".join("?" * width)
        self.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({marks})", rows)

    def value(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = (), default: Any = None) -> Any:
        """The first column of the first row, or `default` when there is none."""
        row = self.connection.execute(sql, parameters).fetchone()
        return default if row is None or row[0] is None else row[0]

    def meta(self, name: str, default: Any = None) -> Any:
        return self.value("SELECT value FROM meta WHERE name = ?", (name,), default)

    def set_meta(self, name: str, value: Any) -> None:
        self.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is written together or not at all: readers go on seeing the
        store as it was until the end, and a killed process leaves it so."""
        self.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")

    @contextmanager
    def building(self, on_wait: Any = None) -> Iterator[None]:
        """Hold the build lock of this store: a second build into the same directory waits
        for the first (`on_wait` is told it waits). The kernel drops the lock when the
        process ends, however it ends."""
        if fcntl is None or self.path is None:
            yield
            return
        fd = os.open(self.path, os.O_RDONLY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                if on_wait is not None:
                    on_wait(self.path.parent, "another build is writing here; waiting for it to finish")
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


def _connect(target: str | Path, *, uri: bool = False, any_thread: bool = False) -> sqlite3.Connection:
    connection = sqlite3.connect(
        target, timeout=BUSY_TIMEOUT, uri=uri, isolation_level=None, check_same_thread=not any_thread
    )
    if str(target) != ":memory:" and not str(target).endswith("mode=ro"):
        connection.execute("PRAGMA journal_mode = WAL")
        # WAL with NORMAL survives a killed process; a power cut may lose the last build.
        connection.execute("PRAGMA synchronous = NORMAL")
    # 64 MiB of pages; sorts and temp tables past it spill to temporary files, so that a
    # corpus' worth of names never has to fit in memory.
    connection.execute("PRAGMA cache_size = -65536")
    return connection


def _create(connection: sqlite3.Connection) -> None:
    with_search = _fts5(connection)
    connection.executescript("BEGIN IMMEDIATE;" + SCHEMA + (SEARCH_SCHEMA if with_search else "") + "COMMIT;")
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _fts5(connection: sqlite3.Connection) -> bool:
    """Whether this interpreter's SQLite has FTS5 (most builds do; it is optional)."""
    try:
        connection.execute("CREATE VIRTUAL TABLE temp.probe USING fts5(x)")
        connection.execute("DROP TABLE temp.probe")
        return True
    except sqlite3.Error:
        return False


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    return connection.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def _not_usable(path: Path) -> str | None:
    """Why the file at `path` is not a store of this schema, or None if it is one."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
        try:
            application_id = connection.execute("PRAGMA application_id").fetchone()[0]
            version = connection.execute("PRAGMA user_version").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as err:
        return f"not an entigraph store ({err})"
    if application_id != APPLICATION_ID:
        return "not an entigraph store (" + ("another application's SQLite file" if application_id else "no entigraph schema") + ")"
    if version != SCHEMA_VERSION:
        return f"written by another version of entigraph (store schema {version}, this one reads {SCHEMA_VERSION})"
    return None


def _move_aside(path: Path) -> None:
    try:
        os.replace(path, path.with_name(path.name + ".bad"))
    except OSError as err:
        raise StoreError(f"cannot move aside {path}: {_reason(err)}", _reason(err)) from err
    remove(path)


def remove(path: Path) -> None:
    """Delete the store at `path`, with its WAL files."""
    for name in (str(path), f"{path}-wal", f"{path}-shm"):
        try:
            Path(name).unlink(missing_ok=True)
        except OSError as err:
            raise StoreError(f"cannot replace {path}: {_reason(err)}", _reason(err)) from err


def _reason(err: Exception) -> str:
    return err.strerror if isinstance(err, OSError) and err.strerror else str(err)

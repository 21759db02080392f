"""The served view's connections to the store: a few read-only ones, lent a request at a time.

Job: give each request a read-only `Store` holding one snapshot of the store for the
request's length, and none across requests.
Input: the path of graph.db and how many connections at most. Output: `Readers`, whose
`reading()` lends one.

Why this shape: SQLite connections are cheap to keep and slow to open (the schema is read
again), and one per request in flight would let twenty clients hold twenty page caches.
A request reads inside one transaction, so a build committing halfway through cannot show
it half the old graph and half the new one; the transaction ends with the request, so the
next one (a reload) sees the new build (the store is in WAL mode: readers never block the
build, nor it them). `query_only` and `mode=ro` make a write through these impossible;
merges go through `Store.edit`, a connection of their own. A build that replaces the
file (a store of another schema version, or a damaged one, is made anew) leaves the open
connections reading the old, deleted one: each is lent only while the file at the path is
the one it was opened on.
"""

from __future__ import annotations

import os
import queue
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.store import Store

# Connections kept at most: requests beyond wait for one (SQLite reads are short).
CONNECTIONS = 4
# Page cache per connection (KiB): the server's memory must not grow with the graph.
CACHE_KIB = 8_192


class Readers:
    """Read-only connections to the store at `path`, opened as needed up to `size`."""

    def __init__(self, path: Path, size: int = CONNECTIONS) -> None:
        self.path = path
        # (the file's identity when it was opened, the connection)
        self.idle: queue.LifoQueue[tuple[tuple[int, int] | None, Store]] = queue.LifoQueue()
        self.slots = queue.Queue(size)  # a token per connection that may be opened
        for _ in range(size):
            self.slots.put(None)

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """A connection for one request, inside one read transaction."""
        opened_on, store = self._lend()
        healthy = False
        try:
            store.execute("BEGIN")
            try:
                yield store
            finally:
                store.execute("COMMIT")
                healthy = True
        finally:
            if healthy:
                self.idle.put((opened_on, store))
            else:  # a connection in an unknown state is not lent again
                store.close()
                self.slots.put(None)

    def close(self) -> None:
        while not self.idle.empty():
            self.idle.get()[1].close()

    def _lend(self) -> tuple[tuple[int, int] | None, Store]:
        current = self._identity()
        while True:
            try:
                opened_on, store = self.idle.get_nowait()
            except queue.Empty:
                try:
                    self.slots.get_nowait()
                    break  # one more may be opened
                except queue.Empty:  # every connection is open and lent: wait for one
                    opened_on, store = self.idle.get()
            if opened_on == current:
                return opened_on, store
            store.close()  # it reads a file the build has replaced
            self.slots.put(None)
        try:
            store = Store.read(self.path, any_thread=True)
        except BaseException:
            self.slots.put(None)
            raise
        store.execute("PRAGMA query_only = 1")
        store.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        return current, store

    def _identity(self) -> tuple[int, int] | None:
        """The file now at the path (device, inode), or None where there is none."""
        try:
            status = os.stat(self.path)
        except OSError:
            return None
        return status.st_dev, status.st_ino

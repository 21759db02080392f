"""Stopwatch: seconds spent in each stage of one build, for `--json` and the benchmarks.

Input: named blocks of work (`with stopwatch.stage("resolve"): ...`). Output: `seconds`,
stage name -> seconds, in the order stages first ran (a stage run twice adds up).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class Stopwatch:
    """Wall-clock seconds per named stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - started
            self.seconds[name] = self.seconds.get(name, 0.0) + elapsed

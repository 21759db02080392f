"""How resolution time grows with the number of mentions (it should grow linearly).

Run: .venv/bin/python benchmarks/resolve_scaling.py
Builds synthetic corpora of distinct people, each named in full and then by surname (the
case an all-pairs comparison would make quadratic), and times `resolve` on each size.
"""

from __future__ import annotations

import time

from graph.model import Extraction, Mention, Statement
from graph.resolve import resolve

SIZES = (10_000, 20_000, 40_000, 80_000)
PER_DOC = 100  # people per document, two mentions each


def corpus(mentions: int) -> list[Extraction]:
    documents = []
    for d in range(mentions // (2 * PER_DOC)):
        statements = []
        offset = 0
        for j in range(PER_DOC):
            full, short = f"First{d}x{j} Last{d}x{j}", f"Last{d}x{j}"
            text = f"{full} and {short}."
            first = Mention(offset, offset + len(full), full, full, "PERSON", "PERSON", full)
            start = offset + len(full) + 5
            second = Mention(start, start + len(short), short, short, "PERSON", "PERSON", short)
            statements.append(Statement(offset, offset + len(text), text, (first, second)))
            offset += len(text) + 1
        documents.append(Extraction(f"d{d}", tuple(statements), PER_DOC))
    return documents


def main() -> None:
    print(f"{'mentions':>9} {'entities':>9} {'seconds':>8} {'µs/mention':>11}")
    for size in SIZES:
        extractions = corpus(size)
        began = time.perf_counter()
        resolution = resolve(extractions)
        seconds = time.perf_counter() - began
        print(f"{size:>9,} {len(resolution.entities):>9,} {seconds:>8.2f} {seconds / size * 1e6:>11.1f}")


if __name__ == "__main__":
    main()

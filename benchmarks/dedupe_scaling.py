"""What near-duplicate grouping costs: the signature per document beside spaCy's
extraction of the same text, and grouping time and memory as the corpus grows (they
should grow linearly: LSH, not all pairs).

Run: .venv/bin/python benchmarks/dedupe_scaling.py
The corpora are the sample articles reshuffled into distinct texts of the same length
(one in ten an edited copy of an earlier one), so words and shingles look like news.
"""

from __future__ import annotations

import random
import time
import tracemalloc
from pathlib import Path

from graph.dedupe import group_duplicates, signature
from graph.engines import ExtractSettings, extract
from graph.model import Document

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
SIZES = (2_000, 8_000, 32_000)
COPY_SHARE = 0.1


def texts(count: int, seed: int = 0) -> list[str]:
    """`count` texts of about 500 words: sample words shuffled, one in ten an edited
    copy (new first line, a few words changed) of an earlier text."""
    rng = random.Random(seed)
    words = " ".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLE.iterdir())).split()
    made: list[str] = []
    for _ in range(count):
        if made and rng.random() < COPY_SHARE:
            copy = rng.choice(made).split()
            for _ in range(10):
                copy[rng.randrange(len(copy))] = rng.choice(words)
            made.append("Breaking: " + " ".join(copy[3:]))
        else:
            start = rng.randrange(len(words) - 500)
            chunk = words[start : start + 500]
            rng.shuffle(chunk)
            made.append(" ".join(chunk))
    return made


def main() -> None:
    sample = [Document(p.name, p.read_text(encoding="utf-8")) for p in sorted(SAMPLE.iterdir())]
    words = sum(len(d.text.split()) for d in sample)
    extract(sample[:1], ExtractSettings())  # load the model first
    began = time.perf_counter()
    extract(sample, ExtractSettings())
    spacy_ms = (time.perf_counter() - began) / len(sample) * 1e3
    began = time.perf_counter()
    for _ in range(20):
        for document in sample:
            signature(document.text)
    signature_ms = (time.perf_counter() - began) / (20 * len(sample)) * 1e3
    print(f"sample: {words / len(sample):.0f} words a document")
    print(f"  extraction (spaCy and all) {spacy_ms:7.2f} ms/document, signature included")
    print(f"  signature alone            {signature_ms:7.2f} ms/document ({signature_ms / spacy_ms:.1%} of it)")
    print(f"{'documents':>10} {'groups>1':>9} {'seconds':>8} {'µs/doc':>8} {'peak MiB':>9} {'KiB/doc':>8}")
    for size in SIZES:
        signatures = [signature(text) for text in texts(size)]
        tracemalloc.start()
        began = time.perf_counter()
        groups = group_duplicates(signatures)
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        grouped = sum(1 for i, g in enumerate(groups) if g != i)
        print(
            f"{size:>10,} {grouped:>9,} {seconds:>8.2f} {seconds / size * 1e6:>8.0f} "
            f"{peak / 2**20:>9.1f} {peak / size / 1024:>8.2f}"
        )


if __name__ == "__main__":
    main()

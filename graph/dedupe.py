"""Near-duplicates: tell copies of one story apart from stories of their own.

Input: each document's text (for its signature, computed where the text is: in the
extract workers) and then every document's signature, in input order. Output: for each
document, the position of the first document of its near-duplicate group (its own
position when it has no copy).

A signature is the MinHash (datasketch, `NUM_PERM` seeded permutations) of the text's
3-word shingles, words being runs of letters and digits, case folded: a new headline, a
byline, boilerplate or an edited sentence change a few shingles, a rewrite of the story
in other words changes nearly all of them. Two documents are copies when their estimated
shingle overlap (Jaccard) is at least `THRESHOLD`; groups are the connected components of
that relation. Candidates come from MinHash LSH (banding), so the cost grows with the
number of documents and the copies among them, never with all pairs; the signatures are
held as one compact array while grouping runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

import numpy as np

SHINGLE_WORDS = 3
NUM_PERM = 128
# Fixed permutations and scheme: the same text gives the same signature in every process
# and every run (the default scheme changed in datasketch 2.0).
SEED = 1
SCHEME = "affine32"
# Estimated Jaccard of 3-word shingles at or above which two documents are copies. On
# the sample corpus, two outlets' rewrites of one story overlap 0.06 and unrelated
# stories under 0.02; a copy with a new headline and byline and one sentence changed
# overlaps 0.82-0.93 (estimated 0.73-0.90 from the signatures).
THRESHOLD = 0.5
# LSH is tuned lower than THRESHOLD so that banding seldom misses a pair just above it;
# every candidate is then checked against THRESHOLD.
LSH_THRESHOLD = 0.4
# The bands and rows per band datasketch's MinHashLSH chooses for LSH_THRESHOLD and
# NUM_PERM (a test checks), kept here so that a build need not import it to group.
LSH_BANDS = (32, 4)
# What a cached signature was made with: results made otherwise are not reused.
SIGNATURE = f"minhash-{SCHEME}-{NUM_PERM}-seed{SEED}-{SHINGLE_WORDS}-word-shingles"
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[str]:
    """The text's runs of SHINGLE_WORDS words, case folded (a shorter text: all of it)."""
    words = _WORD.findall(text.casefold())
    if not words:
        return set()
    starts = range(max(1, len(words) - SHINGLE_WORDS + 1))
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in starts}


def signature(text: str) -> tuple[int, ...]:
    """The MinHash of the text's shingles; () for a text without words, which is no
    copy of anything."""
    grams = shingles(text)
    if not grams:
        return ()
    # Imported here: datasketch brings in scipy.integrate, and most commands never sign.
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch([gram.encode("utf-8", "surrogatepass") for gram in sorted(grams)])
    return tuple(int(v) for v in minhash.hashvalues)


def similarity(first: Sequence[int], second: Sequence[int]) -> float:
    """Estimated Jaccard overlap of two signatures' shingles (0 when either is empty)."""
    if not first or not second or len(first) != len(second):
        return 0.0
    return float(np.count_nonzero(np.asarray(first) == np.asarray(second))) / len(first)


def group_duplicates(signatures: Iterable[Sequence[int]], *, threshold: float = THRESHOLD) -> list[int]:
    """For each signature, in order, the position of the first member of its group.

    Two documents are candidates when one band of their signatures (MinHash LSH, the
    bands and rows datasketch chooses for LSH_THRESHOLD, or `threshold` if lower) is the same; a candidate pair at
    or above `threshold` is one group: connected components, so a chain of edits joins a
    story's copies even where the first and last differ more. The signatures are held as
    one array (512 bytes a document) and candidates found by sorting each band, where
    datasketch's MinHashLSH keeps about 10 KiB of Python objects a document.
    """
    positions, matrix = _signature_matrix(signatures)
    parent = list(range(positions.pop()))

    def root(position: int) -> int:
        while parent[position] != position:
            parent[position] = parent[parent[position]]
            position = parent[position]
        return position

    needed = threshold * NUM_PERM
    for first, second in _candidates(matrix, min(threshold, LSH_THRESHOLD)):
        a, b = root(positions[first]), root(positions[second])
        if a == b:
            continue  # already one group: no need to compare
        if np.count_nonzero(matrix[first] == matrix[second]) >= needed:
            # The earlier root stays the root: a group is named by its first member.
            parent[max(a, b)] = min(a, b)
    return [root(position) for position in range(len(parent))]


def _signature_matrix(signatures: Iterable[Sequence[int]]) -> tuple[list[int], np.ndarray]:
    """The full-length signatures as rows of one uint32 array, and the position of each
    row in the input, followed by the number of inputs (a text without words, or a
    signature of other settings, is a copy of nothing)."""
    rows = bytearray()
    positions: list[int] = []
    count = 0
    for position, values in enumerate(signatures):
        count += 1
        if len(values) == NUM_PERM:
            positions.append(position)
            rows += np.asarray(values, dtype=np.uint32).tobytes()
    matrix = np.frombuffer(rows, dtype=np.uint32).reshape(-1, NUM_PERM)
    return [*positions, count], matrix


def _candidates(matrix: np.ndarray, lsh_threshold: float) -> Iterator[tuple[int, int]]:
    """Row pairs (earlier, later) that share a band, band by band: each band's rows are
    hashed to 64 bits and sorted, so rows with the same band sit side by side."""
    bands, rows = _bands(lsh_threshold)
    for band in range(bands):
        block = matrix[:, band * rows : (band + 1) * rows].astype(np.uint64)
        keys = np.zeros(len(matrix), dtype=np.uint64)
        for column in range(rows):
            # A 64-bit mix of the band's values; a collision only adds a pair to compare.
            keys = (keys ^ block[:, column]) * np.uint64(0x9E3779B97F4A7C15)
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        starts = np.flatnonzero(np.diff(ordered) != 0) + 1
        for run in np.split(order, starts):
            if len(run) > 1:
                members = sorted(int(row) for row in run)
                for i, first in enumerate(members):
                    for second in members[i + 1 :]:
                        yield first, second


@lru_cache(maxsize=4)
def _bands(lsh_threshold: float) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's MinHashLSH picks for the threshold."""
    if lsh_threshold == LSH_THRESHOLD:
        return LSH_BANDS
    # Imported only here: datasketch brings in scipy.integrate to choose them.
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=lsh_threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r

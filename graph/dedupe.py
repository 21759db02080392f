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
number of documents and the copies among them, never with all pairs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

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

    Each document is compared with the earlier ones LSH names as candidates, and joins
    the groups of those at or above `threshold`: connected components, so a chain of
    edits joins a story's copies even where the first and last differ more.
    """
    from datasketch import LeanMinHash, MinHashLSH

    lsh = MinHashLSH(threshold=min(threshold, LSH_THRESHOLD), num_perm=NUM_PERM)
    kept: list[np.ndarray | None] = []
    parent: list[int] = []

    def root(position: int) -> int:
        while parent[position] != position:
            parent[position] = parent[parent[position]]
            position = parent[position]
        return position

    for position, values in enumerate(signatures):
        parent.append(position)
        if len(values) != NUM_PERM:  # no words, or a signature of other settings
            kept.append(None)
            continue
        hashvalues = np.asarray(values, dtype=np.uint32)
        kept.append(hashvalues)
        minhash = LeanMinHash(seed=SEED, hashvalues=hashvalues, scheme=SCHEME)
        for other in lsh.query(minhash):
            earlier = kept[other]
            if earlier is not None and np.count_nonzero(earlier == hashvalues) >= threshold * NUM_PERM:
                first, second = root(other), root(position)
                # The earlier root stays the root: a group is named by its first member.
                parent[max(first, second)] = min(first, second)
        lsh.insert(position, minhash, check_duplication=False)
    return [root(position) for position in range(len(parent))]

"""Near-duplicates: signatures from word shingles, groups from LSH candidates checked
against the threshold, named by their first document."""

from __future__ import annotations

import subprocess
import sys

import pytest

from graph.dedupe import NUM_PERM, THRESHOLD, group_duplicates, shingles, signature, similarity
from tests.conftest import REPO, SAMPLE, edited_copy

SAMPLE_TEXTS = [path.read_text(encoding="utf-8") for path in sorted(SAMPLE.iterdir())]


def test_shingles_are_three_word_runs_case_folded_without_punctuation():
    assert shingles("Hamas met Egypt, in CAIRO.") == {"hamas met egypt", "met egypt in", "egypt in cairo"}
    assert shingles("Cairo talks") == {"cairo talks"}
    assert shingles(" -- ") == set()


def test_a_signature_is_the_same_in_another_interpreter():
    # Seeded permutations and a fixed hash: no dependence on PYTHONHASHSEED or the process.
    text = SAMPLE_TEXTS[0]
    script = "from graph.dedupe import signature; import sys; print(list(signature(sys.stdin.read())))"
    other = subprocess.run(
        [sys.executable, "-c", script], input=text, cwd=REPO, capture_output=True, text=True,
        env={"PYTHONHASHSEED": "7", "PATH": ""}, check=True,
    )
    assert other.stdout.strip() == str(list(signature(text)))
    assert len(signature(text)) == NUM_PERM
    assert signature("... !!!") == ()


@pytest.mark.parametrize("index", range(len(SAMPLE_TEXTS)), ids=lambda i: f"sample-{i}")
def test_an_edited_copy_of_an_article_is_above_the_threshold(index):
    original = SAMPLE_TEXTS[index]
    assert similarity(signature(original), signature(edited_copy(original))) >= THRESHOLD + 0.2


def test_two_outlets_rewriting_one_story_stay_below_the_threshold():
    # The first two sample articles: the same talks told in other words.
    first, second = shingles(SAMPLE_TEXTS[0]), shingles(SAMPLE_TEXTS[1])
    assert len(first & second) / len(first | second) < 0.1
    assert similarity(signature(SAMPLE_TEXTS[0]), signature(SAMPLE_TEXTS[1])) < THRESHOLD - 0.3


def test_copies_join_the_group_of_their_first_document_and_nothing_else_joins():
    texts = [*SAMPLE_TEXTS, edited_copy(SAMPLE_TEXTS[3]), edited_copy(SAMPLE_TEXTS[0])]
    assert group_duplicates(signature(t) for t in texts) == [0, 1, 2, 3, 4, 3, 0]


def test_a_chain_of_edits_is_one_group_even_where_its_ends_differ_more():
    # Each version rewrites six more words of the last one.
    words = [f"w{i}" for i in range(60)]
    chain = [" ".join(f"x{i}" if i < 6 * step else word for i, word in enumerate(words)) for step in range(6)]
    signatures = [signature(t) for t in chain]
    assert similarity(signatures[0], signatures[-1]) < THRESHOLD
    assert group_duplicates(signatures) == [0] * len(chain)


def test_texts_without_words_are_copies_of_nothing():
    assert group_duplicates([(), (), signature("a b c d"), signature("a b c d")]) == [0, 1, 2, 2]


def test_the_threshold_decides():
    first = " ".join(f"w{i}" for i in range(100))
    second = " ".join(f"w{i}" if i % 4 else f"x{i}" for i in range(100))
    overlap = similarity(signature(first), signature(second))
    assert 0.1 < overlap < 0.9
    pair = [signature(first), signature(second)]
    assert group_duplicates(pair, threshold=overlap - 0.05) == [0, 0]
    assert group_duplicates(pair, threshold=overlap + 0.05) == [0, 1]


def test_the_bands_are_the_ones_datasketch_chooses_for_the_lsh_threshold():
    from datasketch import MinHashLSH

    from graph.dedupe import LSH_BANDS, LSH_THRESHOLD

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert LSH_BANDS == (lsh.b, lsh.r)

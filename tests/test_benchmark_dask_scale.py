"""The pure helpers of the Dask scaling benchmark (benchmarks/dask_scale.py): a smaller
corpus cut from a larger one, the outputs compared byte for byte, the size compared with
the largest."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str) -> ModuleType:
    # benchmarks/ is scripts, not a package: load the module from its file, with its
    # directory on the path for the sibling modules it imports (throughput, corpus).
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCHMARKS))
        spec = importlib.util.spec_from_file_location(f"benchmark_dask_scale_{name}", BENCHMARKS / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return module


dask_scale = _load("dask_scale")
corpus = _load("corpus")


@pytest.mark.parametrize("words", [pytest.param(1, id="one-document"), pytest.param(4_000, id="several")])
def test_a_prefix_of_the_largest_corpus_is_the_smaller_corpus(tmp_path: Path, words: int) -> None:
    corpus.write_corpus(tmp_path / "largest.jsonl", 12_000)
    expected = corpus.write_corpus(tmp_path / "expected.jsonl", words)
    assert dask_scale.write_prefix(tmp_path / "largest.jsonl", tmp_path / "prefix.jsonl", words) == expected
    assert (tmp_path / "prefix.jsonl").read_bytes() == (tmp_path / "expected.jsonl").read_bytes()


@pytest.mark.parametrize(
    ("left", "right", "different"),
    [
        pytest.param({"a.csv": b"x", "b.html": b"y"}, {"a.csv": b"x", "b.html": b"y"}, [], id="same"),
        pytest.param({"a.csv": b"x", "b.html": b"y"}, {"a.csv": b"x", "b.html": b"z"}, ["b.html"], id="one-byte"),
        pytest.param({"a.csv": b"x", "b.html": b"y"}, {"a.csv": b"x"}, ["b.html"], id="missing-right"),
        pytest.param({"a.csv": b"x"}, {"a.csv": b"x", "b.html": b"y"}, ["b.html"], id="missing-left"),
        pytest.param({"a.csv": b"x\n"}, {"a.csv": b"x\r\n"}, ["a.csv"], id="line-ends"),
    ],
)
def test_outputs_differ_by_name_or_bytes(
    tmp_path: Path, left: dict[str, bytes], right: dict[str, bytes], different: list[str]
) -> None:
    for side, files in (("left", left), ("right", right)):
        (tmp_path / side).mkdir()
        for name, content in files.items():
            (tmp_path / side / name).write_bytes(content)
    names = sorted(left.keys() | right.keys())
    assert dask_scale.differing(tmp_path / "left", tmp_path / "right", names) == different


@pytest.mark.parametrize(
    ("sizes", "reference"),
    [
        pytest.param([250_000, 1_000_000, 4_000_000], 1_000_000, id="defaults"),
        pytest.param([4_000_000, 250_000, 1_000_000], 1_000_000, id="any-order"),
        pytest.param([20_000, 40_000], 20_000, id="two"),
        pytest.param([1, 2, 3, 4], 2, id="even-count-lower-middle"),
        pytest.param([1, 2, 3, 4, 5], 3, id="odd-count"),
    ],
)
def test_the_largest_size_is_compared_with_the_middle_one(sizes: list[int], reference: int) -> None:
    assert dask_scale.middle(sizes) == reference

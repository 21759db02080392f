"""The benchmark corpus generator (benchmarks/corpus.py): deterministic, every document
new, a copy's people its own and renamed coherently, places recurring across copies."""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
WORDS = 20_000


def _load_corpus() -> ModuleType:
    # benchmarks/ is scripts, not a package: load the module from its file. Registered in
    # sys.modules first, as its dataclasses look their module up while being made.
    spec = importlib.util.spec_from_file_location("benchmark_corpus", BENCHMARKS / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus()
BASES = {
    row["id"]: row
    for path, _ in corpus.SOURCES
    for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())
}


@pytest.fixture(scope="module")
def rounds() -> list:
    """The first three rounds: three copies of every base text."""
    return list(itertools.islice(corpus.copies(), 3 * len(BASES)))


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_same_arguments_write_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    figures = corpus.write_corpus(first, WORDS)
    assert corpus.write_corpus(second, WORDS) == figures
    assert first.read_bytes() == second.read_bytes()
    rows = _rows(first)
    assert figures == (len(rows), sum(len(row["text"].split()) for row in rows))
    assert figures[1] >= WORDS


def test_output_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    # A set's order changes from one process to the next (Faker's Italian towns came from
    # one): two processes with other hash seeds must write the same bytes.
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"corpus-{hash_seed}.jsonl"
        subprocess.run(
            [sys.executable, str(BENCHMARKS / "corpus.py"), "--words", str(WORDS), str(out)],
            check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    "arguments",
    [pytest.param({"start": 10**6}, id="start"), pytest.param({"seed": 1}, id="seed")],
)
def test_other_arguments_write_other_documents(tmp_path: Path, arguments: dict) -> None:
    corpus.write_corpus(tmp_path / "default.jsonl", WORDS)
    corpus.write_corpus(tmp_path / "other.jsonl", WORDS, **arguments)
    default, other = _rows(tmp_path / "default.jsonl"), _rows(tmp_path / "other.jsonl")
    assert not {row["text"] for row in default} & {row["text"] for row in other}
    if "start" in arguments:
        # The +1% file of the throughput benchmark: new ids, to add to the first corpus.
        assert not {row["id"] for row in default} & {row["id"] for row in other}


def test_every_row_is_new(tmp_path: Path) -> None:
    corpus.write_corpus(tmp_path / "corpus.jsonl", WORDS)
    rows = _rows(tmp_path / "corpus.jsonl")
    base_texts = {row["text"] for row in BASES.values()}
    assert len({row["id"] for row in rows}) == len(rows)
    assert all(row["text"] not in base_texts for row in rows)
    assert {row["id"].split("#")[0] for row in rows} <= BASES.keys()


def _people(copy) -> set[tuple[str, str]]:
    return {name for (label, _), name in copy.names.items() if label == "PERSON"}


@pytest.mark.parametrize(
    "base",
    [
        pytest.param("GUM_news_defector", id="news"),
        pytest.param("GUM_interview_chomsky", id="interview"),
        pytest.param("wire_cricket_scorecard", id="wire"),
    ],
)
def test_copies_of_one_text_name_other_people(rounds: list, base: str) -> None:
    copies = [copy for copy in rounds if copy.id.split("#")[0] == base]
    assert len(copies) == 3
    people = [_people(copy) for copy in copies]
    assert all(people)
    for one, other in itertools.combinations(people, 2):
        assert not one & other


def test_places_recur_and_people_do_not(rounds: list) -> None:
    documents: dict[str, dict[object, set[str]]] = defaultdict(lambda: defaultdict(set))
    for copy in rounds:
        for (label, _), name in copy.names.items():
            documents[label][name].add(copy.id)
    place_spread = max(len(ids) for ids in documents["PLACE"].values())
    assert place_spread >= len(rounds) // 5
    people = Counter(len(ids) for ids in documents["PERSON"].values())
    assert sum(n for spread, n in people.items() if spread <= 2) >= 0.9 * sum(people.values())


def _gold_mentions(base: str, text: str) -> tuple[str, int]:
    """The cluster of `base` one of whose mentions is `text`, and how many mentions `text` has."""
    entities = BASES[base]["entities"]
    cluster = next(e["cluster"] for e in entities if e["text"] == text and e["label"] == "PERSON")
    return cluster, sum(e["text"] == text and e["cluster"] == cluster for e in entities)


@pytest.mark.parametrize(
    ("base", "full", "full_form", "mention", "form"),
    # A base text, a full-name mention and how it reads renamed, then a shorter mention
    # of the same person and how that one reads.
    [
        pytest.param(
            "GUM_news_defector", "Daniel Montalvo", "{first} {last}", "Montalvo", "{last}",
            id="surname",
        ),
        pytest.param(
            "GUM_news_defector", "Daniel Montalvo", "{first} {last}", "Daniel", "{first}",
            id="first name",
        ),
        pytest.param(
            "wire_cricket_scorecard", "Desmond Harper", "{first} {last}", "HARPER", "{LAST}",
            id="all-caps slug",
        ),
        pytest.param(
            "wire_cricket_scorecard", "Desmond Harper", "{first} {last}", "D. Harper",
            "{initial}. {last}", id="initial and surname",
        ),
        pytest.param(
            "GUM_news_iodine", "Professor Cres Eastman", "Professor {first} {last}",
            "Professor Eastman", "Professor {last}", id="title kept",
        ),
    ],
)
def test_mentions_keep_their_shape(
    rounds: list, base: str, full: str, full_form: str, mention: str, form: str
) -> None:
    cluster, fulls = _gold_mentions(base, full)
    _, mentions = _gold_mentions(base, mention)
    for copy in (copy for copy in rounds if copy.id.split("#")[0] == base):
        first, last = copy.names["PERSON", cluster]
        fields = {"first": first, "last": last, "LAST": last.upper(), "initial": first[0]}

        def count(shape: str) -> int:
            return len(re.findall(rf"(?<!\w){re.escape(shape.format(**fields))}(?!\w)", copy.text))

        # Exactly as many full names as the base has: no short mention became a full name.
        assert count(full_form) == fulls
        assert count(form) >= mentions

"""The project stands on its own: a fresh clone holds every file its tests, benchmarks and
Makefile read, and the installed wheel (not the checkout) builds the sample corpus."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import benchmarks.evaluate
from graph.export.html import VIEW_SCRIPTS
from tests.conftest import REPO

# Paths of one machine, or of the developers' shared folder beside the repository, that a
# user's clone never has.
# (Written so that this pattern does not match its own source.)
_MACHINE_PATH = re.compile(r"\.\./shared|/wor[k]/|parent / [\"']shared")


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory) -> Path:
    """The committed repository, cloned alone into an empty directory."""
    if not (REPO / ".git").exists():
        pytest.fail(f"{REPO} is not a git checkout; these checks read its committed files")
    clone = tmp_path_factory.mktemp("alone") / "entigraph"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(clone)],
        check=True,
        capture_output=True,
    )
    return clone


def _paths_named_in_code() -> dict[str, Path]:
    """Every module-level Path of the test and benchmark modules loaded in this session."""
    modules = [benchmarks.evaluate] + [
        module
        for name, module in sorted(sys.modules.items())
        if name.startswith(("tests.", "benchmarks.")) and module is not None
    ]
    return {
        f"{module.__name__}.{attr}": value
        for module in modules
        for attr, value in vars(module).items()
        if isinstance(value, Path)
    }


def test_every_repo_path_the_tests_name_is_in_a_fresh_clone_and_none_lies_beside_it(fresh_clone):
    paths = _paths_named_in_code()
    assert "tests.conftest.GRAPHML_XSD" in paths and "benchmarks.evaluate.DEFAULT_GOLD" in paths
    for name, path in paths.items():
        resolved = path.resolve()
        if not resolved.is_relative_to(REPO.parent):
            continue  # a system path such as /usr/bin/chromium, which make test installs
        assert resolved.is_relative_to(REPO), f"{name} = {path} lies beside the repository"
        relative = resolved.relative_to(REPO)
        if relative.parts and relative.parts[0] in ("test-artifacts", "out"):
            continue  # written by the tests, not read
        assert (fresh_clone / relative).exists(), f"{name}: {relative} is not committed"


def test_no_committed_file_reads_shared_or_a_machine_path(fresh_clone):
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=fresh_clone, check=True, capture_output=True, text=True
    ).stdout.split()
    offenders = []
    for name in tracked:
        if name.endswith((".md", ".jsonl", ".xsd", ".rng", ".txt")):
            continue  # prose and data describe provenance; they are not read as paths
        text = (fresh_clone / name).read_text(encoding="utf-8", errors="replace")
        offenders += [f"{name}: {m.group()}" for m in _MACHINE_PATH.finditer(text)]
    assert offenders == []


def test_makefile_targets_read_only_files_of_the_clone(fresh_clone):
    commands = subprocess.run(
        ["make", "-n", "demo", "test", "evaluate"],
        cwd=fresh_clone,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "data/eval/gum_news.jsonl" in commands
    for word in commands.split():
        word = word.strip("\"'")
        assert not _MACHINE_PATH.search(word), f"make reads {word}"
        if re.fullmatch(r"(data|tests|benchmarks)/[\w./-]+", word):
            assert (fresh_clone / word).exists(), f"make reads {word}, which is not committed"


def test_installed_wheel_builds_the_sample_corpus_with_no_input(fresh_clone, tmp_path):
    """Built from the committed files (a checkout's build/ may hold stale modules) and
    installed as a user installs a release, then run away from the checkout."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(fresh_clone)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("entigraph-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    sources = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "graph").rglob("*.py"))
    assert sorted(n for n in names if n.startswith("graph/") and n.endswith(".py")) == sources
    samples = sorted(p.name for p in (REPO / "data" / "sample").glob("*.txt"))
    assert sorted(n.split("/")[-1] for n in names if n.startswith("graph/sample/")) == samples
    assert {f"graph/export/assets/{name}" for name in VIEW_SCRIPTS} <= set(names)

    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = (
        "import sys, graph; print(graph.__file__);"
        "from cli import app; sys.argv = ['entigraph', 'build', '-o', 'out', '--format', 'graphml'];"
        "app()"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", run], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    loaded_from, summary = result.stdout.splitlines()
    assert Path(loaded_from).is_relative_to(site)
    assert summary.startswith("Built 5 documents, ")
    assert (elsewhere / "out" / "graph.graphml").stat().st_size > 0
    shutil.rmtree(site)

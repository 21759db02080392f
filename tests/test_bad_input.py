"""Messy corpora and hostile text: one test per row of the hardening table (issue 5).

Bad inputs are named and skipped while the rest is built; bytes in any common encoding
decode; big files are read in bounded memory; trees with link loops end; text from
documents stays text in the HTML and well-formed in the GraphML; a failed or
interrupted write leaves the previous outputs as they were; the same input gives the
same bytes.

CLI runs are in-process with the session's model, except where a real signal or a fresh
interpreter is the point.
"""

from __future__ import annotations

import codecs
import csv
import errno
import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import networkx as nx
import pytest
from click.testing import Result
from typer.testing import CliRunner

from cli import app
from graph.cache import CACHE_NAME
from graph.documents import ReadReport, read_documents
from graph.pipeline import build, graph_of
from graph.store import STORE_NAME
from tests.browser import open_view
from tests.conftest import REPO, SAMPLE, extracted

STORY = "Angela Merkel met Emmanuel Macron in Paris.\n"
Cli = Callable[[list[str]], Result]


@pytest.fixture()
def cli(nlp, monkeypatch) -> Cli:
    """`entigraph` in this process, with the session's model instead of loading one."""
    monkeypatch.setattr("graph.engines.work.model", lambda name=None, sentences=None: nlp)
    runner = CliRunner()
    return lambda args: runner.invoke(app, args)


def _read(inputs, **kwargs) -> tuple[list[tuple[str, str]], ReadReport]:
    report = ReadReport()
    documents = [(d.doc_id, d.text) for d in read_documents(inputs, report, **kwargs)]
    return documents, report


def _files(directory: Path) -> dict[str, bytes]:
    """Every file under `directory` (hidden ones too) by relative path, with its bytes,
    except the cache and the store: the build's record, kept for the next run, is no
    output (a run whose export failed keeps the store it brought up to date)."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and not p.name.startswith((CACHE_NAME, STORE_NAME))
    }


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Fail instead of hanging the suite."""

    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _forbid(path: Path, monkeypatch) -> list[Path]:
    """Make `path` unreadable: chmod 000 does it for a normal user, but the suite runs as
    root in CI, so opening it is refused too. Returns the refused opens."""
    path.chmod(0)
    refused: list[Path] = []
    real_open = Path.open

    def guarded_open(self: Path, *args, **kwargs):
        if self == path:
            refused.append(self)
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded_open)
    return refused


# -- path that does not exist, unreadable file --------------------------------------------


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        pytest.param("missing", "no such file or directory", id="missing-path"),
        pytest.param("unreadable", "cannot read: Permission denied", id="unreadable-file"),
    ],
)
def test_a_missing_or_unreadable_input_is_named_and_the_rest_still_built(
    cli, story, tmp_path, monkeypatch, kind, problem
):
    bad = tmp_path / "bad.txt"
    refused: list[Path] = []
    if kind == "unreadable":
        bad.write_text("Olaf Scholz flew to Rome.\n", encoding="utf-8")
        refused = _forbid(bad, monkeypatch)

    out = tmp_path / "out"
    with_others = cli(["build", str(bad), str(story), "-o", str(out), "-q"])
    assert with_others.exit_code == 0, with_others.output
    assert with_others.stderr == f"Warning: {bad}: {problem}\n"
    assert sorted(p.name for p in out.iterdir()) == [
        ".entigraph-cache.sqlite", "documents.csv", "graph.db", "graph.graphml", "graph.html", "mentions.csv", "relations.csv"
    ]

    alone_out = tmp_path / "alone"
    alone = cli(["build", str(bad), "-o", str(alone_out)])
    assert alone.exit_code == 1
    assert alone.stderr == (
        f"Warning: {bad}: {problem}\nError: no document with text in {bad} (1 unreadable)\n"
    )
    assert not alone_out.exists()
    # A build reads its inputs once (the texts for spaCy are held, up to HELD_CHARS), and
    # the view's paragraphs come from the store: each of the two builds tried it once.
    assert len(refused) == (2 if kind == "unreadable" else 0)


# -- empty file, whitespace-only file, empty directory ------------------------------------


def test_empty_inputs_are_counted_and_an_empty_corpus_exits_1_writing_nothing(cli, nlp, story, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.md"
    blank.write_bytes(b" \r\n\t\n  \n")
    hollow = tmp_path / "hollow"
    hollow.mkdir()

    summary = build([empty, blank, hollow, story], tmp_path / "out", nlp=nlp)
    assert (summary.documents, summary.empty, summary.problems) == (1, 3, ())
    assert str(summary).endswith("(3 empty)")

    out = tmp_path / "none"
    result = cli(["build", str(empty), str(blank), str(hollow), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: no document with text in {empty}, {blank}, {hollow} (3 empty)\n"
    assert not out.exists()


# -- binary file with a text extension ----------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", "PDF", id="pdf"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "PNG", id="png"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "JPEG", id="jpeg"),
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00\x08\x00word/document.xml", "ZIP", id="zip-docx"),
        pytest.param(b"Angela Merkel\x00\x00\x00\x01\x02 met Macron", "NUL bytes", id="nul-bytes"),
        pytest.param(bytes(range(1, 9)) * 100 + b"Paris", "control characters", id="control-chars"),
    ],
)
def test_a_binary_file_with_a_text_suffix_is_skipped_with_a_warning_naming_it(tmp_path, data, kind):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(data)
    (corpus / "b.txt").write_text(STORY, encoding="utf-8")
    documents, report = _read([corpus])
    assert documents == [("b.txt", STORY)]
    assert report.problems == [f"{corpus / 'a.txt'}: looks binary ({kind}); skipped"]
    assert report.binary == 1


# -- Windows-1252 / Latin-1, UTF-16 with BOM, UTF-8 with BOM -------------------------------

ACCENTED = "François Hollande met José Müller in Zürich on Tuesday."
NAMES = {"François Hollande", "José Müller", "Zürich"}
NOT_UTF8 = "not valid UTF-8 (byte 4); read as Windows-1252"


@pytest.mark.parametrize(
    ("data", "text", "problem"),
    [
        pytest.param(
            (ACCENTED + " It cost 5 € – “cheap”.").encode("cp1252"),
            ACCENTED + " It cost 5 € – “cheap”.",
            NOT_UTF8,
            id="windows-1252",
        ),
        pytest.param(ACCENTED.encode("latin-1"), ACCENTED, NOT_UTF8, id="latin-1"),
        pytest.param(  # the five bytes Windows-1252 leaves undefined read as browsers do
            ACCENTED.encode("cp1252") + b" \x81\x8d\x8f\x90\x9d",
            ACCENTED + " \x81\x8d\x8f\x90\x9d",
            NOT_UTF8,
            id="windows-1252-undefined-bytes",
        ),
        pytest.param(codecs.BOM_UTF8 + ACCENTED.encode("utf-8"), ACCENTED, None, id="utf-8-bom"),
        pytest.param(ACCENTED.encode("utf-8"), ACCENTED, None, id="utf-8"),
        pytest.param(
            codecs.BOM_UTF16_LE + ACCENTED.encode("utf-16-le"), ACCENTED, None, id="utf-16-le-bom"
        ),
        pytest.param(
            codecs.BOM_UTF16_BE + ACCENTED.encode("utf-16-be"), ACCENTED, None, id="utf-16-be-bom"
        ),
        pytest.param(ACCENTED.encode("utf-32"), ACCENTED, None, id="utf-32-bom"),
        pytest.param(
            ACCENTED.encode("utf-16-le"),
            ACCENTED,
            "no byte order mark; read as UTF-16-LE",
            id="utf-16-le-without-bom",
        ),
    ],
)
def test_common_encodings_decode_and_accented_names_reach_the_graph(nlp, tmp_path, data, text, problem):
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    documents, report = _read([path])
    assert documents == [("a.txt", text)]
    assert report.problems == ([f"{path}: {problem}"] if problem else [])
    labels = {label for _, label in graph_of(extracted([path], nlp)).nodes(data="label")}
    assert NAMES <= labels


# -- JSONL with a malformed line, a row without the text field, a non-string text ---------


def test_bad_jsonl_rows_are_reported_with_file_and_line_and_the_rest_kept(tmp_path):
    path = tmp_path / "rows.jsonl"
    lines = [
        '{"id": "a", "text": "Angela Merkel visited Paris."}',
        '{"id": "b", "text": "broken',
        '{"id": "c", "body": "the text is elsewhere"}',
        '{"id": "d", "text": 42}',
        '{"id": "e", "text": null}',
        '["not", "an", "object"]',
        "",
        # U+2028 is legal inside a JSON string: the row must not be cut there.
        '{"id": "f", "text": "Emmanuel Macron stayed in Lyon.\u2028Then Nice."}',
        "[" * 50_000,
        '{"text": "Olaf Scholz"}',
    ]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    documents, report = _read([path])
    assert documents == [
        ("a", "Angela Merkel visited Paris."),
        ("f", "Emmanuel Macron stayed in Lyon.\u2028Then Nice."),
        ("rows.jsonl:10", "Olaf Scholz"),
    ]
    assert report.problems == [
        f"{path}:2: not valid JSON (Unterminated string starting at); row skipped",
        f"{path}:3: no field 'text'; row skipped",
        f"{path}:4: field 'text' is a number, not a string; row skipped",
        f"{path}:5: field 'text' is null, not a string; row skipped",
        f"{path}:6: row is not a JSON object; row skipped",
        f"{path}:9: not valid JSON (nested too deeply); row skipped",
    ]


# -- CSV with a missing text column --------------------------------------------------------


def test_a_csv_without_the_text_column_is_an_error_naming_its_columns(cli, tmp_path):
    path = tmp_path / "news.csv"
    path.write_text('id,headline,body\n1,Summit,"Angela Merkel met Emmanuel Macron in Paris."\n', encoding="utf-8")
    out = tmp_path / "out"
    result = cli(["build", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Warning: {path}: no column 'text' (columns: id, headline, body); file skipped, "
        "choose the column with --text-field\n"
        f"Error: no document with text in {path} (1 unreadable)\n"
    )
    assert not out.exists()
    chosen = cli(["build", str(path), "-o", str(out), "--text-field", "body", "--json"])
    assert chosen.exit_code == 0, chosen.output
    assert json.loads(chosen.stdout)["documents"] == 1


# -- a 200 MB single text file (the full size runs in benchmarks/big_input.py) ------------


def test_a_big_text_file_is_read_in_pieces_cut_at_paragraphs_in_bounded_memory(nlp, tmp_path, monkeypatch):
    text = "".join(
        f"Report {i}: Angela Merkel met Emmanuel Macron in Paris.\r\nThey spoke for {i} minutes.\r\n\r\n"
        for i in range(60)
    )
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode("utf-8"))

    documents, _ = _read([path], piece_chars=1000)
    assert len(documents) > 5
    for doc_id, piece in documents:
        start = int(doc_id.removeprefix("big.txt#char="))
        assert text[start : start + len(piece)] == piece
        assert len(piece) <= 1000
    assert all(piece.endswith("\r\n\r\n") for _, piece in documents)
    assert "".join(piece for _, piece in documents) == text

    # 48 MB read with the default piece size: peak memory stays a few pieces, not the file.
    huge = tmp_path / "huge.txt"
    paragraph = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20 + "\n\n").encode()
    with huge.open("wb") as handle:
        for _ in range(48 * 2**20 // len(paragraph)):
            handle.write(paragraph)
    tracemalloc.start()
    try:
        report = ReadReport()
        characters = sum(len(d.text) for d in read_documents([huge], report))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert characters == huge.stat().st_size
    assert report.documents >= 48
    assert peak < 12 * 2**20, f"peak {peak / 2**20:.1f} MiB reading a 48 MiB file"

    # Offsets in mentions.csv are relative to the piece its doc_id names.
    monkeypatch.setattr("graph.documents.PIECE_CHARS", 1000)
    out = tmp_path / "out"
    summary = build([path], out, nlp=nlp)
    assert summary.documents == len(documents)
    with (out / "mentions.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 3 * 60
    for row in rows:
        start = int(row["doc_id"].removeprefix("big.txt#char="))
        assert text[start + int(row["start"]) : start + int(row["end"])] == row["text"]


# -- symlink loop, very deep tree, duplicate paths given twice ----------------------------

DEPTH = 1200  # deeper than Python's recursion limit: os.walk (recursive in 3.11) dies here


def test_link_loops_deep_trees_and_repeated_paths_end_and_read_each_file_once(tmp_path):
    root = tmp_path / "corpus"
    (root / "a").mkdir(parents=True)
    (root / "a" / "one.txt").write_text("One", encoding="utf-8")
    (root / "a" / "up").symlink_to("..")
    (root / "a" / "here").symlink_to(".")
    (root / "b").symlink_to("a")
    (root / "two.txt").write_text("Two", encoding="utf-8")
    (root / "via-link.txt").symlink_to("two.txt")
    (root / "loop.txt").symlink_to("loop.txt")
    deep = root / "deep"
    deep.mkdir()
    for _ in range(DEPTH):  # one level at a time: mkdir(parents=True) recurses too
        deep = deep / "d"
        deep.mkdir()
    (deep / "bottom.txt").write_text("Bottom", encoding="utf-8")
    try:
        inputs = [root, root, root / "two.txt", str(root / "a" / "*.txt"), str(root / "**" / "*.txt")]
        with _time_limit(30):
            documents, report = _read(inputs)
    finally:
        # pytest's recursive clean-up would overflow on this tree
        (deep / "bottom.txt").unlink()
        for level in range(DEPTH, -1, -1):
            (root / "deep" / "/".join(["d"] * level)).rmdir()

    assert documents == [
        ("two.txt", "Two"),
        ("a/one.txt", "One"),
        ("deep/" + "d/" * DEPTH + "bottom.txt", "Bottom"),
    ]
    assert report.problems == [f"{root / 'loop.txt'}: broken or looping symbolic link; skipped"]


# -- document text full of markup, and control characters ---------------------------------

HOSTILE = (
    "Angela Merkel wrote <script>window.__xss=1</script> to Emmanuel Macron in Paris.\n\n"
    'Barack Obama said "></div><img src=x onerror=window.__xss=1> while Vladimir Putin '
    "visited Moscow {{ 7*7 }} </script><script>window.__xss=1</script>.\n\n"
    "Barack Obama met Angela Merkel in Berlin\x01\x0b\x1f today.\n"
)


def test_markup_in_documents_stays_text_in_the_browser_and_graphml_stays_well_formed(
    nlp, browser, xmllint, tmp_path
):
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "out"
    build([path], out, nlp=nlp)

    graphml = out / "graph.graphml"
    checked = subprocess.run([xmllint, "--noout", str(graphml)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert not any(byte in graphml.read_bytes() for byte in b"\x01\x0b\x1f")
    graph = nx.read_graphml(graphml)
    ids = {label: node for node, label in graph.nodes(data="label")}
    evidence = {e for _, _, e in graph.edges(data="evidence")}
    assert "[hostile.txt] Barack Obama met Angela Merkel in Berlin today." in evidence  # \x01 gone
    assert any("<script>window.__xss=1</script>" in e for e in evidence)

    view = open_view(browser, out / "graph.html")
    try:
        pairs = [("Angela Merkel", "Emmanuel Macron"), ("Barack Obama", "Vladimir Putin")]
        for a, b in pairs:
            edge_id = view.js(
                "([a, b]) => window.edges.get({filter: e => (e.from === a && e.to === b)"
                " || (e.from === b && e.to === a)})[0].id",
                [ids[a], ids[b]],
            )
            view.click_edge(edge_id)
            shown = view.page.locator("#panel ol").inner_text()
            assert "<script>window.__xss=1</script>" in shown
        assert '"></div><img src=x onerror=window.__xss=1>' in shown
        assert "{{ 7*7 }} </script><script>" in shown
        assert view.js("window.__xss") is None
        assert view.js("document.querySelectorAll('img, iframe').length") == 0
        assert view.js("document.scripts.length") == 3
        assert view.dialogs == []
        assert view.errors == []
    finally:
        view.page.close()


# -- output directory not writable, disk full, Ctrl-C mid-run -----------------------------

PREVIOUS = {
    "graph.graphml": b"old graphml\n",
    "graph.html": b"old html\n",
    "mentions.csv": b"old csv\n",
    "relations.csv": b"old relations\n",
    "documents.csv": b"old documents\n",
}


def _fail_writes_to(name: str, error: BaseException, monkeypatch) -> None:
    """Make writing the temporary file of output `name` raise `error` (the disk filling
    up, Ctrl-C) after the writer has started."""
    real_fdopen = os.fdopen

    class Failing:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.handle.__exit__(*exc)

        def write(self, data):
            raise error

        def __getattr__(self, attr):
            return getattr(self.handle, attr)

    def fdopen(fd, *args, **kwargs):
        handle = real_fdopen(fd, *args, **kwargs)
        if name in os.readlink(f"/proc/self/fd/{fd}"):
            return Failing(handle)
        return handle

    monkeypatch.setattr(os, "fdopen", fdopen)


@pytest.mark.parametrize(
    ("failure", "code", "message"),
    [
        pytest.param("not-writable", 1, "Error: cannot write to {out}: Permission denied\n", id="not-writable"),
        pytest.param("not-a-directory", 1, "Error: cannot write to {out}: Not a directory\n", id="not-a-directory"),
        pytest.param(
            "disk-full", 1, "Error: cannot write {out}/mentions.csv: No space left on device\n", id="disk-full"
        ),
        pytest.param("ctrl-c", 130, "Error: interrupted\n", id="ctrl-c-while-writing"),
    ],
)
def test_a_failed_write_is_one_line_and_leaves_the_previous_outputs_intact(
    cli, story, tmp_path, monkeypatch, failure, code, message
):
    out = tmp_path / "out"
    out.mkdir()
    for name, data in PREVIOUS.items():
        (out / name).write_bytes(data)
    if failure == "not-writable":
        # root may write anywhere, so the refusal is simulated where the run first writes
        def refuse(*args, **kwargs):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

        monkeypatch.setattr("tempfile.mkdtemp", refuse)
    elif failure == "not-a-directory":
        out = tmp_path / "out" / "graph.html" / "sub"
    elif failure == "disk-full":
        _fail_writes_to("mentions.csv", OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), monkeypatch)
    else:
        _fail_writes_to("mentions.csv", KeyboardInterrupt(), monkeypatch)

    result = cli(["build", str(story), "-o", str(out)])
    assert result.exit_code == code
    assert result.stdout == ""
    assert result.stderr == message.format(out=out)
    assert _files(tmp_path / "out") == PREVIOUS


def test_ctrl_c_mid_run_exits_130_with_one_line_and_the_previous_outputs_intact(tmp_path):
    corpus = tmp_path / "big.txt"
    corpus.write_text((STORY + "\n") * 40_000, encoding="utf-8")  # minutes of work
    out = tmp_path / "out"
    out.mkdir()
    for name, data in PREVIOUS.items():
        (out / name).write_bytes(data)
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "build", str(corpus), "-o", str(out)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Interrupt while the corpus is being recognized: the cache opens for its results.
        deadline = time.monotonic() + 60
        while not (out / CACHE_NAME).exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the run never began recognizing"
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130
    assert (stdout, stderr) == ("", "Error: interrupted\n")
    assert _files(out) == PREVIOUS


@pytest.mark.parametrize(
    "after",
    [
        pytest.param(0.3, id="loading-python-libraries"),
        pytest.param(0.5, id="loading-spacy"),
        pytest.param(1.2, id="loading-the-model"),
        pytest.param(2.5, id="starting-workers"),
        pytest.param(4.0, id="workers-loading-the-model"),
        pytest.param(6.0, id="workers-reading"),
    ],
)
def test_ctrl_c_in_a_terminal_at_any_moment_is_one_line_and_exit_130(tmp_path, after):
    """Ctrl-C in a terminal reaches every process of the group, workers included."""
    corpus = tmp_path / "big.txt"
    corpus.write_text((STORY + "\n") * 40_000, encoding="utf-8")  # never done in time
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "build", str(corpus), "-o", str(tmp_path / "out"), "--workers", "2"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        time.sleep(after)
        os.killpg(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert (process.returncode, stdout, stderr) == (130, "", "Error: interrupted\n")
    # The cache may hold what was extracted; no output file is written.
    assert [p.name for p in (tmp_path / "out").glob("*") if not p.name.startswith(CACHE_NAME)] == []


# Writes the outputs of a one-sentence graph into sys.argv[1], killed outright (SIGKILL, as
# by the OOM killer or a power cut) while the HTML is being written.
_KILLED_MID_WRITE = """
import os, signal, sys
from pathlib import Path
import graph.export
from graph.pipeline import record
from tests.conftest import extraction

store = record([extraction("d", [("Angela Merkel", "PERSON"), ("Paris", "PLACE")])])
kill = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
graph.export.FORMATS["html"] = graph.export.Format("graph.html", kill)
graph.export.write_outputs(store, Path(sys.argv[1]))
"""


def test_a_build_killed_outright_leaves_old_outputs_and_the_next_build_clears_its_leftovers(
    tmp_path, nlp, story
):
    out = tmp_path / "out"
    out.mkdir()
    for name, data in PREVIOUS.items():
        (out / name).write_bytes(data)
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_MID_WRITE, str(out)], cwd=REPO, capture_output=True
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert {name: (out / name).read_bytes() for name in PREVIOUS} == PREVIOUS
    (leftover,) = [p for p in out.iterdir() if p.name.startswith(".entigraph-")]
    assert (leftover / "graph.graphml").exists()  # written before the kill
    _age(leftover)

    build([story], out, nlp=nlp)
    assert sorted(p.name for p in out.iterdir()) == sorted([CACHE_NAME, STORE_NAME, *PREVIOUS])
    assert _files(out) != PREVIOUS


def test_a_staging_directory_in_use_by_a_running_build_is_left_alone(tmp_path, nlp, story):
    import fcntl

    out = tmp_path / "out"
    in_use = out / ".entigraph-running"
    in_use.mkdir(parents=True)
    (in_use / "graph.graphml").write_text("being written", encoding="utf-8")
    _age(in_use)
    fd = os.open(in_use, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as the other build holds it
        build([story], out, nlp=nlp)
        assert (in_use / "graph.graphml").read_text(encoding="utf-8") == "being written"
    finally:
        os.close(fd)
    assert sorted(p.name for p in out.iterdir()) == sorted([CACHE_NAME, ".entigraph-running", STORE_NAME, *PREVIOUS])


def _age(path: Path, seconds: float = 60) -> None:
    """Date `path` back, as a leftover of an earlier run is."""
    then = time.time() - seconds
    os.utime(path, (then, then))


# -- the same input twice ------------------------------------------------------------------


def test_the_same_input_twice_gives_byte_identical_outputs(tmp_path):
    # Two interpreters with different string hashing: set order must not leak into files.
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-m", "cli", "build", str(SAMPLE), "-o", str(out), "-q"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        outputs.append(_files(out))
    assert sorted(outputs[0]) == ["documents.csv", "graph.graphml", "graph.html", "mentions.csv", "relations.csv"]
    assert outputs[0] == outputs[1]


def test_an_output_directory_inside_the_input_is_not_read_back(nlp, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(SAMPLE.glob("*.txt")):
        (corpus / path.name).write_bytes(path.read_bytes())
    out = corpus / "out"  # `entigraph build .` with the default --out
    first = build([corpus], out, nlp=nlp)
    written = _files(out)
    second = build([corpus], out, nlp=nlp)
    assert _files(out) == written
    assert second.documents == first.documents == 5
    assert second.problems == (f"{out}: the output directory; not read as input",)

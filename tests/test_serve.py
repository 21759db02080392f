"""`entigraph serve` starting (graph.serve): the URL it prints answers, and each reason it
cannot start is one line on stderr through the command line's error handler."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from graph.store import STORE_NAME
from tests.conftest import REPO

runner = CliRunner()
EXTRA = "Error: entigraph serve needs the optional extra: pip install 'entigraph[serve]'\n"


def serve_fails(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["serve", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("make", "says"),
    [
        pytest.param(lambda out: None, "no store at", id="missing"),
        pytest.param(lambda out: (out / STORE_NAME).write_bytes(b"not a database at all" * 100), "not an entigraph store", id="corrupt"),
        pytest.param(lambda out: (out / STORE_NAME).write_bytes(b""), "not an entigraph store", id="empty"),
    ],
)
def test_a_store_that_cannot_be_read_is_one_line_at_start_up(tmp_path: Path, make, says: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    make(out)
    code, stdout, stderr = serve_fails(str(out), "--port", "0")
    assert (code, stdout) == (1, "")
    assert stderr.startswith("Error: ") and says in stderr and stderr.count("\n") == 1


def test_a_port_in_use_is_one_line(sample_build) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        port = taken.getsockname()[1]
        code, stdout, stderr = serve_fails(str(sample_build[1]), "--port", str(port))
    finally:
        taken.close()
    assert (code, stdout) == (1, "")
    assert stderr.startswith(f"Error: cannot listen on 127.0.0.1:{port}: ") and "--port" in stderr
    assert stderr.count("\n") == 1


def test_without_the_serve_extra_the_error_names_it(sample_build, monkeypatch) -> None:
    # None in sys.modules makes `import uvicorn` fail as if it were not installed.
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    assert serve_fails(str(sample_build[1])) == (1, "", EXTRA)


def test_serve_prints_a_url_that_answers_and_stops_on_ctrl_c(sample_build) -> None:
    out = sample_build[1]
    server = subprocess.Popen(
        [sys.executable, "-c", "from cli import app; app()", "serve", str(out), "--port", "0"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        line = server.stdout.readline()  # printed once it listens
        assert line.startswith(f"Serving {out} at http://127.0.0.1:"), line + server.stderr.read()
        url = line.split(" at ")[1].split(" ")[0]
        with urllib.request.urlopen(url + "api/search?q=hamas") as answer:
            assert json.load(answer)["results"][0]["entity"]["label"] == "Hamas"
        with urllib.request.urlopen(url) as page:
            assert 'id="graph-data"' in page.read().decode()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    assert server.returncode == 0, server.stderr.read()


def test_on_another_host_the_url_carries_the_token(sample_build, monkeypatch) -> None:
    from graph.serve import Served, serve

    told: list[Served] = []
    # 0.0.0.0 listens everywhere; stop before running: only the URL is wanted here
    monkeypatch.setattr("uvicorn.Server.run", lambda self, sockets: sockets[0].close())
    serve(sample_build[1], host="0.0.0.0", port=0, on_ready=told.append)
    assert told[0].url.startswith(f"http://0.0.0.0:{told[0].port}/?token=")
    assert len(told[0].url.split("token=")[1]) >= 32

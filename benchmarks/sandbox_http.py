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
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from benchmarks._harness import (
    CAMPAIGNS,
    CREATE_BODY,
    ENGAGE_DOCUMENT,
    PRISM_VERSION,
    THREADS,
    Load,
    Operation,
    Server,
    bench_parser,
    call,
    find_wrk,
    free_port,
    median_sample,
    parse_known,
    prism_command,
    run_wrk,
    serve,
    server_process,
    write_wrk_script,
    wrk_version,
)
from benchmarks._results import record

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

OPERATIONS = (Operation("list", "GET"), Operation("create", "POST", CREATE_BODY))


def parse_args() -> argparse.Namespace:
    parser = bench_parser(
        __doc__, skip_prism="compare with Starlette only", serve_bare="BODIES_JSON"
    )
    return parse_known(parser)


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
    serve(app, port)


def prism_argv(port: int) -> list[str]:
    """Prism mocking openapi/engage.yaml."""
    # Its fastest setup: static examples (no -d), errors-only logging, no CORS headers (the
    # sandbox sends none), one process (no -m). Request validation stays on, as in the sandbox.
    return prism_command("mock", str(ENGAGE_DOCUMENT), port=port)


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


def ratio_line(label: str, value: str, target: str, met: bool) -> str:
    """Print a figure against its target; the same as a note of the benchmark's figures."""
    verdict = "met" if met else "MISSED"
    print(f"  {label:<56} {value:>9}   target {target:<8} {verdict}")
    return f"{label}: {value} (target {target}: {verdict})."


def report(servers: list[Server]) -> None:
    medians = {
        (server.label, name): median_sample(samples)
        for server in servers
        for name, samples in server.results.items()
    }
    print(
        f"{'operation':<10}{'server':<{LABEL_WIDTH}}{'requests/s':>12}{'p99 ms':>10}"
        f"{'CPU µs/req':>12}"
    )
    rows = []
    for operation in OPERATIONS:
        for server in servers:
            sample = medians[server.label, operation.name]
            print(
                f"{operation.name:<10}{server.label:<{LABEL_WIDTH}}"
                f"{sample.requests_per_second:>12.0f}"
                f"{sample.p99_ms:>10.1f}{sample.cpu_us_per_request:>12.0f}"
            )
            rows.append(
                [
                    operation.name,
                    server.label,
                    f"{sample.requests_per_second:.0f}",
                    f"{sample.p99_ms:.1f}",
                    f"{sample.cpu_us_per_request:.0f}",
                ]
            )
    notes = []
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
            notes.append(
                ratio_line(f"{operation.name}: {sandbox}/{other} requests/s", value, target, met)
            )
        notes.append(
            ratio_line(
                f"{operation.name}: {sandbox} p99",
                f"{ours.p99_ms:.1f} ms",
                f"< {TARGET_P99_MS:.0f} ms",
                ours.p99_ms < TARGET_P99_MS,
            )
        )
    # The target for --state: its fastest setup (one worker or two) against Prism.
    prism = next((other for other in others if other.startswith("Prism")), "")
    stateful = [sandbox for sandbox in sandboxes if "--state" in sandbox]
    for operation in OPERATIONS if prism and stateful else ():
        fastest = max(
            stateful, key=lambda label: medians[label, operation.name].requests_per_second
        )
        ours, theirs = medians[fastest, operation.name], medians[prism, operation.name]
        share = ours.requests_per_second / theirs.requests_per_second
        notes.append(
            ratio_line(
                f"{operation.name}: --state at its fastest ({fastest})",
                f"{share:.2f}x",
                f"≥ {TARGET_PRISM_RATIO:.0f}x, p99 < {TARGET_P99_MS:.0f} ms",
                share >= TARGET_PRISM_RATIO and ours.p99_ms < TARGET_P99_MS,
            )
        )
    columns = ("operation", "server", "requests/s", "p99 ms", "CPU µs/req")
    record("sandbox_http", columns, rows, notes)


def main() -> None:
    args = parse_args()
    if args.serve_bare:
        serve_bare(args.serve_bare, args.port)
        return
    wrk = find_wrk("sandbox_http")
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-http-")))
        load = Load(wrk, write_wrk_script(scratch), args.connections)
        servers = start_servers(stack, scratch, args.skip_prism)
        print(
            f"{wrk_version(wrk)}, {THREADS} threads,"
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

"""The validating proxy's cost: `campaign-proxy` in front of a local upstream (the sandbox),
Engage's list (GET /_rest/v2/campaigns, one campaign) under wrk, next to a bare pass-through
proxy of the same stack (uvicorn and the proxy's pooled aiohttp session, nothing checked or
recorded) and Stoplight Prism 5's proxy mode (`prism proxy`, which validates too) on the same
upstream, in one run, interleaved: requests/s at 32 connections; p50 and p99 latency added to the
upstream's own, at 1 connection (under full load, latency is queueing); CPU per request of
the proxy's process tree (the upstream's is the same for all); with and without `--record`.
Targets: campaign-proxy ≥ 2 times Prism's requests/s, ≤ 2 ms added p50, recording costing
≤ 20 % of the requests/s."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import yarl
from starlette.types import ASGIApp, Receive, Scope, Send

from benchmarks._harness import (
    CAMPAIGNS,
    CREATE_BODY,
    ENGAGE_DOCUMENT,
    PRISM_VERSION,
    Load,
    Operation,
    Sample,
    Server,
    bench_parser,
    call,
    find_wrk,
    free_port,
    parse_known,
    prism_command,
    run_wrk,
    serve,
    server_process,
    write_wrk_script,
)
from benchmarks._results import record
from campaign_contracts.proxy.app import read_request, upstream_session, without_hop_by_hop

LIST = Operation("list", "GET")
TARGET_PRISM_RATIO = 2.0
TARGET_ADDED_P50_MS = 2.0
TARGET_RECORDING_COST = 0.20


def parse_args() -> argparse.Namespace:
    parser = bench_parser(__doc__, skip_prism="leave Prism out", serve_bare="UPSTREAM")
    parser.add_argument(
        "--pin",
        action=argparse.BooleanOptionalAction,
        default=len(available_cpus()) > 1,
        help="keep the proxies to one CPU, the upstream and wrk to the others, so that they do"
        " not fight over a core (default: on with two CPUs or more)",
    )
    return parse_known(parser)


def available_cpus() -> list[int]:
    return sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []


def bare_proxy(upstream: str) -> ASGIApp:
    """Forward and pass back, as campaign-proxy does (aiohttp's pool, the same session
    settings), with nothing checked or recorded."""
    sessions: list[aiohttp.ClientSession] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        if not sessions:
            sessions.append(upstream_session())
        body = (await read_request(receive, sys.maxsize)).head
        url = upstream + scope["raw_path"].decode("latin-1")
        if scope["query_string"]:
            url += "?" + scope["query_string"].decode("latin-1")
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in scope["headers"]
            if name != b"host"
        ]
        async with sessions[0].request(
            scope["method"],
            yarl.URL(url, encoded=True),
            headers=headers,
            data=body or None,
            allow_redirects=False,
        ) as response:
            answer = await response.read()
        start = {"type": "http.response.start", "status": response.status}
        await send({**start, "headers": without_hop_by_hop(response.raw_headers)})
        await send({"type": "http.response.body", "body": answer})

    return app


def serve_bare(upstream: str, port: int) -> None:
    serve(bare_proxy(upstream), port, server_header=False, date_header=False)


@dataclass
class Measured:
    server: Server
    throughput: list[Sample] = field(default_factory=list)
    latency: list[Sample] = field(default_factory=list)

    def median(self, samples: str, attribute: str) -> float:
        return float(
            statistics.median(getattr(sample, attribute) for sample in getattr(self, samples))
        )


@dataclass(frozen=True)
class Placement:
    """The CPUs the proxies keep to, and those of the upstream and wrk (None: anywhere)."""

    proxies: frozenset[int] | None = None
    others: frozenset[int] | None = None

    @classmethod
    def of(cls, pin: bool) -> Placement:
        cpus = available_cpus()
        if not pin or len(cpus) < 2:  # noqa: PLR2004
            return cls()
        return cls(frozenset(cpus[:1]), frozenset(cpus[1:]))

    def describe(self) -> str:
        if self.proxies is None:
            return "wrk and every server share the machine's CPUs"
        return (
            f"each proxy on CPU {','.join(map(str, sorted(self.proxies)))}, upstream and wrk on"
            f" CPU {','.join(map(str, sorted(self.others or ())))}"
        )


@contextmanager
def servers(scratch: Path, skip_prism: bool, placement: Placement) -> Iterator[list[Server]]:
    with ExitStack() as stack:

        def start(label: str, argv: list[str], port: int, cpus: frozenset[int] | None) -> Server:
            log = stack.enter_context((scratch / f"{label.split(maxsplit=1)[0]}.log").open("w+b"))
            return stack.enter_context(server_process(label, argv, port, log, cpus=cpus))

        def start_proxy(label: str, argv: list[str]) -> None:
            port = free_port()
            found.append(start(label, [*argv, "--port", str(port)], port, placement.proxies))

        bin_dir = str(Path(sys.executable).parent)
        sandbox_port = free_port()
        sandbox = start(
            "upstream (sandbox)",
            [
                shutil.which("campaign-sandbox", path=bin_dir) or "campaign-sandbox",
                *("--port", str(sandbox_port), "--no-access-log", "--log-level", "warning"),
            ],
            sandbox_port,
            placement.others,
        )
        # One campaign in the list, as in the sandbox's benchmark.
        call(sandbox.base_url, "POST", "/_sandbox/reset")
        call(sandbox.base_url, "POST", CAMPAIGNS, CREATE_BODY)
        proxy = shutil.which("campaign-proxy", path=bin_dir) or "campaign-proxy"
        upstream = ["--upstream", f"engage={sandbox.base_url}", "--log-level", "warning"]
        found = [sandbox]
        start_proxy("campaign-proxy", [proxy, *upstream])
        record = ["--record", str(scratch / "recordings"), "--record-rotate", "10000"]
        start_proxy("campaign-proxy --record", [proxy, *upstream, *record])
        bare = [sys.executable, "-m", "benchmarks.proxy_http", "--serve-bare", sandbox.base_url]
        start_proxy("bare pass-through", bare)
        if not skip_prism:
            # Prism takes its port last, as prism_command puts it.
            port = free_port()
            argv = prism_command("proxy", str(ENGAGE_DOCUMENT), sandbox.base_url, port=port)
            found.append(start(f"Prism {PRISM_VERSION} proxy", argv, port, placement.proxies))
        yield found


def main() -> None:
    args = parse_args()
    if args.serve_bare:
        serve_bare(args.serve_bare, args.port)
        return
    wrk = find_wrk("proxy_http")
    placement = Placement.of(args.pin)
    with tempfile.TemporaryDirectory(prefix="bench-proxy-") as scratch_dir:
        scratch = Path(scratch_dir)
        script = write_wrk_script(scratch)
        heavy = Load(wrk, script, args.connections, placement.others)
        light = Load(wrk, script, 1, placement.others)
        with servers(scratch, args.skip_prism, placement) as found:
            print(
                f"proxy benchmark: Engage list, {args.connections} connections for requests/s,"
                f" 1 for latency; median of {args.runs} x {args.duration} s after"
                f" {args.warmup} s warm-up; {placement.describe()}",
                flush=True,
            )
            measured = [Measured(server) for server in found]
            for entry in measured:
                run_wrk(heavy, entry.server, LIST, args.warmup)
            # Interleaved (ABCABC…): a noisy spell of the machine hits every server alike.
            for _ in range(args.runs):
                for entry in measured:
                    entry.throughput.append(run_wrk(heavy, entry.server, LIST, args.duration))
                    entry.latency.append(run_wrk(light, entry.server, LIST, args.duration))
            report(measured)


def report(measured: list[Measured]) -> None:
    upstream, *proxies = measured
    base_p50 = upstream.median("latency", "p50_ms")
    base_p99 = upstream.median("latency", "p99_ms")
    columns = ("server", "requests/s", "(min-max)", "added p50 ms", "added p99 ms", "CPU µs/req")
    print(
        f"{columns[0]:<28}{columns[1]:>11}{columns[2]:>14}{columns[3]:>14}{columns[4]:>14}{columns[5]:>12}"
    )
    rows: list[list[str]] = []

    def row(entry: Measured, p50: str, p99: str) -> None:
        rates = [sample.requests_per_second for sample in entry.throughput]
        spread = f"{min(rates):.0f}-{max(rates):.0f}"
        cells = [
            entry.server.label,
            f"{entry.median('throughput', 'requests_per_second'):.0f}",
            spread,
            p50,
            p99,
            f"{entry.median('throughput', 'cpu_us_per_request'):.0f}",
        ]
        print(
            f"{cells[0]:<28}{cells[1]:>11}{cells[2]:>14}{cells[3]:>14}{cells[4]:>14}{cells[5]:>12}"
        )
        rows.append(cells)

    row(upstream, f"({base_p50:.2f})", f"({base_p99:.2f})")
    for entry in proxies:
        added_p50 = entry.median("latency", "p50_ms") - base_p50
        row(entry, f"{added_p50:.2f}", f"{entry.median('latency', 'p99_ms') - base_p99:.2f}")
    print("(upstream row: its own p50 and p99 at 1 connection; CPU: each server's process tree)")
    by_label = {entry.server.label: entry for entry in proxies}

    def rate(label: str) -> float:
        return by_label[label].median("throughput", "requests_per_second")

    def cpu(label: str) -> float:
        return by_label[label].median("throughput", "cpu_us_per_request")

    ours = rate("campaign-proxy")
    added_p50 = by_label["campaign-proxy"].median("latency", "p50_ms") - base_p50
    lines: list[tuple[str, str, str, bool | None]] = [
        (
            "campaign-proxy / bare pass-through requests/s",
            f"{ours / rate('bare pass-through'):.0%}",
            "-",
            None,
        ),
        (
            "campaign-proxy added p50",
            f"{added_p50:.2f} ms",
            f"≤ {TARGET_ADDED_P50_MS:.0f} ms",
            added_p50 <= TARGET_ADDED_P50_MS,
        ),
    ]
    cost = 1 - rate("campaign-proxy --record") / ours
    # What the cost would be with the CPU all the proxy's: its requests/s go as 1 / CPU.
    cpu_cost = 1 - cpu("campaign-proxy") / cpu("campaign-proxy --record")
    target = f"≤ {TARGET_RECORDING_COST:.0%}"
    lines.append(
        ("recording's cost in requests/s", f"{cost:.0%}", target, cost <= TARGET_RECORDING_COST)
    )
    lines.append(
        (
            "recording's cost by CPU per request",
            f"{cpu_cost:.0%}",
            target,
            cpu_cost <= TARGET_RECORDING_COST,
        )
    )
    prism = next((label for label in by_label if label.startswith("Prism")), None)
    if prism is not None:
        ratio = ours / rate(prism)
        target = f"≥ {TARGET_PRISM_RATIO:.0f}x"
        lines.append(
            (
                f"campaign-proxy / {prism} requests/s",
                f"{ratio:.2f}x",
                target,
                ratio >= TARGET_PRISM_RATIO,
            )
        )
        cpu_ratio = cpu(prism) / cpu("campaign-proxy")
        lines.append(
            (
                f"{prism} / campaign-proxy CPU per request",
                f"{cpu_ratio:.2f}x",
                target,
                cpu_ratio >= TARGET_PRISM_RATIO,
            )
        )
    notes = ["Upstream row: its own p50 and p99 at 1 connection; CPU: each server's process tree."]
    for label, value, target, met in lines:
        verdict = "" if met is None else "met" if met else "MISSED"
        print(f"  {label:<48} {value:>9}   target {target:<8} {verdict}")
        notes.append(f"{label}: {value}" + (f" (target {target}: {verdict})" if verdict else "."))
    print(
        "(the targets are on requests/s; the CPU lines say the same of a machine whose CPU is"
        " all the proxy's, which a contended run's requests/s do not)"
    )
    record("proxy_http", columns, rows, notes)


if __name__ == "__main__":
    main()

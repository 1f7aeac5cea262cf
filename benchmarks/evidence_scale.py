"""Evidence over a week of recorded traffic: 100,000 exchanges, wall-clock time and peak memory
(targets: under 30 s, under 500 MiB), beside the time and memory to merely parse the same HAR
files with ijson.

The recordings are made the way a team makes them: a short scenario through campaign-proxy
(`--record`) in front of the sandbox, whose entries are then repeated, with later start times,
into four files of the proxy's format until they hold `--exchanges` entries. Each measurement
is a fresh process (`python -m campaign_contracts.evidence FILE ...`), its peak resident memory
read from the kernel when it ends.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks._results import record
from campaign_contracts.proxy.app import Proxy, ProxySettings
from campaign_contracts.proxy.cli import SERVER_OPTIONS
from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import build_config
from campaign_contracts.sandbox.serving import serve_in_thread

TOKEN = "bench-token"
SESSION = "bench-session"
USER = "bench-user"
FILES = 4
TARGET_SECONDS = 30
TARGET_MIB = 500
SMS = {"sms": {"shortCode": "9498671145", "templateId": "6708a567654ca1d854afa3bd", "version": 1}}
# Run first in each measured process: its peak resident memory (VmHWM, that of this program
# alone; ru_maxrss would include the benchmark's own, from before exec) to a file at exit.
PEAK = """
import atexit, os, runpy, sys
def peak():
    with open("/proc/self/status") as status, open(os.environ["BENCH_PEAK_FILE"], "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
atexit.register(peak)
"""
EVIDENCE = PEAK + "runpy.run_module('campaign_contracts.evidence', run_name='__main__')"
PARSE_ONLY = (
    PEAK
    + """
import ijson
count = 0
for name in sys.argv[1:]:
    with open(name, "rb") as stream:
        for _ in ijson.items(stream, "log.entries.item", use_float=True):
            count += 1
print(count)
"""
)


@dataclass(frozen=True)
class Figures:
    """One measurement: wall-clock and CPU seconds, peak resident MiB."""

    seconds: float
    cpu: float
    mib: float


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--exchanges", type=int, default=100_000, help="exchanges recorded")
    # `nox -s bench` hands every script the same arguments: others' are let through.
    return parser.parse_known_args()[0]


def scenario(base_url: str) -> None:
    """A little of everything a team's code does, both APIs, answers of every size."""
    engage = httpx.Client(base_url=base_url, headers={"Authorization": TOKEN}, timeout=10)
    intelsend = httpx.Client(
        base_url=base_url,
        headers={"x-user-id": USER},
        cookies={"__Secure-next-auth.session-token": SESSION},
        timeout=10,
    )
    with engage, intelsend:
        for name in ("Spring promo", "Summer sale", "Autumn news"):
            created = engage.post("/_rest/v2/campaigns", json={"campaignName": name}).json()
            campaign = f"/_rest/v2/campaigns/{created['_id']}"
            engage.get("/_rest/v2/campaigns/", params={"id": created["_id"]})
            engage.post(f"{campaign}/action", json={"action": "publish"})
            engage.put(
                campaign,
                json={
                    "campaignName": name,
                    "flowId": "5d24c0e64886e81bb4cbf069",
                    "callerIdentification": "+13122735567",
                },
            )
            engage.get("/_rest/v2/campaigns")
            body = {
                "name": name,
                "channel": ["sms"],
                "contactListId": ["6889fa1e53d9e06f64c13d59"],
                "settings": SMS,
            }
            intelsend.post("/api/campaign", json=body)
            listed = intelsend.get("/api/campaign").json()["result"][0]["campaignId"]
            intelsend.put(f"/api/campaign/{listed}/build")
        engage.get("/_rest/v2/campaigns/errors")
        engage.get("/_rest/v2/campaigns/", params={"id": "unknown"})


def seed_entries(folder: Path) -> list[dict[str, Any]]:
    """The HAR entries campaign-proxy recorded of one run of the scenario."""
    config = build_config(engage_tokens=[TOKEN], intelsend_sessions=[f"{SESSION}={USER}"])
    with serve_in_thread(create_app(config)) as sandbox:
        settings = ProxySettings(
            upstreams={"engage": sandbox, "intelsend": sandbox}, record_dir=folder
        )
        with serve_in_thread(Proxy(settings), **SERVER_OPTIONS) as proxy:
            scenario(proxy)
    return [
        entry
        for path in sorted(folder.glob("*.har"))
        for entry in json.loads(path.read_text(encoding="utf-8"))["log"]["entries"]
    ]


def write_recordings(entries: list[dict[str, Any]], total: int, folder: Path) -> list[Path]:
    """`total` entries, the seed's repeated a millisecond apart, in FILES files."""
    start = datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC)
    paths = []
    per_file = -(-total // FILES)
    for number in range(FILES):
        path = folder / f"week-{number + 1}.har"
        with path.open("w", encoding="utf-8") as stream:
            stream.write(
                '{"log": {"version": "1.2", "creator": {"name": "bench", "version": "0"},'
                ' "entries": [\n'
            )
            first = number * per_file
            for index in range(first, min(first + per_file, total)):
                entry = dict(entries[index % len(entries)])
                moment = start + datetime.timedelta(milliseconds=index)
                entry["startedDateTime"] = moment.isoformat(timespec="milliseconds")
                stream.write(("" if index == first else ",\n") + json.dumps(entry))
            stream.write("\n]}}\n")
        paths.append(path)
    return paths


def measure(code: str, files: Sequence[str], cwd: Path) -> Figures:
    """One run of `python -c code FILE...` in a fresh process."""
    peak = cwd / "peak.txt"
    # RUSAGE_CHILDREN adds up every child waited for: this run's CPU is the difference.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code, *files],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "BENCH_PEAK_FILE": str(peak)},
    )
    output, errors = process.communicate()
    seconds = time.perf_counter() - start
    # 1: the evidence gate, not asked for here; anything else is a failure.
    if process.returncode not in (0, 1):
        sys.exit(
            f"the measured run failed ({process.returncode}):\n{output.decode()}{errors.decode()}"
        )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Figures(seconds, cpu, int(peak.read_text()) / 1024)


def runs(code: str, files: Sequence[str], cwd: Path, count: int) -> Figures:
    """The median times and the largest peak memory of `count` runs."""
    results = [measure(code, files, cwd) for _ in range(count)]
    return Figures(
        statistics.median(r.seconds for r in results),
        statistics.median(r.cpu for r in results),
        max(r.mib for r in results),
    )


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        entries = seed_entries(folder / "seed")
        files = [str(path) for path in write_recordings(entries, args.exchanges, folder)]
        size = sum(Path(name).stat().st_size for name in files) / 2**20
        count = max(1, args.runs)
        evidence = runs(EVIDENCE, files, folder, count)
        parse = runs(PARSE_ONLY, files, folder, count)
    label = f"evidence, {args.exchanges:,} exchanges in {FILES} files ({size:.0f} MiB)"
    print(
        f"{label:<58} {evidence.seconds:6.2f} s ({evidence.cpu:.2f} s CPU), peak"
        f" {evidence.mib:4.0f} MiB  (targets < {TARGET_SECONDS} s, < {TARGET_MIB} MiB;"
        f" medians of {count} runs)"
    )
    print(
        f"{'  the same files, only parsed (ijson over log.entries)':<58} {parse.seconds:6.2f} s"
        f" ({parse.cpu:.2f} s CPU), peak {parse.mib:4.0f} MiB  (evidence:"
        f" {evidence.seconds / parse.seconds:.1f}x the time)"
    )
    record(
        "evidence_scale",
        ("measurement", "time", "CPU", "peak memory", "target"),
        [
            [
                label,
                f"{evidence.seconds:.2f} s",
                f"{evidence.cpu:.2f} s",
                f"{evidence.mib:.0f} MiB",
                f"< {TARGET_SECONDS} s, < {TARGET_MIB} MiB",
            ],
            [
                "the same files, only parsed: the baseline",
                f"{parse.seconds:.2f} s",
                f"{parse.cpu:.2f} s",
                f"{parse.mib:.0f} MiB",
                "",
            ],
        ],
        [
            f"Medians of {count} runs; evidence takes"
            f" {evidence.seconds / parse.seconds:.1f}x the time of parsing."
        ],
    )


if __name__ == "__main__":
    main()

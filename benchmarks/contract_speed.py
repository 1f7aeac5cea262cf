"""Contract run speed, default profile: the whole `python -m contract_tests` (both APIs, rules,
coverage, cleanup) beside Schemathesis's own CLI (`schemathesis run`) on the same documents
with the same number of examples and seed, against a sandbox it starts too, measured in the
same run; then each API's Schemathesis phases against the sandbox over loopback HTTP (a
subprocess, as `nox -s contract` runs it) and in-process through ASGI. Medians; the target for
the whole run is 12 s on the project's 2-core machines."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from benchmarks._results import record
from benchmarks._timing import COLUMNS, parse_args, report, time_command
from campaign_contracts.sandbox.app import create_app
from contract_tests import config, verify
from contract_tests.apis import APIS, ContractApi
from contract_tests.cli import SANDBOX_TOKEN_CREDENTIALS
from contract_tests.safety import Policy, RunGuard
from contract_tests.target import sandbox_process

ROOT = Path(__file__).resolve().parent.parent
MIN_RUNS = 3
# How each mode reaches a fresh sandbox: (base URL, ASGI app or None for real HTTP).
Transport = Callable[[], AbstractContextManager[tuple[str, Any]]]


@contextmanager
def over_http() -> Iterator[tuple[str, Any]]:
    with sandbox_process() as base_url:
        yield base_url, None


@contextmanager
def in_process() -> Iterator[tuple[str, Any]]:
    yield "http://sandbox.invalid", create_app()


def time_phases(api: ContractApi, transport: Transport) -> tuple[float, int]:
    """Seconds and cases of one run of every Schemathesis phase over `api`."""
    with transport() as (base_url, app):
        settings = config.RunSettings(
            base_url=base_url,
            credentials=SANDBOX_TOKEN_CREDENTIALS,
            profile=config.PROFILES["default"],
            allow_writes=True,
        )
        guard = RunGuard(
            api,
            Policy(
                allow_writes=True,
                allow_send=True,
                protect_foreign_campaigns=False,
                name_prefix="contract-bench-",
            ),
        )
        schema = verify.load_schema(config.build(api, settings), guard, app=app)
        result = verify.run(schema, guard, progress=lambda line: None)
    return result.elapsed, result.cases


def time_schemathesis_cli(runs: int) -> list[float]:
    """Seconds of `runs` runs of Schemathesis's CLI over both documents, one after the other,
    against a sandbox started for each run as the contract run starts its own: the baseline."""
    profile = config.PROFILES["default"]
    cli = Path(sys.executable).with_name("schemathesis")
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        with sandbox_process() as base_url:
            for api in APIS.values():
                headers = api.auth_headers(SANDBOX_TOKEN_CREDENTIALS)
                argv = [str(cli), "run", str(api.entry.document_path), "--url", base_url]
                argv += ["--max-examples", str(profile.max_examples), "--seed", "0"]
                argv += [
                    flag for name, value in headers.items() for flag in ("-H", f"{name}: {value}")
                ]
                # Whatever it finds (it knows none of the suite's exemptions): only its time counts.
                subprocess.run(argv, cwd=ROOT, capture_output=True, check=False)
        seconds.append(time.perf_counter() - started)
    return seconds


def main() -> None:
    runs = max(MIN_RUNS, parse_args(__doc__ or "").runs)
    whole = [sys.executable, "-m", "contract_tests", "--report-dir", ".nox/bench-contract"]
    label = "contract, default profile, both APIs, whole run (python -m contract_tests)"
    rows = [[*report(label, time_command(whole, cwd=ROOT, runs=runs)), ""]]
    baseline = "baseline: schemathesis run, both documents, same examples and seed"
    rows.append([*report(baseline, time_schemathesis_cli(runs)), ""])
    for mode, transport in {"loopback HTTP": over_http, "in-process ASGI": in_process}.items():
        for api in APIS.values():
            timings = [time_phases(api, transport) for _ in range(runs)]
            seconds = [elapsed for elapsed, _cases in timings]
            rate = statistics.median(cases / elapsed for elapsed, cases in timings)
            rows.append(
                [*report(f"Schemathesis phases of {api.name}, {mode}", seconds), f"{rate:.0f}"]
            )
            print(f"{'':<48} median {rate:6.0f} cases/s")
    record("contract_speed", [*COLUMNS, "cases/s"], rows)


if __name__ == "__main__":
    main()

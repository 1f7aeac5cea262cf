"""Shared by the benchmark scripts: run a command several times and report its timings."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def parse_args(description: str) -> argparse.Namespace:
    """The options every benchmark accepts (`nox -s bench -- --runs 3` passes them to all).

    Options meant for another benchmark (`--skip-prism`) are let through: `nox -s bench`
    hands the same arguments to every script."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement")
    return parser.parse_known_args()[0]


def time_command(argv: Sequence[str], *, cwd: Path, runs: int) -> list[float]:
    """Wall-clock seconds of `runs` runs of `argv`; its output is shown only if it fails."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
        seconds.append(time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"{' '.join(argv)} failed:\n{result.stdout}{result.stderr}")
    return seconds


# The columns of report()'s rows, for benchmarks._results.record().
COLUMNS = ("measurement", "median", "min-max", "runs")


def report(label: str, seconds: Sequence[float]) -> list[str]:
    """Print the timings of `label`; the same as a row of the benchmark's figures."""
    median = f"{statistics.median(seconds):.2f} s"
    print(
        f"{label:<48} median {median:>8}"
        f"  (min {min(seconds):.2f}, max {max(seconds):.2f}, {len(seconds)} runs)"
    )
    return [label, median, f"{min(seconds):.2f}-{max(seconds):.2f} s", str(len(seconds))]

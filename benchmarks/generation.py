"""Time `nox -s generate`, full and no-op, with a warm virtualenv, on a copy of the inputs."""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks._results import record
from benchmarks._timing import COLUMNS, parse_args, report, time_command

ROOT = Path(__file__).resolve().parent.parent
# What the generate session reads and writes: the working tree itself is left alone.
COPIED = (
    "codegen",
    "generated",
    "noxfile.py",
    "openapi",
    "pyproject.toml",
    "requirements",
    "campaign_contracts",
)


def main() -> None:
    args = parse_args(__doc__ or "")
    with tempfile.TemporaryDirectory(prefix="bench-generation-") as scratch:
        copy = Path(scratch)
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, copy / name)
        # The repository's own .nox/generate: warm, and created by the untimed first run if not.
        nox = [sys.executable, "-m", "nox", "--envdir", str(ROOT / ".nox"), "-s", "generate"]
        time_command([*nox, "--", "--force"], cwd=copy, runs=1)
        full = time_command([*nox, "--", "--force"], cwd=copy, runs=args.runs)
        no_op = time_command(nox, cwd=copy, runs=args.runs)
    rows = [
        report("no-op regeneration (nox -s generate)", no_op),
        report("full regeneration, the baseline (nox -s generate -- --force)", full),
    ]
    share = statistics.median(no_op) / statistics.median(full)
    record("generation", COLUMNS, rows, [f"The no-op takes {share:.2f}x the full regeneration."])


if __name__ == "__main__":
    main()

"""Where each benchmark leaves its figures: docs/data/benchmarks.json, which the docs render.

A benchmark prints its figures as it goes, then `record()`s them (every figure beside the
baseline measured in the same run) under its own name; the other benchmarks' entries stay.
docs/reference/benchmarks.md shows each entry as a table (docs/hooks.py): no figure in the
docs is typed by hand.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "docs" / "data" / "benchmarks.json"


def record(
    name: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    notes: Sequence[str] = (),
) -> None:
    """Replace the figures of benchmark `name` (its module's name) in the data file."""
    figures = json.loads(DATA.read_text(encoding="utf-8")) if DATA.exists() else {}
    figures[name] = {
        "command": " ".join(["python -m", f"benchmarks.{name}", *sys.argv[1:]]),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        # How busy the machine was: figures of a shared machine are noisy.
        "machine": f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end",
        "columns": list(columns),
        "rows": [[str(cell) for cell in row] for row in rows],
        "notes": list(notes),
    }
    DATA.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(figures, indent=2, ensure_ascii=False, sort_keys=True)
    DATA.write_text(text + "\n", encoding="utf-8")
    print(f"figures written to {DATA.relative_to(DATA.parents[2])} ({name})")

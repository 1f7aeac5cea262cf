"""Code examples checked by `mypy --strict`, as a reader who copies them would check them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def mypy_strict(
    examples: Mapping[str, str], folder: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Each example (module name -> code) written into `folder` and checked from there, so
    this repository's mypy configuration does not apply."""
    files = []
    for name, code in examples.items():
        path = folder / f"{name}.py"
        path.write_text(code, encoding="utf-8")
        files.append(str(path))
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", f"--cache-dir={folder / 'cache'}", *files],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )

"""Code examples checked by `mypy --strict`, as a reader who copies them would check them."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

from tests.support.commands import run_module


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
    return run_module(
        "mypy",
        "--strict",
        f"--cache-dir={folder / 'cache'}",
        *files,
        cwd=folder,
        timeout=300,
        env=env,
    )

"""A broken engage.yaml stops what needs it, and only that: `--api intelsend` still runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.copies import copy_working_tree

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_working_tree(tmp_path_factory.mktemp("repository"))
    engage = root / "openapi" / "engage.yaml"
    engage.write_text(engage.read_text(encoding="utf-8").replace("  title:", "  title: [", 1))
    return root


def contract(repository: Path, api: str) -> subprocess.CompletedProcess[str]:
    # From the copy: `python -m` puts its code, and so its openapi/, first on sys.path.
    return subprocess.run(
        [sys.executable, "-m", "contract_tests", "--api", api, "--max-examples", "1"],
        cwd=repository,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_other_api_is_verified(repository: Path) -> None:
    run = contract(repository, "intelsend")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.endswith("Contract kept.\n")


def test_the_broken_api_is_not_verified_and_says_where(repository: Path) -> None:
    run = contract(repository, "engage")
    assert run.returncode == 2
    assert "openapi/engage.yaml: not valid YAML (line " in run.stdout

"""The copy of the repository on which the README's quick start ran, shared by the tests that
go on from there (the other sessions, the hand-off to other teams): one copy and one set of
nox virtualenvs, made once. Tests using it carry the marks `test_quick_start.FRESH_COPY`, one
xdist group among them, so that under `--dist loadgroup` (the `tests` session's default) one
worker makes it for all of them."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.sessions.test_quick_start import only_python3, quick_start_commands
from tests.support.copies import copy_working_tree


@dataclass(frozen=True)
class QuickStarted:
    """A fresh copy after the quick start's virtualenv and main job (`nox`)."""

    repository: Path
    environment: dict[str, str]  # a new shell's, with only `python3` on PATH
    main_job: subprocess.CompletedProcess[str]

    def nox(
        self, *args: str, env: Mapping[str, str] | None = None, timeout: float = 600
    ) -> subprocess.CompletedProcess[str]:
        """`.venv/bin/python -m nox ARGS` in the copy, as the README writes it (`env`: more
        variables)."""
        return subprocess.run(
            [str(self.repository / ".venv" / "bin" / "python"), "-m", "nox", "--no-color", *args],
            cwd=self.repository,
            env={**self.environment, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


@pytest.fixture(scope="session")
def quick_started(tmp_path_factory: pytest.TempPathFactory) -> QuickStarted:
    home = tmp_path_factory.mktemp("fresh-copy")
    repository = copy_working_tree(home / "repository")
    # The environment of a new shell: none of this test run's virtualenv or nox variables.
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("VIRTUAL_ENV", "PYTHON", "NOX", "UV_", "PIP_"))
    }
    environment["PATH"] = only_python3(home / "bin")
    first, main_job, _whole_suite = quick_start_commands()
    for command in (first, main_job):
        run = subprocess.run(
            ["bash", "-c", command],
            cwd=repository,
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert run.returncode == 0, f"{command}\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return QuickStarted(repository, environment, run)

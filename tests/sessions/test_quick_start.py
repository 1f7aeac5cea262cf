"""The README's quick start, verbatim, on a copy of the repository where only `python3` is on
PATH (no `python`): a fresh virtualenv, nox and uv, then the main job. CI's .ci/run runs the
same commands, with the whole test suite as the last."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.copies import ROOT

README = ROOT / "README.md"
# The marks of the tests on the quick-started copy (conftest.py): one xdist group, so that
# one worker makes the copy; time for the quick start (minutes on a busy machine) as well.
GROUP, TIMEOUT = "fresh-copy", 1500
FRESH_COPY = [pytest.mark.slow, pytest.mark.xdist_group(GROUP), pytest.mark.timeout(TIMEOUT)]


def quick_start_commands() -> list[str]:
    """The commands of the README's Quick start section (its indented code lines), in order."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^ {4}(\S.*)$", section, flags=re.MULTILINE)


def test_the_quick_start_is_three_commands_and_ci_runs_them() -> None:
    commands = quick_start_commands()
    assert commands == [
        "python3 -m venv .venv && .venv/bin/python -m pip install -r requirements/bootstrap.txt",
        ".venv/bin/python -m nox",
        ".venv/bin/python -m nox -t check",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert [commands[0], commands[2]] == [line for line in ci if line in commands]


def only_python3(bin_dir: Path) -> str:
    """A PATH whose Python is called `python3` only: this test's interpreter, under that
    name, in front of the system's folders (which, on Debian, have no `python` either)."""
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(getattr(sys, "_base_executable", sys.executable))
    system = [folder for folder in ("/usr/local/bin", "/usr/bin", "/bin") if Path(folder).is_dir()]
    path = os.pathsep.join([str(bin_dir), *system])
    assert shutil.which("python", path=path) is None, "a `python` on the system PATH"
    return path


@pytest.mark.slow
@pytest.mark.xdist_group(GROUP)
@pytest.mark.timeout(TIMEOUT)
def test_the_quick_start_runs_as_written(quick_started: Any) -> None:
    # The fixture (conftest.py) ran the first command and the main job, and checked each
    # exited 0; the main job verified the sandbox against the documents.
    assert "Contract kept." in quick_started.main_job.stdout
    assert (quick_started.repository / "reports" / "contract" / "summary.md").is_file()

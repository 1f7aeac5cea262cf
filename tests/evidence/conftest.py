"""The evidence and parity tests' recordings, made once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.evidence_recordings import Recordings, record
from tests.support.team_traffic import Team


@pytest.fixture(scope="session")
def team() -> Team:
    return Team()


@pytest.fixture(scope="session")
def recordings(tmp_path_factory: pytest.TempPathFactory, team: Team) -> Recordings:
    folder = tmp_path_factory.mktemp("recordings")
    return Recordings(
        sandbox=record(folder / "sandbox", False, team),
        standin=record(folder / "standin", True, team),
    )


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder: the reports land under it, not in the repository."""
    monkeypatch.chdir(tmp_path)
    return tmp_path

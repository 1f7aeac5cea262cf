"""Recordings shared by the evidence and parity tests: one scenario, recorded once against
the sandbox and once against the stand-in vendor."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.serving import serve_in_thread
from evidence.evidence_recorder import Recorder
from evidence.evidence_standin import StandIn, inject_429
from evidence.evidence_traffic import Team, drive


@dataclass(frozen=True)
class Recordings:
    sandbox: Path
    standin: Path


def record(path: Path, standin: bool, team: Team) -> Path:
    app = create_app(team.config())
    recorder = Recorder(StandIn(app) if standin else app, path)
    with serve_in_thread(recorder) as url:
        if standin:
            inject_429(url)
        drive(url, team)
    return path


@pytest.fixture(scope="session")
def team() -> Team:
    return Team()


@pytest.fixture(scope="session")
def recordings(tmp_path_factory: pytest.TempPathFactory, team: Team) -> Recordings:
    folder = tmp_path_factory.mktemp("recordings")
    return Recordings(
        sandbox=record(folder / "sandbox.har", False, team),
        standin=record(folder / "standin.har", True, team),
    )


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder: the reports land under it, not in the repository."""
    monkeypatch.chdir(tmp_path)
    return tmp_path

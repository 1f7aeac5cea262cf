"""Recordings shared by the evidence and parity tests: one scenario, recorded once against
the sandbox and once against the stand-in vendor."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from campaign_contracts.proxy.app import Proxy, ProxySettings
from campaign_contracts.proxy.cli import SERVER_OPTIONS
from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.serving import serve_in_thread
from evidence.evidence_standin import StandIn, inject_429
from evidence.evidence_traffic import Team, drive


@dataclass(frozen=True)
class Recordings:
    """The HAR files campaign-proxy wrote (one per API), by the target it was in front of."""

    sandbox: list[Path]
    standin: list[Path]


def record(folder: Path, standin: bool, team: Team) -> list[Path]:
    """The scenario, through a recording campaign-proxy in front of the sandbox or the
    stand-in (the 429 is injected on the target directly, so it is not recorded)."""
    app = create_app(team.config())
    with serve_in_thread(StandIn(app) if standin else app) as target:
        if standin:
            inject_429(target)
        settings = ProxySettings(
            upstreams={"engage": target, "intelsend": target}, record_dir=folder
        )
        with serve_in_thread(Proxy(settings), **SERVER_OPTIONS) as proxy:
            drive(proxy, team)
    return sorted(folder.glob("*.har"))


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

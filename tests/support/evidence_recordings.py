"""Recordings for the evidence and parity tests: one scenario, recorded once against the
sandbox and once against the stand-in vendor."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from campaign_contracts.proxy.app import ProxySettings
from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.serving import serve_in_thread
from tests.support.evidence_stand_in import StandIn, inject_429
from tests.support.proxy_stand_in import proxy
from tests.support.team_traffic import Team, drive


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
        with proxy(settings) as base_url:
            drive(base_url, team)
    return sorted(folder.glob("*.har"))

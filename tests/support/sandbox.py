"""A real sandbox on a loopback port, as the tests configure and reach it."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from typing import Any

import httpx

from campaign_contracts.sandbox.config import SandboxConfig, build_config
from tests.support.credentials import (
    OTHER_ENGAGE_TOKEN,
    OTHER_INTELSEND_SESSION,
    OTHER_INTELSEND_USER,
)

# The sandbox speaks plain HTTP, but every new httpx client loads the CA certificates (~0.2 s)
# unless handed a context: one shared context keeps the suite fast.
TLS_CONTEXT = ssl.create_default_context()


@dataclass(frozen=True)
class RunningSandbox:
    """A sandbox served by uvicorn in a background thread, reached over real HTTP."""

    base_url: str

    def reset(self) -> None:
        """Forget every campaign, fault and quirk, and any seed a test set: random ids again."""
        httpx.post(f"{self.base_url}/_sandbox/reset", verify=TLS_CONTEXT).raise_for_status()
        seed = {"seed": None}
        httpx.post(
            f"{self.base_url}/_sandbox/seed", json=seed, verify=TLS_CONTEXT
        ).raise_for_status()


def sandbox_config(**options: Any) -> SandboxConfig:
    """The tests' sandbox configuration: the defaults and a second tenant of each API."""
    return build_config(
        engage_tokens=[OTHER_ENGAGE_TOKEN],
        intelsend_sessions=[f"{OTHER_INTELSEND_SESSION}={OTHER_INTELSEND_USER}"],
        **options,
    )

"""A pytest plugin for teams whose code calls Engage or IntelSend: the `campaign_sandbox`
session fixture, a sandbox to point that code at.

Installed with this distribution (entry point `pytest11`), so any test can ask for it:

    def test_my_code_publishes(campaign_sandbox):
        my_code.run(base_url=campaign_sandbox.base_url, token=campaign_sandbox.engage_token)
        calls = campaign_sandbox.requests(api="engage", operationId="campaignAction")
        assert calls[0]["requestBody"] == {"action": "publish"}

Without options it serves a sandbox of its own in a background thread on a free loopback port;
`--campaign-sandbox-url URL` (and `--campaign-sandbox-control-token TOKEN` if the sandbox has
one) uses a shared one instead. `reset()` empties this run's tenants only, so on a shared
sandbox give each team its own credentials (`--campaign-sandbox-engage-token`,
`--campaign-sandbox-intelsend-session`), which the shared sandbox must accept.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from campaign_contracts.sandbox.config import ConfigError, build_config
from campaign_contracts.sandbox.vendors import FixtureTenant, vendor_options

TIMEOUT_SECONDS = 30


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("campaign-sandbox", "the campaign_sandbox fixture")
    group.addoption(
        "--campaign-sandbox-url",
        metavar="URL",
        help="use the sandbox at URL instead of starting one",
    )
    group.addoption(
        "--campaign-sandbox-control-token",
        metavar="TOKEN",
        help="the control token of the sandbox at --campaign-sandbox-url",
    )
    for vendor in vendor_options().values():
        vendor.add_pytest_options(group)


@dataclass(frozen=True)
class CampaignSandbox:
    """A running sandbox, this run's credentials, and helpers over its control plane."""

    base_url: str
    # Each API's part (its package's `options.fixture_tenant`), by the API's name.
    tenants: Mapping[str, FixtureTenant]
    control_token: str | None = None

    def __getattr__(self, name: str) -> Any:
        """What an API's part offers by its own name (`engage_token`, `intelsend_headers`)."""
        if not name.startswith("_"):
            for tenant in self.__dict__.get("tenants", {}).values():
                if hasattr(tenant, name):
                    return getattr(tenant, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def control(self, method: str, path: str, **options: Any) -> Any:
        """Call `/_sandbox/<path>` with the control token; its JSON answer."""
        headers = {"Authorization": f"Bearer {self.control_token}"} if self.control_token else {}
        answer = httpx.request(
            method,
            f"{self.base_url}/_sandbox/{path}",
            headers=headers,
            timeout=TIMEOUT_SECONDS,
            **options,
        )
        answer.raise_for_status()
        return answer.json()

    def reset(self) -> None:
        """Forget the campaigns and journal entries of this run's tenants, nobody else's."""
        for api, part in self.tenants.items():
            self.control("POST", "reset", params={"api": api, "tenant": part.tenant})

    def add_fault(self, api: str, operation_id: str, **fault: Any) -> Any:
        """Queue a fault (`status=503`, `latencyMs=2000` or `drop=True`; `count=N`) for the
        next calls of one operation. A fault applies to whoever calls next: on a shared
        sandbox, to other teams too."""
        return self.control(
            "POST", "faults", json={"api": api, "operationId": operation_id, **fault}
        )

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """This run's tenants' latest exchanges, newest first; filters `api`, `operationId`,
        `status`, `limit` (and `tenant`, to look at another)."""
        tenants = {api: part.tenant for api, part in self.tenants.items()}
        if "tenant" not in filters:
            apis = [filters["api"]] if "api" in filters else list(tenants)
            entries = [
                entry
                for api in apis
                for entry in self.control(
                    "GET", "requests", params={**filters, "api": api, "tenant": tenants[api]}
                )
            ]
            entries.sort(key=lambda entry: entry["time"], reverse=True)
            return entries[: filters.get("limit")]
        found: list[dict[str, Any]] = self.control("GET", "requests", params=filters)
        return found


@pytest.fixture(scope="session")
def campaign_sandbox(pytestconfig: pytest.Config) -> Iterator[CampaignSandbox]:
    """A sandbox of every API for this test session (see the module's docstring)."""
    option = pytestconfig.getoption
    try:
        tenants = {api: vendor.fixture_tenant(option) for api, vendor in vendor_options().items()}
    except ConfigError as error:
        pytest.fail(str(error), pytrace=False)
    url = option("campaign_sandbox_url")
    if url:
        sandbox = CampaignSandbox(
            url.rstrip("/"), tenants, option("campaign_sandbox_control_token")
        )
        try:
            # A guarded call: a missing or wrong control token shows here, once.
            sandbox.control("GET", "faults")
        except httpx.HTTPError as error:
            pytest.fail(f"--campaign-sandbox-url {url}: {error}", pytrace=False)
        yield sandbox
        return
    # Imported here: every pytest run of a project with this distribution installed loads the
    # plugin, and most never ask for a sandbox of their own.
    from campaign_contracts.httpapi.server import serve_in_thread  # noqa: PLC0415
    from campaign_contracts.sandbox.app import create_app  # noqa: PLC0415

    keywords = {
        key: value for part in tenants.values() for key, value in part.config_keywords.items()
    }
    with serve_in_thread(create_app(build_config(**keywords))) as base_url:
        yield CampaignSandbox(base_url, tenants)

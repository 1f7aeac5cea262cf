"""The pytest plugin other teams use: the `campaign_sandbox` fixture, run through pytester in
a pytest of its own (the plugin loads from this distribution's `pytest11` entry point)."""

from __future__ import annotations

import httpx
import pytest

from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import build_config
from campaign_contracts.sandbox.serving import serve_in_thread

pytest_plugins = ["pytester"]

CONSUMER_TESTS = """
import httpx


def test_my_code_published_after_creating(campaign_sandbox):
    campaign_sandbox.reset()
    base = campaign_sandbox.base_url
    engage = httpx.Client(base_url=base, headers=campaign_sandbox.engage_headers)
    created = engage.post("/_rest/v2/campaigns", json={"campaignName": "Mine"}).json()
    engage.post(f"/_rest/v2/campaigns/{created['_id']}/action", json={"action": "publish"})
    calls = campaign_sandbox.requests(api="engage")
    assert [call["operationId"] for call in calls] == ["campaignAction", "createCampaign"]
    assert calls[0]["requestBody"] == {"action": "publish"}


def test_a_fault_then_a_reset_of_my_tenant_only(campaign_sandbox):
    campaign_sandbox.reset()
    campaign_sandbox.add_fault("intelsend", "listCampaigns", status=503)
    listing = httpx.get(
        f"{campaign_sandbox.base_url}/api/campaign", headers=campaign_sandbox.intelsend_headers
    )
    assert listing.status_code == 503
    assert campaign_sandbox.requests(status=503, limit=1)[0]["api"] == "intelsend"
    campaign_sandbox.reset()
    assert campaign_sandbox.requests() == []
"""


@pytest.mark.slow
def test_the_fixture_serves_a_sandbox_of_its_own(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(CONSUMER_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


@pytest.mark.slow
def test_the_fixture_uses_a_shared_sandbox_and_its_control_token(
    pytester: pytest.Pytester,
) -> None:
    config = build_config(engage_tokens=["team-a"], control_token="shared-secret")
    pytester.makepyfile(CONSUMER_TESTS)
    with serve_in_thread(create_app(config)) as base_url:
        # Another team's campaign on the same sandbox survives this team's resets.
        other = {"Authorization": "sandbox-token"}
        httpx.post(f"{base_url}/_rest/v2/campaigns", headers=other, json={}).raise_for_status()
        options = ["--campaign-sandbox-url", base_url, "--campaign-sandbox-engage-token", "team-a"]
        refused = pytester.runpytest_subprocess("-p", "no:cacheprovider", *options)
        refused.assert_outcomes(errors=2)
        refused.stdout.fnmatch_lines([f"*--campaign-sandbox-url {base_url}: *401 Unauthorized*"])
        result = pytester.runpytest_subprocess(
            "-p", "no:cacheprovider", *options, "--campaign-sandbox-control-token", "shared-secret"
        )
        result.assert_outcomes(passed=2)
        assert len(httpx.get(f"{base_url}/_rest/v2/campaigns", headers=other).json()) == 1


@pytest.mark.slow
def test_an_unreachable_shared_sandbox_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(CONSUMER_TESTS)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--campaign-sandbox-url", "http://127.0.0.1:9"
    )
    result.stdout.fnmatch_lines(["*--campaign-sandbox-url http://127.0.0.1:9: *"])
    assert result.ret != 0

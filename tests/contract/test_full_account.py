"""A live run against an account that is not empty: a few hundred campaigns the run did not
create, in several statuses, listed in an order other than the one the sandbox (and the
rules, once) assumed. The verdict is that of an empty account, and every one of those
campaigns is left byte for byte as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from campaign_contracts.sandbox.campaigns import Campaign
from campaign_contracts.sandbox.engage.state import EngageBackend
from campaign_contracts.sandbox.intelsend.state import IntelSendBackend, ListQuery
from campaign_contracts.sandbox.serving import serve_in_thread
from contract_tests import cli
from tests.support.credentials import SECRETS, SESSION_COOKIE
from tests.support.stand_in_vendor import stand_in_app

FOREIGN = 150  # per API: with the run's own, several pages of the largest the rules ask for
FAST = ["--rate-limit", "1000/s", "--max-examples", "2", "--allow-writes", "--allow-send"]
SMS = {"sms": {"shortCode": "9498671145", "templateId": "6708a567654ca1d854afa3bd", "version": 1}}


def engage_by_id(self: EngageBackend, tenant: str) -> list[Campaign] | Campaign:
    """Engage's list ordered by id, which is neither creation order nor its reverse."""
    return sorted(self.storage.records(self.kind, tenant), key=lambda campaign: campaign["_id"])


def intelsend_by_id(self: IntelSendBackend, user: str, query: ListQuery) -> dict[str, Any]:
    """IntelSend's list ordered by id rather than newest first."""
    campaigns = sorted(self.storage.records(self.kind, user), key=lambda c: c["campaignId"])
    matching = [campaign for campaign in campaigns if query.matches(campaign)]
    first = (query.page - 1) * query.limit
    return {
        "result": matching[first : first + query.limit],
        "meta": {"count": len(matching), "page": query.page, "limit": query.limit},
    }


@pytest.fixture
def unordered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(EngageBackend, "listing", engage_by_id)
    monkeypatch.setattr(IntelSendBackend, "page", intelsend_by_id)


def clients(base_url: str) -> tuple[httpx.Client, httpx.Client]:
    engage = httpx.Client(base_url=base_url, headers={"Authorization": SECRETS["ENGAGE_TOKEN"]})
    intelsend = httpx.Client(
        base_url=base_url,
        headers={"x-user-id": SECRETS["INTELSEND_USER_ID"]},
        cookies={SESSION_COOKIE: SECRETS["INTELSEND_SESSION_TOKEN"]},
    )
    return engage, intelsend


def fill(base_url: str) -> None:
    """A customer's campaigns: drafts, published and in error; drafts, built and sent."""
    engage, intelsend = clients(base_url)
    with engage, intelsend:
        for number in range(FOREIGN):
            created = engage.post("/_rest/v2/campaigns", json={"campaignName": f"cust {number}"})
            campaign_id = created.json()["_id"]
            if number % 3 == 1:
                engage.post(f"/_rest/v2/campaigns/{campaign_id}/action", json={"action": "publish"})
            elif number % 3 == 2:
                httpx.post(f"{base_url}/_sandbox/engage/campaigns/{campaign_id}/error")
            body = {"name": f"customer {number}", "channel": ["sms"], "settings": SMS}
            intelsend.post("/api/campaign", json=body | {"contactListId": []})
        listed = intelsend.get("/api/campaign", params={"limit": FOREIGN}).json()["result"]
        for number, campaign in enumerate(listed):
            steps = ["build", "send"][: number % 3]
            for step in steps:
                intelsend.put(f"/api/campaign/{campaign['campaignId']}/{step}")


def snapshot(base_url: str) -> dict[str, str]:
    """Every campaign of the account, by id, as the JSON text the list answers it in."""
    engage, intelsend = clients(base_url)
    with engage, intelsend:
        campaigns = engage.get("/_rest/v2/campaigns").json()
        campaigns += intelsend.get("/api/campaign", params={"limit": 10_000}).json()["result"]
    return {c.get("_id") or c["campaignId"]: json.dumps(c) for c in campaigns}


def verdict(live_env: Path, base_url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, Any]:
    code = cli.main(["--base-url", base_url, *FAST])
    output = capsys.readouterr().out
    findings = json.loads((live_env / "reports" / "contract" / "findings.json").read_text())
    rules = [line for line in output.splitlines() if line.startswith("rule ")]
    return code, (findings["findings"], rules, output)


@pytest.mark.slow
def test_a_full_account_gets_the_verdict_of_an_empty_one_and_stays_untouched(
    live_env: Path, unordered: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve_in_thread(stand_in_app()) as empty:
        empty_code, (empty_findings, empty_rules, output) = verdict(live_env, empty, capsys)
    assert empty_code == 0, output

    with serve_in_thread(stand_in_app()) as full:
        fill(full)
        before = snapshot(full)
        code, (findings, rules, output) = verdict(live_env, full, capsys)
        after = snapshot(full)

    assert (code, findings, rules) == (empty_code, empty_findings, empty_rules), output
    assert len(before) == 2 * FOREIGN
    assert {campaign_id: after.get(campaign_id) for campaign_id in before} == before

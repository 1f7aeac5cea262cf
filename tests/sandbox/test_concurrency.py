"""Many clients at once: every write is accounted for, no update is lost or doubled.

Each client is a thread with its own connection, so requests really overlap on the server.
The sandbox speaks plain HTTP: `verify=False` only spares each client loading CA certificates.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.support.campaigns import SMS_CAMPAIGN
from tests.support.credentials import ENGAGE, SESSION
from tests.support.sandbox_checks import check

CLIENTS = 12
CAMPAIGNS_PER_CLIENT = 8


def engage_writer(base_url: str, writer: int) -> dict[str, str]:
    """Create campaigns, then rename each; the final name of each campaign by its id."""
    names = {}
    headers = ENGAGE
    with httpx.Client(base_url=base_url, headers=headers, verify=False) as client:
        for number in range(CAMPAIGNS_PER_CLIENT):
            created = client.post("/_rest/v2/campaigns", json={"campaignName": "new"})
            campaign_id = created.json()["_id"]
            name = f"writer {writer} campaign {number}"
            update = {"campaignName": name, "flowId": f"flow-{writer}", "callerIdentification": "1"}
            updated = client.put(f"/_rest/v2/campaigns/{campaign_id}", json=update)
            assert updated.status_code == 200, updated.text
            names[campaign_id] = name
    return names


def test_concurrent_creates_and_updates_are_all_kept(engage: httpx.Client) -> None:
    base_url = str(engage.base_url)
    with ThreadPoolExecutor(CLIENTS) as pool:
        written = list(pool.map(engage_writer, [base_url] * CLIENTS, range(CLIENTS)))
    expected = {campaign_id: name for names in written for campaign_id, name in names.items()}
    assert len(expected) == CLIENTS * CAMPAIGNS_PER_CLIENT  # every id distinct
    stored = check("engage", "listCampaigns", engage.get("/_rest/v2/campaigns"), 200)
    assert {campaign["_id"]: campaign["campaignName"] for campaign in stored} == expected


def build(base_url: str, campaign_id: str) -> int:
    cookies = SESSION
    with httpx.Client(base_url=base_url, cookies=cookies, verify=False) as client:
        return client.put(f"/api/campaign/{campaign_id}/build").status_code


def test_concurrent_builds_of_one_campaign_succeed_exactly_once(intelsend: httpx.Client) -> None:
    for number in range(10):
        intelsend.post("/api/campaign", json={**SMS_CAMPAIGN, "name": f"race {number}"})
    page = intelsend.get("/api/campaign", params={"limit": 100}).json()
    campaign_ids = [campaign["campaignId"] for campaign in page["result"]] * 4
    assert len(campaign_ids) == 40

    base_url = str(intelsend.base_url)
    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = Counter(pool.map(build, [base_url] * len(campaign_ids), campaign_ids))
    assert answers == Counter({200: 10, 409: 30})
    for campaign in intelsend.get("/api/campaign", params={"limit": 100}).json()["result"]:
        assert [entry["status"] for entry in campaign["changeLog"]] == ["DRAFT", "BUILD"]

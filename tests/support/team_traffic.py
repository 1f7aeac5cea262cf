"""What a team's code sends: one scenario through both APIs, every documented path."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from campaign_contracts.sandbox.config import SandboxConfig, build_config
from tests.support.credentials import SESSION_COOKIE

FLOW_ID = "61a9a3ecf6b8387f078d52a1"
SMS_SETTINGS = {
    "sms": {"shortCode": "9498671145", "templateId": "6708a567654ca1d854afa3bd", "version": 1}
}
CONTACT_LIST = "6889fa1e53d9e06f64c13d59"


@dataclass(frozen=True)
class Team:
    """The team's credentials (the recording replaces them by placeholders)."""

    engage_token: str = "team-engage-token"
    stale_token: str = "team-expired-token"
    session: str = "team-session"
    user: str = "team-user"

    def config(self) -> SandboxConfig:
        """A sandbox that accepts these credentials (but not the stale token)."""
        return build_config(
            engage_tokens=[self.engage_token], intelsend_sessions=[f"{self.session}={self.user}"]
        )


def drive(base_url: str, team: Team) -> None:
    """The scenario: each call's outcome is the target's, the scenario only sends."""
    with httpx.Client(
        base_url=base_url, timeout=10, headers={"Authorization": team.engage_token}
    ) as engage:
        engage.get("/_rest/v2/campaigns")
        first = engage.post(
            "/_rest/v2/campaigns", json={"campaignName": "Spring promo", "flowId": FLOW_ID}
        ).json()
        second = engage.post("/_rest/v2/campaigns", json={"campaignName": "Autumn sale"}).json()
        engage.get("/_rest/v2/campaigns/", params={"id": first["_id"]})
        engage.get("/_rest/v2/campaigns/", params={"name": "Autumn"})
        engage.post(f"/_rest/v2/campaigns/{first['_id']}/action", json={"action": "publish"})
        engage.post(f"/_rest/v2/campaigns/{first['_id']}/action", json={"action": "run"})
        engage.put(
            f"/_rest/v2/campaigns/{second['_id']}",
            json={
                "campaignName": "Autumn sale 2",
                "flowId": FLOW_ID,
                "callerIdentification": "+13122735567",
            },
        )
        engage.get("/_rest/v2/campaigns")
        engage.get("/_rest/v2/campaigns/")
        engage.get("/_rest/v2/campaigns/", params={"id": "000000000000000000000000"})
        engage.post(
            "/_rest/v2/campaigns",
            content=b"{not json",
            headers={"Content-Type": "application/json"},
        )
        engage.post("/_rest/v2/campaigns", json={"campaignName": 2026})
        engage.get("/_rest/v2/campaigns", headers={"Authorization": team.stale_token})
        engage.delete(f"/_rest/v2/campaigns/{second['_id']}")
        engage.get("/_rest/v2/campaigns/", params={"id": second["_id"]})
        engage.get("/_rest/v2/campaigns/errors")
    with httpx.Client(
        base_url=base_url,
        timeout=10,
        headers={"x-user-id": team.user},
        cookies={SESSION_COOKIE: team.session},
    ) as intelsend:
        create = {
            "name": "Spring promo",
            "channel": ["sms"],
            "contactListId": [CONTACT_LIST],
            "settings": SMS_SETTINGS,
        }
        intelsend.post("/api/campaign", json=create)
        campaign_id = intelsend.get("/api/campaign").json()["result"][0]["campaignId"]
        intelsend.put(f"/api/campaign/{campaign_id}/build")
        intelsend.put(f"/api/campaign/{campaign_id}/build")
        intelsend.put(f"/api/campaign/{campaign_id}/send")
        intelsend.get("/api/campaign", params={"status": "DRAFT"})
        intelsend.get("/api/campaign", params={"channel": "sms", "limit": 5})
        intelsend.get("/api/campaign", params={"limit": 0})
        intelsend.post(
            "/api/campaign", content=b"nope", headers={"Content-Type": "application/json"}
        )

"""Ways a stand-in vendor breaks the contract: rewrites of one kind of exchange, each a
deliberately broken variant of the sandbox (see `stand_in_vendor.Tamper`), or a backend
method patched to misbehave."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from campaign_contracts.sandbox.campaigns import Campaign
from campaign_contracts.sandbox.intelsend.state import DRAFT, IntelSendBackend
from contract_tests.cli import SANDBOX_TOKEN_CREDENTIALS
from tests.support.stand_in_vendor import Exchange, Rewrite

CAMPAIGNS = "/_rest/v2/campaigns"


def wrong_field_type(exchange: Exchange) -> None:
    if exchange.method == "POST" and exchange.path == CAMPAIGNS and exchange.status == 201:
        exchange.answer(201, exchange.json() | {"active": "0"})


def missing_required_field(exchange: Exchange) -> None:
    if exchange.method == "GET" and exchange.path == "/api/campaign" and exchange.status == 200:
        page = exchange.json()
        del page["meta"]
        exchange.answer(200, page)


def undocumented_status(exchange: Exchange) -> None:
    if exchange.method == "DELETE" and exchange.status == 202:
        exchange.status = 200


def wrong_content_type(exchange: Exchange) -> None:
    if exchange.path == f"{CAMPAIGNS}/" and exchange.status == 200:
        exchange.content_type = "text/plain"


def accept_any_token(exchange: Exchange) -> dict[str, str] | None:
    if exchange.method == "GET" and exchange.path == CAMPAIGNS:
        return exchange.headers | {"authorization": SANDBOX_TOKEN_CREDENTIALS["ENGAGE_TOKEN"]}
    return None


def deleted_campaign_still_served() -> Rewrite:
    created: dict[str, object] = {}

    def rewrite(exchange: Exchange) -> None:
        if exchange.method == "POST" and exchange.path == CAMPAIGNS and exchange.status == 201:
            created[exchange.json()["_id"]] = exchange.json()
        campaign_id = parse_qs(exchange.query).get("id", [""])[0]
        if exchange.path == f"{CAMPAIGNS}/" and exchange.status == 404 and campaign_id in created:
            exchange.answer(200, created[campaign_id])

    return rewrite


def invalid_action_accepted(exchange: Exchange) -> None:
    if exchange.path.endswith("/action") and exchange.status == 422:
        exchange.answer(200, True)


def run_before_publish_accepted(exchange: Exchange) -> None:
    action = exchange.request_json()
    if exchange.path.endswith("/action") and exchange.status == 500 and action == {"action": "run"}:
        exchange.answer(200, True)


def send_before_build_accepted(exchange: Exchange) -> None:
    if exchange.path.endswith("/send") and exchange.status == 409:
        exchange.answer(200, {"result": "success", "response": "Successfully processed messages."})


def unchanged(exchange: Exchange) -> None:
    """The sandbox as it is."""


def no_request_change(exchange: Exchange) -> None:
    return None


def edited_though_built(
    self: IntelSendBackend, user: str, request: dict[str, Any]
) -> Campaign | None:
    """An IntelSend save that renames a campaign past DRAFT as asked; None for a draft or a
    new campaign, which the sandbox's own save is left to handle."""
    campaign_id = request.get("campaignId")
    campaign = self._campaign(user, campaign_id) if campaign_id is not None else None
    if campaign is None or campaign["status"] == DRAFT:
        return None
    campaign["name"] = request["name"]
    self._store(user, campaign)
    return campaign

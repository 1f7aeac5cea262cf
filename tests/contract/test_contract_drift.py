"""The suite catches drift: each deliberately broken sandbox variant is reported, under the
operation (or business rule) it breaks, with exit code 1; the unbroken sandbox passes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from contract_harness import run_against_variant
from contract_servers import Exchange, RequestRewrite, Rewrite

from campaign_contracts.registry import APIS
from contract_tests.cli import SANDBOX_TOKEN_CREDENTIALS

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


@dataclass(frozen=True)
class Variant:
    api: str
    rewrite: Rewrite
    # The JUnit test case that must fail, and the check its failure must name ("rule": a rule).
    test_case: str
    check: str
    rewrite_request: RequestRewrite = no_request_change


VARIANTS = {
    "wrong field type": Variant(
        "engage",
        wrong_field_type,
        "POST /_rest/v2/campaigns (createCampaign)",
        "response_schema_conformance",
    ),
    "missing required field": Variant(
        "intelsend",
        missing_required_field,
        "GET /api/campaign (listCampaigns)",
        "response_schema_conformance",
    ),
    "undocumented status code": Variant(
        "engage",
        undocumented_status,
        "DELETE /_rest/v2/campaigns/{id} (deleteCampaign)",
        "status_code_conformance",
    ),
    "wrong content type": Variant(
        "engage",
        wrong_content_type,
        "GET /_rest/v2/campaigns/ (getCampaign)",
        "content_type_conformance",
    ),
    "ignored auth": Variant(
        "engage",
        unchanged,
        "GET /_rest/v2/campaigns (listCampaigns)",
        "ignored_auth",
        rewrite_request=accept_any_token,
    ),
    "deleted campaign still served": Variant(
        "engage", deleted_campaign_still_served(), "a deleted campaign is gone", "rule"
    ),
    "invalid action accepted": Variant(
        "engage",
        invalid_action_accepted,
        "POST /_rest/v2/campaigns/{id}/action (campaignAction)",
        "negative_data_rejection",
    ),
    "run before publish accepted": Variant(
        "engage", run_before_publish_accepted, "run before publish fails", "rule"
    ),
    "send before build accepted": Variant(
        "intelsend", send_before_build_accepted, "send before build fails", "rule"
    ),
}


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_drift_is_reported_under_its_operation(variant: Variant, tmp_path: Path) -> None:
    verdict = run_against_variant(
        variant.api, variant.rewrite, variant.rewrite_request, tmp_path / "reports"
    )

    assert verdict.exit_code == 1, verdict.output
    assert variant.test_case in verdict.failures, verdict.output
    assert variant.check in verdict.failures[variant.test_case].split(","), verdict.failures


@pytest.mark.parametrize("api", list(APIS))
def test_the_unbroken_sandbox_keeps_the_contract(api: str, tmp_path: Path) -> None:
    verdict = run_against_variant(api, unchanged, no_request_change, tmp_path / "reports")

    assert verdict.exit_code == 0, verdict.output
    assert verdict.failures == {}

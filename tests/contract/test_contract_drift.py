"""The suite catches drift: each deliberately broken sandbox variant is reported, under the
operation (or business rule) it breaks, with exit code 1; the unbroken sandbox passes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from campaign_contracts.registry import APIS
from tests.support.breakages import (
    accept_any_token,
    deleted_campaign_still_served,
    invalid_action_accepted,
    missing_required_field,
    no_request_change,
    run_before_publish_accepted,
    send_before_build_accepted,
    unchanged,
    undocumented_status,
    wrong_content_type,
    wrong_field_type,
)
from tests.support.contract_harness import run_against_variant
from tests.support.stand_in_vendor import RequestRewrite, Rewrite

# Each variant is a whole contract run against a broken sandbox: about a minute each.
pytestmark = pytest.mark.slow


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

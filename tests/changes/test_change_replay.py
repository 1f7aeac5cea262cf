"""Realistic vendor changes replayed on the real documents give exactly the expected report."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from campaign_contracts import documents
from campaign_contracts.registry import APIS
from campaign_contracts.spec_changes.dependents import rejected
from campaign_contracts.spec_changes.diff import compare
from campaign_contracts.spec_changes.document import Document
from campaign_contracts.spec_changes.policy import judge, with_rejects
from campaign_contracts.spec_changes.report import DocumentReport, to_markdown

OPENAPI = Path(__file__).resolve().parents[2] / "openapi"


def real_document(api: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((OPENAPI / f"{api}.yaml").read_text(encoding="utf-8"))
    return loaded


def report(api: str, before: dict[str, Any], after: dict[str, Any]) -> DocumentReport:
    findings = compare(Document(before), Document(after))
    old_version, new_version = before["info"]["version"], after["info"]["version"]
    # What the edit leaves behind, with this repository's own vendor samples.
    rejects = rejected(documents.Document(after, f"openapi/{api}.yaml", api), OPENAPI.parent)
    verdict = with_rejects(judge(api, findings, old_version, new_version, ""), api, rejects)
    return DocumentReport(
        api, f"openapi/{api}.yaml", old_version, new_version, findings, verdict, rejects
    )


def report_json(api: str, before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return report(api, before, after).to_json()


def finding(
    rule: str,
    breaking: bool,
    summary: str,
    where: tuple[str, str, str, str],
    detail: str = "",
) -> dict[str, Any]:
    """A finding as the JSON report writes it; `where` is (operation, operationId, location,
    field)."""
    operation, operation_id, location, field = where
    return {
        "rule": rule,
        "breaking": breaking,
        "summary": summary,
        "operation": operation,
        "operation_id": operation_id,
        "location": location,
        "field": field,
        "detail": detail,
    }


def customer_id_became_integer(
    operation: str, operation_id: str, location: str, field: str
) -> dict[str, Any]:
    where = (operation, operation_id, location, field)
    return finding(
        "response-type-changed", True, "response type changed", where, "string → integer"
    )


def test_real_documents_compare_equal_to_themselves() -> None:
    for api in APIS:
        assert compare(Document(real_document(api)), Document(real_document(api))) == []


def test_intelsend_adds_a_required_schedule_at_to_create() -> None:
    before = real_document("intelsend")
    after = copy.deepcopy(before)
    create = after["components"]["schemas"]["CampaignCreate"]
    create["properties"]["scheduleAt"] = {"type": "string", "format": "date-time"}
    create["required"].append("scheduleAt")

    assert report_json("intelsend", before, after) == {
        "api": "intelsend",
        "path": "openapi/intelsend.yaml",
        "status": "changed",
        "base_version": "1.0.0",
        "head_version": "1.0.0",
        "breaking": 1,
        "non_breaking": 0,
        # The business rules send the example, and a committed vendor sample is the same body:
        # the gate names both, before `generate` or `contract` trip over them.
        "rejects": [
            "example `vendorDocs` of POST /api/campaign (createCampaign) request body:"
            ' "scheduleAt" is a required property',
            "vendor sample tests/data/vendor_samples/intelsend/createCampaign--request-body.json:"
            ' "scheduleAt" is a required property',
        ],
        "gate": {
            "passed": False,
            "message": "intelsend: 1 breaking change with info.version 1.0.0 → 1.0.0. To ship "
            "it, bump info.version in openapi/intelsend.yaml to 2.0.0 and add a '## 2.0.0' "
            "entry to openapi/CHANGELOG-intelsend.md describing it; otherwise revert it. Also, "
            "intelsend: the new version rejects 2 of the examples and vendor samples written for"
            " it (listed under the changes). Update them with the edit, or fix the edit, before"
            " generating: the contract's business rules send these examples.",
        },
        "findings": [
            finding(
                "request-property-added-required",
                True,
                "request field added as required",
                ("POST /api/campaign", "createCampaign", "request body", "scheduleAt"),
            )
        ],
    }


def test_engage_removes_errors_and_changes_a_response_field_type() -> None:
    before = real_document("engage")
    after = copy.deepcopy(before)
    del after["paths"]["/_rest/v2/campaigns/errors"]
    after["components"]["schemas"]["Campaign"]["properties"]["customerId"]["type"] = "integer"
    after["info"]["version"] = "3.0.0"

    report = report_json("engage", before, after)
    assert report["gate"] == {
        "passed": False,
        "message": "engage: 5 breaking changes with info.version bumped to 3.0.0, but "
        "openapi/CHANGELOG-engage.md has no entry for it. Add a '## 3.0.0' heading describing "
        "them. Also, engage: the new version rejects 8 of the examples and vendor samples "
        "written for it (listed under the changes). Update them with the edit, or fix the "
        "edit, before generating: the contract's business rules send these examples.",
    }
    # The examples and samples print customerId as a string; two samples lost their place.
    assert [reject.split(": ", 1)[1] for reject in report["rejects"]] == [
        '"9999999" is not of type "integer"',
        '"1028811" is not of type "integer"',
        '"9999999" is not of type "integer"',
        '"1028811" is not of type "integer"',
        '"9999999" is not of type "integer"',
        "there is no operation 'listCampaignErrors'",
        "there is no operation 'listCampaignErrors'",
        '"9999999" is not of type "integer"',
    ]
    assert report["findings"] == [
        customer_id_became_integer(
            "GET /_rest/v2/campaigns", "listCampaigns", "response 200", "(oneOf 0)[].customerId"
        ),
        customer_id_became_integer(
            "GET /_rest/v2/campaigns", "listCampaigns", "response 200", "(oneOf 1).customerId"
        ),
        customer_id_became_integer(
            "POST /_rest/v2/campaigns", "createCampaign", "response 201", "customerId"
        ),
        customer_id_became_integer(
            "GET /_rest/v2/campaigns/", "getCampaign", "response 200", "customerId"
        ),
        finding(
            "operation-removed",
            True,
            "operation removed",
            ("GET /_rest/v2/campaigns/errors", "listCampaignErrors", "operation", ""),
        ),
    ]


def test_engage_widening_a_request_and_adding_a_response_field_is_not_breaking() -> None:
    before = real_document("engage")
    after = copy.deepcopy(before)
    schemas = after["components"]["schemas"]
    schemas["CampaignActionRequest"]["properties"]["action"]["enum"].append("pause")
    schemas["CampaignUpdateResult"]["properties"]["timezone"] = {"type": "string"}

    report = report_json("engage", before, after)
    assert (report["breaking"], report["gate"]["passed"]) == (0, True)
    assert report["findings"] == [
        finding(
            "response-property-added",
            False,
            "response field added",
            ("PUT /_rest/v2/campaigns/{id}", "updateCampaign", "response 200", "timezone"),
        ),
        finding(
            "request-enum-value-added",
            False,
            "enum value added to a request",
            ("POST /_rest/v2/campaigns/{id}/action", "campaignAction", "request body", "action"),
            '"pause"',
        ),
    ]


def test_markdown_groups_by_operation_with_breaking_first() -> None:
    before = real_document("engage")
    after = copy.deepcopy(before)
    schemas = after["components"]["schemas"]
    del after["paths"]["/_rest/v2/campaigns/errors"]
    del schemas["CampaignUpdateResult"]["properties"]["utcName"]
    schemas["CampaignUpdate"]["properties"]["timezone"] = {"type": "string"}
    schemas["CampaignCreate"]["properties"]["plan"] = {"type": "string"}

    assert to_markdown("main", [report("engage", before, after)]) == (
        "## API changes since `main`\n"
        "\n"
        "### engage (`openapi/engage.yaml`, 2.1.0 → 2.1.0): 2 breaking, 2 non-breaking\n"
        "\n"
        "#### `POST /_rest/v2/campaigns` (createCampaign)\n"
        "- non-breaking — request body `plan`: optional request field added "
        "(`request-property-added-optional`)\n"
        "\n"
        "#### `GET /_rest/v2/campaigns/errors` (listCampaignErrors)\n"
        "- **breaking** — operation removed (`operation-removed`)\n"
        "\n"
        "#### `PUT /_rest/v2/campaigns/{id}` (updateCampaign)\n"
        "- **breaking** — response 200 `utcName`: response field removed "
        "(`response-property-removed`)\n"
        "- non-breaking — request body `timezone`: optional request field added "
        "(`request-property-added-optional`)\n"
        "\n"
        "#### Examples and vendor samples the new version rejects\n"
        "- vendor sample tests/data/vendor_samples/engage/listCampaignErrors--response-200.json:"
        " there is no operation 'listCampaignErrors'\n"
        "- vendor sample tests/data/vendor_samples/engage/listCampaignErrors--response-401.json:"
        " there is no operation 'listCampaignErrors'\n"
        "\n"
        "**Gate FAILED.** engage: 2 breaking changes with info.version 2.1.0 → 2.1.0. To ship "
        "them, bump info.version in openapi/engage.yaml to 3.0.0 and add a '## 3.0.0' entry to "
        "openapi/CHANGELOG-engage.md describing them; otherwise revert them. Also, engage: the "
        "new version rejects 2 of the examples and vendor samples written for it (listed under "
        "the changes). Update them with the edit, or fix the edit, before generating: the "
        "contract's business rules send these examples.\n"
    )

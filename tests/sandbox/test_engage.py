"""Every Engage operation and documented status code, over raw HTTP."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.support.sandbox_checks import check

CAMPAIGNS = "/_rest/v2/campaigns"
VENDOR_SAMPLE = {
    "campaignDescription": "A new Engage Campaign description",
    "campaignName": "A brand new Campaign!",
    "callerIdentification": "0000000000",
    "flowId": "61a9a3ecf6b8387f078d52a1",
}
UPDATE = {
    "campaignName": "Florida SMS Test",
    "flowId": "5bef29e1c5480c40e2ab4ef0",
    "callerIdentification": "+16075175200",
    "campaignDescription": "This is a Florida SMS Test",
}
VENDOR_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def create(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    response = client.post(CAMPAIGNS, json=fields)
    campaign: dict[str, Any] = check("engage", "createCampaign", response, 201)
    return campaign


def act(client: httpx.Client, campaign_id: str, action: str) -> httpx.Response:
    return client.post(f"{CAMPAIGNS}/{campaign_id}/action", json={"action": action})


def get(client: httpx.Client, **query: str) -> httpx.Response:
    return client.get(f"{CAMPAIGNS}/", params=query)


def test_create_answers_a_draft_with_every_required_field(engage: httpx.Client) -> None:
    campaign = create(engage, **VENDOR_SAMPLE)
    assert {name: campaign[name] for name in VENDOR_SAMPLE} == VENDOR_SAMPLE
    assert re.fullmatch(r"[0-9a-f]{24}", campaign["_id"])
    assert re.fullmatch(r"[0-9a-f]{24}", campaign["appId"])
    assert campaign["active"] == 0
    assert campaign["status"] == "Draft"
    assert campaign["lastExecuted"] == ""
    assert campaign["startDate"] is campaign["endDate"] is campaign["scheduleId"] is None
    assert re.fullmatch(r"\d{7}", campaign["customerId"])
    assert VENDOR_TIMESTAMP.fullmatch(campaign["createdDate"])
    assert campaign["modifiedDate"] == campaign["createdDate"]


def test_create_accepts_an_empty_object(engage: httpx.Client) -> None:
    campaign = create(engage)
    assert "campaignName" not in campaign


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"", "application/json", 400),
        (b'{"campaignName": "x"}', "text/plain", 400),
        (b'{"campaignName": 5}', "application/json", 422),
        (b'["campaignName"]', "application/json", 422),
    ],
)
def test_create_rejects_bad_bodies(
    engage: httpx.Client, body: bytes, content_type: str, status: int
) -> None:
    response = engage.post(CAMPAIGNS, content=body, headers={"Content-Type": content_type})
    error = check("engage", "createCampaign", response, status)
    assert error["status"] == status
    assert engage.get(CAMPAIGNS).json() == []


def test_list_answers_every_campaign_in_creation_order(engage: httpx.Client) -> None:
    assert check("engage", "listCampaigns", engage.get(CAMPAIGNS), 200) == []
    ids = [create(engage, campaignName=f"campaign {n}")["_id"] for n in range(3)]
    listed = check("engage", "listCampaigns", engage.get(CAMPAIGNS), 200)
    assert [campaign["_id"] for campaign in listed] == ids


def test_get_by_id(engage: httpx.Client) -> None:
    campaign = create(engage, **VENDOR_SAMPLE)
    found = check("engage", "getCampaign", get(engage, id=campaign["_id"]), 200)
    assert found == campaign


def test_get_by_name_is_a_case_insensitive_substring_match_first_created_first(
    engage: httpx.Client,
) -> None:
    first = create(engage, campaignName="Spring Sale East")
    create(engage, campaignName="Spring sale west")
    found = check("engage", "getCampaign", get(engage, name="SPRING SALE"), 200)
    assert found["_id"] == first["_id"]
    found = check("engage", "getCampaign", get(engage, name="sale west"), 200)
    assert found["campaignName"] == "Spring sale west"


@pytest.mark.parametrize("query", [{}, {"name": "abc"}, {"name": ""}])
def test_get_needs_an_id_or_a_name_of_four_characters(
    engage: httpx.Client, query: dict[str, str]
) -> None:
    error = check("engage", "getCampaign", get(engage, **query), 422)
    assert error["status"] == 422


@pytest.mark.parametrize("query", [{"id": "5c19078a717a743602510e23"}, {"name": "nothing like it"}])
def test_get_answers_404_when_nothing_matches(engage: httpx.Client, query: dict[str, str]) -> None:
    create(engage, campaignName="Something else")
    error = check("engage", "getCampaign", get(engage, **query), 404)
    assert error["status"] == 404


def test_publish_then_run(engage: httpx.Client) -> None:
    campaign_id = create(engage, **VENDOR_SAMPLE)["_id"]
    assert check("engage", "campaignAction", act(engage, campaign_id, "publish"), 200)
    published = get(engage, id=campaign_id).json()
    assert (published["status"], published["active"]) == ("Published", 1)
    assert VENDOR_TIMESTAMP.fullmatch(published["publishedDate"])
    assert published["lastExecuted"] == ""

    assert check("engage", "campaignAction", act(engage, campaign_id, "run"), 200)
    ran = check("engage", "getCampaign", get(engage, id=campaign_id), 200)
    assert ran["status"] == "Published"
    assert VENDOR_TIMESTAMP.fullmatch(ran["lastExecuted"])
    assert re.fullmatch(rf"{campaign_id}:\d+", ran["runId"])


def test_running_a_draft_answers_the_documented_500(engage: httpx.Client) -> None:
    campaign_id = create(engage)["_id"]
    error = check("engage", "campaignAction", act(engage, campaign_id, "run"), 500)
    assert error == {
        "message": "Something went wrong when trying to run the campaign",
        "status": 500,
    }
    assert get(engage, id=campaign_id).json()["lastExecuted"] == ""


@pytest.mark.parametrize("body", [{}, {"action": "stop"}, {"action": ""}, {"action": None}])
def test_a_missing_or_invalid_action_answers_the_documented_422(
    engage: httpx.Client, body: dict[str, Any]
) -> None:
    campaign_id = create(engage)["_id"]
    response = engage.post(f"{CAMPAIGNS}/{campaign_id}/action", json=body)
    error = check("engage", "campaignAction", response, 422)
    assert error == {"message": "The 'action' parameter is required", "status": 422}


def test_action_needs_a_json_body(engage: httpx.Client) -> None:
    campaign_id = create(engage)["_id"]
    response = engage.post(f"{CAMPAIGNS}/{campaign_id}/action", content=b"action=run")
    check("engage", "campaignAction", response, 400)


def test_action_on_an_unknown_campaign_answers_404(engage: httpx.Client) -> None:
    error = check("engage", "campaignAction", act(engage, "0" * 24, "publish"), 404)
    assert "0" * 24 in error["message"]


def test_update_answers_the_update_shape_and_changes_the_campaign(engage: httpx.Client) -> None:
    campaign = create(engage, **VENDOR_SAMPLE)
    response = engage.put(f"{CAMPAIGNS}/{campaign['_id']}", json=UPDATE)
    result = check("engage", "updateCampaign", response, 200)
    assert result["campaignId"] == campaign["_id"]
    assert result["flowTypeId"] == UPDATE["flowId"]
    assert (result["numAttempts"], result["retryInterval"]) == ("1", "0")
    assert (result["runNow"], result["deleteFlag"]) == ("false", "false")
    assert result["customerId"] == int(campaign["customerId"])
    assert (result["startDate"], result["endDate"]) == (None, None)
    assert (result["utcName"], result["utcOffset"]) == ("", "+00:00")
    assert "_id" not in result
    assert "flowId" not in result

    stored = get(engage, id=campaign["_id"]).json()
    assert {name: stored[name] for name in UPDATE} == UPDATE
    assert stored["createdDate"] == campaign["createdDate"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b'{"campaignName": "x", "flowId": "y"}', 422),
        (b'{"campaignName": "x", "flowId": "y", "callerIdentification": 1}', 422),
        (b"campaignName=x", 400),
    ],
)
def test_update_rejects_bad_bodies(engage: httpx.Client, body: bytes, status: int) -> None:
    campaign = create(engage, campaignName="unchanged")
    response = engage.put(f"{CAMPAIGNS}/{campaign['_id']}", content=body)
    check("engage", "updateCampaign", response, status)
    assert get(engage, id=campaign["_id"]).json()["campaignName"] == "unchanged"


def test_delete_answers_202_true_and_the_campaign_is_gone_everywhere(engage: httpx.Client) -> None:
    campaign_id = create(engage, campaignName="to be deleted")["_id"]
    url = f"{CAMPAIGNS}/{campaign_id}"
    assert check("engage", "deleteCampaign", engage.delete(url), 202) is True
    assert engage.get(CAMPAIGNS).json() == []
    check("engage", "getCampaign", get(engage, id=campaign_id), 404)
    check("engage", "getCampaign", get(engage, name="to be deleted"), 404)
    check("engage", "campaignAction", act(engage, campaign_id, "publish"), 404)
    for operation_id, response in (
        ("updateCampaign", engage.put(url, json=UPDATE)),
        ("deleteCampaign", engage.delete(url)),
    ):
        error = check("engage", operation_id, response, 404)
        assert error == {"message": "The 'campaign id' parameter is required", "status": 404}


def test_errors_lists_the_campaigns_in_error(engage: httpx.Client, anonymous: httpx.Client) -> None:
    errors = f"{CAMPAIGNS}/errors"
    healthy = create(engage, campaignName="healthy")["_id"]
    broken = create(engage, campaignName="broken")["_id"]
    assert check("engage", "listCampaignErrors", engage.get(errors), 200) == []
    assert anonymous.post(f"/_sandbox/engage/campaigns/{broken}/error").status_code == 200
    listed = check("engage", "listCampaignErrors", engage.get(errors), 200)
    assert [(c["_id"], c["status"]) for c in listed] == [(broken, "Error")]
    assert healthy not in {c["_id"] for c in listed}


ALL_OPERATIONS = [
    ("listCampaigns", "GET", CAMPAIGNS, None),
    ("getCampaign", "GET", f"{CAMPAIGNS}/?id=x", None),
    ("createCampaign", "POST", CAMPAIGNS, {}),
    ("campaignAction", "POST", f"{CAMPAIGNS}/x/action", {"action": "run"}),
    ("updateCampaign", "PUT", f"{CAMPAIGNS}/x", UPDATE),
    ("deleteCampaign", "DELETE", f"{CAMPAIGNS}/x", None),
    ("listCampaignErrors", "GET", f"{CAMPAIGNS}/errors", None),
]


@pytest.mark.parametrize("call", ALL_OPERATIONS, ids=[call[0] for call in ALL_OPERATIONS])
@pytest.mark.parametrize(
    ("authorization", "hint"),
    [
        (None, "missing"),
        ("wrong-token", "invalid"),
        ("Bearer sandbox-token", "without a 'Bearer ' prefix"),
    ],
)
def test_every_operation_answers_401_without_a_valid_raw_token(
    anonymous: httpx.Client,
    call: tuple[str, str, str, object],
    authorization: str | None,
    hint: str,
) -> None:
    operation_id, method, url, body = call
    headers = {"Authorization": authorization} if authorization else {}
    response = anonymous.request(method, url, json=body, headers=headers)
    error = check("engage", operation_id, response, 401)
    assert error["status"] == 401
    assert hint in error["message"]


def test_tenants_never_see_each_others_campaigns(
    engage: httpx.Client, other_engage: httpx.Client
) -> None:
    campaign_id = create(engage, campaignName="mine only")["_id"]
    url = f"{CAMPAIGNS}/{campaign_id}"
    assert other_engage.get(CAMPAIGNS).json() == []
    check("engage", "getCampaign", get(other_engage, id=campaign_id), 404)
    check("engage", "getCampaign", get(other_engage, name="mine only"), 404)
    check("engage", "campaignAction", act(other_engage, campaign_id, "publish"), 404)
    check("engage", "updateCampaign", other_engage.put(url, json=UPDATE), 404)
    check("engage", "deleteCampaign", other_engage.delete(url), 404)
    # Untouched for its owner.
    assert get(engage, id=campaign_id).json()["campaignName"] == "mine only"
    assert get(engage, id=campaign_id).json()["status"] == "Draft"
    other = create(other_engage)
    assert other["customerId"] != get(engage, id=campaign_id).json()["customerId"]

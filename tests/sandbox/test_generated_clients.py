"""The generated clients against the sandbox: every operation, parsed answers and errors."""

from __future__ import annotations

import datetime
from http import HTTPStatus

import httpx
from engage_client import AuthenticatedClient as EngageClient
from engage_client.api.campaigns import (
    campaign_action,
    create_campaign,
    delete_campaign,
    get_campaign,
    list_campaign_errors,
    list_campaigns,
    update_campaign,
)
from engage_client.models import (
    Campaign,
    CampaignActionRequest,
    CampaignCreate,
    CampaignUpdate,
    CampaignUpdateResult,
    Error,
)
from intelsend_client import AuthenticatedClient as IntelSendClient
from intelsend_client.api.campaigns import build_campaign, send_campaign
from intelsend_client.api.campaigns import create_campaign as intelsend_create
from intelsend_client.api.campaigns import list_campaigns as intelsend_list
from intelsend_client.models import CampaignCreate as IntelSendCampaignCreate
from intelsend_client.models import (
    CampaignPage,
    CampaignStats,
    ChannelSettings,
    SendResult,
    SmsSettings,
    SuccessResult,
)
from intelsend_client.models import Error as IntelSendError


def new_campaign(client: EngageClient, name: str = "Client campaign") -> Campaign:
    body = CampaignCreate(campaign_name=name, flow_id="61a9a3ecf6b8387f078d52a1")
    response = create_campaign.sync_detailed(client=client, body=body)
    assert response.status_code == HTTPStatus.CREATED
    assert isinstance(response.parsed, Campaign)
    return response.parsed


def test_engage_create_get_list_and_errors(
    engage_api: EngageClient, anonymous: httpx.Client
) -> None:
    campaign = new_campaign(engage_api)
    assert (campaign.status, campaign.active, campaign.last_executed) == ("Draft", 0, "")
    assert campaign.start_date is None
    assert isinstance(campaign.created_date, datetime.datetime)

    by_id = get_campaign.sync(client=engage_api, id=campaign.field_id)
    by_name = get_campaign.sync(client=engage_api, name="CLIENT camp")
    assert isinstance(by_id, Campaign)
    assert isinstance(by_name, Campaign)
    assert by_id.field_id == by_name.field_id == campaign.field_id

    listed = list_campaigns.sync(client=engage_api)
    assert isinstance(listed, list)
    assert [c.field_id for c in listed] == [campaign.field_id]

    assert list_campaign_errors.sync(client=engage_api) == []
    anonymous.post(f"/_sandbox/engage/campaigns/{campaign.field_id}/error").raise_for_status()
    in_error = list_campaign_errors.sync(client=engage_api)
    assert isinstance(in_error, list)
    assert [(c.field_id, c.status) for c in in_error] == [(campaign.field_id, "Error")]


def test_engage_list_answers_a_bare_object_under_the_quirk(
    engage_api: EngageClient, anonymous: httpx.Client
) -> None:
    anonymous.put("/_sandbox/engage/quirks", json={"listSingleObject": True}).raise_for_status()
    campaign = new_campaign(engage_api)
    listed = list_campaigns.sync(client=engage_api)
    assert isinstance(listed, Campaign)
    assert listed.field_id == campaign.field_id
    # The quirk only applies to exactly one campaign, as in the docs' sample.
    new_campaign(engage_api, "second")
    assert isinstance(list_campaigns.sync(client=engage_api), list)


def test_engage_publish_run_update_delete(engage_api: EngageClient) -> None:
    campaign_id = new_campaign(engage_api).field_id
    draft_run = campaign_action.sync(
        campaign_id, client=engage_api, body=CampaignActionRequest(action="run")
    )
    assert isinstance(draft_run, Error)
    assert (draft_run.status, draft_run.message) == (
        500,
        "Something went wrong when trying to run the campaign",
    )
    for action in ("publish", "run"):
        body = CampaignActionRequest(action=action)
        assert campaign_action.sync(campaign_id, client=engage_api, body=body) is True
    ran = get_campaign.sync(client=engage_api, id=campaign_id)
    assert isinstance(ran, Campaign)
    assert isinstance(ran.last_executed, datetime.datetime)
    assert isinstance(ran.run_id, str)
    assert ran.run_id.startswith(f"{campaign_id}:")

    update = CampaignUpdate(
        campaign_name="Texas SMS Test",
        flow_id="5d24c0e64886e81bb4cbf069",
        caller_identification="+13122735567",
    )
    result = update_campaign.sync(campaign_id, client=engage_api, body=update)
    assert isinstance(result, CampaignUpdateResult)
    assert (result.campaign_id, result.flow_type_id) == (campaign_id, "5d24c0e64886e81bb4cbf069")
    assert (result.num_attempts, result.retry_interval) == ("1", "0")
    assert (result.run_now, result.delete_flag, result.active) == ("false", "false", 1)
    assert isinstance(result.customer_id, int)
    assert (result.utc_name, result.utc_offset) == ("", "+00:00")

    assert delete_campaign.sync(campaign_id, client=engage_api) is True
    gone = delete_campaign.sync(campaign_id, client=engage_api)
    assert isinstance(gone, Error)
    assert (gone.status, gone.message) == (404, "The 'campaign id' parameter is required")
    missing = get_campaign.sync(client=engage_api, id=campaign_id)
    assert isinstance(missing, Error)
    assert missing.status == 404


def test_engage_errors_parse(engage_api: EngageClient, anonymous: httpx.Client) -> None:
    short_name = get_campaign.sync(client=engage_api, name="abc")
    assert isinstance(short_name, Error)
    assert short_name.status == 422
    stranger = EngageClient(base_url=str(anonymous.base_url), token="nope", prefix="")
    refused = list_campaigns.sync(client=stranger)
    assert isinstance(refused, Error)
    assert refused.status == 401


def sms_campaign(name: str) -> IntelSendCampaignCreate:
    sms = SmsSettings(short_code="9498671145", template_id="6708a567654ca1d854afa3bd", version=1)
    return IntelSendCampaignCreate(
        name=name,
        settings=ChannelSettings(sms=sms),
        channel=["sms"],
        contact_list_id=["6889fa1e53d9e06f64c13d59"],
        campaign_id=None,
    )


def test_intelsend_lifecycle(intelsend_api: IntelSendClient) -> None:
    created = intelsend_create.sync(client=intelsend_api, body=sms_campaign("client"))
    assert isinstance(created, SuccessResult)
    page = intelsend_list.sync(client=intelsend_api)
    assert isinstance(page, CampaignPage)
    assert (page.meta.count, page.meta.page, page.meta.limit) == (1, 1, 10)
    campaign = page.result[0]
    assert (campaign.name, campaign.status, campaign.channel) == ("client", "DRAFT", ["sms"])
    assert campaign.contact_list_id[0].name == "list-c13d59"

    assert isinstance(
        build_campaign.sync(campaign.campaign_id, client=intelsend_api), SuccessResult
    )
    again = build_campaign.sync(campaign.campaign_id, client=intelsend_api)
    assert isinstance(again, IntelSendError)
    assert again.result == "error"
    sent = send_campaign.sync(campaign.campaign_id, client=intelsend_api)
    assert isinstance(sent, SendResult)
    assert sent.response == "Successfully processed messages."

    today = datetime.datetime.now(datetime.UTC).date()
    sending = intelsend_list.sync(client=intelsend_api, status="SENDING", start_date=today)
    assert isinstance(sending, CampaignPage)
    (listed,) = sending.result
    assert [entry.status for entry in listed.change_log] == ["DRAFT", "BUILD", "SENDING"]
    assert isinstance(listed.stats, CampaignStats)
    assert isinstance(listed.stats.result, list)
    assert [(c.field_id.status, c.count) for c in listed.stats.result] == [("PENDING", 1)]


def test_intelsend_errors_parse(intelsend_api: IntelSendClient) -> None:
    unknown = send_campaign.sync("0" * 24, client=intelsend_api)
    assert isinstance(unknown, IntelSendError)
    assert "0" * 24 in unknown.message
    stranger = intelsend_api.with_cookies({"__Secure-next-auth.session-token": "expired"})
    refused = intelsend_create.sync(client=stranger, body=sms_campaign("refused"))
    assert isinstance(refused, IntelSendError)
    bad_page = intelsend_list.sync(client=intelsend_api, limit=0)
    assert isinstance(bad_page, IntelSendError)

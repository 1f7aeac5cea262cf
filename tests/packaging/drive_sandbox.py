"""Drive the sandbox through the installed wheels, as another team would use them.

Run by `test_wheels_in_clean_venv.py` with the clean virtualenv's interpreter, from a
temporary folder: `python -I drive_sandbox.py BASE_URL`. It checks that every package
comes from that virtualenv, not from the repository, then prints `ok`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import campaign_models
import engage_client
import httpx
import intelsend_client
from campaign_models.engage import CampaignListOrObject
from campaign_models.intelsend import CampaignPage
from engage_client.api.campaigns import create_campaign as engage_create
from engage_client.api.campaigns import delete_campaign as engage_delete
from engage_client.api.campaigns import list_campaigns as engage_list
from engage_client.models import Campaign as EngageCampaign
from engage_client.models import CampaignCreate as EngageCampaignCreate
from intelsend_client.api.campaigns import create_campaign as intelsend_create
from intelsend_client.api.campaigns import list_campaigns as intelsend_list
from intelsend_client.models import CampaignCreate as IntelSendCampaignCreate
from intelsend_client.models import CampaignPage as IntelSendCampaignPage
from intelsend_client.models import ChannelSettings, EmailSettings, SuccessResult

ENGAGE_TOKEN = "sandbox-token"
INTELSEND_COOKIE = {"__Secure-next-auth.session-token": "sandbox-session"}
INTELSEND_USER_ID = "sandbox-user"


def check_installed_from_virtualenv() -> None:
    for package in (engage_client, intelsend_client, campaign_models):
        location = Path(package.__file__ or "")
        assert location.is_relative_to(sys.prefix), f"{package.__name__} from {location}"


def drive_engage(base_url: str) -> None:
    # Engage takes its token raw in Authorization: no `Bearer ` prefix.
    client = engage_client.AuthenticatedClient(base_url=base_url, token=ENGAGE_TOKEN, prefix="")
    created = engage_create.sync(client=client, body=EngageCampaignCreate(campaign_name="wheel"))
    assert isinstance(created, EngageCampaign), created
    listed = engage_list.sync(client=client)
    campaigns = listed if isinstance(listed, list) else [listed]
    assert created.field_id in [c.field_id for c in campaigns if isinstance(c, EngageCampaign)]
    assert engage_delete.sync(created.field_id, client=client) is True

    raw = httpx.get(f"{base_url}/_rest/v2/campaigns", headers={"Authorization": ENGAGE_TOKEN})
    CampaignListOrObject.model_validate(raw.json())


def drive_intelsend(base_url: str) -> None:
    # IntelSend's cookie and x-user-id are not modelled as auth by the generator.
    client = intelsend_client.AuthenticatedClient(
        base_url=base_url,
        token=INTELSEND_USER_ID,
        prefix="",
        auth_header_name="x-user-id",
        cookies=INTELSEND_COOKIE,
    )
    email = EmailSettings(from_email="team@example.com", template_id="template-1", version=1)
    body = IntelSendCampaignCreate(
        name="wheel",
        settings=ChannelSettings(email=email),
        channel=["email"],
        contact_list_id=["list-1"],
    )
    assert isinstance(intelsend_create.sync(client=client, body=body), SuccessResult)
    page = intelsend_list.sync(client=client)
    assert isinstance(page, IntelSendCampaignPage), page
    assert [campaign.name for campaign in page.result][:1] == ["wheel"]

    raw = httpx.get(f"{base_url}/api/campaign", headers={"x-user-id": INTELSEND_USER_ID})
    assert CampaignPage.model_validate(raw.json()).result[0].name == "wheel"


def main() -> None:
    base_url = sys.argv[1]
    check_installed_from_virtualenv()
    drive_engage(base_url)
    drive_intelsend(base_url)
    print("ok")


if __name__ == "__main__":
    main()

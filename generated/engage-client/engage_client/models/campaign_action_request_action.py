from typing import Literal

CampaignActionRequestAction = Literal["publish", "run"]

CAMPAIGN_ACTION_REQUEST_ACTION_VALUES: set[CampaignActionRequestAction] = {
    "publish",
    "run",
}


def check_campaign_action_request_action(value: str) -> CampaignActionRequestAction:
    if value in CAMPAIGN_ACTION_REQUEST_ACTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CAMPAIGN_ACTION_REQUEST_ACTION_VALUES!r}")

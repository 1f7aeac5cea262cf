from typing import Literal

CampaignUpdateResultActive = Literal[0, 1]

CAMPAIGN_UPDATE_RESULT_ACTIVE_VALUES: set[CampaignUpdateResultActive] = {
    0,
    1,
}


def check_campaign_update_result_active(value: int) -> CampaignUpdateResultActive:
    if value in CAMPAIGN_UPDATE_RESULT_ACTIVE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CAMPAIGN_UPDATE_RESULT_ACTIVE_VALUES!r}")

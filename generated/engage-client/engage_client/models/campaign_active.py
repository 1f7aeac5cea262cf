from typing import Literal

CampaignActive = Literal[0, 1]

CAMPAIGN_ACTIVE_VALUES: set[CampaignActive] = {
    0,
    1,
}


def check_campaign_active(value: int) -> CampaignActive:
    if value in CAMPAIGN_ACTIVE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CAMPAIGN_ACTIVE_VALUES!r}")

from typing import Literal

CampaignStatus = Literal["BUILD", "DRAFT", "FAILED", "SENDING", "SENT"]

CAMPAIGN_STATUS_VALUES: set[CampaignStatus] = {
    "BUILD",
    "DRAFT",
    "FAILED",
    "SENDING",
    "SENT",
}


def check_campaign_status(value: str) -> CampaignStatus:
    if value in CAMPAIGN_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CAMPAIGN_STATUS_VALUES!r}")

from typing import Literal

CampaignUpdateResultDeleteFlag = Literal["false", "true"]

CAMPAIGN_UPDATE_RESULT_DELETE_FLAG_VALUES: set[CampaignUpdateResultDeleteFlag] = {
    "false",
    "true",
}


def check_campaign_update_result_delete_flag(value: str) -> CampaignUpdateResultDeleteFlag:
    if value in CAMPAIGN_UPDATE_RESULT_DELETE_FLAG_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CAMPAIGN_UPDATE_RESULT_DELETE_FLAG_VALUES!r}")

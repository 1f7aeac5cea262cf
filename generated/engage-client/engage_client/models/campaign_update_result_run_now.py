from typing import Literal

CampaignUpdateResultRunNow = Literal["false", "true"]

CAMPAIGN_UPDATE_RESULT_RUN_NOW_VALUES: set[CampaignUpdateResultRunNow] = {
    "false",
    "true",
}


def check_campaign_update_result_run_now(value: str) -> CampaignUpdateResultRunNow:
    if value in CAMPAIGN_UPDATE_RESULT_RUN_NOW_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CAMPAIGN_UPDATE_RESULT_RUN_NOW_VALUES!r}")

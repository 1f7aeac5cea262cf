from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.campaign_update_result_active import CampaignUpdateResultActive, check_campaign_update_result_active
from ..models.campaign_update_result_delete_flag import (
    CampaignUpdateResultDeleteFlag,
    check_campaign_update_result_delete_flag,
)
from ..models.campaign_update_result_run_now import CampaignUpdateResultRunNow, check_campaign_update_result_run_now
from ..types import UNSET, Model, Unset

T = TypeVar("T", bound="CampaignUpdateResult")


@_attrs_define
class CampaignUpdateResult(Model):
    """What `updateCampaign` answers: a differently shaped campaign object. Required are
    all fields of the vendor's only sample except the optional description.

        Attributes:
            campaign_id (str):
            campaign_name (str):
            caller_identification (str):
            flow_type_id (str): The flow id (called `flowId` in the request).
            start_date (datetime.date | None):
            end_date (datetime.date | None):
            active (CampaignUpdateResultActive):
            num_attempts (str): A whole number written as a string.
            retry_interval (str): A whole number written as a string.
            app_id (str):
            run_now (CampaignUpdateResultRunNow): A boolean written as a string.
            schedule_id (None | str):
            modified_date (datetime.datetime):
            modified_by (str):
            created_date (datetime.datetime):
            created_by (str):
            delete_flag (CampaignUpdateResultDeleteFlag): A boolean written as a string.
            customer_id (int): An integer here, a string in the campaign object.
            list_rel (list[str]):
            utc_name (str): Name of the campaign's time zone, or empty.
            utc_offset (str): UTC offset as `±HH:MM`. Negative offsets use the Unicode minus sign U+2212 in
                the vendor sample; an ASCII hyphen is accepted too.
            campaign_description (str | Unset):
    """

    campaign_id: str
    campaign_name: str
    caller_identification: str
    flow_type_id: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    active: CampaignUpdateResultActive
    num_attempts: str
    retry_interval: str
    app_id: str
    run_now: CampaignUpdateResultRunNow
    schedule_id: None | str
    modified_date: datetime.datetime
    modified_by: str
    created_date: datetime.datetime
    created_by: str
    delete_flag: CampaignUpdateResultDeleteFlag
    customer_id: int
    list_rel: list[str]
    utc_name: str
    utc_offset: str
    campaign_description: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        start_date: None | str
        if isinstance(self.start_date, datetime.date):
            start_date = self.start_date.isoformat()
        else:
            start_date = self.start_date
        end_date: None | str
        if isinstance(self.end_date, datetime.date):
            end_date = self.end_date.isoformat()
        else:
            end_date = self.end_date
        active: int = self.active
        run_now: str = self.run_now
        schedule_id: None | str
        schedule_id = self.schedule_id
        modified_date = self.modified_date.isoformat()
        created_date = self.created_date.isoformat()
        delete_flag: str = self.delete_flag
        list_rel = self.list_rel

        return self._fields(
            {
                "campaignId": self.campaign_id,
                "campaignName": self.campaign_name,
                "callerIdentification": self.caller_identification,
                "flowTypeId": self.flow_type_id,
                "startDate": start_date,
                "endDate": end_date,
                "active": active,
                "numAttempts": self.num_attempts,
                "retryInterval": self.retry_interval,
                "appId": self.app_id,
                "runNow": run_now,
                "scheduleId": schedule_id,
                "modifiedDate": modified_date,
                "modifiedBy": self.modified_by,
                "createdDate": created_date,
                "createdBy": self.created_by,
                "deleteFlag": delete_flag,
                "customerId": self.customer_id,
                "listRel": list_rel,
                "utcName": self.utc_name,
                "utcOffset": self.utc_offset,
            },
            {"campaignDescription": self.campaign_description},
        )

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_start_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                start_date_type_0 = datetime.date.fromisoformat(data)

                return start_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        start_date = _parse_start_date(d.pop("startDate"))

        def _parse_end_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_date_type_0 = datetime.date.fromisoformat(data)

                return end_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        end_date = _parse_end_date(d.pop("endDate"))

        active = check_campaign_update_result_active(d.pop("active"))

        run_now = check_campaign_update_result_run_now(d.pop("runNow"))

        def _parse_schedule_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        schedule_id = _parse_schedule_id(d.pop("scheduleId"))

        modified_date = datetime.datetime.fromisoformat(d.pop("modifiedDate"))

        created_date = datetime.datetime.fromisoformat(d.pop("createdDate"))

        delete_flag = check_campaign_update_result_delete_flag(d.pop("deleteFlag"))

        list_rel = cast(list[str], d.pop("listRel"))

        return cls._with_additional(
            d,
            campaign_id=d.pop("campaignId"),
            campaign_name=d.pop("campaignName"),
            caller_identification=d.pop("callerIdentification"),
            flow_type_id=d.pop("flowTypeId"),
            start_date=start_date,
            end_date=end_date,
            active=active,
            num_attempts=d.pop("numAttempts"),
            retry_interval=d.pop("retryInterval"),
            app_id=d.pop("appId"),
            run_now=run_now,
            schedule_id=schedule_id,
            modified_date=modified_date,
            modified_by=d.pop("modifiedBy"),
            created_date=created_date,
            created_by=d.pop("createdBy"),
            delete_flag=delete_flag,
            customer_id=d.pop("customerId"),
            list_rel=list_rel,
            utc_name=d.pop("utcName"),
            utc_offset=d.pop("utcOffset"),
            campaign_description=d.pop("campaignDescription", UNSET),
        )

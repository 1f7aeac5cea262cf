from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.campaign_active import CampaignActive, check_campaign_active
from ..types import UNSET, Model, Unset

if TYPE_CHECKING:
    from ..models.contact_list import ContactList


T = TypeVar("T", bound="Campaign")


@_attrs_define
class Campaign(Model):
    """An Engage campaign as list, get, create and errors answer it. Required are the
    fields present in every vendor sample, except those that only come from optional
    create fields (`campaignName`, `campaignDescription`, `callerIdentification`,
    `flowId`). Ids are plain strings: the vendor's own samples hold 23-character ids
    and ids with non-hex letters, so no length or pattern is claimed. Unknown fields
    are allowed: the vendor adds fields over time.

        Attributes:
            field_id (str): The campaign id.
            list_rel (list[str]): Ids of the contact lists related to the campaign.
            location (str): Region, e.g. `US`.
            active (CampaignActive): 1 once published, 0 for a draft.
            num_attempts (int):
            retry_interval (int):
            app_id (str):
            run_now (bool):
            delete_flag (bool):
            customer_id (str): A string here, an integer in the update answer.
            created_date (datetime.datetime):
            created_by (str):
            modified_date (datetime.datetime):
            modified_by (str):
            campaign_name (str | Unset):
            campaign_description (str | Unset):
            caller_identification (str | Unset):
            flow_id (str | Unset):
            lists (list[ContactList] | Unset):
            start_date (datetime.datetime | None | Unset):
            end_date (datetime.datetime | None | Unset):
            rate (int | Unset):
            scheduled (str | Unset): Id of the campaign's schedule (list and get samples).
            schedule_id (None | str | Unset): Id of the campaign's schedule (create and errors samples).
            timezone (str | Unset): Free text such as `(CET) - mainterritory of Spain`, or empty.
            plan (str | Unset): The customer's plan, e.g. `professional`.
            status (str | Unset): The campaign's state. The only value the docs print is `Error` (errors
                endpoint); the sandbox uses `Draft` and `Published` too (assumed).
            published_date (datetime.datetime | Unset):
            run_id (str | Unset):
            last_executed (datetime.datetime | str | Unset): When the campaign last ran, or the empty string if it never
                ran.
    """

    field_id: str
    list_rel: list[str]
    location: str
    active: CampaignActive
    num_attempts: int
    retry_interval: int
    app_id: str
    run_now: bool
    delete_flag: bool
    customer_id: str
    created_date: datetime.datetime
    created_by: str
    modified_date: datetime.datetime
    modified_by: str
    campaign_name: str | Unset = UNSET
    campaign_description: str | Unset = UNSET
    caller_identification: str | Unset = UNSET
    flow_id: str | Unset = UNSET
    lists: list[ContactList] | Unset = UNSET
    start_date: datetime.datetime | None | Unset = UNSET
    end_date: datetime.datetime | None | Unset = UNSET
    rate: int | Unset = UNSET
    scheduled: str | Unset = UNSET
    schedule_id: None | str | Unset = UNSET
    timezone: str | Unset = UNSET
    plan: str | Unset = UNSET
    status: str | Unset = UNSET
    published_date: datetime.datetime | Unset = UNSET
    run_id: str | Unset = UNSET
    last_executed: datetime.datetime | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        list_rel = self.list_rel

        active: int = self.active
        created_date = self.created_date.isoformat()
        modified_date = self.modified_date.isoformat()
        lists: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.lists, Unset):
            lists = []
            for lists_item_data in self.lists:
                lists_item = lists_item_data.to_dict()
                lists.append(lists_item)

        start_date: None | str | Unset
        if isinstance(self.start_date, Unset):
            start_date = UNSET
        elif isinstance(self.start_date, datetime.datetime):
            start_date = self.start_date.isoformat()
        else:
            start_date = self.start_date
        end_date: None | str | Unset
        if isinstance(self.end_date, Unset):
            end_date = UNSET
        elif isinstance(self.end_date, datetime.datetime):
            end_date = self.end_date.isoformat()
        else:
            end_date = self.end_date
        schedule_id: None | str | Unset
        if isinstance(self.schedule_id, Unset):
            schedule_id = UNSET
        else:
            schedule_id = self.schedule_id
        published_date: str | Unset = UNSET
        if not isinstance(self.published_date, Unset):
            published_date = self.published_date.isoformat()
        last_executed: str | Unset
        if isinstance(self.last_executed, Unset):
            last_executed = UNSET
        elif isinstance(self.last_executed, datetime.datetime):
            last_executed = self.last_executed.isoformat()
        else:
            last_executed = self.last_executed
        return self._fields(
            {
                "_id": self.field_id,
                "listRel": list_rel,
                "location": self.location,
                "active": active,
                "numAttempts": self.num_attempts,
                "retryInterval": self.retry_interval,
                "appId": self.app_id,
                "runNow": self.run_now,
                "deleteFlag": self.delete_flag,
                "customerId": self.customer_id,
                "createdDate": created_date,
                "createdBy": self.created_by,
                "modifiedDate": modified_date,
                "modifiedBy": self.modified_by,
            },
            {
                "campaignName": self.campaign_name,
                "campaignDescription": self.campaign_description,
                "callerIdentification": self.caller_identification,
                "flowId": self.flow_id,
                "lists": lists,
                "startDate": start_date,
                "endDate": end_date,
                "rate": self.rate,
                "scheduled": self.scheduled,
                "scheduleId": schedule_id,
                "timezone": self.timezone,
                "plan": self.plan,
                "status": self.status,
                "publishedDate": published_date,
                "runId": self.run_id,
                "lastExecuted": last_executed,
            },
        )

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_list import ContactList  # noqa: PLC0415

        d = dict(src_dict)
        list_rel = cast(list[str], d.pop("listRel"))

        active = check_campaign_active(d.pop("active"))

        created_date = datetime.datetime.fromisoformat(d.pop("createdDate"))

        modified_date = datetime.datetime.fromisoformat(d.pop("modifiedDate"))

        _lists = d.pop("lists", UNSET)
        lists: list[ContactList] | Unset = UNSET
        if _lists is not UNSET:
            lists = []
            for lists_item_data in _lists:
                lists_item = ContactList.from_dict(lists_item_data)

                lists.append(lists_item)

        def _parse_start_date(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                start_date_type_0 = datetime.datetime.fromisoformat(data)

                return start_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        start_date = _parse_start_date(d.pop("startDate", UNSET))

        def _parse_end_date(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_date_type_0 = datetime.datetime.fromisoformat(data)

                return end_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        end_date = _parse_end_date(d.pop("endDate", UNSET))

        def _parse_schedule_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        schedule_id = _parse_schedule_id(d.pop("scheduleId", UNSET))

        _published_date = d.pop("publishedDate", UNSET)
        published_date: datetime.datetime | Unset
        if isinstance(_published_date, Unset):
            published_date = UNSET
        else:
            published_date = datetime.datetime.fromisoformat(_published_date)

        def _parse_last_executed(data: object) -> datetime.datetime | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_executed_type_0 = datetime.datetime.fromisoformat(data)

                return last_executed_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | str | Unset, data)

        last_executed = _parse_last_executed(d.pop("lastExecuted", UNSET))

        return cls._with_additional(
            d,
            field_id=d.pop("_id"),
            list_rel=list_rel,
            location=d.pop("location"),
            active=active,
            num_attempts=d.pop("numAttempts"),
            retry_interval=d.pop("retryInterval"),
            app_id=d.pop("appId"),
            run_now=d.pop("runNow"),
            delete_flag=d.pop("deleteFlag"),
            customer_id=d.pop("customerId"),
            created_date=created_date,
            created_by=d.pop("createdBy"),
            modified_date=modified_date,
            modified_by=d.pop("modifiedBy"),
            campaign_name=d.pop("campaignName", UNSET),
            campaign_description=d.pop("campaignDescription", UNSET),
            caller_identification=d.pop("callerIdentification", UNSET),
            flow_id=d.pop("flowId", UNSET),
            lists=lists,
            start_date=start_date,
            end_date=end_date,
            rate=d.pop("rate", UNSET),
            scheduled=d.pop("scheduled", UNSET),
            schedule_id=schedule_id,
            timezone=d.pop("timezone", UNSET),
            plan=d.pop("plan", UNSET),
            status=d.pop("status", UNSET),
            published_date=published_date,
            run_id=d.pop("runId", UNSET),
            last_executed=last_executed,
        )

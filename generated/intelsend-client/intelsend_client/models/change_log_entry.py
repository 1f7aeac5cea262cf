from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.campaign_status import CampaignStatus, check_campaign_status

T = TypeVar("T", bound="ChangeLogEntry")


@_attrs_define
class ChangeLogEntry:
    """
    Attributes:
        status (CampaignStatus): `DRAFT`, `BUILD` and `SENDING` are the vendor's; the final states `SENT` and
            `FAILED` are assumed ("a final state"; "deleted or invalid templates will cause
            campaign failures").
        update_at (datetime.datetime):
    """

    status: CampaignStatus
    update_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status: str = self.status

        update_at = self.update_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "updateAt": update_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = check_campaign_status(d.pop("status"))

        update_at = datetime.datetime.fromisoformat(d.pop("updateAt"))

        change_log_entry = cls(
            status=status,
            update_at=update_at,
        )

        change_log_entry.additional_properties = d
        return change_log_entry

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

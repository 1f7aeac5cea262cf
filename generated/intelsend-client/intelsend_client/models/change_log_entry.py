from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.campaign_status import CampaignStatus, check_campaign_status
from ..types import Model

T = TypeVar("T", bound="ChangeLogEntry")


@_attrs_define
class ChangeLogEntry(Model):
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
        return self._fields({"status": status, "updateAt": update_at}, {})

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = check_campaign_status(d.pop("status"))

        update_at = datetime.datetime.fromisoformat(d.pop("updateAt"))

        return cls._with_additional(d, status=status, update_at=update_at)
